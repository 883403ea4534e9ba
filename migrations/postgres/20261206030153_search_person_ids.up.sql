-- modify "search_documents" table
ALTER TABLE "search_documents" ADD COLUMN "person_ids" text[] NULL;
