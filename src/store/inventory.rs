//! The back office: products and producers created and edited, prices and VAT rates scheduled,
//! stock received, adjusted and counted, certificates kept, and the catalogue CSV imported and
//! exported. Every change to stock is a row of the one ledger (`stock_movements`).

use super::staff::insert_audit;
use super::sync::{
    ensure_catalogue_node, new_uid, record_event, record_producer, record_product, uid_of,
};
use super::{
    Store, StoreError, StoreResult, from_milli, parse_rate, parse_timestamp, timestamp, to_milli,
};
use crate::core::audit::{Actor, AuditAct};
use crate::core::barcode::in_store_ean13;
use crate::core::clock::format_local;
use crate::core::inventory::{
    AdjustmentReason, Certificate, CertificateStatus, InventoryError, ProducerDraft, ProducerKind,
    ProductDraft, ProductRow, RowError, StockMovement, StockMovementKind,
    lots_left_first_expiry_first, parse_producers_csv, parse_products_csv,
};
use crate::core::money::Money;
use crate::core::staff::AuditChange;
use crate::core::vat::VatRate;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use rust_decimal::Decimal;
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a sale may take a product's stock below zero: [`WARN_ON_NEGATIVE_STOCK`] (the
/// default: the sale goes through and the counter may warn) or [`BLOCK_NEGATIVE_STOCK`]. The
/// ledger records what was sold either way.
pub const NEGATIVE_STOCK_SETTING: &str = "stock.negative_policy";
pub const WARN_ON_NEGATIVE_STOCK: &str = "warn";
pub const BLOCK_NEGATIVE_STOCK: &str = "block";

/// Inside a sale's transaction, after its stock movements: under the blocking policy, refuses
/// the sale (the caller's transaction rolls back) if a product it sold is now below zero.
pub(crate) fn enforce_negative_stock_policy(
    tx: &Transaction<'_>,
    product_ids: impl IntoIterator<Item = i64>,
) -> StoreResult<()> {
    let policy: Option<String> = tx
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([NEGATIVE_STOCK_SETTING], |row| row.get(0))
        .optional()?;
    if policy.as_deref() != Some(BLOCK_NEGATIVE_STOCK) {
        return Ok(());
    }
    let mut below_zero =
        tx.prepare_cached("SELECT sku FROM products WHERE id = ?1 AND stock_milli < 0")?;
    for id in product_ids {
        if let Some(sku) = below_zero.query_row([id], |row| row.get(0)).optional()? {
            return refuse(InventoryError::OutOfStock(sku));
        }
    }
    Ok(())
}

pub(super) fn refuse<T>(error: InventoryError) -> StoreResult<T> {
    Err(StoreError::Inventory(error))
}

/// A product as the back office edits it, with the price and VAT rate in force at `?1` (or, for
/// a product whose first price is still to come, the first scheduled ones). Callers append
/// their own WHERE clause.
const PRODUCT_DRAFT_AT_TIME: &str = "
    SELECT p.id, p.sku,
           (SELECT group_concat(code, ' ') FROM
              (SELECT code FROM barcodes b WHERE b.product_id = p.id ORDER BY code)),
           p.name, pr.name, p.ocop_group, p.ocop_stars, p.unit, p.sold_by_weight, p.plu,
           coalesce((SELECT price FROM product_prices pp
                      WHERE pp.product_id = p.id AND pp.effective_from <= ?1
                      ORDER BY pp.effective_from DESC LIMIT 1),
                    (SELECT price FROM product_prices pp WHERE pp.product_id = p.id
                      ORDER BY pp.effective_from LIMIT 1)),
           coalesce((SELECT rate FROM product_vat_rates pv
                      WHERE pv.product_id = p.id AND pv.effective_from <= ?1
                      ORDER BY pv.effective_from DESC LIMIT 1),
                    (SELECT rate FROM product_vat_rates pv WHERE pv.product_id = p.id
                      ORDER BY pv.effective_from LIMIT 1)),
           p.low_stock_milli, p.active
      FROM products p JOIN producers pr ON pr.id = p.producer_id";

fn draft_from_row(row: &Row<'_>) -> rusqlite::Result<(i64, ProductDraft, String)> {
    let barcodes: Option<String> = row.get(2)?;
    let rate: String = row.get(11)?;
    Ok((
        row.get(0)?,
        ProductDraft {
            sku: row.get(1)?,
            barcodes: barcodes
                .unwrap_or_default()
                .split_whitespace()
                .map(String::from)
                .collect(),
            name: row.get(3)?,
            producer: row.get(4)?,
            ocop_group: row.get(5)?,
            stars: row.get(6)?,
            unit: row.get(7)?,
            sold_by_weight: row.get(8)?,
            plu: row.get(9)?,
            price: Money(row.get(10)?),
            // Read as text and checked by the caller: a closure here cannot return StoreError.
            vat: VatRate::NotSubject,
            low_stock: from_milli(row.get(12)?),
            active: row.get(13)?,
        },
        rate,
    ))
}

/// The products `condition` selects (it may use `?2`, bound to `key`), priced at `at`.
fn read_drafts(
    conn: &Connection,
    condition: &str,
    key: impl rusqlite::ToSql,
    at: DateTime<Utc>,
) -> StoreResult<Vec<(i64, ProductDraft)>> {
    query_drafts(conn, condition, params![timestamp(at), key])
}

fn query_drafts(
    conn: &Connection,
    condition: &str,
    parameters: impl rusqlite::Params,
) -> StoreResult<Vec<(i64, ProductDraft)>> {
    let mut stmt = conn.prepare_cached(&format!("{PRODUCT_DRAFT_AT_TIME} {condition}"))?;
    let rows = stmt.query_map(parameters, draft_from_row)?;
    rows.map(|row| {
        let (id, mut draft, rate) = row?;
        draft.vat = parse_rate(&rate)?;
        Ok((id, draft))
    })
    .collect()
}

/// What an import does (or, previewed, would do), by SKU (producers by name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub created: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: usize,
    /// What each changed row changes, field by field, in file order.
    pub changes: Vec<FieldChange>,
    /// Opening stock set from the file's `stock` column: one count movement per product
    /// whose stock differs, in file order.
    pub stock_counts: Vec<FieldChange>,
}

impl ImportOutcome {
    /// What the import does, one line each: `+ KG950` created, `~ KG001 price: 165.000 ₫ →
    /// 170.000 ₫` changed (a line per field), `= KG001 stock: 0 → 48` opening stock set.
    pub fn preview_lines(&self) -> impl Iterator<Item = String> + '_ {
        let change = |sign: &str, change: &FieldChange| {
            format!(
                "{sign} {} {}: {} → {}",
                change.key, change.field, change.before, change.after
            )
        };
        self.created
            .iter()
            .map(|key| format!("+ {key}"))
            .chain(self.changes.iter().map(move |c| change("~", c)))
            .chain(self.stock_counts.iter().map(move |c| change("=", c)))
    }

    /// How many lines [`ImportOutcome::preview_lines`] gives.
    pub fn preview_len(&self) -> usize {
        self.created.len() + self.changes.len() + self.stock_counts.len()
    }
}

/// One field of one record, before and after (as the audit log words them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub key: String,
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// Whether an import only tells what it would do, or does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    Preview,
    Commit,
}

/// The price and VAT-rate records of a product, oldest first, future ones included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceHistory {
    pub prices: Vec<(DateTime<Utc>, Money)>,
    pub vat_rates: Vec<(DateTime<Utc>, VatRate)>,
}

/// A product at or below its low-stock threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowStock {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub stock: Decimal,
    pub threshold: Decimal,
}

/// A received lot whose expiry date is near (or past) while some of it is likely still on the
/// shelf. The ledger does not tell which lot a sale took: `left` assumes first-expiry-first
/// (see [`lots_left_first_expiry_first`]); `on_hand` is the product's whole stock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiringLot {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub lot: String,
    pub expires_on: NaiveDate,
    pub received: Decimal,
    pub on_hand: Decimal,
    pub left: Decimal,
}

/// A product whose count differed from the ledger, and by how much (counted − expected).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockVariance {
    pub product_id: i64,
    pub expected: Decimal,
    pub counted: Decimal,
}

/// A certificate that has expired or expires within the warning window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateAlert {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub certificate: Certificate,
    pub status: CertificateStatus,
}

impl Store {
    /// Adds a product: its price and VAT rate take effect at `at`; without a maker's barcode
    /// it gets an in-store EAN-13. Returns its id. Audited in the same transaction.
    pub fn create_product<'a>(
        &mut self,
        draft: ProductDraft,
        at: DateTime<Utc>,
        by: impl Into<Actor<'a>>,
    ) -> StoreResult<i64> {
        let draft = draft.validated().map_err(StoreError::Inventory)?;
        let tx = self.conn.transaction()?;
        ensure_catalogue_node(&tx)?;
        let id = insert_product(&tx, &draft, at)?;
        audit_created(&tx, by.into(), &draft, at)?;
        record_product(&tx, id, at)?;
        tx.commit()?;
        Ok(id)
    }

    /// Changes a product's details. A price or VAT rate different from the one in force at
    /// `at` takes effect at `at` (earlier sales keep theirs). Barcodes given replace the
    /// product's; none given keeps them. What changed is audited in the same transaction.
    pub fn update_product<'a>(
        &mut self,
        product_id: i64,
        draft: ProductDraft,
        at: DateTime<Utc>,
        by: impl Into<Actor<'a>>,
    ) -> StoreResult<()> {
        let draft = draft.validated().map_err(StoreError::Inventory)?;
        let tx = self.conn.transaction()?;
        ensure_catalogue_node(&tx)?;
        let current = draft_at(&tx, product_id, at)?;
        update_product(&tx, product_id, &current, &draft, at, by.into())?;
        record_product(&tx, product_id, at)?;
        tx.commit()?;
        Ok(())
    }

    /// A product as the back office edits it, priced at `at`.
    pub fn product_draft(
        &self,
        product_id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<ProductDraft>> {
        Ok(read_drafts(&self.conn, "WHERE p.id = ?2", product_id, at)?
            .pop()
            .map(|(_, draft)| draft))
    }

    /// A new price from `from` on (a later record replaces one at the same moment), audited.
    pub fn schedule_price<'a>(
        &mut self,
        product_id: i64,
        price: Money,
        from: DateTime<Utc>,
        by: impl Into<Actor<'a>>,
    ) -> StoreResult<()> {
        if price <= Money::ZERO {
            return refuse(InventoryError::PriceNotPositive);
        }
        let tx = self.conn.transaction()?;
        ensure_catalogue_node(&tx)?;
        let before = draft_at(&tx, product_id, from)?;
        set_price(&tx, product_id, price, from)?;
        audit_scheduled_price(&tx, by.into(), &before, price, before.vat, from)?;
        record_product(&tx, product_id, Utc::now())?;
        tx.commit()?;
        Ok(())
    }

    /// A new VAT rate from `from` on, e.g. 10 % from 1 Jan 2027, audited.
    pub fn schedule_vat_rate<'a>(
        &mut self,
        product_id: i64,
        rate: VatRate,
        from: DateTime<Utc>,
        by: impl Into<Actor<'a>>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        ensure_catalogue_node(&tx)?;
        let before = draft_at(&tx, product_id, from)?;
        set_vat_rate(&tx, product_id, rate, from)?;
        audit_scheduled_price(&tx, by.into(), &before, before.price, rate, from)?;
        record_product(&tx, product_id, Utc::now())?;
        tx.commit()?;
        Ok(())
    }

    pub fn price_history(&self, product_id: i64) -> StoreResult<PriceHistory> {
        let mut prices = self.conn.prepare_cached(
            "SELECT effective_from, price FROM product_prices WHERE product_id = ?1
              ORDER BY effective_from",
        )?;
        let prices = prices
            .query_map([product_id], |row| {
                Ok((row.get::<_, String>(0)?, row.get(1)?))
            })?
            .map(|row| {
                let (from, price) = row?;
                Ok((parse_timestamp(&from)?, Money(price)))
            })
            .collect::<StoreResult<_>>()?;
        let mut rates = self.conn.prepare_cached(
            "SELECT effective_from, rate FROM product_vat_rates WHERE product_id = ?1
              ORDER BY effective_from",
        )?;
        let vat_rates = rates
            .query_map([product_id], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })?
            .map(|row| {
                let (from, rate) = row?;
                Ok((parse_timestamp(&from)?, parse_rate(&rate)?))
            })
            .collect::<StoreResult<_>>()?;
        Ok(PriceHistory { prices, vat_rates })
    }

    /// Removes a product entered by mistake. Refused for a product that was ever sold or has
    /// any stock history (such a product is deactivated instead), or that a gift-pack template
    /// holds (take it out of the template first). Audited in the same transaction.
    pub fn delete_product<'a>(
        &mut self,
        product_id: i64,
        by: impl Into<Actor<'a>>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        ensure_catalogue_node(&tx)?;
        let (sold, moved): (bool, bool) = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM sale_lines WHERE product_id = ?1),
                    EXISTS (SELECT 1 FROM stock_movements WHERE product_id = ?1)",
            [product_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        if sold {
            return refuse(InventoryError::EverSold);
        }
        if moved {
            return refuse(InventoryError::HasStockHistory);
        }
        // Inactive templates too: their contents still point at the product.
        let pack: Option<String> = tx
            .query_row(
                "SELECT g.name FROM gift_pack_items i JOIN gift_packs g ON g.id = i.pack_id
                  WHERE i.product_id = ?1 ORDER BY g.sku LIMIT 1",
                [product_id],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(pack) = pack {
            return refuse(InventoryError::InGiftPack(pack));
        }
        let (sku, name): (String, String) = tx
            .query_row(
                "SELECT sku, name FROM products WHERE id = ?1",
                [product_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let change = AuditChange {
            subject: &sku,
            before: &name,
            after: "",
        };
        insert_audit(&tx, by.into(), AuditAct::DeleteProduct, &change, Utc::now())?;
        let uid = uid_of(&tx, "products", product_id)?;
        record_event(
            &tx,
            "product",
            json!({"uid": uid, "deleted": true}),
            Utc::now(),
        )?;
        for table in [
            "barcodes",
            "product_prices",
            "product_vat_rates",
            "product_certificates",
        ] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE product_id = ?1"),
                [product_id],
            )?;
        }
        if tx.execute("DELETE FROM products WHERE id = ?1", [product_id])? == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit()?;
        Ok(())
    }

    /// Adds a producer (`id` None) or changes one. Returns its id.
    pub fn save_producer(&mut self, id: Option<i64>, draft: ProducerDraft) -> StoreResult<i64> {
        let draft = draft.validated().map_err(StoreError::Inventory)?;
        let tx = self.conn.transaction()?;
        ensure_catalogue_node(&tx)?;
        let id = save_producer(&tx, id, &draft)?;
        record_producer(&tx, id, Utc::now())?;
        tx.commit()?;
        Ok(id)
    }

    /// Every producer, by name.
    pub fn producer_drafts(&self) -> StoreResult<Vec<(i64, ProducerDraft)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, kind, area, province, contact, tax_code, bank_account,
                    consignment, commission_pct
               FROM producers ORDER BY name",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                [
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                    row.get(7)?,
                ],
                row.get::<_, bool>(8)?,
                row.get::<_, String>(9)?,
            ))
        })?;
        rows.map(|row| {
            let (
                id,
                name,
                kind,
                [commune, province, contact, tax_code, bank_account],
                consigns,
                pct,
            ) = row?;
            let corrupt = |what: &str| StoreError::Corrupt(format!("producer {name}: {what}"));
            let kind = ProducerKind::from_code(&kind).ok_or_else(|| corrupt(&kind))?;
            let consignment = if consigns {
                Some(pct.parse::<Decimal>().map_err(|_| corrupt(&pct))?)
            } else {
                None
            };
            Ok((
                id,
                ProducerDraft {
                    name,
                    kind,
                    commune,
                    province,
                    contact,
                    tax_code,
                    bank_account,
                    consignment,
                },
            ))
        })
        .collect()
    }

    /// Stock added (positive) or taken off (negative) by hand, for a reason; audited with the
    /// stock before and after, in the same transaction.
    pub fn adjust_stock<'a>(
        &mut self,
        product_id: i64,
        quantity: Decimal,
        reason: AdjustmentReason,
        note: &str,
        at: DateTime<Utc>,
        by: impl Into<Actor<'a>>,
    ) -> StoreResult<()> {
        let by = by.into();
        if to_milli(quantity) == 0 {
            return refuse(InventoryError::QuantityZero);
        }
        let tx = self.conn.transaction()?;
        let (sku, stock): (String, i64) = tx
            .query_row(
                "SELECT sku, stock_milli FROM products WHERE id = ?1",
                [product_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound)?;
        tx.execute(
            "INSERT INTO stock_movements (product_id, kind, quantity_milli, note, created_at,
                                          created_by, reason, origin_id)
             VALUES (?1, 'adjustment', ?2, ?3, ?4, ?5, ?6, (SELECT origin_id FROM sync_node))",
            params![
                product_id,
                to_milli(quantity),
                note.trim(),
                timestamp(at),
                by.name,
                reason.code()
            ],
        )?;
        let mut after = format!(
            "{} ({})",
            from_milli(stock + to_milli(quantity)),
            reason.code()
        );
        if !note.trim().is_empty() {
            after = format!("{after} · {}", note.trim());
        }
        let change = AuditChange {
            subject: &sku,
            before: &from_milli(stock).to_string(),
            after: &after,
        };
        let doc = json!({"uid": new_uid(), "note": note.trim(), "reason": reason.code()});
        record_event(&tx, "adjustment", doc, at)?;
        insert_audit(&tx, by, AuditAct::AdjustStock, &change, at)?;
        tx.commit()?;
        Ok(())
    }

    /// A stock count: for each product counted, a count movement of the difference from the
    /// ledger (none where they agree), each audited with the expected and the counted stock,
    /// all in one transaction. Returns the differences.
    pub fn post_stock_count<'a>(
        &mut self,
        counts: &[(i64, Decimal)],
        at: DateTime<Utc>,
        by: impl Into<Actor<'a>>,
    ) -> StoreResult<Vec<StockVariance>> {
        let by = by.into();
        if counts.iter().any(|(_, counted)| *counted < Decimal::ZERO) {
            return refuse(InventoryError::QuantityNotPositive);
        }
        // Immediate: no sale may slip in between reading the ledger and writing the variance.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut variances = Vec::new();
        for &(product_id, counted) in counts {
            let expected: i64 = tx.query_row(
                "SELECT coalesce(sum(quantity_milli), 0) FROM stock_movements WHERE product_id = ?1",
                [product_id],
                |row| row.get(0),
            )?;
            let difference = to_milli(counted) - expected;
            if difference == 0 {
                continue;
            }
            tx.execute(
                "INSERT INTO stock_movements (product_id, kind, quantity_milli, created_at, created_by, origin_id)
                 VALUES (?1, 'count', ?2, ?3, ?4, (SELECT origin_id FROM sync_node))",
                params![product_id, difference, timestamp(at), by.name],
            )?;
            let sku: String = tx.query_row(
                "SELECT sku FROM products WHERE id = ?1",
                [product_id],
                |row| row.get(0),
            )?;
            let change = AuditChange {
                subject: &sku,
                before: &from_milli(expected).to_string(),
                after: &from_milli(to_milli(counted)).to_string(),
            };
            insert_audit(&tx, by, AuditAct::PostStockCount, &change, at)?;
            variances.push(StockVariance {
                product_id,
                expected: from_milli(expected),
                counted: from_milli(to_milli(counted)),
            });
        }
        if !variances.is_empty() {
            record_event(&tx, "count", json!({"uid": new_uid(), "note": ""}), at)?;
        }
        tx.commit()?;
        Ok(variances)
    }

    /// A product's stock ledger, oldest first.
    pub fn stock_history(&self, product_id: i64) -> StoreResult<Vec<StockMovement>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.kind, m.reason, m.quantity_milli, m.created_at, m.created_by, m.note,
                    s.receipt_no, m.producer_id, m.unit_cost, m.lot, m.expires_on,
                    m.delivery_note_no
               FROM stock_movements m LEFT JOIN sales s ON s.id = m.sale_id
              WHERE m.product_id = ?1 ORDER BY m.id",
        )?;
        let rows = stmt.query_map([product_id], |row| {
            Ok((
                [row.get::<_, String>(0)?, row.get(3)?],
                row.get::<_, Option<String>>(1)?,
                row.get::<_, i64>(2)?,
                [row.get::<_, String>(4)?, row.get(5)?],
                row.get(6)?,
                row.get(7)?,
                row.get::<_, Option<i64>>(8)?,
                row.get(9)?,
                row.get::<_, Option<String>>(10)?,
                row.get(11)?,
            ))
        })?;
        rows.map(|row| {
            let (
                [kind, at],
                reason,
                quantity,
                [by, note],
                receipt_no,
                producer_id,
                unit_cost,
                lot,
                expires_on,
                delivery_note_no,
            ) = row?;
            Ok(StockMovement {
                kind: StockMovementKind::from_codes(&kind, reason.as_deref())
                    .ok_or_else(|| StoreError::Corrupt(format!("stock movement kind {kind:?}")))?,
                quantity: from_milli(quantity),
                at: parse_timestamp(&at)?,
                by,
                note,
                receipt_no,
                producer_id,
                unit_cost: unit_cost.map(Money),
                lot,
                expires_on: expires_on.as_deref().map(parse_day).transpose()?,
                delivery_note_no,
            })
        })
        .collect()
    }

    /// Stock on hand of every product that has any movement, summed from the ledger itself.
    pub fn stock_on_hand(&self) -> StoreResult<Vec<(i64, Decimal)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT product_id, sum(quantity_milli) FROM stock_movements GROUP BY product_id",
        )?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, from_milli(row.get(1)?))))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Sets the stock level at or below which a product is listed as low (0: never).
    pub fn set_low_stock_threshold(
        &mut self,
        product_id: i64,
        threshold: Decimal,
    ) -> StoreResult<()> {
        if threshold < Decimal::ZERO {
            return refuse(InventoryError::NegativeThreshold);
        }
        let tx = self.conn.transaction()?;
        ensure_catalogue_node(&tx)?;
        let changed = tx.execute(
            "UPDATE products SET low_stock_milli = ?2 WHERE id = ?1",
            params![product_id, to_milli(threshold)],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        record_product(&tx, product_id, Utc::now())?;
        tx.commit()?;
        Ok(())
    }

    /// Active products at or below their threshold, emptiest first.
    pub fn low_stock(&self) -> StoreResult<Vec<LowStock>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, sku, name, stock_milli, low_stock_milli FROM products
              WHERE active = 1 AND low_stock_milli > 0 AND stock_milli <= low_stock_milli
              ORDER BY stock_milli, sku",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(LowStock {
                product_id: row.get(0)?,
                sku: row.get(1)?,
                name: row.get(2)?,
                stock: from_milli(row.get(3)?),
                threshold: from_milli(row.get(4)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Received lots expiring before `today + days` (expired ones included) of products
    /// still in stock, soonest first.
    pub fn near_expiry_lots(&self, today: NaiveDate, days: u32) -> StoreResult<Vec<ExpiringLot>> {
        let until = today + chrono::Days::new(u64::from(days));
        // Every dated lot of each product that has one expiring soon: the later lots decide
        // how much of the early ones is likely left.
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.sku, p.name, m.lot, m.expires_on, m.quantity_milli, p.stock_milli
               FROM stock_movements m JOIN products p ON p.id = m.product_id
              WHERE m.kind = 'receipt' AND m.expires_on IS NOT NULL AND p.stock_milli > 0
                AND p.id IN (SELECT product_id FROM stock_movements
                              WHERE expires_on IS NOT NULL AND expires_on < ?1)
              ORDER BY p.sku, m.expires_on, m.id",
        )?;
        let rows = stmt.query_map([until.to_string()], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, i64>(6)?,
            ))
        })?;
        let mut lots = Vec::new();
        for row in rows {
            let (product_id, sku, name, lot, expires_on, received, on_hand) = row?;
            lots.push(ExpiringLot {
                product_id,
                sku,
                name,
                lot,
                expires_on: parse_day(&expires_on)?,
                received: from_milli(received),
                on_hand: from_milli(on_hand),
                left: Decimal::ZERO,
            });
        }
        for product in lots.chunk_by_mut(|a, b| a.product_id == b.product_id) {
            let dated: Vec<(NaiveDate, Decimal)> = product
                .iter()
                .map(|lot| (lot.expires_on, lot.received))
                .collect();
            let left = lots_left_first_expiry_first(product[0].on_hand, &dated);
            for (lot, left) in product.iter_mut().zip(left) {
                lot.left = left;
            }
        }
        lots.retain(|lot| lot.expires_on < until && lot.left > Decimal::ZERO);
        lots.sort_by(|a, b| (a.expires_on, &a.sku).cmp(&(b.expires_on, &b.sku)));
        Ok(lots)
    }

    /// Records (or replaces) a product's OCOP certificate; its stars become the product's.
    pub fn save_certificate(
        &mut self,
        product_id: i64,
        certificate: Certificate,
    ) -> StoreResult<()> {
        let certificate = certificate.validated().map_err(StoreError::Inventory)?;
        let tx = self.conn.transaction()?;
        ensure_catalogue_node(&tx)?;
        tx.execute(
            "INSERT INTO product_certificates (product_id, number, issuer, issued_on, stars)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (product_id) DO UPDATE SET number = excluded.number,
                 issuer = excluded.issuer, issued_on = excluded.issued_on, stars = excluded.stars",
            params![
                product_id,
                certificate.number,
                certificate.issuer,
                certificate.issued_on.to_string(),
                certificate.stars
            ],
        )?;
        tx.execute(
            "UPDATE products SET ocop_stars = ?2 WHERE id = ?1",
            params![product_id, certificate.stars],
        )?;
        record_product(&tx, product_id, Utc::now())?;
        tx.commit()?;
        Ok(())
    }

    pub fn certificate(&self, product_id: i64) -> StoreResult<Option<Certificate>> {
        let row = self
            .conn
            .query_row(
                "SELECT number, issuer, issued_on, stars FROM product_certificates
                  WHERE product_id = ?1",
                [product_id],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get::<_, String>(2)?,
                        row.get(3)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(number, issuer, issued_on, stars)| {
            Ok(Certificate {
                number,
                issuer,
                issued_on: parse_day(&issued_on)?,
                stars,
            })
        })
        .transpose()
    }

    /// Certificates of active products that have expired or expire within `warn_days`.
    pub fn certificate_alerts(
        &self,
        today: NaiveDate,
        warn_days: i64,
    ) -> StoreResult<Vec<CertificateAlert>> {
        let mut stmt = self.conn.prepare_cached(
            // CROSS JOIN keeps the certificates (a few) the outer loop: left to itself the
            // planner walked all the products (300k: 0.1 s on each save in the back office).
            "SELECT p.id, p.sku, p.name, c.number, c.issuer, c.issued_on, c.stars
               FROM product_certificates c CROSS JOIN products p ON p.id = c.product_id
              WHERE p.active = 1 ORDER BY c.issued_on, p.sku",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get::<_, String>(5)?,
                row.get(6)?,
            ))
        })?;
        let mut alerts = Vec::new();
        for row in rows {
            let (product_id, sku, name, number, issuer, issued_on, stars) = row?;
            let certificate = Certificate {
                number,
                issuer,
                issued_on: parse_day(&issued_on)?,
                stars,
            };
            let status = certificate.status(today, warn_days);
            if status != CertificateStatus::Valid {
                alerts.push(CertificateAlert {
                    product_id,
                    sku,
                    name,
                    certificate,
                    status,
                });
            }
        }
        Ok(alerts)
    }

    /// Imports a product CSV all or nothing: every row is checked (against the file and the
    /// store) before anything is kept, and any bad row refuses the whole file with every bad
    /// line named. A preview does the same work and keeps nothing. `progress` hears
    /// `(rows done, rows)`.
    pub fn import_products<'a>(
        &mut self,
        csv: &str,
        mode: ImportMode,
        at: DateTime<Utc>,
        by: impl Into<Actor<'a>>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> StoreResult<ImportOutcome> {
        let never = AtomicBool::new(false);
        self.import_products_cancellable(csv, mode, at, by, progress, &never)
    }

    /// [`Store::import_products`], stopped (nothing kept) as soon as `cancel` is set: an import
    /// running off the window's thread can be called off.
    pub fn import_products_cancellable<'a>(
        &mut self,
        csv: &str,
        mode: ImportMode,
        at: DateTime<Utc>,
        by: impl Into<Actor<'a>>,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> StoreResult<ImportOutcome> {
        let by = by.into();
        let parsed = parse_products_csv(csv);
        let sets_active = parsed.sets_active();
        let mut errors = parsed.errors;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        ensure_catalogue_node(&tx)?;
        let mut outcome = ImportOutcome::default();
        // Rows good on their own are checked against the store even when others are bad, so
        // one refusal names every bad line.
        let rows = parsed.rows.len();
        for (done, (line, row)) in parsed.rows.into_iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return refuse(InventoryError::ImportCancelled);
            }
            let ProductRow {
                mut draft,
                opening_stock,
            } = row;
            let existing = read_drafts(&tx, "WHERE p.sku = ?2", &draft.sku, at)?.pop();
            if let Some((_, current)) = &existing
                && !sets_active
            {
                draft.active = current.active;
            }
            let sku = draft.sku.clone();
            let saved = match existing {
                None => insert_product(&tx, &draft, at).and_then(|id| {
                    audit_created(&tx, by, &draft, at)?;
                    outcome.created.push(sku.clone());
                    Ok(id)
                }),
                Some((id, current)) if same_product(&current, &draft) => {
                    outcome.unchanged += 1;
                    Ok(id)
                }
                Some((id, current)) => {
                    update_product(&tx, id, &current, &draft, at, by).map(|()| {
                        outcome.changes.extend(product_changes(&current, &draft));
                        outcome.changed.push(sku.clone());
                        id
                    })
                }
            };
            match saved {
                Ok(id) => {
                    if let Some(stock) = opening_stock {
                        outcome
                            .stock_counts
                            .extend(set_opening_stock(&tx, id, &sku, stock, at, by)?);
                    }
                    record_product(&tx, id, at)?;
                }
                Err(StoreError::Inventory(reason)) => errors.push(RowError { line, reason }),
                Err(other) => return Err(other),
            }
            progress(done + 1, rows);
        }
        if !errors.is_empty() {
            errors.sort_by_key(|error| error.line);
            return refuse(InventoryError::BadRows(errors));
        }
        // One row for the file: created, changed (each change has its own row) and unchanged.
        let summary = AuditChange {
            subject: "",
            before: "",
            after: &format!(
                "+{} ~{} ={}",
                outcome.created.len(),
                outcome.changed.len(),
                outcome.unchanged
            ),
        };
        insert_audit(&tx, by, AuditAct::ImportProducts, &summary, at)?;
        if mode == ImportMode::Commit {
            tx.commit()?;
        }
        Ok(outcome)
    }

    /// Every product, inactive ones too, as the CSV holds it, priced at `at`, by SKU.
    pub fn export_products(&self, at: DateTime<Utc>) -> StoreResult<Vec<ProductDraft>> {
        let never = AtomicBool::new(false);
        self.export_products_cancellable(at, &mut |_, _| {}, &never)
    }

    /// [`Store::export_products`] read row by row, telling `progress` `(rows read, rows)` and
    /// stopped as soon as `cancel` is set: an export running off the window's thread can be
    /// called off.
    pub fn export_products_cancellable(
        &self,
        at: DateTime<Utc>,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> StoreResult<Vec<ProductDraft>> {
        // One read transaction: the count and the rows see the same catalogue.
        let tx = self.conn.unchecked_transaction()?;
        let rows: usize = tx
            .prepare_cached("SELECT count(*) FROM products")?
            .query_row([], |row| row.get::<_, i64>(0))?
            .try_into()
            .unwrap_or(0);
        let mut stmt = tx.prepare_cached(&format!("{PRODUCT_DRAFT_AT_TIME} ORDER BY p.sku"))?;
        let mut drafts = Vec::with_capacity(rows);
        for row in stmt.query_map(params![timestamp(at)], draft_from_row)? {
            if cancel.load(Ordering::Relaxed) {
                return refuse(InventoryError::ExportCancelled);
            }
            let (_, mut draft, rate) = row?;
            draft.vat = parse_rate(&rate)?;
            drafts.push(draft);
            progress(drafts.len(), rows);
        }
        Ok(drafts)
    }

    /// Imports a producer CSV all or nothing, matching producers by name; each producer
    /// created or changed is audited (before and after) in the import's transaction.
    pub fn import_producers<'a>(
        &mut self,
        csv: &str,
        mode: ImportMode,
        at: DateTime<Utc>,
        by: impl Into<Actor<'a>>,
    ) -> StoreResult<ImportOutcome> {
        let never = AtomicBool::new(false);
        self.import_producers_cancellable(csv, mode, at, by, &mut |_, _| {}, &never)
    }

    /// [`Store::import_producers`], telling `progress` the rows done and the rows, and stopped
    /// (nothing kept) as soon as `cancel` is set: an import off the window's thread.
    pub fn import_producers_cancellable<'a>(
        &mut self,
        csv: &str,
        mode: ImportMode,
        at: DateTime<Utc>,
        by: impl Into<Actor<'a>>,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> StoreResult<ImportOutcome> {
        let by = by.into();
        let drafts = parse_producers_csv(csv)
            .into_result()
            .map_err(|errors| StoreError::Inventory(InventoryError::BadRows(errors)))?;
        let existing: std::collections::HashMap<String, (i64, ProducerDraft)> = self
            .producer_drafts()?
            .into_iter()
            .map(|(id, draft)| (draft.name.clone(), (id, draft)))
            .collect();
        let tx = self.conn.transaction()?;
        ensure_catalogue_node(&tx)?;
        let mut outcome = ImportOutcome::default();
        let rows = drafts.len();
        for (done, (_, draft)) in drafts.into_iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return refuse(InventoryError::ImportCancelled);
            }
            progress(done, rows);
            let fields = producer_fields(&draft);
            let (before, id) = match existing.get(&draft.name) {
                Some((_, current)) if *current == draft => {
                    outcome.unchanged += 1;
                    continue;
                }
                Some((id, current)) => {
                    let before = producer_fields(current);
                    outcome.changes.extend(
                        before
                            .iter()
                            .zip(&fields)
                            .filter(|(old, new)| old.1 != new.1)
                            .map(|(old, new)| FieldChange {
                                key: draft.name.clone(),
                                field: old.0,
                                before: old.1.clone(),
                                after: new.1.clone(),
                            }),
                    );
                    outcome.changed.push(draft.name.clone());
                    (before, Some(*id))
                }
                None => {
                    outcome.created.push(draft.name.clone());
                    (Default::default(), None)
                }
            };
            let saved = save_producer(&tx, id, &draft)?;
            record_producer(&tx, saved, at)?;
            let words = |fields: &[(&str, String)]| {
                fields
                    .iter()
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(field, value)| format!("{field}: {value}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let change = AuditChange {
                subject: &draft.name,
                before: &words(&before),
                after: &words(&fields),
            };
            insert_audit(&tx, by, AuditAct::CatalogueImported, &change, at)?;
        }
        progress(rows, rows);
        if mode == ImportMode::Commit {
            tx.commit()?;
        }
        Ok(outcome)
    }
}

/// A producer's fields as the CSV names them, for previews and the audit log.
fn producer_fields(draft: &ProducerDraft) -> [(&'static str, String); 7] {
    [
        ("kind", draft.kind.code().to_string()),
        ("commune", draft.commune.clone()),
        ("province", draft.province.clone()),
        ("contact", draft.contact.clone()),
        ("tax_code", draft.tax_code.clone()),
        ("bank_account", draft.bank_account.clone()),
        (
            "commission_pct",
            draft
                .consignment
                .map(|pct| pct.normalize().to_string())
                .unwrap_or_default(),
        ),
    ]
}

/// Nothing to change: equal, where a row without barcodes keeps the product's.
fn same_product(current: &ProductDraft, draft: &ProductDraft) -> bool {
    if draft.barcodes.is_empty() {
        ProductDraft {
            barcodes: current.barcodes.clone(),
            ..draft.clone()
        } == *current
    } else {
        draft == current
    }
}

pub(super) fn parse_day(text: &str) -> StoreResult<NaiveDate> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("date {text:?}")))
}

fn producer_id(conn: &Connection, name: &str) -> StoreResult<i64> {
    conn.prepare_cached("SELECT id FROM producers WHERE name = ?1")?
        .query_row([name], |row| row.get(0))
        .optional()?
        .map_or_else(
            || refuse(InventoryError::NoSuchProducer(name.to_string())),
            Ok,
        )
}

fn check_sku_free(conn: &Connection, sku: &str) -> StoreResult<()> {
    let taken: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM products WHERE sku = ?1)")?
        .query_row([sku], |row| row.get(0))?;
    if taken {
        return refuse(InventoryError::SkuTaken(sku.to_string()));
    }
    Ok(())
}

/// Refuses a barcode or PLU already used by another product than `product_id`.
fn check_unique_codes(
    conn: &Connection,
    product_id: Option<i64>,
    draft: &ProductDraft,
) -> StoreResult<()> {
    let mut owner = conn.prepare_cached("SELECT product_id FROM barcodes WHERE code = ?1")?;
    for code in &draft.barcodes {
        let found: Option<i64> = owner.query_row([code], |row| row.get(0)).optional()?;
        if found.is_some_and(|id| Some(id) != product_id) {
            return refuse(InventoryError::BarcodeTaken(code.clone()));
        }
    }
    if let Some(plu) = draft.plu {
        let found: Option<i64> = conn
            .prepare_cached("SELECT id FROM products WHERE plu = ?1")?
            .query_row([plu], |row| row.get(0))
            .optional()?;
        if found.is_some_and(|id| Some(id) != product_id) {
            return refuse(InventoryError::PluTaken(plu));
        }
    }
    Ok(())
}

fn insert_product(
    tx: &Transaction<'_>,
    draft: &ProductDraft,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let producer = producer_id(tx, &draft.producer)?;
    check_sku_free(tx, &draft.sku)?;
    check_unique_codes(tx, None, draft)?;
    tx.prepare_cached(
        "INSERT INTO products (sku, name, producer_id, ocop_group, ocop_stars, unit,
                               sold_by_weight, plu, low_stock_milli, created_at, active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        draft.sku,
        draft.name,
        producer,
        draft.ocop_group,
        draft.stars,
        draft.unit,
        draft.sold_by_weight,
        draft.plu,
        to_milli(draft.low_stock),
        timestamp(at),
        draft.active
    ])?;
    let id = tx.last_insert_rowid();
    if draft.barcodes.is_empty() {
        insert_barcode(tx, id, &free_in_store_barcode(tx, id)?)?;
    } else {
        for code in &draft.barcodes {
            insert_barcode(tx, id, code)?;
        }
    }
    set_price(tx, id, draft.price, at)?;
    set_vat_rate(tx, id, draft.vat, at)?;
    Ok(id)
}

/// A product as the back office edits it, priced at `at`.
fn draft_at(conn: &Connection, product_id: i64, at: DateTime<Utc>) -> StoreResult<ProductDraft> {
    Ok(read_drafts(conn, "WHERE p.id = ?2", product_id, at)?
        .pop()
        .ok_or(StoreError::NotFound)?
        .1)
}

fn update_product(
    tx: &Transaction<'_>,
    id: i64,
    current: &ProductDraft,
    draft: &ProductDraft,
    at: DateTime<Utc>,
    by: Actor<'_>,
) -> StoreResult<()> {
    audit_product_change(tx, by, current, draft, at)?;
    let producer = producer_id(tx, &draft.producer)?;
    if draft.sku != current.sku {
        check_sku_free(tx, &draft.sku)?;
    }
    check_unique_codes(tx, Some(id), draft)?;
    tx.prepare_cached(
        "UPDATE products SET sku = ?2, name = ?3, producer_id = ?4, ocop_group = ?5,
                ocop_stars = ?6, unit = ?7, sold_by_weight = ?8, plu = ?9, low_stock_milli = ?10,
                active = ?11
          WHERE id = ?1",
    )?
    .execute(params![
        id,
        draft.sku,
        draft.name,
        producer,
        draft.ocop_group,
        draft.stars,
        draft.unit,
        draft.sold_by_weight,
        draft.plu,
        to_milli(draft.low_stock),
        draft.active
    ])?;
    if !draft.barcodes.is_empty() && draft.barcodes != current.barcodes {
        tx.execute("DELETE FROM barcodes WHERE product_id = ?1", [id])?;
        for code in &draft.barcodes {
            insert_barcode(tx, id, code)?;
        }
    }
    if draft.price != current.price {
        set_price(tx, id, draft.price, at)?;
    }
    if draft.vat != current.vat {
        set_vat_rate(tx, id, draft.vat, at)?;
    }
    Ok(())
}

/// A product's details other than price, VAT rate and status, before and after; the
/// barcodes a draft leaves empty are kept.
fn detail_changes(
    current: &ProductDraft,
    draft: &ProductDraft,
) -> [(&'static str, String, String); 10] {
    let optional = |value: Option<String>| value.unwrap_or_else(|| "—".to_string());
    [
        ("sku", current.sku.clone(), draft.sku.clone()),
        ("name", current.name.clone(), draft.name.clone()),
        ("producer", current.producer.clone(), draft.producer.clone()),
        (
            "group",
            current.ocop_group.clone(),
            draft.ocop_group.clone(),
        ),
        (
            "stars",
            optional(current.stars.map(|s| s.to_string())),
            optional(draft.stars.map(|s| s.to_string())),
        ),
        ("unit", current.unit.clone(), draft.unit.clone()),
        (
            "weighed",
            current.sold_by_weight.to_string(),
            draft.sold_by_weight.to_string(),
        ),
        (
            "plu",
            optional(current.plu.map(|p| p.to_string())),
            optional(draft.plu.map(|p| p.to_string())),
        ),
        (
            "low_stock",
            current.low_stock.normalize().to_string(),
            draft.low_stock.normalize().to_string(),
        ),
        (
            "barcodes",
            current.barcodes.join(" "),
            // No barcodes given keeps the product's.
            if draft.barcodes.is_empty() {
                current.barcodes.join(" ")
            } else {
                draft.barcodes.join(" ")
            },
        ),
    ]
}

/// Every field an update changes, before → after, as an import's preview lists them.
fn product_changes(current: &ProductDraft, draft: &ProductDraft) -> Vec<FieldChange> {
    let yes_no = |active: bool| if active { "1" } else { "0" }.to_string();
    [
        ("price", current.price.to_string(), draft.price.to_string()),
        ("vat", current.vat.to_string(), draft.vat.to_string()),
        ("active", yes_no(current.active), yes_no(draft.active)),
    ]
    .into_iter()
    .chain(detail_changes(current, draft))
    .filter(|(_, before, after)| before != after)
    .map(|(field, before, after)| FieldChange {
        key: draft.sku.clone(),
        field,
        before,
        after,
    })
    .collect()
}

/// A created product's audit row, as the form writes it.
fn audit_created(
    conn: &Connection,
    by: Actor<'_>,
    draft: &ProductDraft,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let change = AuditChange {
        subject: &draft.sku,
        before: "",
        after: &format!("{} · {} · {}", draft.name, draft.price, draft.vat),
    };
    insert_audit(conn, by, AuditAct::CreateProduct, &change, at)
}

/// Sets a product's stock to `stock` with one count movement of the difference (none when
/// it already holds that), audited as a count is.
fn set_opening_stock(
    tx: &Transaction<'_>,
    product_id: i64,
    sku: &str,
    stock: Decimal,
    at: DateTime<Utc>,
    by: Actor<'_>,
) -> StoreResult<Option<FieldChange>> {
    let held: i64 = tx
        .prepare_cached("SELECT stock_milli FROM products WHERE id = ?1")?
        .query_row([product_id], |row| row.get(0))?;
    let difference = to_milli(stock) - held;
    if difference == 0 {
        return Ok(None);
    }
    tx.prepare_cached(
        "INSERT INTO stock_movements (product_id, kind, quantity_milli, created_at, created_by, note, origin_id)
         VALUES (?1, 'count', ?2, ?3, ?4, 'CSV', (SELECT origin_id FROM sync_node))",
    )?
    .execute(params![product_id, difference, timestamp(at), by.name])?;
    let change = FieldChange {
        key: sku.to_string(),
        field: "stock",
        before: from_milli(held).to_string(),
        after: from_milli(to_milli(stock)).to_string(),
    };
    let audit = AuditChange {
        subject: sku,
        before: &change.before,
        after: &change.after,
    };
    insert_audit(tx, by, AuditAct::PostStockCount, &audit, at)?;
    Ok(Some(change))
}

/// The audit rows of a product's change: its price or VAT rate, whether it is on sale, and
/// its other details (each changed field, before and after).
fn audit_product_change(
    conn: &Connection,
    by: Actor<'_>,
    current: &ProductDraft,
    draft: &ProductDraft,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let sku = draft.sku.as_str();
    if (current.price, current.vat) != (draft.price, draft.vat) {
        let change = AuditChange {
            subject: sku,
            before: &format!("{} · {}", current.price, current.vat),
            after: &format!("{} · {}", draft.price, draft.vat),
        };
        insert_audit(conn, by, AuditAct::ChangePrice, &change, at)?;
    }
    if current.active != draft.active {
        set_active_audit(conn, by, sku, draft.active, at)?;
    }
    let fields = detail_changes(current, draft);
    let changed: Vec<_> = fields
        .iter()
        .filter(|(_, before, after)| before != after)
        .collect();
    if !changed.is_empty() {
        let side = |pick: &dyn Fn(&(&str, String, String)) -> String| {
            changed
                .iter()
                .map(|field| format!("{}: {}", field.0, pick(field)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let change = AuditChange {
            subject: sku,
            before: &side(&|field| field.1.clone()),
            after: &side(&|field| field.2.clone()),
        };
        insert_audit(conn, by, AuditAct::EditProduct, &change, at)?;
    }
    Ok(())
}

/// The audit row of a product taken off the counter or put back.
pub(super) fn set_active_audit(
    conn: &Connection,
    by: Actor<'_>,
    sku: &str,
    active: bool,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let (act, before, after) = if active {
        (AuditAct::ReactivateProduct, "0", "1")
    } else {
        (AuditAct::DeactivateProduct, "1", "0")
    };
    let change = AuditChange {
        subject: sku,
        before,
        after,
    };
    insert_audit(conn, by, act, &change, at)
}

/// The audit row of a price or VAT rate scheduled from `from` on.
fn audit_scheduled_price(
    conn: &Connection,
    by: Actor<'_>,
    before: &ProductDraft,
    price: Money,
    vat: VatRate,
    from: DateTime<Utc>,
) -> StoreResult<()> {
    let change = AuditChange {
        subject: &before.sku,
        before: &format!("{} · {}", before.price, before.vat),
        after: &format!("{price} · {vat} ({})", format_local(from)),
    };
    insert_audit(conn, by, AuditAct::ChangePrice, &change, Utc::now())
}

fn insert_barcode(conn: &Connection, product_id: i64, code: &str) -> StoreResult<()> {
    conn.prepare_cached("INSERT INTO barcodes (code, product_id) VALUES (?1, ?2)")?
        .execute(params![code, product_id])?;
    Ok(())
}

/// An in-store EAN-13 numbered after the product, or the next free number after it.
fn free_in_store_barcode(conn: &Connection, product_id: i64) -> StoreResult<String> {
    let mut taken =
        conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM barcodes WHERE code = ?1)")?;
    let mut number = product_id as u64;
    loop {
        let code = in_store_ean13(number);
        if !taken.query_row([&code], |row| row.get::<_, bool>(0))? {
            return Ok(code);
        }
        number += 1;
    }
}

fn set_price(
    conn: &Connection,
    product_id: i64,
    price: Money,
    from: DateTime<Utc>,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO product_prices (product_id, effective_from, price) VALUES (?1, ?2, ?3)
         ON CONFLICT (product_id, effective_from) DO UPDATE SET price = excluded.price",
    )?
    .execute(params![product_id, timestamp(from), price.0])?;
    Ok(())
}

fn set_vat_rate(
    conn: &Connection,
    product_id: i64,
    rate: VatRate,
    from: DateTime<Utc>,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO product_vat_rates (product_id, effective_from, rate) VALUES (?1, ?2, ?3)
         ON CONFLICT (product_id, effective_from) DO UPDATE SET rate = excluded.rate",
    )?
    .execute(params![product_id, timestamp(from), rate.code()])?;
    Ok(())
}

fn save_producer(conn: &Connection, id: Option<i64>, draft: &ProducerDraft) -> StoreResult<i64> {
    let taken: Option<i64> = conn
        .prepare_cached("SELECT id FROM producers WHERE name = ?1")?
        .query_row([&draft.name], |row| row.get(0))
        .optional()?;
    if taken.is_some_and(|other| Some(other) != id) {
        return refuse(InventoryError::ProducerNameTaken(draft.name.clone()));
    }
    let pct = draft
        .consignment
        .unwrap_or_default()
        .normalize()
        .to_string();
    let values = params![
        draft.name,
        draft.kind.code(),
        draft.commune,
        draft.province,
        draft.contact,
        draft.tax_code,
        draft.bank_account,
        draft.consignment.is_some(),
        pct,
        id
    ];
    match id {
        None => {
            conn.prepare_cached(
                "INSERT INTO producers (name, kind, area, province, contact, tax_code,
                                        bank_account, consignment, commission_pct)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(&values[..9])?;
            Ok(conn.last_insert_rowid())
        }
        Some(id) => {
            let changed = conn
                .prepare_cached(
                    "UPDATE producers SET name = ?1, kind = ?2, area = ?3, province = ?4,
                            contact = ?5, tax_code = ?6, bank_account = ?7, consignment = ?8,
                            commission_pct = ?9
                      WHERE id = ?10",
                )?
                .execute(values)?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(id)
        }
    }
}
