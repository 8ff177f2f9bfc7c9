//! Documents of an order on A4: its confirmation with the deposit asked, the note of each
//! delivery signed by the receiver, and the day's packing list.

use crate::core::cart::format_quantity;
use crate::core::clock::{SHOP_TIME_ZONE, format_day, format_local};
use crate::core::customer::{Customer, CustomerKind};
use crate::core::money::Money;
use crate::core::order::{Delivery, LineKind, Order, PackingList};
use crate::core::payment::PaymentMethod;
use crate::core::settings::ShopSettings;
use crate::core::words::amount_in_words;
use crate::print::document::{
    DocumentInfo, REPORT_BODY, REPORT_BOLD, REPORT_SECTION, REPORT_SMALL, Signatory, begin_report,
    finish_report, method_name, printed_at_text, signatures,
};
use crate::print::font::TextStyle;
use crate::print::layout::{Align, Column, Sheet, Span, Table};
use chrono::{DateTime, Utc};

const TABLE: TextStyle = TextStyle::regular(8.0);
const TABLE_BOLD: TextStyle = TextStyle::bold(8.0);
const GRAND_TOTAL: TextStyle = TextStyle::bold(10.5);
/// Width of the labels of a document's details, in points.
const LABEL_WIDTH: f32 = 120.0;
/// Space left above the lines to sign on, in points.
const SIGNING_ROOM: f32 = 50.0;

/// How a customer is named on paper; a person whose data was erased is named as such.
pub(crate) fn customer_name(customer: &Customer) -> String {
    if customer.erased {
        format!("Khách hàng đã xóa dữ liệu (KH{:06})", customer.id)
    } else {
        customer.name.clone()
    }
}

/// Labels and values in two columns; empty values are left out.
pub(crate) fn details(sheet: &mut Sheet, rows: &[(&str, String)]) {
    let mut table = Table::new(
        sheet,
        vec![
            Column::new("", Align::Left, LABEL_WIDTH),
            Column::new("", Align::Left, sheet.width() - LABEL_WIDTH),
        ],
    );
    for (index, (label, value)) in rows.iter().enumerate() {
        if !value.trim().is_empty() {
            let style = if index == 0 { REPORT_BOLD } else { REPORT_BODY };
            table.row(sheet, &[&format!("{label}:"), value], style);
        }
    }
}

/// The customer's own details: a company's tax code and address, a person's phone.
pub(crate) fn customer_details(customer: &Customer) -> Vec<(&'static str, String)> {
    let mut rows = vec![("Khách hàng", customer_name(customer))];
    match customer.kind {
        CustomerKind::Company => {
            rows.push(("Mã số thuế", customer.tax_code.clone()));
            rows.push(("Địa chỉ", customer.address.clone()));
        }
        CustomerKind::Person => {
            rows.push(("Điện thoại", customer.phone.clone()));
            rows.push(("Địa chỉ", customer.address.clone()));
        }
    }
    rows
}

/// A total in figures, then in words, on one page.
pub(crate) fn total_in_words(sheet: &mut Sheet, label: &str, amount: Money) {
    sheet.keep_together(GRAND_TOTAL.line_height() + 2.0 * REPORT_BOLD.line_height());
    sheet.amount_line(
        vec![Span::new(label, GRAND_TOTAL)],
        Span::new(&amount.to_string(), GRAND_TOTAL),
    );
    sheet.gap(2.0);
    sheet.paragraph(
        &format!("Số tiền viết bằng chữ: {}", amount_in_words(amount)),
        REPORT_BOLD,
        Align::Left,
    );
}

fn amount_row(sheet: &mut Sheet, label: &str, amount: Money, style: TextStyle) {
    sheet.amount_line(
        vec![Span::new(label, style)],
        Span::new(&amount.to_string(), style),
    );
}

/// The order confirmation (xác nhận đơn đặt hàng) as of `printed_at`: the customer, every
/// line at its agreed price with its delivery day, a basket's contents and card message under
/// it, the total in words, the deposit asked and what was paid so far.
pub fn order_confirmation_pdf(
    shop: &ShopSettings,
    order: &Order,
    printed_at: DateTime<Utc>,
) -> Vec<u8> {
    let taken = order.created_at.with_timezone(&SHOP_TIME_ZONE);
    let mut sheet = begin_report(
        shop,
        "XÁC NHẬN ĐƠN ĐẶT HÀNG",
        &[
            format!("Số: {}", order.number),
            taken.format("Ngày %d tháng %m năm %Y").to_string(),
        ],
    );
    let mut rows = customer_details(&order.customer);
    rows.push(("Địa chỉ giao hàng", order.delivery_address.clone()));
    rows.push(("Người nhận", order.contact.clone()));
    rows.push(("Ghi chú", order.notes.clone()));
    rows.push(("Người lập đơn", order.created_by.clone()));
    details(&mut sheet, &rows);
    sheet.gap(8.0);
    let mut table = Table::new(
        &sheet,
        vec![
            Column::new("STT", Align::Center, 22.0),
            Column::new("Hàng hóa", Align::Left, 190.0),
            Column::new("ĐVT", Align::Left, 40.0),
            Column::new("SL", Align::Right, 36.0),
            Column::new("Đơn giá", Align::Right, 66.0),
            Column::new("Thành tiền", Align::Right, 78.0),
            Column::new("Ngày giao", Align::Right, 62.0),
        ],
    );
    table.head(&mut sheet, TABLE_BOLD);
    for (index, line) in order.lines.iter().enumerate() {
        let mut name = line.name.clone();
        if line.kind == LineKind::Basket {
            for content in &line.contents {
                name.push_str(&format!(
                    "\n  · {} × {} {}",
                    content.name,
                    format_quantity(content.quantity),
                    content.unit
                ));
            }
        }
        let name = with_card(name, &line.card_message);
        table.row(
            &mut sheet,
            &[
                &(index + 1).to_string(),
                &name,
                &line.unit,
                &format_quantity(line.quantity),
                &line.unit_price.to_string(),
                &line.amount().to_string(),
                &format_day(line.due_on),
            ],
            TABLE,
        );
    }
    table.total(
        &mut sheet,
        &["", "Cộng", "", "", "", &order.total().to_string(), ""],
        TABLE_BOLD,
    );
    sheet.gap(6.0);
    total_in_words(
        &mut sheet,
        "Tổng giá trị đơn hàng (đã gồm VAT):",
        order.total(),
    );
    sheet.gap(6.0);
    amount_row(
        &mut sheet,
        "Đề nghị đặt cọc:",
        order.deposit_asked,
        REPORT_BOLD,
    );
    if order.deposits_received > Money::ZERO {
        amount_row(
            &mut sheet,
            "Đã đặt cọc:",
            order.deposits_received,
            REPORT_BODY,
        );
    }
    sheet.gap(4.0);
    sheet.paragraph(
        "Giá đã gồm thuế GTGT theo thuế suất tại ngày giao. Mỗi lần giao hàng lập một hóa đơn; \
         tiền cọc được trừ vào hóa đơn của lần giao đầu, rồi các lần sau cho đến hết. Mua từ \
         5.000.000 ₫ trong ngày, bên mua cần thanh toán không dùng tiền mặt để được khấu trừ \
         thuế GTGT.",
        REPORT_SMALL,
        Align::Left,
    );
    sheet.gap(14.0);
    signatures(
        &mut sheet,
        &[
            Signatory {
                title: "Khách hàng",
                name: "",
            },
            Signatory {
                title: "Người lập đơn",
                name: &order.created_by,
            },
            Signatory {
                title: "Cửa hàng",
                name: "",
            },
        ],
        REPORT_BODY,
        SIGNING_ROOM,
    );
    sheet.gap(6.0);
    sheet.paragraph(&printed_at_text(printed_at), REPORT_SMALL, Align::Right);
    finish_report(
        sheet,
        &format!("Đơn hàng {}", order.number),
        &DocumentInfo {
            title: format!("Xác nhận đơn đặt hàng {}", order.number),
            created: printed_at,
            identifier: format!("{}/{}", shop.tax_code, order.number),
        },
    )
}

/// The delivery note (phiếu giao hàng): what this delivery took of each line and what is left,
/// the invoice it was sold on, how it was paid, and room for the receiver to sign.
pub fn delivery_note_pdf(shop: &ShopSettings, delivery: &Delivery) -> Vec<u8> {
    let order = &delivery.order;
    let sale = &delivery.sale;
    let delivered = sale.sold_at.with_timezone(&SHOP_TIME_ZONE);
    let mut sheet = begin_report(
        shop,
        "PHIẾU GIAO HÀNG",
        &[
            format!("Số: {}", delivery.number()),
            delivered
                .format("Ngày %d tháng %m năm %Y, lúc %H:%M")
                .to_string(),
        ],
    );
    let invoice = sale
        .invoice
        .issued()
        .map(|invoice| match &invoice.numbers.authority_code {
            Some(code) => format!("{} (mã CQT {code})", invoice.reference()),
            None => invoice.reference(),
        })
        .unwrap_or_default();
    let mut rows = customer_details(&order.customer);
    rows.push(("Theo đơn hàng", order.number.clone()));
    rows.push(("Địa chỉ giao hàng", order.delivery_address.clone()));
    rows.push(("Người nhận hàng", delivery.receiver.clone()));
    rows.push(("Hóa đơn", invoice));
    rows.push(("Số hóa đơn bán lẻ", sale.receipt_no.clone()));
    details(&mut sheet, &rows);
    sheet.gap(8.0);
    let mut table = Table::new(
        &sheet,
        vec![
            Column::new("STT", Align::Center, 22.0),
            Column::new("Hàng hóa", Align::Left, 230.0),
            Column::new("ĐVT", Align::Left, 40.0),
            Column::new("Đặt", Align::Right, 50.0),
            Column::new("Giao lần này", Align::Right, 70.0),
            Column::new("Còn lại", Align::Right, 60.0),
        ],
    );
    table.head(&mut sheet, TABLE_BOLD);
    for (index, line) in delivery.lines.iter().enumerate() {
        let name = with_card(line.name.clone(), &line.card_message);
        table.row(
            &mut sheet,
            &[
                &(index + 1).to_string(),
                &name,
                &line.unit,
                &format_quantity(line.ordered),
                &format_quantity(line.now),
                &format_quantity(line.left),
            ],
            TABLE,
        );
    }
    sheet.gap(8.0);
    total_in_words(
        &mut sheet,
        "Giá trị lần giao (đã gồm VAT):",
        sale.draft.total,
    );
    sheet.gap(4.0);
    for tender in &sale.draft.tenders {
        let label = match tender.method {
            PaymentMethod::Deposit => "Trừ tiền đặt cọc:".to_string(),
            PaymentMethod::OnAccount => "Ghi nợ (công nợ):".to_string(),
            method => format!("Đã thanh toán ({}):", method_name(method).to_lowercase()),
        };
        amount_row(&mut sheet, &label, tender.amount, REPORT_BODY);
    }
    if sale.draft.change > Money::ZERO {
        amount_row(&mut sheet, "Tiền thối lại:", sale.draft.change, REPORT_BODY);
    }
    sheet.gap(4.0);
    sheet.paragraph(
        "Bên nhận đã kiểm đếm đủ số lượng, hàng nguyên vẹn, đúng chủng loại.",
        REPORT_SMALL,
        Align::Left,
    );
    sheet.gap(14.0);
    signatures(
        &mut sheet,
        &[
            Signatory {
                title: "Người nhận hàng",
                name: &delivery.receiver,
            },
            Signatory {
                title: "Người giao hàng",
                name: "",
            },
            Signatory {
                title: "Người lập phiếu",
                name: &sale.draft.cashier,
            },
        ],
        REPORT_BODY,
        SIGNING_ROOM,
    );
    finish_report(
        sheet,
        &format!("Phiếu giao hàng {}", delivery.number()),
        &DocumentInfo {
            title: format!("Phiếu giao hàng {}", delivery.number()),
            created: sale.sold_at,
            identifier: format!("{}/{}", shop.tax_code, delivery.number()),
        },
    )
}

/// The packing list of a day: every product to pick for the day's orders added up across
/// them, then each order's lines with their cards, to pack and check off.
pub fn packing_list_pdf(
    shop: &ShopSettings,
    list: &PackingList,
    printed_at: DateTime<Utc>,
) -> Vec<u8> {
    let mut sheet = begin_report(
        shop,
        "DANH SÁCH SOẠN HÀNG",
        &[
            format!("Giao đến hết ngày {}", format_day(list.day)),
            printed_at_text(printed_at),
        ],
    );
    sheet.paragraph(
        "HÀNG CẦN LẤY (cộng tất cả đơn)",
        REPORT_SECTION,
        Align::Left,
    );
    sheet.gap(2.0);
    let mut table = Table::new(
        &sheet,
        vec![
            Column::new("STT", Align::Center, 24.0),
            Column::new("Mã hàng", Align::Left, 60.0),
            Column::new("Tên hàng", Align::Left, 250.0),
            Column::new("ĐVT", Align::Left, 70.0),
            Column::new("Số lượng", Align::Right, 60.0),
            Column::new("Đã lấy", Align::Center, 46.0),
        ],
    );
    table.head(&mut sheet, TABLE_BOLD);
    for (index, item) in list.items.iter().enumerate() {
        table.row(
            &mut sheet,
            &[
                &(index + 1).to_string(),
                &item.sku,
                &item.name,
                &item.unit,
                &format_quantity(item.quantity),
                "☐",
            ],
            TABLE,
        );
    }
    sheet.gap(10.0);
    sheet.paragraph("THEO ĐƠN HÀNG", REPORT_SECTION, Align::Left);
    sheet.gap(2.0);
    let mut table = Table::new(
        &sheet,
        vec![
            // Wide enough for a node's order number on one line: `DH2026-AB-000001`.
            Column::new("Đơn hàng", Align::Left, 96.0),
            Column::new("Khách hàng", Align::Left, 120.0),
            Column::new("Hàng hóa", Align::Left, 174.0),
            Column::new("SL", Align::Right, 40.0),
            Column::new("Ngày giao", Align::Right, 60.0),
            Column::new("Xong", Align::Center, 30.0),
        ],
    );
    table.head(&mut sheet, TABLE_BOLD);
    for line in &list.lines {
        let name = with_card(line.name.clone(), &line.card_message);
        let due = if line.due_on < list.day {
            format!("{} (trễ)", format_day(line.due_on))
        } else {
            format_day(line.due_on)
        };
        table.row(
            &mut sheet,
            &[
                &line.order_number,
                &line.customer,
                &name,
                &format_quantity(line.quantity),
                &due,
                "☐",
            ],
            TABLE,
        );
    }
    if list.lines.is_empty() {
        sheet.paragraph("Không có đơn hàng nào cần giao.", REPORT_BODY, Align::Left);
    }
    sheet.gap(14.0);
    signatures(
        &mut sheet,
        &[
            Signatory {
                title: "Người soạn hàng",
                name: "",
            },
            Signatory {
                title: "Thủ kho",
                name: "",
            },
        ],
        REPORT_BODY,
        SIGNING_ROOM,
    );
    let day = format_day(list.day);
    finish_report(
        sheet,
        &format!("Soạn hàng {day} · {}", format_local(printed_at)),
        &DocumentInfo {
            title: format!("Danh sách soạn hàng {day}"),
            created: printed_at,
            identifier: format!("{}/SH/{}", shop.tax_code, list.day),
        },
    )
}

/// A line's name with the greeting card that goes with it, on a line of its own.
fn with_card(mut name: String, card_message: &str) -> String {
    if !card_message.is_empty() {
        name.push_str(&format!("\n  Thiệp: “{card_message}”"));
    }
    name
}
