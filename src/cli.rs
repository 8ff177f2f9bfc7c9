//! Manager commands that need no window.

mod invoice;
mod products;
mod report;
mod staff;

pub use invoice::{
    add_buyer, add_gift_pack, adjust_invoice, edit_gift_pack, list_buyers, list_gift_packs,
    replace_invoice, set_gift_pack_active, show_invoice,
};
pub use products::{Catalogue, export_catalogue, import_catalogue};
pub use report::{list_producers, report_day, report_producer};
pub use staff::{add_staff, list_staff};

use crate::config::Config;
use crate::core::einvoice::{InvoiceBuyer, InvoiceSettings};
use crate::core::giftpack::PackPricing;
use crate::core::invoice::Buyer;
use crate::core::money::{Money, parse_amount};
use crate::core::payment::PaymentMethod;
use crate::core::report::Period;
use crate::documents::Document;
use crate::i18n::{Lang, Notice};
use crate::lock::{DataLock, LockError};
use crate::store::backup::{back_up, backups_dir, list_backups, parse_keep, restore_backup};
use crate::store::{
    AUTO_OPEN_SESSIONS, BLOCK_NEGATIVE_STOCK, BuyerCorrectionRequest, DISCOUNT_LIMIT_SETTING,
    IDLE_LOCK_SETTING, NEGATIVE_STOCK_SETTING, REQUIRE_OPEN_SESSION, SESSION_POLICY_SETTING, Store,
    WARN_ON_NEGATIVE_STOCK,
};
use chrono::{NaiveDate, Utc};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

/// What the program was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// Open the window.
    Window,
    /// `receipt reprint NUMBER [--pdf FILE]`: write a copy of a past receipt.
    ReprintReceipt {
        receipt_no: String,
        pdf: Option<PathBuf>,
    },
    /// `settings`: print the shop's settings.
    ShowSettings,
    /// `settings set KEY VALUE`: change one.
    SetSetting {
        key: String,
        value: String,
    },
    /// `backup [--to DIR]`: a verified backup now, also copied into DIR.
    Backup {
        to: Option<PathBuf>,
    },
    /// `backups`: the backups of the data folder, with what each holds.
    ListBackups,
    /// `restore FILE`: the data replaced by a backup, the current data kept aside.
    Restore {
        file: PathBuf,
    },
    /// `producers`: who supplies the showroom, with the numbers reports use.
    ListProducers,
    /// `products import FILE [--dry-run]`, `producers import FILE [--dry-run]`.
    ImportCatalogue {
        catalogue: Catalogue,
        file: PathBuf,
        dry_run: bool,
    },
    /// `products export FILE`, `producers export FILE`.
    ExportCatalogue {
        catalogue: Catalogue,
        file: PathBuf,
    },
    /// `report day --date D [--pdf FILE] [--csv FILE]`: the day's figures.
    ReportDay {
        date: NaiveDate,
        pdf: Option<PathBuf>,
        csv: Option<PathBuf>,
    },
    /// `report producer --producer ID --from D --to D [--pdf FILE] [--csv FILE]`.
    ReportProducer {
        producer: i64,
        period: Period,
        pdf: Option<PathBuf>,
        csv: Option<PathBuf>,
    },
    /// `invoice show NUMBER --pdf FILE [--xml FILE]`: a copy marked BẢN SAO (and the XML).
    ShowInvoice {
        reference: String,
        pdf: PathBuf,
        xml: Option<PathBuf>,
    },
    /// `invoice replace NUMBER --reason TEXT [--agreement REF] BUYER [--pdf FILE]`.
    ReplaceInvoice {
        reference: String,
        request: BuyerCorrectionRequest,
        pdf: Option<PathBuf>,
    },
    /// `invoice adjust NUMBER --item LINE:QTY … --reason TEXT [--method M] [--no-restock]`.
    AdjustInvoice {
        reference: String,
        items: Vec<(String, Decimal)>,
        reason: String,
        method: PaymentMethod,
        restock: bool,
    },
    /// `buyer add --tax-code … --name … --address … [--email …] [--contact …]`.
    AddBuyer(Buyer),
    /// `buyers [QUERY]`.
    ListBuyers {
        query: String,
    },
    /// `pack add --sku … --name … (--price N | --discount N) --item SKU:QTY …`.
    AddGiftPack {
        sku: String,
        name: String,
        pricing: PackPricing,
        items: Vec<(String, Decimal)>,
    },
    /// `pack edit SKU --name … (--price N | --discount N) --item SKU:QTY …`: new name, price
    /// and contents for later sales.
    EditGiftPack {
        sku: String,
        name: String,
        pricing: PackPricing,
        items: Vec<(String, Decimal)>,
    },
    /// `pack deactivate SKU`, `pack activate SKU`.
    SetGiftPackActive {
        sku: String,
        active: bool,
    },
    /// `packs`: the gift-pack templates with their barcodes, inactive ones marked.
    ListGiftPacks,
    /// `staff add --name … --role cashier|manager --pin …`.
    AddStaff {
        name: String,
        role: String,
        pin: String,
    },
    /// `staff`: who may sign in.
    ListStaff,
    Help,
}

pub const USAGE: &str = "\
OCOP POS — bán hàng cho điểm giới thiệu sản phẩm OCOP / point of sale for OCOP showrooms

Usage:
  ocop-pos [--data-dir DIR] [--no-demo]
      Open the checkout window. A new data folder gets the demo store unless --no-demo.
  ocop-pos [--data-dir DIR] receipt reprint NUMBER [--pdf FILE]
      Write a copy (marked BẢN SAO) of receipt NUMBER, e.g. 2026-000001.
  ocop-pos [--data-dir DIR] settings
      Show the shop's settings (name, address, tax code, VietQR account, printer…).
  ocop-pos [--data-dir DIR] settings set KEY VALUE
      Change one setting, e.g. settings set print_command \"lp -d XP80\".
      KEY is one of: shop_name address tax_code phone bank_bin bank_account
      bank_account_name receipt_footer print_command
      idle_lock_minutes (PIN pad after that long idle; 0 never) discount_limit_pct (a larger
      discount needs a manager)
      session_policy (require: sell only in an open cash session; auto: open one at the first sale)
      negative_stock (warn: a sale may take stock below zero; block: such a sale is refused)
      backup_keep (backups kept per folder) backup_second_dir (USB stick or share).
      Cash-register invoices (fill in before selling for real; until then receipts say that
      invoices are not registered): invoice_seller_name invoice_seller_address
      invoice_seller_tax_code invoice_vat_method (credit: VAT invoice, template 1; direct:
      sales invoice, template 2) invoice_store_code invoice_store_name invoice_registration
      (C: with the tax authority's code; K: without) invoice_series_letters (2 letters, one
      pair per counter) invoice_authority_code (the 5 characters the tax authority gave)
      invoice_xml_version (default 2.1.0) invoice_lookup_url.
  ocop-pos [--data-dir DIR] backup [--to FOLDER]
      Take a verified backup now into DIR/backups and the second folder (and FOLDER).
      Works while the window is open.
  ocop-pos [--data-dir DIR] backups
      List the backups: time, size, number of sales, last receipt number.
  ocop-pos [--data-dir DIR] restore FILE
      Replace the data with backup FILE; the current data is moved to
      DIR/backups/replaced-….sqlite3. Close the window first.
  ocop-pos [--data-dir DIR] producers
      The producers with their numbers (for report producer), consignment and commission.
  ocop-pos [--data-dir DIR] products import FILE [--dry-run]
  ocop-pos [--data-dir DIR] producers import FILE [--dry-run]
      Import a UTF-8 CSV (as export writes it) all or nothing: every bad line is named and
      nothing is imported until all are good. --dry-run shows what would be created (+) or
      changed (~). A product's producer must exist: import producers first.
  ocop-pos [--data-dir DIR] products export FILE
  ocop-pos [--data-dir DIR] producers export FILE
      Write every product, inactive ones marked (or the producers), as CSV with BOM, for Excel
      and re-import.
  ocop-pos [--data-dir DIR] pack add --sku GP003 --name NAME (--price N | --discount N) --item SKU:QTY …
      A gift-pack template: a fixed price, or its contents' shelf prices less a discount.
      Packaging (basket, box) is an ordinary product item. It gets its own barcode.
  ocop-pos [--data-dir DIR] pack edit SKU --name NAME (--price N | --discount N) --item SKU:QTY …
      Change a template's name, price and contents; its SKU and barcode stay. Sales already
      made keep what they sold.
  ocop-pos [--data-dir DIR] pack deactivate SKU
  ocop-pos [--data-dir DIR] pack activate SKU
      Take a template off sale (it no longer scans) or put it back.
  ocop-pos [--data-dir DIR] packs
      The gift-pack templates with their barcodes and prices; inactive ones are marked.
  ocop-pos [--data-dir DIR] staff add --name NAME --role cashier|manager --pin PIN
      Add someone who may sign in (the PIN, 4–8 digits, is kept only as a salted hash).
  ocop-pos [--data-dir DIR] staff
      Who may sign in, managers first.
  ocop-pos [--data-dir DIR] buyer add --tax-code MST --name NAME --address ADDR [--email E] [--contact C]
      Add a company buyer (or update the one with that tax code).
  ocop-pos [--data-dir DIR] buyers [QUERY]
      The buyers whose name or tax code contains QUERY.
  ocop-pos [--data-dir DIR] invoice show NUMBER --pdf FILE [--xml FILE]
      A copy of an invoice on A4, marked BẢN SAO (NUMBER: 1C26MAA-00000012, C26MAA-12, its
      tax-authority code, or an older C26TAA-00000012); --xml also writes its XML as stored.
  ocop-pos [--data-dir DIR] invoice replace NUMBER --reason TEXT [--agreement REF] BUYER [--pdf FILE]
      Correct an invoice's buyer. BUYER is --tax-code MST [--name N --address A --email E
      --contact C] (a company; the buyer records fill in the rest), --cccd N or --phone P
      [--name N] (a person), --passport P --name N (a foreigner), or --consumer. A wrong name
      or address under the right tax code records a 04/SS-HĐĐT notice, no new invoice;
      otherwise a replacement invoice with the next number refers to the old one. With a
      company buyer --agreement (the written agreement's reference) is required.
  ocop-pos [--data-dir DIR] invoice adjust NUMBER --item LINE:QTY … --reason TEXT [--method cash|transfer|card] [--no-restock]
      Goods given back: refunds QTY of invoice line LINE (1, 2…) and makes the adjustment
      invoice (negative lines) referring to NUMBER. Never more than was sold.
  ocop-pos [--data-dir DIR] report day --date YYYY-MM-DD [--pdf FILE] [--csv FILE]
      The day's figures; --pdf writes the A4 day report, --csv the day's sale lines.
  ocop-pos [--data-dir DIR] report producer --producer ID --from D --to D [--pdf FILE] [--csv FILE]
      What was sold of a producer's goods, the commission and the amount payable.

The data folder is --data-dir, else $OCOP_POS_DATA_DIR, else the user data folder
(~/.local/share/ocop-pos on Linux).";

/// `KG001:2` → the SKU and the quantity per pack (1 when left out).
fn pack_item(text: &str) -> Result<(String, Decimal), String> {
    let (sku, quantity) = text.split_once(':').unwrap_or((text, "1"));
    let quantity = crate::core::cart::parse_quantity(quantity)
        .map_err(|_| format!("--item {text}: the quantity is not a number"))?;
    Ok((sku.trim().to_string(), quantity))
}

/// `--price N` (a fixed price) or `--discount N` (off the contents' shelf prices), not both.
fn pack_pricing(
    text: &std::collections::BTreeMap<String, String>,
    command: &str,
) -> Result<PackPricing, String> {
    let amount = |key: &str| -> Result<Option<Money>, String> {
        text.get(key)
            .map(|value| parse_amount(value).map_err(|_| format!("--{key} {value}: not an amount")))
            .transpose()
    };
    match (amount("price")?, amount("discount")?) {
        (Some(price), None) => Ok(PackPricing::Fixed(price)),
        (None, Some(discount)) => Ok(PackPricing::LessThanContents(discount)),
        _ => Err(format!("{command} needs either --price or --discount")),
    }
}

/// The buyer an invoice correction names, from its options: a company by tax code, a person
/// by CCCD or phone, a foreigner by passport, or `--consumer`.
fn corrected_buyer(
    text: &mut std::collections::BTreeMap<String, String>,
    consumer: bool,
) -> Result<Option<InvoiceBuyer>, String> {
    let mut take = |key: &str| text.remove(key).unwrap_or_default();
    let (tax_code, id_number, phone, passport) = (
        take("tax-code"),
        take("cccd"),
        take("phone"),
        take("passport"),
    );
    let (name, address) = (take("name"), take("address"));
    Ok(if consumer {
        None
    } else if !tax_code.is_empty() {
        Some(InvoiceBuyer::Company(Buyer {
            id: 0,
            tax_code,
            name,
            address,
            email: take("email"),
            contact: take("contact"),
        }))
    } else if !passport.is_empty() {
        Some(InvoiceBuyer::Foreigner {
            name,
            passport,
            address,
        })
    } else if !id_number.is_empty() || !phone.is_empty() {
        Some(InvoiceBuyer::Person {
            name,
            id_number,
            phone,
            address,
        })
    } else {
        return Err(
            "invoice replace needs the buyer: --tax-code, --cccd, --phone, --passport or --consumer"
                .into(),
        );
    })
}

/// `settings set invoice_seller_name …`: the invoice registration's keys on the command line.
const INVOICE_KEY_PREFIX: &str = "invoice_";

/// Reads the command line (without the program name).
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<(Config, Invocation), String> {
    let mut data_dir = None;
    let mut seed_demo = true;
    let mut dry_run = false;
    let mut consumer = false;
    let mut restock = true;
    let mut xml = None;
    let mut pdf = None;
    let mut to = None;
    let mut csv = None;
    let mut date = None;
    let mut from = None;
    let mut producer = None;
    // Text options of the invoice and buyer commands, taken as they are.
    let mut text = std::collections::BTreeMap::new();
    let mut items = Vec::new();
    let mut words = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--data-dir" => {
                data_dir = Some(PathBuf::from(
                    args.next().ok_or("--data-dir needs a folder")?,
                ))
            }
            "--no-demo" => seed_demo = false,
            "--consumer" => consumer = true,
            "--no-restock" => restock = false,
            "--xml" => xml = Some(PathBuf::from(args.next().ok_or("--xml needs a file name")?)),
            "--dry-run" => dry_run = true,
            "--pdf" => pdf = Some(PathBuf::from(args.next().ok_or("--pdf needs a file name")?)),
            "--to" => {
                to = Some(PathBuf::from(
                    args.next().ok_or("--to needs a folder or a date")?,
                ))
            }
            "--csv" => csv = Some(PathBuf::from(args.next().ok_or("--csv needs a file name")?)),
            "--date" => {
                date = Some(report::parse_date(
                    &args.next().ok_or("--date needs a date")?,
                )?)
            }
            "--from" => {
                from = Some(report::parse_date(
                    &args.next().ok_or("--from needs a date")?,
                )?)
            }
            "--producer" => {
                let id = args.next().ok_or("--producer needs a number")?;
                producer = Some(
                    id.parse::<i64>()
                        .map_err(|_| format!("--producer {id}: not a number"))?,
                );
            }
            "--item" => {
                let item = args.next().ok_or("--item needs SKU:QUANTITY")?;
                items.push(pack_item(&item)?);
            }
            "--sale" | "--buyer" | "--reason" | "--tax-code" | "--name" | "--address"
            | "--email" | "--contact" | "--sku" | "--price" | "--discount" | "--role" | "--pin"
            | "--agreement" | "--cccd" | "--phone" | "--passport" | "--method" => {
                let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
                text.insert(arg.trim_start_matches('-').to_string(), value);
            }
            "-h" | "--help" => return Ok((Config::new(data_dir, seed_demo), Invocation::Help)),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => words.push(arg),
        }
    }
    let invocation = match words
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => Invocation::Window,
        ["receipt", "reprint", number] => Invocation::ReprintReceipt {
            receipt_no: number.to_string(),
            pdf,
        },
        ["settings"] => Invocation::ShowSettings,
        ["settings", "set", key, value] => Invocation::SetSetting {
            key: key.to_string(),
            value: value.to_string(),
        },
        ["backup"] => Invocation::Backup { to },
        ["backups"] => Invocation::ListBackups,
        ["restore", file] => Invocation::Restore {
            file: PathBuf::from(file),
        },
        ["producers"] => Invocation::ListProducers,
        [
            noun @ ("products" | "producers"),
            verb @ ("import" | "export"),
            file,
        ] => {
            let catalogue = if *noun == "products" {
                Catalogue::Products
            } else {
                Catalogue::Producers
            };
            let file = PathBuf::from(file);
            if *verb == "import" {
                Invocation::ImportCatalogue {
                    catalogue,
                    file,
                    dry_run,
                }
            } else {
                Invocation::ExportCatalogue { catalogue, file }
            }
        }
        ["report", "day"] => Invocation::ReportDay {
            date: date.ok_or("report day needs --date YYYY-MM-DD")?,
            pdf,
            csv,
        },
        ["report", "producer"] => {
            let to = to
                .as_deref()
                .and_then(Path::to_str)
                .ok_or("report producer needs --to YYYY-MM-DD")?;
            Invocation::ReportProducer {
                producer: producer.ok_or("report producer needs --producer ID")?,
                period: Period {
                    from: from.ok_or("report producer needs --from YYYY-MM-DD")?,
                    to: report::parse_date(to)?,
                },
                pdf,
                csv,
            }
        }
        ["invoice", "show", reference] => Invocation::ShowInvoice {
            reference: reference.to_string(),
            pdf: pdf.ok_or("invoice show needs --pdf FILE")?,
            xml,
        },
        ["invoice", "replace", reference] => Invocation::ReplaceInvoice {
            reference: reference.to_string(),
            request: BuyerCorrectionRequest {
                buyer: corrected_buyer(&mut text, consumer)?,
                reason: text
                    .remove("reason")
                    .ok_or("invoice replace needs --reason TEXT")?,
                agreement: text.remove("agreement").unwrap_or_default(),
                by: "manager".into(),
            },
            pdf,
        },
        ["invoice", "adjust", reference] => Invocation::AdjustInvoice {
            reference: reference.to_string(),
            reason: text
                .remove("reason")
                .ok_or("invoice adjust needs --reason TEXT")?,
            method: match text.remove("method") {
                None => PaymentMethod::Cash,
                Some(code) => {
                    PaymentMethod::from_code(&code).ok_or("--method is cash, transfer or card")?
                }
            },
            restock,
            items: if items.is_empty() {
                return Err("invoice adjust needs --item LINE:QUANTITY".into());
            } else {
                items
            },
        },
        ["buyer", "add"] => Invocation::AddBuyer(Buyer {
            id: 0,
            tax_code: text
                .remove("tax-code")
                .ok_or("buyer add needs --tax-code")?,
            name: text.remove("name").ok_or("buyer add needs --name")?,
            address: text.remove("address").ok_or("buyer add needs --address")?,
            email: text.remove("email").unwrap_or_default(),
            contact: text.remove("contact").unwrap_or_default(),
        }),
        ["pack", "add"] => Invocation::AddGiftPack {
            pricing: pack_pricing(&text, "pack add")?,
            sku: text.remove("sku").ok_or("pack add needs --sku")?,
            name: text.remove("name").ok_or("pack add needs --name")?,
            items,
        },
        ["pack", "edit", sku] => Invocation::EditGiftPack {
            pricing: pack_pricing(&text, "pack edit")?,
            sku: sku.to_string(),
            name: text.remove("name").ok_or("pack edit needs --name")?,
            items,
        },
        ["pack", verb @ ("activate" | "deactivate"), sku] => Invocation::SetGiftPackActive {
            sku: sku.to_string(),
            active: *verb == "activate",
        },
        ["packs"] => Invocation::ListGiftPacks,
        ["staff", "add"] => Invocation::AddStaff {
            name: text.remove("name").ok_or("staff add needs --name")?,
            role: text
                .remove("role")
                .ok_or("staff add needs --role cashier|manager")?,
            pin: text.remove("pin").ok_or("staff add needs --pin")?,
        },
        ["staff"] => Invocation::ListStaff,
        ["buyers"] => Invocation::ListBuyers {
            query: String::new(),
        },
        ["buyers", query] => Invocation::ListBuyers {
            query: query.to_string(),
        },
        _ => return Err(format!("unknown command: {}", words.join(" "))),
    };
    Ok((Config::new(data_dir, seed_demo), invocation))
}

/// Writes a copy of a past receipt; returns where it went.
pub fn reprint_receipt(
    config: &Config,
    receipt_no: &str,
    pdf: Option<PathBuf>,
) -> Result<PathBuf, String> {
    let store = config.open_store().map_err(|e| e.to_string())?;
    let sale = store
        .sale_by_receipt_no(receipt_no)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!("Không có hóa đơn số {receipt_no} / there is no receipt {receipt_no}")
        })?;
    let shop = store.shop_settings().map_err(|e| e.to_string())?;
    Document::Receipt {
        sale: Box::new(sale),
        copy: true,
    }
    .write(&config.data_dir, &shop, pdf.as_deref())
    .map_err(|e| e.to_string())
}

/// The settings as `key = value` lines, the cashier's name last.
pub fn show_settings(config: &Config) -> Result<String, String> {
    let store = config.open_store().map_err(|e| e.to_string())?;
    let shop = store.shop_settings().map_err(|e| e.to_string())?;
    let serde_json::Value::Object(fields) =
        serde_json::to_value(&shop).map_err(|e| e.to_string())?
    else {
        unreachable!("ShopSettings serialises as an object");
    };
    let mut out = String::new();
    for (key, value) in fields {
        out += &format!("{key} = {}\n", value.as_str().unwrap_or_default());
    }
    let lock = store.idle_lock_minutes().map_err(|e| e.to_string())?;
    out += &format!("idle_lock_minutes = {lock}\n");
    let limit = store.discount_limit_pct().map_err(|e| e.to_string())?;
    out += &format!("discount_limit_pct = {limit}\n");
    let policy = store
        .setting(SESSION_POLICY_SETTING)
        .map_err(|e| e.to_string())?;
    out += &format!(
        "session_policy = {}\n",
        policy.as_deref().unwrap_or(REQUIRE_OPEN_SESSION)
    );
    let stock = store
        .setting(NEGATIVE_STOCK_SETTING)
        .map_err(|e| e.to_string())?;
    out += &format!(
        "negative_stock = {}\n",
        stock.as_deref().unwrap_or(WARN_ON_NEGATIVE_STOCK)
    );
    let invoices = store.invoice_settings().map_err(|e| e.to_string())?;
    for field in InvoiceSettings::FIELDS {
        let value = invoices.field(field).unwrap_or_default();
        out += &format!("{INVOICE_KEY_PREFIX}{field} = {value}\n");
    }
    out += &format!(
        "{INVOICE_KEY_PREFIX}status = {}\n",
        both_languages(&Notice::InvoiceRegistration(invoices.status())).replace('\n', " / ")
    );
    let backups = store.backup_policy().map_err(|e| e.to_string())?;
    out += &format!("backup_keep = {}\n", backups.keep);
    let second_dir = backups.second_dir.map(|dir| dir.display().to_string());
    out += &format!("backup_second_dir = {}\n", second_dir.unwrap_or_default());
    Ok(out)
}

/// Changes one setting after checking it. Refused while the window is open: it would not see
/// the change, and could overwrite it.
pub fn set_setting(config: &Config, key: &str, value: &str) -> Result<(), String> {
    let _lock = DataLock::acquire(&config.data_dir).map_err(lock_refusal)?;
    let mut store = config.open_store().map_err(|e| e.to_string())?;
    if let Some(field) = key.strip_prefix("backup_") {
        return set_backup_setting(&store, field, value);
    }
    if let Some(field) = key.strip_prefix(INVOICE_KEY_PREFIX) {
        let changed = store
            .invoice_settings()
            .map_err(|e| e.to_string())?
            .with_field(field, value)
            .map_err(|e| e.to_string())?;
        return store
            .save_invoice_settings(&changed)
            .map_err(|e| e.to_string());
    }
    let staff_setting = match key {
        "idle_lock_minutes" => Some(IDLE_LOCK_SETTING),
        "discount_limit_pct" => Some(DISCOUNT_LIMIT_SETTING),
        _ => None,
    };
    if let Some(setting) = staff_setting {
        let number: Decimal = value
            .trim()
            .parse()
            .ok()
            .filter(|n: &Decimal| *n >= Decimal::ZERO)
            .ok_or_else(|| format!("{key}: cần một số không âm / needs a number, 0 or more"))?;
        return store
            .set_setting(setting, &number.normalize().to_string())
            .map_err(|e| e.to_string());
    }
    if key == "session_policy" {
        let policy = value.trim();
        if policy != AUTO_OPEN_SESSIONS && policy != REQUIRE_OPEN_SESSION {
            return Err(format!(
                "session_policy là “{REQUIRE_OPEN_SESSION}” hoặc “{AUTO_OPEN_SESSIONS}” / is “{REQUIRE_OPEN_SESSION}” or “{AUTO_OPEN_SESSIONS}”"
            ));
        }
        return store
            .set_setting(SESSION_POLICY_SETTING, policy)
            .map_err(|e| e.to_string());
    }
    if key == "negative_stock" {
        let policy = value.trim();
        if policy != WARN_ON_NEGATIVE_STOCK && policy != BLOCK_NEGATIVE_STOCK {
            return Err(format!(
                "negative_stock là “{WARN_ON_NEGATIVE_STOCK}” hoặc “{BLOCK_NEGATIVE_STOCK}” / is “{WARN_ON_NEGATIVE_STOCK}” or “{BLOCK_NEGATIVE_STOCK}”"
            ));
        }
        return store
            .set_setting(NEGATIVE_STOCK_SETTING, policy)
            .map_err(|e| e.to_string());
    }
    let shop = store.shop_settings().map_err(|e| e.to_string())?;
    let changed = shop.with_field(key, value).map_err(|e| e.to_string())?;
    store
        .save_shop_settings(&changed)
        .map_err(|e| e.to_string())
}

fn set_backup_setting(store: &Store, field: &str, value: &str) -> Result<(), String> {
    let mut policy = store.backup_policy().map_err(|e| e.to_string())?;
    match field {
        "keep" => {
            policy.keep = parse_keep(value)
                .ok_or("backup_keep: một số nguyên từ 1 trở lên / a whole number from 1 up")?
        }
        "second_dir" => {
            let dir = value.trim();
            policy.second_dir = (!dir.is_empty()).then(|| PathBuf::from(dir));
        }
        _ => return Err(format!("unknown setting backup_{field}")),
    }
    store.save_backup_policy(&policy).map_err(|e| e.to_string())
}

/// A notice in Vietnamese, then in English: commands have no language switch.
pub(crate) fn both_languages(notice: &Notice) -> String {
    format!("{}\n{}", notice.text(Lang::Vi), notice.text(Lang::En))
}

pub(crate) fn lock_refusal(error: LockError) -> String {
    match error {
        LockError::InUse { holder } => both_languages(&Notice::DataInUse(holder)),
        LockError::Io(error) => error.to_string(),
    }
}

/// Takes a verified backup now, as the app does daily: into the data folder's `backups/`, the
/// second folder of the settings, and `to`. An online copy: the window may stay open.
pub fn back_up_by_hand(config: &Config, to: Option<&Path>) -> Result<String, String> {
    let policy = config
        .open_store()
        .and_then(|store| store.backup_policy())
        .map_err(|e| both_languages(&Notice::BackupFailed(e.to_string())))?;
    let report = back_up(&config.data_dir, &policy, to, Utc::now())
        .map_err(|e| both_languages(&Notice::BackupFailed(e.to_string())))?;
    let mut out = both_languages(&Notice::BackupTaken(
        report.backup.path.display().to_string(),
    ));
    for copy in &report.copies {
        out += &format!("\n+ {}", copy.display());
    }
    for removed in &report.removed {
        out += &format!("\n- {}", removed.display());
    }
    for (folder, error) in &report.warnings {
        out += "\n";
        out += &both_languages(&Notice::BackupWarning {
            folder: folder.display().to_string(),
            error: error.to_string(),
        });
    }
    Ok(out)
}

/// One line per backup, newest first: local time, size, sales, last receipt, file.
pub fn show_backups(config: &Config) -> Result<String, String> {
    let backups = list_backups(&backups_dir(&config.data_dir)).map_err(|e| e.to_string())?;
    let mut out = String::new();
    for backup in backups {
        let contents = match &backup.contents {
            Ok(contents) => format!(
                "{:>7} đơn/sales  {:<11}",
                contents.sales,
                contents.last_receipt_no.as_deref().unwrap_or("—")
            ),
            Err(error) => {
                both_languages(&Notice::BackupUnreadable(error.clone())).replace('\n', " / ")
            }
        };
        out += &format!(
            "{}  {:>12} B  {contents}  {}\n",
            crate::core::clock::format_local(backup.taken_at),
            backup.size,
            backup.path.display()
        );
    }
    Ok(out)
}

/// Replaces the data folder's database with a backup, keeping the current one aside. Refused
/// while the window (or another command) holds the folder.
pub fn restore(config: &Config, file: &Path) -> Result<String, String> {
    let lock = DataLock::acquire(&config.data_dir).map_err(lock_refusal)?;
    let report = restore_backup(&config.data_dir, file, &lock, Utc::now())
        .map_err(|e| both_languages(&Notice::RestoreFailed(e.to_string())))?;
    // Opening checks the file once more and brings an older backup to the current schema.
    Store::open_in(&config.data_dir).map_err(|e| e.to_string())?;
    Ok(both_languages(&Notice::Restored {
        backup: file.display().to_string(),
        set_aside: report.set_aside.map(|path| path.display().to_string()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn reads_window_and_reprint_invocations() {
        let (config, invocation) = parse_args(args("--data-dir /tmp/shop --no-demo")).unwrap();
        assert_eq!(invocation, Invocation::Window);
        assert_eq!(config.data_dir, PathBuf::from("/tmp/shop"));
        assert!(!config.seed_demo);
        let (_, invocation) = parse_args(args(
            "--data-dir /tmp/shop receipt reprint 2026-000001 --pdf /tmp/r.pdf",
        ))
        .unwrap();
        assert_eq!(
            invocation,
            Invocation::ReprintReceipt {
                receipt_no: "2026-000001".into(),
                pdf: Some(PathBuf::from("/tmp/r.pdf"))
            }
        );
        let (_, invocation) = parse_args(args("settings set phone 0909")).unwrap();
        assert_eq!(
            invocation,
            Invocation::SetSetting {
                key: "phone".into(),
                value: "0909".into()
            }
        );
        let (_, invocation) = parse_args(args("products import new.csv --dry-run")).unwrap();
        assert_eq!(
            invocation,
            Invocation::ImportCatalogue {
                catalogue: Catalogue::Products,
                file: PathBuf::from("new.csv"),
                dry_run: true
            }
        );
        let (_, invocation) = parse_args(args("producers export p.csv")).unwrap();
        assert_eq!(
            invocation,
            Invocation::ExportCatalogue {
                catalogue: Catalogue::Producers,
                file: PathBuf::from("p.csv")
            }
        );
        let (_, invocation) = parse_args(args(
            "pack edit GP003 --name Hộp --discount 10000 --item KG028:2 --item KG041",
        ))
        .unwrap();
        assert_eq!(
            invocation,
            Invocation::EditGiftPack {
                sku: "GP003".into(),
                name: "Hộp".into(),
                pricing: PackPricing::LessThanContents(Money(10_000)),
                items: vec![
                    ("KG028".into(), Decimal::from(2)),
                    ("KG041".into(), Decimal::ONE)
                ],
            }
        );
        let (_, invocation) = parse_args(args("pack deactivate GP003")).unwrap();
        assert_eq!(
            invocation,
            Invocation::SetGiftPackActive {
                sku: "GP003".into(),
                active: false
            }
        );
        assert!(parse_args(args("pack edit GP003 --name Hộp --item KG028")).is_err());
        assert!(parse_args(args("--bogus")).is_err());
        assert!(parse_args(args("sell everything")).is_err());
    }
}
