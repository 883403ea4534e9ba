-- reverse: modify "search_documents" table
ALTER TABLE "search_documents" DROP COLUMN "person_ids";
