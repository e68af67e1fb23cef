-- 0002_expiry_and_sends.sql on PostgreSQL, which changes the CHECK
-- constraint in place instead of rebuilding the table.
ALTER TABLE mailer_outbox DROP CONSTRAINT mailer_outbox_state;
ALTER TABLE mailer_outbox ADD CONSTRAINT mailer_outbox_state
    CHECK (state IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'expired'));
ALTER TABLE mailer_outbox ADD COLUMN expires_at TEXT;
CREATE INDEX mailer_outbox_updated ON mailer_outbox (state, updated_at);

CREATE TABLE mailer_sends (
    outbox_id BIGINT NOT NULL,
    rcpt      TEXT   NOT NULL,
    sent_at   TEXT   NOT NULL
);
CREATE INDEX mailer_sends_rcpt ON mailer_sends (rcpt, sent_at);
CREATE INDEX mailer_sends_at ON mailer_sends (sent_at);
