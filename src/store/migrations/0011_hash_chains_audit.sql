-- Version 7 (migration 0011): hash chains over sales, refunds, invoices, cash moves, Z closes and
-- audit rows. Each record has one place in its kind's chain: position 1, 2, 3…, its id and a
-- SHA-256 hash over its canonical content and the previous place's hash (src/core/chain.rs says
-- what is hashed). A place is written in its record's own transaction. Records already in the
-- store are chained when this migration runs (a Rust step after this SQL: SQLite has no SHA-256).

CREATE TABLE chain_links (
    kind      TEXT NOT NULL,
    position  INTEGER NOT NULL CHECK (position >= 1),
    record_id INTEGER NOT NULL,
    hash      BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (kind, position)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER chain_links_no_update BEFORE UPDATE ON chain_links BEGIN SELECT RAISE(ABORT, 'chain links are append-only'); END;
CREATE TRIGGER chain_links_no_delete BEFORE DELETE ON chain_links BEGIN SELECT RAISE(ABORT, 'chain links are append-only'); END;

-- The head of every chain when a cash session closed, as its Z-report prints them. They are part
-- of the Z close's own content, and a later check compares them with the chains.
CREATE TABLE z_chain_heads (
    session_id INTEGER NOT NULL REFERENCES cash_sessions(id),
    kind       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    hash       BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (session_id, kind)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER z_chain_heads_no_update BEFORE UPDATE ON z_chain_heads BEGIN SELECT RAISE(ABORT, 'Z chain heads are append-only'); END;
CREATE TRIGGER z_chain_heads_no_delete BEFORE DELETE ON z_chain_heads BEGIN SELECT RAISE(ABORT, 'Z chain heads are append-only'); END;

-- How far each chain was last verified: the check at start reads only what came after.
CREATE TABLE chain_checkpoints (
    kind        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    hash        BLOB NOT NULL,
    verified_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Breaks the checks found. Selling stops while one is not acknowledged by a manager (an act of
-- the audit log); an acknowledged break is passed over by later checks, a new one stops again.
CREATE TABLE chain_breaks (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    position        INTEGER NOT NULL,
    record_id       INTEGER,
    number          TEXT,
    -- What is wrong, as JSON of core::chain::Fault.
    fault           TEXT NOT NULL,
    found_at        TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    UNIQUE (kind, fingerprint)
) STRICT;
CREATE TRIGGER chain_breaks_acknowledged_once BEFORE UPDATE ON chain_breaks WHEN OLD.acknowledged_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an acknowledged break is kept as it is'); END;
CREATE TRIGGER chain_breaks_no_delete BEFORE DELETE ON chain_breaks BEGIN SELECT RAISE(ABORT, 'chain breaks are kept'); END;
