//! Gift-pack templates.

use super::catalog::product_at;
use super::sync::{ensure_catalogue_node, record_gift_pack};
use super::{Store, StoreError, StoreResult, from_milli, timestamp, to_milli};
use crate::core::barcode::in_store_ean13;
use crate::core::giftpack::{GiftPack, GiftPackError, PackPricing};
use crate::core::money::Money;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;
use serde::Deserialize;

/// In-store barcodes of gift packs are numbered from here, clear of the products' own.
const PACK_BARCODE_BASE: u64 = 9_000_000_000;

/// One row of `assets/demo_giftpacks.csv`: a component of a pack.
#[derive(Debug, Deserialize)]
struct DemoPackRow {
    pack_sku: String,
    pack_name: String,
    pack_price_vnd: i64,
    component_sku: String,
    component_qty: Decimal,
}

/// A template found by `condition` on `key`, whether or not it is on sale, with its contents
/// priced at `at` and whether it is active.
fn read_pack(
    conn: &Connection,
    condition: &str,
    key: &str,
    at: DateTime<Utc>,
) -> StoreResult<Option<(GiftPack, bool)>> {
    let header = conn
        .prepare_cached(&format!(
            "SELECT id, sku, barcode, name, pricing, amount, active FROM gift_packs
              WHERE {condition}"
        ))?
        .query_row([key], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, bool>(6)?,
            ))
        })
        .optional()?;
    let Some((id, sku, barcode, name, pricing, amount, active)) = header else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT product_id, quantity_milli FROM gift_pack_items WHERE pack_id = ?1
          ORDER BY position",
    )?;
    let items = stmt
        .query_map([id], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let items = items
        .into_iter()
        .map(|(product_id, quantity)| {
            let product = product_at(conn, product_id, at)?
                .ok_or_else(|| StoreError::Corrupt(format!("pack {sku}: product {product_id}")))?;
            Ok((product, from_milli(quantity)))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let pricing = match pricing.as_str() {
        "fixed" => PackPricing::Fixed(Money(amount)),
        _ => PackPricing::LessThanContents(Money(amount)),
    };
    Ok(Some((
        GiftPack {
            id,
            sku,
            barcode,
            name,
            pricing,
            items,
        },
        active,
    )))
}

/// A template's name, pricing and contents as they are stored, once checked.
struct CheckedTemplate {
    name: String,
    /// `fixed` or `less`, and the price or the discount.
    pricing: (&'static str, Money),
    /// Product ids and quantities per pack, in the order given.
    items: Vec<(i64, Decimal)>,
}

/// What creating and editing a template both require: a name, a positive price (or a
/// discount of 0 or more), and at least one item, each an existing product with a positive
/// quantity.
fn check_template(
    conn: &Connection,
    name: &str,
    pricing: PackPricing,
    items: &[(String, Decimal)],
) -> StoreResult<CheckedTemplate> {
    let refuse = StoreError::GiftPack;
    if name.trim().is_empty() {
        return Err(refuse(GiftPackError::NameRequired));
    }
    if items.is_empty() {
        return Err(refuse(GiftPackError::NoItems));
    }
    let pricing = match pricing {
        PackPricing::Fixed(price) if price > Money::ZERO => ("fixed", price),
        PackPricing::LessThanContents(discount) if discount >= Money::ZERO => ("less", discount),
        _ => return Err(refuse(GiftPackError::PriceNotPositive)),
    };
    let mut product_id = conn.prepare_cached("SELECT id FROM products WHERE sku = ?1")?;
    let items = items
        .iter()
        .map(|(item_sku, quantity)| {
            if *quantity <= Decimal::ZERO {
                return Err(refuse(GiftPackError::QuantityNotPositive(item_sku.clone())));
            }
            let product: Option<i64> = product_id
                .query_row([item_sku.trim()], |row| row.get(0))
                .optional()?;
            let product =
                product.ok_or_else(|| refuse(GiftPackError::NoSuchProduct(item_sku.clone())))?;
            Ok((product, *quantity))
        })
        .collect::<StoreResult<_>>()?;
    Ok(CheckedTemplate {
        name: name.trim().to_string(),
        pricing,
        items,
    })
}

fn insert_items(conn: &Connection, pack_id: i64, items: &[(i64, Decimal)]) -> StoreResult<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO gift_pack_items (pack_id, position, product_id, quantity_milli)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, (product, quantity)) in items.iter().enumerate() {
        insert.execute(params![
            pack_id,
            position as i64,
            product,
            to_milli(*quantity)
        ])?;
    }
    Ok(())
}

impl Store {
    /// The demo's gift packs (`assets/demo_giftpacks.csv`), at fixed prices.
    pub fn seed_demo_gift_packs(
        &mut self,
        packs_csv: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<usize> {
        let rows = csv::Reader::from_reader(packs_csv.as_bytes())
            .deserialize::<DemoPackRow>()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Corrupt(format!("demo gift packs: {e}")))?;
        let tx = self.conn.transaction()?;
        let mut packs = 0;
        for row in &rows {
            let created = tx.execute(
                "INSERT INTO gift_packs (sku, barcode, name, pricing, amount, created_at)
                 VALUES (?1, ?2, ?3, 'fixed', ?4, ?5) ON CONFLICT (sku) DO NOTHING",
                params![
                    row.pack_sku,
                    in_store_ean13(PACK_BARCODE_BASE + packs as u64 + 1),
                    row.pack_name,
                    row.pack_price_vnd,
                    timestamp(now)
                ],
            )?;
            packs += created;
            tx.execute(
                "INSERT INTO gift_pack_items (pack_id, position, product_id, quantity_milli)
                 SELECT p.id, (SELECT count(*) FROM gift_pack_items i WHERE i.pack_id = p.id),
                        (SELECT id FROM products WHERE sku = ?2), ?3
                   FROM gift_packs p WHERE p.sku = ?1",
                params![row.pack_sku, row.component_sku, to_milli(row.component_qty)],
            )?;
        }
        let skus: std::collections::BTreeSet<&str> =
            rows.iter().map(|row| row.pack_sku.as_str()).collect();
        for sku in skus {
            record_gift_pack(&tx, sku, now)?;
        }
        tx.commit()?;
        Ok(packs)
    }

    /// Creates a gift-pack template with its own in-store barcode. `items` are product SKUs
    /// and quantities per pack; every one must exist, and the pack must hold something.
    pub fn create_gift_pack(
        &mut self,
        sku: &str,
        name: &str,
        pricing: PackPricing,
        items: &[(String, Decimal)],
        at: DateTime<Utc>,
    ) -> StoreResult<GiftPack> {
        let sku = sku.trim();
        if sku.is_empty() {
            return Err(StoreError::GiftPack(GiftPackError::NameRequired));
        }
        let tx = self.conn.transaction()?;
        ensure_catalogue_node(&tx)?;
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM gift_packs WHERE sku = ?1)",
            [sku],
            |r| r.get(0),
        )?;
        if taken {
            return Err(StoreError::GiftPack(GiftPackError::SkuTaken(
                sku.to_string(),
            )));
        }
        let template = check_template(&tx, name, pricing, items)?;
        let next: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM gift_packs", [], |r| {
                r.get(0)
            })?;
        let (kind, amount) = template.pricing;
        tx.execute(
            "INSERT INTO gift_packs (sku, barcode, name, pricing, amount, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                sku,
                in_store_ean13(PACK_BARCODE_BASE + next as u64),
                template.name,
                kind,
                amount.dong(),
                timestamp(at)
            ],
        )?;
        insert_items(&tx, tx.last_insert_rowid(), &template.items)?;
        let (pack, _) = read_pack(&tx, "sku = ?1", sku, at)?.ok_or(StoreError::NotFound)?;
        record_gift_pack(&tx, sku, at)?;
        tx.commit()?;
        Ok(pack)
    }

    /// Replaces a template's name, pricing and contents, checked as when it was created; its
    /// SKU and barcode stay. Sales made before keep what they sold: their lines hold their own
    /// contents and prices.
    pub fn update_gift_pack(
        &mut self,
        sku: &str,
        name: &str,
        pricing: PackPricing,
        items: &[(String, Decimal)],
        at: DateTime<Utc>,
    ) -> StoreResult<GiftPack> {
        let sku = sku.trim();
        let tx = self.conn.transaction()?;
        ensure_catalogue_node(&tx)?;
        let pack_id: i64 = tx
            .query_row("SELECT id FROM gift_packs WHERE sku = ?1", [sku], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let template = check_template(&tx, name, pricing, items)?;
        let (kind, amount) = template.pricing;
        tx.execute(
            "UPDATE gift_packs SET name = ?2, pricing = ?3, amount = ?4 WHERE id = ?1",
            params![pack_id, template.name, kind, amount.dong()],
        )?;
        tx.execute("DELETE FROM gift_pack_items WHERE pack_id = ?1", [pack_id])?;
        insert_items(&tx, pack_id, &template.items)?;
        let (pack, _) = read_pack(&tx, "sku = ?1", sku, at)?.ok_or(StoreError::NotFound)?;
        record_gift_pack(&tx, sku, at)?;
        tx.commit()?;
        Ok(pack)
    }

    /// Puts a template on sale or takes it off: an inactive pack does not scan and is not
    /// offered at the counter, and comes back as it was when reactivated.
    pub fn set_gift_pack_active(&mut self, sku: &str, active: bool) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        ensure_catalogue_node(&tx)?;
        let changed = tx.execute(
            "UPDATE gift_packs SET active = ?2 WHERE sku = ?1",
            params![sku.trim(), active],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        record_gift_pack(&tx, sku.trim(), chrono::Utc::now())?;
        tx.commit()?;
        Ok(())
    }

    /// The active gift pack a barcode belongs to, with its contents priced at `at`.
    pub fn gift_pack_by_barcode(
        &self,
        barcode: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<GiftPack>> {
        Ok(read_pack(&self.conn, "barcode = ?1", barcode, at)?
            .and_then(|(pack, active)| active.then_some(pack)))
    }

    /// Every active gift pack, by SKU.
    pub fn gift_packs(&self, at: DateTime<Utc>) -> StoreResult<Vec<GiftPack>> {
        Ok(self
            .all_gift_packs(at)?
            .into_iter()
            .filter_map(|(pack, active)| active.then_some(pack))
            .collect())
    }

    /// Every template, active or not, by SKU, with whether it is active: the manager's list.
    pub fn all_gift_packs(&self, at: DateTime<Utc>) -> StoreResult<Vec<(GiftPack, bool)>> {
        let skus: Vec<String> = self
            .conn
            .prepare_cached("SELECT sku FROM gift_packs ORDER BY sku")?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        skus.iter()
            .map(|sku| {
                read_pack(&self.conn, "sku = ?1", sku, at)?
                    .ok_or_else(|| StoreError::Corrupt(format!("pack {sku}")))
            })
            .collect()
    }
}
