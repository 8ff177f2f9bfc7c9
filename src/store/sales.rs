use super::cash::session_for_sale;
use super::einvoices::{issue_sale_invoice, sale_invoice};
use super::inventory::enforce_negative_stock_policy;
use super::{
    Store, StoreError, StoreResult, from_milli, parse_rate, parse_timestamp, read_vat_buckets,
    timestamp, to_milli,
};
use crate::core::clock::{local_date, local_year};
use crate::core::money::Money;
use crate::core::payment::{PaymentMethod, Tender};
use crate::core::sale::{SaleBasket, SaleDraft, SaleLine, SaleRecord};
use crate::core::vat::VatRate;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

/// The counter series of receipts.
const RECEIPT_SERIES: &str = "receipt";

/// Takes the next number of a yearly series inside the caller's transaction: the number is
/// used only if that transaction commits, so numbers never have gaps or repeats.
pub(crate) fn next_document_number(
    tx: &Transaction<'_>,
    series: &str,
    year: i32,
) -> StoreResult<i64> {
    Ok(tx
        .prepare_cached(
            "INSERT INTO document_counters (series, year, last_number) VALUES (?1, ?2, 1)
             ON CONFLICT (series, year) DO UPDATE SET last_number = last_number + 1
             RETURNING last_number",
        )?
        .query_row(params![series, year], |row| row.get(0))?)
}

/// `2026-000123`: year and sequence; the dash keeps it apart from product barcodes.
pub fn format_receipt_no(year: i32, seq: i64) -> String {
    format!("{year}-{seq:06}")
}

impl Store {
    /// Writes a sale whole or not at all: the sale, its lines with the prices and rates they
    /// had, the VAT split, the payments, the stock movements, the next receipt number and the
    /// sale's cash-register invoice with its numbers and XML, and empties the saved open cart,
    /// in one transaction. Returns once that is durable.
    pub fn commit_sale(&mut self, draft: &SaleDraft, at: DateTime<Utc>) -> StoreResult<SaleRecord> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let year = local_year(at);
        let seq = next_document_number(&tx, RECEIPT_SERIES, year)?;
        let receipt_no = format_receipt_no(year, seq);
        let sold_at = timestamp(at);
        let session_id = session_for_sale(&tx, &draft.cashier, at)?;
        tx.prepare_cached(
            "INSERT INTO sales (receipt_no, receipt_year, receipt_seq, sold_at, local_date, cashier,
                                gross, discounts, total, change_given, session_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            receipt_no,
            year,
            seq,
            sold_at,
            local_date(at).to_string(),
            draft.cashier,
            draft.gross.dong(),
            draft.discounts.dong(),
            draft.total.dong(),
            draft.change.dong(),
            session_id
        ])?;
        let sale_id = tx.last_insert_rowid();
        for (line_no, line) in draft.lines.iter().enumerate() {
            insert_sale_line(&tx, sale_id, line_no, line, &sold_at, &draft.cashier)?;
        }
        enforce_negative_stock_policy(&tx, draft.lines.iter().map(|line| line.product_id))?;
        for (basket_no, basket) in draft.baskets.iter().enumerate() {
            tx.prepare_cached(
                "INSERT INTO sale_baskets (sale_id, basket_no, name, sku, count_milli, unit_price,
                                           components_value, gross, discount, total)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                sale_id,
                basket_no as i64,
                basket.name,
                basket.sku,
                to_milli(basket.count),
                basket.unit_price.dong(),
                basket.components_value.dong(),
                basket.gross.dong(),
                basket.discount.dong(),
                basket.total.dong()
            ])?;
        }
        for bucket in &draft.vat {
            tx.prepare_cached(
                "INSERT INTO sale_vat (sale_id, rate, gross, pre_vat, vat)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                sale_id,
                bucket.rate.code(),
                bucket.gross.dong(),
                bucket.pre_vat.dong(),
                bucket.vat.dong()
            ])?;
        }
        for (seq, tender) in draft.tenders.iter().enumerate() {
            tx.prepare_cached(
                "INSERT INTO payments (sale_id, seq, method, amount, reference)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                sale_id,
                seq as i64,
                tender.method.code(),
                tender.amount.dong(),
                tender.reference
            ])?;
        }
        let invoice = issue_sale_invoice(&tx, sale_id, draft, &receipt_no, at)?;
        tx.prepare_cached("DELETE FROM open_cart")?.execute([])?;
        tx.commit()?;
        Ok(SaleRecord {
            id: sale_id,
            receipt_no,
            sold_at: parse_timestamp(&sold_at)?,
            // The buyer as the invoice names it (tidied), exactly as a read gives it back.
            draft: SaleDraft {
                buyer: invoice.issued().and_then(|invoice| invoice.buyer.clone()),
                ..draft.clone()
            },
            invoice,
        })
    }

    /// A committed sale, read back exactly as it was written (for reprints and reports).
    pub fn sale_by_receipt_no(&self, receipt_no: &str) -> StoreResult<Option<SaleRecord>> {
        read_sale(&self.conn, receipt_no.trim())
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

    pub fn sale_count(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sales", [], |row| row.get(0))?)
    }
}

fn insert_sale_line(
    tx: &Transaction<'_>,
    sale_id: i64,
    line_no: usize,
    line: &SaleLine,
    at: &str,
    cashier: &str,
) -> StoreResult<()> {
    let quantity = to_milli(line.quantity);
    tx.prepare_cached(
        "INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, producer, stars, unit,
                                 quantity_milli, unit_price, vat_rate, gross, line_discount,
                                 order_discount, total, basket_no)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        sale_id,
        line_no as i64,
        line.product_id,
        line.sku,
        line.name,
        line.producer,
        line.stars,
        line.unit,
        quantity,
        line.unit_price.dong(),
        line.vat.code(),
        line.gross.dong(),
        line.line_discount.dong(),
        line.order_discount.dong(),
        line.total.dong(),
        line.basket.map(|b| b as i64)
    ])?;
    tx.prepare_cached(
        "INSERT INTO stock_movements (product_id, kind, quantity_milli, sale_id, created_at,
                                      created_by)
         VALUES (?1, 'sale', ?2, ?3, ?4, ?5)",
    )?
    .execute(params![line.product_id, -quantity, sale_id, at, cashier])?;
    Ok(())
}

pub(crate) fn read_sale(conn: &Connection, receipt_no: &str) -> StoreResult<Option<SaleRecord>> {
    let header = conn
        .query_row(
            "SELECT id, sold_at, cashier, gross, discounts, total, change_given
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
                ))
            },
        )
        .optional()?;
    let Some((id, sold_at, cashier, gross, discounts, total, change)) = header else {
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
    }))
}
