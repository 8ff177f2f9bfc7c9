//! The sales report on A4: a period's figures beside the period before and the same days a
//! week earlier, then where the money came from.

use crate::core::cart::format_quantity;
use crate::core::money::{Money, group_thousands};
use crate::core::payment::PaymentMethod;
use crate::core::report::{DaySummary, Margin, Tally};
use crate::core::settings::ShopSettings;
use crate::print::document::{
    DocumentInfo, REPORT_BODY, REPORT_BOLD, REPORT_SECTION, REPORT_SMALL, begin_report,
    every_method, finish_report, method_name, period_dates, period_text, printed_at_text,
    vat_table,
};
use crate::print::layout::{Align, Bar, Column, Sheet, Table};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// Height of the tallest bar of the hourly chart, in points.
const CHART_HEIGHT: f32 = 90.0;
/// Space before a section's title, in points.
const SECTION_GAP: f32 = 12.0;
/// A table of this many rows or fewer is kept on one page with its title.
const SHORT_TABLE: usize = 8;
/// A longer table starts with at least this many rows under its title.
const FIRST_ROWS: usize = 3;

/// One line of the key figures: how to read it from a summary and how to print it.
struct KeyFigure {
    label: &'static str,
    value: fn(&DaySummary) -> i64,
    kind: Kind,
}

enum Kind {
    Count,
    Money,
    /// The figure the report is about, in bold.
    Headline,
}

const KEY_FIGURES: [KeyFigure; 9] = [
    KeyFigure {
        label: "Số hóa đơn bán",
        value: |s| s.sales_count,
        kind: Kind::Count,
    },
    KeyFigure {
        label: "Tiền hàng",
        value: |s| s.gross.dong(),
        kind: Kind::Money,
    },
    KeyFigure {
        label: "Giảm giá",
        value: |s| s.discounts.dong(),
        kind: Kind::Money,
    },
    KeyFigure {
        label: "Doanh số bán",
        value: |s| s.sales_total.dong(),
        kind: Kind::Money,
    },
    KeyFigure {
        label: "Số phiếu trả hàng",
        value: |s| s.refunds_count,
        kind: Kind::Count,
    },
    KeyFigure {
        label: "Tiền trả hàng",
        value: |s| s.refunds.dong(),
        kind: Kind::Money,
    },
    KeyFigure {
        label: "Doanh thu thuần",
        value: |s| s.net.dong(),
        kind: Kind::Headline,
    },
    KeyFigure {
        label: "Thuế GTGT",
        value: |s| s.vat_total().dong(),
        kind: Kind::Money,
    },
    KeyFigure {
        label: "Trung bình mỗi hóa đơn",
        value: |s| s.average_basket().dong(),
        kind: Kind::Money,
    },
];

/// The sales report for `summary`'s period, compared with `previous` (the period just before)
/// and `week_before` (the same days a week earlier). Its bytes depend only on the arguments.
pub fn day_report_pdf(
    shop: &ShopSettings,
    summary: &DaySummary,
    previous: &DaySummary,
    week_before: &DaySummary,
    printed_at: DateTime<Utc>,
) -> Vec<u8> {
    let mut sheet = begin_report(
        shop,
        "BÁO CÁO DOANH THU",
        &[period_text(&summary.period), printed_at_text(printed_at)],
    );
    key_figures(&mut sheet, summary, previous, week_before);
    // The VAT table ends with a rule and a total: two more rows.
    let vat_rows = summary.vat.len() + 2;
    section(
        &mut sheet,
        "Thuế GTGT theo thuế suất",
        table_start(vat_rows),
    );
    vat_table(&mut sheet, &summary.vat, REPORT_BODY);
    takings(&mut sheet, summary);
    hourly_chart(&mut sheet, &summary.by_hour);
    for (title, heading, tallies, quantities) in [
        ("Sản phẩm bán chạy", "Sản phẩm", &summary.top_products, true),
        (
            "Theo nhà cung cấp",
            "Nhà cung cấp",
            &summary.by_producer,
            false,
        ),
        ("Theo hạng sao OCOP", "Hạng sao", &summary.by_stars, false),
        (
            "Theo nhóm sản phẩm",
            "Nhóm sản phẩm",
            &summary.by_group,
            false,
        ),
    ] {
        section(&mut sheet, title, table_start(tallies.len()));
        tally_table(&mut sheet, heading, tallies, summary.net, quantities);
    }
    let margins = &summary.margins;
    let top_products = &margins.by_product[..margins.by_product.len().min(TOP_MARGINS)];
    for (title, heading, rows) in [
        ("Lãi gộp theo ngày", "Ngày", margins.by_day.as_slice()),
        (
            "Lãi gộp theo nhà cung cấp",
            "Nhà cung cấp",
            &margins.by_producer,
        ),
        (
            "Lãi gộp theo nhóm sản phẩm",
            "Nhóm sản phẩm",
            &margins.by_group,
        ),
        ("Sản phẩm lãi gộp cao nhất", "Sản phẩm", top_products),
    ] {
        section(&mut sheet, title, table_start(rows.len() + 2));
        margin_table(&mut sheet, heading, rows, &margins.total);
    }
    if margins.total.uncosted > Money::ZERO {
        sheet.paragraph(
            &format!(
                "Lãi gộp tính theo giá vốn bình quân gia quyền khi nhập hàng. {} doanh thu là \
                 hàng chưa có giá vốn (chưa nhập kho có giá), tính giá vốn 0.",
                margins.total.uncosted
            ),
            REPORT_SMALL,
            Align::Left,
        );
    }

    let dates = period_dates(&summary.period);
    finish_report(
        sheet,
        &format!("Báo cáo doanh thu {dates}"),
        &DocumentInfo {
            title: format!("Báo cáo doanh thu {dates}"),
            created: printed_at,
            identifier: format!("{}/BCDT/{dates}", shop.tax_code),
        },
    )
}

/// A section's title, kept on a page with the first `height` points of what follows.
fn section(sheet: &mut Sheet, title: &str, height: f32) {
    sheet.gap(SECTION_GAP);
    sheet.keep_together(REPORT_SECTION.line_height() + height);
    sheet.paragraph(title, REPORT_SECTION, Align::Left);
    sheet.gap(2.0);
}

/// What a section keeps with its title: a table's heading (up to two lines and a rule, about
/// three rows) and its first rows, or all of a short table.
fn table_start(rows: usize) -> f32 {
    let kept = if rows <= SHORT_TABLE {
        rows
    } else {
        FIRST_ROWS
    };
    (kept + 3) as f32 * REPORT_BODY.line_height()
}

fn key_figures(
    sheet: &mut Sheet,
    summary: &DaySummary,
    previous: &DaySummary,
    week_before: &DaySummary,
) {
    section(sheet, "Tổng quan", table_start(KEY_FIGURES.len()));
    let heading =
        |name: &str, summary: &DaySummary| format!("{name}\n{}", period_dates(&summary.period));
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("Chỉ tiêu", Align::Left, 2.0),
            Column::new(&heading("Kỳ này", summary), Align::Right, 1.5),
            Column::new(&heading("Kỳ trước", previous), Align::Right, 1.5),
            Column::new("±", Align::Right, 0.8),
            Column::new(&heading("Tuần trước", week_before), Align::Right, 1.5),
            Column::new("±", Align::Right, 0.8),
        ],
    );
    table.head(sheet, REPORT_BOLD);
    for figure in &KEY_FIGURES {
        let [current, before, week] = [summary, previous, week_before].map(figure.value);
        let text = |value: i64| match figure.kind {
            Kind::Count => group_thousands(value),
            Kind::Money | Kind::Headline => Money(value).to_string(),
        };
        let style = match figure.kind {
            Kind::Headline => REPORT_BOLD,
            Kind::Count | Kind::Money => REPORT_BODY,
        };
        table.row(
            sheet,
            &[
                figure.label,
                &text(current),
                &text(before),
                &change(current, before),
                &text(week),
                &change(current, week),
            ],
            style,
        );
    }
}

/// The change from `base` to `current` in percent, signed, to one decimal: `+12,5%`; a dash
/// when there is nothing to compare with.
fn change(current: i64, base: i64) -> String {
    if base == 0 {
        return "—".to_string();
    }
    let percent = (Decimal::from(current - base) * Decimal::from(100) / Decimal::from(base.abs()))
        .round_dp(1);
    let sign = if percent > Decimal::ZERO { "+" } else { "" };
    format!("{sign}{}%", format_quantity(percent))
}

/// `part` as a percentage of `whole`, to one decimal; empty when the whole is nothing.
fn share(part: Money, whole: Money) -> String {
    if whole == Money::ZERO {
        return String::new();
    }
    let percent = (part.to_decimal() * Decimal::from(100) / whole.to_decimal()).round_dp(1);
    format!("{}%", format_quantity(percent))
}

fn takings(sheet: &mut Sheet, summary: &DaySummary) {
    // One row per method, then a rule and the total.
    let rows = PaymentMethod::ALL.len() + 2;
    section(sheet, "Thu theo phương thức thanh toán", table_start(rows));
    let total: Money = summary.takings.iter().map(|(_, amount)| *amount).sum();
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("Phương thức", Align::Left, 3.0),
            Column::new("Số tiền", Align::Right, 1.5),
            Column::new("Tỷ trọng", Align::Right, 1.0),
        ],
    );
    table.head(sheet, REPORT_BOLD);
    for (method, amount) in every_method(&summary.takings) {
        table.row(
            sheet,
            &[
                method_name(method),
                &amount.to_string(),
                &share(amount, total),
            ],
            REPORT_BODY,
        );
    }
    table.total(sheet, &["Tổng thu", &total.to_string(), ""], REPORT_BOLD);
}

/// Sales by hour as bars, from the first hour with a sale to the last, each labelled with its
/// amount in thousands of đồng (full amounts would not fit over a bar).
fn hourly_chart(sheet: &mut Sheet, by_hour: &[Money; 24]) {
    // The chart keeps itself together; its title goes with it.
    let chart = CHART_HEIGHT + 2.0 * REPORT_SMALL.line_height();
    section(sheet, "Doanh số theo giờ (nghìn ₫)", chart);
    let sold = |hour: &usize| by_hour[*hour] != Money::ZERO;
    let (Some(first), Some(last)) = ((0..24).find(sold), (0..24).rev().find(sold)) else {
        sheet.paragraph("Không có hóa đơn bán.", REPORT_BODY, Align::Left);
        return;
    };
    let bars: Vec<Bar> = (first..=last)
        .map(|hour| {
            let amount = by_hour[hour];
            let thousands =
                Money::from_decimal(amount.to_decimal() / Decimal::from(1000)).unwrap_or_default();
            Bar {
                label: format!("{hour}h"),
                value_label: if amount == Money::ZERO {
                    String::new()
                } else {
                    group_thousands(thousands.dong())
                },
                value: amount.dong() as f32,
            }
        })
        .collect();
    sheet.bar_chart(&bars, CHART_HEIGHT, REPORT_SMALL);
}

/// A breakdown of net sales under labels, largest first as given, with each one's share of
/// `net`; quantities only where they add up (the same product), not across products.
fn tally_table(sheet: &mut Sheet, heading: &str, tallies: &[Tally], net: Money, quantities: bool) {
    if tallies.is_empty() {
        sheet.paragraph("Không có dữ liệu.", REPORT_BODY, Align::Left);
        return;
    }
    let mut columns = vec![
        Column::new("STT", Align::Right, 0.5),
        Column::new(heading, Align::Left, 4.5),
    ];
    if quantities {
        columns.push(Column::new("Số lượng", Align::Right, 1.0));
    }
    columns.extend([
        Column::new("Doanh thu", Align::Right, 1.5),
        Column::new("Tỷ trọng", Align::Right, 1.0),
    ]);
    let mut table = Table::new(sheet, columns);
    table.head(sheet, REPORT_BOLD);
    for (index, tally) in tallies.iter().enumerate() {
        let number = (index + 1).to_string();
        let quantity = tally.quantity_text();
        let amount = tally.amount.to_string();
        let share = share(tally.amount, net);
        let mut cells = vec![number.as_str(), tally.label.as_str()];
        if quantities {
            cells.push(&quantity);
        }
        cells.extend([amount.as_str(), share.as_str()]);
        table.row(sheet, &cells, REPORT_BODY);
    }
}

/// The products with the largest margins printed: this many.
const TOP_MARGINS: usize = 10;

/// Sales, cost at moving-average cost and gross margin under labels, then the period's total.
fn margin_table(sheet: &mut Sheet, heading: &str, rows: &[Margin], total: &Margin) {
    if rows.is_empty() {
        sheet.paragraph("Không có dữ liệu.", REPORT_BODY, Align::Left);
        return;
    }
    let mut table = Table::new(
        sheet,
        vec![
            Column::new(heading, Align::Left, 3.5),
            Column::new("Doanh thu", Align::Right, 1.5),
            Column::new("Giá vốn", Align::Right, 1.5),
            Column::new("Lãi gộp", Align::Right, 1.5),
            Column::new("Tỷ lệ", Align::Right, 0.8),
        ],
    );
    table.head(sheet, REPORT_BOLD);
    let cells = |margin: &Margin, label: &str| {
        let marked = if margin.uncosted > Money::ZERO {
            "*"
        } else {
            ""
        };
        [
            format!("{label}{marked}"),
            margin.sales.to_string(),
            margin.cost.to_string(),
            margin.margin().to_string(),
            margin
                .percent()
                .map(|percent| format!("{}%", format_quantity(percent)))
                .unwrap_or_default(),
        ]
    };
    for margin in rows {
        let row = cells(margin, &margin.label);
        table.row(sheet, &row.each_ref().map(String::as_str), REPORT_BODY);
    }
    let row = cells(total, "Tổng cộng");
    table.row(sheet, &row.each_ref().map(String::as_str), REPORT_BOLD);
}
