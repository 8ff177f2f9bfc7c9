//! The Z-report: a cash session as closed, on the same roll paper as the receipt. It is
//! what the cashier and the manager sign when the drawer is counted.

use crate::core::cash::{CashMove, CashMoveKind, CashSession, NOTES, SessionClosing, ZReport};
use crate::core::chain::{ChainHead, ChainKind};
use crate::core::clock::{format_day, format_local};
use crate::core::delivery::DayDelivery;
use crate::core::money::{Money, group_thousands};
use crate::core::report::CustomerMoney;
use crate::core::settings::ShopSettings;
use crate::print::document::{
    DocumentInfo, Roll, RollDocument, Signatory, every_method, letterhead, method_name, signatures,
    vat_table,
};
use crate::print::font::TextStyle;
use crate::print::layout::{Align, Cell, Column, Sheet, Span, Stroke, Table};

const BODY: TextStyle = TextStyle::regular(8.5);
const BODY_BOLD: TextStyle = TextStyle::bold(8.5);
const SMALL: TextStyle = TextStyle::regular(7.0);
const SHOP_NAME: TextStyle = TextStyle::bold(10.0);
const TITLE: TextStyle = TextStyle::bold(12.0);
const RESULT: TextStyle = TextStyle::bold(10.0);

/// How far a line of detail sits in under the line it belongs to, in points.
const DETAIL_INDENT: f32 = 10.0;
/// Space left above the lines to sign on, in points.
const SIGNING_ROOM: f32 = 34.0;

/// The Z-report of a session. A session not closed yet prints what is known so far, marked as
/// such, without the count.
pub fn z_report_pdf(shop: &ShopSettings, report: &ZReport) -> Vec<u8> {
    z_report(shop, report, Roll::PDF).pdf()
}

/// The Z-report laid out on `roll`, for the PDF or the printer.
pub fn z_report(shop: &ShopSettings, report: &ZReport, roll: Roll) -> RollDocument {
    let session = &report.session;
    let closing = session.closing.as_ref();
    let mut sheet = roll.sheet();
    letterhead(&mut sheet, shop, Align::Center, SHOP_NAME, SMALL);
    sheet.rule(Stroke::Dashed);
    sheet.paragraph("BÁO CÁO CHỐT CA (Z)", TITLE, Align::Center);
    sheet.gap(2.0);
    session_details(&mut sheet, session);
    sheet.rule(Stroke::Dashed);
    sales(&mut sheet, report);
    sheet.rule(Stroke::Dashed);
    takings(&mut sheet, report);
    sheet.rule(Stroke::Dashed);
    if !report.figures.customer_money.is_empty() {
        customer_money(&mut sheet, &report.figures.customer_money);
        sheet.rule(Stroke::Dashed);
    }
    section(&mut sheet, "THUẾ GTGT THEO THUẾ SUẤT");
    vat_table(&mut sheet, &report.figures.vat, SMALL);
    sheet.rule(Stroke::Dashed);
    cash_moves(&mut sheet, &report.figures.moves);
    sheet.rule(Stroke::Dashed);
    if let Some(closing) = closing {
        note_count(&mut sheet, closing);
        sheet.rule(Stroke::Dashed);
    }
    cash_balance(&mut sheet, report);
    sheet.rule(Stroke::Dashed);
    if !report.chain_heads.is_empty() {
        chain_heads(&mut sheet, &report.chain_heads);
        sheet.rule(Stroke::Dashed);
    }
    if let Some((day, delivery)) = &report.einvoices {
        einvoices(&mut sheet, *day, delivery);
        sheet.rule(Stroke::Dashed);
    }
    sheet.gap(4.0);
    let cashier = closing.map_or(session.opened_by.as_str(), |c| c.closed_by.as_str());
    signatures(
        &mut sheet,
        &[
            Signatory {
                title: "Thu ngân",
                name: cashier,
            },
            Signatory {
                title: "Quản lý",
                name: "",
            },
        ],
        SMALL,
        SIGNING_ROOM,
    );

    let number = closing.map_or_else(|| format!("ca {}", session.id), |c| c.z_number.clone());
    RollDocument {
        page: sheet.into_page(),
        info: DocumentInfo {
            title: format!("Báo cáo chốt ca {number}"),
            created: closing.map_or(session.opened_at, |c| c.closed_at),
            identifier: format!("{}/Z/{number}", shop.tax_code),
        },
        roll,
    }
}

fn session_details(sheet: &mut Sheet, session: &CashSession) {
    let opened = format!(
        "Mở ca: {} - {}",
        format_local(session.opened_at),
        session.opened_by
    );
    match &session.closing {
        Some(closing) => {
            sheet.paragraph(
                &format!("Số Z: {}", closing.z_number),
                BODY_BOLD,
                Align::Left,
            );
            sheet.paragraph(&opened, BODY, Align::Left);
            sheet.paragraph(
                &format!(
                    "Chốt ca: {} - {}",
                    format_local(closing.closed_at),
                    closing.closed_by
                ),
                BODY,
                Align::Left,
            );
        }
        None => {
            sheet.framed("CA CHƯA CHỐT", TITLE);
            sheet.gap(2.0);
            sheet.paragraph(&opened, BODY, Align::Left);
        }
    }
    amount_row(sheet, "Tiền đầu ca", session.opening_float, BODY);
}

fn section(sheet: &mut Sheet, title: &str) {
    sheet.paragraph(title, BODY_BOLD, Align::Left);
    sheet.gap(1.0);
}

fn amount_row(sheet: &mut Sheet, label: &str, amount: Money, style: TextStyle) {
    text_row(sheet, label, &amount.to_string(), style);
}

fn text_row(sheet: &mut Sheet, label: &str, value: &str, style: TextStyle) {
    sheet.amount_line(vec![Span::new(label, style)], Span::new(value, style));
}

fn sales(sheet: &mut Sheet, report: &ZReport) {
    let figures = &report.figures;
    section(sheet, "BÁN HÀNG");
    text_row(
        sheet,
        "Số hóa đơn bán",
        &group_thousands(figures.sales_count),
        BODY,
    );
    amount_row(sheet, "Tiền hàng", figures.gross, BODY);
    amount_row(sheet, "Giảm giá", -figures.discounts, BODY);
    amount_row(sheet, "Doanh số bán", figures.sales_total, BODY_BOLD);
    amount_row(
        sheet,
        &format!(
            "Trả hàng ({} phiếu)",
            group_thousands(figures.refunds_count)
        ),
        -figures.refunds,
        BODY,
    );
    amount_row(
        sheet,
        "Doanh thu thuần",
        figures.sales_total - figures.refunds,
        BODY_BOLD,
    );
    amount_row(
        sheet,
        &format!(
            "Hủy giao dịch ({} lượt)",
            group_thousands(figures.voids_count)
        ),
        figures.voids,
        BODY,
    );
}

fn takings(sheet: &mut Sheet, report: &ZReport) {
    section(sheet, "THU THEO PHƯƠNG THỨC");
    for (method, amount) in every_method(&report.figures.takings) {
        amount_row(sheet, method_name(method), amount, BODY);
    }
    let total: Money = report.figures.takings.iter().map(|(_, a)| *a).sum();
    amount_row(sheet, "Tổng thu", total, BODY_BOLD);
}

/// Deposits and payments on account taken in the session (by method), apart from the sales;
/// and the sales paid with no money that day.
fn customer_money(sheet: &mut Sheet, money: &CustomerMoney) {
    section(sheet, "TIỀN CỌC, THU CÔNG NỢ");
    amount_row(sheet, "Nhận đặt cọc", money.deposits_taken(), BODY);
    amount_row(sheet, "Trả lại tiền cọc", -money.deposits_paid_back(), BODY);
    amount_row(sheet, "Thu công nợ", money.paid_on_account(), BODY);
    for (method, _) in every_method(&[]) {
        amount_row(
            sheet,
            method_name(method),
            money.received(Some(method)),
            BODY,
        );
    }
    amount_row(sheet, "Bán trừ tiền cọc", money.deposits_applied, BODY);
    amount_row(sheet, "Bán ghi nợ", money.sold_on_account, BODY);
}

/// Money put into or taken out of the drawer, each with why, when and by whom.
fn cash_moves(sheet: &mut Sheet, moves: &[CashMove]) {
    section(sheet, "NỘP / RÚT TIỀN MẶT");
    if moves.is_empty() {
        sheet.paragraph("Không có", BODY, Align::Left);
    }
    for cash_move in moves {
        let (kind, amount) = match cash_move.kind {
            CashMoveKind::In => ("Nộp vào", cash_move.amount),
            CashMoveKind::Out => ("Rút ra", -cash_move.amount),
        };
        amount_row(
            sheet,
            &format!("{kind}: {}", cash_move.reason),
            amount,
            BODY,
        );
        let detail = format!("{} - {}", format_local(cash_move.at), cash_move.by);
        sheet.row(vec![Cell::new(
            Span::new(&detail, SMALL),
            Align::Left,
            DETAIL_INDENT,
        )]);
    }
}

/// The drawer counted note by note, largest first, every note listed.
fn note_count(sheet: &mut Sheet, closing: &SessionClosing) {
    section(sheet, "KIỂM ĐẾM TIỀN MẶT");
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("Mệnh giá", Align::Right, 1.0),
            Column::new("Số tờ", Align::Right, 0.8),
            Column::new("Thành tiền", Align::Right, 1.3),
        ],
    );
    table.head(sheet, BODY_BOLD);
    for note in NOTES.into_iter().rev() {
        let count = closing.counts.count(note);
        table.row(
            sheet,
            &[
                &group_thousands(note),
                &format!("× {}", group_thousands(i64::from(count))),
                &format!("= {}", Money(note * i64::from(count))),
            ],
            BODY,
        );
    }
    sheet.rule(Stroke::Solid);
    amount_row(
        sheet,
        "Tổng tiền đếm được",
        closing.counts.total(),
        BODY_BOLD,
    );
}

/// How the cash in the drawer should add up, what was counted, and the difference.
fn cash_balance(sheet: &mut Sheet, report: &ZReport) {
    let figures = &report.figures;
    let session = &report.session;
    let (cash_in, cash_out) = figures.moves.iter().fold(
        (Money::ZERO, Money::ZERO),
        |(cash_in, cash_out), m| match m.kind {
            CashMoveKind::In => (cash_in + m.amount, cash_out),
            CashMoveKind::Out => (cash_in, cash_out + m.amount),
        },
    );
    section(sheet, "ĐỐI CHIẾU TIỀN MẶT");
    amount_row(sheet, "Tiền đầu ca", session.opening_float, BODY);
    amount_row(sheet, "Thu tiền mặt", figures.cash_sales, BODY);
    amount_row(sheet, "Trả lại tiền mặt", -figures.cash_refunds, BODY);
    if !figures.customer_money.is_empty() {
        amount_row(
            sheet,
            "Cọc, công nợ (tiền mặt)",
            figures.customer_money.cash(),
            BODY,
        );
    }
    amount_row(sheet, "Nộp vào", cash_in, BODY);
    amount_row(sheet, "Rút ra", -cash_out, BODY);
    let Some(closing) = &session.closing else {
        amount_row(
            sheet,
            "Tiền mặt dự kiến",
            figures.expected_cash(session.opening_float),
            BODY_BOLD,
        );
        return;
    };
    // The closing's own figure, as committed, not one worked out again here.
    amount_row(sheet, "Tiền mặt dự kiến", closing.expected, BODY_BOLD);
    amount_row(sheet, "Tiền mặt thực đếm", closing.counted, BODY_BOLD);
    sheet.gap(2.0);
    let difference = closing.difference();
    let verdict = match difference.cmp(&Money::ZERO) {
        std::cmp::Ordering::Less => "Thiếu",
        std::cmp::Ordering::Equal => "Khớp",
        std::cmp::Ordering::Greater => "Thừa",
    };
    amount_row(
        sheet,
        &format!("Chênh lệch: {verdict}"),
        Money(difference.dong().abs()),
        RESULT,
    );
    if !closing.note.trim().is_empty() {
        sheet.gap(2.0);
        sheet.paragraph(&format!("Ghi chú: {}", closing.note), BODY, Align::Left);
    }
}

/// The close's day's cash-register invoices: how many had gone to the tax authority when the
/// drawer was closed, and how many had not (the law wants them sent that day).
fn einvoices(sheet: &mut Sheet, day: chrono::NaiveDate, delivery: &DayDelivery) {
    section(sheet, &format!("HÓA ĐƠN ĐIỆN TỬ NGÀY {}", format_day(day)));
    text_row(
        sheet,
        "Đã gửi cơ quan thuế",
        &group_thousands(delivery.handed_over),
        BODY,
    );
    if delivery.exported > 0 {
        text_row(
            sheet,
            "trong đó xuất tệp tải lên",
            &group_thousands(delivery.exported),
            SMALL,
        );
    }
    let style = if delivery.unsent > 0 { BODY_BOLD } else { BODY };
    text_row(sheet, "Chưa gửi", &group_thousands(delivery.unsent), style);
}

/// The head of every hash chain at the close: how many records each has and the last one's
/// short hash. Kept with the paper, it shows later whether the records up to it were changed.
fn chain_heads(sheet: &mut Sheet, heads: &[ChainHead]) {
    section(sheet, "CHUỖI CHỨNG TỪ (SHA-256)");
    for head in heads {
        let name = match head.kind {
            ChainKind::Sale => "Hóa đơn bán",
            ChainKind::Refund => "Phiếu trả hàng",
            ChainKind::Invoice => "Hóa đơn GTGT",
            ChainKind::CashMove => "Nộp/rút két",
            ChainKind::ZClose => "Chốt ca",
            ChainKind::Audit => "Nhật ký",
            ChainKind::EInvoice => "Hóa đơn điện tử",
            ChainKind::CustomerSale => "Bán cho khách hàng",
            ChainKind::CustomerPayment => "Cọc, thu công nợ",
        };
        text_row(
            sheet,
            name,
            &format!("#{} {}", head.position, head.short_hash()),
            SMALL,
        );
    }
}
