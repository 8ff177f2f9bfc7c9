//! Buyers (the address book of company buyers) and the VAT invoices made on A4 before every
//! sale became a cash-register invoice (`C26TAA`), kept readable and reprintable.

use super::{
    Store, StoreError, StoreResult, parse_rate, parse_timestamp, read_vat_buckets, timestamp,
};
use crate::core::clock::local_year;
use crate::core::einvoice::InvoiceBuyerError;
use crate::core::fold::fold;
use crate::core::invoice::{Buyer, Cancellation, Invoice, InvoiceLine};
use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use rust_decimal::Decimal;

/// The counter series of the A4 VAT invoices of earlier versions: no new numbers are taken,
/// but a restore still tells and keeps the ones issued.
pub(crate) const INVOICE_SERIES: &str = "invoice";
/// Setting of earlier versions: the symbol of their A4 invoices, `{yy}` for the year's digits.
pub const INVOICE_SYMBOL_SETTING: &str = "invoice.symbol";
pub(crate) const DEFAULT_SYMBOL: &str = "C{yy}TAA";

/// Why an invoice was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceError {
    Buyer(InvoiceBuyerError),
    NoSuchInvoice(String),
    ReasonRequired,
    /// The shop's invoice registration is not filled in, and the act needs an invoice.
    NotRegistered,
    /// The clock is before the last invoice of the series (issued at `last`): it went back.
    ClockBehind {
        series: String,
        last: DateTime<Utc>,
    },
    /// An invoice is replaced once; `by` replaced it.
    AlreadyReplaced {
        invoice: String,
        by: String,
    },
    /// Corrected by adjustment once, an invoice is corrected by adjustment again.
    AlreadyAdjusted(String),
    /// Counter `counter` adjusted the sale's invoice (a refund there, known here by sync): it
    /// is corrected by adjustment from then on, here too.
    AdjustedAtAnotherCounter {
        invoice: String,
        counter: String,
    },
    /// An adjustment is corrected by a further adjustment, never replaced.
    AdjustmentNotReplaceable(String),
    /// The correction names the buyer exactly as the invoice does.
    NothingToCorrect,
    /// A correction with a business buyer needs the written agreement's reference.
    AgreementRequired,
    /// The data folder's last MCCQT counter this year, `last`, lies beyond node `node`'s block
    /// (`first`..=`end`): its node code was changed to an earlier node's, or the block is used
    /// up. A counter from the block could repeat one that node gave.
    OutsideAuthorityBlock {
        node: String,
        last: i64,
        first: i64,
        end: i64,
    },
}

pub(super) fn refused(error: InvoiceError) -> StoreError {
    StoreError::Invoice(error)
}

fn buyer_from_row(row: &Row<'_>) -> rusqlite::Result<Buyer> {
    Ok(Buyer {
        id: row.get(0)?,
        name: row.get(1)?,
        tax_code: row.get(2)?,
        address: row.get(3)?,
        email: row.get(4)?,
        contact: row.get(5)?,
    })
}

const BUYER_COLUMNS: &str = "SELECT id, name, tax_code, address, email, contact FROM buyers";

fn buyer_by_tax_code(conn: &Connection, tax_code: &str) -> StoreResult<Option<Buyer>> {
    Ok(conn
        .prepare_cached(&format!("{BUYER_COLUMNS} WHERE tax_code = ?1"))?
        .query_row([tax_code.trim()], buyer_from_row)
        .optional()?)
}

fn read_invoice(conn: &Connection, invoice_id: i64) -> StoreResult<Invoice> {
    let (
        template_symbol,
        symbol,
        number,
        issued_at,
        receipt_no,
        buyer_json,
        methods,
        issued_by,
        replaces,
    ) = conn
        .prepare_cached(
            "SELECT i.template_symbol, i.symbol, i.number, i.issued_at, s.receipt_no, i.buyer_json,
                    i.payment_methods, i.issued_by,
                    (SELECT r.symbol || '-' || printf('%08d', r.number) FROM invoices r
                      WHERE r.id = i.replaces_id)
               FROM invoices i JOIN sales s ON s.id = i.sale_id WHERE i.id = ?1",
        )?
        .query_row([invoice_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, String>(7)?,
                row.get::<_, Option<String>>(8)?,
            ))
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT name, unit, quantity, unit_price, amount, vat_rate FROM invoice_lines
          WHERE invoice_id = ?1 ORDER BY line_no",
    )?;
    let lines = stmt
        .query_map([invoice_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?
        .map(|row| {
            let (name, unit, quantity, unit_price, amount, rate) = row?;
            let decimal = |text: &str| {
                text.parse::<Decimal>()
                    .map_err(|e| StoreError::Corrupt(format!("invoice number {text:?}: {e}")))
            };
            Ok(InvoiceLine {
                name,
                unit,
                quantity: decimal(&quantity)?,
                unit_price: decimal(&unit_price)?,
                amount: Money(amount),
                vat: parse_rate(&rate)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let vat = read_vat_buckets(
        conn,
        "SELECT rate, gross, pre_vat, vat FROM invoice_vat WHERE invoice_id = ?1",
        [invoice_id],
    )?;
    let cancellation = conn
        .prepare_cached(
            "SELECT cancelled_at, reason, cancelled_by FROM invoice_cancellations
              WHERE invoice_id = ?1",
        )?
        .query_row([invoice_id], |row| {
            Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?
        .map(|(at, reason, by)| {
            Ok::<_, StoreError>(Cancellation {
                at: parse_timestamp(&at)?,
                reason,
                by,
            })
        })
        .transpose()?;
    Ok(Invoice {
        id: invoice_id,
        template_symbol,
        symbol,
        number,
        issued_at: parse_timestamp(&issued_at)?,
        receipt_no,
        buyer: serde_json::from_str(&buyer_json)?,
        lines,
        vat,
        payment_methods: methods
            .split(',')
            .filter_map(PaymentMethod::from_code)
            .collect(),
        issued_by,
        replaces,
        cancellation,
    })
}

/// Finds an invoice by `C26TAA-00000012`, `C26TAA-12` or just `12` (this year's).
fn invoice_id_by_reference(
    conn: &Connection,
    reference: &str,
    at: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    let reference = reference.trim();
    let (symbol, number) = match reference.rsplit_once('-') {
        Some((symbol, number)) => (Some(symbol), number),
        None => (None, reference),
    };
    let Ok(number) = number.parse::<i64>() else {
        return Ok(None);
    };
    let found = match symbol {
        Some(symbol) => conn
            .prepare_cached("SELECT id FROM invoices WHERE symbol = ?1 AND number = ?2")?
            .query_row(params![symbol, number], |row| row.get(0))
            .optional()?,
        None => conn
            .prepare_cached("SELECT id FROM invoices WHERE year = ?1 AND number = ?2")?
            .query_row(params![local_year(at), number], |row| row.get(0))
            .optional()?,
    };
    Ok(found)
}

impl Store {
    /// Adds a buyer or updates the one with the same tax code (the record is the address book;
    /// every invoice keeps the buyer as it was printed).
    pub fn save_buyer(&mut self, buyer: &Buyer, at: DateTime<Utc>) -> StoreResult<Buyer> {
        buyer
            .validate()
            .map_err(|e| refused(InvoiceError::Buyer(e)))?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO buyers (name, tax_code, address, email, contact, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (tax_code) DO UPDATE SET name = excluded.name, address = excluded.address,
                 email = excluded.email, contact = excluded.contact",
            params![
                buyer.name.trim(),
                buyer.tax_code.trim(),
                buyer.address.trim(),
                buyer.email.trim(),
                buyer.contact.trim(),
                timestamp(at)
            ],
        )?;
        // Buyers are keyed by tax code everywhere: the first record wins, later fields by time.
        let doc: serde_json::Value = tx.query_row(
            "SELECT uid, tax_code, name, address, email, contact FROM buyers WHERE tax_code = ?1",
            [buyer.tax_code.trim()],
            |row| {
                Ok(serde_json::json!({
                    "uid": row.get::<_, String>(0)?, "tax_code": row.get::<_, String>(1)?,
                    "name": row.get::<_, String>(2)?, "address": row.get::<_, String>(3)?,
                    "email": row.get::<_, String>(4)?, "contact": row.get::<_, String>(5)?,
                }))
            },
        )?;
        super::sync::record_event(&tx, "buyer", doc, at)?;
        tx.commit()?;
        buyer_by_tax_code(&self.conn, &buyer.tax_code)?.ok_or(StoreError::NotFound)
    }

    pub fn buyer(&self, tax_code: &str) -> StoreResult<Option<Buyer>> {
        buyer_by_tax_code(&self.conn, tax_code)
    }

    /// Buyers whose name or tax code contains the query (accents and case ignored).
    pub fn search_buyers(&self, query: &str) -> StoreResult<Vec<Buyer>> {
        let query = fold(query);
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{BUYER_COLUMNS} ORDER BY name"))?;
        let buyers = stmt
            .query_map([], buyer_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(buyers
            .into_iter()
            .filter(|b| fold(&format!("{} {}", b.name, b.tax_code)).contains(query.trim()))
            .collect())
    }

    /// An invoice by `C26TAA-00000012`, `C26TAA-12` or this year's number.
    pub fn invoice(&self, reference: &str, at: DateTime<Utc>) -> StoreResult<Option<Invoice>> {
        invoice_id_by_reference(&self.conn, reference, at)?
            .map(|id| read_invoice(&self.conn, id))
            .transpose()
    }
}
