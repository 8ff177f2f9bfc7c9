-- OCOP POS: the whole schema (version 18). Applied to a new file; `PRAGMA user_version` records
-- the version. Older files are brought here by the numbered migrations in src/store/migrations/;
-- the parts below marked "Version 2" to "Version 18" are those migrations as they are.
-- Money is INTEGER đồng. Quantities are INTEGER thousandths of a unit (grams for kg), exact.
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SS.sssZ' (fixed width, so text order is time order).
-- Sales, their lines, payments and stock movements are append-only (see the triggers).
-- A sale's children are WITHOUT ROWID tables clustered by sale: fewer pages per commit.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE producers (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE CHECK (name <> ''),
    kind           TEXT NOT NULL CHECK (kind IN ('cooperative', 'household', 'facility', 'company', 'store')),
    area           TEXT NOT NULL DEFAULT '',
    province       TEXT NOT NULL DEFAULT 'An Giang',
    contact        TEXT NOT NULL DEFAULT '',
    tax_code       TEXT NOT NULL DEFAULT '',
    bank_account   TEXT NOT NULL DEFAULT '',
    consignment    INTEGER NOT NULL DEFAULT 0 CHECK (consignment IN (0, 1)),
    commission_pct TEXT NOT NULL DEFAULT '0'
) STRICT;

CREATE TABLE products (
    id             INTEGER PRIMARY KEY,
    sku            TEXT NOT NULL UNIQUE CHECK (sku <> ''),
    name           TEXT NOT NULL CHECK (name <> ''),
    producer_id    INTEGER NOT NULL REFERENCES producers(id),
    ocop_group     TEXT NOT NULL,
    ocop_stars     INTEGER CHECK (ocop_stars BETWEEN 3 AND 5),
    unit           TEXT NOT NULL CHECK (unit <> ''),
    sold_by_weight INTEGER NOT NULL DEFAULT 0 CHECK (sold_by_weight IN (0, 1)),
    -- Price-lookup number printed in scale labels (21ppppp… / 23ppppp…).
    plu            INTEGER UNIQUE,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Cache of SUM(stock_movements.quantity_milli), kept by a trigger; tests prove it equal.
    stock_milli    INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX products_producer ON products(producer_id);

-- Every barcode a product answers to: the maker's EAN-13 or an in-store one (prefix 20).
CREATE TABLE barcodes (
    code       TEXT PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products(id)
) STRICT, WITHOUT ROWID;
CREATE INDEX barcodes_product ON barcodes(product_id);

-- VAT-inclusive shelf prices, effective-dated: the row in force is the latest one not after now.
CREATE TABLE product_prices (
    product_id     INTEGER NOT NULL REFERENCES products(id),
    effective_from TEXT NOT NULL,
    price          INTEGER NOT NULL CHECK (price > 0),
    PRIMARY KEY (product_id, effective_from)
) STRICT, WITHOUT ROWID;

-- VAT rates, effective-dated the same way (8 % ends on 31 Dec 2026).
CREATE TABLE product_vat_rates (
    product_id     INTEGER NOT NULL REFERENCES products(id),
    effective_from TEXT NOT NULL,
    rate           TEXT NOT NULL CHECK (rate IN ('KCT', '0', '5', '8', '10')),
    PRIMARY KEY (product_id, effective_from)
) STRICT, WITHOUT ROWID;

CREATE TABLE sales (
    id           INTEGER PRIMARY KEY,
    receipt_no   TEXT NOT NULL UNIQUE,
    receipt_year INTEGER NOT NULL,
    receipt_seq  INTEGER NOT NULL,
    sold_at      TEXT NOT NULL,
    -- The shop's calendar day (Asia/Ho_Chi_Minh), for daily figures.
    local_date   TEXT NOT NULL,
    cashier      TEXT NOT NULL,
    gross        INTEGER NOT NULL,
    discounts    INTEGER NOT NULL,
    total        INTEGER NOT NULL CHECK (total >= 0),
    change_given INTEGER NOT NULL CHECK (change_given >= 0)
) STRICT;
CREATE INDEX sales_local_date ON sales(local_date);

CREATE TABLE sale_lines (
    sale_id        INTEGER NOT NULL REFERENCES sales(id),
    line_no        INTEGER NOT NULL,
    product_id     INTEGER NOT NULL REFERENCES products(id),
    sku            TEXT NOT NULL,
    name           TEXT NOT NULL,
    producer       TEXT NOT NULL,
    stars          INTEGER,
    unit           TEXT NOT NULL,
    quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
    unit_price     INTEGER NOT NULL,
    vat_rate       TEXT NOT NULL,
    gross          INTEGER NOT NULL,
    line_discount  INTEGER NOT NULL,
    order_discount INTEGER NOT NULL,
    total          INTEGER NOT NULL,
    PRIMARY KEY (sale_id, line_no)
) STRICT, WITHOUT ROWID;
CREATE INDEX sale_lines_product ON sale_lines(product_id);

-- The VAT split per rate exactly as printed on the receipt.
CREATE TABLE sale_vat (
    sale_id INTEGER NOT NULL REFERENCES sales(id),
    rate    TEXT NOT NULL,
    gross   INTEGER NOT NULL,
    pre_vat INTEGER NOT NULL,
    vat     INTEGER NOT NULL,
    PRIMARY KEY (sale_id, rate)
) STRICT, WITHOUT ROWID;

CREATE TABLE payments (
    sale_id   INTEGER NOT NULL REFERENCES sales(id),
    seq       INTEGER NOT NULL,
    method    TEXT NOT NULL CHECK (method IN ('cash', 'transfer', 'card')),
    amount    INTEGER NOT NULL CHECK (amount > 0),
    -- For transfers: the VietQR payload the customer scanned.
    reference TEXT,
    PRIMARY KEY (sale_id, seq)
) STRICT, WITHOUT ROWID;

-- The stock ledger: stock on hand is the sum of a product's movements.
CREATE TABLE stock_movements (
    id             INTEGER PRIMARY KEY,
    product_id     INTEGER NOT NULL REFERENCES products(id),
    kind           TEXT NOT NULL CHECK (kind IN ('opening', 'receipt', 'sale', 'refund', 'adjustment', 'count')),
    quantity_milli INTEGER NOT NULL,
    sale_id        INTEGER REFERENCES sales(id),
    note           TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX stock_movements_product ON stock_movements(product_id);
CREATE INDEX stock_movements_sale ON stock_movements(sale_id);

CREATE TRIGGER stock_movements_cache AFTER INSERT ON stock_movements
BEGIN
    UPDATE products SET stock_milli = stock_milli + NEW.quantity_milli WHERE id = NEW.product_id;
END;

-- Document numbers: one row per series and year, bumped in the document's own transaction.
CREATE TABLE document_counters (
    series      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (series, year)
) STRICT, WITHOUT ROWID;

-- The cart on the counter, saved on every change so a crash or a closed window loses nothing.
CREATE TABLE open_cart (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    cart_json  TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- AUTOINCREMENT: a resumed cart's id is never reused, so a stale id cannot resume another.
CREATE TABLE parked_carts (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    label     TEXT NOT NULL,
    cart_json TEXT NOT NULL,
    total     INTEGER NOT NULL,
    parked_at TEXT NOT NULL,
    cashier   TEXT NOT NULL
) STRICT;

-- Committed documents are never changed: a correction is a new record pointing at the old.
CREATE TRIGGER sales_no_update BEFORE UPDATE ON sales BEGIN SELECT RAISE(ABORT, 'sales are append-only'); END;
CREATE TRIGGER sales_no_delete BEFORE DELETE ON sales BEGIN SELECT RAISE(ABORT, 'sales are append-only'); END;
CREATE TRIGGER sale_lines_no_update BEFORE UPDATE ON sale_lines BEGIN SELECT RAISE(ABORT, 'sale lines are append-only'); END;
CREATE TRIGGER sale_lines_no_delete BEFORE DELETE ON sale_lines BEGIN SELECT RAISE(ABORT, 'sale lines are append-only'); END;
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements BEGIN SELECT RAISE(ABORT, 'stock movements are append-only'); END;
CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements BEGIN SELECT RAISE(ABORT, 'stock movements are append-only'); END;

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

-- Version 5: inventory. Receipts from producers carry their cost, lot, expiry and delivery note;
-- adjustments their reason; products a low-stock threshold and an OCOP certificate.

ALTER TABLE stock_movements ADD COLUMN producer_id INTEGER REFERENCES producers(id);
ALTER TABLE stock_movements ADD COLUMN unit_cost INTEGER CHECK (unit_cost >= 0);
ALTER TABLE stock_movements ADD COLUMN lot TEXT NOT NULL DEFAULT '';
ALTER TABLE stock_movements ADD COLUMN expires_on TEXT;
ALTER TABLE stock_movements ADD COLUMN delivery_note_no TEXT NOT NULL DEFAULT '';
ALTER TABLE stock_movements ADD COLUMN reason TEXT
    CHECK (reason IN ('damaged', 'expired', 'sample', 'gift', 'correction'));
-- Stock on hand of every product read from the index alone, without touching the rows.
CREATE INDEX stock_movements_product_quantity ON stock_movements(product_id, quantity_milli);
CREATE INDEX stock_movements_expiry ON stock_movements(expires_on) WHERE expires_on IS NOT NULL;

-- 0: never on the low-stock list.
ALTER TABLE products ADD COLUMN low_stock_milli INTEGER NOT NULL DEFAULT 0 CHECK (low_stock_milli >= 0);

-- The product's OCOP certificate; it expires 36 months after issue (computed, not stored).
CREATE TABLE product_certificates (
    product_id INTEGER PRIMARY KEY REFERENCES products(id),
    number     TEXT NOT NULL CHECK (number <> ''),
    issuer     TEXT NOT NULL CHECK (issuer <> ''),
    issued_on  TEXT NOT NULL,
    stars      INTEGER NOT NULL CHECK (stars BETWEEN 3 AND 5)
) STRICT;

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

-- Version 7: every act that lowered what a sale was worth (a quantity lowered, a line removed,
-- the cart cleared, a discount, a basket priced below its contents) is on record with the cart
-- it happened in, who did it and who approved it; the old void records move here. Carts carry a
-- number that the sale keeps (the transfer note names it). A refund names its approver.

CREATE TABLE reductions (
    id           INTEGER PRIMARY KEY,
    cart_no      TEXT NOT NULL,
    reduced_at   TEXT NOT NULL,
    local_date   TEXT NOT NULL,
    cashier      TEXT NOT NULL,
    approver     TEXT,
    session_id   INTEGER REFERENCES cash_sessions(id),
    kind         TEXT NOT NULL CHECK (kind IN ('quantity_down', 'line_removed', 'cart_cleared',
                                               'line_discount', 'order_discount',
                                               'basket_below_contents')),
    subject      TEXT NOT NULL,
    before_total INTEGER NOT NULL,
    after_total  INTEGER NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount >= 0 AND amount = before_total - after_total)
) STRICT;
CREATE INDEX reductions_cart ON reductions(cart_no);
CREATE INDEX reductions_session ON reductions(session_id);
CREATE INDEX reductions_local_date ON reductions(local_date);
CREATE TRIGGER reductions_no_update BEFORE UPDATE ON reductions BEGIN SELECT RAISE(ABORT, 'reductions are append-only'); END;
CREATE TRIGGER reductions_no_delete BEFORE DELETE ON reductions BEGIN SELECT RAISE(ABORT, 'reductions are append-only'); END;

-- Voids recorded before version 7 had no cart number and no approver.
INSERT INTO reductions (cart_no, reduced_at, local_date, cashier, approver, session_id, kind,
                        subject, before_total, after_total, amount)
SELECT '', voided_at, local_date, cashier, NULL, session_id,
       CASE kind WHEN 'cart' THEN 'cart_cleared' ELSE 'line_removed' END,
       description, amount, 0, amount
  FROM voids ORDER BY id;
DROP TABLE voids;

ALTER TABLE sales ADD COLUMN cart_no TEXT;
CREATE INDEX sales_cart_no ON sales(cart_no);
-- A manager looking for the sale behind a line of the bank statement searches by amount.
CREATE INDEX payments_transfer_amount ON payments(amount) WHERE method = 'transfer';
ALTER TABLE refunds ADD COLUMN approver TEXT;
-- Version 8: cash-register e-invoices (hóa đơn điện tử khởi tạo từ máy tính tiền): every sale of a
-- registered shop is one, issued in the sale's own transaction. Numbers come from
-- `document_counters`: series `einvoice:{template}{series}` (e.g. `einvoice:1C26MAA`) for the
-- invoice number, `mccqt:{seller tax code}` for the tax-authority code's counter.
CREATE TABLE einvoices (
    id             INTEGER PRIMARY KEY,
    sale_id        INTEGER NOT NULL REFERENCES sales(id),
    -- The refund an adjustment was made by.
    refund_id      INTEGER UNIQUE REFERENCES refunds(id),
    kind           TEXT NOT NULL CHECK (kind IN ('original', 'replacement', 'adjustment')),
    -- The invoice a replacement replaces or an adjustment adjusts.
    related_id     INTEGER REFERENCES einvoices(id),
    template       INTEGER NOT NULL CHECK (template BETWEEN 1 AND 9),
    series         TEXT NOT NULL CHECK (length(series) = 6),
    number         INTEGER NOT NULL CHECK (number BETWEEN 1 AND 99999999),
    -- MCCQT: only a series registered with the code (`C…`) has one.
    authority_code TEXT UNIQUE,
    issued_at      TEXT NOT NULL,
    demo           INTEGER NOT NULL CHECK (demo IN (0, 1)),
    -- The invoice as issued (for printing) and its XML (for sending), never changed.
    record_json    TEXT NOT NULL,
    xml            TEXT NOT NULL,
    UNIQUE (template, series, number),
    CHECK ((kind = 'original') = (related_id IS NULL)),
    CHECK ((kind = 'adjustment') = (refund_id IS NOT NULL)),
    CHECK ((substr(series, 1, 1) = 'C') = (authority_code IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX einvoices_one_original_per_sale ON einvoices(sale_id) WHERE kind = 'original';
CREATE UNIQUE INDEX einvoices_replaced_once ON einvoices(related_id) WHERE kind = 'replacement';
CREATE INDEX einvoices_related ON einvoices(related_id);
CREATE TRIGGER einvoices_no_update BEFORE UPDATE ON einvoices BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited'); END;
CREATE TRIGGER einvoices_no_delete BEFORE DELETE ON einvoices BEGIN SELECT RAISE(ABORT, 'an issued invoice is never deleted'); END;

-- Sales made while the shop's invoice registration was not filled in: they have no invoice.
CREATE TABLE sales_without_invoice (
    sale_id INTEGER PRIMARY KEY REFERENCES sales(id)
) STRICT;
CREATE TRIGGER sales_without_invoice_no_update BEFORE UPDATE ON sales_without_invoice BEGIN SELECT RAISE(ABORT, 'sales are append-only'); END;
CREATE TRIGGER sales_without_invoice_no_delete BEFORE DELETE ON sales_without_invoice BEGIN SELECT RAISE(ABORT, 'sales are append-only'); END;

-- Notices on form 04/SS-HĐĐT: a buyer's name or address was wrong on an invoice whose tax code
-- was right; the invoice stands and the notice says how it should read.
CREATE TABLE einvoice_notices (
    id          INTEGER PRIMARY KEY,
    einvoice_id INTEGER NOT NULL REFERENCES einvoices(id),
    noticed_at  TEXT NOT NULL,
    noticed_by  TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (reason <> ''),
    buyer_json  TEXT NOT NULL
) STRICT;
CREATE INDEX einvoice_notices_invoice ON einvoice_notices(einvoice_id);
CREATE TRIGGER einvoice_notices_no_update BEFORE UPDATE ON einvoice_notices BEGIN SELECT RAISE(ABORT, 'a notice is never edited'); END;
CREATE TRIGGER einvoice_notices_no_delete BEFORE DELETE ON einvoice_notices BEGIN SELECT RAISE(ABORT, 'a notice is never deleted'); END;

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

-- Version 10: sending invoices to the tax authority through a provider (issue 14).
--
-- The outbox: every record a destination must receive, queued in the transaction that made
-- it and read in `id` order by a sender. Each destination reads its own rows: the tax
-- authority (the cash-register invoices of `einvoices`) today, a store hub later.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    destination     TEXT NOT NULL,
    -- What is sent: the kind of record and its row (`einvoice` and einvoices.id).
    record_kind     TEXT NOT NULL,
    record_id       INTEGER NOT NULL,
    -- What the destination knows the record by, so that sending it again can never make a
    -- second one: an invoice's MCCQT, or `1K26MAA-00000012` for one without.
    idempotency_key TEXT NOT NULL,
    -- The shop's day of the record: the day's counts and the day's upload file.
    local_date      TEXT NOT NULL,
    queued_at       TEXT NOT NULL,
    UNIQUE (destination, idempotency_key)
) STRICT;
CREATE INDEX outbox_day ON outbox(destination, local_date);
CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;
CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;

-- What became of each queued record, one row per event, never changed: refused by the
-- provider (the queue stops there until the cause is put right), sent, exported to an upload
-- file, accepted or rejected by the tax authority. A record without an event is waiting.
CREATE TABLE outbox_events (
    id        INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    at        TEXT NOT NULL,
    state     TEXT NOT NULL CHECK (state IN ('refused', 'sent', 'exported', 'accepted', 'rejected')),
    -- Why, for a refusal (core::delivery::Refusal::code).
    reason    TEXT CHECK ((reason IS NOT NULL) = (state IN ('refused', 'rejected'))),
    -- What the destination answered (a provider's number and MCCQT), or the upload file.
    detail    TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_events_record ON outbox_events(outbox_id);
CREATE TRIGGER outbox_events_no_update BEFORE UPDATE ON outbox_events BEGIN SELECT RAISE(ABORT, 'delivery events are append-only'); END;
CREATE TRIGGER outbox_events_no_delete BEFORE DELETE ON outbox_events BEGIN SELECT RAISE(ABORT, 'delivery events are append-only'); END;

-- The sender's work lists, kept beside the events so that neither the sender nor the top bar
-- reads the whole history: records not yet out of the shop's hands, and records sent whose
-- verdict is still to come. A row moves or leaves in the transaction of the event that ends
-- its wait.
CREATE TABLE outbox_queue (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id)
) STRICT;
CREATE TABLE outbox_awaiting_verdict (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id)
) STRICT;

-- A batch handed to a destination whose answer is not recorded yet. After a lost reply or a
-- crash the sender first asks the destination which of them it has, and sends only the rest.
CREATE TABLE outbox_in_flight (
    destination TEXT PRIMARY KEY,
    first_id    INTEGER NOT NULL,
    last_id     INTEGER NOT NULL,
    since       TEXT NOT NULL
) STRICT;

-- The close's day's invoices as the Z close found them: printed on the Z-report.
CREATE TABLE z_einvoice_delivery (
    session_id  INTEGER PRIMARY KEY REFERENCES cash_sessions(id),
    local_date  TEXT NOT NULL,
    handed_over INTEGER NOT NULL,
    exported    INTEGER NOT NULL,
    unsent      INTEGER NOT NULL
) STRICT;
CREATE TRIGGER z_einvoice_delivery_no_update BEFORE UPDATE ON z_einvoice_delivery BEGIN SELECT RAISE(ABORT, 'a Z close is never changed'); END;
CREATE TRIGGER z_einvoice_delivery_no_delete BEFORE DELETE ON z_einvoice_delivery BEGIN SELECT RAISE(ABORT, 'a Z close is never changed'); END;

-- Invoices issued before this version are queued now, in issue order (the demo's never are).
-- The shop's day is Vietnam's, UTC+7 all year. Nothing to do in a new store.
INSERT INTO outbox (destination, record_kind, record_id, idempotency_key, local_date, queued_at)
SELECT 'tax_authority', 'einvoice', id,
       coalesce(authority_code, template || series || '-' || printf('%08d', number)),
       date(issued_at, '+7 hours'), issued_at
  FROM einvoices WHERE demo = 0 ORDER BY id;
INSERT INTO outbox_queue (outbox_id) SELECT id FROM outbox ORDER BY id;

-- Version 11: customers, pre-orders with deposits, deliveries and receivables (công nợ).

-- A sale may be paid from the deposit taken on its order ('deposit') or be sold on account
-- ('account'): neither is money that day. SQLite cannot change a CHECK in place, so the table
-- is made again with its rows (they keep their values, and so their hashes).
CREATE TABLE payments_v11 (
    sale_id   INTEGER NOT NULL REFERENCES sales(id),
    seq       INTEGER NOT NULL,
    method    TEXT NOT NULL CHECK (method IN ('cash', 'transfer', 'card', 'deposit', 'account')),
    amount    INTEGER NOT NULL CHECK (amount > 0),
    -- For transfers: the transfer note the customer was shown.
    reference TEXT,
    PRIMARY KEY (sale_id, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO payments_v11 (sale_id, seq, method, amount, reference)
SELECT sale_id, seq, method, amount, reference FROM payments;
DROP TABLE payments;
ALTER TABLE payments_v11 RENAME TO payments;
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;
CREATE INDEX payments_transfer_amount ON payments(amount) WHERE method = 'transfer';

-- Customers: a person by phone, kept only with their consent (who recorded it, when), or a
-- company, which is a row of `buyers` (its name, tax code and address live there). A company
-- may buy on account up to `credit_limit`, paying within `payment_term_days`. A person's data
-- erased on request leaves the row, anonymised, for the sales it made.
CREATE TABLE customers (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('person', 'company')),
    buyer_id          INTEGER UNIQUE REFERENCES buyers(id),
    name              TEXT NOT NULL DEFAULT '',
    phone             TEXT,
    id_number         TEXT,
    address           TEXT NOT NULL DEFAULT '',
    notes             TEXT NOT NULL DEFAULT '',
    consent_at        TEXT,
    consent_by        TEXT,
    credit_limit      INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
    payment_term_days INTEGER NOT NULL DEFAULT 0 CHECK (payment_term_days BETWEEN 0 AND 365),
    created_at        TEXT NOT NULL,
    erased_at         TEXT,
    erased_by         TEXT,
    CHECK ((kind = 'company') = (buyer_id IS NOT NULL)),
    CHECK (kind = 'company' OR erased_at IS NOT NULL OR (phone IS NOT NULL AND consent_at IS NOT NULL)),
    CHECK (erased_at IS NULL OR (phone IS NULL AND id_number IS NULL))
) STRICT;
CREATE UNIQUE INDEX customers_phone ON customers(phone) WHERE phone IS NOT NULL;

-- Orders (đơn đặt hàng, `DH2026-000001`): open until every line is delivered or a manager
-- cancels it. Each line is a product or a basket at an agreed price, due on its day; what one
-- unit holds is in `order_line_contents` (stock is reserved from it).
CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    customer_id      INTEGER NOT NULL REFERENCES customers(id),
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    delivery_address TEXT NOT NULL DEFAULT '',
    contact          TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    deposit_asked    INTEGER NOT NULL CHECK (deposit_asked >= 0),
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'delivered', 'cancelled')),
    closed_at        TEXT,
    cancel_reason    TEXT NOT NULL DEFAULT '',
    CHECK ((status = 'open') = (closed_at IS NULL))
) STRICT;
CREATE INDEX orders_customer ON orders(customer_id);
CREATE INDEX orders_open ON orders(status) WHERE status = 'open';
-- A finished order stays as it was, but for the personal data a person may have erased.
CREATE TRIGGER orders_closed
BEFORE UPDATE OF id, number, customer_id, created_at, created_by, deposit_asked, status, closed_at,
                 cancel_reason ON orders
WHEN OLD.status <> 'open'
BEGIN SELECT RAISE(ABORT, 'a delivered or cancelled order is kept as it is'); END;
CREATE TRIGGER orders_no_delete BEFORE DELETE ON orders BEGIN SELECT RAISE(ABORT, 'orders are kept'); END;

CREATE TABLE order_lines (
    order_id       INTEGER NOT NULL REFERENCES orders(id),
    line_no        INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('product', 'basket')),
    pack_id        INTEGER REFERENCES gift_packs(id),
    sku            TEXT NOT NULL,
    name           TEXT NOT NULL,
    unit           TEXT NOT NULL,
    sold_by_weight INTEGER NOT NULL CHECK (sold_by_weight IN (0, 1)),
    quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
    unit_price     INTEGER NOT NULL CHECK (unit_price > 0),
    due_on         TEXT NOT NULL,
    card_message   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (order_id, line_no)
) STRICT, WITHOUT ROWID;
CREATE INDEX order_lines_due ON order_lines(due_on);

CREATE TABLE order_line_contents (
    order_id       INTEGER NOT NULL,
    line_no        INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    product_id     INTEGER NOT NULL REFERENCES products(id),
    sku            TEXT NOT NULL,
    name           TEXT NOT NULL,
    unit           TEXT NOT NULL,
    -- Per unit of the line (per basket).
    quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
    PRIMARY KEY (order_id, line_no, position),
    FOREIGN KEY (order_id, line_no) REFERENCES order_lines(order_id, line_no)
) STRICT, WITHOUT ROWID;
CREATE INDEX order_line_contents_product ON order_line_contents(product_id);

-- The card message may be erased with its person's data; nothing else changes.
CREATE TRIGGER order_lines_no_update
BEFORE UPDATE OF order_id, line_no, kind, pack_id, sku, name, unit, sold_by_weight, quantity_milli,
                 unit_price, due_on ON order_lines
BEGIN SELECT RAISE(ABORT, 'order lines are kept as agreed'); END;
CREATE TRIGGER order_lines_no_delete BEFORE DELETE ON order_lines BEGIN SELECT RAISE(ABORT, 'order lines are kept as agreed'); END;
CREATE TRIGGER order_line_contents_no_update BEFORE UPDATE ON order_line_contents BEGIN SELECT RAISE(ABORT, 'order lines are kept as agreed'); END;
CREATE TRIGGER order_line_contents_no_delete BEFORE DELETE ON order_line_contents BEGIN SELECT RAISE(ABORT, 'order lines are kept as agreed'); END;

-- The customer of a sale: picked at the counter, named as the invoice's buyer, or the order a
-- delivery is of (`delivery_no`: 1 for the order's first). What was put on account and when it
-- falls due; `paid_on_account` is what payments set against it since, kept by a trigger (a
-- test proves it equal to the allocations). Written in the sale's transaction and chained:
-- who owes what must not change unseen. The receiver's name is not hashed: it is erased with
-- a person's data.
CREATE TABLE customer_sales (
    id              INTEGER PRIMARY KEY,
    sale_id         INTEGER NOT NULL UNIQUE REFERENCES sales(id),
    customer_id     INTEGER NOT NULL REFERENCES customers(id),
    order_id        INTEGER REFERENCES orders(id),
    delivery_no     INTEGER,
    receiver        TEXT NOT NULL DEFAULT '',
    on_account      INTEGER NOT NULL CHECK (on_account >= 0),
    due_on          TEXT,
    paid_on_account INTEGER NOT NULL DEFAULT 0 CHECK (paid_on_account BETWEEN 0 AND on_account),
    chain_position  INTEGER,
    chain_hash      BLOB,
    CHECK ((order_id IS NULL) = (delivery_no IS NULL)),
    CHECK ((on_account > 0) = (due_on IS NOT NULL)),
    UNIQUE (order_id, delivery_no)
) STRICT;
CREATE INDEX customer_sales_customer ON customer_sales(customer_id, sale_id);
-- What is still open on account, for the aging of every company.
CREATE INDEX customer_sales_open ON customer_sales(customer_id, due_on, on_account, paid_on_account)
    WHERE on_account > paid_on_account;

-- What each delivery took of each order line.
CREATE TABLE delivery_lines (
    customer_sale_id INTEGER NOT NULL REFERENCES customer_sales(id),
    line_no          INTEGER NOT NULL,
    quantity_milli   INTEGER NOT NULL CHECK (quantity_milli > 0),
    PRIMARY KEY (customer_sale_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER customer_sales_no_update
BEFORE UPDATE OF id, sale_id, customer_id, order_id, delivery_no, on_account, due_on,
                 chain_position, chain_hash ON customer_sales
WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'customer sales are append-only'); END;
CREATE TRIGGER customer_sales_no_delete BEFORE DELETE ON customer_sales BEGIN SELECT RAISE(ABORT, 'customer sales are append-only'); END;
CREATE TRIGGER delivery_lines_no_update BEFORE UPDATE ON delivery_lines BEGIN SELECT RAISE(ABORT, 'deliveries are append-only'); END;
CREATE TRIGGER delivery_lines_no_delete BEFORE DELETE ON delivery_lines BEGIN SELECT RAISE(ABORT, 'deliveries are append-only'); END;

-- Money a customer paid outside a sale, each its own numbered slip: a deposit on an order
-- (`DC2026-000001`), an unused deposit paid back when its order was cancelled
-- (`PC2026-000001`), a payment on account (`PT2026-000001`) with the invoices it settles.
-- Chained like every money record.
CREATE TABLE customer_payments (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('deposit', 'deposit_refund', 'account')),
    customer_id    INTEGER NOT NULL REFERENCES customers(id),
    order_id       INTEGER REFERENCES orders(id),
    paid_at        TEXT NOT NULL,
    local_date     TEXT NOT NULL,
    cashier        TEXT NOT NULL,
    approver       TEXT,
    method         TEXT NOT NULL CHECK (method IN ('cash', 'transfer', 'card')),
    amount         INTEGER NOT NULL CHECK (amount > 0),
    reference      TEXT NOT NULL DEFAULT '',
    session_id     INTEGER REFERENCES cash_sessions(id),
    chain_position INTEGER,
    chain_hash     BLOB,
    CHECK ((kind = 'account') = (order_id IS NULL))
) STRICT;
CREATE INDEX customer_payments_customer ON customer_payments(customer_id);
CREATE INDEX customer_payments_order ON customer_payments(order_id);
CREATE INDEX customer_payments_local_date ON customer_payments(local_date);
CREATE INDEX customer_payments_session ON customer_payments(session_id);

CREATE TABLE payment_allocations (
    payment_id INTEGER NOT NULL REFERENCES customer_payments(id),
    sale_id    INTEGER NOT NULL REFERENCES sales(id),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (payment_id, sale_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX payment_allocations_sale ON payment_allocations(sale_id);

CREATE TRIGGER customer_payments_no_update BEFORE UPDATE ON customer_payments
WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'customer payments are append-only'); END;
CREATE TRIGGER customer_payments_no_delete BEFORE DELETE ON customer_payments BEGIN SELECT RAISE(ABORT, 'customer payments are append-only'); END;
CREATE TRIGGER payment_allocations_no_update BEFORE UPDATE ON payment_allocations BEGIN SELECT RAISE(ABORT, 'allocations are append-only'); END;
CREATE TRIGGER payment_allocations_no_delete BEFORE DELETE ON payment_allocations BEGIN SELECT RAISE(ABORT, 'allocations are append-only'); END;
CREATE TRIGGER payment_allocations_settle AFTER INSERT ON payment_allocations
BEGIN
    UPDATE customer_sales SET paid_on_account = paid_on_account + NEW.amount WHERE sale_id = NEW.sale_id;
END;

-- Version 12 (issue 16, the back office): a receiving-note line keeps the name of its product's
-- own producer when that is not the producer the note is from (empty when it is), so the line
-- prints under its own producer, the same on every reprint.

ALTER TABLE receiving_lines ADD COLUMN producer TEXT NOT NULL DEFAULT '';

-- The inventory screen, shown again, reads only the products whose price or VAT rate took
-- effect since it last read them.
CREATE INDEX product_prices_effective ON product_prices(effective_from);
CREATE INDEX product_vat_rates_effective ON product_vat_rates(effective_from);
-- Version 13 (issue 17, part 1): every data folder is a node of its store.
--
-- A node is known to the others by its origin, `store/node/incarnation`: the store's id, the
-- node's two capital letters and a random incarnation made at the folder's first start and
-- again after a restore or a copy of the folder. Every document written here appends one event
-- to `sync_events` in its own transaction, numbered 1, 2, 3 … per origin with no gap (the
-- counter is `sync_origins.last_seq`); events of other nodes are kept in the same table when
-- applied, so the same event read twice is recognised and a different one under the same
-- number refused. Shared records carry a UUIDv7 `uid` that every node knows them by; stock
-- movements name the origin that wrote them (a node's stock is the sum over all origins).

CREATE TABLE sync_origins (
    id          INTEGER PRIMARY KEY,
    store       TEXT NOT NULL CHECK (store <> ''),
    node        TEXT NOT NULL CHECK (length(node) = 2 AND node = upper(node) AND node GLOB '[A-Z][A-Z]'),
    incarnation TEXT NOT NULL CHECK (incarnation <> ''),
    -- 1 for origins of this folder (the present one and those it had before a restore).
    local       INTEGER NOT NULL CHECK (local IN (0, 1)),
    -- Local: the last event number handed out. Other nodes: the last event applied here.
    last_seq    INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    UNIQUE (store, node, incarnation)
) STRICT;

-- This folder's node: the origin its documents are written under, and the node whose
-- catalogue (products, prices, producers, gift packs, staff, settings) the store follows.
-- `baseline_done`: the catalogue and stock the folder held before it had events are in its
-- first events (written once, by the program, at the first start after this migration).
CREATE TABLE sync_node (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    origin_id      INTEGER NOT NULL REFERENCES sync_origins(id),
    catalogue_node TEXT NOT NULL CHECK (length(catalogue_node) = 2 AND catalogue_node GLOB '[A-Z][A-Z]'),
    baseline_done  INTEGER NOT NULL DEFAULT 0 CHECK (baseline_done IN (0, 1))
) STRICT;

CREATE TABLE sync_events (
    origin_id INTEGER NOT NULL REFERENCES sync_origins(id),
    seq       INTEGER NOT NULL CHECK (seq > 0),
    uid       TEXT NOT NULL UNIQUE,
    kind      TEXT NOT NULL CHECK (kind <> ''),
    at        TEXT NOT NULL,
    -- The document as JSON (see src/core/sync_event.rs), and its stock-ledger rows as JSON.
    doc       TEXT NOT NULL,
    stock     TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (origin_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER sync_events_no_update BEFORE UPDATE ON sync_events BEGIN SELECT RAISE(ABORT, 'sync events are append-only'); END;
CREATE TRIGGER sync_events_no_delete BEFORE DELETE ON sync_events BEGIN SELECT RAISE(ABORT, 'sync events are append-only'); END;

-- The folder's first origin. The store id and node code are set by the program at its next
-- start (the demo store `RG`, node `AA`), as is a fresh incarnation.
INSERT INTO sync_origins (id, store, node, incarnation, local) VALUES (1, 'RG', 'AA', lower(hex(randomblob(16))), 1);
INSERT INTO sync_node (id, origin_id, catalogue_node) VALUES (1, 1, 'AA');

-- Stock movements name the origin that wrote them; those already here were written here.
ALTER TABLE stock_movements ADD COLUMN origin_id INTEGER REFERENCES sync_origins(id);
DROP TRIGGER stock_movements_no_update;
UPDATE stock_movements SET origin_id = 1;
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements BEGIN SELECT RAISE(ABORT, 'stock movements are append-only'); END;
CREATE INDEX stock_movements_origin ON stock_movements(origin_id);

-- UUIDv7 of the shared records: the record's time in the first 48 bits, then random bits.
-- Each subquery names its row, so SQLite runs it (and its random()) once per row, not once.
-- Records already here get theirs from their own time; new mutable records from a trigger;
-- sales, refunds and receiving notes from their writer (they are append-only).
ALTER TABLE producers ADD COLUMN uid TEXT;
ALTER TABLE products ADD COLUMN uid TEXT;
ALTER TABLE gift_packs ADD COLUMN uid TEXT;
ALTER TABLE staff ADD COLUMN uid TEXT;
ALTER TABLE customers ADD COLUMN uid TEXT;
ALTER TABLE buyers ADD COLUMN uid TEXT;
ALTER TABLE orders ADD COLUMN uid TEXT;
ALTER TABLE cash_sessions ADD COLUMN uid TEXT;
ALTER TABLE sales ADD COLUMN uid TEXT;
ALTER TABLE refunds ADD COLUMN uid TEXT;
ALTER TABLE receivings ADD COLUMN uid TEXT;

UPDATE producers SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) + 0 * producers.id AS ms));
UPDATE products SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday(products.created_at) - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms));
UPDATE gift_packs SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday(gift_packs.created_at) - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms));
UPDATE staff SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday(staff.created_at) - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms));
UPDATE customers SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday(customers.created_at) - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms));
UPDATE buyers SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday(buyers.created_at) - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms));
UPDATE orders SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday(orders.created_at) - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms));

DROP TRIGGER cash_sessions_frozen;
UPDATE cash_sessions SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday(cash_sessions.opened_at) - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms));
CREATE TRIGGER cash_sessions_frozen BEFORE UPDATE ON cash_sessions
WHEN OLD.closed_at IS NOT NULL AND (OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL)
BEGIN SELECT RAISE(ABORT, 'a closed cash session is frozen'); END;
DROP TRIGGER sales_no_update;
UPDATE sales SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday(sales.sold_at) - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms));
CREATE TRIGGER sales_no_update BEFORE UPDATE ON sales WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'sales are append-only'); END;
DROP TRIGGER refunds_no_update;
UPDATE refunds SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday(refunds.refunded_at) - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms));
CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'refunds are append-only'); END;
DROP TRIGGER receivings_no_update;
UPDATE receivings SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday(receivings.created_at) - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms));
CREATE TRIGGER receivings_no_update BEFORE UPDATE ON receivings BEGIN SELECT RAISE(ABORT, 'receivings are append-only'); END;

CREATE UNIQUE INDEX producers_uid ON producers(uid);
CREATE UNIQUE INDEX products_uid ON products(uid);
CREATE UNIQUE INDEX gift_packs_uid ON gift_packs(uid);
CREATE UNIQUE INDEX staff_uid ON staff(uid);
CREATE UNIQUE INDEX customers_uid ON customers(uid);
CREATE UNIQUE INDEX buyers_uid ON buyers(uid);
CREATE UNIQUE INDEX orders_uid ON orders(uid);
CREATE UNIQUE INDEX cash_sessions_uid ON cash_sessions(uid);
CREATE UNIQUE INDEX sales_uid ON sales(uid);
CREATE UNIQUE INDEX refunds_uid ON refunds(uid);
CREATE UNIQUE INDEX receivings_uid ON receivings(uid);

-- New mutable records get their uid as they are inserted (an event applied from the catalogue
-- node brings its own).
CREATE TRIGGER producers_uid AFTER INSERT ON producers WHEN NEW.uid IS NULL BEGIN
    UPDATE producers SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms)) WHERE id = NEW.id;
END;
CREATE TRIGGER products_uid AFTER INSERT ON products WHEN NEW.uid IS NULL BEGIN
    UPDATE products SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms)) WHERE id = NEW.id;
END;
CREATE TRIGGER gift_packs_uid AFTER INSERT ON gift_packs WHEN NEW.uid IS NULL BEGIN
    UPDATE gift_packs SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms)) WHERE id = NEW.id;
END;
CREATE TRIGGER staff_uid AFTER INSERT ON staff WHEN NEW.uid IS NULL BEGIN
    UPDATE staff SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms)) WHERE id = NEW.id;
END;
CREATE TRIGGER customers_uid AFTER INSERT ON customers WHEN NEW.uid IS NULL BEGIN
    UPDATE customers SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms)) WHERE id = NEW.id;
END;
CREATE TRIGGER buyers_uid AFTER INSERT ON buyers WHEN NEW.uid IS NULL BEGIN
    UPDATE buyers SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms)) WHERE id = NEW.id;
END;
CREATE TRIGGER orders_uid AFTER INSERT ON orders WHEN NEW.uid IS NULL BEGIN
    UPDATE orders SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms)) WHERE id = NEW.id;
END;
CREATE TRIGGER cash_sessions_uid AFTER INSERT ON cash_sessions WHEN NEW.uid IS NULL BEGIN
    UPDATE cash_sessions SET uid = (SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, random() & 4095, 32768 | (random() & 16383), random() & 281474976710655) FROM (SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 + 0.5 AS INTEGER) AS ms)) WHERE id = NEW.id;
END;
-- Version 14 (issue 17): a sale sold at another counter, once synced, can be found, reprinted
-- and refunded here.
--
-- Such a sale is copied from its event into `foreign_sales` / `foreign_sale_lines` as the
-- event is applied: apart from `sales`, so it never enters this node's hash chain, receipt
-- series, daily figures, Z report, cash drawer or e-invoice outbox, and with no stock movement
-- (its stock came with the event's own rows). `record` is the sale exactly as the selling
-- node printed it (JSON of its receipt); an event from before it carried one leaves it NULL
-- and the copy is made from the event's lines.
CREATE TABLE foreign_sales (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    -- Not unique: two nodes' receipts from before numbers named the node may share a number.
    receipt_no TEXT NOT NULL,
    -- The node that sold it, and its event.
    origin_id  INTEGER NOT NULL REFERENCES sync_origins(id),
    seq        INTEGER NOT NULL,
    node       TEXT NOT NULL,
    sold_at    TEXT NOT NULL,
    local_date TEXT NOT NULL,
    cashier    TEXT NOT NULL,
    total      INTEGER NOT NULL CHECK (total >= 0),
    record     TEXT,
    UNIQUE (origin_id, seq)
) STRICT;
CREATE INDEX foreign_sales_receipt ON foreign_sales(receipt_no);

-- A line as the selling node printed it (an event without the receipt: the product's SKU,
-- unit and producer here, the price per unit from the line's total).
CREATE TABLE foreign_sale_lines (
    foreign_sale_id INTEGER NOT NULL REFERENCES foreign_sales(id),
    line_no         INTEGER NOT NULL,
    product_id      INTEGER NOT NULL REFERENCES products(id),
    sku             TEXT NOT NULL,
    name            TEXT NOT NULL,
    producer        TEXT NOT NULL,
    stars           INTEGER,
    unit            TEXT NOT NULL,
    quantity_milli  INTEGER NOT NULL CHECK (quantity_milli > 0),
    unit_price      INTEGER NOT NULL,
    vat_rate        TEXT NOT NULL,
    total           INTEGER NOT NULL,
    PRIMARY KEY (foreign_sale_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER foreign_sales_no_update BEFORE UPDATE ON foreign_sales BEGIN SELECT RAISE(ABORT, 'foreign sales are append-only'); END;
CREATE TRIGGER foreign_sales_no_delete BEFORE DELETE ON foreign_sales BEGIN SELECT RAISE(ABORT, 'foreign sales are append-only'); END;
CREATE TRIGGER foreign_sale_lines_no_update BEFORE UPDATE ON foreign_sale_lines BEGIN SELECT RAISE(ABORT, 'foreign sales are append-only'); END;
CREATE TRIGGER foreign_sale_lines_no_delete BEFORE DELETE ON foreign_sale_lines BEGIN SELECT RAISE(ABORT, 'foreign sales are append-only'); END;

-- Sale events applied before this version (of a sale not in `sales`): their sales, and lines
-- by position (line i of the event is line i of the sale), with the product found by uid.
INSERT INTO foreign_sales (uid, receipt_no, origin_id, seq, node, sold_at, local_date, cashier,
                           total)
SELECT json_extract(e.doc, '$.uid'), json_extract(e.doc, '$.number'), e.origin_id, e.seq, o.node,
       e.at, json_extract(e.doc, '$.local_date'), coalesce(json_extract(e.doc, '$.cashier'), ''),
       json_extract(e.doc, '$.total')
  FROM sync_events e JOIN sync_origins o ON o.id = e.origin_id
 WHERE e.kind = 'sale'
   AND json_extract(e.doc, '$.uid') NOT IN (SELECT uid FROM sales WHERE uid IS NOT NULL);
INSERT INTO foreign_sale_lines (foreign_sale_id, line_no, product_id, sku, name, producer, unit,
                                quantity_milli, unit_price, vat_rate, total)
SELECT f.id, CAST(l.key AS INTEGER), p.id, p.sku, json_extract(l.value, '$.name'), r.name, p.unit,
       json_extract(l.value, '$.qty_milli'),
       (json_extract(l.value, '$.total') * 1000 + json_extract(l.value, '$.qty_milli') / 2)
           / json_extract(l.value, '$.qty_milli'),
       json_extract(l.value, '$.vat_rate'), json_extract(l.value, '$.total')
  FROM foreign_sales f JOIN sync_events e ON e.origin_id = f.origin_id AND e.seq = f.seq
  JOIN json_each(e.doc, '$.lines') l
  JOIN products p ON p.uid = json_extract(l.value, '$.product')
  JOIN producers r ON r.id = p.producer_id;

-- Refunds made by other nodes, found by the sale they give back part of.
CREATE INDEX sync_events_refunded_sale ON sync_events(json_extract(doc, '$.sale'))
 WHERE kind = 'refund';

-- A refund here may give back part of a sale sold at another counter: `foreign_sale_id` then
-- names it and `sale_id` is NULL. SQLite cannot loosen a NOT NULL in place, so the table is
-- made again with its rows (they keep their values, and so their hashes). Dropping it leaves
-- the rows of `refund_lines` and the others without their refund until the same ids are back:
-- the foreign keys are checked at commit.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE refunds_v14 AS SELECT * FROM refunds;
DROP TABLE refunds;
CREATE TABLE refunds (
    id              INTEGER PRIMARY KEY,
    refund_no       TEXT NOT NULL UNIQUE,
    sale_id         INTEGER REFERENCES sales(id),
    refunded_at     TEXT NOT NULL,
    local_date      TEXT NOT NULL,
    cashier         TEXT NOT NULL,
    method          TEXT NOT NULL CHECK (method IN ('cash', 'transfer', 'card')),
    total           INTEGER NOT NULL CHECK (total > 0),
    restock         INTEGER NOT NULL CHECK (restock IN (0, 1)),
    reason          TEXT NOT NULL DEFAULT '',
    session_id      INTEGER REFERENCES cash_sessions(id),
    approver        TEXT,
    chain_position  INTEGER,
    chain_hash      BLOB,
    uid             TEXT,
    foreign_sale_id INTEGER REFERENCES foreign_sales(id),
    CHECK ((sale_id IS NULL) <> (foreign_sale_id IS NULL))
) STRICT;
INSERT INTO refunds (id, refund_no, sale_id, refunded_at, local_date, cashier, method, total,
                     restock, reason, session_id, approver, chain_position, chain_hash, uid)
SELECT id, refund_no, sale_id, refunded_at, local_date, cashier, method, total, restock, reason,
       session_id, approver, chain_position, chain_hash, uid
  FROM temp.refunds_v14 ORDER BY id;
DROP TABLE temp.refunds_v14;
CREATE INDEX refunds_local_date ON refunds(local_date);
CREATE INDEX refunds_sale ON refunds(sale_id);
CREATE INDEX refunds_session ON refunds(session_id);
CREATE INDEX refunds_foreign_sale ON refunds(foreign_sale_id);
CREATE UNIQUE INDEX refunds_uid ON refunds(uid);
CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'refunds are append-only'); END;
CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds BEGIN SELECT RAISE(ABORT, 'refunds are append-only'); END;

-- The sale line each refund line gives back, sold here or at another counter: what reports
-- name a refund line by.
CREATE VIEW refund_sale_lines AS
SELECT r.id AS refund_id, l.line_no, l.sale_id, s.receipt_no, l.product_id, l.sku, l.name,
       l.producer, l.stars, l.unit, l.unit_price, l.vat_rate
  FROM refunds r JOIN sales s ON s.id = r.sale_id JOIN sale_lines l ON l.sale_id = r.sale_id
UNION ALL
SELECT r.id, l.line_no, NULL, f.receipt_no, l.product_id, l.sku, l.name, l.producer, l.stars,
       l.unit, l.unit_price, l.vat_rate
  FROM refunds r JOIN foreign_sales f ON f.id = r.foreign_sale_id
  JOIN foreign_sale_lines l ON l.foreign_sale_id = r.foreign_sale_id;
-- Version 15 (issue 17): the adjustment invoice of a refund of a sale sold at another counter.
--
-- The shop (one tax code) issues it at the counter that refunds, in that counter's own series,
-- referring to the invoice the selling counter issued. That invoice is not a row here: the
-- adjustment names it in its record and XML (from the sale's synced receipt), has no
-- `related_id`, and no `sale_id` (its refund names the foreign sale). SQLite cannot loosen a
-- NOT NULL or a CHECK in place, so the table is made again with its rows (they keep their ids
-- and values, and so their hashes and their places in the outbox). Dropping it leaves the rows
-- of `einvoice_notices` without their invoice until the same ids are back: the foreign keys
-- are checked at commit.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE einvoices_v15 AS SELECT * FROM einvoices;
DROP TABLE einvoices;
CREATE TABLE einvoices (
    id             INTEGER PRIMARY KEY,
    -- The sale sold here; NULL only for the adjustment of a sale sold at another counter.
    sale_id        INTEGER REFERENCES sales(id),
    -- The refund an adjustment was made by.
    refund_id      INTEGER UNIQUE REFERENCES refunds(id),
    kind           TEXT NOT NULL CHECK (kind IN ('original', 'replacement', 'adjustment')),
    -- The invoice a replacement replaces or an adjustment adjusts, when it is one of this
    -- node's (another counter's invoice is named in the record only).
    related_id     INTEGER REFERENCES einvoices(id),
    template       INTEGER NOT NULL CHECK (template BETWEEN 1 AND 9),
    series         TEXT NOT NULL CHECK (length(series) = 6),
    number         INTEGER NOT NULL CHECK (number BETWEEN 1 AND 99999999),
    -- MCCQT: only a series registered with the code (`C…`) has one.
    authority_code TEXT UNIQUE,
    issued_at      TEXT NOT NULL,
    demo           INTEGER NOT NULL CHECK (demo IN (0, 1)),
    -- The invoice as issued (for printing) and its XML (for sending), never changed.
    record_json    TEXT NOT NULL,
    xml            TEXT NOT NULL,
    chain_position INTEGER,
    chain_hash     BLOB,
    UNIQUE (template, series, number),
    CHECK (sale_id IS NOT NULL OR kind = 'adjustment'),
    CHECK (CASE WHEN kind = 'original' OR sale_id IS NULL THEN related_id IS NULL
                ELSE related_id IS NOT NULL END),
    CHECK ((kind = 'adjustment') = (refund_id IS NOT NULL)),
    CHECK ((substr(series, 1, 1) = 'C') = (authority_code IS NOT NULL))
) STRICT;
INSERT INTO einvoices (id, sale_id, refund_id, kind, related_id, template, series, number,
                       authority_code, issued_at, demo, record_json, xml, chain_position,
                       chain_hash)
SELECT id, sale_id, refund_id, kind, related_id, template, series, number, authority_code,
       issued_at, demo, record_json, xml, chain_position, chain_hash
  FROM temp.einvoices_v15 ORDER BY id;
DROP TABLE temp.einvoices_v15;
CREATE UNIQUE INDEX einvoices_one_original_per_sale ON einvoices(sale_id) WHERE kind = 'original';
CREATE UNIQUE INDEX einvoices_replaced_once ON einvoices(related_id) WHERE kind = 'replacement';
CREATE INDEX einvoices_related ON einvoices(related_id);
CREATE TRIGGER einvoices_no_update BEFORE UPDATE ON einvoices WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited'); END;
CREATE TRIGGER einvoices_no_delete BEFORE DELETE ON einvoices BEGIN SELECT RAISE(ABORT, 'an issued invoice is never deleted'); END;

-- Version 16 (issue 17): the store's settings and staff travel from its catalogue node.
--
-- Each store setting (by key) and each person (by uid) remembers which event last set it, so
-- events applied in any order leave every node with the same: the later by (event time,
-- origin, number) wins, and one already applied changes nothing. Stamps are kept per store:
-- what a folder wrote before it joined its store never outranks the store's own.
CREATE TABLE shared_stamps (
    store  TEXT NOT NULL,
    -- `setting` (uid: the setting's key) or `staff` (uid: the person's uid).
    kind   TEXT NOT NULL CHECK (kind IN ('setting', 'staff')),
    uid    TEXT NOT NULL,
    at     TEXT NOT NULL,
    origin TEXT NOT NULL,
    seq    INTEGER NOT NULL CHECK (seq > 0),
    PRIMARY KEY (store, kind, uid)
) STRICT, WITHOUT ROWID;

-- The store's settings and staff a catalogue node held before this version are written once
-- as its events (by the program, at its next start as the catalogue node).
ALTER TABLE sync_node ADD COLUMN shared_baseline_done INTEGER NOT NULL DEFAULT 0
    CHECK (shared_baseline_done IN (0, 1));

-- Version 17 (issue 17): the outbox's rows keyed by one integer, so that a sale's event adds
-- as few pages to its commit as can be. `sync_events` was a WITHOUT ROWID table keyed by
-- (origin_id, seq) with a unique index on `uid`: an event of 1–3 KB (a sale carries its
-- receipt) spilled into an overflow page of its own, and the uid index took a page more. Now
-- the key is origin_id × 2^40 + seq (an origin's events are one contiguous range, and a new
-- event goes at the end of its range), rows up to ~4 KB stay in their leaf, and no index is
-- kept on `uid`: the hub checks an event's uid, and nothing here looks one up.
CREATE TABLE sync_events_by_key (
    key       INTEGER PRIMARY KEY CHECK (key = origin_id * 1099511627776 + seq),
    origin_id INTEGER NOT NULL REFERENCES sync_origins(id),
    seq       INTEGER NOT NULL CHECK (seq > 0 AND seq < 1099511627776),
    uid       TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind <> ''),
    at        TEXT NOT NULL,
    doc       TEXT NOT NULL,
    stock     TEXT NOT NULL DEFAULT '[]'
) STRICT;
INSERT INTO sync_events_by_key (key, origin_id, seq, uid, kind, at, doc, stock)
SELECT origin_id * 1099511627776 + seq, origin_id, seq, uid, kind, at, doc, stock
  FROM sync_events ORDER BY origin_id, seq;
DROP TABLE sync_events;
ALTER TABLE sync_events_by_key RENAME TO sync_events;
CREATE TRIGGER sync_events_no_update BEFORE UPDATE ON sync_events BEGIN SELECT RAISE(ABORT, 'sync events are append-only'); END;
CREATE TRIGGER sync_events_no_delete BEFORE DELETE ON sync_events BEGIN SELECT RAISE(ABORT, 'sync events are append-only'); END;
CREATE INDEX sync_events_refunded_sale ON sync_events(json_extract(doc, '$.sale'))
 WHERE kind = 'refund';
-- The replacement invoices another counter issued for a sale, found by the sale.
CREATE INDEX sync_events_invoiced_sale ON sync_events(json_extract(doc, '$.sale'))
 WHERE kind = 'invoice';

-- Version 18 (issue 17): how far the hub has acknowledged each of this folder's own origins,
-- as the sync worker last heard it. The status light counts from it the events still waiting
-- to go up (an earlier origin's too, after a restore or a new node code), right after a start
-- with the hub away, rather than only once the worker has reached the hub.
ALTER TABLE sync_origins ADD COLUMN hub_acked INTEGER NOT NULL DEFAULT 0 CHECK (hub_acked >= 0);
