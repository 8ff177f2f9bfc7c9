//! The catalogue and the stock as the back office keeps them: products and producers as they
//! are entered (checked before anything is stored), stock movements, OCOP certificates, and the
//! product and producer CSV files. Pure: nothing here touches the database or a file.

use crate::core::barcode::is_valid_ean13;
use crate::core::money::{MAX_AMOUNT, Money};
use crate::core::settings::is_valid_tax_code;
use crate::core::vat::VatRate;
use chrono::{DateTime, Months, NaiveDate, Utc};
use rust_decimal::Decimal;
use unicode_normalization::UnicodeNormalization;

/// Why a product, producer, stock movement or CSV row was refused. The user's words for each
/// are in `i18n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InventoryError {
    SkuRequired,
    NameRequired,
    UnitRequired,
    PriceNotPositive,
    /// Not one of KCT, 0, 5, 8, 10 (the text as given).
    BadVatRate(String),
    /// A 13-digit code whose check digit is wrong, or a code that is not 8–14 digits.
    BadBarcode(String),
    StarsOutOfRange,
    NegativeThreshold,
    SkuTaken(String),
    BarcodeTaken(String),
    PluTaken(u32),
    NoSuchProduct(String),
    NoSuchProducer(String),
    ProducerNameTaken(String),
    BadProducerKind(String),
    BadTaxCode(String),
    CommissionOutOfRange,
    /// A product that was ever sold keeps its record: it can only be deactivated.
    EverSold,
    /// A product with stock history keeps its record, for the ledger's sake.
    HasStockHistory,
    /// A gift-pack template (named) holds the product: it cannot be deleted from under it.
    InGiftPack(String),
    QuantityNotPositive,
    QuantityZero,
    /// A delivery to post with no line on it.
    NothingReceived,
    /// The sale would take this product (SKU) below zero and the shop blocks that.
    OutOfStock(String),
    CertificateIncomplete,
    /// A cell that should hold a number, date or yes/no does not (column, text).
    BadCell {
        column: String,
        text: String,
    },
    /// The header lacks a column the format needs.
    MissingColumn(String),
    /// The same SKU (or barcode, or producer name) twice in one file: the key and the
    /// spreadsheet row it first appeared on.
    DuplicateInFile {
        key: String,
        first_row: usize,
    },
    /// An opening stock below zero.
    NegativeStock,
    /// An import stopped by the person who started it: nothing was imported.
    ImportCancelled,
    /// An export stopped by the person who started it: no file was written.
    ExportCancelled,
    /// The file itself cannot be read as CSV.
    Unreadable(String),
    /// Every bad row of a CSV file, by line number; nothing was imported.
    BadRows(Vec<RowError>),
}

/// A bad CSV row: its row number as a spreadsheet shows it (the header is row 1; a cell with a
/// line break inside still counts as one row) and why. A row breaking several rules has one
/// error for each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub reason: InventoryError,
}

impl std::fmt::Display for InventoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for InventoryError {}

/// The kinds of producer the OCOP programme certifies, and the showroom itself as the maker of
/// its own goods (baskets, boxes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProducerKind {
    Cooperative,
    Household,
    Facility,
    Company,
    Store,
}

impl ProducerKind {
    pub const ALL: [ProducerKind; 5] = [
        ProducerKind::Cooperative,
        ProducerKind::Household,
        ProducerKind::Facility,
        ProducerKind::Company,
        ProducerKind::Store,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProducerKind::Cooperative => "cooperative",
            ProducerKind::Household => "household",
            ProducerKind::Facility => "facility",
            ProducerKind::Company => "company",
            ProducerKind::Store => "store",
        }
    }

    pub fn from_code(code: &str) -> Option<ProducerKind> {
        ProducerKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code.trim())
    }
}

/// A producer as entered. `commune` is kept in the producers' `area` column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerDraft {
    pub name: String,
    pub kind: ProducerKind,
    pub commune: String,
    pub province: String,
    pub contact: String,
    /// Empty when not known (a household business may have none yet).
    pub tax_code: String,
    pub bank_account: String,
    /// `Some(commission %)` when the producer sells on consignment.
    pub consignment: Option<Decimal>,
}

impl ProducerDraft {
    /// The draft with its text in NFC and trimmed, or the first rule it breaks.
    pub fn validated(mut self) -> Result<ProducerDraft, InventoryError> {
        for field in [
            &mut self.name,
            &mut self.commune,
            &mut self.province,
            &mut self.contact,
            &mut self.tax_code,
            &mut self.bank_account,
        ] {
            *field = clean(field);
        }
        if self.name.is_empty() {
            return Err(InventoryError::NameRequired);
        }
        if !self.tax_code.is_empty() && !is_valid_tax_code(&self.tax_code) {
            return Err(InventoryError::BadTaxCode(self.tax_code));
        }
        if let Some(pct) = self.consignment
            && !(Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&pct)
        {
            return Err(InventoryError::CommissionOutOfRange);
        }
        self.consignment = self.consignment.map(|pct| pct.normalize());
        Ok(self)
    }
}

/// A product as entered on the form or read from a CSV row: what `create_product` and
/// `update_product` store. The price and VAT rate given take effect at the time of saving;
/// later changes are scheduled with their own effective date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductDraft {
    pub sku: String,
    /// The maker's barcodes; empty for a product that gets an in-store EAN-13.
    pub barcodes: Vec<String>,
    pub name: String,
    /// The producer's name, as the CSV and the form give it.
    pub producer: String,
    pub ocop_group: String,
    pub stars: Option<u8>,
    pub unit: String,
    pub sold_by_weight: bool,
    pub plu: Option<u32>,
    pub price: Money,
    pub vat: VatRate,
    /// At or below this stock the product is on the low-stock list (0: never listed).
    pub low_stock: Decimal,
    /// False for a product taken off the counter; its history stays.
    pub active: bool,
}

impl ProductDraft {
    /// The draft with its text in NFC and trimmed, or the first rule it breaks. Uniqueness
    /// (SKU, barcode, PLU) is the store's to check.
    pub fn validated(self) -> Result<ProductDraft, InventoryError> {
        self.checked().map_err(|mut problems| problems.remove(0))
    }

    /// The draft cleaned, or every rule it breaks, in the order of the form's fields.
    pub fn checked(mut self) -> Result<ProductDraft, Vec<InventoryError>> {
        for field in [
            &mut self.sku,
            &mut self.name,
            &mut self.producer,
            &mut self.ocop_group,
            &mut self.unit,
        ] {
            *field = clean(field);
        }
        self.barcodes = self
            .barcodes
            .iter()
            .map(|code| code.trim().to_string())
            .collect();
        self.barcodes.retain(|code| !code.is_empty());
        // Kept sorted, as the store lists them, so equal sets compare equal.
        self.barcodes.sort();
        self.barcodes.dedup();
        self.low_stock = self.low_stock.normalize();
        let problems: Vec<InventoryError> = [
            self.sku.is_empty().then_some(InventoryError::SkuRequired),
            self.name.is_empty().then_some(InventoryError::NameRequired),
            self.unit.is_empty().then_some(InventoryError::UnitRequired),
            (self.price <= Money::ZERO || self.price > MAX_AMOUNT)
                .then_some(InventoryError::PriceNotPositive),
            self.stars
                .is_some_and(|stars| !(3..=5).contains(&stars))
                .then_some(InventoryError::StarsOutOfRange),
            (self.low_stock < Decimal::ZERO).then_some(InventoryError::NegativeThreshold),
        ]
        .into_iter()
        .flatten()
        .chain(
            self.barcodes
                .iter()
                .filter(|code| !is_acceptable_barcode(code))
                .map(|bad| InventoryError::BadBarcode(bad.clone())),
        )
        .collect();
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

/// A maker's barcode as scanners read them: 8–14 digits, and an EAN-13 with a right check digit.
fn is_acceptable_barcode(code: &str) -> bool {
    (8..=14).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_digit())
        && (code.len() != 13 || is_valid_ean13(code))
}

/// Text as stored: NFC (so `ệ` typed as `e` + two marks matches the one-letter form), trimmed.
fn clean(text: &str) -> String {
    text.trim().nfc().collect()
}

/// Why stock was taken off or added by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdjustmentReason {
    Damaged,
    Expired,
    Sample,
    Gift,
    Correction,
}

impl AdjustmentReason {
    pub const ALL: [AdjustmentReason; 5] = [
        AdjustmentReason::Damaged,
        AdjustmentReason::Expired,
        AdjustmentReason::Sample,
        AdjustmentReason::Gift,
        AdjustmentReason::Correction,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AdjustmentReason::Damaged => "damaged",
            AdjustmentReason::Expired => "expired",
            AdjustmentReason::Sample => "sample",
            AdjustmentReason::Gift => "gift",
            AdjustmentReason::Correction => "correction",
        }
    }

    pub fn from_code(code: &str) -> Option<AdjustmentReason> {
        AdjustmentReason::ALL
            .into_iter()
            .find(|reason| reason.code() == code)
    }
}

/// What a line of the stock ledger records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StockMovementKind {
    Opening,
    Receipt,
    Sale,
    Refund,
    Adjustment(AdjustmentReason),
    Count,
}

impl StockMovementKind {
    /// The ledger's `kind` column.
    pub fn code(self) -> &'static str {
        match self {
            StockMovementKind::Opening => "opening",
            StockMovementKind::Receipt => "receipt",
            StockMovementKind::Sale => "sale",
            StockMovementKind::Refund => "refund",
            StockMovementKind::Adjustment(_) => "adjustment",
            StockMovementKind::Count => "count",
        }
    }

    /// From the ledger's `kind` and `reason` columns.
    pub fn from_codes(kind: &str, reason: Option<&str>) -> Option<StockMovementKind> {
        Some(match kind {
            "opening" => StockMovementKind::Opening,
            "receipt" => StockMovementKind::Receipt,
            "sale" => StockMovementKind::Sale,
            "refund" => StockMovementKind::Refund,
            "adjustment" => StockMovementKind::Adjustment(AdjustmentReason::from_code(reason?)?),
            "count" => StockMovementKind::Count,
            _ => return None,
        })
    }
}

/// One row of the stock ledger, as a product's stock history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockMovement {
    pub kind: StockMovementKind,
    /// Positive into stock, negative out of it.
    pub quantity: Decimal,
    pub at: DateTime<Utc>,
    pub by: String,
    pub note: String,
    /// The receipt number of a sale's movement.
    pub receipt_no: Option<String>,
    /// What a receipt from a producer carries.
    pub producer_id: Option<i64>,
    pub unit_cost: Option<Money>,
    pub lot: String,
    pub expires_on: Option<NaiveDate>,
    pub delivery_note_no: String,
}

/// One product line of a delivery from a producer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLine {
    pub product_id: i64,
    pub quantity: Decimal,
    pub unit_cost: Money,
    /// The producer's lot number, empty when the label has none.
    pub lot: String,
    pub expires_on: Option<NaiveDate>,
}

/// An OCOP certificate: the provincial (or national) decision that rated a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub number: String,
    pub issuer: String,
    pub issued_on: NaiveDate,
    pub stars: u8,
}

/// Where a certificate stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateStatus {
    Valid,
    /// Still valid, for this many more days (the last valid day counts as 0).
    ExpiringSoon {
        days_left: i64,
    },
    Expired,
}

/// OCOP ratings are valid for 36 months from the decision.
const CERTIFICATE_MONTHS: u32 = 36;

impl Certificate {
    /// The first day the certificate no longer holds: issue date + 36 months.
    pub fn expires_on(&self) -> NaiveDate {
        self.issued_on
            .checked_add_months(Months::new(CERTIFICATE_MONTHS))
            .expect("dates of this era")
    }

    /// Expired from the expiry day; "expiring soon" within `warn_days` before it.
    pub fn status(&self, today: NaiveDate, warn_days: i64) -> CertificateStatus {
        let days_left = (self.expires_on() - today).num_days() - 1;
        if days_left < 0 {
            CertificateStatus::Expired
        } else if days_left < warn_days {
            CertificateStatus::ExpiringSoon { days_left }
        } else {
            CertificateStatus::Valid
        }
    }

    pub fn validated(mut self) -> Result<Certificate, InventoryError> {
        self.number = clean(&self.number);
        self.issuer = clean(&self.issuer);
        if self.number.is_empty() || self.issuer.is_empty() {
            return Err(InventoryError::CertificateIncomplete);
        }
        if !(3..=5).contains(&self.stars) {
            return Err(InventoryError::StarsOutOfRange);
        }
        Ok(self)
    }
}

/// How much of each received lot is likely still on the shelf: the ledger does not say which
/// lot a sale took, so this assumes the shop sold first-expiry-first (as it should), which
/// leaves the latest-expiring lots on hand. Stock without an expiry date is not counted
/// against the lots, so an expiring lot is never shown smaller than it may be. `lots` are
/// (expiry, quantity received); the result is in the same order.
pub fn lots_left_first_expiry_first(
    on_hand: Decimal,
    lots: &[(NaiveDate, Decimal)],
) -> Vec<Decimal> {
    let mut latest_first: Vec<usize> = (0..lots.len()).collect();
    latest_first.sort_by_key(|&i| std::cmp::Reverse(lots[i].0));
    let mut left = vec![Decimal::ZERO; lots.len()];
    let mut unassigned = on_hand.max(Decimal::ZERO);
    for i in latest_first {
        let taken = lots[i].1.max(Decimal::ZERO).min(unassigned);
        left[i] = taken;
        unassigned -= taken;
    }
    left
}

/// The columns of the product CSV, in the order export writes them. Import finds them by name,
/// so a spreadsheet may reorder them or add its own.
pub const PRODUCT_COLUMNS: [&str; 13] = [
    "sku",
    "barcodes",
    "name",
    "producer",
    "ocop_group",
    "ocop_stars",
    "unit",
    "sold_by_weight",
    "plu",
    "price_vnd",
    "vat_rate",
    "low_stock",
    "active",
];

/// The columns of the producer CSV, in export order.
pub const PRODUCER_COLUMNS: [&str; 9] = [
    "name",
    "kind",
    "commune",
    "province",
    "contact",
    "tax_code",
    "bank_account",
    "consignment",
    "commission_pct",
];

/// A product's CSV row: the cells in [`PRODUCT_COLUMNS`] order. Barcodes are separated by
/// spaces.
pub fn product_csv_row(draft: &ProductDraft) -> Vec<String> {
    vec![
        draft.sku.clone(),
        draft.barcodes.join(" "),
        draft.name.clone(),
        draft.producer.clone(),
        draft.ocop_group.clone(),
        draft.stars.map(|s| s.to_string()).unwrap_or_default(),
        draft.unit.clone(),
        yes_no(draft.sold_by_weight),
        draft.plu.map(|plu| plu.to_string()).unwrap_or_default(),
        draft.price.0.to_string(),
        draft.vat.code(),
        draft.low_stock.normalize().to_string(),
        yes_no(draft.active),
    ]
}

/// A producer's CSV row, in [`PRODUCER_COLUMNS`] order.
pub fn producer_csv_row(draft: &ProducerDraft) -> Vec<String> {
    vec![
        draft.name.clone(),
        draft.kind.code().to_string(),
        draft.commune.clone(),
        draft.province.clone(),
        draft.contact.clone(),
        draft.tax_code.clone(),
        draft.bank_account.clone(),
        yes_no(draft.consignment.is_some()),
        draft
            .consignment
            .map(|pct| pct.normalize().to_string())
            .unwrap_or_default(),
    ]
}

fn yes_no(value: bool) -> String {
    if value { "1" } else { "0" }.to_string()
}

/// A row of a CSV file, taken apart by column name.
struct Cells<'a> {
    header: &'a [String],
    record: &'a csv::StringRecord,
}

impl Cells<'_> {
    fn text(&self, column: &str) -> &str {
        self.header
            .iter()
            .position(|name| name == column)
            .and_then(|i| self.record.get(i))
            .unwrap_or_default()
            .trim()
    }

    fn parsed<T: std::str::FromStr>(&self, column: &str) -> Result<Option<T>, InventoryError> {
        let text = self.text(column);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| InventoryError::BadCell {
            column: column.to_string(),
            text: text.to_string(),
        })
    }

    fn flag(&self, column: &str) -> Result<bool, InventoryError> {
        match self.text(column) {
            "" | "0" => Ok(false),
            "1" => Ok(true),
            other => Err(InventoryError::BadCell {
                column: column.to_string(),
                text: other.to_string(),
            }),
        }
    }

    /// A product row, or every error in it: each cell that cannot be read, then each rule the
    /// rest breaks (a cell that cannot be read is not blamed twice).
    fn product(&self) -> Result<ProductRow, Vec<InventoryError>> {
        let mut errors = Vec::new();
        let vat_text = self.text("vat_rate");
        let stars = noted(&mut errors, self.parsed("ocop_stars"), None);
        let sold_by_weight = noted(&mut errors, self.flag("sold_by_weight"), false);
        let plu = noted(&mut errors, self.parsed("plu"), None);
        // A price that cannot be read is named as such, not also as "not above 0".
        let price = noted(&mut errors, self.parsed("price_vnd"), Some(1)).unwrap_or(0);
        let vat = noted(
            &mut errors,
            VatRate::from_code(vat_text)
                .ok_or_else(|| InventoryError::BadVatRate(vat_text.to_string())),
            VatRate::NotSubject,
        );
        let low_stock = noted(&mut errors, self.parsed("low_stock"), None).unwrap_or_default();
        // Empty: on sale. A file without the column keeps each product's status (the store
        // sees that from `ParsedCsv::sets_active`).
        let active =
            self.text("active").is_empty() || noted(&mut errors, self.flag("active"), true);
        let opening_stock: Option<Decimal> = noted(&mut errors, self.parsed("stock"), None);
        if opening_stock.is_some_and(|stock| stock < Decimal::ZERO) {
            errors.push(InventoryError::NegativeStock);
        }
        let draft = ProductDraft {
            sku: self.text("sku").to_string(),
            barcodes: self
                .text("barcodes")
                .split_whitespace()
                .map(String::from)
                .collect(),
            name: self.text("name").to_string(),
            producer: self.text("producer").to_string(),
            ocop_group: self.text("ocop_group").to_string(),
            stars,
            unit: self.text("unit").to_string(),
            sold_by_weight,
            plu,
            price: Money(price),
            vat,
            low_stock,
            active,
        }
        .checked();
        match draft {
            Ok(draft) if errors.is_empty() => Ok(ProductRow {
                draft,
                opening_stock: opening_stock.map(|stock| stock.normalize()),
            }),
            Ok(_) => Err(errors),
            Err(problems) => {
                errors.extend(problems);
                Err(errors)
            }
        }
    }

    fn producer(&self) -> Result<ProducerDraft, InventoryError> {
        let kind_text = self.text("kind");
        let consignment = self.flag("consignment")?;
        ProducerDraft {
            name: self.text("name").to_string(),
            kind: ProducerKind::from_code(kind_text)
                .ok_or_else(|| InventoryError::BadProducerKind(kind_text.to_string()))?,
            commune: self.text("commune").to_string(),
            province: self.text("province").to_string(),
            contact: self.text("contact").to_string(),
            tax_code: self.text("tax_code").to_string(),
            bank_account: self.text("bank_account").to_string(),
            consignment: if consignment {
                Some(self.parsed("commission_pct")?.unwrap_or_default())
            } else {
                None
            },
        }
        .validated()
    }
}

/// `result`'s value, or `neutral` with the error noted: a row's other cells are still checked.
fn noted<T>(errors: &mut Vec<InventoryError>, result: Result<T, InventoryError>, neutral: T) -> T {
    result.unwrap_or_else(|error| {
        errors.push(error);
        neutral
    })
}

/// A product row of a CSV file: the product, and the opening stock its `stock` cell gives
/// (None when the cell is empty or the file has no such column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRow {
    pub draft: ProductDraft,
    pub opening_stock: Option<Decimal>,
}

/// A CSV file read row by row: the rows good on their own and in the file, with their line
/// numbers, and every bad row with its line number and reason (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCsv<T> {
    pub rows: Vec<(usize, T)>,
    pub errors: Vec<RowError>,
    /// The header's column names, as the file has them.
    pub columns: Vec<String>,
}

impl ParsedCsv<ProductRow> {
    /// Whether the file says which products are on sale; without the column (an older export,
    /// a hand-made price sheet) the store keeps each product's status as it is.
    pub fn sets_active(&self) -> bool {
        self.columns.iter().any(|column| column == "active")
    }
}

impl<T> ParsedCsv<T> {
    /// All the rows, or every bad one.
    pub fn into_result(self) -> Result<Vec<(usize, T)>, Vec<RowError>> {
        if self.errors.is_empty() {
            Ok(self.rows)
        } else {
            Err(self.errors)
        }
    }

    /// Moves rows whose key (or one of its keys) came earlier in the file to the errors, each
    /// naming the row the key first appeared on.
    fn refuse_duplicates(&mut self, keys: impl Fn(&T) -> Vec<String>) {
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut kept = Vec::with_capacity(self.rows.len());
        for (line, row) in self.rows.drain(..) {
            let mut duplicates = Vec::new();
            for key in keys(&row) {
                match seen.get(&key) {
                    Some(&first_row) => duplicates.push(RowError {
                        line,
                        reason: InventoryError::DuplicateInFile { key, first_row },
                    }),
                    None => {
                        seen.insert(key, line);
                    }
                }
            }
            if duplicates.is_empty() {
                kept.push((line, row));
            } else {
                self.errors.extend(duplicates);
            }
        }
        self.rows = kept;
        // Stable: a row's errors stay in the order found.
        self.errors.sort_by_key(|error| error.line);
    }
}

/// Reads a product CSV (UTF-8, with or without BOM, text in NFC or NFD): every row checked on
/// its own, and SKUs and barcodes once per file.
pub fn parse_products_csv(text: &str) -> ParsedCsv<ProductRow> {
    let mut parsed = parse_csv(
        text,
        &["sku", "name", "producer", "unit", "price_vnd", "vat_rate"],
        |cells| cells.product(),
    );
    parsed.refuse_duplicates(|row| {
        std::iter::once(row.draft.sku.clone())
            .chain(row.draft.barcodes.iter().cloned())
            .collect()
    });
    parsed
}

/// Reads a producer CSV the same way; names are unique within the file.
pub fn parse_producers_csv(text: &str) -> ParsedCsv<ProducerDraft> {
    let mut parsed = parse_csv(text, &["name", "kind"], |cells| {
        cells.producer().map_err(|error| vec![error])
    });
    parsed.refuse_duplicates(|draft| vec![draft.name.clone()]);
    parsed
}

/// The rows `read` accepts and those it refuses, by line; a file without the `required`
/// columns has no rows.
fn parse_csv<T>(
    text: &str,
    required: &[&str],
    read: impl Fn(&Cells<'_>) -> Result<T, Vec<InventoryError>>,
) -> ParsedCsv<T> {
    let text: String = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .nfc()
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let refused = |errors| ParsedCsv {
        rows: Vec::new(),
        errors,
        columns: Vec::new(),
    };
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(|name| name.trim().to_string()).collect(),
        Err(e) => return refused(vec![unreadable(1, &e)]),
    };
    let missing: Vec<RowError> = required
        .iter()
        .filter(|column| !header.iter().any(|name| name == *column))
        .map(|column| RowError {
            line: 1,
            reason: InventoryError::MissingColumn(column.to_string()),
        })
        .collect();
    if !missing.is_empty() {
        return refused(missing);
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let row_starts = spreadsheet_row_starts(&text);
    // The reader may place a record at the line break before it (the `\n` of a CRLF, blank
    // rows): its first cell is past those.
    let row_at = |byte: Option<u64>| {
        byte.map_or(0, |byte| {
            let byte = byte as usize;
            let first_cell = byte
                + text.as_bytes()[byte.min(text.len())..]
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
            row_starts.partition_point(|&start| start <= first_cell)
        })
    };
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(unreadable(row_at(e.position().map(|p| p.byte())), &e));
                continue;
            }
        };
        let line = row_at(record.position().map(|p| p.byte()));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        match read(&Cells {
            header: &header,
            record: &record,
        }) {
            Ok(row) => rows.push((line, row)),
            Err(reasons) => {
                errors.extend(reasons.into_iter().map(|reason| RowError { line, reason }))
            }
        }
    }
    ParsedCsv {
        rows,
        errors,
        columns: header,
    }
}

/// Where each row of a spreadsheet starts in a CSV text, by byte: after every line break
/// outside quotes. A spreadsheet counts blank rows, and shows a cell with a line break inside
/// on one row, so the row number is not the line number.
fn spreadsheet_row_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut quoted = false;
    for (at, byte) in text.bytes().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => starts.push(at + 1),
            _ => {}
        }
    }
    starts
}

fn unreadable(line: usize, error: &csv::Error) -> RowError {
    RowError {
        line,
        reason: InventoryError::Unreadable(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_lots_are_the_ones_left() {
        let day = |d| NaiveDate::from_ymd_opt(2027, 1, d).unwrap();
        let lots = [
            (day(10), Decimal::from(12)),
            (day(20), Decimal::from(10)),
            (day(5), Decimal::from(4)),
        ];
        let left = |on_hand: i64| lots_left_first_expiry_first(Decimal::from(on_hand), &lots);
        assert_eq!(left(15), [5, 10, 0].map(Decimal::from));
        assert_eq!(left(8), [0, 8, 0].map(Decimal::from));
        assert_eq!(left(40), [12, 10, 4].map(Decimal::from));
        assert_eq!(left(-3), [0, 0, 0].map(Decimal::from));
    }

    const HEADER: &str = "sku,barcodes,name,producer,ocop_group,ocop_stars,unit,sold_by_weight,plu,price_vnd,vat_rate,low_stock\n";

    #[test]
    fn certificate_runs_36_months_and_warns_before_it_ends() {
        let certificate = Certificate {
            number: "123/QĐ-UBND".into(),
            issuer: "UBND tỉnh An Giang".into(),
            issued_on: NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
            stars: 4,
        };
        assert_eq!(
            certificate.expires_on(),
            NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()
        );
        let day = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
        assert_eq!(certificate.status(day(1, 1), 30), CertificateStatus::Valid);
        assert_eq!(
            certificate.status(day(2, 27), 30),
            CertificateStatus::ExpiringSoon { days_left: 0 }
        );
        assert_eq!(
            certificate.status(day(2, 28), 30),
            CertificateStatus::Expired
        );
    }

    #[test]
    fn reads_bom_and_nfd_text_as_nfc() {
        let nfd: String = "Nước mắm".nfd().collect();
        let csv = format!(
            "\u{feff}{HEADER}NM1,8936012345674,{nfd},Khải Hoàn,Đồ uống,5,chai,0,,165000,8,10\n"
        );
        let rows = parse_products_csv(&csv).into_result().unwrap();
        assert_eq!(rows[0].0, 2);
        let rows: Vec<ProductDraft> = rows.into_iter().map(|(_, row)| row.draft).collect();
        assert_eq!(rows[0].name, "Nước mắm");
        assert_eq!(rows[0].barcodes, vec!["8936012345674".to_string()]);
        assert_eq!(rows[0].vat, VatRate::from_code("8").unwrap());
    }

    #[test]
    fn names_every_bad_line_with_its_reason() {
        let csv = format!(
            "{HEADER}A1,8936012345670,Một,P,G,,chai,0,,1000,8,0\n\
             A2,,Hai,P,G,,chai,0,,0,8,0\n\
             A3,,Ba,P,G,,,0,,1000,8,0\n\
             A4,,Bốn,P,G,,chai,0,,1000,7,0\n\
             A4,,Năm,P,G,,chai,0,,1000,10,0\n"
        );
        let errors = parse_products_csv(&csv).into_result().unwrap_err();
        let lines: Vec<(usize, InventoryError)> =
            errors.into_iter().map(|e| (e.line, e.reason)).collect();
        assert_eq!(
            lines,
            vec![
                (2, InventoryError::BadBarcode("8936012345670".into())),
                (3, InventoryError::PriceNotPositive),
                (4, InventoryError::UnitRequired),
                (5, InventoryError::BadVatRate("7".into())),
            ]
        );
    }

    #[test]
    fn every_error_of_a_row_is_named_at_its_spreadsheet_row() {
        // CRLF as Excel writes it; a name with a line break inside (one spreadsheet row); a
        // blank row; then a row with four faults.
        let csv = HEADER.replace('\n', "\r\n")
            + "A1,,\"Nước mắm\r\nloại 1\",P,G,,chai,0,,1000,8,0\r\n\r\n\
               A2,8936012345670,,P,G,9,chai,x,,0,7,0\r\n";
        let errors = parse_products_csv(&csv).into_result().unwrap_err();
        let found: Vec<(usize, InventoryError)> =
            errors.into_iter().map(|e| (e.line, e.reason)).collect();
        let bad_cell = |column: &str, text: &str| InventoryError::BadCell {
            column: column.into(),
            text: text.into(),
        };
        assert_eq!(
            found,
            vec![
                (4, bad_cell("sold_by_weight", "x")),
                (4, InventoryError::BadVatRate("7".into())),
                (4, InventoryError::NameRequired),
                (4, InventoryError::PriceNotPositive),
                (4, InventoryError::StarsOutOfRange),
                (4, InventoryError::BadBarcode("8936012345670".into())),
            ]
        );
    }

    #[test]
    fn a_duplicate_names_the_row_it_repeats_and_the_stock_column_is_read() {
        let csv = HEADER.replace("low_stock\n", "low_stock,stock\n")
            + "A1,,Một,P,G,,chai,0,,1000,8,0,12\n\
              A2,,Hai,P,G,,chai,0,,1000,8,0,\n\
              A1,,Ba,P,G,,chai,0,,1000,8,0,-1\n";
        let parsed = parse_products_csv(&csv);
        assert_eq!(parsed.rows[0].1.opening_stock, Some(Decimal::from(12)));
        assert_eq!(parsed.rows[1].1.opening_stock, None);
        let found: Vec<(usize, InventoryError)> = parsed
            .errors
            .into_iter()
            .map(|e| (e.line, e.reason))
            .collect();
        assert_eq!(found, vec![(4, InventoryError::NegativeStock)]);
        let csv = csv.replace(",-1\n", ",1\n");
        let errors = parse_products_csv(&csv).into_result().unwrap_err();
        assert_eq!(
            errors[0],
            RowError {
                line: 4,
                reason: InventoryError::DuplicateInFile {
                    key: "A1".into(),
                    first_row: 2
                }
            }
        );
    }

    #[test]
    fn refuses_a_bad_tax_code_and_a_commission_above_100() {
        let draft = ProducerDraft {
            name: "HTX Mỹ Khánh".into(),
            kind: ProducerKind::Cooperative,
            commune: String::new(),
            province: "An Giang".into(),
            contact: String::new(),
            tax_code: "12345".into(),
            bank_account: String::new(),
            consignment: None,
        };
        assert_eq!(
            draft.clone().validated(),
            Err(InventoryError::BadTaxCode("12345".into()))
        );
        let draft = ProducerDraft {
            tax_code: "1701234569".into(),
            consignment: Some(Decimal::from(101)),
            ..draft
        };
        assert_eq!(draft.validated(), Err(InventoryError::CommissionOutOfRange));
    }
}
