-- create "search_pendings" table
CREATE TABLE `search_pendings` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `owner_id` text NOT NULL, `key` text NOT NULL, PRIMARY KEY (`id`));
-- create index "searchpending_owner_id_id" to table: "search_pendings"
CREATE INDEX `searchpending_owner_id_id` ON `search_pendings` (`owner_id`, `id`);
