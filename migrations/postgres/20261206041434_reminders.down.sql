-- reverse: create index "webhook_owner_id" to table: "webhooks"
DROP INDEX "webhook_owner_id";
-- reverse: create "webhooks" table
DROP TABLE "webhooks";
-- reverse: modify "users" table
ALTER TABLE "users" DROP COLUMN "reminder_settings";
-- reverse: modify "questions" table
ALTER TABLE "questions" DROP COLUMN "people", DROP COLUMN "remind_at";
-- reverse: create index "notification_owner_id_status" to table: "notifications"
DROP INDEX "notification_owner_id_status";
-- reverse: create index "notification_owner_id_channel_created_at" to table: "notifications"
DROP INDEX "notification_owner_id_channel_created_at";
-- reverse: modify "notifications" table
ALTER TABLE "notifications" DROP COLUMN "claimed_at", DROP COLUMN "attempts", DROP COLUMN "webhook_id", DROP COLUMN "subject_ref";
-- reverse: modify "action_items" table
ALTER TABLE "action_items" DROP COLUMN "people", DROP COLUMN "next_meeting", DROP COLUMN "remind_at";
