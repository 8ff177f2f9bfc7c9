//! Cash-register e-invoices (hóa đơn điện tử khởi tạo từ máy tính tiền): what the shop
//! registered, the buyer a customer may ask for, the invoice of a sale, its corrections and
//! its XML. Every sale of a registered shop is one of these invoices (Decree 254/2026).

use crate::core::cart::allocate;
use crate::core::clock::{SHOP_TIME_ZONE, local_date};
use crate::core::invoice::Buyer;
use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use crate::core::sale::SaleDraft;
use crate::core::settings::{TaxCodeError, check_tax_code};
use crate::core::vat::{VatBucket, VatRate};
use crate::core::words::amount_in_words;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt::{self, Write as _};
use std::ops::RangeInclusive;

/// What a consumer who gave no details is written as (Decree 254, appendix).
pub const CONSUMER: &str = "Bán cho người tiêu dùng";
/// The XML format of real 2026 invoices; a setting, since the tax authority publishes newer ones.
pub const DEFAULT_XML_VERSION: &str = "2.1.0";
/// Unit prices are written to this many decimals, as the format's sample does.
const PRICE_DECIMALS: u32 = 6;

/// How the seller pays VAT, which decides the invoice's template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VatMethod {
    /// Khấu trừ: template 1, "Hóa đơn giá trị gia tăng", prices before VAT and VAT per rate.
    Credit,
    /// Trực tiếp: template 2, "Hóa đơn bán hàng", prices as paid.
    Direct,
}

impl VatMethod {
    pub fn template(self) -> u8 {
        match self {
            VatMethod::Credit => 1,
            VatMethod::Direct => 2,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            VatMethod::Credit => "credit",
            VatMethod::Direct => "direct",
        }
    }

    fn from_code(code: &str) -> Option<VatMethod> {
        [VatMethod::Credit, VatMethod::Direct]
            .into_iter()
            .find(|method| method.code().eq_ignore_ascii_case(code))
    }
}

/// Registered with the tax authority's code (series `C…M…`, each invoice carries an MCCQT the
/// till makes) or without it (series `K…M…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Registration {
    WithCode,
    WithoutCode,
}

impl Registration {
    pub fn letter(self) -> char {
        match self {
            Registration::WithCode => 'C',
            Registration::WithoutCode => 'K',
        }
    }
}

/// The printed title of a template.
pub fn title(template: u8) -> &'static str {
    if template == 1 {
        "HÓA ĐƠN GIÁ TRỊ GIA TĂNG"
    } else {
        "HÓA ĐƠN BÁN HÀNG"
    }
}

/// The title as the XML writes it.
fn xml_title(template: u8) -> &'static str {
    if template == 1 {
        "Hóa đơn giá trị gia tăng"
    } else {
        "Hóa đơn bán hàng"
    }
}

/// What the shop registered for cash-register invoices, and the seller they name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceSettings {
    /// The seller's legal name, as registered for tax.
    pub seller_name: String,
    pub seller_address: String,
    pub seller_tax_code: String,
    pub vat_method: VatMethod,
    /// The store (cửa hàng) the counter belongs to: MCHang and TCHang in the XML.
    pub store_code: String,
    pub store_name: String,
    pub registration: Registration,
    /// The two letters that end this counter's series (`AA` in `C26MAA`): a second counter
    /// registers its own.
    pub series_letters: String,
    /// The five characters the tax authority gave the shop for its MCCQT codes.
    pub authority_code: String,
    pub xml_version: String,
    /// Where a buyer looks the invoice up, printed under the QR code.
    pub lookup_url: String,
}

/// The demo's registration: complete, so the demo sells real-looking invoices, and recognised
/// by its tax code and tax-authority code so every document says it is a demo.
const DEMO_TAX_CODE: &str = "1702345670";
const DEMO_AUTHORITY_CODE: &str = "DEMO0";

impl Default for InvoiceSettings {
    /// A store that has registered nothing yet.
    fn default() -> InvoiceSettings {
        InvoiceSettings {
            seller_name: String::new(),
            seller_address: String::new(),
            seller_tax_code: String::new(),
            vat_method: VatMethod::Credit,
            store_code: String::new(),
            store_name: String::new(),
            registration: Registration::WithCode,
            series_letters: String::new(),
            authority_code: String::new(),
            xml_version: DEFAULT_XML_VERSION.to_string(),
            lookup_url: String::new(),
        }
    }
}

/// Where a store stands with its registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrationStatus {
    /// Everything filled in: every sale is an invoice.
    Registered,
    /// The demo's values: invoices are made, and marked as a demo.
    Demo,
    /// Sales go on without invoices until these settings are filled in.
    Incomplete(Vec<&'static str>),
}

/// Why an invoice setting was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceSettingError {
    UnknownKey(String),
    TaxCode(TaxCodeError),
    VatMethod,
    Registration,
    SeriesLetters,
    AuthorityCode,
    XmlVersion,
    LookupUrl,
}

impl fmt::Display for InvoiceSettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            InvoiceSettingError::UnknownKey(key) => {
                return write!(
                    f,
                    "không có cài đặt hóa đơn “{key}” / no invoice setting called “{key}”"
                );
            }
            InvoiceSettingError::TaxCode(TaxCodeError::Length) => {
                "mã số thuế phải có 10 chữ số, hoặc 10 + “-” + 3 / a tax code is 10 digits, or 10 + “-” + 3"
            }
            InvoiceSettingError::TaxCode(TaxCodeError::CheckDigit) => {
                "mã số thuế sai chữ số kiểm tra (gõ nhầm một chữ số?) / the tax code's check digit is wrong (a digit mistyped?)"
            }
            InvoiceSettingError::VatMethod => {
                "phương pháp tính thuế là “credit” (khấu trừ) hoặc “direct” (trực tiếp) / the VAT method is “credit” or “direct”"
            }
            InvoiceSettingError::Registration => {
                "đăng ký là “C” (có mã của cơ quan thuế) hoặc “K” (không có mã) / the registration is “C” (with code) or “K” (without)"
            }
            InvoiceSettingError::SeriesLetters => {
                "ký hiệu của quầy là 2 chữ cái in hoa, ví dụ AA / the counter's series letters are 2 capital letters, e.g. AA"
            }
            InvoiceSettingError::AuthorityCode => {
                "mã do cơ quan thuế cấp có đúng 5 chữ cái hoặc chữ số / the tax authority's code is exactly 5 letters or digits"
            }
            InvoiceSettingError::XmlVersion => {
                "phiên bản XML có dạng 2.1.0 / the XML version looks like 2.1.0"
            }
            InvoiceSettingError::LookupUrl => {
                "địa chỉ tra cứu bắt đầu bằng http:// hoặc https:// / the lookup address starts with http:// or https://"
            }
        };
        f.write_str(text)
    }
}

impl InvoiceSettings {
    /// The fields, by the names settings are stored and set under (`invoice_…` on the command
    /// line).
    pub const FIELDS: [&'static str; 11] = [
        "seller_name",
        "seller_address",
        "seller_tax_code",
        "vat_method",
        "store_code",
        "store_name",
        "registration",
        "series_letters",
        "authority_code",
        "xml_version",
        "lookup_url",
    ];

    /// The demo showroom's registration, marked as a demo on every document.
    pub fn demo() -> InvoiceSettings {
        InvoiceSettings {
            seller_name: "Hội Nông dân tỉnh An Giang".into(),
            seller_address: "25 Nguyễn Trung Trực, phường Rạch Giá, tỉnh An Giang".into(),
            seller_tax_code: DEMO_TAX_CODE.into(),
            vat_method: VatMethod::Credit,
            store_code: "OCOP-RG".into(),
            store_name: "Điểm giới thiệu và bán sản phẩm OCOP Rạch Giá".into(),
            registration: Registration::WithCode,
            series_letters: "AA".into(),
            authority_code: DEMO_AUTHORITY_CODE.into(),
            xml_version: DEFAULT_XML_VERSION.into(),
            lookup_url: "https://tra-cuu-hoa-don.demo.invalid".into(),
        }
    }

    /// A field's value as text, as it is stored and shown.
    pub fn field(&self, field: &str) -> Option<String> {
        Some(match field {
            "seller_name" => self.seller_name.clone(),
            "seller_address" => self.seller_address.clone(),
            "seller_tax_code" => self.seller_tax_code.clone(),
            "vat_method" => self.vat_method.code().to_string(),
            "store_code" => self.store_code.clone(),
            "store_name" => self.store_name.clone(),
            "registration" => self.registration.letter().to_string(),
            "series_letters" => self.series_letters.clone(),
            "authority_code" => self.authority_code.clone(),
            "xml_version" => self.xml_version.clone(),
            "lookup_url" => self.lookup_url.clone(),
            _ => return None,
        })
    }

    /// A copy with one field changed, checked on its own (a settings screen calls this per
    /// field). Text is trimmed; codes are taken in capitals. An empty value clears a field.
    pub fn with_field(
        &self,
        field: &str,
        value: &str,
    ) -> Result<InvoiceSettings, InvoiceSettingError> {
        let value = value.trim();
        let capitals = value.to_ascii_uppercase();
        let mut changed = self.clone();
        match field {
            "seller_name" => changed.seller_name = value.to_string(),
            "seller_address" => changed.seller_address = value.to_string(),
            "seller_tax_code" => {
                if !value.is_empty() {
                    check_tax_code(value).map_err(InvoiceSettingError::TaxCode)?;
                }
                changed.seller_tax_code = value.to_string();
            }
            "vat_method" => {
                changed.vat_method =
                    VatMethod::from_code(value).ok_or(InvoiceSettingError::VatMethod)?;
            }
            "store_code" => changed.store_code = value.to_string(),
            "store_name" => changed.store_name = value.to_string(),
            "registration" => {
                changed.registration = match capitals.as_str() {
                    "C" => Registration::WithCode,
                    "K" => Registration::WithoutCode,
                    _ => return Err(InvoiceSettingError::Registration),
                };
            }
            "series_letters" => {
                if !(value.is_empty()
                    || capitals.len() == 2 && capitals.bytes().all(|b| b.is_ascii_uppercase()))
                {
                    return Err(InvoiceSettingError::SeriesLetters);
                }
                changed.series_letters = capitals;
            }
            "authority_code" => {
                if !(value.is_empty()
                    || capitals.len() == 5
                        && capitals
                            .bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
                {
                    return Err(InvoiceSettingError::AuthorityCode);
                }
                changed.authority_code = capitals;
            }
            "xml_version" => {
                let parts: Vec<&str> = value.split('.').collect();
                if parts.len() != 3
                    || parts
                        .iter()
                        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
                {
                    return Err(InvoiceSettingError::XmlVersion);
                }
                changed.xml_version = value.to_string();
            }
            "lookup_url" => {
                if !(value.is_empty()
                    || value.starts_with("https://")
                    || value.starts_with("http://"))
                {
                    return Err(InvoiceSettingError::LookupUrl);
                }
                changed.lookup_url = value.to_string();
            }
            _ => return Err(InvoiceSettingError::UnknownKey(field.to_string())),
        }
        Ok(changed)
    }

    pub fn is_demo(&self) -> bool {
        self.seller_tax_code == DEMO_TAX_CODE || self.authority_code == DEMO_AUTHORITY_CODE
    }

    /// Whether invoices can be made, and if not, which settings are missing.
    pub fn status(&self) -> RegistrationStatus {
        let mut missing = Vec::new();
        for (field, value) in [
            ("seller_name", &self.seller_name),
            ("seller_address", &self.seller_address),
            ("seller_tax_code", &self.seller_tax_code),
            ("series_letters", &self.series_letters),
            ("lookup_url", &self.lookup_url),
        ] {
            if value.is_empty() {
                missing.push(field);
            }
        }
        if self.registration == Registration::WithCode && self.authority_code.is_empty() {
            missing.push("authority_code");
        }
        if !missing.is_empty() {
            RegistrationStatus::Incomplete(missing)
        } else if self.is_demo() {
            RegistrationStatus::Demo
        } else {
            RegistrationStatus::Registered
        }
    }

    pub fn template(&self) -> u8 {
        self.vat_method.template()
    }

    /// The series of a year: `C26MAA`.
    pub fn series(&self, year: i32) -> String {
        format!(
            "{}{:02}M{}",
            self.registration.letter(),
            year.rem_euclid(100),
            self.series_letters
        )
    }
}

/// `M1-26-AB12C-00000001968`: the code a `C…M…` invoice carries, made by the till from the
/// template, the year, the shop's five characters and its yearly counter.
pub fn authority_code(template: u8, year: i32, code: &str, counter: i64) -> String {
    format!(
        "M{template}-{:02}-{code}-{counter:011}",
        year.rem_euclid(100)
    )
}

/// How many MCCQT counters each node has a year. The counter must be unique per taxpayer per
/// year, and the shop's counters sell offline, each on its own data folder: so each node takes
/// its counters from a block of its own, known from its code alone.
const AUTHORITY_BLOCK_SIZE: i64 = 100_000_000;

/// The MCCQT counters node `node` issues. Node `AA` is 0, `AB` 1, … `ZZ` 675 (the first
/// letter times 26, plus the second), and node i's block runs from i × 10⁸ + 1 to
/// (i + 1) × 10⁸ − 1: `AA` keeps the counters 1, 2, … it always had, and `ZZ`'s last,
/// 67 599 999 999, still fits the 11 digits. None for a code that is not two capitals.
pub fn authority_block(node: &str) -> Option<RangeInclusive<i64>> {
    let &[first, second] = node.as_bytes() else {
        return None;
    };
    if !(first.is_ascii_uppercase() && second.is_ascii_uppercase()) {
        return None;
    }
    let index = i64::from(first - b'A') * 26 + i64::from(second - b'A');
    Some(index * AUTHORITY_BLOCK_SIZE + 1..=(index + 1) * AUTHORITY_BLOCK_SIZE - 1)
}

/// The next MCCQT counter of a node whose data folder last issued `last_issued` this year (0
/// when none): the one after it, or the first of the node's block when that is further (a
/// folder's first code, or one whose node code was changed to a later one). None when it would
/// lie beyond the block: a folder whose code was changed to an earlier node's, or a block used
/// up, must not take a counter another node may give.
pub fn next_authority_counter(block: &RangeInclusive<i64>, last_issued: i64) -> Option<i64> {
    Some(last_issued.saturating_add(1).max(*block.start())).filter(|next| block.contains(next))
}

/// The buyer named on an invoice, only when the customer asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum InvoiceBuyer {
    /// A company or other taxpayer, by tax code, from the buyer records.
    Company(Buyer),
    /// A person, by citizen ID (CCCD, 12 digits) or phone.
    Person {
        name: String,
        id_number: String,
        phone: String,
        address: String,
    },
    /// A foreigner, by passport.
    Foreigner {
        name: String,
        passport: String,
        address: String,
    },
}

/// Why a buyer cannot be put on an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceBuyerError {
    NameRequired,
    AddressRequired,
    TaxCode(TaxCodeError),
    /// A CCCD is exactly 12 digits.
    IdNumberNot12Digits,
    /// A phone number is 10 digits (0…), or +84 and 9.
    BadPhone,
    /// A person is named by CCCD or phone: at least one.
    IdOrPhoneRequired,
    PassportRequired,
}

fn digits_only(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect()
}

impl InvoiceBuyer {
    /// The buyer tidied (trimmed, spaces out of numbers) and checked.
    pub fn checked(&self) -> Result<InvoiceBuyer, InvoiceBuyerError> {
        match self {
            InvoiceBuyer::Company(buyer) => {
                let buyer = Buyer {
                    // The invoice keeps the buyer as printed, not the address-book row.
                    id: 0,
                    name: buyer.name.trim().to_string(),
                    tax_code: buyer.tax_code.trim().to_string(),
                    address: buyer.address.trim().to_string(),
                    email: buyer.email.trim().to_string(),
                    contact: buyer.contact.trim().to_string(),
                };
                check_tax_code(&buyer.tax_code).map_err(InvoiceBuyerError::TaxCode)?;
                if buyer.name.is_empty() {
                    return Err(InvoiceBuyerError::NameRequired);
                }
                if buyer.address.is_empty() {
                    return Err(InvoiceBuyerError::AddressRequired);
                }
                Ok(InvoiceBuyer::Company(buyer))
            }
            InvoiceBuyer::Person {
                name,
                id_number,
                phone,
                address,
            } => {
                let id_number = digits_only(id_number);
                let phone = digits_only(phone);
                if id_number.is_empty() && phone.is_empty() {
                    return Err(InvoiceBuyerError::IdOrPhoneRequired);
                }
                let twelve_digits =
                    id_number.len() == 12 && id_number.bytes().all(|b| b.is_ascii_digit());
                if !(id_number.is_empty() || twelve_digits) {
                    return Err(InvoiceBuyerError::IdNumberNot12Digits);
                }
                if !phone.is_empty() && !is_phone(&phone) {
                    return Err(InvoiceBuyerError::BadPhone);
                }
                Ok(InvoiceBuyer::Person {
                    name: name.trim().to_string(),
                    id_number,
                    phone,
                    address: address.trim().to_string(),
                })
            }
            InvoiceBuyer::Foreigner {
                name,
                passport,
                address,
            } => {
                let passport = digits_only(passport).to_ascii_uppercase();
                if passport.is_empty() || !passport.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(InvoiceBuyerError::PassportRequired);
                }
                if name.trim().is_empty() {
                    return Err(InvoiceBuyerError::NameRequired);
                }
                Ok(InvoiceBuyer::Foreigner {
                    name: name.trim().to_string(),
                    passport,
                    address: address.trim().to_string(),
                })
            }
        }
    }

    /// The name printed: the company's, the person's, or the consumer line for a person who
    /// gave only a number.
    pub fn name(&self) -> &str {
        match self {
            InvoiceBuyer::Company(buyer) => &buyer.name,
            InvoiceBuyer::Person { name, .. } | InvoiceBuyer::Foreigner { name, .. } => name,
        }
    }

    pub fn tax_code(&self) -> &str {
        match self {
            InvoiceBuyer::Company(buyer) => &buyer.tax_code,
            _ => "",
        }
    }

    /// Label and value of each detail printed, in the order invoices print them.
    pub fn details(&self) -> Vec<(&'static str, &str)> {
        let details = match self {
            InvoiceBuyer::Company(buyer) => vec![
                ("Người mua", buyer.contact.as_str()),
                ("Đơn vị", &buyer.name),
                ("MST", &buyer.tax_code),
                ("Địa chỉ", &buyer.address),
                ("Email", &buyer.email),
            ],
            InvoiceBuyer::Person {
                name,
                id_number,
                phone,
                address,
            } => vec![
                ("Người mua", name.as_str()),
                ("CCCD", id_number),
                ("Điện thoại", phone),
                ("Địa chỉ", address),
            ],
            InvoiceBuyer::Foreigner {
                name,
                passport,
                address,
            } => vec![
                ("Người mua", name.as_str()),
                ("Hộ chiếu", passport),
                ("Địa chỉ", address),
            ],
        };
        details
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .collect()
    }
}

/// `0912345678`, or `84912345678` as `+84 912 345 678` reads without its plus.
fn is_phone(digits: &str) -> bool {
    let digits = digits.strip_prefix('+').unwrap_or(digits);
    digits.bytes().all(|b| b.is_ascii_digit())
        && (digits.len() == 10 && digits.starts_with('0')
            || digits.len() == 11 && digits.starts_with("84"))
}

/// What a line is (TChat).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineNature {
    /// 1: goods sold.
    Goods,
    /// 2: promotional goods given free.
    Promotion,
}

impl LineNature {
    pub fn code(self) -> u8 {
        match self {
            LineNature::Goods => 1,
            LineNature::Promotion => 2,
        }
    }
}

/// One row of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoiceLine {
    pub nature: LineNature,
    pub sku: String,
    pub name: String,
    pub unit: String,
    /// Negative on an adjustment that takes goods back.
    pub quantity: Decimal,
    /// One unit's price: before VAT on a VAT invoice, as paid on a sales invoice.
    pub unit_price: Decimal,
    /// The row's amount, on the same basis as the price. A VAT invoice's rows of one rate add
    /// up to that rate's amount before VAT.
    pub amount: Money,
    pub vat: VatRate,
}

/// How an invoice corrects an earlier one (TCHDon).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Correction {
    /// 1: it replaces the earlier invoice, which no longer counts.
    Replaces,
    /// 2: it adjusts the earlier invoice by its (usually negative) amounts.
    Adjusts,
}

impl Correction {
    pub fn code(self) -> u8 {
        match self {
            Correction::Replaces => 1,
            Correction::Adjusts => 2,
        }
    }
}

/// The earlier invoice a replacement or an adjustment refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedInvoice {
    pub correction: Correction,
    pub template: u8,
    pub series: String,
    pub number: i64,
    pub issued_at: DateTime<Utc>,
    pub reason: String,
    /// With a business buyer: the reference of the written agreement to the correction.
    pub agreement: String,
    /// Its MCCQT, when its series has one: printed with the reference, so the invoice a
    /// counter corrects for another (which issued it) is named beyond doubt. Not in the XML,
    /// whose reference block has no such field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority_code: Option<String>,
}

impl RelatedInvoice {
    pub fn symbol(&self) -> String {
        format!("{}{}", self.template, self.series)
    }
}

/// The numbers an invoice is issued under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceNumbers {
    pub template: u8,
    /// `C26MAA`.
    pub series: String,
    /// Gap-free within the series.
    pub number: i64,
    /// The MCCQT, for a series registered with the code.
    pub authority_code: Option<String>,
}

/// The seller as the invoice names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    pub name: String,
    pub address: String,
    pub tax_code: String,
    pub phone: String,
    pub store_code: String,
    pub store_name: String,
}

impl Seller {
    pub fn from_settings(settings: &InvoiceSettings, phone: &str) -> Seller {
        Seller {
            name: settings.seller_name.clone(),
            address: settings.seller_address.clone(),
            tax_code: settings.seller_tax_code.clone(),
            phone: phone.trim().to_string(),
            store_code: settings.store_code.clone(),
            store_name: settings.store_name.clone(),
        }
    }
}

/// A cash-register invoice as issued: the record it is printed and sent from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoice {
    pub numbers: InvoiceNumbers,
    pub issued_at: DateTime<Utc>,
    /// The sale's receipt number (or the refund's, for an adjustment made by a refund).
    pub document_no: String,
    pub xml_version: String,
    pub seller: Seller,
    /// None: sold to a consumer who gave no details.
    pub buyer: Option<InvoiceBuyer>,
    pub lines: Vec<EInvoiceLine>,
    /// VAT per rate; empty on a sales invoice (template 2).
    pub vat: Vec<VatBucket>,
    /// What the buyer pays (negative on an adjustment that gives back).
    pub total: Money,
    pub payment_methods: Vec<PaymentMethod>,
    pub related: Option<RelatedInvoice>,
    pub lookup_url: String,
    pub demo: bool,
}

/// What one invoice row is made from: a sale line, or what a refund gives back of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineSource {
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub quantity: Decimal,
    /// What the customer paid for it, VAT included, after discounts.
    pub paid: Money,
    /// Its price before discounts: a line paid nothing for but worth something is a gift.
    pub list_value: Money,
    pub vat: VatRate,
}

impl LineSource {
    /// The rows of a sale, one per product (a basket's components one by one).
    pub fn of_sale(sale: &SaleDraft) -> Vec<LineSource> {
        sale.lines
            .iter()
            .map(|line| LineSource {
                sku: line.sku.clone(),
                name: line.name.clone(),
                unit: line.unit.clone(),
                quantity: line.quantity,
                paid: line.total,
                list_value: line.gross,
                vat: line.vat,
            })
            .collect()
    }
}

/// The invoice rows for `sources` under `template`. On a VAT invoice each rate's amount before
/// VAT is spread over its rows by what was paid for them, so the rows add up to each rate's
/// figure exactly; on a sales invoice a row is what was paid.
pub fn invoice_lines(sources: &[LineSource], vat: &[VatBucket], template: u8) -> Vec<EInvoiceLine> {
    let mut amounts: Vec<Money> = sources.iter().map(|s| s.paid).collect();
    if template == 1 {
        for bucket in vat {
            let of_rate: Vec<usize> = (0..sources.len())
                .filter(|&i| sources[i].vat == bucket.rate)
                .collect();
            let weights: Vec<Money> = of_rate.iter().map(|&i| sources[i].paid).collect();
            for (i, amount) in of_rate.into_iter().zip(allocate(bucket.pre_vat, &weights)) {
                amounts[i] = amount;
            }
        }
    }
    sources
        .iter()
        .zip(amounts)
        .map(|(source, amount)| EInvoiceLine {
            nature: if source.paid == Money::ZERO && source.list_value > Money::ZERO {
                LineNature::Promotion
            } else {
                LineNature::Goods
            },
            sku: source.sku.clone(),
            name: source.name.clone(),
            unit: source.unit.clone(),
            quantity: source.quantity,
            unit_price: if source.quantity.is_zero() {
                Decimal::ZERO
            } else {
                (amount.to_decimal() / source.quantity)
                    .round_dp(PRICE_DECIMALS)
                    .normalize()
            },
            amount,
            vat: source.vat,
        })
        .collect()
}

/// The distinct payment methods of a sale, in the order they were taken.
fn methods(tenders: &[crate::core::payment::Tender]) -> Vec<PaymentMethod> {
    let mut methods = Vec::new();
    for tender in tenders {
        if !methods.contains(&tender.method) {
            methods.push(tender.method);
        }
    }
    methods
}

/// Everything an invoice is issued with besides its content.
pub struct Issue<'a> {
    pub numbers: InvoiceNumbers,
    pub at: DateTime<Utc>,
    pub settings: &'a InvoiceSettings,
    /// The shop's phone, printed with the seller.
    pub phone: &'a str,
}

impl EInvoice {
    /// The invoice of a sale, to the buyer the customer asked for (if any).
    pub fn of_sale(sale: &SaleDraft, receipt_no: &str, issue: Issue<'_>) -> EInvoice {
        let template = issue.numbers.template;
        let vat = if template == 1 {
            sale.vat.clone()
        } else {
            Vec::new()
        };
        EInvoice {
            lines: invoice_lines(&LineSource::of_sale(sale), &sale.vat, template),
            vat,
            total: sale.total,
            payment_methods: methods(&sale.tenders),
            buyer: sale.buyer.clone(),
            related: None,
            document_no: receipt_no.to_string(),
            ..EInvoice::issued(issue)
        }
    }

    /// An adjustment of `original` that takes back `returned` (with its VAT per rate): the
    /// same buyer, negative quantities and amounts.
    pub fn adjusting(
        original: &EInvoice,
        returned: &[LineSource],
        vat: &[VatBucket],
        refund_no: &str,
        reason: &str,
        issue: Issue<'_>,
    ) -> EInvoice {
        let template = issue.numbers.template;
        let lines = invoice_lines(returned, vat, template)
            .into_iter()
            .map(|line| EInvoiceLine {
                quantity: -line.quantity,
                amount: -line.amount,
                ..line
            })
            .collect();
        let negated = |b: &VatBucket| VatBucket {
            rate: b.rate,
            gross: -b.gross,
            pre_vat: -b.pre_vat,
            vat: -b.vat,
        };
        EInvoice {
            lines,
            vat: if template == 1 {
                vat.iter().map(negated).collect()
            } else {
                Vec::new()
            },
            total: -vat.iter().map(|b| b.gross).sum::<Money>(),
            payment_methods: original.payment_methods.clone(),
            buyer: original.buyer.clone(),
            related: Some(original.related_as(Correction::Adjusts, reason, "")),
            document_no: refund_no.to_string(),
            ..EInvoice::issued(issue)
        }
    }

    /// This invoice as the earlier one a correction refers to.
    pub fn related_as(
        &self,
        correction: Correction,
        reason: &str,
        agreement: &str,
    ) -> RelatedInvoice {
        RelatedInvoice {
            correction,
            template: self.numbers.template,
            series: self.numbers.series.clone(),
            number: self.numbers.number,
            issued_at: self.issued_at,
            reason: reason.trim().to_string(),
            agreement: agreement.trim().to_string(),
            authority_code: self.numbers.authority_code.clone(),
        }
    }

    /// The parts every invoice shares, with no content yet.
    fn issued(issue: Issue<'_>) -> EInvoice {
        EInvoice {
            numbers: issue.numbers,
            issued_at: issue.at,
            document_no: String::new(),
            xml_version: issue.settings.xml_version.clone(),
            seller: Seller::from_settings(issue.settings, issue.phone),
            buyer: None,
            lines: Vec::new(),
            vat: Vec::new(),
            total: Money::ZERO,
            payment_methods: Vec::new(),
            related: None,
            lookup_url: issue.settings.lookup_url.clone(),
            demo: issue.settings.is_demo(),
        }
    }

    /// `1C26MAA`: template and series, as printed.
    pub fn symbol(&self) -> String {
        format!("{}{}", self.numbers.template, self.numbers.series)
    }

    /// `1C26MAA-00000123`: how the invoice is named in messages, commands and file names.
    pub fn reference(&self) -> String {
        format!("{}-{:08}", self.symbol(), self.numbers.number)
    }

    pub fn title(&self) -> &'static str {
        title(self.numbers.template)
    }

    pub fn total_before_vat(&self) -> Money {
        self.vat.iter().map(|b| b.pre_vat).sum()
    }

    pub fn total_vat(&self) -> Money {
        self.vat.iter().map(|b| b.vat).sum()
    }

    /// The lookup QR's content: seller's tax code, template, series and number, buyer's tax
    /// code, date and total (one provider's layout; *check* the shop's).
    pub fn qr_payload(&self) -> String {
        format!(
            "{}|{}|{}{}|{}|{}|{}",
            self.seller.tax_code,
            self.numbers.template,
            self.numbers.series,
            self.numbers.number,
            self.buyer.as_ref().map_or("", InvoiceBuyer::tax_code),
            self.issued_at
                .with_timezone(&SHOP_TIME_ZONE)
                .format("%d/%m/%Y"),
            self.total.dong()
        )
    }
}

/// Escapes text for an XML element or attribute.
fn push_escaped(xml: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => xml.push_str("&amp;"),
            '<' => xml.push_str("&lt;"),
            '>' => xml.push_str("&gt;"),
            '"' => xml.push_str("&quot;"),
            '\'' => xml.push_str("&apos;"),
            // Control characters other than tab and newlines are not allowed in XML 1.0.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => xml.push(c),
        }
    }
}

/// `<tag>text</tag>`, escaped; an empty value as `<tag/>`.
fn element(xml: &mut String, tag: &str, text: &str) {
    if text.is_empty() {
        let _ = write!(xml, "<{tag}/>");
    } else {
        let _ = write!(xml, "<{tag}>");
        push_escaped(xml, text);
        let _ = write!(xml, "</{tag}>");
    }
}

/// A plain number: `2`, `1.25`, `152777.777778`, `-305556`.
fn number(value: impl fmt::Display) -> String {
    value.to_string()
}

fn decimal(value: Decimal) -> String {
    value.normalize().to_string()
}

/// The rate as the format writes it: `8%`, `0%`, `KCT`.
fn rate_text(rate: VatRate) -> String {
    rate.to_string()
}

/// The invoice as the tax authority's XML (format `PBan`), written by hand: it is on the path
/// of every sale, and an XML library would cost more than the rest of the commit.
pub fn invoice_xml(invoice: &EInvoice) -> String {
    let mut xml = String::with_capacity(1_500 + 400 * invoice.lines.len());
    let template = invoice.numbers.template;
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    xml.push_str("<HDon><DLHDon Id=\"DLHDon-");
    push_escaped(&mut xml, &invoice.reference());
    xml.push_str("\"><TTChung>");
    element(&mut xml, "PBan", &invoice.xml_version);
    element(&mut xml, "THDon", xml_title(template));
    element(&mut xml, "KHMSHDon", &number(template));
    element(&mut xml, "KHHDon", &invoice.numbers.series);
    element(&mut xml, "SHDon", &number(invoice.numbers.number));
    element(&mut xml, "NLap", &local_date(invoice.issued_at).to_string());
    element(&mut xml, "DVTTe", "VND");
    element(&mut xml, "TGia", "1");
    element(&mut xml, "HTTToan", &payment_text(&invoice.payment_methods));
    if let Some(related) = &invoice.related {
        xml.push_str("<TTHDLQuan>");
        element(&mut xml, "TCHDon", &number(related.correction.code()));
        element(&mut xml, "LHDCLQuan", "1");
        element(&mut xml, "KHMSHDCLQuan", &number(related.template));
        element(&mut xml, "KHHDCLQuan", &related.series);
        element(&mut xml, "SHDCLQuan", &number(related.number));
        element(
            &mut xml,
            "NLHDCLQuan",
            &local_date(related.issued_at).to_string(),
        );
        let mut note = related.reason.clone();
        if !related.agreement.is_empty() {
            let _ = write!(note, " (biên bản thỏa thuận {})", related.agreement);
        }
        element(&mut xml, "GChu", &note);
        xml.push_str("</TTHDLQuan>");
    }
    if invoice.demo {
        xml.push_str("<TTKhac><TTin>");
        element(&mut xml, "TTruong", "DEMO");
        element(&mut xml, "KDLieu", "string");
        element(
            &mut xml,
            "DLieu",
            "Hóa đơn mẫu của cửa hàng demo, không có giá trị",
        );
        xml.push_str("</TTin></TTKhac>");
    }
    xml.push_str("</TTChung><NDHDon><NBan>");
    let seller = &invoice.seller;
    element(&mut xml, "Ten", &seller.name);
    element(&mut xml, "MST", &seller.tax_code);
    element(&mut xml, "DChi", &seller.address);
    element(&mut xml, "SDThoai", &seller.phone);
    element(&mut xml, "MCHang", &seller.store_code);
    element(&mut xml, "TCHang", &seller.store_name);
    xml.push_str("</NBan><NMua>");
    buyer_xml(&mut xml, invoice.buyer.as_ref());
    xml.push_str("</NMua><DSHHDVu>");
    for (index, line) in invoice.lines.iter().enumerate() {
        xml.push_str("<HHDVu>");
        element(&mut xml, "TChat", &number(line.nature.code()));
        element(&mut xml, "STT", &number(index + 1));
        element(&mut xml, "MHHDVu", &line.sku);
        element(&mut xml, "THHDVu", &line.name);
        element(&mut xml, "DVTinh", &line.unit);
        element(&mut xml, "SLuong", &decimal(line.quantity));
        element(&mut xml, "DGia", &decimal(line.unit_price));
        element(&mut xml, "TLCKhau", "0");
        element(&mut xml, "STCKhau", "0");
        element(&mut xml, "ThTien", &number(line.amount.dong()));
        if template == 1 {
            element(&mut xml, "TSuat", &rate_text(line.vat));
        }
        xml.push_str("</HHDVu>");
    }
    xml.push_str("</DSHHDVu><TToan>");
    if template == 1 {
        xml.push_str("<THTTLTSuat>");
        for bucket in &invoice.vat {
            xml.push_str("<LTSuat>");
            element(&mut xml, "TSuat", &rate_text(bucket.rate));
            element(&mut xml, "ThTien", &number(bucket.pre_vat.dong()));
            element(&mut xml, "TThue", &number(bucket.vat.dong()));
            xml.push_str("</LTSuat>");
        }
        xml.push_str("</THTTLTSuat>");
        element(
            &mut xml,
            "TgTCThue",
            &number(invoice.total_before_vat().dong()),
        );
        element(&mut xml, "TgTThue", &number(invoice.total_vat().dong()));
    }
    element(&mut xml, "TTCKTMai", "0");
    element(&mut xml, "TgTTTBSo", &number(invoice.total.dong()));
    element(&mut xml, "TgTTTBChu", &amount_in_words(invoice.total));
    xml.push_str("</TToan></NDHDon></DLHDon>");
    element(&mut xml, "DLQRCode", &invoice.qr_payload());
    if let Some(code) = &invoice.numbers.authority_code {
        element(&mut xml, "MCCQT", code);
    }
    // Cash-register invoices carry no seller signature (Decree 254 Art. 8 §9).
    xml.push_str("<DSCKS><NBan/></DSCKS></HDon>");
    xml
}

/// The buyer's block: every element, empty where not given; a consumer who gave no details
/// is named as such.
fn buyer_xml(xml: &mut String, buyer: Option<&InvoiceBuyer>) {
    let (name, tax_code, address, id_number, passport, phone, person) = match buyer {
        None => (CONSUMER, "", "", "", "", "", ""),
        Some(InvoiceBuyer::Company(buyer)) => (
            buyer.name.as_str(),
            buyer.tax_code.as_str(),
            buyer.address.as_str(),
            "",
            "",
            "",
            buyer.contact.as_str(),
        ),
        Some(InvoiceBuyer::Person {
            name,
            id_number,
            phone,
            address,
        }) => (
            if name.is_empty() { CONSUMER } else { name },
            "",
            address.as_str(),
            id_number.as_str(),
            "",
            phone.as_str(),
            name.as_str(),
        ),
        Some(InvoiceBuyer::Foreigner {
            name,
            passport,
            address,
        }) => (
            name.as_str(),
            "",
            address.as_str(),
            "",
            passport.as_str(),
            "",
            name.as_str(),
        ),
    };
    element(xml, "Ten", name);
    element(xml, "MST", tax_code);
    element(xml, "DChi", address);
    element(xml, "CCCDan", id_number);
    element(xml, "SHChieu", passport);
    element(xml, "SDThoai", phone);
    element(xml, "HVTNMHang", person);
}

/// `TM`, `CK`, `TM/CK`: cash, and transfer or card (both paid through a bank) *(check the
/// provider's codes)*. A deposit applied or a sale on account is paid either way, before or
/// after: `TM/CK`.
fn payment_text(methods: &[PaymentMethod]) -> String {
    let either = methods
        .iter()
        .any(|m| matches!(m, PaymentMethod::Deposit | PaymentMethod::OnAccount));
    let cash = either || methods.contains(&PaymentMethod::Cash);
    let bank = either
        || methods
            .iter()
            .any(|m| matches!(m, PaymentMethod::Transfer | PaymentMethod::Card));
    match (cash, bank) {
        (true, true) => "TM/CK",
        (false, true) => "CK",
        _ => "TM",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_change_one_checked_field_at_a_time() {
        let empty = InvoiceSettings::default();
        assert!(matches!(empty.status(), RegistrationStatus::Incomplete(_)));
        assert_eq!(InvoiceSettings::demo().status(), RegistrationStatus::Demo);
        let letters = empty.with_field("series_letters", " ab ").unwrap();
        assert_eq!(letters.series_letters, "AB");
        assert_eq!(letters.series(2026), "C26MAB");
        assert_eq!(
            empty.with_field("series_letters", "A1"),
            Err(InvoiceSettingError::SeriesLetters)
        );
        assert_eq!(
            empty.with_field("authority_code", "AB12"),
            Err(InvoiceSettingError::AuthorityCode)
        );
        assert_eq!(
            empty.with_field("seller_tax_code", "1702345678"),
            Err(InvoiceSettingError::TaxCode(TaxCodeError::CheckDigit))
        );
        assert_eq!(
            empty.with_field("vat_method", "direct").unwrap().template(),
            2
        );
        assert_eq!(
            empty.with_field("registration", "k").unwrap().series(2027),
            "K27M"
        );
        assert_eq!(
            empty.with_field("xml_version", "2.1"),
            Err(InvoiceSettingError::XmlVersion)
        );
        assert!(matches!(
            empty.with_field("colour", "red"),
            Err(InvoiceSettingError::UnknownKey(_))
        ));
        for field in InvoiceSettings::FIELDS {
            let value = InvoiceSettings::demo().field(field).unwrap();
            assert_eq!(
                empty.with_field(field, &value).unwrap().field(field),
                Some(value)
            );
        }
    }

    #[test]
    fn a_real_registration_leaves_the_demo_behind() {
        let mut real = InvoiceSettings::demo();
        real = real.with_field("seller_tax_code", "0100233488").unwrap();
        assert_eq!(real.status(), RegistrationStatus::Demo);
        real = real.with_field("authority_code", "ab12c").unwrap();
        assert_eq!(real.status(), RegistrationStatus::Registered);
        let without_code = InvoiceSettings {
            authority_code: String::new(),
            registration: Registration::WithoutCode,
            ..real
        };
        assert_eq!(without_code.status(), RegistrationStatus::Registered);
    }

    #[test]
    fn authority_codes_have_the_fixed_shape() {
        assert_eq!(
            authority_code(1, 2026, "AB12C", 1968),
            "M1-26-AB12C-00000001968"
        );
    }

    #[test]
    fn each_node_has_its_own_block_of_authority_counters() {
        assert_eq!(authority_block("AA"), Some(1..=99_999_999));
        assert_eq!(authority_block("AB"), Some(100_000_001..=199_999_999));
        assert_eq!(authority_block("BA"), Some(2_600_000_001..=2_699_999_999));
        let last_node = authority_block("ZZ").unwrap();
        assert_eq!(*last_node.end(), 67_599_999_999);
        assert_eq!(
            authority_code(1, 2026, "AB12C", *last_node.end()),
            "M1-26-AB12C-67599999999"
        );
        for not_a_node in ["", "A", "ab", "A1", "ABC", "Ă"] {
            assert_eq!(authority_block(not_a_node), None, "{not_a_node}");
        }
        let ab = authority_block("AB").unwrap();
        // A folder that issued AA's first codes before it was AB jumps to AB's block.
        assert_eq!(next_authority_counter(&ab, 7), Some(100_000_001));
        assert_eq!(next_authority_counter(&ab, 100_000_001), Some(100_000_002));
        assert_eq!(next_authority_counter(&ab, 199_999_998), Some(199_999_999));
        assert_eq!(next_authority_counter(&ab, 199_999_999), None, "used up");
        // A folder renamed from AC to AB: AB's block lies behind its codes.
        assert_eq!(next_authority_counter(&ab, 200_000_005), None);
    }

    #[test]
    fn the_blocks_of_all_676_nodes_follow_each_other_without_overlap() {
        let codes = (b'A'..=b'Z')
            .flat_map(|first| (b'A'..=b'Z').map(move |second| [first, second]))
            .map(|code| String::from_utf8(code.to_vec()).unwrap());
        let blocks: Vec<_> = codes.map(|code| authority_block(&code).unwrap()).collect();
        assert_eq!(blocks.len(), 676);
        for pair in blocks.windows(2) {
            assert!(pair[0].end() < pair[1].start(), "{pair:?}");
        }
        assert!(*blocks[675].end() <= 99_999_999_999, "11 digits");
    }

    /// A node and where its folder's counter stands this year: anywhere in its block, or
    /// below it (a folder that numbered from 1 before blocks, or under another code).
    fn folder_counter() -> impl proptest::strategy::Strategy<Value = (String, i64)> {
        use proptest::strategy::Strategy;
        ("[A-Z]{2}", 0i64..AUTHORITY_BLOCK_SIZE, proptest::bool::ANY).prop_map(
            |(node, offset, in_block)| {
                let block = authority_block(&node).unwrap();
                let last = if in_block {
                    block.start() - 1 + offset
                } else {
                    offset.min(block.start() - 1)
                };
                (node, last)
            },
        )
    }

    /// Up to `count` counters a folder issues from `last`, checking each is in the node's
    /// block and after the one before.
    fn issue(
        node: &str,
        mut last: i64,
        count: usize,
    ) -> Result<Vec<i64>, proptest::test_runner::TestCaseError> {
        let block = authority_block(node).unwrap();
        let mut counters = Vec::new();
        while counters.len() < count
            && let Some(next) = next_authority_counter(&block, last)
        {
            proptest::prop_assert!(block.contains(&next), "{node}: {next}");
            proptest::prop_assert!(next > last, "{node}: {next} after {last}");
            counters.push(next);
            last = next;
        }
        Ok(counters)
    }

    proptest::proptest! {
        #[test]
        fn distinct_nodes_never_share_an_authority_counter(
            (one, one_last) in folder_counter(),
            (other, other_last) in folder_counter(),
            count in 1usize..50,
        ) {
            proptest::prop_assume!(one != other);
            let one_counters = issue(&one, one_last, count)?;
            let other_counters = issue(&other, other_last, count)?;
            // Only a folder at the very end of its block issues fewer.
            let one_block = authority_block(&one).unwrap();
            proptest::prop_assert_eq!(
                one_counters.len() as i64,
                (count as i64).min(one_block.end() - one_last.max(one_block.start() - 1))
            );
            for counter in &one_counters {
                proptest::prop_assert!(!other_counters.contains(counter), "{one}, {other}: {counter}");
            }
            let other_block = authority_block(&other).unwrap();
            proptest::prop_assert!(
                one_block.end() < other_block.start() || other_block.end() < one_block.start()
            );
        }

        #[test]
        fn node_aa_numbers_as_it_always_did(last in 0i64..99_999_998) {
            proptest::prop_assert_eq!(
                next_authority_counter(&authority_block("AA").unwrap(), last),
                Some(last + 1)
            );
        }
    }

    #[test]
    fn buyers_are_checked_by_kind() {
        let person = |id: &str, phone: &str| InvoiceBuyer::Person {
            name: "Nguyễn Văn A".into(),
            id_number: id.into(),
            phone: phone.into(),
            address: String::new(),
        };
        assert_eq!(
            person("", "").checked(),
            Err(InvoiceBuyerError::IdOrPhoneRequired)
        );
        assert_eq!(
            person("03620400123", "").checked(),
            Err(InvoiceBuyerError::IdNumberNot12Digits)
        );
        assert_eq!(
            person("", "091234567").checked(),
            Err(InvoiceBuyerError::BadPhone)
        );
        assert!(person("036 204 001 234", "").checked().is_ok());
        assert!(person("", "0912 345 678").checked().is_ok());
        let company = |tax_code: &str| {
            InvoiceBuyer::Company(Buyer {
                name: "Công ty A".into(),
                tax_code: tax_code.into(),
                address: "Rạch Giá".into(),
                ..Buyer::default()
            })
        };
        assert_eq!(
            company("0100233480").checked(),
            Err(InvoiceBuyerError::TaxCode(TaxCodeError::CheckDigit))
        );
        assert_eq!(
            company("010023348").checked(),
            Err(InvoiceBuyerError::TaxCode(TaxCodeError::Length))
        );
        assert!(company(" 0100233488 ").checked().is_ok());
        let foreigner = InvoiceBuyer::Foreigner {
            name: "John Smith".into(),
            passport: " ".into(),
            address: String::new(),
        };
        assert_eq!(
            foreigner.checked(),
            Err(InvoiceBuyerError::PassportRequired)
        );
    }

    #[test]
    fn text_is_escaped() {
        let mut xml = String::new();
        element(&mut xml, "Ten", "A & B <C> \"D\" 'E'\u{1}");
        assert_eq!(
            xml,
            "<Ten>A &amp; B &lt;C&gt; &quot;D&quot; &apos;E&apos;</Ten>"
        );
    }

    #[test]
    fn payments_read_as_the_format_codes_them() {
        use PaymentMethod::*;
        assert_eq!(payment_text(&[Cash]), "TM");
        assert_eq!(payment_text(&[Card, Transfer]), "CK");
        assert_eq!(payment_text(&[Transfer, Cash]), "TM/CK");
        assert_eq!(payment_text(&[Deposit, Transfer]), "TM/CK");
        assert_eq!(payment_text(&[OnAccount]), "TM/CK");
    }
}
