-- reverse: create "decision_people" table
DROP TABLE `decision_people`;
-- reverse: create index "users_email_key" to table: "users"
DROP INDEX `users_email_key`;
-- reverse: create "users" table
DROP TABLE `users`;
-- reverse: create index "session_owner_id" to table: "sessions"
DROP INDEX `session_owner_id`;
-- reverse: create index "sessions_token_hash_key" to table: "sessions"
DROP INDEX `sessions_token_hash_key`;
-- reverse: create "sessions" table
DROP TABLE `sessions`;
-- reverse: create index "series_owner_id_provider_key" to table: "series"
DROP INDEX `series_owner_id_provider_key`;
-- reverse: create index "series_owner_id" to table: "series"
DROP INDEX `series_owner_id`;
-- reverse: create "series" table
DROP TABLE `series`;
-- reverse: create index "question_meeting_id" to table: "questions"
DROP INDEX `question_meeting_id`;
-- reverse: create index "question_note_id_block_id" to table: "questions"
DROP INDEX `question_note_id_block_id`;
-- reverse: create index "question_owner_id" to table: "questions"
DROP INDEX `question_owner_id`;
-- reverse: create "questions" table
DROP TABLE `questions`;
-- reverse: create index "personemail_owner_id_email" to table: "person_emails"
DROP INDEX `personemail_owner_id_email`;
-- reverse: create index "personemail_owner_id" to table: "person_emails"
DROP INDEX `personemail_owner_id`;
-- reverse: create "person_emails" table
DROP TABLE `person_emails`;
-- reverse: create index "person_owner_id_email" to table: "persons"
DROP INDEX `person_owner_id_email`;
-- reverse: create index "person_owner_id" to table: "persons"
DROP INDEX `person_owner_id`;
-- reverse: create "persons" table
DROP TABLE `persons`;
-- reverse: create index "organization_owner_id_domain" to table: "organizations"
DROP INDEX `organization_owner_id_domain`;
-- reverse: create index "organization_owner_id" to table: "organizations"
DROP INDEX `organization_owner_id`;
-- reverse: create "organizations" table
DROP TABLE `organizations`;
-- reverse: create index "notification_status_scheduled_at" to table: "notifications"
DROP INDEX `notification_status_scheduled_at`;
-- reverse: create index "notification_owner_id_dedupe_key" to table: "notifications"
DROP INDEX `notification_owner_id_dedupe_key`;
-- reverse: create index "notification_owner_id" to table: "notifications"
DROP INDEX `notification_owner_id`;
-- reverse: create "notifications" table
DROP TABLE `notifications`;
-- reverse: create index "note_owner_id" to table: "notes"
DROP INDEX `note_owner_id`;
-- reverse: create index "notes_person_id_key" to table: "notes"
DROP INDEX `notes_person_id_key`;
-- reverse: create index "notes_meeting_id_key" to table: "notes"
DROP INDEX `notes_meeting_id_key`;
-- reverse: create "notes" table
DROP TABLE `notes`;
-- reverse: create index "meeting_series_id_starts_at" to table: "meetings"
DROP INDEX `meeting_series_id_starts_at`;
-- reverse: create index "meeting_owner_id_starts_at" to table: "meetings"
DROP INDEX `meeting_owner_id_starts_at`;
-- reverse: create index "meeting_owner_id_ical_uid_original_start" to table: "meetings"
DROP INDEX `meeting_owner_id_ical_uid_original_start`;
-- reverse: create index "meeting_owner_id" to table: "meetings"
DROP INDEX `meeting_owner_id`;
-- reverse: create "meetings" table
DROP TABLE `meetings`;
-- reverse: create index "idempotencykey_owner_id_key" to table: "idempotency_keys"
DROP INDEX `idempotencykey_owner_id_key`;
-- reverse: create index "idempotencykey_owner_id" to table: "idempotency_keys"
DROP INDEX `idempotencykey_owner_id`;
-- reverse: create "idempotency_keys" table
DROP TABLE `idempotency_keys`;
-- reverse: create index "decision_owner_id_decided_at" to table: "decisions"
DROP INDEX `decision_owner_id_decided_at`;
-- reverse: create index "decision_meeting_id" to table: "decisions"
DROP INDEX `decision_meeting_id`;
-- reverse: create index "decision_note_id_block_id" to table: "decisions"
DROP INDEX `decision_note_id_block_id`;
-- reverse: create index "decision_owner_id" to table: "decisions"
DROP INDEX `decision_owner_id`;
-- reverse: create "decisions" table
DROP TABLE `decisions`;
-- reverse: create index "connection_next_sync_at" to table: "connections"
DROP INDEX `connection_next_sync_at`;
-- reverse: create index "connection_owner_id" to table: "connections"
DROP INDEX `connection_owner_id`;
-- reverse: create "connections" table
DROP TABLE `connections`;
-- reverse: create index "calendar_connection_id_provider_id" to table: "calendars"
DROP INDEX `calendar_connection_id_provider_id`;
-- reverse: create index "calendar_owner_id" to table: "calendars"
DROP INDEX `calendar_owner_id`;
-- reverse: create "calendars" table
DROP TABLE `calendars`;
-- reverse: create index "attendance_person_id" to table: "attendances"
DROP INDEX `attendance_person_id`;
-- reverse: create index "attendance_meeting_id_person_id" to table: "attendances"
DROP INDEX `attendance_meeting_id_person_id`;
-- reverse: create index "attendance_owner_id" to table: "attendances"
DROP INDEX `attendance_owner_id`;
-- reverse: create "attendances" table
DROP TABLE `attendances`;
-- reverse: create index "actionitem_assignee_id" to table: "action_items"
DROP INDEX `actionitem_assignee_id`;
-- reverse: create index "actionitem_owner_id_status_due_at" to table: "action_items"
DROP INDEX `actionitem_owner_id_status_due_at`;
-- reverse: create index "actionitem_meeting_id" to table: "action_items"
DROP INDEX `actionitem_meeting_id`;
-- reverse: create index "actionitem_note_id_block_id" to table: "action_items"
DROP INDEX `actionitem_note_id_block_id`;
-- reverse: create index "actionitem_owner_id" to table: "action_items"
DROP INDEX `actionitem_owner_id`;
-- reverse: create "action_items" table
DROP TABLE `action_items`;
-- reverse: create index "apitoken_owner_id" to table: "api_tokens"
DROP INDEX `apitoken_owner_id`;
-- reverse: create index "api_tokens_token_hash_key" to table: "api_tokens"
DROP INDEX `api_tokens_token_hash_key`;
-- reverse: create "api_tokens" table
DROP TABLE `api_tokens`;
