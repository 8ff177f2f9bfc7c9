//! `ocop-pos invoice …`, `buyer …` and `pack …`: gift packs and their VAT invoices.

use super::{ManagerChange, open_existing};
use crate::config::Config;
use crate::core::audit::AuditAct;
use crate::core::cart::format_quantity;
use crate::core::einvoice::InvoiceBuyer;
use crate::core::giftpack::{GiftPack, PackPricing};
use crate::core::invoice::Buyer;
use crate::core::payment::PaymentMethod;
use crate::core::refund::{RefundItem, RefundRequest};
use crate::documents::Document;
use crate::store::{BuyerCorrection, BuyerCorrectionRequest, Store, StoreError};
use chrono::Utc;
use rust_decimal::Decimal;
use std::path::Path;

fn refusal(error: StoreError) -> String {
    super::refusal(&error)
}

fn write_invoice(
    config: &Config,
    store: &Store,
    document: Document,
    pdf: Option<&Path>,
) -> Result<String, String> {
    let shop = store.shop_settings().map_err(|e| e.to_string())?;
    let path = document
        .write(&config.data_dir, &shop, pdf)
        .map_err(|e| e.to_string())?;
    Ok(path.display().to_string())
}

/// A copy (marked BẢN SAO) of an invoice: a cash-register invoice (`1C26MAA-00000012`,
/// `C26MAA-12` or its MCCQT) as its A4 copy, with its XML into `xml` when asked; or a VAT
/// invoice made before (`C26TAA-00000012`, or `12` for this year's).
pub fn show_invoice(
    config: &Config,
    reference: &str,
    pdf: &Path,
    xml: Option<&Path>,
) -> Result<String, String> {
    let store = open_existing(config)?;
    let missing = || format!("không có hóa đơn {reference} / there is no invoice {reference}");
    if let Some(invoice) = store.einvoice(reference).map_err(refusal)? {
        let mut written = Vec::new();
        if let Some(xml) = xml {
            let text = store
                .einvoice_xml(reference)
                .map_err(refusal)?
                .ok_or_else(missing)?;
            std::fs::write(xml, text).map_err(|e| e.to_string())?;
            written.push(xml.display().to_string());
        }
        let replaced_by = store.replacement_of(reference).map_err(refusal)?;
        let document = Document::EInvoice {
            invoice: Box::new(invoice),
            copy: true,
            replaced_by,
        };
        written.insert(0, write_invoice(config, &store, document, Some(pdf))?);
        return Ok(written.join("\n"));
    }
    let invoice = store
        .invoice(reference, Utc::now())
        .map_err(refusal)?
        .ok_or_else(missing)?;
    let document = Document::Invoice {
        invoice: Box::new(invoice),
        copy: true,
    };
    write_invoice(config, &store, document, Some(pdf))
}

/// Corrects the buyer of an invoice: a replacement invoice (printed as its A4 copy), or, when
/// only the name or address was wrong under the right tax code, a 04/SS-HĐĐT notice. Audited
/// like the same correction in the window.
pub fn replace_invoice(
    change: &mut ManagerChange,
    config: &Config,
    reference: &str,
    request: &BuyerCorrectionRequest,
    pdf: Option<&Path>,
) -> Result<String, String> {
    let mut request = BuyerCorrectionRequest {
        by: change.manager.name.clone(),
        ..request.clone()
    };
    // A company is named by its tax code; the buyer records fill in what was not typed.
    if let Some(InvoiceBuyer::Company(typed)) = &mut request.buyer
        && let Some(known) = change.store.buyer(&typed.tax_code).map_err(refusal)?
    {
        for (field, kept) in [
            (&mut typed.name, known.name),
            (&mut typed.address, known.address),
            (&mut typed.email, known.email),
            (&mut typed.contact, known.contact),
        ] {
            if field.trim().is_empty() {
                *field = kept;
            }
        }
    }
    let corrected = change
        .store
        .correct_invoice_buyer(reference, &request, Utc::now())
        .map_err(refusal)?;
    match corrected {
        BuyerCorrection::Noticed { invoice } => {
            change.audit(AuditAct::CorrectInvoice, &invoice, "", "04/SS-HĐĐT")?;
            Ok(format!(
                "Đã ghi thông báo sai sót 04/SS-HĐĐT cho hóa đơn {invoice}; không lập hóa đơn mới \
                 (mã số thuế đúng).\nRecorded a 04/SS-HĐĐT notice for invoice {invoice}; no new \
                 invoice (the tax code was right)."
            ))
        }
        BuyerCorrection::Replaced(replacement) => {
            let new_reference = replacement.reference();
            change.audit(AuditAct::CorrectInvoice, reference, "", &new_reference)?;
            let document = Document::EInvoice {
                invoice: replacement,
                copy: false,
                replaced_by: None,
            };
            Ok(format!(
                "{new_reference}\n{}",
                write_invoice(config, &change.store, document, pdf)?
            ))
        }
    }
}

/// Adjusts an invoice for goods given back: a refund of those lines (money and stock as any
/// refund), which makes the adjustment invoice in its own transaction.
pub fn adjust_invoice(
    change: &mut ManagerChange,
    reference: &str,
    items: &[(String, Decimal)],
    reason: &str,
    method: PaymentMethod,
    restock: bool,
) -> Result<String, String> {
    let invoice = change
        .store
        .einvoice(reference)
        .map_err(refusal)?
        .ok_or_else(|| format!("không có hóa đơn {reference} / there is no invoice {reference}"))?;
    let items = items
        .iter()
        .map(|(line, quantity)| {
            let line_no = line
                .parse::<usize>()
                .ok()
                .filter(|&n| n >= 1)
                .ok_or_else(|| {
                    format!("--item {line}: số dòng của hóa đơn (1, 2…) / the invoice's line number (1, 2…)")
                })?;
            Ok(RefundItem {
                line_no: line_no - 1,
                quantity: *quantity,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let refund = change
        .store
        .commit_refund(
            &RefundRequest {
                receipt_no: invoice.document_no.clone(),
                items,
                method,
                restock,
                reason: reason.to_string(),
                cashier: change.manager.name.clone(),
                approver: Some(change.manager.name.clone()),
            },
            Utc::now(),
        )
        .map_err(refusal)?;
    let adjustment = refund
        .adjustment
        .as_ref()
        .map_or_else(String::new, |a| a.reference());
    // The refund wrote its audit row in its own transaction.
    Ok(format!(
        "{} {}  {}",
        refund.refund_no, refund.total, adjustment
    ))
}

/// Adds a buyer to the address book (or updates the one with that tax code).
pub fn add_buyer(change: &mut ManagerChange, buyer: &Buyer) -> Result<String, String> {
    let before = change
        .store
        .search_buyers(&buyer.tax_code)
        .map_err(refusal)?
        .into_iter()
        .find(|known| known.tax_code == buyer.tax_code.trim())
        .map(|known| buyer_line(&known))
        .unwrap_or_default();
    let saved = change
        .store
        .save_buyer(buyer, Utc::now())
        .map_err(refusal)?;
    change.audit(
        AuditAct::BuyerSaved,
        &saved.tax_code,
        &before,
        &buyer_line(&saved),
    )?;
    Ok(format!("{}  {}", saved.tax_code, saved.name))
}

fn buyer_line(buyer: &Buyer) -> String {
    [&buyer.name, &buyer.address, &buyer.email, &buyer.contact]
        .map(|field| field.as_str())
        .join(" | ")
}

/// Buyers whose name or tax code contains the query.
pub fn list_buyers(config: &Config, query: &str) -> Result<String, String> {
    let store = open_existing(config)?;
    let buyers = store.search_buyers(query).map_err(refusal)?;
    Ok(buyers
        .iter()
        .map(|b| format!("{:<15} {}  ({})", b.tax_code, b.name, b.address))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// Creates a gift-pack template.
pub fn add_gift_pack(
    change: &mut ManagerChange,
    sku: &str,
    name: &str,
    pricing: PackPricing,
    items: &[(String, Decimal)],
) -> Result<String, String> {
    let pack = change
        .store
        .create_gift_pack(sku, name, pricing, items, Utc::now())
        .map_err(refusal)?;
    let line = pack_line(&pack, true);
    change.audit(AuditAct::GiftPackChanged, &pack.sku, "", &line)?;
    Ok(line)
}

/// Changes a template's name, pricing and contents.
pub fn edit_gift_pack(
    change: &mut ManagerChange,
    sku: &str,
    name: &str,
    pricing: PackPricing,
    items: &[(String, Decimal)],
) -> Result<String, String> {
    let before = template_line(&change.store, sku)?;
    let pack = change
        .store
        .update_gift_pack(sku, name, pricing, items, Utc::now())
        .map_err(|error| pack_refusal(sku, error))?;
    let line = pack_line(&pack, true);
    change.audit(AuditAct::GiftPackChanged, &pack.sku, &before, &line)?;
    Ok(line)
}

/// Takes a template off sale, or puts it back.
pub fn set_gift_pack_active(
    change: &mut ManagerChange,
    sku: &str,
    active: bool,
) -> Result<String, String> {
    let before = template_line(&change.store, sku)?;
    change
        .store
        .set_gift_pack_active(sku, active)
        .map_err(|error| pack_refusal(sku, error))?;
    let after = template_line(&change.store, sku)?;
    change.audit(AuditAct::GiftPackChanged, sku, &before, &after)?;
    Ok(if active {
        format!("Đã mở bán lại giỏ quà {sku} / gift pack {sku} is on sale again")
    } else {
        format!("Đã ngừng bán giỏ quà {sku} / gift pack {sku} is off sale")
    })
}

/// An unknown template named, any other refusal as the store gives it.
fn pack_refusal(sku: &str, error: StoreError) -> String {
    match error {
        StoreError::NotFound => {
            format!("Không có giỏ quà mã {sku} / there is no gift pack {sku}")
        }
        error => refusal(error),
    }
}

/// A template as listed (empty when there is none by that SKU), for the audit row.
fn template_line(store: &Store, sku: &str) -> Result<String, String> {
    let packs = store.all_gift_packs(Utc::now()).map_err(refusal)?;
    Ok(packs
        .iter()
        .find(|(pack, _)| pack.sku == sku.trim())
        .map(|(pack, active)| pack_line(pack, *active))
        .unwrap_or_default())
}

/// Every template, one a line: SKU, barcode, price, name and contents; inactive ones marked.
pub fn list_gift_packs(config: &Config) -> Result<String, String> {
    let store = open_existing(config)?;
    let packs = store.all_gift_packs(Utc::now()).map_err(refusal)?;
    Ok(packs
        .iter()
        .map(|(pack, active)| pack_line(pack, *active))
        .collect::<Vec<_>>()
        .join("\n"))
}

fn pack_line(pack: &GiftPack, active: bool) -> String {
    let contents: Vec<String> = pack
        .items
        .iter()
        .map(|(product, quantity)| format!("{}×{}", product.sku, format_quantity(*quantity)))
        .collect();
    let status = if active {
        ""
    } else {
        "  (ngừng bán / inactive)"
    };
    format!(
        "{}  {}  {:>12}  {}  [{}]{status}",
        pack.sku,
        pack.barcode,
        pack.price().to_string(),
        pack.name,
        contents.join(", ")
    )
}
