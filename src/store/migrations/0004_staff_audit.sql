-- Version 4: staff with PINs (argon2 hashes only) and the append-only audit log.

CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE CHECK (name <> ''),
    role            TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
    -- The PIN as a salted argon2 hash (PHC string); the PIN itself is never stored.
    pin_hash        TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    wrong_pins      INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    local_date TEXT NOT NULL,
    actor      TEXT NOT NULL,
    approver   TEXT,
    act        TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    before     TEXT NOT NULL DEFAULT '',
    after      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_local_date ON audit_log(local_date);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
