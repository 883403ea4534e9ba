-- reverse: create index "question_owner_id_meeting_id" to table: "questions"
DROP INDEX "question_owner_id_meeting_id";
-- reverse: drop index "question_meeting_id" from table: "questions"
CREATE INDEX "question_meeting_id" ON "questions" ("meeting_id");
-- reverse: create index "decision_owner_id_meeting_id" to table: "decisions"
DROP INDEX "decision_owner_id_meeting_id";
-- reverse: drop index "decision_meeting_id" from table: "decisions"
CREATE INDEX "decision_meeting_id" ON "decisions" ("meeting_id");
-- reverse: create index "attendance_owner_id_person_id" to table: "attendances"
DROP INDEX "attendance_owner_id_person_id";
-- reverse: drop index "attendance_person_id" from table: "attendances"
CREATE INDEX "attendance_person_id" ON "attendances" ("person_id");
-- reverse: create index "actionitem_owner_id_meeting_id" to table: "action_items"
DROP INDEX "actionitem_owner_id_meeting_id";
-- reverse: create index "actionitem_owner_id_assignee_id" to table: "action_items"
DROP INDEX "actionitem_owner_id_assignee_id";
-- reverse: drop index "actionitem_meeting_id" from table: "action_items"
CREATE INDEX "actionitem_meeting_id" ON "action_items" ("meeting_id");
-- reverse: drop index "actionitem_assignee_id" from table: "action_items"
CREATE INDEX "actionitem_assignee_id" ON "action_items" ("assignee_id");
