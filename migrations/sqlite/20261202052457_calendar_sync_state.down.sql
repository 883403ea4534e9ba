-- reverse: create index "calendar_watch_channel_id" to table: "calendars"
DROP INDEX `calendar_watch_channel_id`;
-- reverse: create index "calendar_connection_id_provider_id" to table: "calendars"
DROP INDEX `calendar_connection_id_provider_id`;
-- reverse: create index "calendar_owner_id" to table: "calendars"
DROP INDEX `calendar_owner_id`;
-- reverse: create "new_calendars" table
DROP TABLE `new_calendars`;
