//! Invoices on A4: the printable copy of a cash-register invoice (for a company buyer's
//! accounts, and for replacements and adjustments), and the VAT invoices made on A4 before
//! (`C26TAA`), which stay reprintable. Both carry template and series, number, date and time of
//! issue, seller and buyer, each row with its rate, VAT totalled per rate, and the grand total
//! in figures and words.

use crate::core::clock::{SHOP_TIME_ZONE, format_local};
use crate::core::einvoice::{
    CONSUMER, Correction, EInvoice, InvoiceBuyer, LineNature, RelatedInvoice,
};
use crate::core::invoice::Invoice;
use crate::core::money::{Money, group_thousands};
use crate::core::payment::PaymentMethod;
use crate::core::settings::ShopSettings;
use crate::core::vat::VatBucket;
use crate::core::words::amount_in_words;
use crate::print::document::{
    DocumentInfo, REPORT_BODY, REPORT_BOLD, REPORT_SECTION, REPORT_SUBTITLE, REPORT_TITLE,
    Signatory, a4_sheet, finish_report, method_name, signatures, vat_table,
};
use crate::print::font::{TextStyle, text_width};
use crate::print::layout::{Align, Cell, Column, Sheet, Span, Stroke, Table};
use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

const TITLE: &str = "HÓA ĐƠN GIÁ TRỊ GIA TĂNG";
/// How a cash-register invoice identifies itself (Decree 254 Art. 10).
pub(super) const CASH_REGISTER: &str = "(Khởi tạo từ máy tính tiền)";
/// On every document of the demo store.
pub(super) const DEMO_MARK: &str = "HÓA ĐƠN MẪU (DEMO) - KHÔNG CÓ GIÁ TRỊ";

/// The rows have seven columns: a size smaller than the body lets a product's name and amounts
/// up to hundreds of millions fit.
const TABLE: TextStyle = TextStyle::regular(8.0);
const TABLE_BOLD: TextStyle = TextStyle::bold(8.0);
const GRAND_TOTAL: TextStyle = TextStyle::bold(10.5);

/// Width of the labels of the seller's and the buyer's details, in points: the longest,
/// "Họ tên người mua hàng:", fits.
const LABEL_WIDTH: f32 = 120.0;
/// Space left above the lines to sign on, in points.
const SIGNING_ROOM: f32 = 50.0;
/// Space between the blocks of the invoice, in points.
const BLOCK_GAP: f32 = 8.0;

/// Unit prices are kept to the hundredth of a đồng; quantities to the gram.
const PRICE_DECIMALS: u32 = 2;
const QUANTITY_DECIMALS: u32 = 3;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InvoiceOptions {
    /// A reprint: marked "BẢN SAO", otherwise the same document.
    pub copy: bool,
}

/// The seller block: name, then labelled details.
struct SellerBlock<'a> {
    name: &'a str,
    details: Vec<(&'static str, String)>,
}

/// One row of the table of goods, already as text.
struct Row {
    name: String,
    unit: String,
    quantity: Decimal,
    unit_price: Decimal,
    amount: Money,
    /// Left empty on a sales invoice, which has no VAT column.
    rate: String,
}

/// Everything the A4 layout prints, from either kind of invoice.
struct Layout<'a> {
    title: &'static str,
    issued_at: DateTime<Utc>,
    /// Mẫu số, Ký hiệu, Số — and the MCCQT under them when there is one.
    side: Vec<(String, TextStyle)>,
    seller: SellerBlock<'a>,
    buyer: Vec<(&'static str, String)>,
    rows: Vec<Row>,
    /// VAT per rate; empty on a sales invoice.
    vat: &'a [VatBucket],
    total: Money,
    /// Lines under the title saying what makes this print differ from a plain original.
    marks: Vec<Mark>,
    signers: [&'a str; 2],
    footer: String,
    info: DocumentInfo,
}

enum Mark {
    Framed(String, TextStyle),
    Line(String),
}

/// The invoice as issued, marked as a copy or as cancelled when it is one. It depends only on
/// its arguments, so printing it again gives the same bytes.
pub fn invoice_pdf(shop: &ShopSettings, invoice: &Invoice, options: &InvoiceOptions) -> Vec<u8> {
    let reference = invoice.reference();
    let account = shop.bank_account().map(|account| {
        [account.account_number, account.account_name]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" - ")
    });
    let mut marks = Vec::new();
    if options.copy {
        marks.push(Mark::Framed("BẢN SAO".into(), REPORT_SECTION));
    }
    if let Some(cancellation) = &invoice.cancellation {
        marks.push(Mark::Framed("ĐÃ HỦY".into(), REPORT_TITLE));
        marks.push(Mark::Line(format!("Lý do hủy: {}", cancellation.reason)));
        marks.push(Mark::Line(format!(
            "Hủy lúc {} - {}",
            format_local(cancellation.at),
            cancellation.by
        )));
    }
    if let Some(replaced) = &invoice.replaces {
        marks.push(Mark::Line(format!("Thay thế cho hóa đơn {replaced}")));
    }
    // Every page carries what the invoice is, so a page on its own is never mistaken for an
    // original that counts.
    let mut footer = format!("Hóa đơn {reference}");
    if options.copy {
        footer.push_str(" - BẢN SAO");
    }
    if invoice.cancellation.is_some() {
        footer.push_str(" - ĐÃ HỦY");
    }
    let buyer = &invoice.buyer;
    print(Layout {
        title: TITLE,
        issued_at: invoice.issued_at,
        side: vec![
            (format!("Mẫu số: {}", invoice.template_symbol), REPORT_BODY),
            (format!("Ký hiệu: {}", invoice.symbol), REPORT_BODY),
            (format!("Số: {:08}", invoice.number), REPORT_BOLD),
        ],
        seller: SellerBlock {
            name: &shop.shop_name,
            details: vec![
                ("Mã số thuế:", shop.tax_code.clone()),
                ("Địa chỉ:", shop.full_address()),
                ("Điện thoại:", shop.phone.clone()),
                ("Số tài khoản:", account.unwrap_or_default()),
            ],
        },
        buyer: vec![
            ("Họ tên người mua hàng:", buyer.contact.clone()),
            ("Tên đơn vị:", buyer.name.clone()),
            ("Mã số thuế:", buyer.tax_code.clone()),
            ("Địa chỉ:", buyer.address.clone()),
            ("Email:", buyer.email.clone()),
            (
                "Hình thức thanh toán:",
                methods_text(&invoice.payment_methods),
            ),
        ],
        rows: invoice
            .lines
            .iter()
            .map(|line| Row {
                name: line.name.clone(),
                unit: line.unit.clone(),
                quantity: line.quantity,
                unit_price: line.unit_price,
                amount: line.amount,
                rate: line.vat.to_string(),
            })
            .collect(),
        vat: &invoice.vat,
        total: invoice.total(),
        marks,
        signers: [&invoice.buyer.contact, &invoice.issued_by],
        footer,
        info: DocumentInfo {
            title: format!("Hóa đơn GTGT {reference}"),
            created: invoice.issued_at,
            identifier: format!("{}/{}{reference}", shop.tax_code, invoice.template_symbol),
        },
    })
}

/// The A4 copy of a cash-register invoice: the same invoice as the receipt, laid out for a
/// company's accounts. Marked as a copy, a demo, a replacement or an adjustment, and as
/// replaced when `replaced_by` names the invoice that replaced it.
pub fn einvoice_pdf(
    shop: &ShopSettings,
    invoice: &EInvoice,
    options: &InvoiceOptions,
    replaced_by: Option<&str>,
) -> Vec<u8> {
    let reference = invoice.reference();
    let mut side = vec![
        (format!("Mẫu số: {}", invoice.numbers.template), REPORT_BODY),
        (format!("Ký hiệu: {}", invoice.numbers.series), REPORT_BODY),
        (format!("Số: {:08}", invoice.numbers.number), REPORT_BOLD),
    ];
    if let Some(code) = &invoice.numbers.authority_code {
        side.push((format!("Mã CQT: {code}"), REPORT_BODY));
    }
    let mut marks = vec![Mark::Line(CASH_REGISTER.into())];
    if invoice.demo {
        marks.push(Mark::Framed(DEMO_MARK.into(), REPORT_SECTION));
    }
    if options.copy {
        marks.push(Mark::Framed("BẢN SAO".into(), REPORT_SECTION));
    }
    if let Some(by) = replaced_by {
        marks.push(Mark::Framed(
            format!("ĐÃ BỊ THAY THẾ bởi hóa đơn {by}"),
            REPORT_SECTION,
        ));
    }
    if let Some(related) = &invoice.related {
        marks.push(Mark::Line(related_text(related)));
    }
    let mut footer = format!("Hóa đơn {reference}");
    for (on, mark) in [
        (options.copy, " - BẢN SAO"),
        (invoice.demo, " - DEMO"),
        (replaced_by.is_some(), " - ĐÃ BỊ THAY THẾ"),
    ] {
        if on {
            footer.push_str(mark);
        }
    }
    let mut buyer: Vec<(&'static str, String)> = match &invoice.buyer {
        None => vec![("Người mua hàng:", CONSUMER.to_string())],
        Some(buyer) => buyer
            .details()
            .into_iter()
            .map(|(label, value)| (detail_label(label), value.to_string()))
            .collect(),
    };
    buyer.push((
        "Hình thức thanh toán:",
        methods_text(&invoice.payment_methods),
    ));
    let seller = &invoice.seller;
    let template = invoice.numbers.template;
    let account = shop
        .bank_account()
        .map(|account| format!("{} - {}", account.account_number, account.account_name));
    print(Layout {
        title: invoice.title(),
        issued_at: invoice.issued_at,
        side,
        seller: SellerBlock {
            name: &seller.name,
            details: vec![
                ("Mã số thuế:", seller.tax_code.clone()),
                ("Địa chỉ:", seller.address.clone()),
                ("Điện thoại:", seller.phone.clone()),
                ("Cửa hàng:", seller.store_name.clone()),
                ("Số tài khoản:", account.unwrap_or_default()),
            ],
        },
        buyer,
        rows: invoice
            .lines
            .iter()
            .map(|line| Row {
                name: match line.nature {
                    LineNature::Goods => line.name.clone(),
                    LineNature::Promotion => format!("{} (hàng khuyến mại)", line.name),
                },
                unit: line.unit.clone(),
                quantity: line.quantity,
                unit_price: line.unit_price,
                amount: line.amount,
                rate: if template == 1 {
                    line.vat.to_string()
                } else {
                    String::new()
                },
            })
            .collect(),
        vat: &invoice.vat,
        total: invoice.total,
        marks,
        signers: [invoice.buyer.as_ref().map_or("", InvoiceBuyer::name), ""],
        footer,
        info: DocumentInfo {
            title: format!("{} {reference}", invoice.title()),
            created: invoice.issued_at,
            identifier: format!("{}/{reference}", seller.tax_code),
        },
    })
}

/// What the buyer's details are called on the A4 copy.
fn detail_label(label: &str) -> &'static str {
    match label {
        "Người mua" => "Họ tên người mua hàng:",
        "Đơn vị" => "Tên đơn vị:",
        "MST" => "Mã số thuế:",
        "Địa chỉ" => "Địa chỉ:",
        "Email" => "Email:",
        "CCCD" => "Số CCCD:",
        "Điện thoại" => "Điện thoại:",
        "Hộ chiếu" => "Số hộ chiếu:",
        _ => "",
    }
}

/// "Thay thế cho hóa đơn …" or "Điều chỉnh cho hóa đơn …", with the date, the reason and the
/// agreement.
pub(super) fn related_text(related: &RelatedInvoice) -> String {
    let verb = match related.correction {
        Correction::Replaces => "Thay thế cho",
        Correction::Adjusts => "Điều chỉnh cho",
    };
    let mut text = format!(
        "{verb} hóa đơn {} số {:08} ngày {}",
        related.symbol(),
        related.number,
        related
            .issued_at
            .with_timezone(&SHOP_TIME_ZONE)
            .format("%d/%m/%Y")
    );
    if let Some(code) = &related.authority_code {
        text.push_str(&format!(", mã CQT {code}"));
    }
    if !related.reason.is_empty() {
        text.push_str(&format!(" - Lý do: {}", related.reason));
    }
    if !related.agreement.is_empty() {
        text.push_str(&format!(" - Biên bản thỏa thuận: {}", related.agreement));
    }
    text
}

fn methods_text(methods: &[PaymentMethod]) -> String {
    methods
        .iter()
        .map(|&method| method_name(method))
        .collect::<Vec<_>>()
        .join("/")
}

fn print(layout: Layout<'_>) -> Vec<u8> {
    let mut sheet = a4_sheet();
    seller(&mut sheet, &layout.seller);
    sheet.rule(Stroke::Solid);
    sheet.gap(BLOCK_GAP);
    title_band(&mut sheet, layout.title, layout.issued_at, &layout.side);
    for mark in &layout.marks {
        sheet.gap(4.0);
        match mark {
            Mark::Framed(text, style) => sheet.framed(text, *style),
            Mark::Line(text) => sheet.paragraph(text, REPORT_BOLD, Align::Center),
        }
    }
    sheet.gap(BLOCK_GAP);
    sheet.rule(Stroke::Solid);
    details(&mut sheet, &layout.buyer, REPORT_BODY);
    sheet.gap(BLOCK_GAP);
    lines(&mut sheet, &layout.rows);
    sheet.gap(BLOCK_GAP);
    if !layout.vat.is_empty() {
        rates(&mut sheet, layout.vat);
        sheet.gap(BLOCK_GAP);
    }
    totals(&mut sheet, layout.vat, layout.total);
    sheet.gap(2.0 * BLOCK_GAP);
    signatures(
        &mut sheet,
        &[
            Signatory {
                title: "Người mua hàng",
                name: layout.signers[0],
            },
            Signatory {
                title: "Người bán hàng",
                name: layout.signers[1],
            },
        ],
        REPORT_BODY,
        SIGNING_ROOM,
    );
    finish_report(sheet, &layout.footer, &layout.info)
}

/// The seller heads the invoice: name, then the details that are set.
fn seller(sheet: &mut Sheet, seller: &SellerBlock<'_>) {
    let mut table = details_table(sheet);
    table.row(sheet, &["Đơn vị bán hàng:", seller.name], REPORT_BOLD);
    for (label, value) in &seller.details {
        table.row(sheet, &[label, value], REPORT_BODY);
    }
}

fn details(sheet: &mut Sheet, rows: &[(&'static str, String)], style: TextStyle) {
    let mut table = details_table(sheet);
    for (label, value) in rows {
        table.row(sheet, &[label, value], style);
    }
}

/// Labels and their values, in two columns; a long value wraps in its own column.
fn details_table(sheet: &Sheet) -> Table {
    Table::new(
        sheet,
        vec![
            Column::new("", Align::Left, LABEL_WIDTH),
            Column::new("", Align::Left, sheet.width() - LABEL_WIDTH),
        ],
    )
}

/// The title and the date of issue centred, the symbols and the number on the right.
fn title_band(
    sheet: &mut Sheet,
    title: &str,
    issued_at: DateTime<Utc>,
    side: &[(String, TextStyle)],
) {
    let issued = issued_at.with_timezone(&SHOP_TIME_ZONE);
    let middle = [
        (title.to_string(), REPORT_TITLE),
        (
            issued.format("Ngày %d tháng %m năm %Y").to_string(),
            REPORT_SUBTITLE,
        ),
        (issued.format("Giờ lập: %H:%M").to_string(), REPORT_BODY),
    ];
    // The symbols line up on their left, as a block as wide as its widest line, flush right.
    let side_left = sheet.width()
        - side
            .iter()
            .map(|(text, style)| text_width(text, *style))
            .fold(0.0, f32::max);
    let centre = sheet.width() / 2.0;
    for index in 0..middle.len().max(side.len()) {
        let mut cells = Vec::new();
        if let Some((text, style)) = middle.get(index) {
            cells.push(Cell::new(Span::new(text, *style), Align::Center, centre));
        }
        if let Some((text, style)) = side.get(index) {
            cells.push(Cell::new(Span::new(text, *style), Align::Left, side_left));
        }
        sheet.row(cells);
    }
}

/// One row per invoice line, the headings repeated on every page the table runs on to.
fn lines(sheet: &mut Sheet, rows: &[Row]) {
    // Weights are widths in points: A4 prints 510 between its margins.
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("STT", Align::Center, 26.0),
            Column::new("Tên hàng hóa, dịch vụ", Align::Left, 184.0),
            Column::new("ĐVT", Align::Left, 40.0),
            Column::new("Số lượng", Align::Right, 46.0),
            Column::new("Đơn giá", Align::Right, 80.0),
            Column::new("Thành tiền chưa có thuế", Align::Right, 84.0),
            Column::new("Thuế suất", Align::Right, 50.0),
        ],
    );
    table.head(sheet, TABLE_BOLD);
    for (index, row) in rows.iter().enumerate() {
        table.row(
            sheet,
            &[
                &(index + 1).to_string(),
                &row.name,
                &row.unit,
                &vietnamese_decimal(row.quantity, QUANTITY_DECIMALS),
                &format!("{} ₫", vietnamese_decimal(row.unit_price, PRICE_DECIMALS)),
                &row.amount.to_string(),
                &row.rate,
            ],
            TABLE,
        );
    }
    sheet.rule(Stroke::Solid);
}

/// VAT totalled per rate, under its title on the same page.
fn rates(sheet: &mut Sheet, vat: &[VatBucket]) {
    // The title, the table's heading, a row per rate and the total, with room for the rules.
    let rows = vat.len() as f32 + 4.0;
    sheet.keep_together(REPORT_BOLD.line_height() + rows * TABLE.line_height() + 20.0);
    sheet.paragraph(
        "Tổng hợp thuế GTGT theo thuế suất",
        REPORT_BOLD,
        Align::Left,
    );
    vat_table(sheet, vat, TABLE);
}

/// The totals in figures (before VAT and VAT only where there is VAT per rate), then in
/// words; kept together on one page.
fn totals(sheet: &mut Sheet, vat: &[VatBucket], total: Money) {
    sheet.keep_together(3.0 * REPORT_BODY.line_height() + 3.0 * GRAND_TOTAL.line_height());
    if !vat.is_empty() {
        for (label, amount) in [
            (
                "Cộng tiền hàng (chưa có thuế GTGT):",
                vat.iter().map(|b| b.pre_vat).sum::<Money>(),
            ),
            ("Tiền thuế GTGT:", vat.iter().map(|b| b.vat).sum()),
        ] {
            sheet.amount_line(
                vec![Span::new(label, REPORT_BODY)],
                Span::new(&amount.to_string(), REPORT_BODY),
            );
        }
    }
    sheet.amount_line(
        vec![Span::new("Tổng cộng tiền thanh toán:", GRAND_TOTAL)],
        Span::new(&total.to_string(), GRAND_TOTAL),
    );
    sheet.gap(2.0);
    sheet.paragraph(
        &format!("Số tiền viết bằng chữ: {}", amount_in_words(total)),
        REPORT_BOLD,
        Align::Left,
    );
}

/// `152777.78` → `152.777,78`: dots between thousands and a decimal comma, as Vietnamese write
/// numbers, to at most `decimals` places and without trailing zeros.
fn vietnamese_decimal(value: Decimal, decimals: u32) -> String {
    let value = value
        .round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    let sign = if value.is_sign_negative() { "-" } else { "" };
    let value = value.abs();
    let whole = value.trunc();
    let mut text = format!(
        "{sign}{}",
        group_thousands(whole.try_into().unwrap_or(i64::MAX))
    );
    let fraction = (value - whole).normalize();
    if !fraction.is_zero() {
        // `0.78` → `78`.
        text.push(',');
        text.push_str(&fraction.to_string()[2..]);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_read_the_vietnamese_way() {
        assert_eq!(
            vietnamese_decimal(Decimal::new(15277778, 2), 2),
            "152.777,78"
        );
        assert_eq!(vietnamese_decimal(Decimal::new(15000000, 2), 2), "150.000");
        assert_eq!(vietnamese_decimal(Decimal::new(1250, 3), 3), "1,25");
        assert_eq!(vietnamese_decimal(Decimal::new(123455, 3), 2), "123,46");
        assert_eq!(vietnamese_decimal(Decimal::new(-5, 1), 2), "-0,5");
        assert_eq!(vietnamese_decimal(Decimal::from(1_000), 3), "1.000");
    }
}
