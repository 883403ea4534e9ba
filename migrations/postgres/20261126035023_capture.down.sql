-- reverse: modify "questions" table
ALTER TABLE "questions" DROP COLUMN "detached_at";
-- reverse: modify "decisions" table
ALTER TABLE "decisions" DROP COLUMN "detached_at";
-- reverse: modify "action_items" table
ALTER TABLE "action_items" DROP COLUMN "detached_at";
