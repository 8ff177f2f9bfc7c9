-- Version 3: gift-pack templates, baskets in sales, buyers and gift-pack invoices.

CREATE TABLE gift_packs (
    id         INTEGER PRIMARY KEY,
    sku        TEXT NOT NULL UNIQUE CHECK (sku <> ''),
    barcode    TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL CHECK (name <> ''),
    -- 'fixed': the pack sells at `amount`; 'less': at its components' sum less `amount`.
    pricing    TEXT NOT NULL CHECK (pricing IN ('fixed', 'less')),
    amount     INTEGER NOT NULL CHECK (amount >= 0),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE gift_pack_items (
    pack_id        INTEGER NOT NULL REFERENCES gift_packs(id),
    -- The order the contents are listed in.
    position       INTEGER NOT NULL,
    product_id     INTEGER NOT NULL REFERENCES products(id),
    quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
    PRIMARY KEY (pack_id, position),
    UNIQUE (pack_id, product_id)
) STRICT, WITHOUT ROWID;

-- The basket a sale line's product was part of, and the baskets as sold.
ALTER TABLE sale_lines ADD COLUMN basket_no INTEGER;

CREATE TABLE sale_baskets (
    sale_id          INTEGER NOT NULL REFERENCES sales(id),
    basket_no        INTEGER NOT NULL,
    name             TEXT NOT NULL,
    sku              TEXT NOT NULL,
    count_milli      INTEGER NOT NULL CHECK (count_milli > 0),
    unit_price       INTEGER NOT NULL,
    components_value INTEGER NOT NULL,
    gross            INTEGER NOT NULL,
    discount         INTEGER NOT NULL,
    total            INTEGER NOT NULL,
    PRIMARY KEY (sale_id, basket_no)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER sale_baskets_no_update BEFORE UPDATE ON sale_baskets BEGIN SELECT RAISE(ABORT, 'sale baskets are append-only'); END;
CREATE TRIGGER sale_baskets_no_delete BEFORE DELETE ON sale_baskets BEGIN SELECT RAISE(ABORT, 'sale baskets are append-only'); END;

CREATE TABLE buyers (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL CHECK (name <> ''),
    tax_code   TEXT NOT NULL UNIQUE,
    address    TEXT NOT NULL,
    email      TEXT NOT NULL DEFAULT '',
    contact    TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;

-- An issued invoice is never edited: a cancellation is its own record, and a replacement is a
-- new invoice that points at the one it replaces.
CREATE TABLE invoices (
    id              INTEGER PRIMARY KEY,
    template_symbol TEXT NOT NULL,
    symbol          TEXT NOT NULL,
    number          INTEGER NOT NULL CHECK (number BETWEEN 1 AND 99999999),
    year            INTEGER NOT NULL,
    issued_at       TEXT NOT NULL,
    sale_id         INTEGER NOT NULL REFERENCES sales(id),
    buyer_id        INTEGER NOT NULL REFERENCES buyers(id),
    -- The buyer as printed, whatever the buyer's record says later.
    buyer_json      TEXT NOT NULL,
    payment_methods TEXT NOT NULL,
    issued_by       TEXT NOT NULL,
    replaces_id     INTEGER REFERENCES invoices(id),
    UNIQUE (year, number)
) STRICT;
CREATE INDEX invoices_sale ON invoices(sale_id);

CREATE TABLE invoice_lines (
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    line_no    INTEGER NOT NULL,
    name       TEXT NOT NULL,
    unit       TEXT NOT NULL,
    quantity   TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    vat_rate   TEXT NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE invoice_vat (
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    rate       TEXT NOT NULL,
    gross      INTEGER NOT NULL,
    pre_vat    INTEGER NOT NULL,
    vat        INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, rate)
) STRICT, WITHOUT ROWID;

CREATE TABLE invoice_cancellations (
    invoice_id   INTEGER PRIMARY KEY REFERENCES invoices(id),
    cancelled_at TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (reason <> ''),
    cancelled_by TEXT NOT NULL
) STRICT;

CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited'); END;
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices BEGIN SELECT RAISE(ABORT, 'an issued invoice is never deleted'); END;
CREATE TRIGGER invoice_lines_no_update BEFORE UPDATE ON invoice_lines BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited'); END;
CREATE TRIGGER invoice_lines_no_delete BEFORE DELETE ON invoice_lines BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited'); END;
CREATE TRIGGER invoice_vat_no_update BEFORE UPDATE ON invoice_vat BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited'); END;
CREATE TRIGGER invoice_vat_no_delete BEFORE DELETE ON invoice_vat BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited'); END;
CREATE TRIGGER invoice_cancellations_no_update BEFORE UPDATE ON invoice_cancellations BEGIN SELECT RAISE(ABORT, 'a cancellation is never edited'); END;
CREATE TRIGGER invoice_cancellations_no_delete BEFORE DELETE ON invoice_cancellations BEGIN SELECT RAISE(ABORT, 'a cancellation is never deleted'); END;
