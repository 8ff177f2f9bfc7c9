//! The thermal receipt: a committed sale on roll paper, as a PDF or the printer's raster.

use crate::core::cart::format_quantity;
use crate::core::einvoice::{CONSUMER, EInvoice, EInvoiceLine, LineNature};
use crate::core::money::{Money, group_thousands};
use crate::core::payment::{PaymentMethod, Tender};
use crate::core::sale::{SaleBasket, SaleDraft, SaleInvoice, SaleLine, SaleRecord};
use crate::core::settings::ShopSettings;
use crate::core::vat::VatBucket;
use crate::core::words::amount_in_words;
use crate::print::document::{
    DocumentInfo, Roll, RollDocument, SaleItem, letterhead, name_with_stars, per_basket, sale_items,
};
use crate::print::font::TextStyle;
use crate::print::invoice::CASH_REGISTER;
use crate::print::layout::{Align, Cell, Sheet, Span, Stroke};
use chrono_tz::Asia::Ho_Chi_Minh;
use printpdf::Mm;
use qrcode::{EcLevel, QrCode};
use rust_decimal::Decimal;

/// The invoice's lookup code: less data than a VietQR, so it stays small.
const LOOKUP_QR_SIDE: Mm = Mm(24.0);

pub(super) const BODY: TextStyle = TextStyle::regular(8.5);
pub(super) const BODY_BOLD: TextStyle = TextStyle::bold(8.5);
pub(super) const SMALL: TextStyle = TextStyle::regular(7.0);
const SMALL_BOLD: TextStyle = TextStyle::bold(7.0);
pub(super) const SHOP_NAME: TextStyle = TextStyle::bold(10.0);
pub(super) const TITLE: TextStyle = TextStyle::bold(12.0);
const GRAND_TOTAL: TextStyle = TextStyle::bold(13.0);

/// Space between two sale lines, in points.
pub(super) const ITEM_GAP: f32 = 1.5;
/// How far a basket's contents are set in under its name, in points.
pub(super) const INDENT: f32 = 6.0;
/// Where the right edge of the VAT table's middle column sits, as a share of the width.
const PRE_VAT_COLUMN: f32 = 0.66;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReceiptOptions {
    /// A reprint: marked "BẢN SAO" under the title, otherwise the same document.
    pub copy: bool,
}

/// The receipt for a committed sale: for a sale with a cash-register invoice, the invoice
/// itself (title per template, series and number, MCCQT, buyer, prices before VAT, VAT per
/// rate, the total in words and a lookup QR); for a sale of a shop whose registration is not
/// filled in, a receipt that says it is not an invoice; for a sale from before invoices, the
/// receipt as it was. It depends only on its arguments, so printing the same sale again gives
/// the same bytes.
pub fn receipt_pdf(shop: &ShopSettings, sale: &SaleRecord, options: &ReceiptOptions) -> Vec<u8> {
    receipt(shop, sale, options, Roll::PDF).pdf()
}

/// The receipt laid out on `roll`, for the PDF or the printer.
pub fn receipt(
    shop: &ShopSettings,
    sale: &SaleRecord,
    options: &ReceiptOptions,
    roll: Roll,
) -> RollDocument {
    let mut sheet = roll.sheet();
    let invoice = sale.invoice.issued();
    match invoice {
        Some(invoice) => invoice_header(&mut sheet, sale, invoice, options),
        None => header(&mut sheet, shop, sale, options),
    }
    sheet.rule(Stroke::Dashed);
    match invoice {
        Some(invoice) => invoice_lines(&mut sheet, &sale.draft, invoice),
        None => sale_lines(&mut sheet, &sale.draft),
    }
    sheet.rule(Stroke::Solid);
    match invoice {
        Some(invoice) => invoice_totals(&mut sheet, &sale.draft, invoice),
        None => {
            totals(&mut sheet, &sale.draft);
            sheet.rule(Stroke::Dashed);
            vat_table(&mut sheet, &sale.draft.vat);
        }
    }
    sheet.rule(Stroke::Dashed);
    payments(&mut sheet, &sale.draft);
    if let Some(invoice) = invoice {
        lookup(&mut sheet, invoice);
    }
    sheet.rule(Stroke::Dashed);
    sheet.paragraph(&shop.receipt_footer, BODY, Align::Center);

    let title = match invoice {
        Some(invoice) => format!("{} {}", invoice.title(), invoice.reference()),
        None => format!("Hóa đơn bán lẻ {}", sale.receipt_no),
    };
    RollDocument {
        page: sheet.into_page(),
        info: DocumentInfo {
            title,
            created: sale.sold_at,
            identifier: format!("{}/{}", shop.tax_code, sale.receipt_no),
        },
        roll,
    }
}

fn header(sheet: &mut Sheet, shop: &ShopSettings, sale: &SaleRecord, options: &ReceiptOptions) {
    letterhead(sheet, shop, Align::Center, SHOP_NAME, SMALL);
    sheet.rule(Stroke::Dashed);
    sheet.paragraph("HÓA ĐƠN BÁN LẺ", TITLE, Align::Center);
    if sale.invoice == SaleInvoice::NotRegistered {
        sheet.gap(2.0);
        sheet.framed("CHƯA ĐĂNG KÝ HÓA ĐƠN", BODY_BOLD);
        sheet.paragraph(
            "Cửa hàng chưa đăng ký hóa đơn điện tử từ máy tính tiền: phiếu này không phải hóa đơn.",
            SMALL,
            Align::Center,
        );
    }
    if options.copy {
        sheet.gap(2.0);
        sheet.framed("BẢN SAO", TITLE);
    }
    sheet.gap(2.0);
    let sold_at = sale.sold_at.with_timezone(&Ho_Chi_Minh);
    for line in [
        format!("Số: {}", sale.receipt_no),
        format!("Ngày: {}", sold_at.format("%d/%m/%Y %H:%M")),
        format!("Thu ngân: {}", sale.draft.cashier),
    ] {
        sheet.paragraph(&line, BODY, Align::Left);
    }
    sold_at_counter(sheet, sale);
}

/// A sale sold at another counter and reprinted here names the counter that sold it.
fn sold_at_counter(sheet: &mut Sheet, sale: &SaleRecord) {
    if let Some(counter) = &sale.counter {
        sheet.paragraph(&format!("Bán tại quầy: {counter}"), BODY_BOLD, Align::Left);
    }
}

/// The invoice's head: the seller as registered, the title and how it was made, the demo and
/// copy marks, template and series, number, MCCQT, time, and the buyer.
fn invoice_header(
    sheet: &mut Sheet,
    sale: &SaleRecord,
    invoice: &EInvoice,
    options: &ReceiptOptions,
) {
    let seller = &invoice.seller;
    sheet.paragraph(&seller.name, SHOP_NAME, Align::Center);
    for line in [
        seller.store_name.clone(),
        seller.address.clone(),
        format!("MST: {}", seller.tax_code),
        if seller.phone.is_empty() {
            String::new()
        } else {
            format!("ĐT: {}", seller.phone)
        },
    ] {
        if !line.is_empty() {
            sheet.paragraph(&line, SMALL, Align::Center);
        }
    }
    sheet.rule(Stroke::Dashed);
    sheet.paragraph(invoice.title(), TITLE, Align::Center);
    sheet.paragraph(CASH_REGISTER, SMALL, Align::Center);
    if invoice.demo {
        sheet.gap(2.0);
        sheet.framed("HÓA ĐƠN MẪU (DEMO)", TITLE);
        sheet.paragraph(
            "Cửa hàng demo - không có giá trị",
            SMALL_BOLD,
            Align::Center,
        );
    }
    if options.copy {
        sheet.gap(2.0);
        sheet.framed("BẢN SAO", TITLE);
    }
    sheet.gap(2.0);
    sheet.amount_line(
        vec![Span::new(
            &format!("Ký hiệu: {}", invoice.symbol()),
            BODY_BOLD,
        )],
        Span::new(&format!("Số: {:08}", invoice.numbers.number), BODY_BOLD),
    );
    if let Some(code) = &invoice.numbers.authority_code {
        sheet.paragraph(&format!("Mã CQT: {code}"), BODY, Align::Left);
    }
    let sold_at = sale.sold_at.with_timezone(&Ho_Chi_Minh);
    for line in [
        format!("Ngày: {}", sold_at.format("%d/%m/%Y %H:%M")),
        format!(
            "Phiếu: {} - Thu ngân: {}",
            sale.receipt_no, sale.draft.cashier
        ),
    ] {
        sheet.paragraph(&line, BODY, Align::Left);
    }
    sold_at_counter(sheet, sale);
    sheet.rule(Stroke::Dashed);
    match &invoice.buyer {
        None => sheet.paragraph(&format!("Người mua: {CONSUMER}"), BODY, Align::Left),
        Some(buyer) => {
            for (label, value) in buyer.details() {
                sheet.paragraph(&format!("{label}: {value}"), BODY, Align::Left);
            }
        }
    }
}

/// The invoice's rows in the order rung up, a basket's components under its name. A VAT invoice
/// shows each row's price and amount before VAT and its rate; a sales invoice, as paid.
fn invoice_lines(sheet: &mut Sheet, draft: &SaleDraft, invoice: &EInvoice) {
    // The invoice has one row per sale line, in the same order.
    let row_of = |line: &SaleLine| {
        draft
            .lines
            .iter()
            .position(|l| std::ptr::eq(l, line))
            .and_then(|index| invoice.lines.get(index))
    };
    let template = invoice.numbers.template;
    for (index, item) in sale_items(draft).into_iter().enumerate() {
        if index > 0 {
            sheet.gap(ITEM_GAP);
        }
        match item {
            SaleItem::Line(line) => {
                if let Some(row) = row_of(line) {
                    invoice_row(sheet, line, row, template, 0.0);
                }
            }
            SaleItem::Basket { basket, contents } => {
                sheet.paragraph(&basket.name, BODY_BOLD, Align::Left);
                let count = format!(
                    "{} giỏ x {} (giá đã gồm VAT)",
                    format_quantity(basket.count),
                    basket.unit_price
                );
                sheet.amount_line(
                    vec![Span::new(&count, SMALL)],
                    Span::new(&basket.total.to_string(), SMALL),
                );
                for line in contents {
                    if let Some(row) = row_of(line) {
                        invoice_row(sheet, line, row, template, INDENT);
                    }
                }
            }
        }
    }
}

fn invoice_row(sheet: &mut Sheet, line: &SaleLine, row: &EInvoiceLine, template: u8, indent: f32) {
    sheet.indented(&name_with_stars(&line.name, line.stars), BODY_BOLD, indent);
    if row.nature == LineNature::Promotion {
        sheet.indented(
            &format!(
                "{} {} - hàng khuyến mại, không thu tiền",
                format_quantity(row.quantity),
                row.unit
            ),
            SMALL,
            indent,
        );
        return;
    }
    let pad = " ".repeat((indent / 2.0) as usize);
    let quantity = format!(
        "{pad}{} {} x {}",
        format_quantity(row.quantity),
        row.unit,
        price_text(row.unit_price)
    );
    let mut label = vec![Span::new(&quantity, BODY)];
    if template == 1 {
        label.push(Span::new(&format!("  {}", row.vat), SMALL));
    }
    sheet.amount_line(label, Span::new(&row.amount.to_string(), BODY));
    let discount = line.line_discount + line.order_discount;
    if discount > Money::ZERO {
        sheet.indented(&format!("(đã giảm giá {discount})"), SMALL, indent);
    }
}

/// A unit price to the đồng, or to the hundredth when it has a fraction: `152.777,78`.
fn price_text(price: Decimal) -> String {
    let rounded = price.round_dp(2).normalize();
    let whole = rounded.trunc();
    let mut text = group_thousands(whole.try_into().unwrap_or(i64::MAX));
    let fraction = (rounded - whole).abs().normalize();
    if !fraction.is_zero() {
        text.push(',');
        text.push_str(&fraction.to_string()[2..]);
    }
    text
}

/// Before VAT, VAT per rate and the total for a VAT invoice; the total for a sales invoice;
/// then the total in words.
fn invoice_totals(sheet: &mut Sheet, draft: &SaleDraft, invoice: &EInvoice) {
    if invoice.numbers.template == 1 {
        amount_row(
            sheet,
            "Cộng tiền hàng chưa thuế",
            invoice.total_before_vat(),
            BODY,
        );
        sheet.rule(Stroke::Dashed);
        vat_table(sheet, &invoice.vat);
        sheet.gap(2.0);
    }
    amount_row(sheet, "TỔNG CỘNG", invoice.total, GRAND_TOTAL);
    if draft.discounts > Money::ZERO {
        amount_row(sheet, "Đã gồm giảm giá", draft.discounts, SMALL);
    }
    sheet.paragraph(
        &format!("Bằng chữ: {}", amount_in_words(invoice.total)),
        SMALL,
        Align::Left,
    );
}

/// Where the buyer looks the invoice up: a QR of its data and the lookup address.
fn lookup(sheet: &mut Sheet, invoice: &EInvoice) {
    sheet.rule(Stroke::Dashed);
    sheet.paragraph("Tra cứu hóa đơn", BODY_BOLD, Align::Center);
    if let Ok(code) = QrCode::with_error_correction_level(invoice.qr_payload(), EcLevel::M) {
        sheet.qr(&code, LOOKUP_QR_SIDE);
    }
    if !invoice.lookup_url.is_empty() {
        sheet.paragraph(&invoice.lookup_url, SMALL, Align::Center);
    }
    if let Some(code) = &invoice.numbers.authority_code {
        sheet.paragraph(&format!("Mã tra cứu: {code}"), SMALL, Align::Center);
    }
    if invoice.demo {
        sheet.paragraph(
            "HÓA ĐƠN MẪU (DEMO) - KHÔNG CÓ GIÁ TRỊ",
            SMALL_BOLD,
            Align::Center,
        );
    }
}

fn sale_lines(sheet: &mut Sheet, draft: &SaleDraft) {
    for (index, item) in sale_items(draft).into_iter().enumerate() {
        if index > 0 {
            sheet.gap(ITEM_GAP);
        }
        match item {
            SaleItem::Line(line) => sale_line(sheet, line),
            SaleItem::Basket { basket, contents } => basket_line(sheet, basket, &contents),
        }
    }
}

fn sale_line(sheet: &mut Sheet, line: &SaleLine) {
    sheet.paragraph(
        &name_with_stars(&line.name, line.stars),
        BODY_BOLD,
        Align::Left,
    );
    let quantity = format!(
        "{} {} x {}",
        format_quantity(line.quantity),
        line.unit,
        line.unit_price
    );
    sheet.amount_line(
        vec![
            Span::new(&quantity, BODY),
            Span::new(&format!("  VAT {}", line.vat), SMALL),
        ],
        Span::new(&line.gross.to_string(), BODY),
    );
    line_discount(sheet, line.line_discount);
}

/// A basket is one priced line; its contents follow without prices, since the customer pays
/// for the basket. When its price is not what the contents cost on the shelf, that is shown
/// openly, so the discount (or the packing mark-up) can be seen.
fn basket_line(sheet: &mut Sheet, basket: &SaleBasket, contents: &[&SaleLine]) {
    sheet.paragraph(&basket.name, BODY_BOLD, Align::Left);
    let count = format!(
        "{} giỏ x {}",
        format_quantity(basket.count),
        basket.unit_price
    );
    sheet.amount_line(
        vec![Span::new(&count, BODY)],
        Span::new(&basket.gross.to_string(), BODY),
    );
    for line in contents {
        let content = format!(
            "- {} x {} {}",
            line.name,
            format_quantity(per_basket(line, basket)),
            line.unit
        );
        sheet.indented(&content, SMALL, INDENT);
    }
    if basket.components_value != basket.unit_price {
        let value = format!("Giá lẻ các món: {}/giỏ", basket.components_value);
        sheet.indented(&value, SMALL, INDENT);
    }
    // The basket's own discount: its share of the order discount is in the totals, as it is
    // for any line.
    line_discount(sheet, contents.iter().map(|line| line.line_discount).sum());
}

fn line_discount(sheet: &mut Sheet, discount: Money) {
    if discount > Money::ZERO {
        amount_row(sheet, "    Giảm giá", -discount, BODY);
    }
}

fn amount_row(sheet: &mut Sheet, label: &str, amount: Money, style: TextStyle) {
    sheet.amount_line(
        vec![Span::new(label, style)],
        Span::new(&amount.to_string(), style),
    );
}

fn totals(sheet: &mut Sheet, draft: &SaleDraft) {
    amount_row(sheet, "Tổng tiền hàng", draft.gross, BODY);
    if draft.discounts != Money::ZERO {
        amount_row(sheet, "Giảm giá", -draft.discounts, BODY);
    }
    sheet.gap(2.0);
    amount_row(sheet, "TỔNG CỘNG", draft.total, GRAND_TOTAL);
}

/// VAT per rate, as a cash-register receipt must show it.
fn vat_table(sheet: &mut Sheet, buckets: &[VatBucket]) {
    let pre_vat_right = sheet.width() * PRE_VAT_COLUMN;
    let amounts_right = sheet.width();
    let columns = |rate: String, pre_vat: String, vat: String, style: TextStyle| {
        vec![
            Cell::new(Span::new(&rate, style), Align::Left, 0.0),
            Cell::new(Span::new(&pre_vat, style), Align::Right, pre_vat_right),
            Cell::new(Span::new(&vat, style), Align::Right, amounts_right),
        ]
    };
    sheet.row(columns(
        "Thuế suất".into(),
        "Tiền trước thuế".into(),
        "Tiền thuế".into(),
        SMALL_BOLD,
    ));
    for bucket in buckets {
        sheet.row(columns(
            bucket.rate.to_string(),
            bucket.pre_vat.to_string(),
            bucket.vat.to_string(),
            SMALL,
        ));
    }
    let vat_total: Money = buckets.iter().map(|b| b.vat).sum();
    amount_row(sheet, "Tổng tiền thuế", vat_total, SMALL_BOLD);
}

/// The money as it was paid. A transfer is shown as paid, with the note it carried (the cart's
/// number, which the shop's bank statement shows): never a QR code, which would invite the
/// customer to pay a second time.
fn payments(sheet: &mut Sheet, draft: &SaleDraft) {
    for tender in &draft.tenders {
        let method = match tender.method {
            PaymentMethod::Cash => "Tiền mặt",
            PaymentMethod::Transfer => "Đã thanh toán chuyển khoản",
            PaymentMethod::Card => "Thẻ",
            PaymentMethod::Deposit => "Trừ tiền đặt cọc",
            PaymentMethod::OnAccount => "Ghi nợ (công nợ)",
        };
        amount_row(sheet, method, tender.amount, BODY);
        if let Some(note) = transfer_note(tender) {
            sheet.indented(&format!("Nội dung CK: {note}"), SMALL, INDENT);
        }
    }
    if draft.change > Money::ZERO {
        amount_row(sheet, "Tiền thối lại", draft.change, BODY_BOLD);
    }
}

/// The transfer note a tender carried. Sales of earlier versions kept the whole VietQR
/// payload instead (an EMV string, `000201…`): it is not printed.
fn transfer_note(tender: &Tender) -> Option<&str> {
    tender
        .reference
        .as_deref()
        .filter(|_| tender.method == PaymentMethod::Transfer)
        .filter(|note| !note.trim().is_empty() && !note.starts_with("000201"))
}
