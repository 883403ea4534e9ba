-- reverse: modify "series" table
ALTER TABLE "series" DROP COLUMN "description";
-- reverse: modify "meetings" table
ALTER TABLE "meetings" DROP COLUMN "shares_description";
