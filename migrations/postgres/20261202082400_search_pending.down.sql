-- reverse: create index "searchpending_owner_id_id" to table: "search_pendings"
DROP INDEX "searchpending_owner_id_id";
-- reverse: create "search_pendings" table
DROP TABLE "search_pendings";
