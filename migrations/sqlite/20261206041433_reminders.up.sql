-- add columns to "action_items" (in place: a table rebuild would cascade deletes inside the migration's transaction)
ALTER TABLE `action_items` ADD COLUMN `remind_at` datetime NULL;
ALTER TABLE `action_items` ADD COLUMN `next_meeting` bool NOT NULL DEFAULT (false);
ALTER TABLE `action_items` ADD COLUMN `people` json NULL;
-- add columns to "notifications"
ALTER TABLE `notifications` ADD COLUMN `subject_ref` text NOT NULL DEFAULT ('');
ALTER TABLE `notifications` ADD COLUMN `webhook_id` text NULL;
ALTER TABLE `notifications` ADD COLUMN `attempts` integer NOT NULL DEFAULT (0);
ALTER TABLE `notifications` ADD COLUMN `claimed_at` datetime NULL;
-- create index "notification_owner_id_status" to table: "notifications"
CREATE INDEX `notification_owner_id_status` ON `notifications` (`owner_id`, `status`);
-- create index "notification_owner_id_channel_created_at" to table: "notifications"
CREATE INDEX `notification_owner_id_channel_created_at` ON `notifications` (`owner_id`, `channel`, `created_at`);
-- add columns to "questions"
ALTER TABLE `questions` ADD COLUMN `remind_at` datetime NULL;
ALTER TABLE `questions` ADD COLUMN `people` json NULL;
-- add column "reminder_settings" to table: "users"
ALTER TABLE `users` ADD COLUMN `reminder_settings` text NOT NULL DEFAULT ('');
-- create "webhooks" table
CREATE TABLE `webhooks` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `url` text NOT NULL, `events` text NOT NULL, `secret` blob NOT NULL, `last_error` text NOT NULL DEFAULT (''), `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `webhooks_users_webhooks` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "webhook_owner_id" to table: "webhooks"
CREATE INDEX `webhook_owner_id` ON `webhooks` (`owner_id`);
