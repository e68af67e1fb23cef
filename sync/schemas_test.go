package sync_test

import (
	googlestore "github.com/oneonone/oneonone/calendars/google/store"
	mailstore "github.com/oneonone/oneonone/mailer/store"
	prepstore "github.com/oneonone/oneonone/prep/store"
	"github.com/oneonone/oneonone/sync/db"
)

// The other owners' tables, as the daemon migrates them beside sync's.
var (
	mailerSchema = db.Schema{Owner: mailstore.MigrationsOwner, FS: mailstore.Migrations, Dir: "migrations"}
	prepSchema   = db.Schema{Owner: prepstore.MigrationsOwner, FS: prepstore.Migrations, Dir: "migrations"}
	googleSchema = googlestore.Schema
)
