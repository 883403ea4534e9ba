-- create "search_documents" table
CREATE TABLE `search_documents` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `type` text NOT NULL, `title` text NOT NULL DEFAULT (''), `body` text NOT NULL DEFAULT (''), `people` text NOT NULL DEFAULT (''), `orgs` text NOT NULL DEFAULT (''), `series` text NOT NULL DEFAULT (''), `meeting_id` text NOT NULL DEFAULT (''), `when` datetime NOT NULL, `status` text NOT NULL DEFAULT (''), `tsv` text NULL, `people_tsv` text NULL, `orgs_tsv` text NULL, `series_tsv` text NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `search_documents_users_search_documents` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "searchdocument_owner_id" to table: "search_documents"
CREATE INDEX `searchdocument_owner_id` ON `search_documents` (`owner_id`);
-- create index "searchdocument_tsv" to table: "search_documents"
CREATE INDEX `searchdocument_tsv` ON `search_documents` (`tsv`);
-- create index "searchdocument_owner_id_when" to table: "search_documents"
CREATE INDEX `searchdocument_owner_id_when` ON `search_documents` (`owner_id`, `when`);
-- create index "searchdocument_owner_id_meeting_id" to table: "search_documents"
CREATE INDEX `searchdocument_owner_id_meeting_id` ON `search_documents` (`owner_id`, `meeting_id`);
