-- The two people of a series with their display names (JSON array of
-- {"email","name"}), for mails and the prep form.
ALTER TABLE series ADD COLUMN people TEXT NOT NULL DEFAULT '[]';
