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
