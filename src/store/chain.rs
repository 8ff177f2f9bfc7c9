//! The hash chains (see `core::chain` for what is hashed). Each chained record keeps its place
//! in its own row (`chain_position`, `chain_hash`): writers chain a record in its own
//! transaction — [`seal`] reads it back as a check does, a sale hashes the values it inserts —
//! so a chain costs no page a commit would not write anyway. [`Store::verify_new_records`]
//! checks at start what came after the last verified point, [`Store::verify_chains`] every
//! record; breaks are kept until a manager acknowledges them, and no sale is made while one is
//! not.
//!
//! A kind is a [`Spec`]: its table, the SQL that reads its records in id order and the SQL of
//! each child table, every stored column in a fixed order. Adding a kind is a `ChainKind`
//! variant, the two chain columns on its table, its spec here and a `seal` call in its writer's
//! transaction. The column lists are frozen once records are chained: a column added to a
//! chained table later goes into a new part (a new child query) or a new kind, never into an
//! existing list, or every old hash would change.

use super::staff::insert_audit;
use super::{Store, StoreError, StoreResult, parse_timestamp, timestamp};
use crate::core::audit::{Actor, AuditAct};
use crate::core::chain::{
    ChainBreak, ChainCheck, ChainHead, ChainKind, Discrepancy, Fault, Figure, GENESIS, Hash, Value,
    digest_of, encode_value, end_part, hex, link_hash, start_row,
};
use crate::core::staff::AuditChange;
use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, params};
use std::collections::HashSet;
use std::path::Path;

/// How a kind's records are read for hashing.
struct Spec {
    /// The records with `?1 ≤ id ≤ ?2`, in id order: their place in the chain
    /// (`chain_position`, `chain_hash`), then the id and every other stored column, which the
    /// hash covers.
    record: &'static str,
    /// Each child table's rows of those records, in record then key order: the record's id
    /// first (not hashed again), then every other column.
    parts: &'static [&'static str],
    /// The place of record `?1` (position, id, hash), if it is chained.
    place: &'static str,
    /// The last chained record's place.
    last: &'static str,
    /// The last chained record's place with the kind's checkpoint (`?1`), one row.
    next: &'static str,
    /// Chains record `?3` at position `?1` with hash `?2`.
    chain: &'static str,
    before: &'static str,
    last_id: &'static str,
    /// The number people know record `?1` by, if it has one.
    number: Option<&'static str>,
    /// Figures of record `?1` that must equal the sum of its parts: `(stored, sum)`.
    checks: &'static [(Figure, &'static str)],
}

/// The SQL of the places kept in the rows of `$table`: `place`, `last`, `next` and `chain`.
macro_rules! places {
    ($table:literal) => {
        Places {
            place: concat!(
                "SELECT chain_position, id, chain_hash FROM ",
                $table,
                " WHERE id = ?1 AND chain_hash IS NOT NULL"
            ),
            last: concat!(
                "SELECT chain_position, id, chain_hash FROM ",
                $table,
                " WHERE chain_hash IS NOT NULL ORDER BY id DESC LIMIT 1"
            ),
            next: concat!(
                "SELECT r.chain_position, r.id, r.chain_hash, c.position, c.record_id, c.hash
                   FROM (SELECT chain_position, id, chain_hash FROM ",
                $table,
                " WHERE chain_hash IS NOT NULL ORDER BY id DESC LIMIT 1) r
                   LEFT JOIN chain_checkpoints c ON c.kind = ?1"
            ),
            chain: concat!(
                "UPDATE ",
                $table,
                " SET chain_position = ?1, chain_hash = ?2 WHERE id = ?3"
            ),
            before: concat!(
                "SELECT chain_position, id, chain_hash FROM ",
                $table,
                " WHERE id <= ?1 AND chain_hash IS NOT NULL ORDER BY id DESC LIMIT 1"
            ),
            last_id: concat!("SELECT coalesce(max(id), 0) FROM ", $table),
        }
    };
}

struct Places {
    place: &'static str,
    last: &'static str,
    next: &'static str,
    chain: &'static str,
    /// The place of the last chained record with an id up to `?1`.
    before: &'static str,
    /// The largest id of the table.
    last_id: &'static str,
}

const SALE_PLACES: Places = places!("sales");
const REFUND_PLACES: Places = places!("refunds");
const INVOICE_PLACES: Places = places!("invoices");
const CASH_MOVE_PLACES: Places = places!("cash_movements");
// An open session has no place: only closed ones are records of the Z chain.
const Z_CLOSE_PLACES: Places = places!("cash_sessions");
const AUDIT_PLACES: Places = places!("audit_log");
const EINVOICE_PLACES: Places = places!("einvoices");
const CUSTOMER_SALE_PLACES: Places = places!("customer_sales");
const CUSTOMER_PAYMENT_PLACES: Places = places!("customer_payments");

fn spec(kind: ChainKind) -> &'static Spec {
    match kind {
        ChainKind::Sale => &Spec {
            record: "SELECT chain_position, chain_hash, id, receipt_no, receipt_year, receipt_seq,
                            sold_at, local_date, cashier, gross, discounts, total, change_given,
                            session_id, cart_no
                       FROM sales WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
            parts: &SALE_PARTS,
            place: SALE_PLACES.place,
            last: SALE_PLACES.last,
            next: SALE_PLACES.next,
            chain: SALE_PLACES.chain,
            before: SALE_PLACES.before,
            last_id: SALE_PLACES.last_id,
            number: Some("SELECT receipt_no FROM sales WHERE id = ?1"),
            checks: &[
                (
                    Figure::TotalOfLines,
                    "SELECT total, (SELECT coalesce(sum(total), 0) FROM sale_lines
                                     WHERE sale_id = ?1)
                       FROM sales WHERE id = ?1",
                ),
                (
                    Figure::TotalOfVat,
                    "SELECT total, (SELECT coalesce(sum(gross), 0) FROM sale_vat WHERE sale_id = ?1)
                       FROM sales WHERE id = ?1",
                ),
                (
                    Figure::TotalOfPayments,
                    "SELECT total, (SELECT coalesce(sum(amount), 0) FROM payments
                                     WHERE sale_id = ?1) - change_given
                       FROM sales WHERE id = ?1",
                ),
            ],
        },
        ChainKind::Refund => &Spec {
            // A refund of a sale sold at another counter is bound to that sale's uid.
            record: "SELECT chain_position, chain_hash, id, refund_no,
                            coalesce(sale_id, (SELECT uid FROM foreign_sales f
                                                WHERE f.id = refunds.foreign_sale_id)),
                            refunded_at, local_date, cashier, method, total, restock, reason,
                            session_id, approver
                       FROM refunds WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
            parts: &[
                "SELECT refund_id, line_no, quantity_milli, amount
                   FROM refund_lines WHERE refund_id BETWEEN ?1 AND ?2 ORDER BY refund_id, line_no",
                "SELECT refund_id, rate, gross, pre_vat, vat
                   FROM refund_vat WHERE refund_id BETWEEN ?1 AND ?2 ORDER BY refund_id, rate",
            ],
            place: REFUND_PLACES.place,
            last: REFUND_PLACES.last,
            next: REFUND_PLACES.next,
            chain: REFUND_PLACES.chain,
            before: REFUND_PLACES.before,
            last_id: REFUND_PLACES.last_id,
            number: Some("SELECT refund_no FROM refunds WHERE id = ?1"),
            checks: &[
                (
                    Figure::TotalOfLines,
                    "SELECT total, (SELECT coalesce(sum(amount), 0) FROM refund_lines
                                     WHERE refund_id = ?1)
                       FROM refunds WHERE id = ?1",
                ),
                (
                    Figure::TotalOfVat,
                    "SELECT total, (SELECT coalesce(sum(gross), 0) FROM refund_vat
                                     WHERE refund_id = ?1)
                       FROM refunds WHERE id = ?1",
                ),
            ],
        },
        ChainKind::Invoice => &Spec {
            record: "SELECT chain_position, chain_hash, id, template_symbol, symbol, number, year,
                            issued_at, sale_id, buyer_id, buyer_json, payment_methods, issued_by,
                            replaces_id
                       FROM invoices WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
            parts: &[
                "SELECT invoice_id, line_no, name, unit, quantity, unit_price, amount, vat_rate
                   FROM invoice_lines WHERE invoice_id BETWEEN ?1 AND ?2
                  ORDER BY invoice_id, line_no",
                "SELECT invoice_id, rate, gross, pre_vat, vat
                   FROM invoice_vat WHERE invoice_id BETWEEN ?1 AND ?2 ORDER BY invoice_id, rate",
            ],
            place: INVOICE_PLACES.place,
            last: INVOICE_PLACES.last,
            next: INVOICE_PLACES.next,
            chain: INVOICE_PLACES.chain,
            before: INVOICE_PLACES.before,
            last_id: INVOICE_PLACES.last_id,
            number: Some("SELECT symbol || '-' || printf('%08d', number) FROM invoices WHERE id = ?1"),
            checks: &[],
        },
        // Its record and XML as issued: what is printed and what is sent.
        ChainKind::EInvoice => &Spec {
            record: "SELECT chain_position, chain_hash, id, sale_id, refund_id, kind, related_id,
                            template, series, number, authority_code, issued_at, demo,
                            record_json, xml
                       FROM einvoices WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
            parts: &[],
            place: EINVOICE_PLACES.place,
            last: EINVOICE_PLACES.last,
            next: EINVOICE_PLACES.next,
            chain: EINVOICE_PLACES.chain,
            before: EINVOICE_PLACES.before,
            last_id: EINVOICE_PLACES.last_id,
            number: Some(
                "SELECT template || series || '-' || printf('%08d', number) FROM einvoices
                  WHERE id = ?1",
            ),
            checks: &[],
        },
        ChainKind::CustomerSale => &Spec {
            // Not the receiver's name: it is erased with a person's data.
            record: "SELECT chain_position, chain_hash, id, sale_id, customer_id, order_id,
                            delivery_no, on_account, due_on
                       FROM customer_sales WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
            parts: &["SELECT customer_sale_id, line_no, quantity_milli
                        FROM delivery_lines WHERE customer_sale_id BETWEEN ?1 AND ?2
                       ORDER BY customer_sale_id, line_no"],
            place: CUSTOMER_SALE_PLACES.place,
            last: CUSTOMER_SALE_PLACES.last,
            next: CUSTOMER_SALE_PLACES.next,
            chain: CUSTOMER_SALE_PLACES.chain,
            before: CUSTOMER_SALE_PLACES.before,
            last_id: CUSTOMER_SALE_PLACES.last_id,
            number: Some(
                "SELECT s.receipt_no FROM customer_sales c JOIN sales s ON s.id = c.sale_id
                  WHERE c.id = ?1",
            ),
            checks: &[],
        },
        ChainKind::CustomerPayment => &Spec {
            record: "SELECT chain_position, chain_hash, id, number, kind, customer_id, order_id,
                            paid_at, local_date, cashier, approver, method, amount, reference,
                            session_id
                       FROM customer_payments WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
            parts: &["SELECT payment_id, sale_id, amount
                        FROM payment_allocations WHERE payment_id BETWEEN ?1 AND ?2
                       ORDER BY payment_id, sale_id"],
            place: CUSTOMER_PAYMENT_PLACES.place,
            last: CUSTOMER_PAYMENT_PLACES.last,
            next: CUSTOMER_PAYMENT_PLACES.next,
            chain: CUSTOMER_PAYMENT_PLACES.chain,
            before: CUSTOMER_PAYMENT_PLACES.before,
            last_id: CUSTOMER_PAYMENT_PLACES.last_id,
            number: Some("SELECT number FROM customer_payments WHERE id = ?1"),
            checks: &[],
        },
        ChainKind::CashMove => &Spec {
            record: "SELECT chain_position, chain_hash, id, session_id, kind, amount, reason,
                            created_at, created_by
                       FROM cash_movements WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
            parts: &[],
            place: CASH_MOVE_PLACES.place,
            last: CASH_MOVE_PLACES.last,
            next: CASH_MOVE_PLACES.next,
            chain: CASH_MOVE_PLACES.chain,
            before: CASH_MOVE_PLACES.before,
            last_id: CASH_MOVE_PLACES.last_id,
            number: None,
            checks: &[],
        },
        // A session becomes a record of this chain when it closes (only one is open at a time,
        // so sessions close in id order).
        ChainKind::ZClose => &Spec {
            record: "SELECT chain_position, chain_hash, id, opened_at, opened_by, opening_float,
                            closed_at, closed_by, z_number, expected_cash, counted_cash,
                            note_counts, close_note
                       FROM cash_sessions
                      WHERE closed_at IS NOT NULL AND id BETWEEN ?1 AND ?2 ORDER BY id",
            parts: &["SELECT session_id, kind, position, record_id, hash
                        FROM z_chain_heads WHERE session_id BETWEEN ?1 AND ?2
                       ORDER BY session_id, kind"],
            place: Z_CLOSE_PLACES.place,
            last: Z_CLOSE_PLACES.last,
            next: Z_CLOSE_PLACES.next,
            chain: Z_CLOSE_PLACES.chain,
            before: Z_CLOSE_PLACES.before,
            last_id: Z_CLOSE_PLACES.last_id,
            number: Some("SELECT z_number FROM cash_sessions WHERE id = ?1"),
            checks: &[(
                Figure::CountedOfNotes,
                "SELECT counted_cash, (SELECT coalesce(sum(CAST(key AS INTEGER) * value), 0)
                                         FROM json_each(note_counts))
                   FROM cash_sessions WHERE id = ?1",
            )],
        },
        ChainKind::Audit => &Spec {
            record: "SELECT chain_position, chain_hash, id, at, local_date, actor, approver, act,
                            subject, before, after
                       FROM audit_log WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
            parts: &[],
            place: AUDIT_PLACES.place,
            last: AUDIT_PLACES.last,
            next: AUDIT_PLACES.next,
            chain: AUDIT_PLACES.chain,
            before: AUDIT_PLACES.before,
            last_id: AUDIT_PLACES.last_id,
            number: None,
            checks: &[],
        },
    }
}

/// A sale's child rows, in the order the hash takes them. `commit_sale` hashes the values it
/// inserts in this same order and these same columns (see `sales::SaleRows`).
pub(crate) const SALE_PARTS: [&str; 4] = [
    "SELECT sale_id, line_no, product_id, sku, name, producer, stars, unit, quantity_milli,
            unit_price, vat_rate, gross, line_discount, order_discount, total, basket_no
       FROM sale_lines WHERE sale_id BETWEEN ?1 AND ?2 ORDER BY sale_id, line_no",
    "SELECT sale_id, basket_no, name, sku, count_milli, unit_price, components_value, gross,
            discount, total
       FROM sale_baskets WHERE sale_id BETWEEN ?1 AND ?2 ORDER BY sale_id, basket_no",
    "SELECT sale_id, rate, gross, pre_vat, vat
       FROM sale_vat WHERE sale_id BETWEEN ?1 AND ?2 ORDER BY sale_id, rate",
    "SELECT sale_id, seq, method, amount, reference
       FROM payments WHERE sale_id BETWEEN ?1 AND ?2 ORDER BY sale_id, seq",
];

/// The columns of a record row before its hashed content: position and hash.
const PLACE_COLUMNS: usize = 2;

pub(crate) fn value(value: ValueRef<'_>) -> Value<'_> {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(number) => Value::Integer(number),
        ValueRef::Real(number) => Value::Real(number),
        ValueRef::Text(bytes) => Value::Text(bytes),
        ValueRef::Blob(bytes) => Value::Blob(bytes),
    }
}

/// Appends one row from column `first` on.
fn encode_row(out: &mut Vec<u8>, row: &Row<'_>, first: usize, columns: usize) -> StoreResult<()> {
    start_row(out);
    for index in first..columns {
        encode_value(out, value(row.get_ref(index)?));
    }
    Ok(())
}

/// A record as read for a check: its id, its place if it has one, and its content.
struct Record<'a> {
    id: i64,
    place: Option<(i64, Hash)>,
    content: &'a [u8],
}

/// Reads the records of `kind` with `from ≤ id ≤ to` in id order, and hands each one to
/// `visit` until it returns false. Child rows are read alongside, one ordered pass per child
/// table, so a whole chain is read in a few sequential scans.
fn for_each_record(
    conn: &Connection,
    kind: ChainKind,
    from: i64,
    to: i64,
    mut visit: impl FnMut(Record<'_>) -> StoreResult<bool>,
) -> StoreResult<()> {
    let spec = spec(kind);
    let mut record_stmt = conn.prepare_cached(spec.record)?;
    let record_columns = record_stmt.column_count();
    let mut part_stmts = spec
        .parts
        .iter()
        .map(|sql| conn.prepare_cached(sql))
        .collect::<Result<Vec<_>, _>>()?;
    let part_columns: Vec<usize> = part_stmts.iter().map(|s| s.column_count()).collect();
    let mut records = record_stmt.query(params![from, to])?;
    let mut parts = part_stmts
        .iter_mut()
        .map(|stmt| stmt.query(params![from, to]))
        .collect::<Result<Vec<_>, _>>()?;
    // A child row read past the end of its record waits here, encoded, with its record's id.
    let mut waiting: Vec<(Option<i64>, Vec<u8>)> = vec![(None, Vec::new()); parts.len()];
    let mut content = Vec::with_capacity(1024);
    while let Some(row) = records.next()? {
        let id: i64 = row.get(PLACE_COLUMNS)?;
        let place = match (row.get::<_, Option<i64>>(0)?, row.get_ref(1)?) {
            (Some(position), hash @ ValueRef::Blob(_)) => Some((position, hash_from(hash)?)),
            _ => None,
        };
        content.clear();
        encode_row(&mut content, row, PLACE_COLUMNS, record_columns)?;
        end_part(&mut content);
        for ((rows, (waiting_id, waiting_row)), &columns) in
            parts.iter_mut().zip(&mut waiting).zip(&part_columns)
        {
            let mut more = match *waiting_id {
                Some(parent) if parent > id => false,
                Some(parent) => {
                    // Rows of a record that is not there (parent < id) are no record's content.
                    if parent == id {
                        content.extend_from_slice(waiting_row);
                    }
                    *waiting_id = None;
                    true
                }
                None => true,
            };
            while more && let Some(child) = rows.next()? {
                let parent: i64 = child.get(0)?;
                if parent == id {
                    encode_row(&mut content, child, 1, columns)?;
                } else if parent > id {
                    waiting_row.clear();
                    encode_row(waiting_row, child, 1, columns)?;
                    *waiting_id = Some(parent);
                    more = false;
                }
            }
            end_part(&mut content);
        }
        let record = Record {
            id,
            place,
            content: &content,
        };
        if !visit(record)? {
            break;
        }
    }
    Ok(())
}

/// A stored hash: a BLOB of 32 bytes.
fn hash_from(value: ValueRef<'_>) -> StoreResult<Hash> {
    let bytes = value
        .as_blob()
        .map_err(|_| StoreError::Corrupt(format!("a chain hash of type {}", value.data_type())))?;
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("a chain hash of {} bytes", bytes.len())))
}

fn read_head(kind: ChainKind, row: &Row<'_>) -> StoreResult<ChainHead> {
    Ok(ChainHead {
        kind,
        position: row.get(0)?,
        record_id: row.get(1)?,
        hash: hash_from(row.get_ref(2)?)?,
    })
}

/// The place of the last chained record of `kind`.
fn last_place(conn: &Connection, kind: ChainKind) -> StoreResult<Option<ChainHead>> {
    conn.prepare_cached(spec(kind).last)?
        .query_row([], |row| Ok(read_head(kind, row)))
        .optional()?
        .transpose()
}

/// The place of record `record_id` of `kind`, if it is there and chained.
fn place_of(conn: &Connection, kind: ChainKind, record_id: i64) -> StoreResult<Option<ChainHead>> {
    conn.prepare_cached(spec(kind).place)?
        .query_row([record_id], |row| Ok(read_head(kind, row)))
        .optional()?
        .transpose()
}

/// The position the next record of `kind` takes and the hash it is chained to: those of the
/// last chained record, unless that one claims a place the last check verified for another
/// record (a copy slipped in at the end); then those of the record verified there, so a new
/// record never chains to a forgery a manager acknowledged.
pub(crate) fn next_place(conn: &Connection, kind: ChainKind) -> StoreResult<(i64, Hash)> {
    // One statement for both: it runs in every sale's commit.
    let mut stmt = conn.prepare_cached(spec(kind).next)?;
    let mut rows = stmt.query([kind.code()])?;
    let Some(row) = rows.next()? else {
        return Ok((1, GENESIS));
    };
    let last = read_head(kind, row)?;
    let head = match row.get::<_, Option<i64>>(3)? {
        Some(position)
            if last.position <= position && last.record_id != row.get::<_, i64>(4)? =>
        {
            ChainHead {
                kind,
                position,
                record_id: row.get(4)?,
                hash: hash_from(row.get_ref(5)?)?,
            }
        }
        _ => last,
    };
    Ok((head.position + 1, head.hash))
}

/// Chains record `record_id` of `kind`, just written, to the last record of its kind: call it
/// in the record's own transaction, after the record and its child rows are written.
pub(crate) fn seal(conn: &Connection, kind: ChainKind, record_id: i64) -> StoreResult<()> {
    let (position, previous) = next_place(conn, kind)?;
    let mut hash = None;
    for_each_record(conn, kind, record_id, record_id, |record| {
        hash = Some(link_hash(&previous, kind, position, record.content));
        Ok(false)
    })?;
    let hash = hash.ok_or_else(|| {
        StoreError::Corrupt(format!("{} {record_id} is not there to chain", kind.code()))
    })?;
    conn.prepare_cached(spec(kind).chain)?
        .execute(params![position, &hash[..], record_id])?;
    Ok(())
}

/// The last record of every chain that has one.
pub(crate) fn heads(conn: &Connection) -> StoreResult<Vec<ChainHead>> {
    ChainKind::ALL
        .into_iter()
        .filter_map(|kind| last_place(conn, kind).transpose())
        .collect()
}

/// The schema version that brought the chains (migration 0011).
pub(crate) const CHAINS_SINCE: i32 = 9;

/// Chains every record of every kind that has no place yet, in id order: the records a store
/// held before it had chains. Run by the migration that adds them, in its transaction; the
/// chains are then verified by construction, so the checkpoints move to their heads.
pub(crate) fn chain_unchained(conn: &Connection, at: DateTime<Utc>) -> StoreResult<()> {
    for kind in ChainKind::ALL {
        let last = last_place(conn, kind)?;
        let (mut position, mut previous) = last.map_or((0, GENESIS), |l| (l.position, l.hash));
        let mut record_id = last.map_or(0, |l| l.record_id);
        let mut chain = conn.prepare_cached(spec(kind).chain)?;
        for_each_record(conn, kind, record_id + 1, i64::MAX, |record| {
            position += 1;
            previous = link_hash(&previous, kind, position, record.content);
            record_id = record.id;
            chain.execute(params![position, &previous[..], record.id])?;
            Ok(true)
        })?;
        if position > 0 {
            save_checkpoint(
                conn,
                &ChainHead {
                    kind,
                    position,
                    record_id,
                    hash: previous,
                },
                at,
            )?;
        }
    }
    Ok(())
}

/// Records the heads of every chain as the Z close of `session_id` prints them.
pub(crate) fn record_z_heads(conn: &Connection, session_id: i64) -> StoreResult<Vec<ChainHead>> {
    let heads = heads(conn)?;
    for head in &heads {
        conn.prepare_cached(
            "INSERT INTO z_chain_heads (session_id, kind, position, record_id, hash)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            session_id,
            head.kind.code(),
            head.position,
            head.record_id,
            &head.hash[..]
        ])?;
    }
    Ok(heads)
}

/// The heads a Z close recorded, in kind order.
pub(crate) fn z_heads(conn: &Connection, session_id: i64) -> StoreResult<Vec<ChainHead>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, position, record_id, hash FROM z_chain_heads WHERE session_id = ?1",
    )?;
    let mut rows = stmt.query([session_id])?;
    let mut heads = Vec::new();
    while let Some(row) = rows.next()? {
        heads.push(read_anchor(row)?);
    }
    heads.sort_by_key(|head| head.kind);
    Ok(heads)
}

/// A head recorded elsewhere: `(kind, position, record_id, hash)`.
fn read_anchor(row: &Row<'_>) -> StoreResult<ChainHead> {
    let code: String = row.get(0)?;
    Ok(ChainHead {
        kind: ChainKind::from_code(&code)
            .ok_or_else(|| StoreError::Corrupt(format!("chain kind {code:?}")))?,
        position: row.get(1)?,
        record_id: row.get(2)?,
        hash: hash_from(row.get_ref(3)?)?,
    })
}

fn save_checkpoint(conn: &Connection, head: &ChainHead, at: DateTime<Utc>) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO chain_checkpoints (kind, position, record_id, hash, verified_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (kind) DO UPDATE
            SET position = ?2, record_id = ?3, hash = ?4, verified_at = ?5",
    )?
    .execute(params![
        head.kind.code(),
        head.position,
        head.record_id,
        &head.hash[..],
        timestamp(at)
    ])?;
    Ok(())
}

fn checkpoint(conn: &Connection, kind: ChainKind) -> StoreResult<Option<ChainHead>> {
    conn.prepare_cached(
        "SELECT kind, position, record_id, hash FROM chain_checkpoints WHERE kind = ?1",
    )?
    .query_row([kind.code()], |row| Ok(read_anchor(row)))
    .optional()?
    .transpose()
}

/// A chain's fault at one place, before it is known whether a manager acknowledged it.
struct Found {
    position: i64,
    record_id: Option<i64>,
    fault: Fault,
    /// The bytes that make this break what it is: stored and recomputed hashes.
    evidence: Vec<u8>,
}

/// Where a walk along a chain is.
#[derive(Debug, Clone)]
struct WalkState {
    /// The hash the next record must be chained to, and the position it must have.
    previous: Hash,
    expected: i64,
    /// The last place verified (or passed over as acknowledged).
    verified: Option<ChainHead>,
    checked: i64,
    broken: Option<ChainBreak>,
}

impl WalkState {
    /// Just after `start`, a chained record taken as verified (none: before the first record).
    fn after(start: Option<ChainHead>) -> WalkState {
        WalkState {
            previous: start.map_or(GENESIS, |s| s.hash),
            expected: start.map_or(1, |s| s.position + 1),
            verified: start,
            checked: 0,
            broken: None,
        }
    }
}

/// One pass over a chain from a verified point.
struct Pass<'a> {
    conn: &'a Connection,
    kind: ChainKind,
    acknowledged: &'a HashSet<String>,
    state: WalkState,
}

/// When a walk is split into parts, each on its own core.
#[derive(Debug, Clone, Copy)]
struct Split {
    /// Records at least this many ahead are walked in parts.
    at: i64,
    parts: usize,
}

impl Split {
    /// A part per core (up to four), for 50,000 records and more.
    fn for_this_machine() -> Split {
        Split {
            at: 50_000,
            parts: std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
        }
    }
}

/// A connection to read a chain on beside the store's own. (Not memory-mapped: a read error
/// on a failing disk would then kill the program instead of being reported.)
fn read_connection(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

impl Pass<'_> {
    /// Names a fault; true when a manager acknowledged it and the pass goes on.
    fn fault(&mut self, found: Found) -> StoreResult<bool> {
        let fingerprint = hex(&digest_of(&[
            self.kind.code().as_bytes(),
            found.fault.code().as_bytes(),
            &found.position.to_be_bytes(),
            &found.record_id.unwrap_or(0).to_be_bytes(),
            &found.evidence,
        ]))[..32]
            .to_string();
        if self.acknowledged.contains(&fingerprint) {
            return Ok(true);
        }
        let spec = spec(self.kind);
        let number = match (spec.number, found.record_id) {
            (Some(sql), Some(id)) => self
                .conn
                .query_row(sql, [id], |row| row.get::<_, String>(0))
                .optional()?,
            _ => None,
        };
        self.state.broken = Some(ChainBreak {
            kind: self.kind,
            position: found.position,
            record_id: found.record_id,
            number,
            fault: found.fault,
            fingerprint,
        });
        Ok(false)
    }

    /// The first figure of a record that no longer adds up, if any.
    fn discrepancy(&self, record_id: i64) -> StoreResult<Option<Discrepancy>> {
        for (figure, sql) in spec(self.kind).checks {
            let sums: Option<(i64, i64)> = self
                .conn
                .query_row(sql, [record_id], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            if let Some((stored, parts)) = sums
                && stored != parts
            {
                return Ok(Some(Discrepancy {
                    figure: *figure,
                    stored,
                    parts,
                }));
            }
        }
        Ok(None)
    }

    /// Checks the next record; true while the pass goes on.
    fn record(&mut self, record: Record<'_>) -> StoreResult<bool> {
        let Some((position, stored)) = record.place else {
            // No place: written outside the program (or its place wiped).
            return self.fault(Found {
                position: self.state.expected,
                record_id: Some(record.id),
                fault: Fault::Unchained,
                evidence: link_hash(&GENESIS, self.kind, 0, record.content).to_vec(),
            });
        };
        let accepted = if position < self.state.expected {
            // A place already taken: a copy of a record, slipped in.
            self.fault(Found {
                position,
                record_id: Some(record.id),
                fault: Fault::Unchained,
                evidence: [&stored[..], record.content].concat(),
            })?
        } else if position > self.state.expected {
            self.fault(Found {
                position,
                record_id: Some(record.id),
                fault: Fault::Removed {
                    count: position - self.state.expected,
                },
                evidence: stored.to_vec(),
            })?
        } else {
            let computed = link_hash(&self.state.previous, self.kind, position, record.content);
            if computed == stored {
                self.state.checked += 1;
                true
            } else {
                let discrepancy = self.discrepancy(record.id)?;
                self.fault(Found {
                    position,
                    record_id: Some(record.id),
                    fault: Fault::Altered { discrepancy },
                    evidence: [stored, computed].concat(),
                })?
            }
        };
        if accepted && position >= self.state.expected {
            // The next record was chained to the hash stored here, whatever this one holds.
            self.state.previous = stored;
            self.state.expected = position + 1;
            self.state.verified = Some(ChainHead {
                kind: self.kind,
                position,
                record_id: record.id,
                hash: stored,
            });
        }
        Ok(accepted)
    }

    /// Walks the records with an id after `after` and up to `to`, from the state the pass is
    /// in, up to the first break not acknowledged.
    fn walk_range(&mut self, after: i64, to: i64) -> StoreResult<()> {
        for_each_record(self.conn, self.kind, after + 1, to, |record| {
            self.record(record)
        })
    }

    /// Walks the records after `self.state.verified`. A long walk is split over the machine's cores:
    /// each part starts at a chained record and is walked on its own read connection to the
    /// store's file; the parts are then joined in order, and a part that did not start where
    /// the one before it ended (around a break a manager acknowledged) is walked again.
    fn walk(&mut self, path: &Path, split: Split) -> StoreResult<()> {
        let after = self.state.verified.map_or(0, |head| head.record_id);
        let spec = spec(self.kind);
        let last_id: i64 = self.conn.query_row(spec.last_id, [], |row| row.get(0))?;
        let cores = split.parts;
        if cores < 2 || last_id - after < split.at {
            return self.walk_range(after, i64::MAX);
        }
        // The chained record each part starts after; the parts end where the next starts.
        let mut starts: Vec<Option<ChainHead>> = vec![self.state.verified];
        for part in 1..cores as i64 {
            let boundary = after + (last_id - after) * part / cores as i64;
            let start = self
                .conn
                .query_row(spec.before, [boundary], |row| Ok(read_head(self.kind, row)))
                .optional()?
                .transpose()?;
            if start.map(|s| s.record_id) > starts.last().copied().flatten().map(|s| s.record_id) {
                starts.push(start);
            }
        }
        let ends: Vec<i64> = starts
            .iter()
            .skip(1)
            .map(|start| start.map_or(0, |s| s.record_id))
            .chain([i64::MAX])
            .collect();
        let (kind, acknowledged) = (self.kind, self.acknowledged);
        let parts: Vec<(Option<ChainHead>, i64)> = starts.into_iter().zip(ends).collect();
        let walked: Vec<StoreResult<WalkState>> = std::thread::scope(|scope| {
            let walkers: Vec<_> = parts
                .iter()
                .map(|&(start, to)| {
                    scope.spawn(move || -> StoreResult<WalkState> {
                        let conn = read_connection(path)?;
                        let mut part = Pass {
                            conn: &conn,
                            kind,
                            acknowledged,
                            state: WalkState::after(start),
                        };
                        part.walk_range(start.map_or(0, |s| s.record_id), to)?;
                        Ok(part.state)
                    })
                })
                .collect();
            walkers
                .into_iter()
                .map(|walker| walker.join().expect("a walker does not panic"))
                .collect()
        });
        // Joined in order: a part counts only if it started where the one before it ended.
        for ((start, to), part) in parts.into_iter().zip(walked) {
            if self.state.broken.is_some() {
                break;
            }
            let part = part?;
            let from = WalkState::after(start);
            if (self.state.previous, self.state.expected) == (from.previous, from.expected) {
                self.state = WalkState {
                    checked: self.state.checked + part.checked,
                    verified: part.verified.or(self.state.verified),
                    ..part
                };
            } else {
                self.walk_range(start.map_or(0, |s| s.record_id), to)?;
            }
        }
        Ok(())
    }

    /// The places recorded elsewhere — the last checkpoint and the heads of the Z closes of
    /// sessions after `z_after` — must still hold the hashes recorded there.
    fn anchors(&mut self, checkpoint: Option<ChainHead>, z_after: i64) -> StoreResult<()> {
        let mut anchors: Vec<ChainHead> = checkpoint.into_iter().collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, position, record_id, hash FROM z_chain_heads
              WHERE session_id > ?1 AND kind = ?2",
        )?;
        let mut rows = stmt.query(params![z_after, self.kind.code()])?;
        while let Some(row) = rows.next()? {
            anchors.push(read_anchor(row)?);
        }
        anchors.sort_by_key(|anchor| (anchor.position, anchor.record_id));
        anchors.dedup();
        for anchor in anchors {
            let found = place_of(self.conn, self.kind, anchor.record_id)?;
            let fault = match found {
                None => Fault::Truncated,
                Some(place) if (place.position, place.hash) != (anchor.position, anchor.hash) => {
                    Fault::Rewritten
                }
                Some(_) => continue,
            };
            let evidence = [&anchor.hash[..], &found.map_or([0; 32], |place| place.hash)].concat();
            if !self.fault(Found {
                position: anchor.position,
                record_id: found.map(|place| place.record_id),
                fault,
                evidence,
            })? {
                return Ok(());
            }
        }
        Ok(())
    }
}

/// Checks one chain, from its checkpoint (`whole`: from its first record); returns what it
/// found and where the checkpoint moves to. The heads recorded by the Z closes of sessions after
/// `z_after` are compared with the chain (all of them for a whole check).
fn check_chain(
    conn: &Connection,
    path: &Path,
    kind: ChainKind,
    whole: bool,
    z_after: i64,
    split: Split,
) -> StoreResult<(ChainCheck, Option<ChainHead>)> {
    let acknowledged = acknowledged_fingerprints(conn, kind)?;
    let saved = checkpoint(conn, kind)?;
    // Start after the checkpoint only if its record still holds what was verified; if not,
    // the anchors below say so and the chain is walked from its start.
    let start = match saved {
        Some(saved) if !whole && place_of(conn, kind, saved.record_id)? == Some(saved) => {
            Some(saved)
        }
        _ => None,
    };
    let mut pass = Pass {
        conn,
        kind,
        acknowledged: &acknowledged,
        state: WalkState::after(start),
    };
    pass.walk(path, split)?;
    if pass.state.broken.is_none() {
        pass.anchors(saved, z_after)?;
    }
    // The checkpoint moves to the last place verified; a pass stopped by a break before it
    // (a full check finding an old change) leaves it where it was, as the break is now kept.
    let checkpoint = pass.state.verified.filter(|verified| {
        pass.state.broken.is_none() || saved.is_none_or(|s| verified.position > s.position)
    });
    let check = ChainCheck {
        kind,
        checked: pass.state.checked,
        head: last_place(conn, kind)?,
        broken: pass.state.broken,
    };
    Ok((check, checkpoint))
}

fn acknowledged_fingerprints(conn: &Connection, kind: ChainKind) -> StoreResult<HashSet<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT fingerprint FROM chain_breaks WHERE kind = ?1 AND acknowledged_at IS NOT NULL",
    )?;
    let fingerprints = stmt.query_map([kind.code()], |row| row.get(0))?;
    Ok(fingerprints.collect::<Result<_, _>>()?)
}

/// A break kept in the store, with the id a manager acknowledges it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBreak {
    pub id: i64,
    pub found_at: DateTime<Utc>,
    pub chain_break: ChainBreak,
}

/// The breaks no manager acknowledged yet, oldest first.
pub(crate) fn unacknowledged_breaks(conn: &Connection) -> StoreResult<Vec<StoredBreak>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, fingerprint, position, record_id, number, fault, found_at
           FROM chain_breaks WHERE acknowledged_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, i64>(3)?,
            row.get::<_, Option<i64>>(4)?,
            row.get::<_, Option<String>>(5)?,
            row.get::<_, String>(6)?,
            row.get::<_, String>(7)?,
        ))
    })?;
    rows.map(|row| {
        let (id, kind, fingerprint, position, record_id, number, fault, found_at) = row?;
        Ok(StoredBreak {
            id,
            found_at: parse_timestamp(&found_at)?,
            chain_break: ChainBreak {
                kind: ChainKind::from_code(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("chain kind {kind:?}")))?,
                position,
                record_id,
                number,
                fault: serde_json::from_str(&fault)?,
                fingerprint,
            },
        })
    })
    .collect()
}

/// The first break not acknowledged, if any: a sale is refused while there is one.
pub(crate) fn first_unacknowledged_break(conn: &Connection) -> StoreResult<Option<StoredBreak>> {
    let open: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM chain_breaks WHERE acknowledged_at IS NULL)")?
        .query_row([], |row| row.get(0))?;
    if !open {
        return Ok(None);
    }
    Ok(unacknowledged_breaks(conn)?.into_iter().next())
}

impl Store {
    /// Checks every record of every chain from its first one (`ocop-pos verify`). Breaks are
    /// kept; selling stops while one is not acknowledged.
    pub fn verify_chains(&mut self, at: DateTime<Utc>) -> StoreResult<Vec<ChainCheck>> {
        self.check_chains(true, at)
    }

    /// Checks what was added to each chain since its last verified point (at start).
    pub fn verify_new_records(&mut self, at: DateTime<Utc>) -> StoreResult<Vec<ChainCheck>> {
        self.check_chains(false, at)
    }

    fn check_chains(&mut self, whole: bool, at: DateTime<Utc>) -> StoreResult<Vec<ChainCheck>> {
        self.check_chains_split(whole, Split::for_this_machine(), at)
    }

    fn check_chains_split(
        &mut self,
        whole: bool,
        split: Split,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<ChainCheck>> {
        // Read in one transaction, a consistent view of every chain, then what was found is
        // written in a short one: the counter keeps selling while a long check reads.
        let tx = self.conn.transaction()?;
        // The Z closes verified before recorded heads that were compared then.
        let z_after = match checkpoint(&tx, ChainKind::ZClose)? {
            Some(saved) if !whole => saved.record_id,
            _ => 0,
        };
        let found = ChainKind::ALL
            .into_iter()
            .map(|kind| check_chain(&tx, &self.path, kind, whole, z_after, split))
            .collect::<StoreResult<Vec<_>>>()?;
        tx.commit()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut checks = Vec::with_capacity(found.len());
        for (check, moved) in found {
            if let Some(verified) = moved {
                save_checkpoint(&tx, &verified, at)?;
            }
            checks.push(check);
        }
        for broken in checks.iter().filter_map(|check| check.broken.as_ref()) {
            tx.prepare_cached(
                "INSERT INTO chain_breaks (kind, fingerprint, position, record_id, number, fault,
                                           found_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (kind, fingerprint) DO NOTHING",
            )?
            .execute(params![
                broken.kind.code(),
                broken.fingerprint,
                broken.position,
                broken.record_id,
                broken.number,
                serde_json::to_string(&broken.fault)?,
                timestamp(at)
            ])?;
        }
        tx.commit()?;
        Ok(checks)
    }

    /// The last record of every chain that has one.
    pub fn chain_heads(&self) -> StoreResult<Vec<ChainHead>> {
        heads(&self.conn)
    }

    /// The breaks no manager has acknowledged yet, oldest first.
    pub fn unacknowledged_breaks(&self) -> StoreResult<Vec<StoredBreak>> {
        unacknowledged_breaks(&self.conn)
    }

    /// A manager has seen break `break_id` (described as `description`): later checks pass
    /// over it and selling goes on. Audited in the same transaction, with who approved.
    pub fn acknowledge_chain_break<'a>(
        &mut self,
        break_id: i64,
        description: &str,
        by: impl Into<Actor<'a>>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let by = by.into();
        let tx = self.conn.transaction()?;
        let fingerprint: String = tx
            .query_row(
                "UPDATE chain_breaks SET acknowledged_at = ?2, acknowledged_by = ?3
                  WHERE id = ?1 AND acknowledged_at IS NULL RETURNING fingerprint",
                params![break_id, timestamp(at), by.approver.unwrap_or(by.name)],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let change = AuditChange {
            subject: &fingerprint,
            before: description,
            after: "",
        };
        insert_audit(&tx, by, AuditAct::AcknowledgeChainBreak, &change, at)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::cart::Cart;
    use crate::core::payment::{PaymentMethod, Tender};
    use crate::core::sale::SaleDraft;
    use rust_decimal::Decimal;

    fn store_with_sales(count: usize) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let now = Utc::now();
        store
            .seed_demo(include_str!("../../assets/demo_products.csv"), now)
            .unwrap();
        let catalogue = store.catalogue(now).unwrap();
        for n in 0..count {
            let mut cart = Cart::default();
            cart.add_product(&catalogue[n % catalogue.len()], Decimal::ONE)
                .unwrap();
            let tender = Tender {
                method: PaymentMethod::Cash,
                amount: cart.totals().total,
                reference: None,
            };
            let draft = SaleDraft::new(&cart, vec![tender], "Lan").unwrap();
            store.commit_sale(&draft, now).unwrap();
        }
        (dir, store)
    }

    /// What a check finds of the sales, walked in one piece or in three parts.
    fn sales_found(store: &mut Store, parts: usize) -> (i64, Option<ChainBreak>) {
        let split = Split { at: 10, parts };
        let checks = store.check_chains_split(true, split, Utc::now()).unwrap();
        let sales = checks.into_iter().next().unwrap();
        (sales.checked, sales.broken)
    }

    /// Acknowledges the sales' first break, as a manager would.
    fn acknowledge(store: &mut Store) {
        let open = store.unacknowledged_breaks().unwrap();
        store
            .acknowledge_chain_break(open[0].id, "", "Hùng", Utc::now())
            .unwrap();
    }

    #[test]
    fn a_walk_in_parts_finds_what_a_walk_in_one_piece_finds() {
        let (_dir, mut store) = store_with_sales(90);
        assert_eq!(sales_found(&mut store, 3), (90, None));
        let raw = Connection::open(store.path()).unwrap();
        raw.execute_batch(
            "PRAGMA foreign_keys = OFF;
             DROP TRIGGER sales_no_update; DROP TRIGGER sales_no_delete;
             UPDATE sales SET cashier = 'X' WHERE id = 70;
             DELETE FROM sales WHERE id = 30;
             -- A copy of sale 5 where sale 30 was: a part may start after it.
             CREATE TEMP TABLE copy AS SELECT * FROM sales WHERE id = 5;
             UPDATE copy SET id = 30, receipt_no = 'X-30', uid = 'X-30';
             INSERT INTO sales SELECT * FROM copy;",
        )
        .unwrap();
        // The copy, the sale after the one removed, the altered sale, each acknowledged in turn.
        for expected in [
            Some((30, "unchained")),
            Some((31, "removed")),
            Some((70, "altered")),
            None,
        ] {
            let in_one_piece = sales_found(&mut store, 1);
            let in_parts = sales_found(&mut store, 3);
            assert_eq!(in_parts, in_one_piece);
            let found = in_parts.1.map(|b| (b.record_id.unwrap(), b.fault.code()));
            assert_eq!(found, expected);
            if found.is_some() {
                acknowledge(&mut store);
            }
        }
        // Checked against their predecessors: all but the copy, sale 31 (its predecessor is
        // gone) and the altered sale 70.
        assert_eq!(sales_found(&mut store, 3).0, 87);
    }
}
