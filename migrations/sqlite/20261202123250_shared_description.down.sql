ALTER TABLE `series` DROP COLUMN `description`;
ALTER TABLE `meetings` DROP COLUMN `shares_description`;
