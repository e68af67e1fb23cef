-- Several instances may share the outbox: a message being sent names the
-- instance that claimed it and until when. A stopped instance's messages
-- go back to the queue when it starts again; those of one that never
-- comes back, once the claim expires (see Outbox.Recover).
ALTER TABLE mailer_outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE mailer_outbox ADD COLUMN claim_expires TEXT NOT NULL DEFAULT '';
