-- create "users" table
CREATE TABLE "users" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "email" character varying NOT NULL, "name" character varying NOT NULL DEFAULT '', "time_zone" character varying NOT NULL DEFAULT 'UTC', "password_hash" character varying NULL, PRIMARY KEY ("id"));
-- create index "users_email_key" to table: "users"
CREATE UNIQUE INDEX "users_email_key" ON "users" ("email");
-- create "connections" table
CREATE TABLE "connections" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "provider" character varying NOT NULL, "name" character varying NOT NULL DEFAULT '', "feed_url" character varying NULL, "oauth_token" bytea NULL, "sync_token" character varying NULL, "etag" character varying NULL, "last_modified" character varying NULL, "status" character varying NOT NULL DEFAULT 'active', "last_error" character varying NULL, "last_synced_at" timestamptz NULL, "next_sync_at" timestamptz NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "connections_users_connections" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "connection_next_sync_at" to table: "connections"
CREATE INDEX "connection_next_sync_at" ON "connections" ("next_sync_at");
-- create index "connection_owner_id" to table: "connections"
CREATE INDEX "connection_owner_id" ON "connections" ("owner_id");
-- create "calendars" table
CREATE TABLE "calendars" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "provider_id" character varying NOT NULL, "name" character varying NOT NULL DEFAULT '', "time_zone" character varying NOT NULL DEFAULT '', "selected" boolean NOT NULL DEFAULT true, "connection_id" character varying NOT NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "calendars_connections_calendars" FOREIGN KEY ("connection_id") REFERENCES "connections" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "calendars_users_calendars" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "calendar_connection_id_provider_id" to table: "calendars"
CREATE UNIQUE INDEX "calendar_connection_id_provider_id" ON "calendars" ("connection_id", "provider_id");
-- create index "calendar_owner_id" to table: "calendars"
CREATE INDEX "calendar_owner_id" ON "calendars" ("owner_id");
-- create "series" table
CREATE TABLE "series" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "provider_key" character varying NULL, "title" character varying NOT NULL DEFAULT '', "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "series_users_series" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "series_owner_id" to table: "series"
CREATE INDEX "series_owner_id" ON "series" ("owner_id");
-- create index "series_owner_id_provider_key" to table: "series"
CREATE UNIQUE INDEX "series_owner_id_provider_key" ON "series" ("owner_id", "provider_key");
-- create "meetings" table
CREATE TABLE "meetings" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "title" character varying NOT NULL DEFAULT '', "description" text NOT NULL DEFAULT '', "location" character varying NOT NULL DEFAULT '', "video_url" character varying NOT NULL DEFAULT '', "starts_at" timestamptz NOT NULL, "ends_at" timestamptz NOT NULL, "time_zone" character varying NOT NULL DEFAULT 'UTC', "all_day" boolean NOT NULL DEFAULT false, "status" character varying NOT NULL DEFAULT 'confirmed', "ical_uid" character varying NULL, "original_start" timestamptz NULL, "calendar_id" character varying NULL, "series_id" character varying NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "meetings_calendars_meetings" FOREIGN KEY ("calendar_id") REFERENCES "calendars" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "meetings_series_meetings" FOREIGN KEY ("series_id") REFERENCES "series" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "meetings_users_meetings" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "meeting_owner_id" to table: "meetings"
CREATE INDEX "meeting_owner_id" ON "meetings" ("owner_id");
-- create index "meeting_owner_id_ical_uid_original_start" to table: "meetings"
CREATE UNIQUE INDEX "meeting_owner_id_ical_uid_original_start" ON "meetings" ("owner_id", "ical_uid", "original_start");
-- create index "meeting_owner_id_starts_at" to table: "meetings"
CREATE INDEX "meeting_owner_id_starts_at" ON "meetings" ("owner_id", "starts_at");
-- create index "meeting_series_id_starts_at" to table: "meetings"
CREATE INDEX "meeting_series_id_starts_at" ON "meetings" ("series_id", "starts_at");
-- create "organizations" table
CREATE TABLE "organizations" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "domain" character varying NOT NULL, "name" character varying NOT NULL DEFAULT '', "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "organizations_users_organizations" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "organization_owner_id" to table: "organizations"
CREATE INDEX "organization_owner_id" ON "organizations" ("owner_id");
-- create index "organization_owner_id_domain" to table: "organizations"
CREATE UNIQUE INDEX "organization_owner_id_domain" ON "organizations" ("owner_id", "domain");
-- create "persons" table
CREATE TABLE "persons" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL DEFAULT '', "email" character varying NOT NULL, "emails" jsonb NULL, "organization_id" character varying NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "persons_organizations_people" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "persons_users_people" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "person_owner_id" to table: "persons"
CREATE INDEX "person_owner_id" ON "persons" ("owner_id");
-- create index "person_owner_id_email" to table: "persons"
CREATE UNIQUE INDEX "person_owner_id_email" ON "persons" ("owner_id", "email");
-- create "notes" table
CREATE TABLE "notes" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "body" text NOT NULL DEFAULT '', "version" bigint NOT NULL DEFAULT 1, "meeting_id" character varying NULL, "person_id" character varying NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "notes_meetings_note" FOREIGN KEY ("meeting_id") REFERENCES "meetings" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "notes_persons_note" FOREIGN KEY ("person_id") REFERENCES "persons" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "notes_users_notes" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "note_owner_id" to table: "notes"
CREATE INDEX "note_owner_id" ON "notes" ("owner_id");
-- create index "notes_meeting_id_key" to table: "notes"
CREATE UNIQUE INDEX "notes_meeting_id_key" ON "notes" ("meeting_id");
-- create index "notes_person_id_key" to table: "notes"
CREATE UNIQUE INDEX "notes_person_id_key" ON "notes" ("person_id");
-- create "action_items" table
CREATE TABLE "action_items" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "title" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'open', "due_at" timestamptz NULL, "completed_at" timestamptz NULL, "block_id" character varying NULL, "meeting_id" character varying NULL, "note_id" character varying NULL, "assignee_id" character varying NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "action_items_meetings_action_items" FOREIGN KEY ("meeting_id") REFERENCES "meetings" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "action_items_notes_action_items" FOREIGN KEY ("note_id") REFERENCES "notes" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "action_items_persons_assigned_items" FOREIGN KEY ("assignee_id") REFERENCES "persons" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "action_items_users_action_items" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "actionitem_assignee_id" to table: "action_items"
CREATE INDEX "actionitem_assignee_id" ON "action_items" ("assignee_id");
-- create index "actionitem_meeting_id" to table: "action_items"
CREATE INDEX "actionitem_meeting_id" ON "action_items" ("meeting_id");
-- create index "actionitem_note_id_block_id" to table: "action_items"
CREATE UNIQUE INDEX "actionitem_note_id_block_id" ON "action_items" ("note_id", "block_id");
-- create index "actionitem_owner_id" to table: "action_items"
CREATE INDEX "actionitem_owner_id" ON "action_items" ("owner_id");
-- create index "actionitem_owner_id_status_due_at" to table: "action_items"
CREATE INDEX "actionitem_owner_id_status_due_at" ON "action_items" ("owner_id", "status", "due_at");
-- create "api_tokens" table
CREATE TABLE "api_tokens" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "token_hash" character varying NOT NULL, "last_used_at" timestamptz NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "api_tokens_users_api_tokens" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "api_tokens_token_hash_key" to table: "api_tokens"
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens" ("token_hash");
-- create index "apitoken_owner_id" to table: "api_tokens"
CREATE INDEX "apitoken_owner_id" ON "api_tokens" ("owner_id");
-- create "attendances" table
CREATE TABLE "attendances" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "response_status" character varying NOT NULL DEFAULT 'needs_action', "organizer" boolean NOT NULL DEFAULT false, "optional" boolean NOT NULL DEFAULT false, "meeting_id" character varying NOT NULL, "person_id" character varying NOT NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "attendances_meetings_meeting" FOREIGN KEY ("meeting_id") REFERENCES "meetings" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "attendances_persons_person" FOREIGN KEY ("person_id") REFERENCES "persons" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "attendances_users_attendances" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "attendance_meeting_id_person_id" to table: "attendances"
CREATE UNIQUE INDEX "attendance_meeting_id_person_id" ON "attendances" ("meeting_id", "person_id");
-- create index "attendance_owner_id" to table: "attendances"
CREATE INDEX "attendance_owner_id" ON "attendances" ("owner_id");
-- create index "attendance_person_id" to table: "attendances"
CREATE INDEX "attendance_person_id" ON "attendances" ("person_id");
-- create "decisions" table
CREATE TABLE "decisions" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "text" character varying NOT NULL, "decided_at" timestamptz NOT NULL, "block_id" character varying NULL, "superseded_by_id" character varying NULL, "meeting_id" character varying NULL, "note_id" character varying NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "decisions_decisions_supersedes" FOREIGN KEY ("superseded_by_id") REFERENCES "decisions" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "decisions_meetings_decisions" FOREIGN KEY ("meeting_id") REFERENCES "meetings" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "decisions_notes_decisions" FOREIGN KEY ("note_id") REFERENCES "notes" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "decisions_users_decisions" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "decision_meeting_id" to table: "decisions"
CREATE INDEX "decision_meeting_id" ON "decisions" ("meeting_id");
-- create index "decision_note_id_block_id" to table: "decisions"
CREATE UNIQUE INDEX "decision_note_id_block_id" ON "decisions" ("note_id", "block_id");
-- create index "decision_owner_id" to table: "decisions"
CREATE INDEX "decision_owner_id" ON "decisions" ("owner_id");
-- create index "decision_owner_id_decided_at" to table: "decisions"
CREATE INDEX "decision_owner_id_decided_at" ON "decisions" ("owner_id", "decided_at");
-- create "decision_people" table
CREATE TABLE "decision_people" ("decision_id" character varying NOT NULL, "person_id" character varying NOT NULL, PRIMARY KEY ("decision_id", "person_id"), CONSTRAINT "decision_people_decision_id" FOREIGN KEY ("decision_id") REFERENCES "decisions" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "decision_people_person_id" FOREIGN KEY ("person_id") REFERENCES "persons" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create "idempotency_keys" table
CREATE TABLE "idempotency_keys" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "key" character varying NOT NULL, "request_hash" character varying NOT NULL, "status_code" bigint NOT NULL DEFAULT 0, "content_type" character varying NOT NULL DEFAULT '', "response_body" bytea NULL, "completed" boolean NOT NULL DEFAULT false, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "idempotency_keys_users_idempotency_keys" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "idempotencykey_owner_id" to table: "idempotency_keys"
CREATE INDEX "idempotencykey_owner_id" ON "idempotency_keys" ("owner_id");
-- create index "idempotencykey_owner_id_key" to table: "idempotency_keys"
CREATE UNIQUE INDEX "idempotencykey_owner_id_key" ON "idempotency_keys" ("owner_id", "key");
-- create "notifications" table
CREATE TABLE "notifications" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "kind" character varying NOT NULL, "channel" character varying NOT NULL, "subject" character varying NOT NULL DEFAULT '', "body" text NOT NULL DEFAULT '', "dedupe_key" character varying NOT NULL, "scheduled_at" timestamptz NOT NULL, "sent_at" timestamptz NULL, "read_at" timestamptz NULL, "status" character varying NOT NULL DEFAULT 'pending', "last_error" character varying NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "notifications_users_notifications" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "notification_owner_id" to table: "notifications"
CREATE INDEX "notification_owner_id" ON "notifications" ("owner_id");
-- create index "notification_owner_id_dedupe_key" to table: "notifications"
CREATE UNIQUE INDEX "notification_owner_id_dedupe_key" ON "notifications" ("owner_id", "dedupe_key");
-- create index "notification_status_scheduled_at" to table: "notifications"
CREATE INDEX "notification_status_scheduled_at" ON "notifications" ("status", "scheduled_at");
-- create "person_emails" table
CREATE TABLE "person_emails" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "email" character varying NOT NULL, "person_id" character varying NOT NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "person_emails_persons_addresses" FOREIGN KEY ("person_id") REFERENCES "persons" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "person_emails_users_person_emails" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "personemail_owner_id" to table: "person_emails"
CREATE INDEX "personemail_owner_id" ON "person_emails" ("owner_id");
-- create index "personemail_owner_id_email" to table: "person_emails"
CREATE UNIQUE INDEX "personemail_owner_id_email" ON "person_emails" ("owner_id", "email");
-- create "questions" table
CREATE TABLE "questions" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "text" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'open', "answered_at" timestamptz NULL, "block_id" character varying NULL, "meeting_id" character varying NULL, "note_id" character varying NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "questions_meetings_questions" FOREIGN KEY ("meeting_id") REFERENCES "meetings" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "questions_notes_questions" FOREIGN KEY ("note_id") REFERENCES "notes" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "questions_users_questions" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "question_meeting_id" to table: "questions"
CREATE INDEX "question_meeting_id" ON "questions" ("meeting_id");
-- create index "question_note_id_block_id" to table: "questions"
CREATE UNIQUE INDEX "question_note_id_block_id" ON "questions" ("note_id", "block_id");
-- create index "question_owner_id" to table: "questions"
CREATE INDEX "question_owner_id" ON "questions" ("owner_id");
-- create "sessions" table
CREATE TABLE "sessions" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "token_hash" character varying NOT NULL, "expires_at" timestamptz NOT NULL, "last_seen_at" timestamptz NULL, "user_agent" character varying NULL, "owner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "sessions_users_sessions" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- create index "session_owner_id" to table: "sessions"
CREATE INDEX "session_owner_id" ON "sessions" ("owner_id");
-- create index "sessions_token_hash_key" to table: "sessions"
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions" ("token_hash");
