-- reverse: add column "source_uid" to table: "meetings"
ALTER TABLE `meetings` DROP COLUMN `source_uid`;
