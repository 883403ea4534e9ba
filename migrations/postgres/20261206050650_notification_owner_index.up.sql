-- drop index "notification_owner_id" from table: "notifications"
DROP INDEX "notification_owner_id";
