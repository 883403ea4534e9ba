-- reverse: modify "meetings" table
ALTER TABLE "meetings" DROP COLUMN "source_uid";
