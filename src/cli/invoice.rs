//! `ocop-pos invoice …`, `buyer …` and `pack …`: gift packs and their VAT invoices.

use super::{both_languages, lock_refusal};
use crate::config::Config;
use crate::core::cart::format_quantity;
use crate::core::giftpack::{GiftPack, PackPricing};
use crate::core::invoice::Buyer;
use crate::documents::Document;
use crate::lock::DataLock;
use crate::store::{Store, StoreError};
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

/// Issues the invoice of a sale to a buyer already in the address book.
pub fn issue_invoice(
    config: &Config,
    receipt_no: &str,
    tax_code: &str,
    pdf: Option<&Path>,
) -> Result<String, String> {
    let (_lock, mut store) = open_for_change(config)?;
    let invoice = store
        .issue_invoice(receipt_no, tax_code, "manager", None, Utc::now())
        .map_err(refusal)?;
    let reference = invoice.reference();
    let document = Document::Invoice {
        invoice: Box::new(invoice),
        copy: false,
    };
    Ok(format!(
        "{reference}\n{}",
        write_invoice(config, &store, document, pdf)?
    ))
}

/// A copy (marked BẢN SAO) of an issued invoice.
pub fn show_invoice(config: &Config, reference: &str, pdf: &Path) -> Result<String, String> {
    let store = config.open_store().map_err(|e| e.to_string())?;
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
pub fn cancel_invoice(config: &Config, reference: &str, reason: &str) -> Result<String, String> {
    let (_lock, mut store) = open_for_change(config)?;
    let invoice = store
        .cancel_invoice(reference, reason, "manager", Utc::now())
        .map_err(refusal)?;
    Ok(invoice.reference())
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
