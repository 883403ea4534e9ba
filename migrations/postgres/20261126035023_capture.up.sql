-- modify "action_items" table
ALTER TABLE "action_items" ADD COLUMN "detached_at" timestamptz NULL;
-- modify "decisions" table
ALTER TABLE "decisions" ADD COLUMN "detached_at" timestamptz NULL;
-- modify "questions" table
ALTER TABLE "questions" ADD COLUMN "detached_at" timestamptz NULL;
