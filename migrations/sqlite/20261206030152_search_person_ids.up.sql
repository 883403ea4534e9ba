-- add column "person_ids" to table: "search_documents"
ALTER TABLE `search_documents` ADD COLUMN `person_ids` text NULL;
