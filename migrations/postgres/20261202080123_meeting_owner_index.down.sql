-- reverse: drop index "meeting_owner_id" from table: "meetings"
CREATE INDEX "meeting_owner_id" ON "meetings" ("owner_id");
