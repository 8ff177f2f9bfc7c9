
-- Version 12 (issue 16, the back office): a receiving-note line keeps the name of its product's
-- own producer when that is not the producer the note is from (empty when it is), so the line
-- prints under its own producer, the same on every reprint.

ALTER TABLE receiving_lines ADD COLUMN producer TEXT NOT NULL DEFAULT '';

-- The inventory screen, shown again, reads only the products whose price or VAT rate took
-- effect since it last read them.
CREATE INDEX product_prices_effective ON product_prices(effective_from);
CREATE INDEX product_vat_rates_effective ON product_vat_rates(effective_from);
