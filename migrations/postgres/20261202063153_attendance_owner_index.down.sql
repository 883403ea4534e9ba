-- reverse: drop index "attendance_owner_id" from table: "attendances"
CREATE INDEX "attendance_owner_id" ON "attendances" ("owner_id");
