
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
