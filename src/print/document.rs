//! What every printed document shares: the shop's letterhead, the names of payment methods, the
//! VAT table, signature blocks, and turning laid-out pages into PDF bytes that depend only on
//! the document's own data.
//!
//! printpdf stamps every file with a random `/ID`; a reprint must be the same file, so the
//! identifier and the dates are set from the record instead.

use crate::core::catalog::stars_text;
use crate::core::clock::format_local;
use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use crate::core::report::Period;
use crate::core::sale::{SaleBasket, SaleDraft, SaleLine};
use crate::core::settings::ShopSettings;
use crate::core::vat::VatBucket;
use crate::print::font::{TextStyle, add_fonts};
use crate::print::layout::{Align, Cell, Column, Page, Sheet, Span, Stroke, Table};
use crate::print::raster::{DOTS_PER_MM, Raster, rasterize};
use chrono::{DateTime, NaiveDate, Utc};
use printpdf::{Mm, OffsetDateTime, PdfDocument, PdfSaveOptions};
use rust_decimal::Decimal;

const PRODUCER: &str = "OCOP POS";

const A4_WIDTH: Mm = Mm(210.0);
const A4_HEIGHT: Mm = Mm(297.0);
const A4_MARGIN: Mm = Mm(15.0);

/// Text of A4 reports, read at a desk.
pub const REPORT_BODY: TextStyle = TextStyle::regular(9.0);
pub const REPORT_BOLD: TextStyle = TextStyle::bold(9.0);
pub const REPORT_SECTION: TextStyle = TextStyle::bold(10.5);
pub const REPORT_SMALL: TextStyle = TextStyle::regular(7.5);
const REPORT_SHOP_NAME: TextStyle = TextStyle::bold(11.0);
pub const REPORT_TITLE: TextStyle = TextStyle::bold(15.0);
pub const REPORT_SUBTITLE: TextStyle = TextStyle::regular(10.0);

/// A line to sign on is this share of its signatory's column.
const SIGNING_LINE: f32 = 0.7;

/// What a document says about itself, beside its pages.
pub struct DocumentInfo {
    pub title: String,
    /// When the record was made; printed as the PDF's creation and modification date.
    pub created: DateTime<Utc>,
    /// Stands for the record in the file identifier, e.g. the tax code and document number.
    pub identifier: String,
}

/// Roll paper, by the width a printer's head reaches: 72 mm of an 80 mm roll (576 dots), or
/// 48 mm of a 58 mm roll (384 dots). Roll documents are laid out for it, so a narrower roll
/// wraps its lines instead of shrinking them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roll {
    dots: u32,
}

/// The blank edge of a roll document's PDF, which a printer's own margins stand in for.
const ROLL_MARGIN: Mm = Mm(4.0);

impl Roll {
    /// The 80 mm roll, as receipts are kept in PDF.
    pub const PDF: Roll = Roll { dots: 576 };

    /// A roll whose head prints `dots` dots across (at 203 dpi).
    pub fn of_dots(dots: u32) -> Roll {
        Roll { dots }
    }

    pub fn dots(self) -> u32 {
        self.dots
    }

    /// A blank roll to lay a document out on.
    pub fn sheet(self) -> Sheet {
        let printable = self.dots as f32 / DOTS_PER_MM;
        Sheet::new(Mm(printable + 2.0 * ROLL_MARGIN.0), ROLL_MARGIN)
    }
}

/// A roll document laid out (a receipt, a gift or refund slip, a Z-report): the PDF and the
/// printer's raster are both replayed from it.
pub struct RollDocument {
    pub(super) page: Page,
    pub(super) info: DocumentInfo,
    pub(super) roll: Roll,
}

impl RollDocument {
    pub fn pdf(self) -> Vec<u8> {
        save(self.page, &self.info)
    }

    /// The picture a thermal printer prints, one dot of it per dot of the head.
    pub fn raster(&self) -> Raster {
        rasterize(&self.page, self.roll.dots)
    }
}

pub fn save(page: Page, info: &DocumentInfo) -> Vec<u8> {
    save_pages(vec![page], info)
}

pub fn save_pages(pages: Vec<Page>, info: &DocumentInfo) -> Vec<u8> {
    let mut doc = PdfDocument::new(&info.title);
    add_fonts(&mut doc);
    let created = OffsetDateTime::from_unix_timestamp(info.created.timestamp())
        .expect("a record's time is a valid timestamp");
    let metadata = &mut doc.metadata.info;
    metadata.creation_date = created;
    metadata.modification_date = created;
    metadata.metadata_date = created;
    metadata.creator = PRODUCER.to_string();
    metadata.producer = PRODUCER.to_string();
    metadata.identifier = info.identifier.clone();
    doc.pages = pages.into_iter().map(Page::pdf).collect();

    // Subsetting only happens with printpdf's `text_layout` feature; without it this flag is
    // ignored and the whole 750 KB font is embedded.
    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut pdf = doc.to_lopdf_document(&options, &mut Vec::new());
    if let Ok(ids) = pdf.trailer.get_mut(b"ID").and_then(|id| id.as_array_mut()) {
        for id in ids {
            if let Ok(bytes) = id.as_str_mut() {
                *bytes = info.identifier.as_bytes().to_vec();
            }
        }
    }
    pdf.compress();
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes)
        .expect("writing a PDF to memory cannot fail");
    bytes
}

/// An A4 report begun with the shop's letterhead, the title, and the lines under it (the
/// period, when it was printed).
pub fn begin_report(shop: &ShopSettings, title: &str, subtitles: &[String]) -> Sheet {
    let mut sheet = a4_sheet();
    letterhead(
        &mut sheet,
        shop,
        Align::Left,
        REPORT_SHOP_NAME,
        REPORT_SMALL,
    );
    sheet.gap(12.0);
    sheet.paragraph(title, REPORT_TITLE, Align::Center);
    sheet.gap(2.0);
    for line in subtitles {
        sheet.paragraph(line, REPORT_SUBTITLE, Align::Center);
    }
    sheet.gap(10.0);
    sheet
}

/// Blank A4 sheets with the margins of every document read at a desk, for one whose top is not
/// a report's (an invoice).
pub fn a4_sheet() -> Sheet {
    Sheet::paged(A4_WIDTH, A4_HEIGHT, A4_MARGIN)
}

/// The report's pages, each with `name` and its page number in the footer, as PDF bytes.
pub fn finish_report(sheet: Sheet, name: &str, info: &DocumentInfo) -> Vec<u8> {
    let pages = sheet.into_numbered_pages(
        |page, pages| format!("{name} · Trang {page}/{pages}"),
        REPORT_SMALL,
    );
    save_pages(pages, info)
}

/// `Ngày 26/11/2026`, or `Từ ngày 01/11/2026 đến ngày 30/11/2026`.
pub fn period_text(period: &Period) -> String {
    if period.from == period.to {
        format!("Ngày {}", date_text(period.from))
    } else {
        format!(
            "Từ ngày {} đến ngày {}",
            date_text(period.from),
            date_text(period.to)
        )
    }
}

/// `26/11/2026`, or `01/11/2026 - 30/11/2026`: a period in a column heading or a footer.
pub fn period_dates(period: &Period) -> String {
    if period.from == period.to {
        date_text(period.from)
    } else {
        format!("{} - {}", date_text(period.from), date_text(period.to))
    }
}

fn date_text(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

pub fn printed_at_text(printed_at: DateTime<Utc>) -> String {
    format!("In lúc: {}", format_local(printed_at))
}

/// The shop's name, then its address, tax code (MST) and phone, each on its own line and only
/// when set.
pub fn letterhead(
    sheet: &mut Sheet,
    shop: &ShopSettings,
    align: Align,
    name: TextStyle,
    contacts: TextStyle,
) {
    sheet.paragraph(&shop.shop_name, name, align);
    let lines = [
        shop.full_address(),
        labelled("MST", &shop.tax_code),
        labelled("ĐT", &shop.phone),
    ];
    for line in lines.iter().filter(|line| !line.trim().is_empty()) {
        sheet.paragraph(line, contacts, align);
    }
}

/// `MST: 1702345670`, or nothing when the shop has not set the value.
fn labelled(label: &str, value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        String::new()
    } else {
        format!("{label}: {value}")
    }
}

/// A sale as its slips list it: loose lines and baskets in the order they were rung up, each
/// basket where its first content line is, with its contents.
pub enum SaleItem<'a> {
    Line(&'a SaleLine),
    Basket {
        basket: &'a SaleBasket,
        contents: Vec<&'a SaleLine>,
    },
}

pub fn sale_items(draft: &SaleDraft) -> Vec<SaleItem<'_>> {
    let mut items = Vec::new();
    // Where each basket sits among the items, once its first line has been seen.
    let mut placed: Vec<Option<usize>> = vec![None; draft.baskets.len()];
    for line in &draft.lines {
        // A line pointing at no basket of the sale is still printed, as a line of its own.
        let Some(basket) = line.basket.filter(|&basket| basket < placed.len()) else {
            items.push(SaleItem::Line(line));
            continue;
        };
        match placed[basket] {
            Some(at) => {
                if let SaleItem::Basket { contents, .. } = &mut items[at] {
                    contents.push(line);
                }
            }
            None => {
                placed[basket] = Some(items.len());
                items.push(SaleItem::Basket {
                    basket: &draft.baskets[basket],
                    contents: vec![line],
                });
            }
        }
    }
    items
}

/// How much of a basket's content line one basket holds: the line's quantity is for them all.
pub fn per_basket(line: &SaleLine, basket: &SaleBasket) -> Decimal {
    if basket.count.is_zero() {
        line.quantity
    } else {
        (line.quantity / basket.count).normalize()
    }
}

/// `Nước mắm Phú Quốc ★★★★★`: a product's name with its OCOP stars, when it has any.
pub fn name_with_stars(name: &str, stars: Option<u8>) -> String {
    let stars = stars_text(stars);
    if stars.is_empty() {
        name.to_string()
    } else {
        format!("{name} {stars}")
    }
}

pub fn method_name(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Cash => "Tiền mặt",
        PaymentMethod::Transfer => "Chuyển khoản",
        PaymentMethod::Card => "Thẻ",
        PaymentMethod::Deposit => "Trừ tiền đặt cọc",
        PaymentMethod::OnAccount => "Ghi nợ (công nợ)",
    }
}

/// Takings for every method, in the usual order, with nothing taken shown as zero rather than
/// left out.
pub fn every_method(takings: &[(PaymentMethod, Money)]) -> [(PaymentMethod, Money); 3] {
    PaymentMethod::ALL.map(|method| {
        let taken = takings
            .iter()
            .filter(|(m, _)| *m == method)
            .map(|(_, amount)| *amount)
            .sum();
        (method, taken)
    })
}

/// VAT per rate (amount before VAT, VAT, amount with VAT) and their sums, in `body` with bold
/// headings and totals.
pub fn vat_table(sheet: &mut Sheet, buckets: &[VatBucket], body: TextStyle) {
    let bold = body.in_bold();
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("Thuế suất", Align::Left, 0.8),
            Column::new("Tiền chưa thuế", Align::Right, 1.2),
            Column::new("Tiền thuế", Align::Right, 1.0),
            Column::new("Tổng cộng", Align::Right, 1.2),
        ],
    );
    table.head(sheet, bold);
    for bucket in buckets {
        table.row(
            sheet,
            &[
                &bucket.rate.to_string(),
                &bucket.pre_vat.to_string(),
                &bucket.vat.to_string(),
                &bucket.gross.to_string(),
            ],
            body,
        );
    }
    let total = |amount: fn(&VatBucket) -> Money| -> String {
        buckets.iter().map(amount).sum::<Money>().to_string()
    };
    table.total(
        sheet,
        &[
            "Cộng",
            &total(|b| b.pre_vat),
            &total(|b| b.vat),
            &total(|b| b.gross),
        ],
        bold,
    );
}

/// Who signs a document, and the name printed under the line when it is already known.
pub struct Signatory<'a> {
    pub title: &'a str,
    pub name: &'a str,
}

/// Signature blocks side by side: each title with "sign and write your full name" under it,
/// room to sign, a line, and the name. Kept on one page.
pub fn signatures(sheet: &mut Sheet, signatories: &[Signatory], body: TextStyle, room: f32) {
    let bold = body.in_bold();
    let slot = sheet.width() / signatories.len() as f32;
    let centre = |index: usize| slot * (index as f32 + 0.5);
    let centred = |texts: Vec<&str>, style: TextStyle| -> Vec<Cell> {
        texts
            .into_iter()
            .enumerate()
            .map(|(index, text)| Cell::new(Span::new(text, style), Align::Center, centre(index)))
            .collect()
    };
    // Four lines: the three of text and one standing in for the signing line's margins.
    sheet.keep_together(4.0 * body.line_height() + room);
    sheet.row(centred(signatories.iter().map(|s| s.title).collect(), bold));
    sheet.row(centred(
        vec!["(Ký, ghi rõ họ tên)"; signatories.len()],
        body,
    ));
    sheet.gap(room);
    let half_line = slot * SIGNING_LINE / 2.0;
    let lines: Vec<(f32, f32)> = (0..signatories.len())
        .map(|index| (centre(index) - half_line, centre(index) + half_line))
        .collect();
    sheet.rules(&lines, Stroke::Dashed);
    sheet.row(centred(signatories.iter().map(|s| s.name).collect(), body));
}
