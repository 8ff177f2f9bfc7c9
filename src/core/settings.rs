//! The store's own details, printed on every receipt and used for VietQR.

use crate::core::delivery::{ProviderKind, SendSettingError, SendSettings};
use crate::core::einvoice::{InvoiceSettingError, InvoiceSettings};
use crate::core::money::{MAX_AMOUNT, parse_amount};
use crate::core::printer::{LabelSize, PrinterTarget};
use crate::core::vietqr::BankAccount;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShopSettings {
    pub shop_name: String,
    /// The street part: house number and street (may be empty). Older stores keep their whole
    /// address here, with the two fields below empty.
    pub address: String,
    /// Commune or ward (xã, phường, đặc khu): addresses have no district since 1 Jul 2025.
    pub commune: String,
    pub province: String,
    pub tax_code: String,
    pub phone: String,
    pub bank_bin: String,
    pub bank_account: String,
    pub bank_account_name: String,
    pub receipt_footer: String,
    /// The command a PDF is handed to (`lp`, `xdg-open`…); empty means the OS opener.
    pub print_command: String,
    /// Where receipts and slips print: `pdf` (to the print command, as A4 documents always
    /// go), `tcp://HOST:PORT`, `file:/dev/usb/lp0` or `spooler:NAME` (see [`PrinterTarget`]).
    pub printer: String,
    /// Dots across the thermal printer's head: 576 (80 mm paper) or 384 (58 mm).
    pub printer_dots: String,
    /// Where shelf labels print: `pdf` (an A4 sheet) or a label printer, as `printer`.
    pub label_printer: String,
    /// The label printer's labels, `WIDTHxHEIGHT` in millimetres.
    pub label_size: String,
}

impl ShopSettings {
    /// The demo showroom: a Farmers' Association OCOP shop in Rạch Giá, An Giang.
    pub fn demo() -> ShopSettings {
        ShopSettings {
            shop_name: "Điểm giới thiệu và bán sản phẩm OCOP - Hội Nông dân tỉnh An Giang".into(),
            address: "25 Nguyễn Trung Trực".into(),
            commune: "phường Rạch Giá".into(),
            province: "tỉnh An Giang".into(),
            tax_code: "1702345670".into(),
            phone: "0297 3862 555".into(),
            bank_bin: "970405".into(),
            bank_account: "7700201012345".into(),
            bank_account_name: "HOI NONG DAN TINH AN GIANG".into(),
            receipt_footer: "Cảm ơn quý khách! Hàng OCOP - tự hào đặc sản quê hương.".into(),
            ..ShopSettings::default()
        }
    }

    /// Dots across the receipt printer's head, as set (576 when unreadable).
    pub fn printer_dots(&self) -> u32 {
        match self.printer_dots.trim() {
            "384" => 384,
            _ => 576,
        }
    }

    /// The label printer's label size, as set (50 × 30 mm when unreadable).
    pub fn label_size(&self) -> LabelSize {
        LabelSize::parse(&self.label_size).unwrap_or(LabelSize::DEFAULT)
    }

    /// The address as printed: street, commune or ward, province, the parts that are set.
    pub fn full_address(&self) -> String {
        [&self.address, &self.commune, &self.province]
            .into_iter()
            .map(|part| part.trim())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The account transfers go to, when the store has set one up.
    pub fn bank_account(&self) -> Option<BankAccount> {
        (!self.bank_bin.trim().is_empty() && !self.bank_account.trim().is_empty()).then(|| {
            BankAccount {
                bin: self.bank_bin.trim().to_string(),
                account_number: self.bank_account.trim().to_string(),
                account_name: self.bank_account_name.trim().to_string(),
            }
        })
    }
}

impl Default for ShopSettings {
    fn default() -> ShopSettings {
        ShopSettings {
            shop_name: "Cửa hàng OCOP".into(),
            address: String::new(),
            commune: String::new(),
            province: String::new(),
            tax_code: String::new(),
            phone: String::new(),
            bank_bin: String::new(),
            bank_account: String::new(),
            bank_account_name: String::new(),
            receipt_footer: "Cảm ơn quý khách!".into(),
            print_command: String::new(),
            printer: "pdf".into(),
            printer_dots: "576".into(),
            label_printer: "pdf".into(),
            label_size: LabelSize::DEFAULT.to_string(),
        }
    }
}

/// Whether a store is the demo (made up products, staff with published PINs, a bank account
/// that is not the shop's) or the shop's own. Only a brand-new data folder opened by the
/// window without `--no-demo` becomes a demo; nothing ever adds demo data to a real store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    Demo,
    Real,
}

impl StoreKind {
    pub fn code(self) -> &'static str {
        match self {
            StoreKind::Demo => "demo",
            StoreKind::Real => "real",
        }
    }

    pub fn from_code(code: &str) -> Option<StoreKind> {
        [StoreKind::Demo, StoreKind::Real]
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

/// Why a setting was refused (the words are in i18n.rs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingError {
    UnknownKey(String),
    BadBankBin,
    BadTaxCode,
    /// Ten digits of the right shape whose last one is not the check digit of the nine before.
    TaxCodeCheckDigit,
    Required,
    TooLong(usize),
    BadPhone,
    BadBankAccount,
    /// An account number needs its bank's BIN and its holder's name, and the other way round.
    IncompleteBankAccount,
    /// A whole number, or a decimal for a percentage, within these bounds.
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// One of these codes.
    NotAChoice(&'static [&'static str]),
    /// A second backup folder is given as a full path.
    NotAbsolutePath,
    /// Not `pdf`, `tcp://HOST:PORT`, `file:PATH` or `spooler:NAME`.
    BadPrinter,
    /// Not `WIDTHxHEIGHT` in millimetres, each 30 to 100.
    BadLabelSize,
    Invoice(InvoiceSettingError),
    Send(SendSettingError),
}

/// The province hub's URL as the settings take it: `postgres://…` or `postgresql://…`
/// (trimmed), or empty for no hub.
pub fn check_hub_url(value: &str) -> Result<String, SettingError> {
    let url = value.trim();
    if url.is_empty() || url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(url.to_string())
    } else {
        Err(SettingError::NotAChoice(&[
            "postgres://…",
            "postgresql://…",
            "",
        ]))
    }
}

/// The hub's URL fit to print or audit: its password, if any, as `***`.
pub fn hub_url_shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.rsplit_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_string(),
    }
}

/// A tax code (MST): 10 digits, or 10 digits, a dash and 3 digits for a branch.
pub fn is_valid_tax_code(code: &str) -> bool {
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match code.split_once('-') {
        None => code.len() == 10 && all_digits(code),
        Some((head, branch)) => {
            head.len() == 10 && all_digits(head) && branch.len() == 3 && all_digits(branch)
        }
    }
}

/// The check digit of a tax code's first ten: each of the first nine digits weighted (31, 29,
/// 23, 19, 17, 13, 7, 5, 3), and 10 less the sum modulo 11. `None` when that is 10: no code
/// is issued with such a start.
pub fn tax_code_check_digit(first_nine: &[u8; 9]) -> Option<u8> {
    const WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];
    let sum: u32 = first_nine
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(*digit) * weight)
        .sum();
    let check = 10 - sum % 11;
    (check < 10).then_some(check as u8)
}

/// Why a tax code (MST) is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxCodeError {
    /// Not 10 digits, or 10 + "-" + 3 for a branch.
    Length,
    /// The tenth digit does not check the first nine: a digit was mistyped.
    CheckDigit,
}

/// A tax code in full: the shape of [`is_valid_tax_code`], and its tenth digit the check digit
/// of the nine before (a typo in one digit is caught).
pub fn check_tax_code(code: &str) -> Result<(), TaxCodeError> {
    if !is_valid_tax_code(code) {
        return Err(TaxCodeError::Length);
    }
    let digits: Vec<u8> = code.bytes().take(10).map(|b| b - b'0').collect();
    let first_nine: [u8; 9] = digits[..9].try_into().expect("ten digits");
    if tax_code_check_digit(&first_nine) == Some(digits[9]) {
        Ok(())
    } else {
        Err(TaxCodeError::CheckDigit)
    }
}

impl From<TaxCodeError> for SettingError {
    fn from(error: TaxCodeError) -> SettingError {
        match error {
            TaxCodeError::Length => SettingError::BadTaxCode,
            TaxCodeError::CheckDigit => SettingError::TaxCodeCheckDigit,
        }
    }
}

/// A Vietnamese phone number: 10 or 11 digits starting with 0 (or +84 for the 0), spaces, dots
/// and dashes allowed between.
fn is_valid_phone(phone: &str) -> bool {
    let compact: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let national = match compact.strip_prefix("+84") {
        Some(rest) => format!("0{rest}"),
        None => compact,
    };
    (10..=11).contains(&national.len())
        && national.starts_with('0')
        && national.bytes().all(|b| b.is_ascii_digit())
}

/// The choices of the negative-stock policy (`store::WARN_ON_NEGATIVE_STOCK`, `…BLOCK…`).
pub const NEGATIVE_STOCK_CHOICES: &[&str] = &["warn", "block"];
/// The choices of the cash-session policy (`store::REQUIRE_OPEN_SESSION`, `…AUTO…`).
pub const SESSION_POLICY_CHOICES: &[&str] = &["require", "auto"];
/// The receipt printer's width in dots: an 80 mm or a 58 mm roll.
pub const PRINTER_DOTS_CHOICES: &[&str] = &["576", "384"];

/// Every setting the Settings screen edits, in the order it shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Setting {
    ShopName,
    Address,
    Commune,
    Province,
    TaxCode,
    Phone,
    BankBin,
    BankAccount,
    BankAccountName,
    ReceiptFooter,
    PrintCommand,
    Printer,
    PrinterDots,
    LabelPrinter,
    LabelSize,
    DiscountLimitPct,
    /// The largest void (đồng) a cashier makes alone.
    VoidLimit,
    IdleLockMinutes,
    NegativeStock,
    SessionPolicy,
    BackupKeep,
    BackupSecondDir,
    /// A field of the cash-register invoice registration ([`InvoiceSettings::FIELDS`]).
    Invoice(&'static str),
    /// A field of how invoices are sent to the tax authority ([`SendSettings::FIELDS`]).
    Send(&'static str),
}

/// Whose a setting is when a store runs several counters (README "Several counters").
///
/// The rule: what the store is to its customers, the tax office and its staff is the
/// **store's** — written on the store's catalogue node only and carried to every other node by
/// sync: the shop's name, address, tax code, phone and bank account (receipts, VietQR), the
/// receipt footer, the taxpayer's invoice registration (seller, VAT method, the authority's
/// code, XML version, lookup address), the provider account invoices are sent under, and the
/// store's policies (discount and void limits, idle lock, negative stock, cash sessions).
/// What belongs to one machine is the **counter's own** and never travels: its printers and
/// their paper, its backups, its own series letters for cash-register invoices (each counter
/// registers its own), where it writes upload files, how long it waits for the provider on
/// its link, and every password (a secret never leaves the PC it was typed on). Settings kept
/// outside this list (node identity, hub URL, sync cursors, seen alerts, the window's
/// language) are the counter's own too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingScope {
    Store,
    Counter,
}

impl Setting {
    /// Whether the setting is the store's (it travels) or this counter's own.
    pub fn scope(self) -> SettingScope {
        match self {
            Setting::ShopName
            | Setting::Address
            | Setting::Commune
            | Setting::Province
            | Setting::TaxCode
            | Setting::Phone
            | Setting::BankBin
            | Setting::BankAccount
            | Setting::BankAccountName
            | Setting::ReceiptFooter
            | Setting::DiscountLimitPct
            | Setting::VoidLimit
            | Setting::IdleLockMinutes
            | Setting::NegativeStock
            | Setting::SessionPolicy => SettingScope::Store,
            Setting::PrintCommand
            | Setting::Printer
            | Setting::PrinterDots
            | Setting::LabelPrinter
            | Setting::LabelSize
            | Setting::BackupKeep
            | Setting::BackupSecondDir => SettingScope::Counter,
            Setting::Invoice("series_letters") => SettingScope::Counter,
            Setting::Invoice(_) => SettingScope::Store,
            Setting::Send(field)
                if SendSettings::is_secret(field)
                    || matches!(field, "export_dir" | "timeout_seconds") =>
            {
                SettingScope::Counter
            }
            Setting::Send(_) => SettingScope::Store,
        }
    }

    /// The fields of the cash-register invoice registration, in their order.
    pub const INVOICE: [Setting; 11] = [
        Setting::Invoice(InvoiceSettings::FIELDS[0]),
        Setting::Invoice(InvoiceSettings::FIELDS[1]),
        Setting::Invoice(InvoiceSettings::FIELDS[2]),
        Setting::Invoice(InvoiceSettings::FIELDS[3]),
        Setting::Invoice(InvoiceSettings::FIELDS[4]),
        Setting::Invoice(InvoiceSettings::FIELDS[5]),
        Setting::Invoice(InvoiceSettings::FIELDS[6]),
        Setting::Invoice(InvoiceSettings::FIELDS[7]),
        Setting::Invoice(InvoiceSettings::FIELDS[8]),
        Setting::Invoice(InvoiceSettings::FIELDS[9]),
        Setting::Invoice(InvoiceSettings::FIELDS[10]),
    ];

    /// The fields of how invoices are sent, in their order.
    pub const SEND: [Setting; 9] = [
        Setting::Send(SendSettings::FIELDS[0]),
        Setting::Send(SendSettings::FIELDS[1]),
        Setting::Send(SendSettings::FIELDS[2]),
        Setting::Send(SendSettings::FIELDS[3]),
        Setting::Send(SendSettings::FIELDS[4]),
        Setting::Send(SendSettings::FIELDS[5]),
        Setting::Send(SendSettings::FIELDS[6]),
        Setting::Send(SendSettings::FIELDS[7]),
        Setting::Send(SendSettings::FIELDS[8]),
    ];

    pub const ALL: [Setting; 42] = [
        Setting::ShopName,
        Setting::Address,
        Setting::Commune,
        Setting::Province,
        Setting::TaxCode,
        Setting::Phone,
        Setting::BankBin,
        Setting::BankAccount,
        Setting::BankAccountName,
        Setting::ReceiptFooter,
        Setting::PrintCommand,
        Setting::Printer,
        Setting::PrinterDots,
        Setting::LabelPrinter,
        Setting::LabelSize,
        Setting::DiscountLimitPct,
        Setting::VoidLimit,
        Setting::IdleLockMinutes,
        Setting::NegativeStock,
        Setting::SessionPolicy,
        Setting::BackupKeep,
        Setting::BackupSecondDir,
        Setting::INVOICE[0],
        Setting::INVOICE[1],
        Setting::INVOICE[2],
        Setting::INVOICE[3],
        Setting::INVOICE[4],
        Setting::INVOICE[5],
        Setting::INVOICE[6],
        Setting::INVOICE[7],
        Setting::INVOICE[8],
        Setting::INVOICE[9],
        Setting::INVOICE[10],
        Setting::SEND[0],
        Setting::SEND[1],
        Setting::SEND[2],
        Setting::SEND[3],
        Setting::SEND[4],
        Setting::SEND[5],
        Setting::SEND[6],
        Setting::SEND[7],
        Setting::SEND[8],
    ];

    /// The field of [`ShopSettings`] it is, for the shop's details.
    pub fn shop_field(self) -> Option<&'static str> {
        Some(match self {
            Setting::ShopName => "shop_name",
            Setting::Address => "address",
            Setting::Commune => "commune",
            Setting::Province => "province",
            Setting::TaxCode => "tax_code",
            Setting::Phone => "phone",
            Setting::BankBin => "bank_bin",
            Setting::BankAccount => "bank_account",
            Setting::BankAccountName => "bank_account_name",
            Setting::ReceiptFooter => "receipt_footer",
            Setting::PrintCommand => "print_command",
            Setting::Printer => "printer",
            Setting::PrinterDots => "printer_dots",
            Setting::LabelPrinter => "label_printer",
            Setting::LabelSize => "label_size",
            _ => return None,
        })
    }

    /// A password: never shown, logged or exported.
    pub fn is_secret(self) -> bool {
        matches!(self, Setting::Send(field) if SendSettings::is_secret(field))
    }

    /// The choices of a setting picked from a list.
    pub fn choices(self) -> Option<&'static [&'static str]> {
        match self {
            Setting::NegativeStock => Some(NEGATIVE_STOCK_CHOICES),
            Setting::SessionPolicy => Some(SESSION_POLICY_CHOICES),
            Setting::Send("provider") => Some(ProviderKind::CHOICES),
            Setting::PrinterDots => Some(PRINTER_DOTS_CHOICES),
            _ => None,
        }
    }

    /// The value as it is kept, or why it is refused: trimmed; the account holder in capitals
    /// without accents, as banks show it.
    pub fn check(self, value: &str) -> Result<String, SettingError> {
        let value = value.trim();
        let number_within = |min: i64, max: i64, decimals: bool| {
            let number: Option<rust_decimal::Decimal> = value.replace(',', ".").parse().ok();
            number
                .filter(|n| decimals || n.fract().is_zero())
                .filter(|n| *n >= min.into() && *n <= max.into())
                .map(|n| n.normalize().to_string())
                .ok_or(SettingError::OutOfRange { min, max })
        };
        let at_most = |max: usize| {
            if value.chars().count() > max {
                Err(SettingError::TooLong(max))
            } else {
                Ok(value.to_string())
            }
        };
        match self {
            Setting::ShopName if value.is_empty() => Err(SettingError::Required),
            Setting::ShopName => at_most(120),
            Setting::Address | Setting::Commune | Setting::Province => at_most(120),
            Setting::ReceiptFooter | Setting::PrintCommand => at_most(200),
            Setting::TaxCode if value.is_empty() => Ok(String::new()),
            Setting::TaxCode => check_tax_code(value)
                .map(|()| value.to_string())
                .map_err(SettingError::from),
            Setting::Phone if value.is_empty() || is_valid_phone(value) => Ok(value.to_string()),
            Setting::Phone => Err(SettingError::BadPhone),
            Setting::BankBin
                if value.is_empty()
                    || value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Ok(value.to_string())
            }
            Setting::BankBin => Err(SettingError::BadBankBin),
            Setting::BankAccount
                if value.len() <= 19 && value.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                Ok(value.to_ascii_uppercase())
            }
            Setting::BankAccount => Err(SettingError::BadBankAccount),
            Setting::BankAccountName => {
                let holder = crate::core::fold::fold(value).to_uppercase();
                if holder.chars().count() > 50 {
                    Err(SettingError::TooLong(50))
                } else {
                    Ok(holder.split_whitespace().collect::<Vec<_>>().join(" "))
                }
            }
            Setting::DiscountLimitPct => number_within(0, 100, true),
            Setting::VoidLimit => parse_amount(value)
                .map(|amount| amount.dong().to_string())
                .map_err(|_| SettingError::OutOfRange {
                    min: 0,
                    max: MAX_AMOUNT.dong(),
                }),
            // Checked as the registration checks it, and kept as it keeps it.
            Setting::Invoice(field) => InvoiceSettings::default()
                .with_field(field, value)
                .map(|settings| settings.field(field).unwrap_or_default())
                .map_err(SettingError::Invoice),
            Setting::Send(field) => SendSettings::default()
                .with_field(field, value)
                .map(|settings| settings.field(field).unwrap_or_default())
                .map_err(SettingError::Send),
            Setting::IdleLockMinutes => number_within(0, 240, false),
            Setting::BackupKeep => number_within(1, 3650, false),
            Setting::Printer | Setting::LabelPrinter => match PrinterTarget::parse(value) {
                Some(PrinterTarget::Pdf) => Ok("pdf".to_string()),
                Some(_) => Ok(value.to_string()),
                None => Err(SettingError::BadPrinter),
            },
            Setting::LabelSize => LabelSize::parse(value)
                .map(|size| size.to_string())
                .ok_or(SettingError::BadLabelSize),
            Setting::NegativeStock | Setting::SessionPolicy | Setting::PrinterDots => {
                let choices = self.choices().expect("a list setting");
                choices
                    .iter()
                    .find(|choice| **choice == value)
                    .map(|choice| choice.to_string())
                    .ok_or(SettingError::NotAChoice(choices))
            }
            Setting::BackupSecondDir
                if value.is_empty() || std::path::Path::new(value).is_absolute() =>
            {
                Ok(value.to_string())
            }
            Setting::BackupSecondDir => Err(SettingError::NotAbsolutePath),
        }
    }
}

/// Checks the settings of a form that differ from those in force (`current`; empty for a new
/// store, so everything is checked): each value on its own, then the bank account as a whole
/// when a part of it changed. A value left as it was is never refused, even one kept before
/// the rules were. Gives the changed values as they are kept, or every refusal.
pub fn check_changes(
    current: &BTreeMap<Setting, String>,
    form: &BTreeMap<Setting, String>,
) -> Result<BTreeMap<Setting, String>, Vec<(Setting, SettingError)>> {
    let mut checked = BTreeMap::new();
    let mut refused = Vec::new();
    for (setting, value) in form {
        if current.get(setting) == Some(value) {
            continue;
        }
        match setting.check(value) {
            Ok(value) => {
                checked.insert(*setting, value);
            }
            Err(error) => refused.push((*setting, error)),
        }
    }
    const BANK: [Setting; 3] = [
        Setting::BankBin,
        Setting::BankAccount,
        Setting::BankAccountName,
    ];
    let touched = BANK.iter().any(|s| checked.contains_key(s));
    let all_right = BANK.iter().all(|s| !refused.iter().any(|(r, _)| r == s));
    let given = BANK
        .iter()
        .filter(|s| {
            checked
                .get(s)
                .or_else(|| current.get(s))
                .is_some_and(|v| !v.is_empty())
        })
        .count();
    if touched && all_right && given != 0 && given != BANK.len() {
        refused.push((Setting::BankAccount, SettingError::IncompleteBankAccount));
    }
    if refused.is_empty() {
        Ok(checked)
    } else {
        Err(refused)
    }
}

impl ShopSettings {
    /// The names `ocop-pos settings set` accepts.
    pub const KEYS: [&'static str; 15] = [
        "shop_name",
        "address",
        "commune",
        "province",
        "tax_code",
        "phone",
        "bank_bin",
        "bank_account",
        "bank_account_name",
        "receipt_footer",
        "print_command",
        "printer",
        "printer_dots",
        "label_printer",
        "label_size",
    ];

    /// A copy with one field changed, checked.
    pub fn with_field(&self, key: &str, value: &str) -> Result<ShopSettings, SettingError> {
        let value = value.trim();
        match key {
            "bank_bin"
                if !(value.is_empty()
                    || value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit())) =>
            {
                return Err(SettingError::BadBankBin);
            }
            "tax_code" if !value.is_empty() => check_tax_code(value)?,
            "printer" | "label_printer" if PrinterTarget::parse(value).is_none() => {
                return Err(SettingError::BadPrinter);
            }
            "label_size" if LabelSize::parse(value).is_none() => {
                return Err(SettingError::BadLabelSize);
            }
            "printer_dots" if !PRINTER_DOTS_CHOICES.contains(&value) => {
                return Err(SettingError::NotAChoice(PRINTER_DOTS_CHOICES));
            }
            _ if !ShopSettings::KEYS.contains(&key) => {
                return Err(SettingError::UnknownKey(key.to_string()));
            }
            _ => {}
        }
        let mut fields = match serde_json::to_value(self).expect("settings serialise") {
            serde_json::Value::Object(fields) => fields,
            _ => unreachable!("ShopSettings serialises as an object"),
        };
        fields.insert(
            key.to_string(),
            serde_json::Value::String(value.to_string()),
        );
        Ok(serde_json::from_value(serde_json::Value::Object(fields)).expect("same shape"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_url_is_postgres_or_nothing_and_never_shows_its_password() {
        assert_eq!(
            check_hub_url(" postgres://hub@10.0.0.5/province "),
            Ok("postgres://hub@10.0.0.5/province".into())
        );
        assert_eq!(check_hub_url(""), Ok(String::new()));
        assert!(check_hub_url("http://10.0.0.5").is_err());
        assert_eq!(
            hub_url_shown("postgres://hub:s3cret@10.0.0.5:5432/province"),
            "postgres://hub:***@10.0.0.5:5432/province"
        );
        assert_eq!(
            hub_url_shown("postgres://hub@10.0.0.5/province"),
            "postgres://hub@10.0.0.5/province"
        );
    }

    #[test]
    fn the_store_s_details_travel_and_the_counter_s_own_stay() {
        let store: Vec<Setting> = Setting::ALL
            .into_iter()
            .filter(|setting| setting.scope() == SettingScope::Store)
            .collect();
        for setting in [
            Setting::ShopName,
            Setting::TaxCode,
            Setting::BankAccount,
            Setting::ReceiptFooter,
            Setting::SessionPolicy,
            Setting::DiscountLimitPct,
            Setting::Invoice("seller_tax_code"),
            Setting::Invoice("authority_code"),
            Setting::Send("account"),
        ] {
            assert!(store.contains(&setting), "{setting:?} is the store's");
        }
        for setting in [
            Setting::Printer,
            Setting::LabelSize,
            Setting::BackupSecondDir,
            Setting::Invoice("series_letters"),
            Setting::Send("export_dir"),
        ] {
            assert_eq!(setting.scope(), SettingScope::Counter, "{setting:?}");
        }
        // A password never leaves the PC it was typed on.
        for setting in Setting::ALL.into_iter().filter(|s| s.is_secret()) {
            assert_eq!(setting.scope(), SettingScope::Counter, "{setting:?}");
        }
        // Every shop detail printed on a receipt is the store's, every printer the counter's.
        for setting in Setting::ALL {
            if let Some(field) = setting.shop_field() {
                let hardware = field.contains("print") || field.starts_with("label");
                assert_eq!(
                    setting.scope() == SettingScope::Counter,
                    hardware,
                    "{field}"
                );
            }
        }
    }

    #[test]
    fn tax_codes() {
        assert!(is_valid_tax_code("1702345678"));
        assert!(is_valid_tax_code("1702345678-001"));
        assert!(!is_valid_tax_code("170234567"));
        assert!(!is_valid_tax_code("1702345678-01"));
        assert!(!is_valid_tax_code("17023456x8"));
    }

    #[test]
    fn the_shop_tax_code_carries_its_check_digit() {
        // Published codes: Vietcombank, Viettel, and a branch of the first.
        assert_eq!(check_tax_code("0100112437"), Ok(()));
        assert_eq!(check_tax_code("0100109106"), Ok(()));
        assert_eq!(check_tax_code("0100112437-001"), Ok(()));
        assert_eq!(check_tax_code(&ShopSettings::demo().tax_code), Ok(()));
        assert_eq!(check_tax_code("0100112438"), Err(TaxCodeError::CheckDigit));
        // Two digits swapped.
        assert_eq!(check_tax_code("0100114237"), Err(TaxCodeError::CheckDigit));
        assert_eq!(check_tax_code("010011243"), Err(TaxCodeError::Length));
    }

    #[test]
    fn each_setting_is_checked_and_kept_tidy() {
        assert_eq!(Setting::ShopName.check("  "), Err(SettingError::Required));
        assert_eq!(
            Setting::Phone.check("0297 3862 555").as_deref(),
            Ok("0297 3862 555")
        );
        assert_eq!(
            Setting::Phone.check("+84 909 111 222").as_deref(),
            Ok("+84 909 111 222")
        );
        assert_eq!(Setting::Phone.check("12345"), Err(SettingError::BadPhone));
        assert_eq!(
            Setting::BankAccountName
                .check(" Hội Nông  dân tỉnh An Giang ")
                .as_deref(),
            Ok("HOI NONG DAN TINH AN GIANG")
        );
        assert_eq!(
            Setting::BankAccount.check("7700 2010"),
            Err(SettingError::BadBankAccount)
        );
        assert_eq!(
            Setting::DiscountLimitPct.check("12,5").as_deref(),
            Ok("12.5")
        );
        assert_eq!(
            Setting::DiscountLimitPct.check("150"),
            Err(SettingError::OutOfRange { min: 0, max: 100 })
        );
        assert_eq!(
            Setting::IdleLockMinutes.check("2.5"),
            Err(SettingError::OutOfRange { min: 0, max: 240 })
        );
        assert_eq!(
            Setting::BackupKeep.check("0"),
            Err(SettingError::OutOfRange { min: 1, max: 3650 })
        );
        assert_eq!(Setting::SessionPolicy.check("auto").as_deref(), Ok("auto"));
        assert_eq!(
            Setting::NegativeStock.check("maybe"),
            Err(SettingError::NotAChoice(NEGATIVE_STOCK_CHOICES))
        );
        assert_eq!(
            Setting::BackupSecondDir.check("usb"),
            Err(SettingError::NotAbsolutePath)
        );
    }

    #[test]
    fn a_bank_account_comes_whole() {
        let form = |bin: &str, account: &str, holder: &str| -> BTreeMap<_, _> {
            [
                (Setting::BankBin, bin.to_string()),
                (Setting::BankAccount, account.to_string()),
                (Setting::BankAccountName, holder.to_string()),
            ]
            .into_iter()
            .collect()
        };
        let new = BTreeMap::new();
        assert!(check_changes(&new, &form("", "", "")).is_ok());
        assert!(check_changes(&new, &form("970405", "7700201012345", "Hội Nông dân")).is_ok());
        assert_eq!(
            check_changes(&new, &form("970405", "", "")),
            Err(vec![(
                Setting::BankAccount,
                SettingError::IncompleteBankAccount
            )])
        );
        assert_eq!(
            check_changes(&new, &form("9704", "123", "")),
            Err(vec![(Setting::BankBin, SettingError::BadBankBin)])
        );
        // A new account number alone, with the BIN and holder in force, is whole.
        let current = form("970405", "7700201012345", "HOI NONG DAN");
        let mut changed = current.clone();
        changed.insert(Setting::BankAccount, "7700201099999".into());
        assert_eq!(
            check_changes(&current, &changed),
            Ok([(Setting::BankAccount, "7700201099999".to_string())].into())
        );
        changed.insert(Setting::BankBin, String::new());
        assert!(check_changes(&current, &changed).is_err());
    }

    #[test]
    fn a_value_kept_before_the_rules_is_not_refused_until_it_changes() {
        let current: BTreeMap<_, _> = [
            (Setting::TaxCode, "1702345678".to_string()),
            (Setting::Phone, String::new()),
        ]
        .into();
        let mut form = current.clone();
        form.insert(Setting::Phone, "0297 3862 555".into());
        assert_eq!(
            check_changes(&current, &form),
            Ok([(Setting::Phone, "0297 3862 555".to_string())].into())
        );
        form.insert(Setting::TaxCode, "1702345679".into());
        assert_eq!(
            check_changes(&current, &form),
            Err(vec![(Setting::TaxCode, SettingError::TaxCodeCheckDigit)])
        );
    }

    #[test]
    fn the_address_prints_the_parts_that_are_set() {
        assert_eq!(
            ShopSettings::demo().full_address(),
            "25 Nguyễn Trung Trực, phường Rạch Giá, tỉnh An Giang"
        );
        let older = ShopSettings {
            address: "12 Lê Lợi, phường Rạch Giá, tỉnh An Giang".into(),
            ..ShopSettings::default()
        };
        assert_eq!(older.full_address(), older.address);
    }

    #[test]
    fn fields_change_one_at_a_time_and_are_checked() {
        let demo = ShopSettings::demo();
        let changed = demo.with_field("phone", " 0909 111 222 ").unwrap();
        assert_eq!(changed.phone, "0909 111 222");
        assert_eq!(changed.shop_name, demo.shop_name);
        assert_eq!(
            demo.with_field("bank_bin", "97040"),
            Err(SettingError::BadBankBin)
        );
        assert_eq!(
            demo.with_field("tax_code", "123"),
            Err(SettingError::BadTaxCode)
        );
        assert_eq!(
            demo.with_field("tax_code", "1702345678"),
            Err(SettingError::TaxCodeCheckDigit)
        );
        assert!(matches!(
            demo.with_field("colour", "red"),
            Err(SettingError::UnknownKey(_))
        ));
        assert_eq!(
            demo.with_field("print_command", "lp -d XP80")
                .unwrap()
                .print_command,
            "lp -d XP80"
        );
    }
}
