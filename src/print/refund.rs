//! The refund slip (phiếu trả hàng): a committed refund on the receipt's 80 mm roll, in the
//! receipt's type, pointing back at the sale it gives money back for. The customer and the
//! cashier both sign it.

use crate::core::cart::format_quantity;
use crate::core::clock::format_local;
use crate::core::einvoice::EInvoice;
use crate::core::money::Money;
use crate::core::refund::{RefundLine, RefundRecord};
use crate::core::sale::{SaleLine, SaleRecord};
use crate::core::settings::ShopSettings;
use crate::print::document::{
    DocumentInfo, Roll, RollDocument, Signatory, letterhead, method_name, name_with_stars,
    signatures, vat_table,
};
use crate::print::font::TextStyle;
use crate::print::invoice::related_text;
use crate::print::layout::{Align, Sheet, Span, Stroke};
use crate::print::receipt::{BODY, BODY_BOLD, ITEM_GAP, SHOP_NAME, SMALL, TITLE};

/// The amount given back stands out as the receipt's grand total does.
const REFUND_TOTAL: TextStyle = TextStyle::bold(12.0);
/// Space left above the lines to sign on, in points.
const SIGNING_ROOM: f32 = 34.0;

/// The slip for a committed refund of `sale`. It depends only on its arguments, so printing
/// the same refund again gives the same bytes.
pub fn refund_pdf(shop: &ShopSettings, refund: &RefundRecord, sale: &SaleRecord) -> Vec<u8> {
    refund_slip(shop, refund, sale, Roll::PDF).pdf()
}

/// The slip laid out on `roll`, for the PDF or the printer.
pub fn refund_slip(
    shop: &ShopSettings,
    refund: &RefundRecord,
    sale: &SaleRecord,
    roll: Roll,
) -> RollDocument {
    let mut sheet = roll.sheet();
    letterhead(&mut sheet, shop, Align::Center, SHOP_NAME, SMALL);
    sheet.rule(Stroke::Dashed);
    sheet.paragraph("PHIẾU TRẢ HÀNG", TITLE, Align::Center);
    sheet.gap(2.0);
    for line in [
        format!("Số: {}", refund.refund_no),
        format!("Ngày trả: {}", format_local(refund.refunded_at)),
        format!("Theo hóa đơn: {}", sale.receipt_no),
        format!("Ngày bán: {}", format_local(sale.sold_at)),
        format!("Thu ngân: {}", refund.cashier),
    ] {
        sheet.paragraph(&line, BODY, Align::Left);
    }
    if let Some(approver) = &refund.approver {
        sheet.paragraph(&format!("Quản lý duyệt: {approver}"), BODY, Align::Left);
    }
    if let Some(adjustment) = &refund.adjustment {
        adjustment_lines(&mut sheet, adjustment);
    }
    sheet.rule(Stroke::Dashed);
    for (index, line) in refund.lines.iter().enumerate() {
        if index > 0 {
            sheet.gap(ITEM_GAP);
        }
        refund_line(&mut sheet, line, sale.draft.lines.get(line.line_no));
    }
    sheet.rule(Stroke::Solid);
    amount_row(&mut sheet, "TỔNG TIỀN TRẢ LẠI", refund.total, REFUND_TOTAL);
    sheet.rule(Stroke::Dashed);
    sheet.paragraph("Thuế GTGT hoàn lại theo thuế suất", BODY_BOLD, Align::Left);
    vat_table(&mut sheet, &refund.vat, SMALL);
    sheet.rule(Stroke::Dashed);
    amount_row(
        &mut sheet,
        &format!("Hoàn tiền: {}", method_name(refund.method)),
        refund.total,
        BODY,
    );
    let goods = if refund.restock {
        "Nhập lại kho"
    } else {
        "Hủy — hàng hỏng"
    };
    sheet.paragraph(&format!("Hàng trả: {goods}"), BODY, Align::Left);
    if !refund.reason.trim().is_empty() {
        sheet.paragraph(
            &format!("Lý do: {}", refund.reason.trim()),
            BODY,
            Align::Left,
        );
    }
    sheet.rule(Stroke::Dashed);
    sheet.gap(4.0);
    signatures(
        &mut sheet,
        &[
            Signatory {
                title: "Khách hàng",
                name: "",
            },
            Signatory {
                title: "Thu ngân",
                name: &refund.cashier,
            },
        ],
        SMALL,
        SIGNING_ROOM,
    );

    RollDocument {
        page: sheet.into_page(),
        info: DocumentInfo {
            title: format!("Phiếu trả hàng {}", refund.refund_no),
            created: refund.refunded_at,
            identifier: format!("{}/{}", shop.tax_code, refund.refund_no),
        },
        roll,
    }
}

/// A line given back: its name (with stars, as on the receipt), how much of it, and the money.
/// The sale line, when found, gives the unit and how many were bought, so a partial return
/// reads as such; the refund line alone is still printed without them.
fn refund_line(sheet: &mut Sheet, line: &RefundLine, sold: Option<&SaleLine>) {
    let name = sold.map_or_else(
        || line.name.clone(),
        |sold| name_with_stars(&line.name, sold.stars),
    );
    sheet.paragraph(&name, BODY_BOLD, Align::Left);
    let quantity = format_quantity(line.quantity);
    let detail = match sold {
        Some(sold) if sold.quantity != line.quantity => format!(
            "Trả {quantity} {} (đã mua {})",
            sold.unit,
            format_quantity(sold.quantity)
        ),
        Some(sold) => format!("Trả {quantity} {}", sold.unit),
        None => format!("Trả {quantity}"),
    };
    sheet.amount_line(
        vec![Span::new(&detail, BODY)],
        Span::new(&line.amount.to_string(), BODY),
    );
}

fn amount_row(sheet: &mut Sheet, label: &str, amount: Money, style: TextStyle) {
    sheet.amount_line(
        vec![Span::new(label, style)],
        Span::new(&amount.to_string(), style),
    );
}

/// The adjustment invoice the refund made: its numbers and the invoice it adjusts.
fn adjustment_lines(sheet: &mut Sheet, adjustment: &EInvoice) {
    sheet.gap(2.0);
    sheet.paragraph("HÓA ĐƠN ĐIỀU CHỈNH GIẢM", BODY_BOLD, Align::Left);
    let mut lines = vec![format!(
        "Ký hiệu: {}  Số: {:08}",
        adjustment.symbol(),
        adjustment.numbers.number
    )];
    if let Some(code) = &adjustment.numbers.authority_code {
        lines.push(format!("Mã CQT: {code}"));
    }
    if let Some(related) = &adjustment.related {
        lines.push(related_text(related));
    }
    if adjustment.demo {
        lines.push("HÓA ĐƠN MẪU (DEMO) - KHÔNG CÓ GIÁ TRỊ".into());
    }
    for line in lines {
        sheet.paragraph(&line, SMALL, Align::Left);
    }
}
