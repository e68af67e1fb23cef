package prep

import (
	"database/sql"

	"github.com/oneonone/oneonone/prep/store"
)

// reads is what prep reads of its store, on the database or inside a
// transaction. Reads that need no write lock run on the database: it
// opens every transaction IMMEDIATE, so a GET of the form reads without a
// transaction instead of queueing behind writers.
type reads interface {
	requestReads
	answerReads
	followReads
	pairLinkReads
	agendaReads
}

// dbStore is prep's store on the database: reads, writes that are one
// statement, the agenda queue and the one-time steps.
type dbStore interface {
	reads
	agendaQueue
	followWrites
	sealSteps
}

// txStore is prep's store inside the caller's transaction, which the
// outbox and the engine's rekeying join.
type txStore interface {
	reads
	requestWrites
	answerWrites
	followInserts
	pairLinkWrites
	rekeyWrites
	agendaWrites
}

// onDB returns prep's store on d.
func onDB(d *sql.DB) dbStore { return store.New(d) }

// inTx returns prep's store inside tx.
func inTx(tx *sql.Tx) txStore { return store.In(tx) }
