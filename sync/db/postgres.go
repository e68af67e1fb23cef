package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// OpenPostgres connects to the PostgreSQL database at dsn (a postgres://
// URL) through pgx, then migrates every schema. Statements keep their '?'
// placeholders: the connection rebinds them.
func OpenPostgres(ctx context.Context, dsn string, schemas ...Schema) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("db: postgresql url %s: %w", Redact(dsn), err)
	}
	d := sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)})
	if err := d.PingContext(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("db: connect to %s: %w", Redact(dsn), err)
	}
	if err := Migrate(ctx, d, schemas...); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Redact returns a database URL without its password, for messages.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		if i := strings.LastIndex(dsn, "@"); i >= 0 {
			return "…" + dsn[i:]
		}
		return dsn
	}
	return u.Redacted()
}

// pgConnector hands out pgx connections that rebind '?' placeholders.
type pgConnector struct{ inner driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	pc, ok := conn.(*stdlib.Conn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("db: unexpected pgx connection type %T", conn)
	}
	return &pgConn{Conn: pc}, nil
}

func (c pgConnector) Driver() driver.Driver { return pgDriver{} }

// pgDriver marks a *sql.DB as PostgreSQL (see DialectOf). Connections
// come from pgConnector only.
type pgDriver struct{}

func (pgDriver) Open(string) (driver.Conn, error) {
	return nil, errors.New("db: open PostgreSQL with db.OpenPostgres")
}

// pgConn is pgx's database/sql connection with every statement rebound;
// the other methods (transactions, ping, session reset) are pgx's own.
type pgConn struct{ *stdlib.Conn }

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(Rebind(query))
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, Rebind(query))
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, Rebind(query), args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, Rebind(query), args)
}
