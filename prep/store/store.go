// Package store keeps prep's tables: the SQL of forms, answers, requests,
// links and follow-ups, and the migrations that create them. Package prep
// declares the interfaces it needs; this package implements them.
package store

import "embed"

// Migrations are prep's numbered migrations, under migrations/. The
// daemon applies them with the schema helper as owner MigrationsOwner.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// MigrationsOwner keys prep's rows in schema_migrations; it never changes,
// or existing databases would apply their migrations again.
const MigrationsOwner = "prep"
