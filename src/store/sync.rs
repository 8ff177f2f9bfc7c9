//! The sync outbox: one event per document, appended in the document's own transaction by
//! [`record_event`], read in order by [`Store::events_after`] (for `events export` and the
//! future sync worker), and other nodes' events applied by [`Store::apply_events`].
//!
//! A writer cannot leave its stock rows out of an event: a temporary trigger notes every stock
//! movement written under this folder's origin, [`record_event`] takes the noted rows into the
//! event it appends, and a commit with rows still unrecorded is turned into a rollback (the
//! commit hook in `numbering` asks [`Unrecorded::any`]).

use super::foreign_sales::keep_foreign_sale;
use super::node::read_identity;
use super::{Store, StoreError, StoreResult, timestamp};
use crate::core::sale::SaleRecord;
use crate::core::sync_event::{StockRow, SyncEvent, origin};
use chrono::{DateTime, Utc};
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde_json::{Value, json};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// The kinds of event that carry the catalogue: applied by uid, and only from the catalogue node.
pub const CATALOGUE_KINDS: [&str; 5] = ["product", "producer", "gift_pack", "staff", "setting"];

/// Why a batch of events was refused. Nothing of the batch is applied then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    /// The events are another store's.
    OtherStore { theirs: String, ours: String },
    /// Events are missing between what this node holds of an origin and the batch.
    Gap {
        origin: String,
        expected: i64,
        found: i64,
    },
    /// The same `(origin, seq)` arrived with other contents: a restored or copied folder.
    Conflict { origin: String, seq: i64 },
    /// A stock row names a product this node does not know yet.
    UnknownProduct {
        origin: String,
        seq: i64,
        uid: String,
    },
    /// An event refers to something this node does not hold (a producer, a sale).
    Unknown { what: String },
    /// A catalogue edit was tried on a node that is not the store's catalogue node.
    NotCatalogueNode { catalogue_node: String },
    /// A store setting or a person on the staff was to be changed on a node that is not the
    /// store's catalogue node.
    StoreDetailsElsewhere { catalogue_node: String },
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::OtherStore { theirs, ours } => write!(
                f,
                "sự kiện của cửa hàng {theirs}, máy này thuộc cửa hàng {ours} / \
                 events of store {theirs}, this node belongs to store {ours}"
            ),
            SyncError::Gap {
                origin,
                expected,
                found,
            } => write!(
                f,
                "thiếu sự kiện của {origin}: cần số {expected}, tệp bắt đầu từ {found}; nhập các \
                 tệp trước đó trước / events of {origin} are missing: {expected} is next, the \
                 file has {found}; import the earlier files first"
            ),
            SyncError::Conflict { origin, seq } => write!(
                f,
                "sự kiện {origin} số {seq} đã có với nội dung khác (thư mục bị khôi phục hoặc \
                 sao chép?) / event {seq} of {origin} is already here with other contents (a \
                 restored or copied folder?)"
            ),
            SyncError::UnknownProduct { origin, seq, uid } => write!(
                f,
                "sự kiện {origin} số {seq} nói đến sản phẩm {uid} chưa có ở máy này; nhập sự \
                 kiện của máy danh mục trước / event {seq} of {origin} names product {uid}, \
                 unknown here; import the catalogue node's events first"
            ),
            SyncError::Unknown { what } => {
                write!(f, "chưa có {what} ở máy này / {what} is not known here yet")
            }
            SyncError::NotCatalogueNode { catalogue_node } => write!(
                f,
                "Danh mục chỉ được sửa ở máy {catalogue_node} của cửa hàng; các máy khác nhận \
                 thay đổi khi đồng bộ. / The catalogue is edited on the store's node \
                 {catalogue_node} only; other nodes receive its changes by sync."
            ),
            SyncError::StoreDetailsElsewhere { catalogue_node } => write!(
                f,
                "Thông tin cửa hàng (tên, địa chỉ, mã số thuế, tài khoản, hóa đơn, chính sách) \
                 và nhân viên chỉ được sửa ở máy {catalogue_node} của cửa hàng; máy này nhận \
                 chúng khi đồng bộ. Ở đây chỉ sửa được cài đặt riêng của quầy (máy in, sao \
                 lưu, máy chủ tỉnh). / The store's details (name, address, tax code, account, \
                 invoicing, policies) and staff are edited on the store's node \
                 {catalogue_node} only; this node receives them by sync. Here only this \
                 counter's own settings (printers, backups, hub) can be changed."
            ),
        }
    }
}

/// The stock movements written under this folder's origin and not yet in an event, as their
/// event carries them (noted as each is inserted, so appending them takes no query).
#[derive(Clone, Default)]
pub(crate) struct Unrecorded(Arc<Mutex<Vec<StockRow>>>);

impl Unrecorded {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<StockRow>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a transaction about to commit wrote stock without its event.
    pub(crate) fn any(&self) -> bool {
        !self.lock().is_empty()
    }

    /// A rolled-back transaction's rows are gone.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}

/// Notes this connection's local stock movements for [`record_event`].
pub(crate) fn watch_stock(conn: &Connection) -> StoreResult<Unrecorded> {
    let unrecorded = Unrecorded::default();
    let noted = unrecorded.clone();
    conn.create_scalar_function(
        "ocop_stock_written",
        3,
        FunctionFlags::SQLITE_UTF8,
        move |ctx| {
            noted.lock().push(StockRow {
                product: ctx.get(0)?,
                qty_milli: ctx.get(1)?,
                kind: ctx.get(2)?,
            });
            Ok(0)
        },
    )?;
    let taken = unrecorded.clone();
    conn.create_scalar_function(
        "ocop_stock_unrecorded",
        0,
        FunctionFlags::SQLITE_UTF8,
        move |_| {
            let rows = std::mem::take(&mut *taken.lock());
            serde_json::to_string(&rows)
                .map_err(|error| rusqlite::Error::UserFunctionError(Box::new(error)))
        },
    )?;
    // A product's uid is set by its own insert's trigger, before any of its stock moves.
    conn.execute_batch(
        "CREATE TEMP TRIGGER sync_stock_written AFTER INSERT ON main.stock_movements
         WHEN NEW.origin_id = (SELECT origin_id FROM main.sync_node)
         BEGIN
           SELECT ocop_stock_written((SELECT uid FROM main.products WHERE id = NEW.product_id),
                                     NEW.quantity_milli, NEW.kind);
         END;",
    )?;
    Ok(unrecorded)
}

/// The kinds of document that move stock; any other (an audit row written beside one of
/// them) leaves the transaction's stock rows to the document's own event.
const STOCK_KINDS: [&str; 7] = [
    "sale",
    "refund",
    "receiving",
    "adjustment",
    "count",
    "product",
    "delivery",
];

/// Appends this node's next event — `kind`, the document `doc`, and, for a kind that moves
/// stock, every stock row the transaction wrote since the last event — in the caller's
/// transaction. Returns its seq.
pub(crate) fn record_event(
    tx: &Connection,
    kind: &str,
    doc: impl Serialize,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let stock: String = if STOCK_KINDS.contains(&kind) {
        tx.prepare_cached("SELECT ocop_stock_unrecorded()")?
            .query_row([], |row| row.get(0))?
    } else {
        "[]".to_string()
    };
    append_event(tx, kind, doc, &stock, at)
}

/// An event's key in `sync_events`: origin_id × 2^40 + seq (migration 0017), so that an
/// origin's events are one contiguous range of the table's rowids.
pub(crate) const EVENT_KEY_STEP: i64 = 1 << 40;

pub(crate) fn event_key(origin_id: i64, seq: i64) -> i64 {
    origin_id * EVENT_KEY_STEP + seq
}

/// Appends this node's next event with the stock rows given (as their JSON text).
fn append_event(
    tx: &Connection,
    kind: &str,
    doc: impl Serialize,
    stock: &str,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    // Two statements rather than one with RETURNING, which builds and drops a temporary
    // table on every event.
    tx.prepare_cached(
        "UPDATE sync_origins SET last_seq = last_seq + 1
          WHERE id = (SELECT origin_id FROM sync_node)",
    )?
    .execute([])?;
    let (origin_id, seq): (i64, i64) = tx
        .prepare_cached(
            "SELECT id, last_seq FROM sync_origins WHERE id = (SELECT origin_id FROM sync_node)",
        )?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    tx.prepare_cached(
        "INSERT INTO sync_events (key, origin_id, seq, uid, kind, at, doc, stock)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        event_key(origin_id, seq),
        origin_id,
        seq,
        new_uid(),
        kind,
        timestamp(at),
        serde_json::to_string(&doc)?,
        stock
    ])?;
    Ok(seq)
}

/// Once per folder: what it held before it had events — every producer, product (with its
/// stock so far, by kind of movement) and gift pack — as its first events, so a node that
/// joins later learns the catalogue and the stock from them. In one transaction with the mark.
pub(crate) fn record_baseline(conn: &mut Connection, at: DateTime<Utc>) -> StoreResult<()> {
    let tx = conn.transaction()?;
    let done: bool = tx.query_row("SELECT baseline_done FROM sync_node", [], |row| row.get(0))?;
    if done {
        return Ok(());
    }
    let ids = |sql: &str| -> StoreResult<Vec<i64>> {
        let mut stmt = tx.prepare(sql)?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    for producer in ids("SELECT id FROM producers ORDER BY id")? {
        append_event(&tx, "producer", producer_doc(&tx, producer)?, "[]", at)?;
    }
    for product in ids("SELECT id FROM products ORDER BY id")? {
        let mut stmt = tx.prepare_cached(
            "SELECT p.uid, m.kind, sum(m.quantity_milli)
               FROM stock_movements m JOIN products p ON p.id = m.product_id
               JOIN sync_origins o ON o.id = m.origin_id
              WHERE m.product_id = ?1 AND o.local = 1
              GROUP BY m.kind HAVING sum(m.quantity_milli) <> 0 ORDER BY m.kind",
        )?;
        let stock = stmt
            .query_map([product], |row| {
                Ok(StockRow {
                    product: row.get(0)?,
                    kind: row.get(1)?,
                    qty_milli: row.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let stock = serde_json::to_string(&stock)?;
        append_event(&tx, "product", product_doc(&tx, product)?, &stock, at)?;
    }
    let mut stmt = tx.prepare("SELECT sku FROM gift_packs ORDER BY id")?;
    let packs = stmt
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    drop(stmt);
    for sku in packs {
        append_event(&tx, "gift_pack", gift_pack_doc(&tx, &sku)?, "[]", at)?;
    }
    tx.execute("UPDATE sync_node SET baseline_done = 1", [])?;
    tx.commit()?;
    Ok(())
}

/// A fresh UUIDv7.
pub(crate) fn new_uid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The uid of row `id` of `table` (one of the tables with a `uid` column).
pub(crate) fn uid_of(conn: &Connection, table: &str, id: i64) -> StoreResult<String> {
    Ok(conn
        .prepare_cached(&format!("SELECT uid FROM {table} WHERE id = ?1"))?
        .query_row([id], |row| row.get(0))?)
}

/// Refuses a catalogue edit on a node that is not the store's catalogue node.
pub(crate) fn ensure_catalogue_node(conn: &Connection) -> StoreResult<()> {
    ensure_written_here(conn, |catalogue_node| SyncError::NotCatalogueNode {
        catalogue_node,
    })
}

/// Refuses a change to the store's settings or staff on a node that is not the store's
/// catalogue node: they are the store's, written once and carried to every counter.
pub(crate) fn ensure_store_details_writer(conn: &Connection) -> StoreResult<()> {
    ensure_written_here(conn, |catalogue_node| SyncError::StoreDetailsElsewhere {
        catalogue_node,
    })
}

/// Ok on the store's catalogue node; elsewhere the refusal `refused` makes of its code.
fn ensure_written_here(
    conn: &Connection,
    refused: impl FnOnce(String) -> SyncError,
) -> StoreResult<()> {
    let identity = read_identity(conn)?;
    if identity.writes_catalogue() {
        Ok(())
    } else {
        Err(StoreError::Sync(refused(identity.catalogue_node)))
    }
}

/// The event kinds of the store's own details: a store setting, a person on the staff.
const SHARED_KINDS: [&str; 2] = ["setting", "staff"];

/// Appends the event of a store setting or a person (`kind` `setting` or `staff`; `uid` the
/// setting's key or the person's uid) and stamps the record with it, in the caller's
/// transaction. Its time is kept after the record's stamp: were the catalogue node's clock set
/// back, its latest change would otherwise lose to an earlier one on every other node.
pub(crate) fn record_shared(
    tx: &Connection,
    kind: &str,
    uid: &str,
    doc: Value,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let identity = read_identity(tx)?;
    let stamped: Option<String> = tx
        .prepare_cached("SELECT at FROM shared_stamps WHERE store = ?1 AND kind = ?2 AND uid = ?3")?
        .query_row(params![identity.store, kind, uid], |row| row.get(0))
        .optional()?;
    // Compared as kept, to the millisecond: the same instant would leave the origins to decide.
    let at = match stamped {
        Some(stamped) if stamped >= timestamp(at) => {
            super::parse_timestamp(&stamped)? + chrono::Duration::milliseconds(1)
        }
        _ => at,
    };
    let seq = append_event(tx, kind, doc, "[]", at)?;
    stamp_shared(
        tx,
        &identity.store,
        kind,
        uid,
        &timestamp(at),
        &identity.origin(),
        seq,
    )
}

fn stamp_shared(
    tx: &Connection,
    store: &str,
    kind: &str,
    uid: &str,
    at: &str,
    origin: &str,
    seq: i64,
) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO shared_stamps (store, kind, uid, at, origin, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (store, kind, uid) DO UPDATE SET at = excluded.at,
            origin = excluded.origin, seq = excluded.seq",
    )?
    .execute(params![store, kind, uid, at, origin, seq])?;
    Ok(())
}

/// A store setting or a person from the catalogue node, applied when it is later than what
/// set the record here — by event time, then origin, then number: a total order, so nodes
/// that apply the same events in any order keep the same. A key that is not a store setting
/// (a counter's own: its printer, its hub) is never taken from another node.
fn apply_shared(tx: &Connection, event: &SyncEvent) -> StoreResult<()> {
    let doc = &event.doc;
    let uid = match event.kind.as_str() {
        "setting" => doc["key"].as_str().unwrap_or_default(),
        _ => doc["uid"].as_str().unwrap_or_default(),
    };
    if uid.is_empty() || event.kind == "setting" && !super::settings::is_store_setting_key(uid) {
        return Ok(());
    }
    let origin = event.origin();
    let later: bool = tx
        .prepare_cached(
            "SELECT (?4, ?5, ?6) > (at, origin, seq) FROM shared_stamps
              WHERE store = ?1 AND kind = ?2 AND uid = ?3",
        )?
        .query_row(
            params![event.store, event.kind, uid, event.at, origin, event.seq],
            |row| row.get(0),
        )
        .optional()?
        .unwrap_or(true);
    if !later {
        return Ok(());
    }
    match event.kind.as_str() {
        "setting" => {
            super::settings::apply_setting(tx, uid, doc["value"].as_str().unwrap_or_default())?
        }
        _ => super::staff::apply_staff(tx, doc)?,
    }
    stamp_shared(
        tx,
        &event.store,
        &event.kind,
        uid,
        &event.at,
        &origin,
        event.seq,
    )
}

/// Once per catalogue node: the store's settings and staff it held before they travelled, as
/// its events, so counters that join later learn them. In one transaction with the mark; a
/// node that is not the catalogue node writes nothing (its own are not the store's).
pub(crate) fn record_shared_baseline(conn: &mut Connection, at: DateTime<Utc>) -> StoreResult<()> {
    let tx = conn.transaction()?;
    let done: bool = tx.query_row("SELECT shared_baseline_done FROM sync_node", [], |row| {
        row.get(0)
    })?;
    if done || !read_identity(&tx)?.writes_catalogue() {
        return Ok(());
    }
    for (key, value) in super::settings::store_settings_held(&tx)? {
        record_shared(
            &tx,
            "setting",
            &key,
            super::settings::setting_doc(&key, &value),
            at,
        )?;
    }
    let mut stmt = tx.prepare("SELECT id FROM staff ORDER BY id")?;
    let staff = stmt
        .query_map([], |row| row.get::<_, i64>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    drop(stmt);
    for id in staff {
        super::staff::record_staff(&tx, id, at)?;
    }
    tx.execute("UPDATE sync_node SET shared_baseline_done = 1", [])?;
    tx.commit()?;
    Ok(())
}

/// A sale as its event carries it: `record`, the receipt exactly as printed (what another
/// counter reprints and refunds it from), and for the hub's reports each line with its
/// product's and producer's uids and its VAT, and the payments. Built from the record the
/// sale's rows were written from, and serialised once: reading the rows back into a JSON value
/// was half the event's cost on a sale's commit (BENCHMARKS.md). A test holds the two equal.
#[derive(Serialize)]
pub(crate) struct SaleDoc<'a> {
    uid: &'a str,
    number: &'a str,
    local_date: String,
    cashier: &'a str,
    total: i64,
    lines: Vec<SaleDocLine<'a>>,
    payments: Vec<SaleDocPayment>,
    invoice: Option<SaleDocInvoice<'a>>,
    record: &'a SaleRecord,
}

#[derive(Serialize)]
struct SaleDocInvoice<'a> {
    reference: String,
    code: Option<&'a str>,
}

#[derive(Serialize)]
struct SaleDocLine<'a> {
    line_no: usize,
    product: String,
    producer: String,
    sku: &'a str,
    name: &'a str,
    qty_milli: i64,
    vat_rate: String,
    total: i64,
    vat: i64,
}

#[derive(Serialize)]
struct SaleDocPayment {
    method: &'static str,
    amount: i64,
}

/// The event document of sale `uid`, written from `record`.
pub(crate) fn sale_doc<'a>(
    conn: &Connection,
    uid: &'a str,
    record: &'a SaleRecord,
) -> StoreResult<SaleDoc<'a>> {
    let mut uids = conn.prepare_cached(
        "SELECT p.uid, r.uid FROM products p JOIN producers r ON r.id = p.producer_id
          WHERE p.id = ?1",
    )?;
    let draft = &record.draft;
    let lines = draft
        .lines
        .iter()
        .enumerate()
        .map(|(line_no, line)| {
            let (product, producer) =
                uids.query_row([line.product_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
            let vat_rate = line.vat.code();
            Ok(SaleDocLine {
                line_no,
                product,
                producer,
                sku: &line.sku,
                name: &line.name,
                qty_milli: super::to_milli(line.quantity),
                vat: vat_share(&vat_rate, line.total.dong())?,
                vat_rate,
                total: line.total.dong(),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let payments = draft
        .tenders
        .iter()
        .map(|tender| SaleDocPayment {
            method: tender.method.code(),
            amount: tender.amount.dong(),
        })
        .collect();
    let invoice = record.invoice.issued().map(|invoice| SaleDocInvoice {
        reference: invoice.reference(),
        code: invoice.numbers.authority_code.as_deref(),
    });
    Ok(SaleDoc {
        uid,
        number: &record.receipt_no,
        local_date: crate::core::clock::local_date(record.sold_at).to_string(),
        cashier: &draft.cashier,
        total: draft.total.dong(),
        lines,
        payments,
        invoice,
        record,
    })
}

/// The VAT inside a VAT-inclusive line `total` at `rate`, as the hub's reports add it up.
fn vat_share(rate: &str, total: i64) -> StoreResult<i64> {
    Ok(super::parse_rate(rate)?
        .split(crate::core::money::Money(total))
        .vat
        .dong())
}

/// A refund as its event carries it: the sale by uid and number (sold here or at another
/// counter), each line by the sale's line number.
pub(crate) fn refund_doc(conn: &Connection, refund_id: i64) -> StoreResult<Value> {
    let (uid, number, sale, sale_number, local_date, total): (
        String,
        String,
        String,
        String,
        String,
        i64,
    ) = conn
        .prepare_cached(
            "SELECT r.uid, r.refund_no, coalesce(s.uid, f.uid), coalesce(s.receipt_no, f.receipt_no),
                    r.local_date, r.total
               FROM refunds r LEFT JOIN sales s ON s.id = r.sale_id
               LEFT JOIN foreign_sales f ON f.id = r.foreign_sale_id
              WHERE r.id = ?1",
        )?
        .query_row([refund_id], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
            ))
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT p.uid, pr.uid, rl.quantity_milli, rl.amount,
                coalesce(l.vat_rate, fl.vat_rate), rl.line_no
           FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
           LEFT JOIN sale_lines l ON l.sale_id = r.sale_id AND l.line_no = rl.line_no
           LEFT JOIN foreign_sale_lines fl
                  ON fl.foreign_sale_id = r.foreign_sale_id AND fl.line_no = rl.line_no
           JOIN products p ON p.id = coalesce(l.product_id, fl.product_id)
           JOIN producers pr ON pr.id = p.producer_id
          WHERE rl.refund_id = ?1 ORDER BY rl.line_no",
    )?;
    let lines = stmt
        .query_map([refund_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, i64>(5)?,
            ))
        })?
        .map(|row| {
            let (product, producer, qty_milli, total, rate, line_no) = row?;
            let vat = vat_share(&rate, total)?;
            Ok(
                json!({"line_no": line_no, "product": product, "producer": producer,
                      "qty_milli": qty_milli, "total": total, "vat": vat}),
            )
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(
        json!({"uid": uid, "number": number, "sale": sale, "sale_number": sale_number,
              "local_date": local_date, "total": total, "lines": lines}),
    )
}

/// A producer's whole record, by uid.
pub(crate) fn producer_doc(conn: &Connection, producer_id: i64) -> StoreResult<Value> {
    Ok(conn
        .prepare_cached(
            "SELECT uid, name, kind, area, province, contact, tax_code, bank_account, consignment,
                    commission_pct
               FROM producers WHERE id = ?1",
        )?
        .query_row([producer_id], |row| {
            Ok(json!({
                "uid": row.get::<_, String>(0)?, "name": row.get::<_, String>(1)?,
                "kind": row.get::<_, String>(2)?, "area": row.get::<_, String>(3)?,
                "province": row.get::<_, String>(4)?, "contact": row.get::<_, String>(5)?,
                "tax_code": row.get::<_, String>(6)?, "bank_account": row.get::<_, String>(7)?,
                "consignment": row.get::<_, i64>(8)?, "commission_pct": row.get::<_, String>(9)?,
            }))
        })?)
}

/// A product's whole record — with its producer's uid, barcodes, prices, VAT rates and
/// certificate — by uid.
pub(crate) fn product_doc(conn: &Connection, product_id: i64) -> StoreResult<Value> {
    let mut doc = conn
        .prepare_cached(
            "SELECT p.uid, p.sku, p.name, r.uid, p.ocop_group, p.ocop_stars, p.unit,
                    p.sold_by_weight, p.plu, p.active, p.low_stock_milli, p.created_at
               FROM products p JOIN producers r ON r.id = p.producer_id WHERE p.id = ?1",
        )?
        .query_row([product_id], |row| {
            Ok(json!({
                "uid": row.get::<_, String>(0)?, "sku": row.get::<_, String>(1)?,
                "name": row.get::<_, String>(2)?, "producer": row.get::<_, String>(3)?,
                "ocop_group": row.get::<_, String>(4)?,
                "ocop_stars": row.get::<_, Option<i64>>(5)?, "unit": row.get::<_, String>(6)?,
                "sold_by_weight": row.get::<_, i64>(7)?, "plu": row.get::<_, Option<i64>>(8)?,
                "active": row.get::<_, i64>(9)?, "low_stock_milli": row.get::<_, i64>(10)?,
                "created_at": row.get::<_, String>(11)?,
            }))
        })?;
    let list = |sql: &str, pair: &dyn Fn(&rusqlite::Row<'_>) -> rusqlite::Result<Value>| {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([product_id], |row| pair(row))?;
        Ok::<_, StoreError>(Value::Array(rows.collect::<Result<Vec<_>, _>>()?))
    };
    doc["barcodes"] = list(
        "SELECT code FROM barcodes WHERE product_id = ?1 ORDER BY code",
        &|row| Ok(json!(row.get::<_, String>(0)?)),
    )?;
    doc["prices"] = list(
        "SELECT effective_from, price FROM product_prices WHERE product_id = ?1
          ORDER BY effective_from",
        &|row| Ok(json!([row.get::<_, String>(0)?, row.get::<_, i64>(1)?])),
    )?;
    doc["vat_rates"] = list(
        "SELECT effective_from, rate FROM product_vat_rates WHERE product_id = ?1
          ORDER BY effective_from",
        &|row| Ok(json!([row.get::<_, String>(0)?, row.get::<_, String>(1)?])),
    )?;
    doc["certificate"] = conn
        .prepare_cached(
            "SELECT number, issuer, issued_on, stars FROM product_certificates
              WHERE product_id = ?1",
        )?
        .query_row([product_id], |row| {
            Ok(
                json!({"number": row.get::<_, String>(0)?, "issuer": row.get::<_, String>(1)?,
                      "issued_on": row.get::<_, String>(2)?, "stars": row.get::<_, i64>(3)?}),
            )
        })
        .optional()?
        .unwrap_or(Value::Null);
    Ok(doc)
}

/// A gift-pack template's whole record, its contents by product uid.
pub(crate) fn gift_pack_doc(conn: &Connection, sku: &str) -> StoreResult<Value> {
    let (id, mut doc): (i64, Value) = conn
        .prepare_cached(
            "SELECT id, uid, sku, barcode, name, pricing, amount, active, created_at
               FROM gift_packs WHERE sku = ?1",
        )?
        .query_row([sku], |row| {
            Ok((
                row.get(0)?,
                json!({"uid": row.get::<_, String>(1)?, "sku": row.get::<_, String>(2)?,
                       "barcode": row.get::<_, String>(3)?, "name": row.get::<_, String>(4)?,
                       "pricing": row.get::<_, String>(5)?, "amount": row.get::<_, i64>(6)?,
                       "active": row.get::<_, i64>(7)?, "created_at": row.get::<_, String>(8)?}),
            ))
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT p.uid, i.quantity_milli FROM gift_pack_items i JOIN products p ON p.id = i.product_id
          WHERE i.pack_id = ?1 ORDER BY i.position",
    )?;
    let items = stmt
        .query_map([id], |row| {
            Ok(json!({"product": row.get::<_, String>(0)?, "qty_milli": row.get::<_, i64>(1)?}))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    doc["items"] = Value::Array(items);
    Ok(doc)
}

/// Records a gift-pack template's whole record as a catalogue event.
pub(crate) fn record_gift_pack(tx: &Connection, sku: &str, at: DateTime<Utc>) -> StoreResult<i64> {
    record_event(tx, "gift_pack", gift_pack_doc(tx, sku)?, at)
}

/// Records a product's whole record as a catalogue event.
pub(crate) fn record_product(
    tx: &Connection,
    product_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    record_event(tx, "product", product_doc(tx, product_id)?, at)
}

/// Records a producer's whole record as a catalogue event.
pub(crate) fn record_producer(
    tx: &Connection,
    producer_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    record_event(tx, "producer", producer_doc(tx, producer_id)?, at)
}

/// The setting that keeps where the last pull from the province hub stopped.
pub const HUB_CURSOR_SETTING: &str = "sync.hub_cursor";

/// What applying a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Events new to this node, now applied.
    pub applied: usize,
    /// Events this node already held, the same: nothing done.
    pub already: usize,
}

fn event_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SyncEvent> {
    let json = |index: usize| -> rusqlite::Result<serde_json::Value> {
        let text: String = row.get(index)?;
        serde_json::from_str(&text).map_err(|error| {
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                Box::new(error),
            )
        })
    };
    let stock = serde_json::from_value(json(8)?).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(8, rusqlite::types::Type::Text, Box::new(error))
    })?;
    Ok(SyncEvent {
        store: row.get(0)?,
        node: row.get(1)?,
        incarnation: row.get(2)?,
        seq: row.get(3)?,
        uid: row.get(4)?,
        kind: row.get(5)?,
        at: row.get(6)?,
        doc: json(7)?,
        stock,
    })
}

const EVENT_COLUMNS: &str = "SELECT o.store, o.node, o.incarnation, e.seq, e.uid, e.kind, e.at,
                                   e.doc, e.stock
                              FROM sync_events e JOIN sync_origins o ON o.id = e.origin_id";

impl Store {
    /// This node's events under its present origin after `seq`, in order, at most `limit`.
    pub fn events_after(&self, seq: i64, limit: usize) -> StoreResult<Vec<SyncEvent>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{EVENT_COLUMNS} WHERE e.key > (SELECT origin_id FROM sync_node) * ?3 + ?1
                AND e.key < ((SELECT origin_id FROM sync_node) + 1) * ?3
              ORDER BY e.key LIMIT ?2"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![seq, limit, EVENT_KEY_STEP], event_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The origins this folder wrote under before its present one, in the same store: before
    /// a restore, a copy or a new node code. Their events are documents of this store that may
    /// not all have left the folder when the origin changed, so they still go up to the hub.
    pub fn earlier_own_origins(&self) -> StoreResult<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.store, o.node, o.incarnation FROM sync_origins o
              WHERE o.local = 1 AND o.id <> (SELECT origin_id FROM sync_node)
                AND o.store = (SELECT c.store FROM sync_origins c
                                WHERE c.id = (SELECT origin_id FROM sync_node))
              ORDER BY o.id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(origin(
                &row.get::<_, String>(0)?,
                &row.get::<_, String>(1)?,
                &row.get::<_, String>(2)?,
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The events of `origin` this node holds after `seq`, in order, at most `limit`.
    pub fn origin_events_after(
        &self,
        origin: &str,
        seq: i64,
        limit: usize,
    ) -> StoreResult<Vec<SyncEvent>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "WITH named AS (SELECT id FROM sync_origins
                             WHERE store || '/' || node || '/' || incarnation = ?1)
             {EVENT_COLUMNS} WHERE e.key > (SELECT id FROM named) * ?4 + ?2
                AND e.key < ((SELECT id FROM named) + 1) * ?4
              ORDER BY e.key LIMIT ?3"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![origin, seq, limit, EVENT_KEY_STEP], event_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Applies other nodes' events, all or none, in one transaction with each origin's cursor:
    /// an event already held with the same contents is passed over, one held with other
    /// contents or one after a gap refuses the batch. Stock rows become this node's stock
    /// movements under their origin; catalogue events from the store's catalogue node update
    /// the catalogue by uid; every event is kept (a sale sold at another counter is known here).
    pub fn apply_events(&mut self, events: &[SyncEvent]) -> StoreResult<Applied> {
        self.apply_events_then(events, None)
    }

    /// Applies events pulled from the province hub as [`Store::apply_events`] does, and moves
    /// the hub cursor past them in the same transaction: a crash between the two can neither
    /// skip events nor take them twice.
    pub fn apply_pulled_events(
        &mut self,
        events: &[SyncEvent],
        cursor: &str,
    ) -> StoreResult<Applied> {
        self.apply_events_then(events, Some(cursor))
    }

    /// Where the last pull from the hub stopped (`None` before the first).
    pub fn hub_cursor(&self) -> StoreResult<Option<String>> {
        self.setting(HUB_CURSOR_SETTING)
    }

    fn apply_events_then(
        &mut self,
        events: &[SyncEvent],
        hub_cursor: Option<&str>,
    ) -> StoreResult<Applied> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let identity = read_identity(&tx)?;
        let mut outcome = Applied::default();
        for event in events {
            if event.store != identity.store {
                return Err(StoreError::Sync(SyncError::OtherStore {
                    theirs: event.store.clone(),
                    ours: identity.store.clone(),
                }));
            }
            let origin_name = origin(&event.store, &event.node, &event.incarnation);
            tx.prepare_cached(
                "INSERT INTO sync_origins (store, node, incarnation, local) VALUES (?1, ?2, ?3, 0)
                 ON CONFLICT (store, node, incarnation) DO NOTHING",
            )?
            .execute(params![event.store, event.node, event.incarnation])?;
            let (origin_id, last_seq, local_now): (i64, i64, bool) = tx
                .prepare_cached(
                    "SELECT id, last_seq, id = (SELECT origin_id FROM sync_node) FROM sync_origins
                      WHERE store = ?1 AND node = ?2 AND incarnation = ?3",
                )?
                .query_row(params![event.store, event.node, event.incarnation], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?;
            let conflict = || {
                StoreError::Sync(SyncError::Conflict {
                    origin: origin_name.clone(),
                    seq: event.seq,
                })
            };
            if event.seq <= last_seq {
                let held = tx
                    .prepare_cached(&format!("{EVENT_COLUMNS} WHERE e.key = ?1"))?
                    .query_row([event_key(origin_id, event.seq)], event_from_row)
                    .optional()?;
                match held {
                    Some(held) if held == *event => outcome.already += 1,
                    _ => return Err(conflict()),
                }
                continue;
            }
            if local_now {
                // This node's own numbers ahead of what it wrote: another folder with its name.
                return Err(conflict());
            }
            if event.seq != last_seq + 1 {
                return Err(StoreError::Sync(SyncError::Gap {
                    origin: origin_name,
                    expected: last_seq + 1,
                    found: event.seq,
                }));
            }
            if CATALOGUE_KINDS.contains(&event.kind.as_str())
                && event.node == identity.catalogue_node
            {
                if SHARED_KINDS.contains(&event.kind.as_str()) {
                    apply_shared(&tx, event)?;
                } else {
                    apply_catalogue(&tx, event)?;
                }
            }
            if event.kind == "sale" {
                keep_foreign_sale(&tx, event, origin_id)?;
            }
            for row in &event.stock {
                let product: i64 = tx
                    .prepare_cached("SELECT id FROM products WHERE uid = ?1")?
                    .query_row([&row.product], |r| r.get(0))
                    .optional()?
                    .ok_or_else(|| {
                        StoreError::Sync(SyncError::UnknownProduct {
                            origin: origin_name.clone(),
                            seq: event.seq,
                            uid: row.product.clone(),
                        })
                    })?;
                let note = event.doc["number"].as_str().unwrap_or_default();
                tx.prepare_cached(
                    "INSERT INTO stock_movements (product_id, kind, quantity_milli, note,
                                                  created_at, created_by, origin_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    product,
                    row.kind,
                    row.qty_milli,
                    note,
                    event.at,
                    event.node,
                    origin_id
                ])?;
            }
            tx.prepare_cached(
                "INSERT INTO sync_events (key, origin_id, seq, uid, kind, at, doc, stock)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                event_key(origin_id, event.seq),
                origin_id,
                event.seq,
                event.uid,
                event.kind,
                event.at,
                event.doc.to_string(),
                serde_json::to_string(&event.stock)?
            ])?;
            tx.prepare_cached("UPDATE sync_origins SET last_seq = ?1 WHERE id = ?2")?
                .execute(params![event.seq, origin_id])?;
            outcome.applied += 1;
        }
        if let Some(cursor) = hub_cursor {
            tx.prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![HUB_CURSOR_SETTING, cursor])?;
        }
        tx.commit()?;
        Ok(outcome)
    }

    /// Every event this node holds of kind `kind` (its own and applied ones), oldest first per
    /// origin: how a sale sold at another counter is found here.
    pub fn events_of_kind(&self, kind: &str) -> StoreResult<Vec<SyncEvent>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{EVENT_COLUMNS} WHERE e.kind = ?1 ORDER BY e.key"))?;
        let rows = stmt.query_map([kind], event_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// A producer or product from the catalogue node, inserted or updated by uid.
fn apply_catalogue(tx: &Connection, event: &SyncEvent) -> StoreResult<()> {
    let doc = &event.doc;
    let text = |field: &str| doc[field].as_str().unwrap_or_default().to_string();
    let number = |field: &str| doc[field].as_i64();
    match event.kind.as_str() {
        "producer" => {
            tx.prepare_cached(
                "INSERT INTO producers (uid, name, kind, area, province, contact, tax_code,
                                        bank_account, consignment, commission_pct)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (uid) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                    area = excluded.area, province = excluded.province,
                    contact = excluded.contact, tax_code = excluded.tax_code,
                    bank_account = excluded.bank_account, consignment = excluded.consignment,
                    commission_pct = excluded.commission_pct",
            )?
            .execute(params![
                text("uid"),
                text("name"),
                text("kind"),
                text("area"),
                text("province"),
                text("contact"),
                text("tax_code"),
                text("bank_account"),
                number("consignment").unwrap_or(0),
                text("commission_pct")
            ])?;
        }
        "product" if doc["deleted"] == Value::Bool(true) => {
            // Only a product never sold nor moved is deleted; the same holds here.
            let id: Option<i64> = tx
                .prepare_cached("SELECT id FROM products WHERE uid = ?1")?
                .query_row([text("uid")], |row| row.get(0))
                .optional()?;
            if let Some(id) = id {
                for table in [
                    "barcodes",
                    "product_prices",
                    "product_vat_rates",
                    "product_certificates",
                ] {
                    tx.execute(&format!("DELETE FROM {table} WHERE product_id = ?1"), [id])?;
                }
                tx.execute("DELETE FROM products WHERE id = ?1", [id])?;
            }
        }
        "product" => {
            let producer: i64 = tx
                .prepare_cached("SELECT id FROM producers WHERE uid = ?1")?
                .query_row([text("producer")], |row| row.get(0))
                .optional()?
                .ok_or_else(|| {
                    StoreError::Sync(SyncError::Unknown {
                        what: format!("producer {}", text("producer")),
                    })
                })?;
            let product_id: i64 = tx
                .prepare_cached(
                    "INSERT INTO products (uid, sku, name, producer_id, ocop_group, ocop_stars,
                                           unit, sold_by_weight, plu, active, low_stock_milli,
                                           created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                     ON CONFLICT (uid) DO UPDATE SET sku = excluded.sku, name = excluded.name,
                        producer_id = excluded.producer_id, ocop_group = excluded.ocop_group,
                        ocop_stars = excluded.ocop_stars, unit = excluded.unit,
                        sold_by_weight = excluded.sold_by_weight, plu = excluded.plu,
                        active = excluded.active, low_stock_milli = excluded.low_stock_milli
                     RETURNING id",
                )?
                .query_row(
                    params![
                        text("uid"),
                        text("sku"),
                        text("name"),
                        producer,
                        text("ocop_group"),
                        number("ocop_stars"),
                        text("unit"),
                        number("sold_by_weight").unwrap_or(0),
                        number("plu"),
                        number("active").unwrap_or(1),
                        number("low_stock_milli").unwrap_or(0),
                        text("created_at")
                    ],
                    |row| row.get(0),
                )?;
            for code in doc["barcodes"].as_array().into_iter().flatten() {
                tx.prepare_cached(
                    "INSERT INTO barcodes (code, product_id) VALUES (?1, ?2)
                     ON CONFLICT (code) DO UPDATE SET product_id = excluded.product_id",
                )?
                .execute(params![code.as_str().unwrap_or_default(), product_id])?;
            }
            for (table, column) in [("product_prices", "price"), ("product_vat_rates", "rate")] {
                let field = if table == "product_prices" {
                    "prices"
                } else {
                    "vat_rates"
                };
                for pair in doc[field].as_array().into_iter().flatten() {
                    tx.prepare_cached(&format!(
                        "INSERT INTO {table} (product_id, effective_from, {column})
                         VALUES (?1, ?2, ?3)
                         ON CONFLICT (product_id, effective_from)
                         DO UPDATE SET {column} = excluded.{column}"
                    ))?
                    .execute(params![
                        product_id,
                        pair[0].as_str().unwrap_or_default(),
                        json_sql(&pair[1])
                    ])?;
                }
            }
        }
        "gift_pack" => {
            let pack_id: i64 = tx
                .prepare_cached(
                    "INSERT INTO gift_packs (uid, sku, barcode, name, pricing, amount, active,
                                             created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT (uid) DO UPDATE SET sku = excluded.sku,
                        barcode = excluded.barcode, name = excluded.name,
                        pricing = excluded.pricing, amount = excluded.amount,
                        active = excluded.active
                     RETURNING id",
                )?
                .query_row(
                    params![
                        text("uid"),
                        text("sku"),
                        text("barcode"),
                        text("name"),
                        text("pricing"),
                        number("amount").unwrap_or(0),
                        number("active").unwrap_or(1),
                        text("created_at")
                    ],
                    |row| row.get(0),
                )?;
            tx.prepare_cached("DELETE FROM gift_pack_items WHERE pack_id = ?1")?
                .execute([pack_id])?;
            for (position, item) in doc["items"].as_array().into_iter().flatten().enumerate() {
                let product = item["product"].as_str().unwrap_or_default();
                let inserted = tx
                    .prepare_cached(
                        "INSERT INTO gift_pack_items (pack_id, position, product_id, quantity_milli)
                         SELECT ?1, ?2, id, ?4 FROM products WHERE uid = ?3",
                    )?
                    .execute(params![
                        pack_id,
                        position as i64,
                        product,
                        item["qty_milli"].as_i64().unwrap_or(0)
                    ])?;
                if inserted == 0 {
                    return Err(StoreError::Sync(SyncError::Unknown {
                        what: format!("product {product}"),
                    }));
                }
            }
        }
        // Staff and settings are applied by `apply_shared`, later changes only.
        _ => {}
    }
    Ok(())
}

/// A JSON scalar as the SQLite value it stands for.
fn json_sql(value: &Value) -> rusqlite::types::Value {
    match value {
        Value::Number(number) => number.as_i64().map_or(
            rusqlite::types::Value::Null,
            rusqlite::types::Value::Integer,
        ),
        Value::String(text) => rusqlite::types::Value::Text(text.clone()),
        _ => rusqlite::types::Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: &str = "2026-11-26T03:00:00.000Z";

    fn store_with_a_product() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        store
            .conn
            .execute_batch(&format!(
                "INSERT INTO producers (name, kind) VALUES ('HTX Tà Xùa', 'cooperative');
                 INSERT INTO products (sku, name, producer_id, ocop_group, unit, created_at)
                 VALUES ('TS001', 'Trà Shan tuyết', 1, 'Đồ uống', 'hộp', '{AT}');"
            ))
            .unwrap();
        (dir, store)
    }

    fn move_stock(tx: &Connection, quantity_milli: i64) {
        tx.execute(
            "INSERT INTO stock_movements (product_id, kind, quantity_milli, created_at, origin_id)
             VALUES (1, 'adjustment', ?1, ?2, (SELECT origin_id FROM sync_node))",
            params![quantity_milli, AT],
        )
        .unwrap();
    }

    fn movements(store: &Store) -> i64 {
        store
            .conn
            .query_row("SELECT count(*) FROM stock_movements", [], |row| row.get(0))
            .unwrap()
    }

    #[test]
    fn a_commit_that_left_its_stock_out_of_an_event_is_rolled_back() {
        let (_dir, mut store) = store_with_a_product();
        let tx = store.conn.transaction().unwrap();
        move_stock(&tx, 5000);
        assert!(tx.commit().is_err(), "no event: refused");
        assert_eq!(movements(&store), 0, "and nothing kept");

        // An audit row's event beside it does not take the document's rows.
        let tx = store.conn.transaction().unwrap();
        move_stock(&tx, 5000);
        record_event(&tx, "audit", json!({"uid": new_uid()}), Utc::now()).unwrap();
        assert!(tx.commit().is_err(), "an audit event is not the document's");

        let tx = store.conn.transaction().unwrap();
        move_stock(&tx, 5000);
        move_stock(&tx, -2000);
        record_event(&tx, "adjustment", json!({"uid": new_uid()}), Utc::now()).unwrap();
        tx.commit().unwrap();
        assert_eq!(movements(&store), 2);
        let uid: String = store
            .conn
            .query_row("SELECT uid FROM products WHERE id = 1", [], |row| {
                row.get(0)
            })
            .unwrap();
        let events = store.events_after(0, 10).unwrap();
        let [event] = events.as_slice() else {
            panic!("one event: {events:?}")
        };
        let row = |qty_milli| StockRow {
            product: uid.clone(),
            qty_milli,
            kind: "adjustment".into(),
        };
        assert_eq!(event.stock, vec![row(5000), row(-2000)]);
        assert_eq!(
            uuid::Uuid::parse_str(&event.uid).unwrap().get_version_num(),
            7
        );
        assert_eq!(uuid::Uuid::parse_str(&uid).unwrap().get_version_num(), 7);
    }

    #[test]
    fn a_rolled_back_document_takes_no_event_number() {
        let (_dir, mut store) = store_with_a_product();
        let tx = store.conn.transaction().unwrap();
        move_stock(&tx, 1000);
        record_event(&tx, "adjustment", json!({"uid": new_uid()}), Utc::now()).unwrap();
        drop(tx);
        let tx = store.conn.transaction().unwrap();
        move_stock(&tx, 3000);
        let seq = record_event(&tx, "adjustment", json!({"uid": new_uid()}), Utc::now()).unwrap();
        tx.commit().unwrap();
        assert_eq!(seq, 1);
        let events = store.events_after(0, 10).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(
            events[0].stock[0].qty_milli, 3000,
            "only the kept document's row"
        );
    }

    /// A sale's event document as it was built until December 2026: from the sale's rows
    /// read back after the write. The document now built from the record must say the same.
    fn sale_doc_read_back(conn: &Connection, sale_id: i64, record: &SaleRecord) -> Value {
        let (uid, number, local_date, cashier, total): (String, String, String, String, i64) = conn
            .query_row(
                "SELECT uid, receipt_no, local_date, cashier, total FROM sales WHERE id = ?1",
                [sale_id],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                },
            )
            .unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT p.uid, r.uid, l.sku, l.name, l.quantity_milli, l.vat_rate, l.total,
                        l.line_no
                   FROM sale_lines l JOIN products p ON p.id = l.product_id
                   JOIN producers r ON r.id = p.producer_id
                  WHERE l.sale_id = ?1 ORDER BY l.line_no",
            )
            .unwrap();
        let lines: Vec<Value> = stmt
            .query_map([sale_id], |row| {
                let rate: String = row.get(5)?;
                let total: i64 = row.get(6)?;
                Ok(
                    json!({"line_no": row.get::<_, i64>(7)?, "product": row.get::<_, String>(0)?,
                          "producer": row.get::<_, String>(1)?, "sku": row.get::<_, String>(2)?,
                          "name": row.get::<_, String>(3)?,
                          "qty_milli": row.get::<_, i64>(4)?, "vat_rate": rate,
                          "total": total, "vat": vat_share(&rate, total).unwrap()}),
                )
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut stmt = conn
            .prepare("SELECT method, amount FROM payments WHERE sale_id = ?1 ORDER BY seq")
            .unwrap();
        let payments: Vec<Value> = stmt
            .query_map([sale_id], |row| {
                Ok(json!({"method": row.get::<_, String>(0)?, "amount": row.get::<_, i64>(1)?}))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let invoice = record.invoice.issued().map(|invoice| {
            json!({"reference": invoice.reference(), "code": invoice.numbers.authority_code})
        });
        json!({"uid": uid, "number": number, "local_date": local_date, "cashier": cashier,
               "total": total, "lines": lines, "payments": payments, "invoice": invoice,
               "record": record})
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        /// Random carts — several lines, quantities, line and order discounts, a counter
        /// basket, split tenders — each sold; every sale's event says what its rows say.
        #[test]
        fn a_sales_event_says_what_its_rows_say(
            sales in proptest::collection::vec(
                (
                    proptest::collection::vec((0usize..42, 1i64..4, 0u32..12), 1..6),
                    proptest::option::of((0usize..42, 0usize..42)),
                    0u32..8,
                    proptest::bool::ANY,
                ),
                1..4,
            )
        ) {
            use crate::core::cart::{Cart, CartLine, Component, Discount};
            use crate::core::money::Money;
            use crate::core::payment::{PaymentMethod, Tender};
            use crate::core::sale::SaleDraft;
            use rust_decimal::Decimal;

            let dir = tempfile::tempdir().unwrap();
            let mut store = Store::open_in(dir.path()).unwrap();
            let now = Utc::now();
            store
                .seed_demo(include_str!("../../assets/demo_products.csv"), now)
                .unwrap();
            let catalogue = store.catalogue(now).unwrap();
            let mut records = Vec::new();
            for (lines, basket, order_pct, split) in sales {
                let mut cart = Cart::default();
                for (product, quantity, line_pct) in lines {
                    let product = &catalogue[product % catalogue.len()];
                    let index = cart.add_product(product, Decimal::from(quantity)).unwrap();
                    if line_pct > 0 {
                        cart.set_line_discount(index, Discount::Percent(line_pct.into()))
                            .unwrap();
                    }
                }
                if let Some((first, second)) = basket {
                    let components = [first, second]
                        .map(|n| Component::from_product(&catalogue[n], Decimal::ONE));
                    let value: Money = components.iter().map(Component::shelf_value).sum();
                    let line = CartLine::counter_basket("Giỏ quà", components.to_vec(), value);
                    cart.add_basket(line).unwrap();
                }
                if order_pct > 0 {
                    cart.set_order_discount(Discount::Percent(order_pct.into())).unwrap();
                }
                let total = cart.totals().total;
                let tenders = if split && total.dong() > 1 {
                    let transfer = Money(total.dong() / 2);
                    vec![
                        Tender {
                            method: PaymentMethod::Transfer,
                            amount: transfer,
                            reference: None,
                        },
                        Tender { method: PaymentMethod::Cash, amount: total - transfer, reference: None },
                    ]
                } else {
                    vec![Tender { method: PaymentMethod::Cash, amount: total, reference: None }]
                };
                let draft = SaleDraft::new(&cart, tenders, "Lan").unwrap();
                records.push(store.commit_sale(&draft, now).unwrap());
            }
            let events = store.events_of_kind("sale").unwrap();
            proptest::prop_assert_eq!(events.len(), records.len());
            for (event, record) in events.iter().zip(&records) {
                let read_back = sale_doc_read_back(&store.conn, record.id, record);
                proptest::prop_assert_eq!(&event.doc, &read_back);
            }
        }
    }

    #[test]
    fn the_outbox_refuses_to_be_changed() {
        let (_dir, mut store) = store_with_a_product();
        let tx = store.conn.transaction().unwrap();
        record_event(&tx, "audit", json!({"uid": new_uid()}), Utc::now()).unwrap();
        tx.commit().unwrap();
        for sql in [
            "UPDATE sync_events SET doc = '{}'",
            "DELETE FROM sync_events",
        ] {
            let refused = store.conn.execute(sql, []).unwrap_err().to_string();
            assert!(refused.contains("append-only"), "{sql}: {refused}");
        }
    }
}
