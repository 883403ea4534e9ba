-- create "api_tokens" table
CREATE TABLE `api_tokens` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `token_hash` text NOT NULL, `last_used_at` datetime NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `api_tokens_users_api_tokens` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "api_tokens_token_hash_key" to table: "api_tokens"
CREATE UNIQUE INDEX `api_tokens_token_hash_key` ON `api_tokens` (`token_hash`);
-- create index "apitoken_owner_id" to table: "api_tokens"
CREATE INDEX `apitoken_owner_id` ON `api_tokens` (`owner_id`);
-- create "action_items" table
CREATE TABLE `action_items` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `status` text NOT NULL DEFAULT ('open'), `due_at` datetime NULL, `completed_at` datetime NULL, `block_id` text NULL, `meeting_id` text NULL, `note_id` text NULL, `assignee_id` text NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `action_items_meetings_action_items` FOREIGN KEY (`meeting_id`) REFERENCES `meetings` (`id`) ON DELETE SET NULL, CONSTRAINT `action_items_notes_action_items` FOREIGN KEY (`note_id`) REFERENCES `notes` (`id`) ON DELETE SET NULL, CONSTRAINT `action_items_persons_assigned_items` FOREIGN KEY (`assignee_id`) REFERENCES `persons` (`id`) ON DELETE SET NULL, CONSTRAINT `action_items_users_action_items` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "actionitem_owner_id" to table: "action_items"
CREATE INDEX `actionitem_owner_id` ON `action_items` (`owner_id`);
-- create index "actionitem_note_id_block_id" to table: "action_items"
CREATE UNIQUE INDEX `actionitem_note_id_block_id` ON `action_items` (`note_id`, `block_id`);
-- create index "actionitem_meeting_id" to table: "action_items"
CREATE INDEX `actionitem_meeting_id` ON `action_items` (`meeting_id`);
-- create index "actionitem_owner_id_status_due_at" to table: "action_items"
CREATE INDEX `actionitem_owner_id_status_due_at` ON `action_items` (`owner_id`, `status`, `due_at`);
-- create index "actionitem_assignee_id" to table: "action_items"
CREATE INDEX `actionitem_assignee_id` ON `action_items` (`assignee_id`);
-- create "attendances" table
CREATE TABLE `attendances` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `response_status` text NOT NULL DEFAULT ('needs_action'), `organizer` bool NOT NULL DEFAULT (false), `optional` bool NOT NULL DEFAULT (false), `meeting_id` text NOT NULL, `person_id` text NOT NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `attendances_meetings_meeting` FOREIGN KEY (`meeting_id`) REFERENCES `meetings` (`id`) ON DELETE CASCADE, CONSTRAINT `attendances_persons_person` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE CASCADE, CONSTRAINT `attendances_users_attendances` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "attendance_owner_id" to table: "attendances"
CREATE INDEX `attendance_owner_id` ON `attendances` (`owner_id`);
-- create index "attendance_meeting_id_person_id" to table: "attendances"
CREATE UNIQUE INDEX `attendance_meeting_id_person_id` ON `attendances` (`meeting_id`, `person_id`);
-- create index "attendance_person_id" to table: "attendances"
CREATE INDEX `attendance_person_id` ON `attendances` (`person_id`);
-- create "calendars" table
CREATE TABLE `calendars` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `provider_id` text NOT NULL, `name` text NOT NULL DEFAULT (''), `time_zone` text NOT NULL DEFAULT (''), `selected` bool NOT NULL DEFAULT (true), `connection_id` text NOT NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `calendars_connections_calendars` FOREIGN KEY (`connection_id`) REFERENCES `connections` (`id`) ON DELETE CASCADE, CONSTRAINT `calendars_users_calendars` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "calendar_owner_id" to table: "calendars"
CREATE INDEX `calendar_owner_id` ON `calendars` (`owner_id`);
-- create index "calendar_connection_id_provider_id" to table: "calendars"
CREATE UNIQUE INDEX `calendar_connection_id_provider_id` ON `calendars` (`connection_id`, `provider_id`);
-- create "connections" table
CREATE TABLE `connections` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `provider` text NOT NULL, `name` text NOT NULL DEFAULT (''), `feed_url` text NULL, `oauth_token` blob NULL, `sync_token` text NULL, `etag` text NULL, `last_modified` text NULL, `status` text NOT NULL DEFAULT ('active'), `last_error` text NULL, `last_synced_at` datetime NULL, `next_sync_at` datetime NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `connections_users_connections` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "connection_owner_id" to table: "connections"
CREATE INDEX `connection_owner_id` ON `connections` (`owner_id`);
-- create index "connection_next_sync_at" to table: "connections"
CREATE INDEX `connection_next_sync_at` ON `connections` (`next_sync_at`);
-- create "decisions" table
CREATE TABLE `decisions` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `text` text NOT NULL, `decided_at` datetime NOT NULL, `block_id` text NULL, `superseded_by_id` text NULL, `meeting_id` text NULL, `note_id` text NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `decisions_decisions_supersedes` FOREIGN KEY (`superseded_by_id`) REFERENCES `decisions` (`id`) ON DELETE SET NULL, CONSTRAINT `decisions_meetings_decisions` FOREIGN KEY (`meeting_id`) REFERENCES `meetings` (`id`) ON DELETE SET NULL, CONSTRAINT `decisions_notes_decisions` FOREIGN KEY (`note_id`) REFERENCES `notes` (`id`) ON DELETE SET NULL, CONSTRAINT `decisions_users_decisions` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "decision_owner_id" to table: "decisions"
CREATE INDEX `decision_owner_id` ON `decisions` (`owner_id`);
-- create index "decision_note_id_block_id" to table: "decisions"
CREATE UNIQUE INDEX `decision_note_id_block_id` ON `decisions` (`note_id`, `block_id`);
-- create index "decision_meeting_id" to table: "decisions"
CREATE INDEX `decision_meeting_id` ON `decisions` (`meeting_id`);
-- create index "decision_owner_id_decided_at" to table: "decisions"
CREATE INDEX `decision_owner_id_decided_at` ON `decisions` (`owner_id`, `decided_at`);
-- create "idempotency_keys" table
CREATE TABLE `idempotency_keys` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `key` text NOT NULL, `request_hash` text NOT NULL, `status_code` integer NOT NULL DEFAULT (0), `content_type` text NOT NULL DEFAULT (''), `response_body` blob NULL, `completed` bool NOT NULL DEFAULT (false), `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `idempotency_keys_users_idempotency_keys` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "idempotencykey_owner_id" to table: "idempotency_keys"
CREATE INDEX `idempotencykey_owner_id` ON `idempotency_keys` (`owner_id`);
-- create index "idempotencykey_owner_id_key" to table: "idempotency_keys"
CREATE UNIQUE INDEX `idempotencykey_owner_id_key` ON `idempotency_keys` (`owner_id`, `key`);
-- create "meetings" table
CREATE TABLE `meetings` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL DEFAULT (''), `description` text NOT NULL DEFAULT (''), `location` text NOT NULL DEFAULT (''), `video_url` text NOT NULL DEFAULT (''), `starts_at` datetime NOT NULL, `ends_at` datetime NOT NULL, `time_zone` text NOT NULL DEFAULT ('UTC'), `all_day` bool NOT NULL DEFAULT (false), `status` text NOT NULL DEFAULT ('confirmed'), `ical_uid` text NULL, `original_start` datetime NULL, `calendar_id` text NULL, `series_id` text NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `meetings_calendars_meetings` FOREIGN KEY (`calendar_id`) REFERENCES `calendars` (`id`) ON DELETE SET NULL, CONSTRAINT `meetings_series_meetings` FOREIGN KEY (`series_id`) REFERENCES `series` (`id`) ON DELETE SET NULL, CONSTRAINT `meetings_users_meetings` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "meeting_owner_id" to table: "meetings"
CREATE INDEX `meeting_owner_id` ON `meetings` (`owner_id`);
-- create index "meeting_owner_id_ical_uid_original_start" to table: "meetings"
CREATE UNIQUE INDEX `meeting_owner_id_ical_uid_original_start` ON `meetings` (`owner_id`, `ical_uid`, `original_start`);
-- create index "meeting_owner_id_starts_at" to table: "meetings"
CREATE INDEX `meeting_owner_id_starts_at` ON `meetings` (`owner_id`, `starts_at`);
-- create index "meeting_series_id_starts_at" to table: "meetings"
CREATE INDEX `meeting_series_id_starts_at` ON `meetings` (`series_id`, `starts_at`);
-- create "notes" table
CREATE TABLE `notes` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `body` text NOT NULL DEFAULT (''), `version` integer NOT NULL DEFAULT (1), `meeting_id` text NULL, `person_id` text NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `notes_meetings_note` FOREIGN KEY (`meeting_id`) REFERENCES `meetings` (`id`) ON DELETE CASCADE, CONSTRAINT `notes_persons_note` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE SET NULL, CONSTRAINT `notes_users_notes` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "notes_meeting_id_key" to table: "notes"
CREATE UNIQUE INDEX `notes_meeting_id_key` ON `notes` (`meeting_id`);
-- create index "notes_person_id_key" to table: "notes"
CREATE UNIQUE INDEX `notes_person_id_key` ON `notes` (`person_id`);
-- create index "note_owner_id" to table: "notes"
CREATE INDEX `note_owner_id` ON `notes` (`owner_id`);
-- create "notifications" table
CREATE TABLE `notifications` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `channel` text NOT NULL, `subject` text NOT NULL DEFAULT (''), `body` text NOT NULL DEFAULT (''), `dedupe_key` text NOT NULL, `scheduled_at` datetime NOT NULL, `sent_at` datetime NULL, `read_at` datetime NULL, `status` text NOT NULL DEFAULT ('pending'), `last_error` text NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `notifications_users_notifications` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "notification_owner_id" to table: "notifications"
CREATE INDEX `notification_owner_id` ON `notifications` (`owner_id`);
-- create index "notification_owner_id_dedupe_key" to table: "notifications"
CREATE UNIQUE INDEX `notification_owner_id_dedupe_key` ON `notifications` (`owner_id`, `dedupe_key`);
-- create index "notification_status_scheduled_at" to table: "notifications"
CREATE INDEX `notification_status_scheduled_at` ON `notifications` (`status`, `scheduled_at`);
-- create "organizations" table
CREATE TABLE `organizations` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `domain` text NOT NULL, `name` text NOT NULL DEFAULT (''), `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `organizations_users_organizations` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "organization_owner_id" to table: "organizations"
CREATE INDEX `organization_owner_id` ON `organizations` (`owner_id`);
-- create index "organization_owner_id_domain" to table: "organizations"
CREATE UNIQUE INDEX `organization_owner_id_domain` ON `organizations` (`owner_id`, `domain`);
-- create "persons" table
CREATE TABLE `persons` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL DEFAULT (''), `email` text NOT NULL, `emails` json NULL, `organization_id` text NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `persons_organizations_people` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE SET NULL, CONSTRAINT `persons_users_people` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "person_owner_id" to table: "persons"
CREATE INDEX `person_owner_id` ON `persons` (`owner_id`);
-- create index "person_owner_id_email" to table: "persons"
CREATE UNIQUE INDEX `person_owner_id_email` ON `persons` (`owner_id`, `email`);
-- create "person_emails" table
CREATE TABLE `person_emails` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NOT NULL, `person_id` text NOT NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `person_emails_persons_addresses` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE CASCADE, CONSTRAINT `person_emails_users_person_emails` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "personemail_owner_id" to table: "person_emails"
CREATE INDEX `personemail_owner_id` ON `person_emails` (`owner_id`);
-- create index "personemail_owner_id_email" to table: "person_emails"
CREATE UNIQUE INDEX `personemail_owner_id_email` ON `person_emails` (`owner_id`, `email`);
-- create "questions" table
CREATE TABLE `questions` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `text` text NOT NULL, `status` text NOT NULL DEFAULT ('open'), `answered_at` datetime NULL, `block_id` text NULL, `meeting_id` text NULL, `note_id` text NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `questions_meetings_questions` FOREIGN KEY (`meeting_id`) REFERENCES `meetings` (`id`) ON DELETE SET NULL, CONSTRAINT `questions_notes_questions` FOREIGN KEY (`note_id`) REFERENCES `notes` (`id`) ON DELETE SET NULL, CONSTRAINT `questions_users_questions` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "question_owner_id" to table: "questions"
CREATE INDEX `question_owner_id` ON `questions` (`owner_id`);
-- create index "question_note_id_block_id" to table: "questions"
CREATE UNIQUE INDEX `question_note_id_block_id` ON `questions` (`note_id`, `block_id`);
-- create index "question_meeting_id" to table: "questions"
CREATE INDEX `question_meeting_id` ON `questions` (`meeting_id`);
-- create "series" table
CREATE TABLE `series` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `provider_key` text NULL, `title` text NOT NULL DEFAULT (''), `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `series_users_series` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "series_owner_id" to table: "series"
CREATE INDEX `series_owner_id` ON `series` (`owner_id`);
-- create index "series_owner_id_provider_key" to table: "series"
CREATE UNIQUE INDEX `series_owner_id_provider_key` ON `series` (`owner_id`, `provider_key`);
-- create "sessions" table
CREATE TABLE `sessions` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `token_hash` text NOT NULL, `expires_at` datetime NOT NULL, `last_seen_at` datetime NULL, `user_agent` text NULL, `owner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `sessions_users_sessions` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create index "sessions_token_hash_key" to table: "sessions"
CREATE UNIQUE INDEX `sessions_token_hash_key` ON `sessions` (`token_hash`);
-- create index "session_owner_id" to table: "sessions"
CREATE INDEX `session_owner_id` ON `sessions` (`owner_id`);
-- create "users" table
CREATE TABLE `users` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NOT NULL, `name` text NOT NULL DEFAULT (''), `time_zone` text NOT NULL DEFAULT ('UTC'), `password_hash` text NULL, PRIMARY KEY (`id`));
-- create index "users_email_key" to table: "users"
CREATE UNIQUE INDEX `users_email_key` ON `users` (`email`);
-- create "decision_people" table
CREATE TABLE `decision_people` (`decision_id` text NOT NULL, `person_id` text NOT NULL, PRIMARY KEY (`decision_id`, `person_id`), CONSTRAINT `decision_people_decision_id` FOREIGN KEY (`decision_id`) REFERENCES `decisions` (`id`) ON DELETE CASCADE, CONSTRAINT `decision_people_person_id` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE CASCADE);
