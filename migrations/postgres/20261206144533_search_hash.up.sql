-- modify "search_documents" table
ALTER TABLE "search_documents" ADD COLUMN "hash" character varying NOT NULL DEFAULT '';
