-- reverse: add column "resource" to table: "idempotency_keys"
ALTER TABLE `idempotency_keys` DROP COLUMN `resource`;
