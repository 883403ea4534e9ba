-- reverse: modify "series" table
ALTER TABLE "series" DROP COLUMN "agenda_template";
