-- reverse: drop index "notification_owner_id" from table: "notifications"
CREATE INDEX `notification_owner_id` ON `notifications` (`owner_id`);
