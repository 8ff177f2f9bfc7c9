//! The gift slip: what a gift holds and who made it, for the person receiving it, on the same
//! 80 mm roll as the receipt. It never shows a price.

use crate::core::cart::format_quantity;
use crate::core::clock::local_date;
use crate::core::sale::{SaleLine, SaleRecord};
use crate::core::settings::ShopSettings;
use crate::print::document::{
    DocumentInfo, Roll, RollDocument, SaleItem, letterhead, name_with_stars, per_basket, sale_items,
};
use crate::print::layout::{Align, Sheet, Stroke};
use crate::print::receipt::{BODY, BODY_BOLD, INDENT, ITEM_GAP, SHOP_NAME, SMALL, TITLE};
use rust_decimal::Decimal;

/// The slip for a committed sale: each basket with its contents, then the loose items, each
/// product with its producer and OCOP stars. Its bytes depend only on its arguments.
pub fn gift_slip_pdf(shop: &ShopSettings, sale: &SaleRecord) -> Vec<u8> {
    gift_slip(shop, sale, Roll::PDF).pdf()
}

/// The slip laid out on `roll`, for the PDF or the printer.
pub fn gift_slip(shop: &ShopSettings, sale: &SaleRecord, roll: Roll) -> RollDocument {
    let mut sheet = roll.sheet();
    letterhead(&mut sheet, shop, Align::Center, SHOP_NAME, SMALL);
    sheet.rule(Stroke::Dashed);
    sheet.paragraph("PHIẾU QUÀ TẶNG", TITLE, Align::Center);
    sheet.gap(2.0);
    // The receipt's number lets the recipient exchange a product without the receipt itself.
    for line in [
        format!("Ngày: {}", local_date(sale.sold_at).format("%d/%m/%Y")),
        format!("Kèm hóa đơn số: {}", sale.receipt_no),
    ] {
        sheet.paragraph(&line, SMALL, Align::Center);
    }
    sheet.rule(Stroke::Dashed);
    for (index, item) in sale_items(&sale.draft).into_iter().enumerate() {
        if index > 0 {
            sheet.gap(2.0 * ITEM_GAP);
        }
        match item {
            SaleItem::Line(line) => product(&mut sheet, line, line.quantity, 0.0),
            SaleItem::Basket { basket, contents } => {
                let name = format!("{} x {}", basket.name, format_quantity(basket.count));
                sheet.paragraph(&name, BODY_BOLD, Align::Left);
                if basket.count > Decimal::ONE {
                    sheet.indented("Mỗi giỏ gồm:", SMALL, INDENT);
                }
                for line in contents {
                    product(&mut sheet, line, per_basket(line, basket), INDENT);
                }
            }
        }
    }
    sheet.rule(Stroke::Dashed);
    if sale.draft.lines.iter().any(|line| line.stars.is_some()) {
        sheet.paragraph(
            "★ Hạng sao OCOP - Chương trình Mỗi xã một sản phẩm",
            SMALL,
            Align::Center,
        );
    }
    sheet.paragraph(&shop.receipt_footer, BODY, Align::Center);

    RollDocument {
        page: sheet.into_page(),
        info: DocumentInfo {
            title: format!("Phiếu quà tặng {}", sale.receipt_no),
            created: sale.sold_at,
            identifier: format!("{}/QT/{}", shop.tax_code, sale.receipt_no),
        },
        roll,
    }
}

/// A product with its stars and how many, then its producer in small type, `indent` points in.
fn product(sheet: &mut Sheet, line: &SaleLine, quantity: Decimal, indent: f32) {
    let name = format!(
        "{} x {} {}",
        name_with_stars(&line.name, line.stars),
        format_quantity(quantity),
        line.unit
    );
    // A loose item stands at the level of a basket's name, in bold; a basket's contents not.
    let style = if indent > 0.0 { BODY } else { BODY_BOLD };
    sheet.indented(&name, style, indent);
    if !line.producer.trim().is_empty() {
        sheet.indented(
            &format!("Cơ sở sản xuất: {}", line.producer),
            SMALL,
            indent + INDENT,
        );
    }
}
