-- reverse: create index "person_owner_id_updated_at" to table: "persons"
DROP INDEX "person_owner_id_updated_at";
