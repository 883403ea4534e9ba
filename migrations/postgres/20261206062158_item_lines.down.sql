-- reverse: create index "question_owner_id_about_person_id" to table: "questions"
DROP INDEX "question_owner_id_about_person_id";
-- reverse: modify "questions" table
ALTER TABLE "questions" DROP COLUMN "about_person_id", DROP COLUMN "line", DROP COLUMN "answer";
-- reverse: create index "decision_owner_id_about_person_id" to table: "decisions"
DROP INDEX "decision_owner_id_about_person_id";
-- reverse: modify "decisions" table
ALTER TABLE "decisions" DROP COLUMN "about_person_id", DROP COLUMN "line";
-- reverse: create index "actionitem_owner_id_about_person_id" to table: "action_items"
DROP INDEX "actionitem_owner_id_about_person_id";
-- reverse: modify "action_items" table
ALTER TABLE "action_items" DROP COLUMN "about_person_id", DROP COLUMN "line";
