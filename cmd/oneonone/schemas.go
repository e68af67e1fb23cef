package main

import (
	caldavstore "github.com/oneonone/oneonone/calendars/caldav/store"
	googlestore "github.com/oneonone/oneonone/calendars/google/store"
	microsoft365store "github.com/oneonone/oneonone/calendars/microsoft365/store"
	mailstore "github.com/oneonone/oneonone/mailer/store"
	prepstore "github.com/oneonone/oneonone/prep/store"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
)

// The owners' migrations, as the schema helper applies them. Each owner
// exports its migrations; only the daemon, which opens the database,
// knows the schema helper.
var (
	mailerSchema = db.Schema{Owner: mailstore.MigrationsOwner, FS: mailstore.Migrations, Dir: "migrations"}
	prepSchema   = db.Schema{Owner: prepstore.MigrationsOwner, FS: prepstore.Migrations, Dir: "migrations"}
)

// schemas are every owner's tables, in the order they are migrated.
func schemas() []db.Schema {
	return []db.Schema{sync.Schema, mailerSchema, prepSchema, googlestore.Schema, caldavstore.Schema, microsoft365store.Schema}
}
