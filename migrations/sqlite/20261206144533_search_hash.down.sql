-- reverse: add column "hash" to table: "search_documents"
ALTER TABLE `search_documents` DROP COLUMN `hash`;
