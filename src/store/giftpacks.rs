//! Gift-pack templates.

use super::catalog::product_at;
use super::{Store, StoreError, StoreResult, from_milli, timestamp, to_milli};
use crate::core::barcode::in_store_ean13;
use crate::core::giftpack::{GiftPack, PackPricing};
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

fn read_pack(
    conn: &Connection,
    condition: &str,
    key: &str,
    at: DateTime<Utc>,
) -> StoreResult<Option<GiftPack>> {
    let header = conn
        .prepare_cached(&format!(
            "SELECT id, sku, barcode, name, pricing, amount FROM gift_packs
              WHERE active = 1 AND {condition}"
        ))?
        .query_row([key], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, i64>(5)?,
            ))
        })
        .optional()?;
    let Some((id, sku, barcode, name, pricing, amount)) = header else {
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
    Ok(Some(GiftPack {
        id,
        sku,
        barcode,
        name,
        pricing,
        items,
    }))
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
        tx.commit()?;
        Ok(packs)
    }

    /// The active gift pack a barcode belongs to, with its contents priced at `at`.
    pub fn gift_pack_by_barcode(
        &self,
        barcode: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<GiftPack>> {
        read_pack(&self.conn, "barcode = ?1", barcode, at)
    }

    /// Every active gift pack, by SKU.
    pub fn gift_packs(&self, at: DateTime<Utc>) -> StoreResult<Vec<GiftPack>> {
        let skus: Vec<String> = self
            .conn
            .prepare_cached("SELECT sku FROM gift_packs WHERE active = 1 ORDER BY sku")?
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
