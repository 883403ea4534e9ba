-- reverse: create index "calendar_watch_channel_id" to table: "calendars"
DROP INDEX "calendar_watch_channel_id";
-- reverse: modify "calendars" table
ALTER TABLE "calendars" DROP COLUMN "watch_expires_at", DROP COLUMN "watch_token", DROP COLUMN "watch_resource_id", DROP COLUMN "watch_channel_id", DROP COLUMN "sync_token";
