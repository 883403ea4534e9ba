-- add column "source_uid" to table: "meetings"
ALTER TABLE `meetings` ADD COLUMN `source_uid` text NULL;
