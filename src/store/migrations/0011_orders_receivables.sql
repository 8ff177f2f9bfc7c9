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
