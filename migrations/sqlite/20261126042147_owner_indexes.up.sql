-- drop index "actionitem_meeting_id" from table: "action_items"
DROP INDEX `actionitem_meeting_id`;
-- drop index "actionitem_assignee_id" from table: "action_items"
DROP INDEX `actionitem_assignee_id`;
-- create index "actionitem_owner_id_meeting_id" to table: "action_items"
CREATE INDEX `actionitem_owner_id_meeting_id` ON `action_items` (`owner_id`, `meeting_id`);
-- create index "actionitem_owner_id_assignee_id" to table: "action_items"
CREATE INDEX `actionitem_owner_id_assignee_id` ON `action_items` (`owner_id`, `assignee_id`);
-- drop index "attendance_person_id" from table: "attendances"
DROP INDEX `attendance_person_id`;
-- create index "attendance_owner_id_person_id" to table: "attendances"
CREATE INDEX `attendance_owner_id_person_id` ON `attendances` (`owner_id`, `person_id`);
-- drop index "decision_meeting_id" from table: "decisions"
DROP INDEX `decision_meeting_id`;
-- create index "decision_owner_id_meeting_id" to table: "decisions"
CREATE INDEX `decision_owner_id_meeting_id` ON `decisions` (`owner_id`, `meeting_id`);
-- drop index "question_meeting_id" from table: "questions"
DROP INDEX `question_meeting_id`;
-- create index "question_owner_id_meeting_id" to table: "questions"
CREATE INDEX `question_owner_id_meeting_id` ON `questions` (`owner_id`, `meeting_id`);
