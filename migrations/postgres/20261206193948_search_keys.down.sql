-- reverse: create index "searchdocument_unkeyed" to table: "search_documents"
DROP INDEX "searchdocument_unkeyed";
-- reverse: create index "searchdocument_keys" to table: "search_documents"
DROP INDEX "searchdocument_keys";
-- reverse: modify "search_documents" table
ALTER TABLE "search_documents" DROP COLUMN "keys";
-- reverse: drop index "searchdocument_tsv" from table: "search_documents"
CREATE INDEX "searchdocument_tsv" ON "search_documents" USING gin ("tsv");
