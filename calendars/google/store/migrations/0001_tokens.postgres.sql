-- 0001_tokens.sql on PostgreSQL: the sealed token is BYTEA.
CREATE TABLE google_tokens (
    account    TEXT  NOT NULL PRIMARY KEY,
    sealed     BYTEA NOT NULL,
    key_id     TEXT  NOT NULL,
    updated_at TEXT  NOT NULL
);
