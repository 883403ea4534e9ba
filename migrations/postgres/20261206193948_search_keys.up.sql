-- drop index "searchdocument_tsv" from table: "search_documents"
DROP INDEX "searchdocument_tsv";
-- modify "search_documents" table
ALTER TABLE "search_documents" ADD COLUMN "keys" tsvector NULL;
-- create index "searchdocument_keys" to table: "search_documents"
CREATE INDEX "searchdocument_keys" ON "search_documents" USING gin ("keys");
-- create index "searchdocument_unkeyed" to table: "search_documents"
CREATE INDEX "searchdocument_unkeyed" ON "search_documents" ("owner_id") WHERE (keys IS NULL);
-- keep the vector in the row, and rows up to a page whole: queries read the
-- vector of every candidate, and the keys beside it, out of the row, cost a
-- TOAST write per document
ALTER TABLE "search_documents" ALTER COLUMN "tsv" SET STORAGE MAIN, SET (toast_tuple_target = 8160);
