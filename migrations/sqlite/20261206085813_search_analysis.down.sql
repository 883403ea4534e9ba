-- reverse: add column "analysis" to table: "search_documents"
ALTER TABLE `search_documents` DROP COLUMN `analysis`;
