-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_calendars" table
CREATE TABLE `new_calendars` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `provider_id` text NOT NULL, `name` text NOT NULL DEFAULT (''), `time_zone` text NOT NULL DEFAULT (''), `selected` bool NOT NULL DEFAULT (true), `sync_token` text NULL, `watch_channel_id` text NULL, `watch_resource_id` text NULL, `watch_token` text NULL, `watch_expires_at` datetime NULL, `connection_id` text NOT NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `calendars_connections_calendars` FOREIGN KEY (`connection_id`) REFERENCES `connections` (`id`) ON DELETE CASCADE, CONSTRAINT `calendars_users_calendars` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- copy rows from old table "calendars" to new temporary table "new_calendars"
INSERT INTO `new_calendars` (`id`, `created_at`, `updated_at`, `provider_id`, `name`, `time_zone`, `selected`, `connection_id`, `owner_id`) SELECT `id`, `created_at`, `updated_at`, `provider_id`, `name`, `time_zone`, `selected`, `connection_id`, `owner_id` FROM `calendars`;
-- drop "calendars" table after copying rows
DROP TABLE `calendars`;
-- rename temporary table "new_calendars" to "calendars"
ALTER TABLE `new_calendars` RENAME TO `calendars`;
-- create index "calendar_owner_id" to table: "calendars"
CREATE INDEX `calendar_owner_id` ON `calendars` (`owner_id`);
-- create index "calendar_connection_id_provider_id" to table: "calendars"
CREATE UNIQUE INDEX `calendar_connection_id_provider_id` ON `calendars` (`connection_id`, `provider_id`);
-- create index "calendar_watch_channel_id" to table: "calendars"
CREATE UNIQUE INDEX `calendar_watch_channel_id` ON `calendars` (`watch_channel_id`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
