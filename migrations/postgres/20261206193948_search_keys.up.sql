-- drop index "searchdocument_tsv" from table: "search_documents"
DROP INDEX "searchdocument_tsv";
-- modify "search_documents" table
ALTER TABLE "search_documents" ADD COLUMN "keys" tsvector NULL;
-- create index "searchdocument_keys" to table: "search_documents"
CREATE INDEX "searchdocument_keys" ON "search_documents" USING gin ("keys");
-- create index "searchdocument_unkeyed" to table: "search_documents"
CREATE INDEX "searchdocument_unkeyed" ON "search_documents" ("owner_id") WHERE (keys IS NULL);
-- keep the vector in the row and put the keys out of it: queries read the
-- vector of every candidate, and the keys only through their index
ALTER TABLE "search_documents" ALTER COLUMN "tsv" SET STORAGE MAIN;
