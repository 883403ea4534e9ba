-- modify "search_documents" table
ALTER TABLE "search_documents" ADD COLUMN "analysis" bigint NOT NULL DEFAULT 0;
