-- Items keep the line they were read from and the person whose note they came from; questions their answer.
ALTER TABLE `action_items` ADD COLUMN `line` text NULL;
ALTER TABLE `action_items` ADD COLUMN `about_person_id` text NULL;
CREATE INDEX `actionitem_owner_id_about_person_id` ON `action_items` (`owner_id`, `about_person_id`);
ALTER TABLE `decisions` ADD COLUMN `line` text NULL;
ALTER TABLE `decisions` ADD COLUMN `about_person_id` text NULL;
CREATE INDEX `decision_owner_id_about_person_id` ON `decisions` (`owner_id`, `about_person_id`);
ALTER TABLE `questions` ADD COLUMN `answer` text NULL;
ALTER TABLE `questions` ADD COLUMN `line` text NULL;
ALTER TABLE `questions` ADD COLUMN `about_person_id` text NULL;
CREATE INDEX `question_owner_id_about_person_id` ON `questions` (`owner_id`, `about_person_id`);
