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
