-- modify "meetings" table
ALTER TABLE "meetings" ADD COLUMN "source_uid" character varying NULL;
