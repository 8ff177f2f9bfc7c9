use super::cash::{AUTO_OPEN_SESSIONS, SESSION_POLICY_SETTING};
use super::sync::{record_producer, record_product};
use super::{Store, StoreError, StoreResult, from_milli, parse_timestamp, timestamp, to_milli};
use crate::core::barcode::in_store_ean13;
use crate::core::catalog::{Product, SoldLately};
use crate::core::clock::{local_date, start_of_local_day};
use crate::core::inventory::{Certificate, CertificateStatus};
use crate::core::money::Money;
use crate::core::shared_text::Interner;
use crate::core::vat::VatRate;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;

/// The columns of a product as the counter sees it at time `?1`: the price and VAT rate in
/// force then. Callers append their own WHERE clause.
const PRODUCT_AT_TIME: &str = "
    SELECT p.id, p.sku,
           (SELECT code FROM barcodes b WHERE b.product_id = p.id ORDER BY code LIMIT 1),
           p.plu, p.name, pr.name, p.ocop_group, p.ocop_stars, p.unit, p.sold_by_weight,
           (SELECT price FROM product_prices pp
             WHERE pp.product_id = p.id AND pp.effective_from <= ?1
             ORDER BY pp.effective_from DESC LIMIT 1) AS price,
           (SELECT rate FROM product_vat_rates pv
             WHERE pv.product_id = p.id AND pv.effective_from <= ?1
             ORDER BY pv.effective_from DESC LIMIT 1) AS rate,
           p.stock_milli,
           (SELECT issued_on FROM product_certificates c WHERE c.product_id = p.id),
           ?1
      FROM products p JOIN producers pr ON pr.id = p.producer_id";

/// A product as sold, its producer, group and unit the copies `shared` keeps.
fn product_from_row(row: &Row<'_>, shared: &mut Interner) -> rusqlite::Result<Option<Product>> {
    let price: Option<i64> = row.get(10)?;
    let rate: Option<String> = row.get(11)?;
    // A product with no price or rate in force yet cannot be sold.
    let (Some(price), Some(vat)) = (price, rate.as_deref().and_then(VatRate::from_code)) else {
        return Ok(None);
    };
    let certified_on: Option<String> = row.get(13)?;
    let stars = match certified_on {
        Some(issued_on) => {
            let at: String = row.get(14)?;
            stars_in_force(row.get(7)?, &issued_on, &at)
        }
        None => row.get(7)?,
    };
    Ok(Some(Product {
        id: row.get(0)?,
        sku: row.get(1)?,
        barcode: row.get(2)?,
        plu: row.get(3)?,
        name: row.get(4)?,
        producer: shared.intern(row.get_ref(5)?.as_str()?),
        ocop_group: shared.intern(row.get_ref(6)?.as_str()?),
        stars,
        unit: shared.intern(row.get_ref(8)?.as_str()?),
        sold_by_weight: row.get(9)?,
        price: Money(price),
        vat,
        stock: from_milli(row.get(12)?),
    }))
}

/// A product's stars on the day of `at` (a stored timestamp), given the day its OCOP
/// certificate was issued: none once the certificate has lapsed, since the mark may then no
/// longer be shown (on the shelf, the receipt or the gift slip). A product with no
/// certificate on file keeps the stars entered for it.
fn stars_in_force(stars: Option<u8>, issued_on: &str, at: &str) -> Option<u8> {
    let issued_on = NaiveDate::parse_from_str(issued_on, "%Y-%m-%d").ok();
    let day = parse_timestamp(at).ok().map(local_date);
    match (issued_on, day) {
        (Some(issued_on), Some(day)) => {
            let certificate = Certificate {
                number: String::new(),
                issuer: String::new(),
                issued_on,
                stars: 0,
            };
            stars.filter(|_| certificate.status(day, 0) != CertificateStatus::Expired)
        }
        // An unreadable date is no reason to print stars that may have lapsed.
        _ => None,
    }
}

/// The stars of a sale line as the certificate allows on the day of the sale (at `at`).
pub(crate) fn line_stars_in_force(
    conn: &Connection,
    product_id: i64,
    stars: Option<u8>,
    at: DateTime<Utc>,
) -> StoreResult<Option<u8>> {
    let issued_on: Option<String> = conn
        .prepare_cached("SELECT issued_on FROM product_certificates WHERE product_id = ?1")?
        .query_row([product_id], |row| row.get(0))
        .optional()?;
    Ok(match issued_on {
        Some(issued_on) => stars_in_force(stars, &issued_on, &timestamp(at)),
        None => stars,
    })
}

fn one_product(
    conn: &Connection,
    condition: &str,
    key: impl rusqlite::ToSql,
    at: DateTime<Utc>,
) -> StoreResult<Option<Product>> {
    let mut stmt = conn.prepare_cached(&format!("{PRODUCT_AT_TIME} {condition}"))?;
    Ok(stmt
        .query_row(params![timestamp(at), key], |row| {
            product_from_row(row, &mut Interner::default())
        })
        .optional()?
        .flatten())
}

/// A product by id (active or not), priced at `at`.
pub(crate) fn product_at(
    conn: &Connection,
    id: i64,
    at: DateTime<Utc>,
) -> StoreResult<Option<Product>> {
    one_product(conn, "WHERE p.id = ?2", id, at)
}

/// One row of `assets/demo_products.csv`.
#[derive(Debug, Deserialize)]
struct DemoProductRow {
    sku: String,
    barcode: String,
    name: String,
    producer: String,
    producer_kind: String,
    area: String,
    ocop_group: String,
    ocop_stars: Option<u8>,
    unit: String,
    price_vnd: i64,
    vat_percent: String,
    stock: Decimal,
    sold_by_weight: u8,
}

/// What seeding the demo store did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSeed {
    pub products: usize,
    pub producers: usize,
}

/// The day the temporary 8 % VAT rate ends: 8 % goods go back to 10 % from 1 Jan 2027.
fn end_of_reduced_vat() -> DateTime<Utc> {
    start_of_local_day(NaiveDate::from_ymd_opt(2027, 1, 1).expect("valid date"))
}

/// The demo's terms (invented, as real ones are agreed producer by producer): cooperatives,
/// household businesses and facilities sell on consignment; companies sell outright.
fn demo_consignment(kind: &str) -> bool {
    matches!(kind, "cooperative" | "household" | "facility")
}

const DEMO_COMMISSION_PCT: &str = "15";

/// The number part of a SKU such as `KG026`, used as the demo's scale PLU.
fn sku_number(sku: &str) -> Option<u32> {
    let digits: String = sku.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

impl Store {
    /// The SKU and name of each product among `uids` this node knows (by its global id), for
    /// what the hub reports by uid.
    pub fn product_names_by_uid(&self, uids: &[&str]) -> StoreResult<HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT sku || ' ' || name FROM products WHERE uid = ?1")?;
        let mut names = HashMap::new();
        for uid in uids {
            if let Some(name) = stmt
                .query_row([uid], |row| row.get::<_, String>(0))
                .optional()?
            {
                names.insert(uid.to_string(), name);
            }
        }
        Ok(names)
    }

    pub fn product_count(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM products", [], |row| row.get(0))?)
    }

    /// Fills an empty store with the demo catalogue: producers, products with prices and VAT
    /// rates (the scheduled 8 % → 10 % change included), barcodes and opening stock.
    pub fn seed_demo(&mut self, products_csv: &str, now: DateTime<Utc>) -> StoreResult<DemoSeed> {
        let rows = csv::Reader::from_reader(products_csv.as_bytes())
            .deserialize::<DemoProductRow>()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Corrupt(format!("demo catalogue: {e}")))?;
        let tx = self.conn.transaction()?;
        let at = timestamp(now);
        let mut producers_recorded = std::collections::HashSet::new();
        for row in &rows {
            insert_demo_product(&tx, row, &at, now)?;
            let (product, producer): (i64, i64) = tx.query_row(
                "SELECT id, producer_id FROM products WHERE sku = ?1",
                [&row.sku],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            // Other nodes learn a producer before the first of its products.
            if producers_recorded.insert(producer) {
                record_producer(&tx, producer, now)?;
            }
            record_product(&tx, product, now)?;
        }
        let producers: i64 = tx.query_row("SELECT count(*) FROM producers", [], |r| r.get(0))?;
        // The demo sells at once: its first sale opens a cash session with no float.
        super::settings::write_default_setting(
            &tx,
            SESSION_POLICY_SETTING,
            AUTO_OPEN_SESSIONS,
            now,
        )?;
        // Its staff's published PINs are weak on purpose; a real store refuses such PINs.
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
            params![
                super::STORE_KIND_SETTING,
                crate::core::settings::StoreKind::Demo.code()
            ],
        )?;
        tx.commit()?;
        Ok(DemoSeed {
            products: rows.len(),
            producers: producers as usize,
        })
    }

    /// Every active product with the price and VAT rate in force at `at`, by SKU.
    pub fn catalogue(&self, at: DateTime<Utc>) -> StoreResult<Vec<Product>> {
        let mut products = Vec::new();
        self.each_on_counter(at, &mut |product| products.push(product))?;
        Ok(products)
    }

    /// [`Store::catalogue`] one product at a time, for a reader that keeps less than all of
    /// them (the counter keeps their search entries): 300,000 products are never all in
    /// memory at once.
    pub fn each_on_counter(
        &self,
        at: DateTime<Utc>,
        take: &mut dyn FnMut(Product),
    ) -> StoreResult<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{PRODUCT_AT_TIME} WHERE p.active = 1 ORDER BY p.sku"
        ))?;
        let mut shared = Interner::default();
        let rows = stmt.query_map([timestamp(at)], |row| product_from_row(row, &mut shared))?;
        for row in rows {
            if let Some(product) = row? {
                take(product);
            }
        }
        Ok(())
    }

    /// The active product a SKU names, in any case ("kg001" finds KG001), priced at `at`: the
    /// exact SKU by its index first; only a SKU typed in another case scans the products.
    pub fn product_by_sku(&self, sku: &str, at: DateTime<Utc>) -> StoreResult<Option<Product>> {
        match self.one_product("WHERE p.active = 1 AND p.sku = ?2", sku, at)? {
            Some(product) => Ok(Some(product)),
            None => self.one_product(
                "WHERE p.active = 1 AND p.sku = ?2 COLLATE NOCASE ORDER BY p.sku LIMIT 1",
                sku,
                at,
            ),
        }
    }

    /// The active product a barcode belongs to, priced at `at`.
    pub fn product_by_barcode(
        &self,
        code: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Product>> {
        self.one_product(
            "WHERE p.active = 1 AND p.id = (SELECT product_id FROM barcodes WHERE code = ?2)",
            code,
            at,
        )
    }

    /// These products as the counter sells them, priced at `at`: `None` for one not on sale
    /// (taken off the counter, or deleted).
    pub fn products_on_counter(
        &self,
        ids: &[i64],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<(i64, Option<Product>)>> {
        ids.iter()
            .map(|&id| {
                Ok((
                    id,
                    one_product(&self.conn, "WHERE p.active = 1 AND p.id = ?2", id, at)?,
                ))
            })
            .collect()
    }

    /// How many times each product (sold loose, not in a gift pack) and each gift pack sold in
    /// the 30 local days up to `now`: the counter's search ranks equal matches by it.
    pub fn sold_lately(&self, now: DateTime<Utc>) -> StoreResult<SoldLately> {
        let since = (local_date(now) - chrono::Duration::days(30)).to_string();
        let products = self
            .conn
            .prepare_cached(
                "SELECT l.product_id, count(*) FROM sales s JOIN sale_lines l ON l.sale_id = s.id
                  WHERE s.local_date >= ?1 AND l.basket_no IS NULL GROUP BY l.product_id",
            )?
            .query_map([&since], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let packs = self
            .conn
            .prepare_cached(
                "SELECT b.sku, count(*) FROM sales s JOIN sale_baskets b ON b.sale_id = s.id
                  WHERE s.local_date >= ?1 GROUP BY b.sku",
            )?
            .query_map([&since], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(SoldLately { products, packs })
    }

    /// The name of the product or gift pack off the counter (ngừng bán) that a barcode belongs
    /// to, so the till can say so rather than "no such product".
    pub fn discontinued_by_barcode(&self, code: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT p.name FROM barcodes b JOIN products p ON p.id = b.product_id
                  WHERE b.code = ?1 AND p.active = 0
                 UNION ALL
                 SELECT name FROM gift_packs WHERE barcode = ?1 AND active = 0",
            )?
            .query_row([code], |row| row.get(0))
            .optional()?)
    }

    /// The name of the weighed product off the counter that a scale label's PLU names.
    pub fn discontinued_by_plu(&self, plu: u32) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT name FROM products WHERE plu = ?1 AND active = 0")?
            .query_row([plu], |row| row.get(0))
            .optional()?)
    }

    /// The active weighed product a scale label's PLU names, priced at `at`.
    pub fn product_by_plu(&self, plu: u32, at: DateTime<Utc>) -> StoreResult<Option<Product>> {
        self.one_product("WHERE p.active = 1 AND p.plu = ?2", plu, at)
    }

    pub fn product_by_id(&self, id: i64, at: DateTime<Utc>) -> StoreResult<Option<Product>> {
        product_at(&self.conn, id, at)
    }

    fn one_product(
        &self,
        condition: &str,
        key: impl rusqlite::ToSql,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Product>> {
        one_product(&self.conn, condition, key, at)
    }

    /// Stock on hand as the ledger's sum, ignoring the cached column.
    pub fn ledger_stock(&self, product_id: i64) -> StoreResult<Decimal> {
        let milli: i64 = self.conn.query_row(
            "SELECT coalesce(sum(quantity_milli), 0) FROM stock_movements WHERE product_id = ?1",
            [product_id],
            |row| row.get(0),
        )?;
        Ok(from_milli(milli))
    }

    /// Products whose cached stock differs from their ledger (should always be none).
    pub fn stock_mismatches(&self) -> StoreResult<Vec<i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT p.id FROM products p
               LEFT JOIN (SELECT product_id, sum(quantity_milli) AS s FROM stock_movements
                          GROUP BY product_id) m ON m.product_id = p.id
              WHERE p.stock_milli <> coalesce(m.s, 0)",
        )?;
        let ids = stmt.query_map([], |row| row.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }
}

fn insert_demo_product(
    tx: &Transaction<'_>,
    row: &DemoProductRow,
    at: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO producers (name, kind, area, consignment, commission_pct)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO NOTHING",
        params![
            row.producer,
            row.producer_kind,
            row.area,
            demo_consignment(&row.producer_kind),
            if demo_consignment(&row.producer_kind) {
                DEMO_COMMISSION_PCT
            } else {
                "0"
            }
        ],
    )?;
    let sold_by_weight = row.sold_by_weight == 1;
    let plu = if sold_by_weight {
        sku_number(&row.sku)
    } else {
        None
    };
    tx.execute(
        "INSERT INTO products (sku, name, producer_id, ocop_group, ocop_stars, unit,
                               sold_by_weight, plu, created_at, low_stock_milli)
         VALUES (?1, ?2, (SELECT id FROM producers WHERE name = ?3), ?4, ?5, ?6, ?7, ?8, ?9,
                 ?10)",
        params![
            row.sku,
            row.name,
            row.producer,
            row.ocop_group,
            row.ocop_stars.filter(|s| *s >= 3),
            row.unit,
            sold_by_weight,
            plu,
            at,
            // The demo reorders at a fifth of its opening stock.
            to_milli((row.stock / Decimal::from(5)).round())
        ],
    )?;
    let product_id = tx.last_insert_rowid();
    let barcode = if row.barcode.trim().is_empty() {
        in_store_ean13(u64::from(sku_number(&row.sku).unwrap_or(0)))
    } else {
        row.barcode.trim().to_string()
    };
    tx.execute(
        "INSERT INTO barcodes (code, product_id) VALUES (?1, ?2)",
        params![barcode, product_id],
    )?;
    tx.execute(
        "INSERT INTO product_prices (product_id, effective_from, price) VALUES (?1, ?2, ?3)",
        params![product_id, at, row.price_vnd],
    )?;
    let rate = VatRate::from_code(&row.vat_percent).ok_or_else(|| {
        StoreError::Corrupt(format!("VAT rate {:?} of {}", row.vat_percent, row.sku))
    })?;
    tx.execute(
        "INSERT INTO product_vat_rates (product_id, effective_from, rate) VALUES (?1, ?2, ?3)",
        params![product_id, at, rate.code()],
    )?;
    if rate == VatRate::Percent(Decimal::from(8)) && now < end_of_reduced_vat() {
        tx.execute(
            "INSERT INTO product_vat_rates (product_id, effective_from, rate) VALUES (?1, ?2, '10')",
            params![product_id, timestamp(end_of_reduced_vat())],
        )?;
    }
    tx.execute(
        "INSERT INTO stock_movements (product_id, kind, quantity_milli, note, created_at, created_by, origin_id)
         VALUES (?1, 'opening', ?2, 'demo', ?3, 'demo', (SELECT origin_id FROM sync_node))",
        params![product_id, to_milli(row.stock), at],
    )?;
    Ok(())
}
