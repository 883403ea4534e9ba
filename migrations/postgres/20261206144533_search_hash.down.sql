-- reverse: modify "search_documents" table
ALTER TABLE "search_documents" DROP COLUMN "hash";
