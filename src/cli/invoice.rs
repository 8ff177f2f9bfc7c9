//! `ocop-pos invoice …`, `buyer …` and `pack …`: gift packs and their VAT invoices.

use super::{ManagerChange, open_existing};
use crate::config::Config;
use crate::core::audit::AuditAct;
use crate::core::cart::format_quantity;
use crate::core::giftpack::{GiftPack, PackPricing};
use crate::core::invoice::Buyer;
use crate::documents::Document;
use crate::store::{Store, StoreError};
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

/// Issues the invoice of a sale to a buyer already in the address book.
pub fn issue_invoice(
    change: &mut ManagerChange,
    config: &Config,
    receipt_no: &str,
    tax_code: &str,
    pdf: Option<&Path>,
) -> Result<String, String> {
    let issued_by = change.manager.name.clone();
    let invoice = change
        .store
        .issue_invoice(receipt_no, tax_code, &issued_by, None, Utc::now())
        .map_err(refusal)?;
    let reference = invoice.reference();
    change.audit(
        AuditAct::InvoiceIssued,
        &reference,
        &invoice.receipt_no,
        &invoice.buyer.tax_code,
    )?;
    let store = &change.store;
    let document = Document::Invoice {
        invoice: Box::new(invoice),
        copy: false,
    };
    Ok(format!(
        "{reference}\n{}",
        write_invoice(config, store, document, pdf)?
    ))
}

/// A copy (marked BẢN SAO) of an issued invoice.
pub fn show_invoice(config: &Config, reference: &str, pdf: &Path) -> Result<String, String> {
    let store = open_existing(config)?;
    let invoice = store
        .invoice(reference, Utc::now())
        .map_err(refusal)?
        .ok_or_else(|| format!("không có hóa đơn {reference} / there is no invoice {reference}"))?;
    let document = Document::Invoice {
        invoice: Box::new(invoice),
        copy: true,
    };
    write_invoice(config, &store, document, Some(pdf))
}

/// Cancels an invoice with a reason (it stays on record, marked ĐÃ HỦY).
pub fn cancel_invoice(
    change: &mut ManagerChange,
    reference: &str,
    reason: &str,
) -> Result<String, String> {
    let cancelled_by = change.manager.name.clone();
    let invoice = change
        .store
        .cancel_invoice(reference, reason, &cancelled_by, Utc::now())
        .map_err(refusal)?;
    change.audit(AuditAct::InvoiceCancelled, &invoice.reference(), "", reason)?;
    Ok(invoice.reference())
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
