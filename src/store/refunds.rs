//! Refunds: numbered documents that give back part or all of a sale.

use super::cash::{check_session_available, session_for_sale};
use super::chain::seal;
use super::customers::refused;
use super::einvoices::{ReturnedLine, adjust_for_refund};
use super::foreign_sales::refunded_elsewhere;
use super::numbering::next_node_number;
use super::staff::insert_audit;
use super::sync::{new_uid, record_event, refund_doc};
use super::{Store, StoreError, StoreResult, from_milli, parse_timestamp, timestamp, to_milli};
use crate::core::audit::{Actor, AuditAct};
use crate::core::cash::CashError;
use crate::core::chain::ChainKind;
use crate::core::clock::{local_date, local_year};
use crate::core::money::Money;
use crate::core::order::OrderError;
use crate::core::refund::{
    RefundError, RefundItem, RefundLine, RefundRecord, RefundRequest, refund_amount,
};
use crate::core::staff::AuditChange;
use crate::core::vat::{VatRate, vat_breakdown};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub(crate) const REFUND_SERIES: &str = "refund";

/// What a refund would give back: each line's amount (by line number) and the total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundPrice {
    pub lines: Vec<(usize, Money)>,
    pub total: Money,
}

/// The sale a refund gives back part of: sold here (a row of `sales`) or at another counter
/// and known here by sync (a row of `foreign_sales`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SaleRef {
    Here(i64),
    Elsewhere(i64),
}

impl SaleRef {
    /// Its row of `sales`, when sold here.
    pub(crate) fn here(self) -> Option<i64> {
        match self {
            SaleRef::Here(id) => Some(id),
            SaleRef::Elsewhere(_) => None,
        }
    }
}

/// Finds a sale by its receipt number: this node's own first, then one synced from another
/// counter. A sale this node does not know is refused, saying to sync first.
fn find_sale(conn: &Connection, receipt_no: &str) -> StoreResult<(SaleRef, String)> {
    let here = conn
        .prepare_cached("SELECT id, uid FROM sales WHERE receipt_no = ?1")?
        .query_row([receipt_no], |row| {
            Ok((SaleRef::Here(row.get(0)?), row.get(1)?))
        })
        .optional()?;
    let found = match here {
        Some(found) => Some(found),
        None => conn
            .prepare_cached(
                "SELECT id, uid FROM foreign_sales WHERE receipt_no = ?1 ORDER BY id LIMIT 1",
            )?
            .query_row([receipt_no], |row| {
                Ok((SaleRef::Elsewhere(row.get(0)?), row.get(1)?))
            })
            .optional()?,
    };
    found.ok_or(StoreError::Refund(RefundError::NoSuchSale))
}

/// What is left to refund of one sale line.
struct RefundableLine {
    line_no: i64,
    name: String,
    product_id: i64,
    vat: VatRate,
    sold: Decimal,
    total: Money,
    refunded: Decimal,
    refunded_amount: Money,
}

/// Every line of a sale with what refunds gave back of it so far: this node's own refunds
/// and those of every other node it has the events of.
fn refundable(
    conn: &Connection,
    sale: SaleRef,
    sale_uid: &str,
) -> StoreResult<Vec<RefundableLine>> {
    let (lines_sql, refunds_sql, id) = match sale {
        SaleRef::Here(id) => (
            "SELECT l.line_no, l.name, l.product_id, p.uid, l.vat_rate, l.quantity_milli, l.total
               FROM sale_lines l JOIN products p ON p.id = l.product_id
              WHERE l.sale_id = ?1 ORDER BY l.line_no",
            "SELECT rl.line_no, sum(rl.quantity_milli), sum(rl.amount)
               FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
              WHERE r.sale_id = ?1 GROUP BY rl.line_no",
            id,
        ),
        SaleRef::Elsewhere(id) => (
            "SELECT l.line_no, l.name, l.product_id, p.uid, l.vat_rate, l.quantity_milli, l.total
               FROM foreign_sale_lines l JOIN products p ON p.id = l.product_id
              WHERE l.foreign_sale_id = ?1 ORDER BY l.line_no",
            "SELECT rl.line_no, sum(rl.quantity_milli), sum(rl.amount)
               FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
              WHERE r.foreign_sale_id = ?1 GROUP BY rl.line_no",
            id,
        ),
    };
    let mut stmt = conn.prepare_cached(refunds_sql)?;
    let mut refunded: BTreeMap<i64, (i64, i64)> = stmt
        .query_map([id], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(lines_sql)?;
    let rows = stmt
        .query_map([id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, i64>(6)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let products: Vec<(i64, String)> = rows
        .iter()
        .map(|(line_no, _, _, uid, ..)| (*line_no, uid.clone()))
        .collect();
    for (line_no, (quantity, amount)) in refunded_elsewhere(conn, sale_uid, &products)? {
        let entry = refunded.entry(line_no).or_default();
        entry.0 += quantity;
        entry.1 += amount;
    }
    rows.into_iter()
        .map(|(line_no, name, product_id, _, rate, sold, total)| {
            let (refunded, refunded_amount) = refunded.get(&line_no).copied().unwrap_or_default();
            Ok(RefundableLine {
                line_no,
                name,
                product_id,
                vat: VatRate::from_code(&rate)
                    .ok_or_else(|| StoreError::Corrupt(format!("VAT rate {rate:?}")))?,
                sold: from_milli(sold),
                total: Money(total),
                refunded: from_milli(refunded),
                refunded_amount: Money(refunded_amount),
            })
        })
        .collect()
}

/// A refund priced and checked, before anything is written.
struct Quote<'a> {
    sale: SaleRef,
    lines: Vec<(&'a RefundItem, RefundableLine, Money)>,
    total: Money,
}

/// Prices `request` as the refund would give it back, refusing what the refund refuses: no
/// such sale or line, a quantity not above zero, more than is left, nothing to give back.
fn quote<'a>(conn: &Connection, request: &'a RefundRequest) -> StoreResult<Quote<'a>> {
    let refuse = |e| StoreError::Refund(e);
    if request.items.is_empty() {
        return Err(refuse(RefundError::NothingToRefund));
    }
    let (sale, sale_uid) = find_sale(conn, request.receipt_no.trim())?;
    let mut refundable: BTreeMap<i64, RefundableLine> = refundable(conn, sale, &sale_uid)?
        .into_iter()
        .map(|line| (line.line_no, line))
        .collect();
    let refunded_so_far: Money = refundable.values().map(|line| line.refunded_amount).sum();
    let mut lines = Vec::with_capacity(request.items.len());
    for item in &request.items {
        if item.quantity <= Decimal::ZERO {
            return Err(refuse(RefundError::QuantityNotPositive));
        }
        let line = refundable
            .remove(&(item.line_no as i64))
            .ok_or(refuse(RefundError::NoSuchLine(item.line_no)))?;
        let left = line.sold - line.refunded;
        if item.quantity > left {
            return Err(refuse(RefundError::MoreThanSold {
                line_no: item.line_no,
                left,
            }));
        }
        let amount = refund_amount(
            line.total,
            line.sold,
            line.refunded,
            line.refunded_amount,
            item.quantity,
        );
        lines.push((item, line, amount));
    }
    let total: Money = lines.iter().map(|(_, _, amount)| *amount).sum();
    if total <= Money::ZERO {
        return Err(refuse(RefundError::NothingToRefund));
    }
    refuse_beyond_paid(conn, sale, total, refunded_so_far)?;
    check_session_available(conn).map_err(for_a_refund)?;
    Ok(Quote { sale, lines, total })
}

/// A refund is paid from a cash session as a sale is, and refused as a sale is when none is
/// open, with words about refunding rather than selling.
fn for_a_refund(error: StoreError) -> StoreError {
    match error {
        StoreError::Cash(CashError::NoOpenSession) => {
            StoreError::Refund(RefundError::NoOpenSession)
        }
        other => other,
    }
}

/// A sale still owed on account gives back no more than was paid on it (at the counter, from
/// a deposit, or on account since) less what earlier refunds (`refunded`, at every node known)
/// gave back. A sale sold at another counter is owed what it was sold on account: payments on
/// that account are made and known where it was sold.
fn refuse_beyond_paid(
    conn: &Connection,
    sale: SaleRef,
    total: Money,
    refunded: Money,
) -> StoreResult<()> {
    let (sql, id) = match sale {
        SaleRef::Here(id) => (
            "SELECT s.total, coalesce(cs.on_account - cs.paid_on_account, 0)
               FROM sales s LEFT JOIN customer_sales cs ON cs.sale_id = s.id
              WHERE s.id = ?1",
            id,
        ),
        SaleRef::Elsewhere(id) => (
            "SELECT f.total,
                    (SELECT coalesce(sum(json_extract(p.value, '$.amount')), 0)
                       FROM sync_events e, json_each(e.doc, '$.payments') p
                      WHERE e.key = f.origin_id * (1 << 40) + f.seq -- sync::event_key
                        AND json_extract(p.value, '$.method') = 'account')
               FROM foreign_sales f WHERE f.id = ?1",
            id,
        ),
    };
    let (sold, owed): (i64, i64) = conn
        .prepare_cached(sql)?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let most = Money((sold - owed - refunded.dong()).max(0));
    if owed > 0 && total > most {
        return Err(refused(OrderError::RefundBeyondPaid {
            owed: Money(owed),
            most,
        }));
    }
    Ok(())
}

impl Store {
    /// Gives back part or all of a sale in one transaction: the refund document with its own
    /// number (`TH2026-000001`), its lines and VAT, the stock back on the shelf when asked, the
    /// cash session it is paid from, and the adjustment invoice of the sale's invoice. Never
    /// more than was sold and not yet refunded.
    pub fn commit_refund(
        &mut self,
        request: &RefundRequest,
        at: DateTime<Utc>,
    ) -> StoreResult<RefundRecord> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Quote { sale, lines, total } = quote(&tx, request)?;
        let (sale_id, foreign_sale_id) = match sale {
            SaleRef::Here(id) => (Some(id), None),
            SaleRef::Elsewhere(id) => (None, Some(id)),
        };
        let session_id = session_for_sale(&tx, &request.cashier, at).map_err(for_a_refund)?;
        let year = local_year(at);
        let (_, refund_no) = next_node_number(&tx, REFUND_SERIES, year)?;
        let refunded_at = timestamp(at);
        tx.execute(
            "INSERT INTO refunds (refund_no, sale_id, refunded_at, local_date, cashier, method, total,
                                  restock, reason, session_id, approver, uid, foreign_sale_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                refund_no,
                sale_id,
                refunded_at,
                local_date(at).to_string(),
                request.cashier,
                request.method.code(),
                total.dong(),
                request.restock,
                request.reason.trim(),
                session_id,
                request.approver,
                new_uid(),
                foreign_sale_id
            ],
        )?;
        let refund_id = tx.last_insert_rowid();
        for (item, line, amount) in &lines {
            tx.execute(
                "INSERT INTO refund_lines (refund_id, line_no, quantity_milli, amount)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    refund_id,
                    item.line_no as i64,
                    to_milli(item.quantity),
                    amount.dong()
                ],
            )?;
            if request.restock {
                tx.execute(
                    "INSERT INTO stock_movements (product_id, kind, quantity_milli, refund_id,
                                                  created_at, created_by, origin_id)
                     VALUES (?1, 'refund', ?2, ?3, ?4, ?5, (SELECT origin_id FROM sync_node))",
                    params![
                        line.product_id,
                        to_milli(item.quantity),
                        refund_id,
                        refunded_at,
                        request.cashier
                    ],
                )?;
            }
        }
        let vat = vat_breakdown(lines.iter().map(|(_, line, amount)| (line.vat, *amount)));
        for bucket in &vat {
            tx.execute(
                "INSERT INTO refund_vat (refund_id, rate, gross, pre_vat, vat) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![refund_id, bucket.rate.code(), bucket.gross.dong(), bucket.pre_vat.dong(), bucket.vat.dong()],
            )?;
        }
        seal(&tx, ChainKind::Refund, refund_id)?;
        record_event(&tx, "refund", refund_doc(&tx, refund_id)?, at)?;
        let audited = AuditChange {
            subject: &format!("{refund_no} ({})", request.receipt_no.trim()),
            before: "",
            after: &total.to_string(),
        };
        let by = Actor {
            name: &request.cashier,
            approver: request.approver.as_deref(),
        };
        insert_audit(&tx, by, AuditAct::Refund, &audited, at)?;
        let returned: Vec<ReturnedLine> = lines
            .iter()
            .map(|(item, _, amount)| ReturnedLine {
                line_no: item.line_no,
                quantity: item.quantity,
                amount: *amount,
            })
            .collect();
        let adjustment = adjust_for_refund(
            &tx,
            sale,
            (refund_id, &refund_no),
            &returned,
            &vat,
            request.reason.trim(),
            at,
        )?;
        tx.commit()?;
        Ok(RefundRecord {
            id: refund_id,
            refund_no,
            receipt_no: request.receipt_no.trim().to_string(),
            refunded_at: parse_timestamp(&refunded_at)?,
            cashier: request.cashier.clone(),
            approver: request.approver.clone(),
            method: request.method,
            restock: request.restock,
            reason: request.reason.trim().to_string(),
            lines: lines
                .into_iter()
                .map(|(item, line, amount)| RefundLine {
                    line_no: item.line_no,
                    name: line.name,
                    quantity: item.quantity,
                    amount,
                })
                .collect(),
            total,
            vat,
            adjustment,
        })
    }

    /// What a refund would give back, line by line and in all, checked as the refund itself
    /// is (nothing written): shown before a manager is asked to approve it.
    pub fn price_refund(&self, request: &RefundRequest) -> StoreResult<RefundPrice> {
        let quote = quote(&self.conn, request)?;
        Ok(RefundPrice {
            lines: quote
                .lines
                .iter()
                .map(|(item, _, amount)| (item.line_no, *amount))
                .collect(),
            total: quote.total,
        })
    }

    /// What is left to refund of each line of the sale `receipt_no` (sold here, or at another
    /// counter and synced), in line order: the quantity and the money, sold less what refunds
    /// at every node this one has the events of gave back, never below nothing.
    pub fn refundable_lines(&self, receipt_no: &str) -> StoreResult<Vec<(Decimal, Money)>> {
        let (sale, sale_uid) = find_sale(&self.conn, receipt_no.trim())?;
        Ok(refundable(&self.conn, sale, &sale_uid)?
            .into_iter()
            // Two counters that refunded the same line while cut off from each other may
            // have given back more than was sold (the hub alerts): nothing is left then.
            .map(|line| {
                (
                    (line.sold - line.refunded).max(Decimal::ZERO),
                    (line.total - line.refunded_amount).max(Money::ZERO),
                )
            })
            .collect())
    }
}
