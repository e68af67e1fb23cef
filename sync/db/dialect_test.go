package db

import "testing"

func TestRebindNumbersPlaceholdersOutsideLiterals(t *testing.T) {
	for in, want := range map[string]string{
		`SELECT 1`: `SELECT 1`,
		`SELECT a FROM t WHERE a = ? AND b IN (?, ?)`:     `SELECT a FROM t WHERE a = $1 AND b IN ($2, $3)`,
		`SELECT '?', "q?" FROM t WHERE x = ?`:             `SELECT '?', "q?" FROM t WHERE x = $1`,
		`SELECT 'it''s ?' WHERE x = ?`:                    `SELECT 'it''s ?' WHERE x = $1`,
		"SELECT x -- why?\nFROM t WHERE y = ?":            "SELECT x -- why?\nFROM t WHERE y = $1",
		`SELECT /* a ? b */ x FROM t WHERE y = ?`:         `SELECT /* a ? b */ x FROM t WHERE y = $1`,
		`INSERT INTO t (a, b) VALUES (?, ?) RETURNING id`: `INSERT INTO t (a, b) VALUES ($1, $2) RETURNING id`,
		`INSERT INTO t VALUES (?1, 'x'), (?1, ?2)`:        `INSERT INTO t VALUES ($1, 'x'), ($1, $2)`,
	} {
		if got := Rebind(in); got != want {
			t.Errorf("Rebind(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactHidesThePassword(t *testing.T) {
	got := Redact("postgres://one:s3cret@db.example.com:5432/oneonone?sslmode=require")
	if got != "postgres://one:xxxxx@db.example.com:5432/oneonone?sslmode=require" {
		t.Fatalf("Redact = %q", got)
	}
}
