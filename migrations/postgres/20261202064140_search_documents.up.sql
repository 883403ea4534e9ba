-- create "search_documents" table
CREATE TABLE "search_documents" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "type" character varying NOT NULL, "title" text NOT NULL DEFAULT '', "body" text NOT NULL DEFAULT '', "people" text NOT NULL DEFAULT '', "orgs" text NOT NULL DEFAULT '', "series" text NOT NULL DEFAULT '', "meeting_id" character varying NOT NULL DEFAULT '', "when" timestamptz NOT NULL, "status" character varying NOT NULL DEFAULT '', "tsv" tsvector NULL, "people_tsv" tsvector NULL, "orgs_tsv" tsvector NULL, "series_tsv" tsvector NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "search_documents_users_search_documents" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "searchdocument_owner_id" to table: "search_documents"
CREATE INDEX "searchdocument_owner_id" ON "search_documents" ("owner_id");
-- create index "searchdocument_owner_id_meeting_id" to table: "search_documents"
CREATE INDEX "searchdocument_owner_id_meeting_id" ON "search_documents" ("owner_id", "meeting_id");
-- create index "searchdocument_owner_id_when" to table: "search_documents"
CREATE INDEX "searchdocument_owner_id_when" ON "search_documents" ("owner_id", "when");
-- create index "searchdocument_tsv" to table: "search_documents"
CREATE INDEX "searchdocument_tsv" ON "search_documents" USING gin ("tsv");
