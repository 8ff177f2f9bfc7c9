//! The rows of the inventory screen's product table.

use super::{Store, StoreError, StoreResult, from_milli, timestamp};
use crate::core::money::Money;
use crate::core::product_list::{Interner, ProductRow, RowTexts};
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

/// A row, its producer, group and unit the copies `shared` keeps (read without a copy each).
fn product_row(row: &Row<'_>, shared: &mut Interner) -> rusqlite::Result<ProductRow> {
    let mut text = |column: usize| -> rusqlite::Result<_> {
        Ok(shared.intern(row.get_ref(column)?.as_str()?))
    };
    Ok(ProductRow {
        product_id: row.get(0)?,
        texts: RowTexts::new(
            row.get_ref(1)?.as_str()?,
            row.get_ref(2)?.as_str()?,
            row.get_ref(3)?.as_str()?,
        ),
        producer: text(4)?,
        ocop_group: text(5)?,
        stars: row.get(6)?,
        unit: text(7)?,
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
        let mut shared = Interner::default();
        let rows = stmt.query_map([timestamp(at)], |row| product_row(row, &mut shared))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The rows of these products as [`Store::product_rows`] gives them: what a change touched,
    /// read again without reading the whole catalogue.
    pub fn product_rows_of(&self, ids: &[i64], at: DateTime<Utc>) -> StoreResult<Vec<ProductRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{PRODUCT_ROW_AT_TIME} WHERE p.id = ?2"))?;
        let mut rows = Vec::with_capacity(ids.len());
        let mut shared = Interner::default();
        for id in ids {
            rows.extend(
                stmt.query_row(params![timestamp(at), id], |row| {
                    product_row(row, &mut shared)
                })
                .optional()?,
            );
        }
        Ok(rows)
    }

    /// The ids of the products with these SKUs (an unknown SKU has none).
    pub fn product_ids(&self, skus: &[String]) -> StoreResult<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM products WHERE sku = ?1")?;
        let mut ids = Vec::with_capacity(skus.len());
        for sku in skus {
            ids.extend(
                stmt.query_row([sku], |row| row.get::<_, i64>(0))
                    .optional()?,
            );
        }
        Ok(ids)
    }

    /// The id of the ledger's last movement (0 for none).
    pub fn last_stock_movement(&self) -> StoreResult<i64> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(id), 0) FROM stock_movements",
            [],
            |row| row.get(0),
        )?)
    }

    /// The products whose stock moved after movement `movement`, or whose price or VAT rate
    /// took effect after `since` and by `now`: what a table read then shows wrongly now.
    pub fn products_changed_since(
        &self,
        movement: i64,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT product_id FROM stock_movements WHERE id > ?1
             UNION SELECT product_id FROM product_prices
                    WHERE effective_from > ?2 AND effective_from <= ?3
             UNION SELECT product_id FROM product_vat_rates
                    WHERE effective_from > ?2 AND effective_from <= ?3",
        )?;
        let ids = stmt.query_map(params![movement, timestamp(since), timestamp(now)], |row| {
            row.get(0)
        })?;
        Ok(ids.collect::<Result<_, _>>()?)
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
