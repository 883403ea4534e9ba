-- reverse: create index "searchdocument_owner_id_meeting_id" to table: "search_documents"
DROP INDEX `searchdocument_owner_id_meeting_id`;
-- reverse: create index "searchdocument_owner_id_when" to table: "search_documents"
DROP INDEX `searchdocument_owner_id_when`;
-- reverse: create index "searchdocument_tsv" to table: "search_documents"
DROP INDEX `searchdocument_tsv`;
-- reverse: create index "searchdocument_owner_id" to table: "search_documents"
DROP INDEX `searchdocument_owner_id`;
-- reverse: create "search_documents" table
DROP TABLE `search_documents`;
