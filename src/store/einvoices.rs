//! Cash-register e-invoices: issued in the transaction of the sale (or refund) they belong to,
//! numbered from `document_counters`, stored with their XML, never changed. Corrections are new
//! records: a replacement, an adjustment, or a 04/SS-HĐĐT notice.

use super::invoices::{InvoiceError, refused};
use super::refunds::SaleRef;
use super::sales::{next_document_number, read_sale};
use super::settings::{read_invoice_settings, shop_phone};
use super::{Store, StoreError, StoreResult, parse_timestamp, timestamp};
use crate::core::chain::ChainKind;
use crate::core::clock::local_year;
use crate::core::einvoice::{
    Correction, EInvoice, InvoiceBuyer, InvoiceNumbers, InvoiceSettings, Issue, LineSource,
    Registration, RegistrationStatus, authority_block, authority_code, invoice_xml,
    next_authority_counter,
};
use crate::core::money::Money;
use crate::core::sale::{SaleDraft, SaleInvoice, SaleRecord};
use crate::core::vat::{VatBucket, VatRate};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

/// What an invoice is to the sale it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Original,
    Replacement,
    Adjustment,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Original => "original",
            Kind::Replacement => "replacement",
            Kind::Adjustment => "adjustment",
        }
    }
}

/// The counter series of an invoice series' numbers: `einvoice:1C26MAA`.
pub(crate) const NUMBER_SERIES_PREFIX: &str = "einvoice:";
/// The counter series of a taxpayer's MCCQT codes: `mccqt:1702345670`. Its row in a data folder
/// holds the last counter that folder issued, which lies in its node's block.
pub(crate) const AUTHORITY_SERIES_PREFIX: &str = "mccqt:";

pub(crate) fn number_series(template: u8, series: &str) -> String {
    format!("{NUMBER_SERIES_PREFIX}{template}{series}")
}

pub(crate) fn authority_series(tax_code: &str) -> String {
    format!("{AUTHORITY_SERIES_PREFIX}{tax_code}")
}

/// Takes the next invoice number (and MCCQT) of the settings' series at `at`, refusing a time
/// before the last invoice of that series: a clock that went back must not date an invoice
/// out of order.
fn next_numbers(
    tx: &Transaction<'_>,
    settings: &InvoiceSettings,
    at: DateTime<Utc>,
) -> StoreResult<InvoiceNumbers> {
    let year = local_year(at);
    let template = settings.template();
    let series = settings.series(year);
    let last: Option<String> = tx
        .prepare_cached(
            "SELECT issued_at FROM einvoices WHERE template = ?1 AND series = ?2
              ORDER BY number DESC LIMIT 1",
        )?
        .query_row(params![template, series], |row| row.get(0))
        .optional()?;
    if let Some(last) = last
        && timestamp(at) < last
    {
        return Err(refused(InvoiceError::ClockBehind {
            series: format!("{template}{series}"),
            last: parse_timestamp(&last)?,
        }));
    }
    let number = next_document_number(tx, &number_series(template, &series), year)?;
    let authority_code = match settings.registration {
        Registration::WithCode => {
            let counter = take_authority_counter(tx, &settings.seller_tax_code, year)?;
            Some(authority_code(
                template,
                year,
                &settings.authority_code,
                counter,
            ))
        }
        Registration::WithoutCode => None,
    };
    Ok(InvoiceNumbers {
        template,
        series,
        number,
        authority_code,
    })
}

/// Takes this node's next MCCQT counter of the taxpayer's year, in the caller's transaction:
/// after the last this folder issued, within the node's own block (`core::einvoice::
/// authority_block`), so counters selling offline never give two invoices one code. Refused
/// rather than leave the block.
fn take_authority_counter(tx: &Transaction<'_>, tax_code: &str, year: i32) -> StoreResult<i64> {
    let series = authority_series(tax_code);
    let last: i64 = tx
        .prepare_cached(
            "SELECT last_number FROM document_counters WHERE series = ?1 AND year = ?2",
        )?
        .query_row(params![series, year], |row| row.get(0))
        .optional()?
        .unwrap_or(0);
    let node = super::numbering::node_code(tx)?;
    let block =
        authority_block(&node).ok_or_else(|| StoreError::Corrupt(format!("node code {node:?}")))?;
    let counter = next_authority_counter(&block, last).ok_or_else(|| {
        refused(InvoiceError::OutsideAuthorityBlock {
            node: node.clone(),
            last,
            first: *block.start(),
            end: *block.end(),
        })
    })?;
    tx.prepare_cached(
        "INSERT INTO document_counters (series, year, last_number) VALUES (?1, ?2, ?3)
         ON CONFLICT (series, year) DO UPDATE SET last_number = excluded.last_number",
    )?
    .execute(params![series, year, counter])?;
    Ok(counter)
}

/// The settings invoices are issued under; refused when they are not filled in. A store whose
/// nodes each invoice in a series of their own (`node set --invoice-series node`) takes the
/// series' two letters from the node's code: `C26MAB` on node `AB`.
fn registered_settings(conn: &Connection) -> StoreResult<Option<InvoiceSettings>> {
    let mut settings = read_invoice_settings(conn)?;
    if super::node::invoice_series_per_node(conn)? {
        settings.series_letters = super::numbering::node_code(conn)?;
    }
    Ok(match settings.status() {
        RegistrationStatus::Incomplete(_) => None,
        RegistrationStatus::Registered | RegistrationStatus::Demo => Some(settings),
    })
}

fn insert_einvoice(
    tx: &Transaction<'_>,
    sale: SaleRef,
    refund_id: Option<i64>,
    kind: Kind,
    related_id: Option<i64>,
    invoice: &EInvoice,
) -> StoreResult<i64> {
    tx.prepare_cached(
        "INSERT INTO einvoices (sale_id, refund_id, kind, related_id, template, series, number,
                                authority_code, issued_at, demo, record_json, xml)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        sale.here(),
        refund_id,
        kind.code(),
        related_id,
        invoice.numbers.template,
        invoice.numbers.series,
        invoice.numbers.number,
        invoice.numbers.authority_code,
        timestamp(invoice.issued_at),
        invoice.demo,
        serde_json::to_string(invoice)?,
        invoice_xml(invoice)
    ])?;
    let id = tx.last_insert_rowid();
    super::chain::seal(tx, ChainKind::EInvoice, id)?;
    let sale_uid = match sale {
        SaleRef::Here(id) => super::sync::uid_of(tx, "sales", id)?,
        SaleRef::Elsewhere(id) => super::sync::uid_of(tx, "foreign_sales", id)?,
    };
    let mut doc = serde_json::json!({
        "uid": super::sync::new_uid(),
        "number": format!("{}{}-{:08}", invoice.numbers.template, invoice.numbers.series,
                          invoice.numbers.number),
        "kind": kind.code(),
        "sale": sale_uid,
        "authority_code": invoice.numbers.authority_code,
    });
    // A replacement travels whole: a counter that refunds the sale adjusts the invoice in
    // force, and the sale's own event carries only the original.
    if kind == Kind::Replacement {
        doc["record"] = serde_json::to_value(invoice)?;
    }
    super::sync::record_event(tx, "invoice", doc, invoice.issued_at)?;
    super::outbox::queue_einvoice(tx, id, invoice)?;
    Ok(id)
}

/// Issues the invoice of a sale being committed, in the sale's transaction: to the buyer it
/// names, under the next numbers of the series. A shop whose registration is not filled in
/// sells without one, and the sale is listed as such.
pub(crate) fn issue_sale_invoice(
    tx: &Transaction<'_>,
    sale_id: i64,
    draft: &SaleDraft,
    receipt_no: &str,
    at: DateTime<Utc>,
) -> StoreResult<SaleInvoice> {
    let Some(settings) = registered_settings(tx)? else {
        tx.prepare_cached("INSERT INTO sales_without_invoice (sale_id) VALUES (?1)")?
            .execute([sale_id])?;
        return Ok(SaleInvoice::NotRegistered);
    };
    let buyer = draft
        .buyer
        .as_ref()
        .map(InvoiceBuyer::checked)
        .transpose()
        .map_err(|e| refused(InvoiceError::Buyer(e)))?;
    let numbers = next_numbers(tx, &settings, at)?;
    let phone = shop_phone(tx)?;
    let mut invoice = EInvoice::of_sale(
        draft,
        receipt_no,
        Issue {
            numbers,
            at,
            settings: &settings,
            phone: &phone,
        },
    );
    invoice.buyer = buyer;
    insert_einvoice(
        tx,
        SaleRef::Here(sale_id),
        None,
        Kind::Original,
        None,
        &invoice,
    )?;
    Ok(SaleInvoice::Issued(Box::new(invoice)))
}

/// The invoice a sale was committed with, as `read_sale` reports it.
pub(crate) fn sale_invoice(conn: &Connection, sale_id: i64) -> StoreResult<SaleInvoice> {
    let original: Option<String> = conn
        .prepare_cached(
            "SELECT record_json FROM einvoices WHERE sale_id = ?1 AND kind = 'original'",
        )?
        .query_row([sale_id], |row| row.get(0))
        .optional()?;
    if let Some(json) = original {
        return Ok(SaleInvoice::Issued(Box::new(serde_json::from_str(&json)?)));
    }
    let unregistered = conn
        .prepare_cached("SELECT 1 FROM sales_without_invoice WHERE sale_id = ?1")?
        .exists([sale_id])?;
    Ok(if unregistered {
        SaleInvoice::NotRegistered
    } else {
        SaleInvoice::Before
    })
}

/// A stored invoice and what the store knows about it beyond its record.
struct StoredInvoice {
    id: i64,
    /// None for the adjustment of a sale sold at another counter.
    sale_id: Option<i64>,
    kind: Kind,
    invoice: EInvoice,
}

fn stored_invoice(conn: &Connection, id: i64) -> StoreResult<StoredInvoice> {
    let (sale_id, kind, json) = conn
        .prepare_cached("SELECT sale_id, kind, record_json FROM einvoices WHERE id = ?1")?
        .query_row([id], |row| {
            Ok((
                row.get::<_, Option<i64>>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
    let kind = match kind.as_str() {
        "original" => Kind::Original,
        "replacement" => Kind::Replacement,
        "adjustment" => Kind::Adjustment,
        other => return Err(StoreError::Corrupt(format!("invoice kind {other:?}"))),
    };
    Ok(StoredInvoice {
        id,
        sale_id,
        kind,
        invoice: serde_json::from_str(&json)?,
    })
}

/// Finds an invoice by `1C26MAA-00000012`, `C26MAA-12`, or its MCCQT.
fn einvoice_id(conn: &Connection, reference: &str) -> StoreResult<Option<i64>> {
    let reference = reference.trim();
    if let Some(id) = conn
        .prepare_cached("SELECT id FROM einvoices WHERE authority_code = ?1")?
        .query_row([reference], |row| row.get(0))
        .optional()?
    {
        return Ok(Some(id));
    }
    let Some((symbol, number)) = reference.rsplit_once('-') else {
        return Ok(None);
    };
    let Ok(number) = number.parse::<i64>() else {
        return Ok(None);
    };
    // `1C26MAA`: the template digit first; `C26MAA` alone leaves it open.
    let (template, series) = match symbol.len() {
        7 => (symbol[..1].parse::<u8>().ok(), &symbol[1..]),
        _ => (None, symbol),
    };
    Ok(conn
        .prepare_cached(
            "SELECT id FROM einvoices WHERE series = ?1 AND number = ?2
                AND (?3 IS NULL OR template = ?3)
              ORDER BY id LIMIT 1",
        )?
        .query_row(params![series, number, template], |row| row.get(0))
        .optional()?)
}

/// The invoice of a sale that corrections act on: its original, or the last replacement of it.
fn invoice_in_force(conn: &Connection, sale_id: i64) -> StoreResult<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM einvoices i
              WHERE sale_id = ?1 AND kind IN ('original', 'replacement')
                AND NOT EXISTS (SELECT 1 FROM einvoices r
                                 WHERE r.related_id = i.id AND r.kind = 'replacement')",
        )?
        .query_row([sale_id], |row| row.get(0))
        .optional()?)
}

/// The invoice that corrected `id` in `kind`'s way, if any.
fn correction_of(conn: &Connection, id: i64, kind: Kind) -> StoreResult<Option<String>> {
    let found: Option<String> = conn
        .prepare_cached(
            "SELECT record_json FROM einvoices WHERE related_id = ?1 AND kind = ?2
              ORDER BY id LIMIT 1",
        )?
        .query_row(params![id, kind.code()], |row| row.get(0))
        .optional()?;
    found
        .map(|json| Ok(serde_json::from_str::<EInvoice>(&json)?.reference()))
        .transpose()
}

/// One sale line given back by a refund.
pub(crate) struct ReturnedLine {
    pub line_no: usize,
    pub quantity: rust_decimal::Decimal,
    pub amount: Money,
}

/// A sale line as its invoice names it, and how much of it was sold.
struct SoldLine {
    sku: String,
    name: String,
    unit: String,
    sold: rust_decimal::Decimal,
    /// Before discounts, VAT included.
    gross: Money,
    vat: VatRate,
}

impl SoldLine {
    /// The invoice line of `returned`, part of this line.
    fn returned(self, returned: &ReturnedLine) -> LineSource {
        let list_value =
            Money::from_decimal(self.gross.to_decimal() * returned.quantity / self.sold)
                .unwrap_or_default();
        LineSource {
            sku: self.sku,
            name: self.name,
            unit: self.unit,
            quantity: returned.quantity,
            paid: returned.amount,
            list_value,
            vat: self.vat,
        }
    }
}

fn sold_line_here(tx: &Transaction<'_>, sale_id: i64, line_no: usize) -> StoreResult<SoldLine> {
    let (sku, name, unit, sold, gross, vat_code) = tx
        .prepare_cached(
            "SELECT sku, name, unit, quantity_milli, gross, vat_rate FROM sale_lines
              WHERE sale_id = ?1 AND line_no = ?2",
        )?
        .query_row(params![sale_id, line_no as i64], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?;
    Ok(SoldLine {
        sku,
        name,
        unit,
        sold: super::from_milli(sold),
        gross: Money(gross),
        vat: super::parse_rate(&vat_code)?,
    })
}

/// The invoice in force of a sale sold at another counter, as this node knows it from sync:
/// the last replacement whose event carried it, else the original the sale's receipt
/// carries. None when the sale was sold without one (the shop not registered then) or its
/// receipt cannot be read here.
fn foreign_invoice_in_force(
    tx: &Transaction<'_>,
    foreign_sale_id: i64,
) -> StoreResult<Option<(EInvoice, SaleRecord)>> {
    let (uid, record): (String, Option<String>) = tx
        .prepare_cached("SELECT uid, record FROM foreign_sales WHERE id = ?1")?
        .query_row([foreign_sale_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let Some(sale) = record.and_then(|json| serde_json::from_str::<SaleRecord>(&json).ok()) else {
        return Ok(None);
    };
    let Some(original) = sale.invoice.issued().cloned() else {
        return Ok(None);
    };
    let replacement: Option<String> = tx
        .prepare_cached(
            "SELECT json_extract(doc, '$.record') FROM sync_events
              WHERE kind = 'invoice' AND json_extract(doc, '$.sale') = ?1
                AND json_extract(doc, '$.kind') = 'replacement'
                AND json_extract(doc, '$.record') IS NOT NULL
              ORDER BY at DESC, seq DESC LIMIT 1",
        )?
        .query_row([uid], |row| row.get(0))
        .optional()?;
    let in_force = match replacement {
        Some(json) => serde_json::from_str(&json)?,
        None => original,
    };
    Ok(Some((in_force, sale)))
}

/// The node that adjusted an invoice of sale `sale_id` (sold here) when it refunded the sale,
/// as this node knows it from that node's events. Its adjustment is in its own series, so it
/// is not among this node's invoices; from then on the invoice is corrected by adjustment only.
fn adjusted_at_another_counter(tx: &Transaction<'_>, sale_id: i64) -> StoreResult<Option<String>> {
    // The sale's uid as a value, so that the partial index on the events' sale is searched.
    let sale_uid = super::sync::uid_of(tx, "sales", sale_id)?;
    Ok(tx
        .prepare_cached(
            "SELECT o.node FROM sync_events e JOIN sync_origins o ON o.id = e.origin_id
              WHERE e.kind = 'invoice' AND json_extract(e.doc, '$.sale') = ?1
                AND json_extract(e.doc, '$.kind') = 'adjustment' AND o.local = 0
              LIMIT 1",
        )?
        .query_row([sale_uid], |row| row.get(0))
        .optional()?)
}

/// The adjustment invoice of a refund, in the refund's transaction: the goods given back as
/// negative lines, referring to the sale's invoice in force. A sale sold without an invoice
/// gets none.
///
/// A sale sold at another counter is adjusted here all the same: the seller is the shop (one
/// tax code), so the counter that gives the money back issues the adjustment, in its own
/// series, referring to the selling counter's invoice as synced. That it never adjusts more
/// than was invoiced rests on the refund, which gives back no more than is left of each line
/// after every refund of the sale this node knows (its own and synced ones).
pub(crate) fn adjust_for_refund(
    tx: &Transaction<'_>,
    sale: SaleRef,
    refund: (i64, &str),
    returned: &[ReturnedLine],
    vat: &[VatBucket],
    reason: &str,
    at: DateTime<Utc>,
) -> StoreResult<Option<EInvoice>> {
    let (original, related_id, sold_lines) = match sale {
        SaleRef::Here(sale_id) => {
            let Some(in_force) = invoice_in_force(tx, sale_id)? else {
                return Ok(None);
            };
            let sold_lines = returned
                .iter()
                .map(|line| sold_line_here(tx, sale_id, line.line_no))
                .collect::<StoreResult<Vec<_>>>()?;
            (
                stored_invoice(tx, in_force)?.invoice,
                Some(in_force),
                sold_lines,
            )
        }
        SaleRef::Elsewhere(foreign_sale_id) => {
            let Some((in_force, sale)) = foreign_invoice_in_force(tx, foreign_sale_id)? else {
                return Ok(None);
            };
            let sold_lines = returned
                .iter()
                .map(|line| {
                    let printed = sale.draft.lines.get(line.line_no).ok_or_else(|| {
                        StoreError::Corrupt(format!(
                            "sale {} has no line {}",
                            sale.receipt_no, line.line_no
                        ))
                    })?;
                    Ok(SoldLine {
                        sku: printed.sku.clone(),
                        name: printed.name.clone(),
                        unit: printed.unit.clone(),
                        sold: printed.quantity,
                        gross: printed.gross,
                        vat: printed.vat,
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?;
            (in_force, None, sold_lines)
        }
    };
    let settings = registered_settings(tx)?.ok_or(refused(InvoiceError::NotRegistered))?;
    let sources: Vec<LineSource> = sold_lines
        .into_iter()
        .zip(returned)
        .map(|(sold, line)| sold.returned(line))
        .collect();
    let phone = shop_phone(tx)?;
    let issue = Issue {
        numbers: next_numbers(tx, &settings, at)?,
        at,
        settings: &settings,
        phone: &phone,
    };
    let (refund_id, refund_no) = refund;
    let adjustment = EInvoice::adjusting(&original, &sources, vat, refund_no, reason, issue);
    insert_einvoice(
        tx,
        sale,
        Some(refund_id),
        Kind::Adjustment,
        related_id,
        &adjustment,
    )?;
    Ok(Some(adjustment))
}

/// What correcting an invoice's buyer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuyerCorrection {
    /// A new invoice that replaces the old one.
    Replaced(Box<EInvoice>),
    /// Only the name or address was wrong and the tax code right: a 04/SS-HĐĐT notice was
    /// recorded against the invoice, which stands.
    Noticed { invoice: String },
}

/// A correction asked for by a manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuyerCorrectionRequest {
    /// The buyer as the invoice should have named them (None: a consumer).
    pub buyer: Option<InvoiceBuyer>,
    pub reason: String,
    /// With a business buyer: the written agreement's reference.
    pub agreement: String,
    pub by: String,
}

impl Store {
    /// An issued cash-register invoice by `1C26MAA-00000012`, `C26MAA-12` or its MCCQT.
    pub fn einvoice(&self, reference: &str) -> StoreResult<Option<EInvoice>> {
        einvoice_id(&self.conn, reference)?
            .map(|id| Ok(stored_invoice(&self.conn, id)?.invoice))
            .transpose()
    }

    /// The invoice's XML exactly as stored with it.
    pub fn einvoice_xml(&self, reference: &str) -> StoreResult<Option<String>> {
        einvoice_id(&self.conn, reference)?
            .map(|id| {
                Ok(self
                    .conn
                    .query_row("SELECT xml FROM einvoices WHERE id = ?1", [id], |row| {
                        row.get(0)
                    })?)
            })
            .transpose()
    }

    /// The invoice that replaced `reference`, if one did.
    pub fn replacement_of(&self, reference: &str) -> StoreResult<Option<String>> {
        einvoice_id(&self.conn, reference)?
            .map(|id| correction_of(&self.conn, id, Kind::Replacement))
            .transpose()
            .map(Option::flatten)
    }

    /// The invoices this node issued for a sale, in issue order: its original, replacements and
    /// adjustments; for a sale sold at another counter, the adjustments of its refunds here.
    pub fn einvoices_of_sale(&self, receipt_no: &str) -> StoreResult<Vec<EInvoice>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.record_json FROM einvoices i JOIN sales s ON s.id = i.sale_id
              WHERE s.receipt_no = ?1
             UNION ALL
             SELECT i.id, i.record_json FROM foreign_sales f
               JOIN refunds r ON r.foreign_sale_id = f.id
               JOIN einvoices i ON i.refund_id = r.id
              WHERE f.receipt_no = ?1
             ORDER BY 1",
        )?;
        let rows = stmt.query_map([receipt_no.trim()], |row| row.get::<_, String>(1))?;
        rows.map(|json| Ok(serde_json::from_str(&json?)?)).collect()
    }

    /// Corrects the buyer of an invoice. A wrong name or address under the right tax code is a
    /// 04/SS-HĐĐT notice and no new invoice; anything else is a replacement invoice with the
    /// next number, referring to the old one with the reason (and, for a business buyer, the
    /// written agreement). An invoice is replaced once; one already corrected by adjustment is
    /// corrected by adjustment again.
    pub fn correct_invoice_buyer(
        &mut self,
        reference: &str,
        request: &BuyerCorrectionRequest,
        at: DateTime<Utc>,
    ) -> StoreResult<BuyerCorrection> {
        let reason = request.reason.trim();
        if reason.is_empty() {
            return Err(refused(InvoiceError::ReasonRequired));
        }
        let buyer = request
            .buyer
            .as_ref()
            .map(InvoiceBuyer::checked)
            .transpose()
            .map_err(|e| refused(InvoiceError::Buyer(e)))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = einvoice_id(&tx, reference)?
            .ok_or_else(|| refused(InvoiceError::NoSuchInvoice(reference.trim().to_string())))?;
        let old = stored_invoice(&tx, id)?;
        let name = old.invoice.reference();
        if old.kind == Kind::Adjustment {
            return Err(refused(InvoiceError::AdjustmentNotReplaceable(name)));
        }
        if let Some(by) = correction_of(&tx, id, Kind::Replacement)? {
            return Err(refused(InvoiceError::AlreadyReplaced { invoice: name, by }));
        }
        if correction_of(&tx, id, Kind::Adjustment)?.is_some() {
            return Err(refused(InvoiceError::AlreadyAdjusted(name)));
        }
        if let Some(sale_id) = old.sale_id
            && let Some(counter) = adjusted_at_another_counter(&tx, sale_id)?
        {
            return Err(refused(InvoiceError::AdjustedAtAnotherCounter {
                invoice: name,
                counter,
            }));
        }
        if buyer == old.invoice.buyer {
            return Err(refused(InvoiceError::NothingToCorrect));
        }
        let business = |b: &Option<InvoiceBuyer>| matches!(b, Some(InvoiceBuyer::Company(_)));
        if let (Some(InvoiceBuyer::Company(was)), Some(InvoiceBuyer::Company(is))) =
            (&old.invoice.buyer, &buyer)
            && was.tax_code == is.tax_code
        {
            tx.prepare_cached(
                "INSERT INTO einvoice_notices (einvoice_id, noticed_at, noticed_by, reason,
                                               buyer_json)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                id,
                timestamp(at),
                request.by,
                reason,
                serde_json::to_string(&buyer)?
            ])?;
            tx.commit()?;
            return Ok(BuyerCorrection::Noticed { invoice: name });
        }
        if (business(&old.invoice.buyer) || business(&buyer)) && request.agreement.trim().is_empty()
        {
            return Err(refused(InvoiceError::AgreementRequired));
        }
        let settings = registered_settings(&tx)?.ok_or(refused(InvoiceError::NotRegistered))?;
        // Only an adjustment (refused above) belongs to a sale sold at another counter.
        let sale_id = old
            .sale_id
            .ok_or_else(|| StoreError::Corrupt(format!("invoice {name} without its sale")))?;
        let receipt_no: String = tx
            .prepare_cached("SELECT receipt_no FROM sales WHERE id = ?1")?
            .query_row([sale_id], |row| row.get(0))?;
        let sale = read_sale(&tx, &receipt_no)?.ok_or(StoreError::NotFound)?;
        let phone = shop_phone(&tx)?;
        let issue = Issue {
            numbers: next_numbers(&tx, &settings, at)?,
            at,
            settings: &settings,
            phone: &phone,
        };
        let mut replacement = EInvoice::of_sale(&sale.draft, &receipt_no, issue);
        replacement.buyer = buyer;
        replacement.payment_methods = old.invoice.payment_methods.clone();
        replacement.related = Some(old.invoice.related_as(
            Correction::Replaces,
            reason,
            &request.agreement,
        ));
        insert_einvoice(
            &tx,
            SaleRef::Here(sale_id),
            None,
            Kind::Replacement,
            Some(old.id),
            &replacement,
        )?;
        tx.commit()?;
        Ok(BuyerCorrection::Replaced(Box::new(replacement)))
    }

    /// The 04/SS-HĐĐT notices recorded against an invoice: when, and the buyer as it should read.
    pub fn invoice_notices(
        &self,
        reference: &str,
    ) -> StoreResult<Vec<(DateTime<Utc>, Option<InvoiceBuyer>)>> {
        let Some(id) = einvoice_id(&self.conn, reference)? else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT noticed_at, buyer_json FROM einvoice_notices WHERE einvoice_id = ?1
              ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        rows.map(|row| {
            let (at, buyer) = row?;
            Ok((parse_timestamp(&at)?, serde_json::from_str(&buyer)?))
        })
        .collect()
    }

    /// The numbers of a series in order (to check it has no gaps).
    pub fn einvoice_numbers(&self, template: u8, series: &str) -> StoreResult<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT number FROM einvoices WHERE template = ?1 AND series = ?2 ORDER BY number",
        )?;
        let rows = stmt.query_map(params![template, series], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every MCCQT of a year in issue order.
    pub fn authority_codes(&self, year: i32) -> StoreResult<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT authority_code FROM einvoices
              WHERE authority_code IS NOT NULL AND substr(authority_code, 4, 2) = ?1
              ORDER BY id",
        )?;
        let rows = stmt.query_map([format!("{:02}", year.rem_euclid(100))], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The last number a counter series handed out in a year (0 when none): invoice numbers
    /// (`einvoice:1C26MAA`) and MCCQT counters (`mccqt:…`) alike.
    pub fn last_invoice_counter(&self, counter: &str, year: i32) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row(
                "SELECT last_number FROM document_counters WHERE series = ?1 AND year = ?2",
                params![counter, year],
                |row| row.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    /// How many sales were made without an invoice because the registration was incomplete.
    pub fn sales_without_invoice(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sales_without_invoice", [], |row| {
                row.get(0)
            })?)
    }
}
