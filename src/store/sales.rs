use super::carts::next_cart_number;
use super::cash::session_for_sale;
use super::catalog::line_stars_in_force;
use super::chain::{first_unacknowledged_break, next_place, value as chain_value};
use super::customers::customer_of_buyer;
use super::einvoices::{issue_sale_invoice, sale_invoice};
use super::inventory::enforce_negative_stock_policy;
use super::numbering::next_node_number;
use super::receivables::link_customer_sale;
use super::sync::{new_uid, record_event, sale_doc};
use super::{
    Store, StoreError, StoreResult, from_milli, parse_rate, parse_timestamp, read_vat_buckets,
    timestamp, to_milli,
};
use crate::core::chain::{ChainKind, encode_value, end_part, link_hash, start_row};
use crate::core::clock::{local_date, local_year};
use crate::core::money::Money;
use crate::core::payment::{PaymentMethod, Tender};
use crate::core::sale::{SaleBasket, SaleDraft, SaleLine, SaleRecord};
use crate::core::vat::VatRate;
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params, params_from_iter};

/// The counter series of receipts.
pub(crate) const RECEIPT_SERIES: &str = "receipt";

/// Takes the next number of a yearly series inside the caller's transaction: the number is
/// used only if that transaction commits, so numbers never have gaps or repeats.
pub(crate) fn next_document_number(tx: &Connection, series: &str, year: i32) -> StoreResult<i64> {
    Ok(tx
        .prepare_cached(
            "INSERT INTO document_counters (series, year, last_number) VALUES (?1, ?2, 1)
             ON CONFLICT (series, year) DO UPDATE SET last_number = last_number + 1
             RETURNING last_number",
        )?
        .query_row(params![series, year], |row| row.get(0))?)
}

/// A sale found by the amount of its transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferMatch {
    pub receipt_no: String,
    pub sold_at: DateTime<Utc>,
    pub cart_no: Option<String>,
    pub cashier: String,
    /// The transfer note the customer was shown.
    pub reference: Option<String>,
    pub amount: Money,
}

impl Store {
    /// Writes a sale whole or not at all: the sale, its lines with the prices and rates they
    /// had, the VAT split, the payments, the stock movements, the next receipt number and the
    /// sale's cash-register invoice with its numbers and XML, and empties the saved open cart,
    /// in one transaction, chained to the sale before it. Returns once that is durable.
    /// Refused while a break of the hash chains is not acknowledged by a manager.
    pub fn commit_sale(&mut self, draft: &SaleDraft, at: DateTime<Utc>) -> StoreResult<SaleRecord> {
        self.write_sale(draft, at, LeftOut::Nothing, None)
    }

    /// The same, for a sale on account beyond the company's credit limit that `approver` (a
    /// manager) allowed: the approval is audited in the sale's transaction.
    pub fn commit_sale_approving_credit(
        &mut self,
        draft: &SaleDraft,
        approver: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<SaleRecord> {
        self.write_sale(draft, at, LeftOut::Nothing, Some(approver))
    }

    /// The same sale written without the hash chain's part (no break check, no place in the
    /// chain), only so `benches/chain.rs` can price that part on the same run; `verify`
    /// reports such a sale as written outside the program.
    #[doc(hidden)]
    pub fn commit_sale_unchained_for_benchmark(
        &mut self,
        draft: &SaleDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<SaleRecord> {
        self.write_sale(draft, at, LeftOut::HashChain, None)
    }

    /// The same sale written without its sync event, only so `benches/outbox.rs` can price
    /// the outbox on the same run: the sale never reaches the other nodes nor the hub, and the
    /// node's stock there misses its movements.
    #[doc(hidden)]
    pub fn commit_sale_without_event_for_benchmark(
        &mut self,
        draft: &SaleDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<SaleRecord> {
        self.write_sale(draft, at, LeftOut::SyncEvent, None)
    }

    /// A committed sale's event written again — its document built and appended to the
    /// outbox — in a transaction that is then rolled back: only so `benches/outbox.rs` can
    /// tell that work from the pages the event adds to the commit's sync.
    #[doc(hidden)]
    pub fn sale_event_rolled_back_for_benchmark(
        &mut self,
        sale: &SaleRecord,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let uid: String =
            tx.query_row("SELECT uid FROM sales WHERE id = ?1", [sale.id], |row| {
                row.get(0)
            })?;
        record_event(&tx, "sale", sale_doc(&tx, &uid, sale)?, at)?;
        tx.rollback()?;
        Ok(())
    }

    fn write_sale(
        &mut self,
        draft: &SaleDraft,
        at: DateTime<Utc>,
        left_out: LeftOut,
        credit_approver: Option<&str>,
    ) -> StoreResult<SaleRecord> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if left_out != LeftOut::HashChain
            && let Some(open) = first_unacknowledged_break(&tx)?
        {
            return Err(StoreError::ChainBroken(Box::new(open.chain_break)));
        }
        let sale = insert_sale(&tx, draft, at, left_out)?;
        // The customer the invoice names (a company, a person on record) is the sale's.
        let customer = customer_of_buyer(&tx, draft.buyer.as_ref(), at)?;
        link_customer_sale(&tx, &sale, customer, None, credit_approver, at)?;
        tx.prepare_cached("DELETE FROM open_cart")?.execute([])?;
        tx.commit()?;
        Ok(sale)
    }

    /// A committed sale, read back exactly as it was written (for reprints, refunds and
    /// reports): one sold here, or else one sold at another counter and known here by sync
    /// (then `counter` names that counter and `id` is 0).
    pub fn sale_by_receipt_no(&self, receipt_no: &str) -> StoreResult<Option<SaleRecord>> {
        let receipt_no = receipt_no.trim();
        match read_sale(&self.conn, receipt_no)? {
            Some(sale) => Ok(Some(sale)),
            None => super::foreign_sales::read_foreign_sale(&self.conn, receipt_no),
        }
    }

    /// Receipt numbers of a year, in order (for audits of the series).
    pub fn receipt_numbers(&self, year: i32) -> StoreResult<Vec<i64>> {
        let mut stmt = self.conn.prepare(
            // Receipt numbers start with the year, so the unique index on them serves the range.
            "SELECT receipt_seq FROM sales WHERE receipt_no >= ?1 || '-' AND receipt_no < ?1 || '.'
              ORDER BY receipt_no",
        )?;
        let seqs = stmt.query_map([year], |row| row.get(0))?;
        Ok(seqs.collect::<Result<_, _>>()?)
    }

    /// The last number handed out in a year's receipt series (0 when none).
    pub fn last_receipt_number(&self, year: i32) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row(
                "SELECT last_number FROM document_counters WHERE series = ?1 AND year = ?2",
                params![RECEIPT_SERIES, year],
                |row| row.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    /// Sales paid (partly) by a transfer of exactly `amount`, newest first: how a manager finds
    /// the sale behind a line of the bank statement.
    pub fn transfers_of_amount(&self, amount: Money) -> StoreResult<Vec<TransferMatch>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.receipt_no, s.sold_at, s.cart_no, s.cashier, p.reference
               FROM payments p JOIN sales s ON s.id = p.sale_id
              WHERE p.method = 'transfer' AND p.amount = ?1
              ORDER BY s.id DESC LIMIT 100",
        )?;
        let rows = stmt.query_map([amount.dong()], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<String>>(4)?,
            ))
        })?;
        rows.map(|row| {
            let (receipt_no, sold_at, cart_no, cashier, reference) = row?;
            Ok(TransferMatch {
                receipt_no,
                sold_at: parse_timestamp(&sold_at)?,
                cart_no,
                cashier,
                reference,
                amount,
            })
        })
        .collect()
    }

    pub fn sale_count(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sales", [], |row| row.get(0))?)
    }
}

/// What a sale's write leaves out: nothing, but for the benchmarks that price one part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeftOut {
    Nothing,
    HashChain,
    SyncEvent,
}

/// Writes a sale's rows in the caller's transaction — the sale, its lines, baskets, VAT rows
/// and payments, its stock movements, its receipt number, its cash-register invoice and its
/// sync event — chained to the sale before it (`left_out` is for the benchmarks only).
pub(crate) fn insert_sale(
    tx: &rusqlite::Transaction<'_>,
    draft: &SaleDraft,
    at: DateTime<Utc>,
    left_out: LeftOut,
) -> StoreResult<SaleRecord> {
    let chained = left_out != LeftOut::HashChain;
    // OCOP stars go on the receipt only while the certificate holds on the day of the sale:
    // settled here, so the record (and every reprint of it) says what was true then.
    let mut certified = draft.clone();
    for line in &mut certified.lines {
        line.stars = line_stars_in_force(tx, line.product_id, line.stars, at)?;
    }
    let draft = &certified;
    let year = local_year(at);
    // `2026-AB-000123`: the year, the node, the sequence; the dashes keep it apart from
    // product barcodes.
    let (seq, receipt_no) = next_node_number(tx, RECEIPT_SERIES, year)?;
    let sold_at = timestamp(at);
    let session_id = session_for_sale(tx, &draft.cashier, at)?;
    // Taken now, as the sale's hash covers it: after every sale, and after any rows left of
    // a sale removed outside the program, which would refuse this one's rows.
    let sale_id: i64 = tx
        .prepare_cached(
            "SELECT max(coalesce((SELECT max(id) FROM sales), 0),
                            coalesce((SELECT max(sale_id) FROM sale_lines), 0),
                            coalesce((SELECT max(sale_id) FROM sale_vat), 0),
                            coalesce((SELECT max(sale_id) FROM payments), 0),
                            coalesce((SELECT max(sale_id) FROM sale_baskets), 0),
                            coalesce((SELECT max(sale_id) FROM einvoices), 0),
                            coalesce((SELECT max(sale_id) FROM sales_without_invoice), 0)) + 1",
        )?
        .query_row([], |row| row.get(0))?;
    let cart_no = match &draft.cart_no {
        Some(number) => number.clone(),
        None => next_cart_number(tx, at)?,
    };
    let money = |amount: Money| Value::Integer(amount.dong());
    let sale = vec![
        Value::Integer(sale_id),
        Value::Text(receipt_no.clone()),
        Value::Integer(year.into()),
        Value::Integer(seq),
        Value::Text(sold_at.clone()),
        Value::Text(local_date(at).to_string()),
        Value::Text(draft.cashier.clone()),
        money(draft.gross),
        money(draft.discounts),
        money(draft.total),
        money(draft.change),
        Value::Integer(session_id),
        Value::Text(cart_no.clone()),
    ];
    let rows = SaleRows::new(draft, sale);
    let uid = new_uid();
    let place = if chained {
        let (position, previous) = next_place(tx, ChainKind::Sale)?;
        let hash = link_hash(&previous, ChainKind::Sale, position, &rows.content());
        (Value::Integer(position), Value::Blob(hash.to_vec()))
    } else {
        (Value::Null, Value::Null)
    };
    tx.prepare_cached(
        "INSERT INTO sales (id, receipt_no, receipt_year, receipt_seq, sold_at, local_date,
                                cashier, gross, discounts, total, change_given, session_id,
                                cart_no, chain_position, chain_hash, uid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params_from_iter(rows.sale.iter().chain([
        &place.0,
        &place.1,
        &Value::Text(uid.clone()),
    ])))?;
    let child = |sql: &str, rows: &[Vec<Value>]| -> StoreResult<()> {
        let mut insert = tx.prepare_cached(sql)?;
        for row in rows {
            insert.execute(params_from_iter(
                std::iter::once(&Value::Integer(sale_id)).chain(row),
            ))?;
        }
        Ok(())
    };
    child(
        "INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, producer, stars, unit,
                                     quantity_milli, unit_price, vat_rate, gross, line_discount,
                                     order_discount, total, basket_no)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        &rows.lines,
    )?;
    for line in &draft.lines {
        tx.prepare_cached(
            "INSERT INTO stock_movements (product_id, kind, quantity_milli, sale_id,
                                              created_at, created_by, origin_id)
                 VALUES (?1, 'sale', ?2, ?3, ?4, ?5, (SELECT origin_id FROM sync_node))",
        )?
        .execute(params![
            line.product_id,
            -to_milli(line.quantity),
            sale_id,
            sold_at,
            draft.cashier
        ])?;
    }
    enforce_negative_stock_policy(tx, draft.lines.iter().map(|line| line.product_id))?;
    child(
        "INSERT INTO sale_baskets (sale_id, basket_no, name, sku, count_milli, unit_price,
                                       components_value, gross, discount, total)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        &rows.baskets,
    )?;
    child(
        "INSERT INTO sale_vat (sale_id, rate, gross, pre_vat, vat) VALUES (?1, ?2, ?3, ?4, ?5)",
        &rows.vat,
    )?;
    child(
        "INSERT INTO payments (sale_id, seq, method, amount, reference)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        &rows.payments,
    )?;
    let invoice = issue_sale_invoice(tx, sale_id, draft, &receipt_no, at)?;
    let record = SaleRecord {
        id: sale_id,
        receipt_no,
        sold_at: parse_timestamp(&sold_at)?,
        // The buyer as the invoice names it (tidied), exactly as a read gives it back.
        draft: SaleDraft {
            cart_no: Some(cart_no),
            buyer: invoice.issued().and_then(|invoice| invoice.buyer.clone()),
            ..draft.clone()
        },
        invoice,
        counter: None,
    };
    if left_out == LeftOut::SyncEvent {
        // The stock rows noted for the event are let go, or the commit hook would refuse them.
        tx.prepare_cached("SELECT ocop_stock_unrecorded()")?
            .query_row([], |_| Ok(()))?;
    } else {
        record_event(tx, "sale", sale_doc(tx, &uid, &record)?, at)?;
    }
    Ok(record)
}

/// A sale's rows, each value as it is inserted and, in the same order, hashed: the columns
/// and order `chain`'s spec reads back (`chain::SALE_PARTS`), so that a check recomputes the
/// hash the sale was written with. Child rows leave out the sale's id, which the hash takes from
/// the sale's own row.
struct SaleRows {
    sale: Vec<Value>,
    lines: Vec<Vec<Value>>,
    baskets: Vec<Vec<Value>>,
    /// In the order of their rate's code, as the table's key keeps them.
    vat: Vec<Vec<Value>>,
    payments: Vec<Vec<Value>>,
}

impl SaleRows {
    /// The rows of `draft`, whose own row is `sale`.
    fn new(draft: &SaleDraft, sale: Vec<Value>) -> SaleRows {
        let text = |text: &str| Value::Text(text.to_string());
        let money = |amount: Money| Value::Integer(amount.dong());
        let lines = draft
            .lines
            .iter()
            .enumerate()
            .map(|(line_no, line)| {
                vec![
                    Value::Integer(line_no as i64),
                    Value::Integer(line.product_id),
                    text(&line.sku),
                    text(&line.name),
                    text(&line.producer),
                    line.stars
                        .map_or(Value::Null, |stars| Value::Integer(stars.into())),
                    text(&line.unit),
                    Value::Integer(to_milli(line.quantity)),
                    money(line.unit_price),
                    text(&line.vat.code()),
                    money(line.gross),
                    money(line.line_discount),
                    money(line.order_discount),
                    money(line.total),
                    line.basket
                        .map_or(Value::Null, |b| Value::Integer(b as i64)),
                ]
            })
            .collect();
        let baskets = draft
            .baskets
            .iter()
            .enumerate()
            .map(|(basket_no, basket)| {
                vec![
                    Value::Integer(basket_no as i64),
                    text(&basket.name),
                    text(&basket.sku),
                    Value::Integer(to_milli(basket.count)),
                    money(basket.unit_price),
                    money(basket.components_value),
                    money(basket.gross),
                    money(basket.discount),
                    money(basket.total),
                ]
            })
            .collect();
        let mut vat: Vec<_> = draft.vat.iter().collect();
        vat.sort_by_key(|bucket| bucket.rate.code());
        let vat = vat
            .into_iter()
            .map(|bucket| {
                vec![
                    text(&bucket.rate.code()),
                    money(bucket.gross),
                    money(bucket.pre_vat),
                    money(bucket.vat),
                ]
            })
            .collect();
        let payments = draft
            .tenders
            .iter()
            .enumerate()
            .map(|(seq, tender)| {
                vec![
                    Value::Integer(seq as i64),
                    text(tender.method.code()),
                    money(tender.amount),
                    tender.reference.as_deref().map_or(Value::Null, text),
                ]
            })
            .collect();
        SaleRows {
            sale,
            lines,
            baskets,
            vat,
            payments,
        }
    }

    /// The canonical content of the sale (see `core::chain`).
    fn content(&self) -> Vec<u8> {
        let mut content = Vec::with_capacity(1024);
        for part in [
            std::slice::from_ref(&self.sale),
            &self.lines,
            &self.baskets,
            &self.vat,
            &self.payments,
        ] {
            for row in part {
                start_row(&mut content);
                for stored in row {
                    encode_value(&mut content, chain_value(stored.into()));
                }
            }
            end_part(&mut content);
        }
        content
    }
}

pub(crate) fn read_sale(conn: &Connection, receipt_no: &str) -> StoreResult<Option<SaleRecord>> {
    let header = conn
        .query_row(
            "SELECT id, sold_at, cashier, gross, discounts, total, change_given, cart_no
               FROM sales WHERE receipt_no = ?1",
            [receipt_no],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, i64>(6)?,
                    row.get::<_, Option<String>>(7)?,
                ))
            },
        )
        .optional()?;
    let Some((id, sold_at, cashier, gross, discounts, total, change, cart_no)) = header else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT product_id, sku, name, producer, stars, unit, quantity_milli, unit_price, vat_rate,
                gross, line_discount, order_discount, total, basket_no
           FROM sale_lines WHERE sale_id = ?1 ORDER BY line_no",
    )?;
    let lines = stmt
        .query_map([id], |row| {
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
                    vat: VatRate::NotSubject,
                    gross: Money(row.get(9)?),
                    line_discount: Money(row.get(10)?),
                    order_discount: Money(row.get(11)?),
                    total: Money(row.get(12)?),
                    basket: row.get::<_, Option<i64>>(13)?.map(|b| b as usize),
                },
                row.get::<_, String>(8)?,
            ))
        })?
        .map(|row| {
            let (mut line, rate) = row?;
            line.vat = parse_rate(&rate)?;
            Ok(line)
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let vat = read_vat_buckets(
        conn,
        "SELECT rate, gross, pre_vat, vat FROM sale_vat WHERE sale_id = ?1",
        [id],
    )?;
    let mut stmt = conn.prepare_cached(
        "SELECT name, sku, count_milli, unit_price, components_value, gross, discount, total
           FROM sale_baskets WHERE sale_id = ?1 ORDER BY basket_no",
    )?;
    let baskets = stmt
        .query_map([id], |row| {
            Ok(SaleBasket {
                name: row.get(0)?,
                sku: row.get(1)?,
                count: from_milli(row.get(2)?),
                unit_price: Money(row.get(3)?),
                components_value: Money(row.get(4)?),
                gross: Money(row.get(5)?),
                discount: Money(row.get(6)?),
                total: Money(row.get(7)?),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT method, amount, reference FROM payments WHERE sale_id = ?1 ORDER BY seq",
    )?;
    let tenders = stmt
        .query_map([id], |row| {
            Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?))
        })?
        .map(|row| {
            let (method, amount, reference) = row?;
            Ok(Tender {
                method: PaymentMethod::from_code(&method)
                    .ok_or_else(|| StoreError::Corrupt(format!("payment method {method:?}")))?,
                amount: Money(amount),
                reference,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let invoice = sale_invoice(conn, id)?;
    let buyer = invoice.issued().and_then(|invoice| invoice.buyer.clone());
    Ok(Some(SaleRecord {
        id,
        receipt_no: receipt_no.to_string(),
        sold_at: parse_timestamp(&sold_at)?,
        invoice,
        draft: SaleDraft {
            cart_no,
            cashier,
            lines,
            baskets,
            gross: Money(gross),
            discounts: Money(discounts),
            total: Money(total),
            vat,
            tenders,
            change: Money(change),
            buyer,
        },
        counter: None,
    }))
}
