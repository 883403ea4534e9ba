-- add column "calendar_says" to table: "meetings"
ALTER TABLE `meetings` ADD COLUMN `calendar_says` json NULL;
-- add column "hidden_at" to table: "meetings"
ALTER TABLE `meetings` ADD COLUMN `hidden_at` datetime NULL;
-- create "meeting_tombstones" table
CREATE TABLE `meeting_tombstones` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `ical_uid` text NOT NULL, `original_start` datetime NOT NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `meeting_tombstones_users_meeting_tombstones` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "meetingtombstone_owner_id" to table: "meeting_tombstones"
CREATE INDEX `meetingtombstone_owner_id` ON `meeting_tombstones` (`owner_id`);
-- create index "meetingtombstone_owner_id_ical_uid_original_start" to table: "meeting_tombstones"
CREATE UNIQUE INDEX `meetingtombstone_owner_id_ical_uid_original_start` ON `meeting_tombstones` (`owner_id`, `ical_uid`, `original_start`);
