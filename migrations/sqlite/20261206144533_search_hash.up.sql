-- add column "hash" to table: "search_documents"
ALTER TABLE `search_documents` ADD COLUMN `hash` text NOT NULL DEFAULT '';
