-- add column "resource" to table: "idempotency_keys"
ALTER TABLE `idempotency_keys` ADD COLUMN `resource` text NULL;
