-- drop index "attendance_owner_id" from table: "attendances"
DROP INDEX `attendance_owner_id`;
