//! The receiving note (phiếu nhập kho) on A4: a posted delivery from a producer, line by line
//! with its cost, the total in figures and in words, signed by whoever delivered, received and
//! keeps the store.

use crate::core::cart::format_quantity;
use crate::core::clock::SHOP_TIME_ZONE;
use crate::core::receiving::Receiving;
use crate::core::settings::ShopSettings;
use crate::core::words::amount_in_words;
use crate::print::document::{
    DocumentInfo, REPORT_BODY, REPORT_BOLD, Signatory, begin_report, finish_report, signatures,
};
use crate::print::font::TextStyle;
use crate::print::layout::{Align, Column, Sheet, Span, Table};

/// Nine columns: a size smaller than the body lets a product's name and the amounts fit.
const TABLE: TextStyle = TextStyle::regular(8.0);
const TABLE_BOLD: TextStyle = TextStyle::bold(8.0);
const GRAND_TOTAL: TextStyle = TextStyle::bold(10.5);
/// Width of the labels of the delivery's details, in points.
const LABEL_WIDTH: f32 = 130.0;
/// Space left above the lines to sign on, in points.
const SIGNING_ROOM: f32 = 50.0;

/// The note as posted. It depends only on its arguments, so a reprint gives the same bytes.
pub fn receiving_note_pdf(shop: &ShopSettings, receiving: &Receiving) -> Vec<u8> {
    let posted = receiving.at.with_timezone(&SHOP_TIME_ZONE);
    let mut sheet = begin_report(
        shop,
        "PHIẾU NHẬP KHO",
        &[
            format!("Số: {}", receiving.number),
            posted
                .format("Ngày %d tháng %m năm %Y, lúc %H:%M")
                .to_string(),
        ],
    );
    details(&mut sheet, receiving);
    sheet.gap(8.0);
    lines(&mut sheet, receiving);
    sheet.gap(8.0);
    total(&mut sheet, receiving);
    sheet.gap(16.0);
    signatures(
        &mut sheet,
        &[
            Signatory {
                title: "Người giao hàng",
                name: "",
            },
            Signatory {
                title: "Người nhận hàng",
                name: &receiving.by,
            },
            Signatory {
                title: "Thủ kho",
                name: "",
            },
        ],
        REPORT_BODY,
        SIGNING_ROOM,
    );

    finish_report(
        sheet,
        &format!("Phiếu nhập kho {}", receiving.number),
        &DocumentInfo {
            title: format!("Phiếu nhập kho {}", receiving.number),
            created: receiving.at,
            identifier: format!("{}/{}", shop.tax_code, receiving.number),
        },
    )
}

/// Who delivered, under which note of theirs, and who received; a value left empty is left out.
fn details(sheet: &mut Sheet, receiving: &Receiving) {
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("", Align::Left, LABEL_WIDTH),
            Column::new("", Align::Left, sheet.width() - LABEL_WIDTH),
        ],
    );
    table.row(sheet, &["Nhà cung cấp:", &receiving.producer], REPORT_BOLD);
    for (label, value) in [
        ("Mã số thuế:", receiving.producer_tax_code.as_str()),
        ("Số phiếu giao hàng:", &receiving.delivery_note_no),
        ("Người nhận hàng:", &receiving.by),
    ] {
        if !value.trim().is_empty() {
            table.row(sheet, &[label, value], REPORT_BODY);
        }
    }
}

/// One row per line, the headings repeated on every page the table runs on to.
fn lines(sheet: &mut Sheet, receiving: &Receiving) {
    // Weights are widths in points: A4 prints 510 between its margins.
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("STT", Align::Center, 20.0),
            Column::new("Mã hàng", Align::Left, 46.0),
            Column::new("Tên hàng", Align::Left, 118.0),
            Column::new("ĐVT", Align::Left, 54.0),
            Column::new("Số lượng", Align::Right, 46.0),
            Column::new("Đơn giá", Align::Right, 56.0),
            Column::new("Thành tiền", Align::Right, 64.0),
            Column::new("Số lô", Align::Left, 52.0),
            Column::new("Hạn dùng", Align::Right, 54.0),
        ],
    );
    table.head(sheet, TABLE_BOLD);
    let mut number = 0;
    for (producer, lines) in receiving.lines_by_producer() {
        if !producer.is_empty() {
            // Another producer's goods on this delivery, under that producer's name.
            let heading = format!("Hàng của {producer}:");
            table.row(
                sheet,
                &["", "", &heading, "", "", "", "", "", ""],
                TABLE_BOLD,
            );
        }
        for line in lines {
            number += 1;
            let expires_on = line
                .expires_on
                .map(|day| day.format("%d/%m/%Y").to_string())
                .unwrap_or_default();
            table.row(
                sheet,
                &[
                    &number.to_string(),
                    &line.sku,
                    &line.name,
                    &line.unit,
                    &format_quantity(line.quantity),
                    &line.unit_cost.to_string(),
                    &line.total_cost().to_string(),
                    &line.lot,
                    &expires_on,
                ],
                TABLE,
            );
        }
    }
    table.total(
        sheet,
        &[
            "",
            "",
            "Cộng",
            "",
            "",
            "",
            &receiving.total_cost().to_string(),
            "",
            "",
        ],
        TABLE_BOLD,
    );
}

/// The total in figures, then in words, on one page.
fn total(sheet: &mut Sheet, receiving: &Receiving) {
    sheet.keep_together(GRAND_TOTAL.line_height() + 2.0 * REPORT_BOLD.line_height());
    let total = receiving.total_cost();
    sheet.amount_line(
        vec![Span::new("Tổng tiền hàng nhập kho:", GRAND_TOTAL)],
        Span::new(&total.to_string(), GRAND_TOTAL),
    );
    sheet.gap(2.0);
    sheet.paragraph(
        &format!("Số tiền viết bằng chữ: {}", amount_in_words(total)),
        REPORT_BOLD,
        Align::Left,
    );
}
