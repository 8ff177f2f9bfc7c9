//! A customer's money on A4: the slip of a deposit, of a deposit paid back, of a payment on
//! account; and a company's statement (bảng đối chiếu công nợ) for a period.

use crate::core::clock::{SHOP_TIME_ZONE, format_day, format_local};
use crate::core::money::Money;
use crate::core::receivable::{AccountStatement, AgeBucket, CustomerPayment, PaymentKind};
use crate::core::settings::ShopSettings;
use crate::print::document::{
    DocumentInfo, REPORT_BODY, REPORT_SECTION, REPORT_SMALL, Signatory, begin_report,
    finish_report, method_name, period_dates, period_text, printed_at_text, signatures,
};
use crate::print::font::TextStyle;
use crate::print::layout::{Align, Column, Span, Table};
use crate::print::orders::{customer_details, customer_name, details, total_in_words};
use chrono::{DateTime, Utc};

const TABLE: TextStyle = TextStyle::regular(8.0);
const TABLE_BOLD: TextStyle = TextStyle::bold(8.0);
const SIGNING_ROOM: f32 = 50.0;

fn title(kind: PaymentKind) -> &'static str {
    match kind {
        PaymentKind::Deposit => "PHIẾU THU TIỀN ĐẶT CỌC",
        PaymentKind::DepositRefund => "PHIẾU CHI TRẢ LẠI TIỀN ĐẶT CỌC",
        PaymentKind::Account => "PHIẾU THU TIỀN CÔNG NỢ",
    }
}

/// The slip of a deposit (`DC…`), a deposit paid back (`PC…`) or a payment on account (`PT…`,
/// with the invoices it settles). A reprint gives the same bytes.
pub fn customer_payment_pdf(shop: &ShopSettings, payment: &CustomerPayment) -> Vec<u8> {
    let at = payment.at.with_timezone(&SHOP_TIME_ZONE);
    let mut sheet = begin_report(
        shop,
        title(payment.kind),
        &[
            format!("Số: {}", payment.number),
            at.format("Ngày %d tháng %m năm %Y, lúc %H:%M").to_string(),
        ],
    );
    let mut rows = customer_details(&payment.customer);
    rows.push((
        "Theo đơn hàng",
        payment.order_number.clone().unwrap_or_default(),
    ));
    rows.push(("Hình thức", method_name(payment.method).to_string()));
    rows.push(("Nội dung chuyển khoản", payment.reference.clone()));
    rows.push(("Người lập phiếu", payment.cashier.clone()));
    rows.push((
        "Quản lý duyệt",
        payment.approver.clone().unwrap_or_default(),
    ));
    details(&mut sheet, &rows);
    sheet.gap(8.0);
    if !payment.allocations.is_empty() {
        let mut table = Table::new(
            &sheet,
            vec![
                Column::new("Hóa đơn", Align::Left, 2.0),
                Column::new("Số HĐ bán lẻ", Align::Left, 1.5),
                Column::new("Số tiền trả", Align::Right, 1.5),
            ],
        );
        table.head(&mut sheet, TABLE_BOLD);
        for allocation in &payment.allocations {
            table.row(
                &mut sheet,
                &[
                    allocation.invoice.as_deref().unwrap_or("—"),
                    &allocation.receipt_no,
                    &allocation.amount.to_string(),
                ],
                TABLE,
            );
        }
        sheet.gap(8.0);
    }
    let label = match payment.kind {
        PaymentKind::DepositRefund => "Số tiền chi:",
        PaymentKind::Deposit | PaymentKind::Account => "Số tiền thu:",
    };
    total_in_words(&mut sheet, label, payment.amount);
    sheet.gap(16.0);
    let (payer, receiver) = match payment.kind {
        PaymentKind::DepositRefund => ("Người nhận tiền", "Người chi tiền"),
        PaymentKind::Deposit | PaymentKind::Account => ("Người nộp tiền", "Người thu tiền"),
    };
    signatures(
        &mut sheet,
        &[
            Signatory {
                title: payer,
                name: "",
            },
            Signatory {
                title: receiver,
                name: &payment.cashier,
            },
            Signatory {
                title: "Quản lý",
                name: payment.approver.as_deref().unwrap_or(""),
            },
        ],
        REPORT_BODY,
        SIGNING_ROOM,
    );
    finish_report(
        sheet,
        &format!("{} {}", title(payment.kind), payment.number),
        &DocumentInfo {
            title: format!("{} {}", title(payment.kind), payment.number),
            created: payment.at,
            identifier: format!("{}/{}", shop.tax_code, payment.number),
        },
    )
}

fn age_name(bucket: AgeBucket) -> &'static str {
    match bucket {
        AgeBucket::Current => "Trong hạn",
        AgeBucket::Days1To30 => "Quá hạn 1–30 ngày",
        AgeBucket::Days31To60 => "Quá hạn 31–60 ngày",
        AgeBucket::Over60 => "Quá hạn trên 60 ngày",
    }
}

/// A customer's statement for a period as of `printed_at`: the balance brought forward, every
/// invoice, deposit and payment with the running balance, the closing balance in words, what is
/// open at the end by age, and room for both sides to confirm it.
pub fn account_statement_pdf(
    shop: &ShopSettings,
    statement: &AccountStatement,
    printed_at: DateTime<Utc>,
) -> Vec<u8> {
    let customer = &statement.customer;
    let mut sheet = begin_report(
        shop,
        "BẢNG ĐỐI CHIẾU CÔNG NỢ",
        &[period_text(&statement.period), printed_at_text(printed_at)],
    );
    let mut rows = customer_details(customer);
    if customer.terms.limit > Money::ZERO || customer.terms.days > 0 {
        rows.push((
            "Hạn mức, hạn trả",
            format!("{}; {} ngày", customer.terms.limit, customer.terms.days),
        ));
    }
    details(&mut sheet, &rows);
    sheet.gap(8.0);
    let mut table = Table::new(
        &sheet,
        vec![
            Column::new("Ngày", Align::Left, 50.0),
            Column::new("Chứng từ", Align::Left, 102.0),
            Column::new("Diễn giải", Align::Left, 160.0),
            Column::new("Phát sinh nợ", Align::Right, 66.0),
            Column::new("Đã trả", Align::Right, 66.0),
            Column::new("Số dư", Align::Right, 66.0),
        ],
    );
    table.head(&mut sheet, TABLE_BOLD);
    table.row(
        &mut sheet,
        &[
            "",
            "",
            "Số dư đầu kỳ",
            "",
            "",
            &statement.opening.to_string(),
        ],
        TABLE_BOLD,
    );
    let blank_zero = |amount: Money| {
        if amount == Money::ZERO {
            String::new()
        } else {
            amount.to_string()
        }
    };
    for (entry, balance) in statement.entries.iter().zip(statement.running()) {
        table.row(
            &mut sheet,
            &[
                &format_local(entry.at)[..10],
                &entry.document,
                &entry.description,
                &blank_zero(entry.debit),
                &blank_zero(entry.credit),
                &balance.to_string(),
            ],
            TABLE,
        );
    }
    table.total(
        &mut sheet,
        &[
            "",
            "",
            "Cộng phát sinh",
            &statement.debits().to_string(),
            &statement.credits().to_string(),
            "",
        ],
        TABLE_BOLD,
    );
    table.row(
        &mut sheet,
        &[
            "",
            "",
            "Số dư cuối kỳ",
            "",
            "",
            &statement.closing().to_string(),
        ],
        TABLE_BOLD,
    );
    sheet.gap(8.0);
    let closing = statement.closing();
    let (label, shown) = if closing >= Money::ZERO {
        (
            format!("{} còn phải trả:", customer_name(customer)),
            closing,
        )
    } else {
        (
            "Cửa hàng còn giữ của khách (tiền cọc, trả thừa):".to_string(),
            -closing,
        )
    };
    total_in_words(&mut sheet, &label, shown);
    sheet.gap(8.0);
    if !statement.open.is_empty() {
        sheet.paragraph(
            &format!(
                "HÓA ĐƠN CÒN NỢ ĐẾN NGÀY {}",
                format_day(statement.period.to)
            ),
            REPORT_SECTION,
            Align::Left,
        );
        sheet.gap(2.0);
        let mut table = Table::new(
            &sheet,
            vec![
                Column::new("Hóa đơn", Align::Left, 100.0),
                Column::new("Ngày", Align::Left, 60.0),
                Column::new("Hạn trả", Align::Left, 60.0),
                Column::new("Tổng tiền", Align::Right, 80.0),
                Column::new("Còn nợ", Align::Right, 80.0),
                Column::new("Tuổi nợ", Align::Left, 110.0),
            ],
        );
        table.head(&mut sheet, TABLE_BOLD);
        for invoice in &statement.open {
            table.row(
                &mut sheet,
                &[
                    invoice.invoice.as_deref().unwrap_or(&invoice.receipt_no),
                    &format_day(invoice.sold_on),
                    &format_day(invoice.due_on),
                    &invoice.total.to_string(),
                    &invoice.open.to_string(),
                    age_name(AgeBucket::of(invoice.due_on, statement.period.to)),
                ],
                TABLE,
            );
        }
        let open: Money = statement.open.iter().map(|i| i.open).sum();
        table.total(
            &mut sheet,
            &["", "", "", "Cộng", &open.to_string(), ""],
            TABLE_BOLD,
        );
        sheet.gap(4.0);
    }
    if statement.unused_deposits > Money::ZERO {
        sheet.amount_line(
            vec![Span::new("Tiền đặt cọc chưa trừ vào hóa đơn:", REPORT_BODY)],
            Span::new(&statement.unused_deposits.to_string(), REPORT_BODY),
        );
    }
    sheet.gap(6.0);
    sheet.paragraph(
        "Đề nghị quý khách đối chiếu và xác nhận. Thanh toán chuyển khoản vào tài khoản của cửa \
         hàng, ghi rõ số hóa đơn trong nội dung chuyển khoản.",
        REPORT_SMALL,
        Align::Left,
    );
    sheet.gap(14.0);
    signatures(
        &mut sheet,
        &[
            Signatory {
                title: "Đại diện bên mua",
                name: "",
            },
            Signatory {
                title: "Kế toán bên bán",
                name: "",
            },
        ],
        REPORT_BODY,
        SIGNING_ROOM,
    );
    let dates = period_dates(&statement.period);
    let key = if customer.tax_code.is_empty() {
        format!("KH{:06}", customer.id)
    } else {
        customer.tax_code.clone()
    };
    finish_report(
        sheet,
        &format!("Đối chiếu công nợ {key} {dates}"),
        &DocumentInfo {
            title: format!("Bảng đối chiếu công nợ {} {dates}", customer_name(customer)),
            created: printed_at,
            identifier: format!("{}/CN/{key}/{dates}", shop.tax_code),
        },
    )
}
