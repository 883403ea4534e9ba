-- A series keeps the agenda a new occurrence's note starts from.
ALTER TABLE `series` ADD COLUMN `agenda_template` text NOT NULL DEFAULT '';
