-- reverse: create index "meetingtombstone_owner_id_ical_uid_original_start" to table: "meeting_tombstones"
DROP INDEX "meetingtombstone_owner_id_ical_uid_original_start";
-- reverse: create index "meetingtombstone_owner_id" to table: "meeting_tombstones"
DROP INDEX "meetingtombstone_owner_id";
-- reverse: create "meeting_tombstones" table
DROP TABLE "meeting_tombstones";
-- reverse: modify "meetings" table
ALTER TABLE "meetings" DROP COLUMN "hidden_at", DROP COLUMN "calendar_says";
