//! The producer statement on A4: what a producer's products sold for over a period, the
//! showroom's commission, and what the showroom pays the producer.

use crate::core::cart::format_quantity;
use crate::core::money::Money;
use crate::core::report::{ProducerStatement, ReceivedLine, StatementLine};
use crate::core::settings::ShopSettings;
use crate::print::document::{
    DocumentInfo, REPORT_BODY, REPORT_BOLD, Signatory, begin_report, finish_report, period_dates,
    period_text, printed_at_text, signatures,
};
use crate::print::font::TextStyle;
use crate::print::layout::{Align, Column, Sheet, Table};
use chrono::{DateTime, Utc};

/// The table of products has eight columns: a size smaller than the body lets a product's name
/// and amounts up to hundreds of millions fit.
const TABLE: TextStyle = TextStyle::regular(8.0);
const TABLE_BOLD: TextStyle = TextStyle::bold(8.0);

/// Space left above the lines to sign on, in points.
const SIGNING_ROOM: f32 = 50.0;

/// The statement as of `printed_at`. Its bytes depend only on the arguments.
pub fn producer_statement_pdf(
    shop: &ShopSettings,
    statement: &ProducerStatement,
    printed_at: DateTime<Utc>,
) -> Vec<u8> {
    let producer = &statement.producer;
    let mut sheet = begin_report(
        shop,
        "BẢNG KÊ THANH TOÁN NHÀ CUNG CẤP",
        &[period_text(&statement.period), printed_at_text(printed_at)],
    );
    let commission = format!("{}%", format_quantity(producer.commission_pct));
    terms(
        &mut sheet,
        &[
            ("Nhà cung cấp", producer.name.as_str()),
            (
                "Ký gửi",
                if producer.consignment {
                    "Có"
                } else {
                    "Không"
                },
            ),
            ("Hoa hồng", &commission),
        ],
    );
    sheet.gap(8.0);
    if !producer.consignment {
        // Bought outright: the sales are the shop's own, shown for reference; what is owed is
        // the goods delivered, at cost.
        sheet.paragraph(
            "Hàng đã bán (giá bán lẻ, để tham khảo)",
            REPORT_BOLD,
            Align::Left,
        );
    }
    lines(&mut sheet, statement);
    sheet.gap(8.0);
    if producer.consignment {
        settlement(&mut sheet, statement, &commission);
    } else {
        sheet.paragraph(
            "Hàng nhập trong kỳ (theo giá vốn)",
            REPORT_BOLD,
            Align::Left,
        );
        received(&mut sheet, statement);
        sheet.gap(8.0);
        outright_settlement(&mut sheet, statement);
    }
    sheet.gap(16.0);
    signatures(
        &mut sheet,
        &[
            Signatory {
                title: "Người lập",
                name: "",
            },
            Signatory {
                title: "Nhà cung cấp",
                name: &producer.name,
            },
            Signatory {
                title: "Quản lý",
                name: "",
            },
        ],
        REPORT_BODY,
        SIGNING_ROOM,
    );

    let dates = period_dates(&statement.period);
    finish_report(
        sheet,
        &format!("Bảng kê {} {dates}", producer.name),
        &DocumentInfo {
            title: format!("Bảng kê thanh toán {} {dates}", producer.name),
            created: printed_at,
            identifier: format!("{}/BK/{}/{dates}", shop.tax_code, producer.id),
        },
    )
}

/// Labels and their values, in two columns.
fn terms(sheet: &mut Sheet, terms: &[(&str, &str)]) {
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("", Align::Left, 1.0),
            Column::new("", Align::Left, 5.0),
        ],
    );
    for (label, value) in terms {
        table.row(sheet, &[&format!("{label}:"), value], REPORT_BODY);
    }
}

fn lines(sheet: &mut Sheet, statement: &ProducerStatement) {
    // Weights are widths in points: A4 prints 510 between its margins.
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("Mã hàng", Align::Left, 48.0),
            Column::new("Sản phẩm", Align::Left, 132.0),
            Column::new("ĐVT", Align::Left, 32.0),
            Column::new("SL bán", Align::Right, 38.0),
            Column::new("Tiền bán", Align::Right, 72.0),
            Column::new("SL trả", Align::Right, 38.0),
            Column::new("Tiền trả", Align::Right, 72.0),
            Column::new("Thành tiền", Align::Right, 78.0),
        ],
    );
    table.head(sheet, TABLE_BOLD);
    for line in &statement.lines {
        let StatementLine {
            sku,
            name,
            unit,
            sold,
            sales,
            returned,
            refunds,
        } = line;
        table.row(
            sheet,
            &[
                sku,
                name,
                unit,
                &format_quantity(*sold),
                &sales.to_string(),
                &format_quantity(*returned),
                &refunds.to_string(),
                &(*sales - *refunds).to_string(),
            ],
            TABLE,
        );
    }
    table.total(
        sheet,
        &[
            "",
            "Cộng",
            "",
            "",
            &statement.sales().to_string(),
            "",
            &statement.refunds().to_string(),
            &statement.net().to_string(),
        ],
        TABLE_BOLD,
    );
}

/// From net sales to what the producer is paid, set off to the right under the amounts and
/// kept on one page.
fn settlement(sheet: &mut Sheet, statement: &ProducerStatement, commission_pct: &str) {
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("", Align::Left, 1.0),
            Column::new("", Align::Left, 1.4),
            Column::new("", Align::Right, 1.0),
        ],
    );
    let rows: [(&str, Money, _); 5] = [
        ("Doanh thu bán", statement.sales(), REPORT_BODY),
        ("Hàng trả lại", -statement.refunds(), REPORT_BODY),
        ("Doanh thu thuần", statement.net(), REPORT_BOLD),
        (
            &format!("Hoa hồng ({commission_pct})"),
            -statement.commission(),
            REPORT_BODY,
        ),
        ("Số tiền phải trả", statement.payable(), REPORT_BOLD),
    ];
    sheet.keep_together(rows.len() as f32 * REPORT_BODY.line_height());
    for (label, amount, style) in rows {
        table.row(sheet, &["", label, &amount.to_string()], style);
    }
}

/// The goods delivered in the period, per product, at cost.
fn received(sheet: &mut Sheet, statement: &ProducerStatement) {
    if statement.received.is_empty() {
        sheet.paragraph("Không nhập hàng trong kỳ.", REPORT_BODY, Align::Left);
        return;
    }
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("Mã hàng", Align::Left, 48.0),
            Column::new("Sản phẩm", Align::Left, 204.0),
            Column::new("ĐVT", Align::Left, 32.0),
            Column::new("SL nhập", Align::Right, 60.0),
            Column::new("Tiền hàng (giá vốn)", Align::Right, 110.0),
        ],
    );
    table.head(sheet, TABLE_BOLD);
    for ReceivedLine {
        sku,
        name,
        unit,
        quantity,
        cost,
    } in &statement.received
    {
        table.row(
            sheet,
            &[
                sku,
                name,
                unit,
                &format_quantity(*quantity),
                &cost.to_string(),
            ],
            TABLE,
        );
    }
    table.total(
        sheet,
        &["", "Cộng", "", "", &statement.received_cost().to_string()],
        TABLE_BOLD,
    );
}

/// A producer bought from outright is owed its deliveries at cost, not the retail sales.
fn outright_settlement(sheet: &mut Sheet, statement: &ProducerStatement) {
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("", Align::Left, 1.0),
            Column::new("", Align::Left, 1.4),
            Column::new("", Align::Right, 1.0),
        ],
    );
    let rows = [
        ("Doanh thu bán lẻ (tham khảo)", statement.net(), REPORT_BODY),
        (
            "Tiền hàng nhập theo giá vốn",
            statement.received_cost(),
            REPORT_BODY,
        ),
        ("Số tiền phải trả", statement.payable(), REPORT_BOLD),
    ];
    sheet.keep_together(rows.len() as f32 * REPORT_BODY.line_height());
    for (label, amount, style) in rows {
        table.row(sheet, &["", label, &amount.to_string()], style);
    }
}
