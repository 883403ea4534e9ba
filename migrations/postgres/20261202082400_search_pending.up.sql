-- create "search_pendings" table
CREATE TABLE "search_pendings" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "owner_id" character varying NOT NULL, "key" character varying NOT NULL, PRIMARY KEY ("id"));
-- create index "searchpending_owner_id_id" to table: "search_pendings"
CREATE INDEX "searchpending_owner_id_id" ON "search_pendings" ("owner_id", "id");
