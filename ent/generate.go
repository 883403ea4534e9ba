// Package ent is the generated ent client for the schemas in ./schema.
package ent

//go:generate go tool ent generate --feature sql/versioned-migration,sql/upsert,sql/execquery,sql/lock,intercept ./schema
