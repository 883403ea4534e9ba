-- Written by hand, not as the table rebuild Atlas generates: golang-migrate
-- runs each file in a transaction, where "PRAGMA foreign_keys = off" does
-- nothing, so dropping the old table deleted what refers to it
-- (TestUpgradeKeepsData).
ALTER TABLE `calendars` ADD COLUMN `sync_token` text NULL;
ALTER TABLE `calendars` ADD COLUMN `watch_channel_id` text NULL;
ALTER TABLE `calendars` ADD COLUMN `watch_resource_id` text NULL;
ALTER TABLE `calendars` ADD COLUMN `watch_token` text NULL;
ALTER TABLE `calendars` ADD COLUMN `watch_expires_at` datetime NULL;
-- create index "calendar_watch_channel_id" to table: "calendars"
CREATE UNIQUE INDEX `calendar_watch_channel_id` ON `calendars` (`watch_channel_id`);
