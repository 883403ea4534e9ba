-- modify "meetings" table
ALTER TABLE "meetings" ADD COLUMN "shares_description" boolean NOT NULL DEFAULT false;
-- modify "series" table
ALTER TABLE "series" ADD COLUMN "description" text NOT NULL DEFAULT '';
