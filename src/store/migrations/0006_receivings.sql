-- Version 6: the receiving note (phiếu nhập kho). A delivery posted from a producer gets a yearly
-- number; the note keeps the producer and each line's SKU, name and unit as printed, beside the
-- ledger rows that hold the quantities, costs, lots and expiry dates.

CREATE TABLE receivings (
    id                INTEGER PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,
    producer_id       INTEGER NOT NULL REFERENCES producers(id),
    producer_name     TEXT NOT NULL,
    producer_tax_code TEXT NOT NULL,
    delivery_note_no  TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL
) STRICT;

CREATE TABLE receiving_lines (
    receiving_id INTEGER NOT NULL REFERENCES receivings(id),
    line_no      INTEGER NOT NULL,
    movement_id  INTEGER NOT NULL UNIQUE REFERENCES stock_movements(id),
    sku          TEXT NOT NULL,
    name         TEXT NOT NULL,
    unit         TEXT NOT NULL,
    PRIMARY KEY (receiving_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER receivings_no_update BEFORE UPDATE ON receivings BEGIN SELECT RAISE(ABORT, 'receivings are append-only'); END;
CREATE TRIGGER receivings_no_delete BEFORE DELETE ON receivings BEGIN SELECT RAISE(ABORT, 'receivings are append-only'); END;
CREATE TRIGGER receiving_lines_no_update BEFORE UPDATE ON receiving_lines BEGIN SELECT RAISE(ABORT, 'receiving lines are append-only'); END;
CREATE TRIGGER receiving_lines_no_delete BEFORE DELETE ON receiving_lines BEGIN SELECT RAISE(ABORT, 'receiving lines are append-only'); END;
