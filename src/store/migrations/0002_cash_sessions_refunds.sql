-- Version 2: cash sessions (shifts) with cash moves and Z-reports, refunds, voids.

CREATE TABLE cash_sessions (
    id            INTEGER PRIMARY KEY,
    opened_at     TEXT NOT NULL,
    opened_by     TEXT NOT NULL,
    opening_float INTEGER NOT NULL CHECK (opening_float >= 0),
    closed_at     TEXT,
    closed_by     TEXT,
    z_number      TEXT UNIQUE,
    expected_cash INTEGER,
    counted_cash  INTEGER,
    -- The count by note, as JSON {"500000": 3, …}.
    note_counts   TEXT,
    close_note    TEXT
) STRICT;
-- At most one session is open at a time.
CREATE UNIQUE INDEX cash_sessions_one_open ON cash_sessions ((closed_at IS NULL)) WHERE closed_at IS NULL;
CREATE TRIGGER cash_sessions_frozen BEFORE UPDATE ON cash_sessions WHEN OLD.closed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed cash session is frozen'); END;
CREATE TRIGGER cash_sessions_no_delete BEFORE DELETE ON cash_sessions
BEGIN SELECT RAISE(ABORT, 'cash sessions are append-only'); END;

CREATE TABLE cash_movements (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES cash_sessions(id),
    kind       TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    reason     TEXT NOT NULL CHECK (reason <> ''),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
) STRICT;
CREATE INDEX cash_movements_session ON cash_movements(session_id);
CREATE TRIGGER cash_movements_open_session BEFORE INSERT ON cash_movements
WHEN (SELECT closed_at FROM cash_sessions WHERE id = NEW.session_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the cash session is closed'); END;
CREATE TRIGGER cash_movements_no_update BEFORE UPDATE ON cash_movements BEGIN SELECT RAISE(ABORT, 'cash movements are append-only'); END;
CREATE TRIGGER cash_movements_no_delete BEFORE DELETE ON cash_movements BEGIN SELECT RAISE(ABORT, 'cash movements are append-only'); END;

-- The session a sale's cash went into (none for sales made before sessions existed).
ALTER TABLE sales ADD COLUMN session_id INTEGER REFERENCES cash_sessions(id);
CREATE INDEX sales_session ON sales(session_id);

-- A refund is its own numbered document pointing at the sale.
CREATE TABLE refunds (
    id          INTEGER PRIMARY KEY,
    refund_no   TEXT NOT NULL UNIQUE,
    sale_id     INTEGER NOT NULL REFERENCES sales(id),
    refunded_at TEXT NOT NULL,
    local_date  TEXT NOT NULL,
    cashier     TEXT NOT NULL,
    method      TEXT NOT NULL CHECK (method IN ('cash', 'transfer', 'card')),
    total       INTEGER NOT NULL CHECK (total > 0),
    restock     INTEGER NOT NULL CHECK (restock IN (0, 1)),
    reason      TEXT NOT NULL DEFAULT '',
    session_id  INTEGER REFERENCES cash_sessions(id)
) STRICT;
CREATE INDEX refunds_local_date ON refunds(local_date);
CREATE INDEX refunds_sale ON refunds(sale_id);
CREATE INDEX refunds_session ON refunds(session_id);

CREATE TABLE refund_lines (
    refund_id      INTEGER NOT NULL REFERENCES refunds(id),
    -- The sale line given back.
    line_no        INTEGER NOT NULL,
    quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
    amount         INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (refund_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE refund_vat (
    refund_id INTEGER NOT NULL REFERENCES refunds(id),
    rate      TEXT NOT NULL,
    gross     INTEGER NOT NULL,
    pre_vat   INTEGER NOT NULL,
    vat       INTEGER NOT NULL,
    PRIMARY KEY (refund_id, rate)
) STRICT, WITHOUT ROWID;

ALTER TABLE stock_movements ADD COLUMN refund_id INTEGER REFERENCES refunds(id);

CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds BEGIN SELECT RAISE(ABORT, 'refunds are append-only'); END;
CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds BEGIN SELECT RAISE(ABORT, 'refunds are append-only'); END;
CREATE TRIGGER refund_lines_no_update BEFORE UPDATE ON refund_lines BEGIN SELECT RAISE(ABORT, 'refund lines are append-only'); END;
CREATE TRIGGER refund_lines_no_delete BEFORE DELETE ON refund_lines BEGIN SELECT RAISE(ABORT, 'refund lines are append-only'); END;

-- Lines removed after they were rung up and carts cleared: counted on the Z-report.
CREATE TABLE voids (
    id          INTEGER PRIMARY KEY,
    voided_at   TEXT NOT NULL,
    local_date  TEXT NOT NULL,
    cashier     TEXT NOT NULL,
    session_id  INTEGER REFERENCES cash_sessions(id),
    kind        TEXT NOT NULL CHECK (kind IN ('line', 'cart')),
    description TEXT NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount >= 0)
) STRICT;
CREATE INDEX voids_session ON voids(session_id);
CREATE TRIGGER voids_no_update BEFORE UPDATE ON voids BEGIN SELECT RAISE(ABORT, 'voids are append-only'); END;
CREATE TRIGGER voids_no_delete BEFORE DELETE ON voids BEGIN SELECT RAISE(ABORT, 'voids are append-only'); END;
