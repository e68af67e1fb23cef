-- The Google adapter's table: the OAuth refresh tokens of users who
-- connected their account (`oneonone connect google` or /connect/google).
-- A token is never stored in clear: `sealed` is AES-256-GCM under the
-- secrets key (nonce, then ciphertext and tag), with the account as
-- additional data, so a sealed token cannot be moved to another row.

CREATE TABLE google_tokens (
    account    TEXT NOT NULL PRIMARY KEY,  -- the Google account's email, lower case
    sealed     BLOB NOT NULL,
    key_id     TEXT NOT NULL,              -- names the key that sealed it: tells a replaced key from a damaged row
    updated_at TEXT NOT NULL               -- UTC RFC 3339
);
