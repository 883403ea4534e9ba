-- modify "idempotency_keys" table
ALTER TABLE "idempotency_keys" ADD COLUMN "resource" character varying NULL;
