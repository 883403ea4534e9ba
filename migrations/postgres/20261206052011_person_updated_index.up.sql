-- create index "person_owner_id_updated_at" to table: "persons"
CREATE INDEX "person_owner_id_updated_at" ON "persons" ("owner_id", "updated_at");
