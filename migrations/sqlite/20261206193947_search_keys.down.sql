-- reverse: create index "searchdocument_unkeyed" to table: "search_documents"
DROP INDEX `searchdocument_unkeyed`;
-- reverse: create index "searchdocument_keys" to table: "search_documents"
DROP INDEX `searchdocument_keys`;
-- reverse: add column "keys" to table: "search_documents"
ALTER TABLE `search_documents` DROP COLUMN `keys`;
-- reverse: drop index "searchdocument_tsv" from table: "search_documents"
CREATE INDEX `searchdocument_tsv` ON `search_documents` (`tsv`);
