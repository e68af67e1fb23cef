-- What the people of a meeting said about it afterwards. On a held event:
-- who confirmed it happened; on not_held and on a reported move: who said
-- so. Comma-separated lowercased emails, '' for what the calendar alone
-- showed.
ALTER TABLE history ADD COLUMN confirmed_by TEXT NOT NULL DEFAULT '';
