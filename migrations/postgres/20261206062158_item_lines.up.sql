-- modify "action_items" table
ALTER TABLE "action_items" ADD COLUMN "line" text NULL, ADD COLUMN "about_person_id" character varying NULL;
-- create index "actionitem_owner_id_about_person_id" to table: "action_items"
CREATE INDEX "actionitem_owner_id_about_person_id" ON "action_items" ("owner_id", "about_person_id");
-- modify "decisions" table
ALTER TABLE "decisions" ADD COLUMN "line" text NULL, ADD COLUMN "about_person_id" character varying NULL;
-- create index "decision_owner_id_about_person_id" to table: "decisions"
CREATE INDEX "decision_owner_id_about_person_id" ON "decisions" ("owner_id", "about_person_id");
-- modify "questions" table
ALTER TABLE "questions" ADD COLUMN "answer" text NULL, ADD COLUMN "line" text NULL, ADD COLUMN "about_person_id" character varying NULL;
-- create index "question_owner_id_about_person_id" to table: "questions"
CREATE INDEX "question_owner_id_about_person_id" ON "questions" ("owner_id", "about_person_id");
