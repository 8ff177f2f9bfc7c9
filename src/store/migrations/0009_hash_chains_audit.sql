-- Version 9: hash chains over sales, refunds, invoices, cash moves, Z closes, audit rows and
-- cash-register e-invoices. Each record keeps its place in its kind's chain in its own row: its
-- position (1, 2, 3… per kind) and a SHA-256 hash over its canonical content and the previous record's hash
-- (src/core/chain.rs says what is hashed), written in the record's own transaction. Records
-- already in the store are chained when this migration runs (a Rust step after this SQL: SQLite
-- has no SHA-256).

ALTER TABLE sales ADD COLUMN chain_position INTEGER;
ALTER TABLE sales ADD COLUMN chain_hash BLOB;
ALTER TABLE refunds ADD COLUMN chain_position INTEGER;
ALTER TABLE refunds ADD COLUMN chain_hash BLOB;
ALTER TABLE invoices ADD COLUMN chain_position INTEGER;
ALTER TABLE invoices ADD COLUMN chain_hash BLOB;
ALTER TABLE cash_movements ADD COLUMN chain_position INTEGER;
ALTER TABLE cash_movements ADD COLUMN chain_hash BLOB;
ALTER TABLE cash_sessions ADD COLUMN chain_position INTEGER;
ALTER TABLE cash_sessions ADD COLUMN chain_hash BLOB;
ALTER TABLE audit_log ADD COLUMN chain_position INTEGER;
ALTER TABLE audit_log ADD COLUMN chain_hash BLOB;
ALTER TABLE einvoices ADD COLUMN chain_position INTEGER;
ALTER TABLE einvoices ADD COLUMN chain_hash BLOB;

-- A chained record is never updated; the one update allowed is the one that chains a record not
-- chained yet (in the transaction that writes it, or by this migration for older records).
DROP TRIGGER sales_no_update;
CREATE TRIGGER sales_no_update BEFORE UPDATE ON sales WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'sales are append-only'); END;
DROP TRIGGER refunds_no_update;
CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'refunds are append-only'); END;
DROP TRIGGER invoices_no_update;
CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited'); END;
DROP TRIGGER cash_movements_no_update;
CREATE TRIGGER cash_movements_no_update BEFORE UPDATE ON cash_movements WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'cash movements are append-only'); END;
DROP TRIGGER einvoices_no_update;
CREATE TRIGGER einvoices_no_update BEFORE UPDATE ON einvoices WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited'); END;
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
DROP TRIGGER cash_sessions_frozen;
CREATE TRIGGER cash_sessions_frozen BEFORE UPDATE ON cash_sessions
WHEN OLD.closed_at IS NOT NULL AND (OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL)
BEGIN SELECT RAISE(ABORT, 'a closed cash session is frozen'); END;

-- The head of every chain when a cash session closed, as its Z-report prints them. They are part
-- of the Z close's own content, and a later check compares them with the chains.
CREATE TABLE z_chain_heads (
    session_id INTEGER NOT NULL REFERENCES cash_sessions(id),
    kind       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    record_id  INTEGER NOT NULL,
    hash       BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (session_id, kind)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER z_chain_heads_no_update BEFORE UPDATE ON z_chain_heads BEGIN SELECT RAISE(ABORT, 'Z chain heads are append-only'); END;
CREATE TRIGGER z_chain_heads_no_delete BEFORE DELETE ON z_chain_heads BEGIN SELECT RAISE(ABORT, 'Z chain heads are append-only'); END;

-- How far each chain was last verified: the check at start reads only what came after.
CREATE TABLE chain_checkpoints (
    kind        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    record_id   INTEGER NOT NULL,
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
