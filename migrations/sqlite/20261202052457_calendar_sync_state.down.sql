DROP INDEX `calendar_watch_channel_id`;
ALTER TABLE `calendars` DROP COLUMN `watch_expires_at`;
ALTER TABLE `calendars` DROP COLUMN `watch_token`;
ALTER TABLE `calendars` DROP COLUMN `watch_resource_id`;
ALTER TABLE `calendars` DROP COLUMN `watch_channel_id`;
ALTER TABLE `calendars` DROP COLUMN `sync_token`;
