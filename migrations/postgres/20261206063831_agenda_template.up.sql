-- modify "series" table
ALTER TABLE "series" ADD COLUMN "agenda_template" text NOT NULL DEFAULT '';
