ALTER TABLE `series` DROP COLUMN `agenda_template`;
