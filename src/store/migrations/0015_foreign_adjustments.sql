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
