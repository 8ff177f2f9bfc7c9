//! The VAT invoice (hóa đơn giá trị gia tăng) on A4, with every field Decree 123/2020 asks for:
//! template and invoice symbols, number, date and time of issue, seller and buyer, each row
//! before VAT with its rate, VAT totalled per rate, and the grand total in figures and words.

use crate::core::clock::{SHOP_TIME_ZONE, format_local};
use crate::core::invoice::{Invoice, InvoiceLine};
use crate::core::money::group_thousands;
use crate::core::settings::ShopSettings;
use crate::core::words::amount_in_words;
use crate::print::document::{
    DocumentInfo, REPORT_BODY, REPORT_BOLD, REPORT_SECTION, REPORT_SUBTITLE, REPORT_TITLE,
    Signatory, a4_sheet, finish_report, method_name, signatures, vat_table,
};
use crate::print::font::{TextStyle, text_width};
use crate::print::layout::{Align, Cell, Column, Sheet, Span, Stroke, Table};
use rust_decimal::{Decimal, RoundingStrategy};

const TITLE: &str = "HÓA ĐƠN GIÁ TRỊ GIA TĂNG";

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

/// The invoice as issued, marked as a copy or as cancelled when it is one. It depends only on
/// its arguments, so printing it again gives the same bytes.
pub fn invoice_pdf(shop: &ShopSettings, invoice: &Invoice, options: &InvoiceOptions) -> Vec<u8> {
    let mut sheet = a4_sheet();
    seller(&mut sheet, shop);
    sheet.rule(Stroke::Solid);
    sheet.gap(BLOCK_GAP);
    title_band(&mut sheet, invoice);
    status(&mut sheet, invoice, options);
    sheet.gap(BLOCK_GAP);
    sheet.rule(Stroke::Solid);
    buyer(&mut sheet, invoice);
    sheet.gap(BLOCK_GAP);
    lines(&mut sheet, &invoice.lines);
    sheet.gap(BLOCK_GAP);
    rates(&mut sheet, invoice);
    sheet.gap(BLOCK_GAP);
    totals(&mut sheet, invoice);
    sheet.gap(2.0 * BLOCK_GAP);
    signatures(
        &mut sheet,
        &[
            Signatory {
                title: "Người mua hàng",
                name: &invoice.buyer.contact,
            },
            Signatory {
                title: "Người bán hàng",
                name: &invoice.issued_by,
            },
        ],
        REPORT_BODY,
        SIGNING_ROOM,
    );

    let reference = invoice.reference();
    // Every page carries what the invoice is, so a page on its own is never mistaken for an
    // original that counts.
    let mut footer = format!("Hóa đơn {reference}");
    if options.copy {
        footer.push_str(" - BẢN SAO");
    }
    if invoice.cancellation.is_some() {
        footer.push_str(" - ĐÃ HỦY");
    }
    finish_report(
        sheet,
        &footer,
        &DocumentInfo {
            title: format!("Hóa đơn GTGT {reference}"),
            created: invoice.issued_at,
            identifier: format!("{}/{}{reference}", shop.tax_code, invoice.template_symbol),
        },
    )
}

/// The seller heads the invoice: name, tax code, address, phone and bank account.
fn seller(sheet: &mut Sheet, shop: &ShopSettings) {
    let account = shop.bank_account().map(|account| {
        [account.account_number, account.account_name]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" - ")
    });
    let address = shop.full_address();
    let mut table = details_table(sheet);
    table.row(sheet, &["Đơn vị bán hàng:", &shop.shop_name], REPORT_BOLD);
    for (label, value) in [
        ("Mã số thuế:", shop.tax_code.as_str()),
        ("Địa chỉ:", &address),
        ("Điện thoại:", &shop.phone),
        ("Số tài khoản:", account.as_deref().unwrap_or_default()),
    ] {
        table.row(sheet, &[label, value], REPORT_BODY);
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
fn title_band(sheet: &mut Sheet, invoice: &Invoice) {
    let issued = invoice.issued_at.with_timezone(&SHOP_TIME_ZONE);
    let middle = [
        (TITLE.to_string(), REPORT_TITLE),
        (
            issued.format("Ngày %d tháng %m năm %Y").to_string(),
            REPORT_SUBTITLE,
        ),
        (issued.format("Giờ lập: %H:%M").to_string(), REPORT_BODY),
    ];
    let side = [
        (format!("Mẫu số: {}", invoice.template_symbol), REPORT_BODY),
        (format!("Ký hiệu: {}", invoice.symbol), REPORT_BODY),
        (format!("Số: {:08}", invoice.number), REPORT_BOLD),
    ];
    // The symbols line up on their left, as a block as wide as its widest line, flush right.
    let side_left = sheet.width()
        - side
            .iter()
            .map(|(text, style)| text_width(text, *style))
            .fold(0.0, f32::max);
    let centre = sheet.width() / 2.0;
    for ((text, style), (side_text, side_style)) in middle.into_iter().zip(side) {
        sheet.row(vec![
            Cell::new(Span::new(&text, style), Align::Center, centre),
            Cell::new(Span::new(&side_text, side_style), Align::Left, side_left),
        ]);
    }
}

/// What makes this print differ from the original: a copy, a cancellation, a replacement.
fn status(sheet: &mut Sheet, invoice: &Invoice, options: &InvoiceOptions) {
    if options.copy {
        sheet.gap(4.0);
        sheet.framed("BẢN SAO", REPORT_SECTION);
    }
    if let Some(cancellation) = &invoice.cancellation {
        sheet.gap(4.0);
        sheet.framed("ĐÃ HỦY", REPORT_TITLE);
        sheet.gap(2.0);
        for line in [
            format!("Lý do hủy: {}", cancellation.reason),
            format!(
                "Hủy lúc {} - {}",
                format_local(cancellation.at),
                cancellation.by
            ),
        ] {
            sheet.paragraph(&line, REPORT_BOLD, Align::Center);
        }
    }
    if let Some(replaced) = &invoice.replaces {
        sheet.gap(4.0);
        sheet.paragraph(
            &format!("Thay thế cho hóa đơn {replaced}"),
            REPORT_BOLD,
            Align::Center,
        );
    }
}

fn buyer(sheet: &mut Sheet, invoice: &Invoice) {
    let buyer = &invoice.buyer;
    let methods: Vec<&str> = invoice
        .payment_methods
        .iter()
        .map(|&method| method_name(method))
        .collect();
    let methods = methods.join("/");
    let mut table = details_table(sheet);
    for (label, value) in [
        ("Họ tên người mua hàng:", buyer.contact.as_str()),
        ("Tên đơn vị:", &buyer.name),
        ("Mã số thuế:", &buyer.tax_code),
        ("Địa chỉ:", &buyer.address),
        ("Email:", &buyer.email),
        ("Hình thức thanh toán:", &methods),
    ] {
        table.row(sheet, &[label, value], REPORT_BODY);
    }
}

/// One row per invoice line, the headings repeated on every page the table runs on to.
fn lines(sheet: &mut Sheet, lines: &[InvoiceLine]) {
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
    for (index, line) in lines.iter().enumerate() {
        table.row(
            sheet,
            &[
                &(index + 1).to_string(),
                &line.name,
                &line.unit,
                &vietnamese_decimal(line.quantity, QUANTITY_DECIMALS),
                &format!("{} ₫", vietnamese_decimal(line.unit_price, PRICE_DECIMALS)),
                &line.amount.to_string(),
                &line.vat.to_string(),
            ],
            TABLE,
        );
    }
    sheet.rule(Stroke::Solid);
}

/// VAT totalled per rate, under its title on the same page.
fn rates(sheet: &mut Sheet, invoice: &Invoice) {
    // The title, the table's heading, a row per rate and the total, with room for the rules.
    let rows = invoice.vat.len() as f32 + 4.0;
    sheet.keep_together(REPORT_BOLD.line_height() + rows * TABLE.line_height() + 20.0);
    sheet.paragraph(
        "Tổng hợp thuế GTGT theo thuế suất",
        REPORT_BOLD,
        Align::Left,
    );
    vat_table(sheet, &invoice.vat, TABLE);
}

/// The totals in figures, then in words; kept together on one page.
fn totals(sheet: &mut Sheet, invoice: &Invoice) {
    sheet.keep_together(3.0 * REPORT_BODY.line_height() + 3.0 * GRAND_TOTAL.line_height());
    for (label, amount, style) in [
        (
            "Cộng tiền hàng (chưa có thuế GTGT):",
            invoice.total_before_vat(),
            REPORT_BODY,
        ),
        ("Tiền thuế GTGT:", invoice.total_vat(), REPORT_BODY),
        ("Tổng cộng tiền thanh toán:", invoice.total(), GRAND_TOTAL),
    ] {
        sheet.amount_line(
            vec![Span::new(label, style)],
            Span::new(&amount.to_string(), style),
        );
    }
    sheet.gap(2.0);
    sheet.paragraph(
        &format!(
            "Số tiền viết bằng chữ: {}",
            amount_in_words(invoice.total())
        ),
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
