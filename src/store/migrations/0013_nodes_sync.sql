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
