-- add column "detached_at" to table: "action_items"
ALTER TABLE `action_items` ADD COLUMN `detached_at` datetime NULL;
-- add column "detached_at" to table: "decisions"
ALTER TABLE `decisions` ADD COLUMN `detached_at` datetime NULL;
-- add column "detached_at" to table: "questions"
ALTER TABLE `questions` ADD COLUMN `detached_at` datetime NULL;
