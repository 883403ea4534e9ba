-- reverse: add column "detached_at" to table: "questions"
ALTER TABLE `questions` DROP COLUMN `detached_at`;
-- reverse: add column "detached_at" to table: "decisions"
ALTER TABLE `decisions` DROP COLUMN `detached_at`;
-- reverse: add column "detached_at" to table: "action_items"
ALTER TABLE `action_items` DROP COLUMN `detached_at`;
