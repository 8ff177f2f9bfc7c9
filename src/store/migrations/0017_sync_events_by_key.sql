
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
