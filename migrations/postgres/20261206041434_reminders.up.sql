-- modify "action_items" table
ALTER TABLE "action_items" ADD COLUMN "remind_at" timestamptz NULL, ADD COLUMN "next_meeting" boolean NOT NULL DEFAULT false, ADD COLUMN "people" jsonb NULL;
-- modify "notifications" table
ALTER TABLE "notifications" ADD COLUMN "subject_ref" character varying NOT NULL DEFAULT '', ADD COLUMN "webhook_id" character varying NULL, ADD COLUMN "attempts" bigint NOT NULL DEFAULT 0, ADD COLUMN "claimed_at" timestamptz NULL;
-- create index "notification_owner_id_channel_created_at" to table: "notifications"
CREATE INDEX "notification_owner_id_channel_created_at" ON "notifications" ("owner_id", "channel", "created_at");
-- create index "notification_owner_id_status" to table: "notifications"
CREATE INDEX "notification_owner_id_status" ON "notifications" ("owner_id", "status");
-- modify "questions" table
ALTER TABLE "questions" ADD COLUMN "remind_at" timestamptz NULL, ADD COLUMN "people" jsonb NULL;
-- modify "users" table
ALTER TABLE "users" ADD COLUMN "reminder_settings" text NOT NULL DEFAULT '';
-- create "webhooks" table
CREATE TABLE "webhooks" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "url" character varying NOT NULL, "events" text NOT NULL, "secret" bytea NOT NULL, "last_error" character varying NOT NULL DEFAULT '', "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "webhooks_users_webhooks" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "webhook_owner_id" to table: "webhooks"
CREATE INDEX "webhook_owner_id" ON "webhooks" ("owner_id");
