//! The Z-report, the producer statement and the sales report, read back from their bytes the
//! way a manager's PDF viewer would. Records are built by hand: printing never reads a store.
//!
//! Set `REPORT_SAMPLE_DIR` to a folder to keep the PDFs the tests make, e.g. to render them.

mod common;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::{assert_contains, pages_of, text_of};
use ocop_pos::core::cash::{
    CashMove, CashMoveKind, CashSession, NOTES, NoteCount, SessionClosing, SessionFigures, ZReport,
};
use ocop_pos::core::chain::{ChainHead, ChainKind};
use ocop_pos::core::delivery::DayDelivery;
use ocop_pos::core::money::{Money, group_thousands};
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::report::{
    DaySummary, Margin, Margins, Period, ProducerRef, ProducerStatement, StatementLine, Tally,
};
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::core::vat::{VatRate, vat_breakdown};
use ocop_pos::print::{day_report_pdf, producer_statement_pdf, z_report_pdf};
use rust_decimal::Decimal;

/// Keeps a sample for looking at when `REPORT_SAMPLE_DIR` is set.
fn keep_sample(name: &str, pdf: &[u8]) {
    if let Some(dir) = std::env::var_os("REPORT_SAMPLE_DIR") {
        std::fs::write(std::path::Path::new(&dir).join(name), pdf).unwrap();
    }
}

/// How each payment method is named on paper.
const METHOD_NAMES: [(PaymentMethod, &str); 3] = [
    (PaymentMethod::Cash, "Tiền mặt"),
    (PaymentMethod::Transfer, "Chuyển khoản"),
    (PaymentMethod::Card, "Thẻ"),
];

fn rate(code: &str) -> VatRate {
    VatRate::from_code(code).unwrap()
}

/// 26/11/2026, local time `hour:minute` (Vietnam is UTC+7).
fn local_time(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, hour - 7, minute, 0)
        .unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Z-report

fn session_figures() -> SessionFigures {
    let vat = vat_breakdown([
        (rate("8"), Money(6_930_000)),
        (rate("5"), Money(4_120_000)),
        (rate("10"), Money(1_180_000)),
        (VatRate::NotSubject, Money(120_000)),
    ]);
    SessionFigures {
        sales_count: 42,
        gross: Money(12_500_000),
        discounts: Money(150_000),
        sales_total: Money(12_350_000),
        takings: vec![
            (PaymentMethod::Cash, Money(4_230_000)),
            (PaymentMethod::Transfer, Money(6_540_000)),
            (PaymentMethod::Card, Money(1_330_000)),
        ],
        vat,
        refunds_count: 2,
        refunds: Money(250_000),
        voids_count: 1,
        voids: Money(85_000),
        moves: vec![
            CashMove {
                kind: CashMoveKind::In,
                amount: Money(200_000),
                reason: "Đổi tiền lẻ".into(),
                at: local_time(10, 15),
                by: "Lan".into(),
            },
            CashMove {
                kind: CashMoveKind::Out,
                amount: Money(1_000_000),
                reason: "Nộp tiền về văn phòng Hội".into(),
                at: local_time(16, 40),
                by: "Minh".into(),
            },
        ],
        cash_sales: Money(4_350_000),
        cash_refunds: Money(120_000),
        customer_money: Default::default(),
    }
}

/// A session closed with the drawer counted as `counts` (note, count).
fn z_report(counts: &[(i64, u32)], note: &str) -> ZReport {
    let figures = session_figures();
    let opening_float = Money(500_000);
    let mut count = NoteCount::default();
    for &(note, n) in counts {
        count.set(note, n).unwrap();
    }
    ZReport {
        session: CashSession {
            id: 7,
            opened_at: local_time(7, 30),
            opened_by: "Lan".into(),
            opening_float,
            closing: Some(SessionClosing {
                z_number: "Z2026-000007".into(),
                closed_at: local_time(21, 5),
                closed_by: "Minh".into(),
                counted: count.total(),
                counts: count,
                expected: figures.expected_cash(opening_float),
                note: note.into(),
            }),
        },
        figures,
        chain_heads: vec![
            ChainHead {
                kind: ChainKind::Sale,
                position: 1234,
                record_id: 1240,
                hash: [0x3f; 32],
            },
            ChainHead {
                kind: ChainKind::Audit,
                position: 56,
                record_id: 56,
                hash: [0xa0; 32],
            },
        ],
        einvoices: Some((
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            DayDelivery {
                handed_over: 1_041,
                exported: 5,
                unsent: 3,
            },
        )),
    }
}

/// 3.927.500 ₫ in the drawer where 3.930.000 ₫ is expected.
const SHORT_COUNT: [(i64, u32); 9] = [
    (500_000, 5),
    (200_000, 4),
    (100_000, 3),
    (50_000, 4),
    (20_000, 5),
    (10_000, 2),
    (5_000, 1),
    (1_000, 2),
    (500, 1),
];

#[test]
fn z_report_shows_the_shift_its_count_and_the_shortfall() {
    let report = z_report(&SHORT_COUNT, "Thối nhầm cho khách lúc 18h");
    let pdf = z_report_pdf(&ShopSettings::demo(), &report);
    keep_sample("z-report.pdf", &pdf);
    let text = text_of(&pdf);
    let closing = report.session.closing.as_ref().unwrap();
    let figures = &report.figures;

    for expected in [
        "BÁO CÁO CHỐT CA (Z)",
        "Số Z: Z2026-000007",
        "Mở ca: 26/11/2026 07:30 - Lan",
        "Chốt ca: 26/11/2026 21:05 - Minh",
        "Thu ngân",
        "Quản lý",
        "Ghi chú: Thối nhầm cho khách lúc 18h",
    ] {
        assert_contains(&text, expected);
    }
    assert_eq!(closing.expected, Money(3_930_000));
    assert_eq!(closing.difference(), Money(-2_500));
    assert_contains(&text, &format!("Tiền mặt dự kiến {}", closing.expected));
    assert_contains(&text, &format!("Tiền mặt thực đếm {}", closing.counted));
    assert_contains(
        &text,
        &format!("Chênh lệch: Thiếu {}", -closing.difference()),
    );
    assert!(!text.contains("Thừa"));

    assert_contains(
        &text,
        &format!("Tiền đầu ca {}", report.session.opening_float),
    );
    assert_contains(&text, &format!("Số hóa đơn bán {}", figures.sales_count));
    assert_contains(&text, &format!("Doanh số bán {}", figures.sales_total));
    assert_contains(&text, &format!("Tiền hàng {}", figures.gross));
    assert_contains(&text, &format!("Giảm giá {}", -figures.discounts));
    assert_contains(
        &text,
        &format!(
            "Trả hàng ({} phiếu) {}",
            figures.refunds_count, -figures.refunds
        ),
    );
    assert_contains(
        &text,
        &format!(
            "Hủy giao dịch ({} lượt) {}",
            figures.voids_count, figures.voids
        ),
    );
    for (method, name) in METHOD_NAMES {
        let (_, amount) = figures.takings.iter().find(|(m, _)| *m == method).unwrap();
        assert_contains(&text, &format!("{name} {amount}"));
    }
    for bucket in &figures.vat {
        assert_contains(
            &text,
            &format!(
                "{} {} {} {}",
                bucket.rate, bucket.pre_vat, bucket.vat, bucket.gross
            ),
        );
    }
    assert_contains(&text, "Nộp vào: Đổi tiền lẻ 200.000 ₫");
    assert_contains(&text, "Rút ra: Nộp tiền về văn phòng Hội -1.000.000 ₫");
    for note in NOTES {
        let count = closing.counts.count(note);
        assert_contains(
            &text,
            &format!(
                "{} × {} = {}",
                group_thousands(note),
                group_thousands(i64::from(count)),
                Money(note * i64::from(count))
            ),
        );
    }
    assert_contains(
        &text,
        &format!("Tổng tiền đếm được {}", closing.counts.total()),
    );
    // The chains' heads, to compare later with what `ocop-pos verify` finds.
    assert_contains(&text, "CHUỖI CHỨNG TỪ (SHA-256)");
    assert_contains(&text, "Hóa đơn bán #1234 3f3f3f3f3f3f");
    assert_contains(&text, "Nhật ký #56 a0a0a0a0a0a0");
    // The day's invoices as the close found them: sent and, in bold, still unsent.
    assert_contains(&text, "HÓA ĐƠN ĐIỆN TỬ NGÀY 26/11/2026");
    assert_contains(&text, "Đã gửi cơ quan thuế 1.041");
    assert_contains(&text, "trong đó xuất tệp tải lên 5");
    assert_contains(&text, "Chưa gửi 3");
}

/// Deposits and payments on account taken in the shift are listed apart from the sales, and
/// their cash is in what the drawer should hold; a shift without them has no such section.
#[test]
fn z_report_lists_deposits_and_payments_on_account_apart_from_the_sales() {
    let plain = text_of(&z_report_pdf(
        &ShopSettings::demo(),
        &z_report(&SHORT_COUNT, ""),
    ));
    assert!(!plain.contains("TIỀN CỌC, THU CÔNG NỢ"));
    let mut report = z_report(&SHORT_COUNT, "");
    report.figures.customer_money = ocop_pos::core::report::CustomerMoney {
        deposits: vec![
            (PaymentMethod::Cash, Money(2_000_000)),
            (PaymentMethod::Transfer, Money(1_000_000)),
        ],
        deposit_refunds: vec![(PaymentMethod::Cash, Money(500_000))],
        account_payments: vec![(PaymentMethod::Transfer, Money(3_000_000))],
        deposits_applied: Money(1_500_000),
        sold_on_account: Money(4_000_000),
    };
    let expected = report.figures.expected_cash(report.session.opening_float);
    assert_eq!(
        expected,
        Money(3_930_000 + 1_500_000),
        "the deposits' cash less the cash paid back"
    );
    let text = text_of(&z_report_pdf(&ShopSettings::demo(), &report));
    for line in [
        "TIỀN CỌC, THU CÔNG NỢ",
        "Nhận đặt cọc 3.000.000 ₫",
        "Trả lại tiền cọc -500.000 ₫",
        "Thu công nợ 3.000.000 ₫",
        "Tiền mặt 1.500.000 ₫",
        "Chuyển khoản 4.000.000 ₫",
        "Bán trừ tiền cọc 1.500.000 ₫",
        "Bán ghi nợ 4.000.000 ₫",
        "Cọc, công nợ (tiền mặt) 1.500.000 ₫",
    ] {
        assert_contains(&text, line);
    }
}

#[test]
fn z_report_says_over_when_the_drawer_holds_more() {
    let mut counts = SHORT_COUNT.to_vec();
    counts.push((2_000, 3));
    let report = z_report(&counts, "Khách gửi lại tiền thừa");
    let difference = report.session.closing.as_ref().unwrap().difference();
    assert_eq!(difference, Money(3_500));
    let text = text_of(&z_report_pdf(&ShopSettings::demo(), &report));
    assert_contains(&text, &format!("Chênh lệch: Thừa {difference}"));
    assert!(!text.contains("Thiếu"));
    // A close made before invoices were sent prints no such section.
    let earlier = ZReport {
        einvoices: None,
        ..report
    };
    let text = text_of(&z_report_pdf(&ShopSettings::demo(), &earlier));
    assert!(!text.contains("HÓA ĐƠN ĐIỆN TỬ NGÀY"), "{text}");
}

#[test]
fn a_session_still_open_prints_without_a_count() {
    let mut report = z_report(&SHORT_COUNT, "");
    report.session.closing = None;
    let pdf = z_report_pdf(&ShopSettings::demo(), &report);
    let text = text_of(&pdf);
    assert_contains(&text, "CA CHƯA CHỐT");
    let expected = report.figures.expected_cash(report.session.opening_float);
    assert_contains(&text, &format!("Tiền mặt dự kiến {expected}"));
    for absent in ["Số Z", "KIỂM ĐẾM", "Chênh lệch"] {
        assert!(!text.contains(absent), "{absent:?} in:\n{text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Producer statement

fn statement_line(
    sku: &str,
    name: &str,
    unit: &str,
    sold: (i64, i64),
    returned: i64,
) -> StatementLine {
    let (count, price) = sold;
    StatementLine {
        sku: sku.into(),
        name: name.into(),
        unit: unit.into(),
        sold: Decimal::from(count),
        sales: Money(count * price),
        returned: Decimal::from(returned),
        refunds: Money(returned * price),
    }
}

fn statement() -> ProducerStatement {
    ProducerStatement {
        producer: ProducerRef {
            id: 12,
            name: "HTX Nước mắm Phú Quốc Khải Hoàn".into(),
            consignment: true,
            commission_pct: Decimal::new(125, 1),
        },
        period: Period {
            from: day(1),
            to: day(30),
        },
        lines: vec![
            statement_line(
                "KG001",
                "Nước mắm Khải Hoàn 38 độ đạm 500 ml",
                "chai",
                (48, 165_000),
                2,
            ),
            statement_line(
                "KG002",
                "Nước mắm Khải Hoàn 43 độ đạm nhãn vàng 500 ml",
                "chai",
                (17, 210_000),
                0,
            ),
            statement_line("KG003", "Mắm ruốc", "hũ", (23, 55_000), 1),
        ],
        received: Vec::new(),
    }
}

#[test]
fn producer_statement_lists_each_product_and_what_is_payable() {
    let statement = statement();
    let pdf = producer_statement_pdf(&ShopSettings::demo(), &statement, local_time(17, 30));
    keep_sample("statement.pdf", &pdf);
    let text = text_of(&pdf);

    for expected in [
        "BẢNG KÊ THANH TOÁN NHÀ CUNG CẤP",
        "Từ ngày 01/11/2026 đến ngày 30/11/2026",
        "In lúc: 26/11/2026 17:30",
        "Nhà cung cấp: HTX Nước mắm Phú Quốc Khải Hoàn",
        "Ký gửi: Có",
        "Hoa hồng: 12,5%",
        "Người lập",
        "Nhà cung cấp",
        "Quản lý",
    ] {
        assert_contains(&text, expected);
    }
    for line in &statement.lines {
        assert_contains(&text, &line.sku);
        assert_contains(
            &text,
            &format!(
                "{} {} {} {} {}",
                line.sold,
                line.sales,
                line.returned,
                line.refunds,
                line.sales - line.refunds
            ),
        );
    }
    // Names wrap in their column; each word is there.
    for word in statement.lines.iter().flat_map(|l| l.name.split(' ')) {
        assert_contains(&text, word);
    }
    assert_eq!(statement.commission(), Money(1_546_250));
    assert_contains(
        &text,
        &format!(
            "Cộng {} {} {}",
            statement.sales(),
            statement.refunds(),
            statement.net()
        ),
    );
    assert_contains(&text, &format!("Doanh thu thuần {}", statement.net()));
    assert_contains(
        &text,
        &format!("Hoa hồng (12,5%) {}", -statement.commission()),
    );
    assert_contains(&text, &format!("Số tiền phải trả {}", statement.payable()));
}

// ---------------------------------------------------------------------------------------------
// Sales report

/// A day of sales, every figure scaled by `scale` percent, with `producers` producers.
fn summary(period: Period, scale: i64, producers: usize) -> DaySummary {
    let m = |amount: i64| Money(amount * scale / 100);
    let tally = |label: String, quantity: i64, amount: i64| Tally {
        label,
        quantity: Decimal::from(quantity),
        weight: Decimal::ZERO,
        amount: m(amount),
    };
    let margin = |label: &str, sales: i64, cost: i64| Margin {
        label: label.into(),
        sales: m(sales),
        cost: m(cost),
        uncosted: Money::ZERO,
    };
    let sales_total = m(18_450_000);
    let refunds = m(310_000);
    let net = sales_total - refunds;
    let mut by_hour = [Money::ZERO; 24];
    for (hour, amount) in [
        (7, 350_000),
        (8, 1_250_000),
        (9, 2_100_000),
        (10, 2_900_000),
        (11, 1_700_000),
        (13, 900_000),
        (14, 1_400_000),
        (15, 2_300_000),
        (16, 2_650_000),
        (17, 1_900_000),
        (19, 1_000_000),
    ] {
        by_hour[hour] = m(amount);
    }
    DaySummary {
        period,
        sales_count: 57 * scale / 100,
        gross: m(18_700_000),
        discounts: m(250_000),
        sales_total,
        refunds_count: 2,
        refunds,
        net,
        vat: vat_breakdown([
            (rate("8"), net - m(8_140_000)),
            (rate("5"), m(6_900_000)),
            (rate("10"), m(1_240_000)),
        ]),
        takings: vec![
            (PaymentMethod::Cash, m(7_340_000)),
            (PaymentMethod::Transfer, m(9_800_000)),
            (PaymentMethod::Card, net - m(7_340_000) - m(9_800_000)),
        ],
        by_hour,
        top_products: vec![
            tally(
                "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm".into(),
                21,
                3_465_000,
            ),
            tally("Gạo Điền Tín ST25 lúa tôm".into(), 14, 2_590_000),
            tally("Rượu sim Phú Quốc".into(), 8, 1_240_000),
        ],
        by_producer: (1..=producers)
            .map(|n| {
                tally(
                    format!("Hợp tác xã Nông nghiệp Dịch vụ số {n:03}"),
                    n as i64,
                    (producers + 1 - n) as i64 * 10_000,
                )
            })
            .collect(),
        by_stars: vec![
            tally("★★★★★".into(), 21, 6_100_000),
            tally("★★★★".into(), 40, 8_000_000),
            tally("★★★".into(), 25, 3_840_000),
        ],
        by_group: vec![
            tally("Thực phẩm".into(), 70, 14_000_000),
            tally("Đồ uống".into(), 9, 1_400_000),
            tally("Hàng thủ công mỹ nghệ".into(), 7, 2_540_000),
        ],
        customer_money: Default::default(),
        margins: Margins {
            total: margin("", 18_140_000, 12_700_000),
            by_product: vec![margin("Gạo Điền Tín ST25 lúa tôm", 2_590_000, 1_610_000)],
            by_producer: vec![margin("CTCP Điền Tín", 18_140_000, 12_700_000)],
            by_group: vec![margin("Thực phẩm", 18_140_000, 12_700_000)],
            by_day: vec![margin("26/11/2026", 18_140_000, 12_700_000)],
        },
    }
}

fn day_report(producers: usize) -> (DaySummary, Vec<u8>) {
    let today = Period::day(day(26));
    let current = summary(today, 100, producers);
    let pdf = day_report_pdf(
        &ShopSettings::demo(),
        &current,
        &summary(today.previous(), 80, producers),
        &summary(today.week_before(), 125, producers),
        local_time(21, 30),
    );
    (current, pdf)
}

#[test]
fn day_report_shows_the_day_beside_the_days_before() {
    let (summary, pdf) = day_report(6);
    keep_sample("day-report.pdf", &pdf);
    let text = text_of(&pdf);

    for expected in [
        "BÁO CÁO DOANH THU",
        "Ngày 26/11/2026",
        "In lúc: 26/11/2026 21:30",
        "Kỳ trước",
        "25/11/2026",
        "Tuần trước",
        "19/11/2026",
        "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm",
        "★★★★★",
        "Hàng thủ công mỹ nghệ",
        "Hợp tác xã Nông nghiệp Dịch vụ số 006",
        "Trang 1/",
    ] {
        assert_contains(&text, expected);
    }
    // This day, the day before at 80 % and a week before at 125 %: -20 % and +25 % changes.
    let previous_net = Money(summary.net.dong() * 80 / 100);
    let week_net = Money(summary.net.dong() * 125 / 100);
    assert_contains(
        &text,
        &format!(
            "Doanh thu thuần {} {previous_net} +25% {week_net} -20%",
            summary.net
        ),
    );
    assert_contains(&text, &format!("Số hóa đơn bán {}", summary.sales_count));
    for bucket in &summary.vat {
        assert_contains(
            &text,
            &format!(
                "{} {} {} {}",
                bucket.rate, bucket.pre_vat, bucket.vat, bucket.gross
            ),
        );
    }
    assert_contains(
        &text,
        &format!(
            "Cộng {} {} ",
            summary.vat.iter().map(|b| b.pre_vat).sum::<Money>(),
            summary.vat_total()
        ),
    );
    for (method, name) in METHOD_NAMES {
        let (_, amount) = summary.takings.iter().find(|(m, _)| *m == method).unwrap();
        assert_contains(&text, &format!("{name} {amount}"));
    }
    let takings: Money = summary.takings.iter().map(|(_, a)| *a).sum();
    assert_contains(&text, &format!("Tổng thu {takings}"));
    // The busiest hour's bar is labelled in thousands of đồng.
    let busiest = summary.by_hour.iter().max().unwrap();
    assert_contains(&text, &group_thousands(busiest.dong() / 1000));
    // Gross margin at moving-average cost: sales, cost, margin and its rate, then the total.
    assert_contains(&text, "Lãi gộp theo nhà cung cấp");
    let total = &summary.margins.total;
    assert_contains(
        &text,
        &format!(
            "CTCP Điền Tín {} {} {} 30%",
            total.sales,
            total.cost,
            total.margin()
        ),
    );
    assert_contains(
        &text,
        &format!(
            "Gạo Điền Tín ST25 lúa tôm {} {} {} 37,8%",
            Money(2_590_000),
            Money(1_610_000),
            Money(980_000)
        ),
    );
}

#[test]
fn a_long_day_report_runs_onto_more_pages() {
    let (summary, pdf) = day_report(120);
    keep_sample("day-report-long.pdf", &pdf);
    let pages = pages_of(&pdf);
    assert!(pages.len() >= 2, "{} pages", pages.len());
    let last = summary.by_producer.last().unwrap();
    let last_line = format!("120 {} {}", last.label, last.amount);
    let page = pages
        .iter()
        .position(|text| text.contains(&last_line))
        .unwrap_or_else(|| panic!("{last_line:?} on no page"));
    assert!(page >= 1, "the last producer is on page {}", page + 1);
    // The table's heading is printed again on the page it runs on to.
    assert_contains(&pages[page], "STT Nhà cung cấp Doanh thu Tỷ trọng");
    let count = pages.len();
    for (index, text) in pages.iter().enumerate() {
        assert_contains(text, &format!("Trang {}/{count}", index + 1));
    }
    assert!(pdf.len() < 150 * 1024, "{} bytes", pdf.len());
}

#[test]
fn reports_are_the_same_bytes_every_time_and_embed_font_subsets() {
    let shop = ShopSettings::demo();
    let report = z_report(&SHORT_COUNT, "Thối nhầm");
    let z = z_report_pdf(&shop, &report);
    assert_eq!(z, z_report_pdf(&shop, &report));

    let statement = statement();
    let printed_at = local_time(17, 30);
    let bk = producer_statement_pdf(&shop, &statement, printed_at);
    assert_eq!(bk, producer_statement_pdf(&shop, &statement, printed_at));

    let (_, day) = day_report(120);
    assert_eq!(day, day_report(120).1);

    let subset_tag = b"+DejaVuSans";
    for (name, pdf, limit) in [("Z", &z, 60), ("statement", &bk, 100), ("day", &day, 150)] {
        assert!(pdf.len() <= limit * 1024, "{name} is {} bytes", pdf.len());
        assert!(
            pdf.windows(subset_tag.len()).any(|w| w == subset_tag),
            "{name} embeds whole fonts"
        );
    }
}
