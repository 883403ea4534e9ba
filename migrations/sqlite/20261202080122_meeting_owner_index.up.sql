-- drop index "meeting_owner_id" from table: "meetings"
DROP INDEX `meeting_owner_id`;
