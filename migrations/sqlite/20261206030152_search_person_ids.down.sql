-- reverse: add column "person_ids" to table: "search_documents"
ALTER TABLE `search_documents` DROP COLUMN `person_ids`;
