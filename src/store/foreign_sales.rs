//! Sales sold at another counter, known here by sync: kept apart from this node's own sales
//! (see migration 0014) so they can be found by number, reprinted and refunded here without
//! entering this node's hash chain, receipt series, daily figures, cash drawer or e-invoices,
//! and without moving stock again (their stock came with the sale event's own rows).

use super::{StoreError, StoreResult, from_milli, parse_rate, parse_timestamp};
use crate::core::money::Money;
use crate::core::payment::{PaymentMethod, Tender};
use crate::core::sale::{SaleDraft, SaleInvoice, SaleLine, SaleRecord};
use crate::core::sync_event::SyncEvent;
use crate::core::vat::vat_breakdown;
use crate::store::sync::{SyncError, event_key};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use std::collections::BTreeMap;

/// Keeps the sale an applied `sale` event of another node carries, with its lines (line `i`
/// of the event is line `i` of the sale unless the line names its `line_no`). A sale this
/// folder sold itself under an earlier origin is in `sales` already and is passed over.
pub(crate) fn keep_foreign_sale(
    tx: &Connection,
    event: &SyncEvent,
    origin_id: i64,
) -> StoreResult<()> {
    let doc = &event.doc;
    let text = |field: &str| doc[field].as_str().unwrap_or_default();
    let sold_here: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sales WHERE uid = ?1)")?
        .query_row([text("uid")], |row| row.get(0))?;
    if sold_here {
        return Ok(());
    }
    // A receipt this version cannot read (one written by a later version) must not stop the
    // sync: the sale is then kept from its lines, as one from before receipts travelled.
    let record: Option<SaleRecord> = doc
        .get("record")
        .and_then(|record| serde_json::from_value(record.clone()).ok());
    let id: i64 = tx
        .prepare_cached(
            "INSERT INTO foreign_sales (uid, receipt_no, origin_id, seq, node, sold_at, local_date,
                                        cashier, total, record)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
        )?
        .query_row(
            params![
                text("uid"),
                text("number"),
                origin_id,
                event.seq,
                event.node,
                event.at,
                text("local_date"),
                text("cashier"),
                doc["total"].as_i64().unwrap_or(0),
                record.as_ref().map(serde_json::to_string).transpose()?
            ],
            |row| row.get(0),
        )?;
    for (index, line) in doc["lines"].as_array().into_iter().flatten().enumerate() {
        let product = line["product"].as_str().unwrap_or_default();
        // As printed when the event carries the receipt; else as this node knows the product.
        let printed = record.as_ref().and_then(|sale| sale.draft.lines.get(index));
        let inserted = tx
            .prepare_cached(
                "INSERT INTO foreign_sale_lines (foreign_sale_id, line_no, product_id, sku, name,
                                                 producer, stars, unit, quantity_milli,
                                                 unit_price, vat_rate, total)
                 SELECT ?1, ?2, p.id, coalesce(?4, p.sku), ?5, coalesce(?6, r.name), ?7,
                        coalesce(?8, p.unit), ?9, coalesce(?10, (?12 * 1000 + ?9 / 2) / ?9), ?11,
                        ?12
                   FROM products p JOIN producers r ON r.id = p.producer_id WHERE p.uid = ?3",
            )?
            .execute(params![
                id,
                line["line_no"].as_i64().unwrap_or(index as i64),
                product,
                printed.map(|line| &line.sku),
                line["name"].as_str().unwrap_or_default(),
                printed.map(|line| &line.producer),
                printed.and_then(|line| line.stars),
                printed.map(|line| &line.unit),
                line["qty_milli"].as_i64().unwrap_or(0),
                printed.map(|line| line.unit_price.dong()),
                line["vat_rate"].as_str().unwrap_or_default(),
                line["total"].as_i64().unwrap_or(0)
            ])?;
        if inserted == 0 {
            return Err(StoreError::Sync(SyncError::UnknownProduct {
                origin: event.origin(),
                seq: event.seq,
                uid: product.to_string(),
            }));
        }
    }
    Ok(())
}

/// A sale sold at another counter, by its receipt number, as that counter printed it: from
/// the receipt its event carries, or, for an event from before events carried one, rebuilt
/// from its lines and payments (prices per unit from the line totals, no discounts shown).
pub(crate) fn read_foreign_sale(
    conn: &Connection,
    receipt_no: &str,
) -> StoreResult<Option<SaleRecord>> {
    let found = conn
        .prepare_cached(
            "SELECT id, node, record, sold_at, cashier, total, origin_id, seq
               FROM foreign_sales WHERE receipt_no = ?1 ORDER BY id LIMIT 1",
        )?
        .query_row([receipt_no], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, i64>(6)?,
                row.get::<_, i64>(7)?,
            ))
        })
        .optional()?;
    let Some((id, node, record, sold_at, cashier, total, origin_id, seq)) = found else {
        return Ok(None);
    };
    let lines = foreign_lines(conn, id)?;
    let mut sale = match record {
        Some(json) => {
            let mut sale: SaleRecord = serde_json::from_str(&json)?;
            // The selling node's product ids are its own rows: this node's ids by uid.
            for (line, here) in sale.draft.lines.iter_mut().zip(&lines) {
                line.product_id = here.product_id;
            }
            sale
        }
        None => {
            let doc: String = conn
                .prepare_cached("SELECT doc FROM sync_events WHERE key = ?1")?
                .query_row([event_key(origin_id, seq)], |row| row.get(0))?;
            let doc: Value = serde_json::from_str(&doc)?;
            let tenders = doc["payments"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|payment| {
                    let method = payment["method"].as_str().unwrap_or_default();
                    Ok(Tender {
                        method: PaymentMethod::from_code(method).ok_or_else(|| {
                            StoreError::Corrupt(format!("payment method {method:?}"))
                        })?,
                        amount: Money(payment["amount"].as_i64().unwrap_or(0)),
                        reference: None,
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?;
            SaleRecord {
                id: 0,
                receipt_no: receipt_no.to_string(),
                sold_at: parse_timestamp(&sold_at)?,
                draft: SaleDraft {
                    cart_no: None,
                    cashier,
                    vat: vat_breakdown(lines.iter().map(|line| (line.vat, line.total))),
                    lines,
                    baskets: Vec::new(),
                    gross: Money(total),
                    discounts: Money::ZERO,
                    total: Money(total),
                    tenders,
                    change: Money::ZERO,
                    buyer: None,
                },
                invoice: SaleInvoice::Before,
                counter: None,
            }
        }
    };
    sale.id = 0;
    sale.counter = Some(node);
    Ok(Some(sale))
}

/// A foreign sale's lines as kept (with this node's product ids).
fn foreign_lines(conn: &Connection, foreign_sale_id: i64) -> StoreResult<Vec<SaleLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT product_id, sku, name, producer, stars, unit, quantity_milli, unit_price,
                vat_rate, total
           FROM foreign_sale_lines WHERE foreign_sale_id = ?1 ORDER BY line_no",
    )?;
    let rows = stmt.query_map([foreign_sale_id], |row| {
        Ok((
            SaleLine {
                product_id: row.get(0)?,
                sku: row.get(1)?,
                name: row.get(2)?,
                producer: row.get(3)?,
                stars: row.get(4)?,
                unit: row.get(5)?,
                quantity: from_milli(row.get(6)?),
                unit_price: Money(row.get(7)?),
                vat: crate::core::vat::VatRate::NotSubject,
                gross: Money(row.get(9)?),
                line_discount: Money::ZERO,
                order_discount: Money::ZERO,
                total: Money(row.get(9)?),
                basket: None,
            },
            row.get::<_, String>(8)?,
        ))
    })?;
    rows.map(|row| {
        let (mut line, rate) = row?;
        line.vat = parse_rate(&rate)?;
        Ok(line)
    })
    .collect()
}

/// What refunds written at other nodes gave back of the sale `sale_uid`, by line: `(quantity
/// in thousandths, đồng)`. `line_products` names each line's product uid, for refund events
/// from before they named the line (then the sale's first line of that product is meant, as
/// the hub counts refunds per product). A refund in this node's `refunds` (written here, under
/// this or an earlier origin of the folder) is counted there, not here.
pub(crate) fn refunded_elsewhere(
    conn: &Connection,
    sale_uid: &str,
    line_products: &[(i64, String)],
) -> StoreResult<BTreeMap<i64, (i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.doc FROM sync_events e
          WHERE e.kind = 'refund' AND json_extract(e.doc, '$.sale') = ?1
            AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.uid = json_extract(e.doc, '$.uid'))",
    )?;
    let docs = stmt
        .query_map([sale_uid], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut refunded: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for doc in docs {
        let doc: Value = serde_json::from_str(&doc)?;
        for line in doc["lines"].as_array().into_iter().flatten() {
            let line_no = line["line_no"].as_i64().or_else(|| {
                let product = line["product"].as_str()?;
                line_products
                    .iter()
                    .find(|(_, uid)| uid == product)
                    .map(|(line_no, _)| *line_no)
            });
            if let Some(line_no) = line_no {
                let entry = refunded.entry(line_no).or_default();
                entry.0 += line["qty_milli"].as_i64().unwrap_or(0);
                entry.1 += line["total"].as_i64().unwrap_or(0);
            }
        }
    }
    Ok(refunded)
}
