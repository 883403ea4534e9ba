-- modify "meetings" table
ALTER TABLE "meetings" ADD COLUMN "calendar_says" jsonb NULL, ADD COLUMN "hidden_at" timestamptz NULL;
-- create "meeting_tombstones" table
CREATE TABLE "meeting_tombstones" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "ical_uid" character varying NOT NULL, "original_start" timestamptz NOT NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "meeting_tombstones_users_meeting_tombstones" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "meetingtombstone_owner_id" to table: "meeting_tombstones"
CREATE INDEX "meetingtombstone_owner_id" ON "meeting_tombstones" ("owner_id");
-- create index "meetingtombstone_owner_id_ical_uid_original_start" to table: "meeting_tombstones"
CREATE UNIQUE INDEX "meetingtombstone_owner_id_ical_uid_original_start" ON "meeting_tombstones" ("owner_id", "ical_uid", "original_start");
