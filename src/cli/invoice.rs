//! `ocop-pos invoice …`, `buyer …` and `pack …`: gift packs and their VAT invoices.

use super::{both_languages, lock_refusal};
use crate::config::Config;
use crate::core::cart::format_quantity;
use crate::core::einvoice::InvoiceBuyer;
use crate::core::giftpack::{GiftPack, PackPricing};
use crate::core::invoice::Buyer;
use crate::core::payment::PaymentMethod;
use crate::core::refund::{RefundItem, RefundRequest};
use crate::documents::Document;
use crate::lock::DataLock;
use crate::store::{BuyerCorrection, BuyerCorrectionRequest, Store, StoreError};
use chrono::Utc;
use rust_decimal::Decimal;
use std::path::Path;

/// Opens the store for a change: the data folder's lock first, so no window writes meanwhile.
fn open_for_change(config: &Config) -> Result<(DataLock, Store), String> {
    let lock = DataLock::acquire(&config.data_dir).map_err(lock_refusal)?;
    let store = config.open_store().map_err(|e| e.to_string())?;
    Ok((lock, store))
}

fn refusal(error: StoreError) -> String {
    both_languages(&crate::i18n::Notice::from_store_error(&error))
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

/// A copy (marked BẢN SAO) of an invoice: a cash-register invoice (`1C26MAA-00000012`, `C26MAA-12`
/// or its MCCQT) as its A4 copy, with its XML into `xml` when asked; or a VAT invoice made
/// before (`C26TAA-00000012`, or `12` for this year's).
pub fn show_invoice(
    config: &Config,
    reference: &str,
    pdf: &Path,
    xml: Option<&Path>,
) -> Result<String, String> {
    let store = config.open_store().map_err(|e| e.to_string())?;
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
/// only the name or address was wrong under the right tax code, a 04/SS-HĐĐT notice.
pub fn replace_invoice(
    config: &Config,
    reference: &str,
    request: &BuyerCorrectionRequest,
    pdf: Option<&Path>,
) -> Result<String, String> {
    let (_lock, mut store) = open_for_change(config)?;
    let mut request = request.clone();
    // A company is named by its tax code; the buyer records fill in what was not typed.
    if let Some(InvoiceBuyer::Company(typed)) = &mut request.buyer
        && let Some(known) = store.buyer(&typed.tax_code).map_err(refusal)?
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
    match store
        .correct_invoice_buyer(reference, &request, Utc::now())
        .map_err(refusal)?
    {
        BuyerCorrection::Noticed { invoice } => Ok(format!(
            "Đã ghi thông báo sai sót 04/SS-HĐĐT cho hóa đơn {invoice}; không lập hóa đơn mới \
             (mã số thuế đúng).\nRecorded a 04/SS-HĐĐT notice for invoice {invoice}; no new \
             invoice (the tax code was right)."
        )),
        BuyerCorrection::Replaced(replacement) => {
            let reference = replacement.reference();
            let document = Document::EInvoice {
                invoice: replacement,
                copy: false,
                replaced_by: None,
            };
            Ok(format!(
                "{reference}\n{}",
                write_invoice(config, &store, document, pdf)?
            ))
        }
    }
}

/// Adjusts an invoice for goods given back: a refund of those lines (money and stock as any
/// refund), which makes the adjustment invoice in its own transaction.
pub fn adjust_invoice(
    config: &Config,
    reference: &str,
    items: &[(String, Decimal)],
    reason: &str,
    method: PaymentMethod,
    restock: bool,
) -> Result<String, String> {
    let (_lock, mut store) = open_for_change(config)?;
    let invoice = store
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
    let refund = store
        .commit_refund(
            &RefundRequest {
                receipt_no: invoice.document_no.clone(),
                items,
                method,
                restock,
                reason: reason.to_string(),
                cashier: "manager".into(),
            },
            Utc::now(),
        )
        .map_err(refusal)?;
    let adjustment = refund
        .adjustment
        .as_ref()
        .map_or_else(String::new, |a| a.reference());
    Ok(format!(
        "{} {}  {}",
        refund.refund_no, refund.total, adjustment
    ))
}

/// Adds a buyer to the address book (or updates the one with that tax code).
pub fn add_buyer(config: &Config, buyer: &Buyer) -> Result<String, String> {
    let (_lock, mut store) = open_for_change(config)?;
    let saved = store.save_buyer(buyer, Utc::now()).map_err(refusal)?;
    Ok(format!("{}  {}", saved.tax_code, saved.name))
}

/// Buyers whose name or tax code contains the query.
pub fn list_buyers(config: &Config, query: &str) -> Result<String, String> {
    let store = config.open_store().map_err(|e| e.to_string())?;
    let buyers = store.search_buyers(query).map_err(refusal)?;
    Ok(buyers
        .iter()
        .map(|b| format!("{:<15} {}  ({})", b.tax_code, b.name, b.address))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// Creates a gift-pack template.
pub fn add_gift_pack(
    config: &Config,
    sku: &str,
    name: &str,
    pricing: PackPricing,
    items: &[(String, Decimal)],
) -> Result<String, String> {
    let (_lock, mut store) = open_for_change(config)?;
    let pack = store
        .create_gift_pack(sku, name, pricing, items, Utc::now())
        .map_err(refusal)?;
    Ok(pack_line(&pack, true))
}

/// Changes a template's name, pricing and contents.
pub fn edit_gift_pack(
    config: &Config,
    sku: &str,
    name: &str,
    pricing: PackPricing,
    items: &[(String, Decimal)],
) -> Result<String, String> {
    let (_lock, mut store) = open_for_change(config)?;
    let pack = store
        .update_gift_pack(sku, name, pricing, items, Utc::now())
        .map_err(|error| pack_refusal(sku, error))?;
    Ok(pack_line(&pack, true))
}

/// Takes a template off sale, or puts it back.
pub fn set_gift_pack_active(config: &Config, sku: &str, active: bool) -> Result<String, String> {
    let (_lock, mut store) = open_for_change(config)?;
    store
        .set_gift_pack_active(sku, active)
        .map_err(|error| pack_refusal(sku, error))?;
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

/// Every template, one a line: SKU, barcode, price, name and contents; inactive ones marked.
pub fn list_gift_packs(config: &Config) -> Result<String, String> {
    let store = config.open_store().map_err(|e| e.to_string())?;
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
