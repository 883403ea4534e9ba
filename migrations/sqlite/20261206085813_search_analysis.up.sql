-- add column "analysis" to table: "search_documents"
ALTER TABLE `search_documents` ADD COLUMN `analysis` integer NOT NULL DEFAULT 0;
