-- modify "calendars" table
ALTER TABLE "calendars" ADD COLUMN "sync_token" character varying NULL, ADD COLUMN "watch_channel_id" character varying NULL, ADD COLUMN "watch_resource_id" character varying NULL, ADD COLUMN "watch_token" character varying NULL, ADD COLUMN "watch_expires_at" timestamptz NULL;
-- create index "calendar_watch_channel_id" to table: "calendars"
CREATE UNIQUE INDEX "calendar_watch_channel_id" ON "calendars" ("watch_channel_id");
