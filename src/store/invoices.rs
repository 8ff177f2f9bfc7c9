//! Buyers and gift-pack invoices: numbered per year without gaps, never edited once issued.

use super::sales::{next_document_number, read_sale};
use super::{
    Store, StoreError, StoreResult, parse_rate, parse_timestamp, read_vat_buckets, timestamp,
};
use crate::core::clock::local_year;
use crate::core::fold::fold;
use crate::core::invoice::{Buyer, Cancellation, Invoice, InvoiceLine, invoice_lines};
use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use rust_decimal::Decimal;

pub(crate) const INVOICE_SERIES: &str = "invoice";
/// Settings: the template symbol (mẫu số, 1 = VAT invoice) and the invoice symbol, in which
/// `{yy}` becomes the two digits of the year of issue.
pub const INVOICE_TEMPLATE_SETTING: &str = "invoice.template";
pub const INVOICE_SYMBOL_SETTING: &str = "invoice.symbol";
const DEFAULT_TEMPLATE: &str = "1";
pub(crate) const DEFAULT_SYMBOL: &str = "C{yy}TAA";

/// Why an invoice was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceError {
    Buyer(crate::core::invoice::BuyerError),
    NoSuchBuyer(String),
    NoSuchSale(String),
    NoSuchInvoice(String),
    /// The sale already has an invoice in force: cancel it first, then issue a replacement.
    AlreadyInvoiced(String),
    AlreadyCancelled(String),
    ReasonRequired,
}

fn refused(error: InvoiceError) -> StoreError {
    StoreError::Invoice(error)
}

fn setting(conn: &Connection, key: &str, default: &str) -> StoreResult<String> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |row| row.get::<_, String>(0))
        .optional()?
        .unwrap_or_else(|| default.to_string()))
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

/// The invoice in force for a sale (issued and not cancelled), if any.
fn invoice_in_force(conn: &Connection, sale_id: i64) -> StoreResult<Option<(i64, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT i.year, i.number FROM invoices i
              WHERE i.sale_id = ?1
                AND NOT EXISTS (SELECT 1 FROM invoice_cancellations c WHERE c.invoice_id = i.id)",
        )?
        .query_row([sale_id], |row| Ok((row.get(0)?, row.get(1)?)))
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
        self.conn.execute(
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

    /// Issues the invoice of a sale to a buyer, in one transaction, with the next number of the
    /// year's series. `replaces` names a cancelled invoice of the same sale this one replaces.
    pub fn issue_invoice(
        &mut self,
        receipt_no: &str,
        buyer_tax_code: &str,
        issued_by: &str,
        replaces: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<Invoice> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sale = read_sale(&tx, receipt_no.trim())?
            .ok_or_else(|| refused(InvoiceError::NoSuchSale(receipt_no.trim().to_string())))?;
        let buyer = buyer_by_tax_code(&tx, buyer_tax_code)?
            .ok_or_else(|| refused(InvoiceError::NoSuchBuyer(buyer_tax_code.trim().to_string())))?;
        if let Some((year, number)) = invoice_in_force(&tx, sale.id)? {
            return Err(refused(InvoiceError::AlreadyInvoiced(format!(
                "{number} ({year})"
            ))));
        }
        let replaces_id = match replaces {
            Some(reference) => Some(
                invoice_id_by_reference(&tx, reference, at)?
                    .ok_or_else(|| refused(InvoiceError::NoSuchInvoice(reference.to_string())))?,
            ),
            None => None,
        };
        let year = local_year(at);
        let number = next_document_number(&tx, INVOICE_SERIES, year)?;
        let symbol = setting(&tx, INVOICE_SYMBOL_SETTING, DEFAULT_SYMBOL)?
            .replace("{yy}", &format!("{:02}", year % 100));
        let template = setting(&tx, INVOICE_TEMPLATE_SETTING, DEFAULT_TEMPLATE)?;
        let mut methods: Vec<PaymentMethod> = Vec::new();
        for tender in &sale.draft.tenders {
            if !methods.contains(&tender.method) {
                methods.push(tender.method);
            }
        }
        tx.execute(
            "INSERT INTO invoices (template_symbol, symbol, number, year, issued_at, sale_id,
                                   buyer_id, buyer_json, payment_methods, issued_by, replaces_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                template,
                symbol,
                number,
                year,
                timestamp(at),
                sale.id,
                buyer.id,
                serde_json::to_string(&buyer)?,
                methods
                    .iter()
                    .map(|m| m.code())
                    .collect::<Vec<_>>()
                    .join(","),
                issued_by,
                replaces_id
            ],
        )?;
        let invoice_id = tx.last_insert_rowid();
        for (line_no, line) in invoice_lines(&sale.draft).iter().enumerate() {
            tx.prepare_cached(
                "INSERT INTO invoice_lines (invoice_id, line_no, name, unit, quantity, unit_price,
                                            amount, vat_rate)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                invoice_id,
                line_no as i64,
                line.name,
                line.unit,
                line.quantity.to_string(),
                line.unit_price.to_string(),
                line.amount.dong(),
                line.vat.code()
            ])?;
        }
        for bucket in &sale.draft.vat {
            tx.execute(
                "INSERT INTO invoice_vat (invoice_id, rate, gross, pre_vat, vat)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    invoice_id,
                    bucket.rate.code(),
                    bucket.gross.dong(),
                    bucket.pre_vat.dong(),
                    bucket.vat.dong()
                ],
            )?;
        }
        super::chain::seal(&tx, crate::core::chain::ChainKind::Invoice, invoice_id)?;
        let invoice = read_invoice(&tx, invoice_id)?;
        tx.commit()?;
        Ok(invoice)
    }

    /// Records that an invoice no longer counts, with the reason. The invoice itself is kept.
    pub fn cancel_invoice(
        &mut self,
        reference: &str,
        reason: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Invoice> {
        if reason.trim().is_empty() {
            return Err(refused(InvoiceError::ReasonRequired));
        }
        let tx = self.conn.transaction()?;
        let id = invoice_id_by_reference(&tx, reference, at)?
            .ok_or_else(|| refused(InvoiceError::NoSuchInvoice(reference.to_string())))?;
        let inserted = tx.execute(
            "INSERT INTO invoice_cancellations (invoice_id, cancelled_at, reason, cancelled_by)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (invoice_id) DO NOTHING",
            params![id, timestamp(at), reason.trim(), by],
        )?;
        if inserted == 0 {
            return Err(refused(InvoiceError::AlreadyCancelled(
                reference.to_string(),
            )));
        }
        let invoice = read_invoice(&tx, id)?;
        tx.commit()?;
        Ok(invoice)
    }

    /// An invoice by `C26TAA-00000012`, `C26TAA-12` or this year's number.
    pub fn invoice(&self, reference: &str, at: DateTime<Utc>) -> StoreResult<Option<Invoice>> {
        invoice_id_by_reference(&self.conn, reference, at)?
            .map(|id| read_invoice(&self.conn, id))
            .transpose()
    }

    /// A year's invoice numbers in order (for checking the series).
    pub fn invoice_numbers(&self, year: i32) -> StoreResult<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT number FROM invoices WHERE year = ?1 ORDER BY number")?;
        let numbers = stmt.query_map([year], |row| row.get(0))?;
        Ok(numbers.collect::<Result<_, _>>()?)
    }
}
