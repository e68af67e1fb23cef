-- The pair page links: one per person per pair of people, for the page
-- with the pair's record (timeline, past agendas, charts, exports). As
-- with prep_requests, the token itself is stored nowhere: it is made from
-- token_seed under the link key, and only its SHA-256 is kept. Rotating a
-- link replaces seed and hash, so the old link stops working at once.
--
-- Numbered 0005 to leave 0002–0004 to other changes of prep's tables made
-- at the same time; versions are applied in order and gaps are allowed.
CREATE TABLE prep_pair_links (
    pair_a     TEXT NOT NULL,                   -- the two lowercased addresses, pair_a < pair_b
    pair_b     TEXT NOT NULL,
    email      TEXT NOT NULL,                   -- whose link: pair_a or pair_b
    token_seed TEXT NOT NULL,                   -- 256 random bits, hex
    token_hash TEXT NOT NULL UNIQUE,            -- SHA-256 of the token, hex
    created_at TEXT NOT NULL,
    rotated_at TEXT,
    PRIMARY KEY (pair_a, pair_b, email)
);
