// Package store keeps the mailer's tables: the SQL of the outbox and its
// send log, and the migrations that create them. Package mailer declares
// the interfaces it needs; this package implements them.
package store

import "embed"

// Migrations are the mailer's numbered migrations, under migrations/. The
// daemon applies them with the schema helper as owner MigrationsOwner.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// MigrationsOwner keys the mailer's rows in schema_migrations; it never
// changes, or existing databases would apply their migrations again.
const MigrationsOwner = "mailer"
