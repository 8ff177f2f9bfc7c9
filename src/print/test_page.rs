//! The printer's test page: every Vietnamese letter in both weights, `₫` and `★`, a QR code and
//! the rules, on the roll as set, so a shop sees at once that the printer, its width and the
//! cutter are right.

use crate::core::settings::ShopSettings;
use crate::print::document::{DocumentInfo, Roll, RollDocument, letterhead};
use crate::print::layout::{Align, Span, Stroke};
use crate::print::receipt::{BODY, BODY_BOLD, SHOP_NAME, SMALL, TITLE};
use chrono::{DateTime, Utc};
use printpdf::Mm;
use qrcode::{EcLevel, QrCode};

/// Every letter of the Vietnamese alphabet with every tone mark.
pub const VIETNAMESE_LETTERS: &str = "aàáảãạ ăằắẳẵặ âầấẩẫậ b c d đ eèéẻẽẹ êềếểễệ g h iìíỉĩị k l m n \
oòóỏõọ ôồốổỗộ ơờớởỡợ p q r s t uùúủũụ ưừứửữự v x yỳýỷỹỵ";

/// The test page laid out on `roll`; `printed_at` dates it.
pub fn test_page(shop: &ShopSettings, roll: Roll, printed_at: DateTime<Utc>) -> RollDocument {
    let mut sheet = roll.sheet();
    letterhead(&mut sheet, shop, Align::Center, SHOP_NAME, SMALL);
    sheet.rule(Stroke::Dashed);
    sheet.paragraph("TRANG IN THỬ / TEST PAGE", TITLE, Align::Center);
    sheet.paragraph(
        &format!(
            "{} điểm = {} mm · {}",
            roll.dots(),
            roll.dots() / 8,
            crate::core::clock::format_local(printed_at)
        ),
        SMALL,
        Align::Center,
    );
    sheet.rule(Stroke::Solid);
    for style in [BODY, BODY_BOLD] {
        sheet.paragraph(VIETNAMESE_LETTERS, style, Align::Left);
        sheet.paragraph(&VIETNAMESE_LETTERS.to_uppercase(), style, Align::Left);
        sheet.gap(2.0);
    }
    sheet.amount_line(
        vec![Span::new("Nước mắm Phú Quốc ★★★★★", BODY_BOLD)],
        Span::new("165.000 ₫", BODY_BOLD),
    );
    sheet.paragraph("0123456789 ₫ ★ % , . : - / ( )", BODY, Align::Left);
    sheet.rule(Stroke::Dashed);
    if let Ok(code) = QrCode::with_error_correction_level("OCOP POS · in thử", EcLevel::M) {
        sheet.qr(&code, Mm(20.0));
    }
    sheet.paragraph(
        "Quét được mã QR và đọc rõ mọi dấu: máy in đã sẵn sàng.",
        SMALL,
        Align::Center,
    );
    RollDocument {
        page: sheet.into_page(),
        info: DocumentInfo {
            title: "Trang in thử".into(),
            created: printed_at,
            identifier: format!("{}/TEST", shop.tax_code),
        },
        roll,
    }
}
