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
