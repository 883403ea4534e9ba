-- drop index "searchdocument_tsv" from table: "search_documents"
DROP INDEX `searchdocument_tsv`;
-- add column "keys" to table: "search_documents"
ALTER TABLE `search_documents` ADD COLUMN `keys` text NULL;
-- create index "searchdocument_keys" to table: "search_documents"
CREATE INDEX `searchdocument_keys` ON `search_documents` (`keys`);
-- create index "searchdocument_unkeyed" to table: "search_documents"
CREATE INDEX `searchdocument_unkeyed` ON `search_documents` (`owner_id`) WHERE keys IS NULL;
