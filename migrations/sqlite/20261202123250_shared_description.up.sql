-- Written by hand, not as the table rebuild Atlas generates (see
-- 20261202052457_calendar_sync_state.up.sql).
ALTER TABLE `meetings` ADD COLUMN `shares_description` bool NOT NULL DEFAULT (false);
ALTER TABLE `series` ADD COLUMN `description` text NOT NULL DEFAULT ('');
