//! The rows of the inventory screen's product table.

use super::{Store, StoreError, StoreResult, from_milli, timestamp};
use crate::core::money::Money;
use crate::core::product_list::ProductRow;
use crate::core::vat::VatRate;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

/// A product as the inventory table lists it at time `?1`; callers append their clauses.
const PRODUCT_ROW_AT_TIME: &str = "
    SELECT p.id, p.sku,
           coalesce((SELECT code FROM barcodes b WHERE b.product_id = p.id
                      ORDER BY code LIMIT 1), ''),
           p.name, pr.name, p.ocop_group, p.ocop_stars, p.unit,
           (SELECT price FROM product_prices pp
             WHERE pp.product_id = p.id AND pp.effective_from <= ?1
             ORDER BY pp.effective_from DESC LIMIT 1),
           (SELECT rate FROM product_vat_rates pv
             WHERE pv.product_id = p.id AND pv.effective_from <= ?1
             ORDER BY pv.effective_from DESC LIMIT 1),
           p.stock_milli, p.low_stock_milli, p.active
      FROM products p JOIN producers pr ON pr.id = p.producer_id";

fn product_row(row: &Row<'_>) -> rusqlite::Result<ProductRow> {
    Ok(ProductRow {
        product_id: row.get(0)?,
        sku: row.get(1)?,
        barcode: row.get(2)?,
        name: row.get(3)?,
        producer: row.get(4)?,
        ocop_group: row.get(5)?,
        stars: row.get(6)?,
        unit: row.get(7)?,
        price: row.get::<_, Option<i64>>(8)?.map(Money),
        vat: row
            .get::<_, Option<String>>(9)?
            .as_deref()
            .and_then(VatRate::from_code),
        stock: from_milli(row.get(10)?),
        low_stock: from_milli(row.get(11)?),
        active: row.get(12)?,
    })
}

impl Store {
    /// Every product, inactive ones too, by SKU, with the price and VAT rate in force at `at`
    /// and the stock kept equal to the ledger's sum.
    pub fn product_rows(&self, at: DateTime<Utc>) -> StoreResult<Vec<ProductRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{PRODUCT_ROW_AT_TIME} ORDER BY p.sku"))?;
        let rows = stmt.query_map([timestamp(at)], product_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Takes a product off the counter (its history stays), or puts it back on; audited in the
    /// same transaction.
    pub fn set_product_active<'a>(
        &mut self,
        product_id: i64,
        active: bool,
        by: impl Into<crate::core::audit::Actor<'a>>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        let sku: String = tx
            .query_row(
                "UPDATE products SET active = ?2 WHERE id = ?1 RETURNING sku",
                params![product_id, active],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound)?;
        super::inventory::set_active_audit(&tx, by.into(), &sku, active, Utc::now())?;
        tx.commit()?;
        Ok(())
    }
}
