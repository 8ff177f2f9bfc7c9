//! `ocop-pos orders`, `receivables` and `statement`: orders by delivery day, what companies owe
//! by age, and a company's statement as a PDF. They only read.

use crate::config::Config;
use crate::core::cart::format_quantity;
use crate::core::clock::format_day;
use crate::core::money::Money;
use crate::core::order::{Order, OrderStatus};
use crate::core::receivable::AccountStatement;
use crate::core::report::Period;
use crate::documents::Document;
use crate::store::OrderFilter;
use chrono::{NaiveDate, Utc};
use std::fmt::Write;
use std::path::Path;

fn status_text(order: &Order) -> &'static str {
    match order.status {
        OrderStatus::Open => "đang mở",
        OrderStatus::Delivered => "đã giao đủ",
        OrderStatus::Cancelled => "đã hủy",
    }
}

/// The orders by the day their next line is due: `--open` only those still open, `--due D`
/// only those with something to deliver by D.
pub fn list_orders(config: &Config, open: bool, due: Option<NaiveDate>) -> Result<String, String> {
    let store = super::open_existing(config)?;
    let orders = store
        .orders(OrderFilter {
            open_only: open,
            due_by: due,
            customer_id: None,
        })
        .map_err(|e| e.to_string())?;
    if orders.is_empty() {
        return Ok("Không có đơn hàng nào / no orders".to_string());
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<15} {:<10} {:<34} {:>16} {:>14} {:>14}  trạng thái",
        "đơn hàng", "giao", "khách hàng", "giá trị", "cọc chưa trừ", "còn phải giao"
    );
    for order in &orders {
        let due = order.next_due().map_or_else(|| "—".to_string(), format_day);
        let name: String =
            crate::i18n::orders::customer_name(&order.customer, crate::i18n::Lang::Vi)
                .chars()
                .take(34)
                .collect();
        let _ = writeln!(
            out,
            "{:<15} {:<10} {:<34} {:>16} {:>14} {:>14}  {}",
            order.number,
            due,
            name,
            order.total().to_string(),
            order.unused_deposit().to_string(),
            order.left_value().to_string(),
            status_text(order),
        );
        for line in order.lines.iter().filter(|l| !l.left().is_zero()) {
            let _ = writeln!(
                out,
                "{:<15} {:<10}   {} × {} (còn {})",
                "",
                format_day(line.due_on),
                format_quantity(line.quantity),
                line.name,
                format_quantity(line.left()),
            );
        }
    }
    Ok(out)
}

/// What every company owes on account today, by age (from each invoice's due day).
pub fn receivables(config: &Config) -> Result<String, String> {
    let store = super::open_existing(config)?;
    let today = crate::core::clock::local_date(Utc::now());
    let aging = store.aging(today).map_err(|e| e.to_string())?;
    if aging.is_empty() {
        return Ok("Không có công nợ / nothing is owed on account".to_string());
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "CÔNG NỢ THEO TUỔI NỢ NGÀY {} / receivables by age",
        format_day(today)
    );
    let _ = writeln!(
        out,
        "{:<14} {:<30} {:>14} {:>14} {:>14} {:>14} {:>15} {:>15}",
        "MST", "khách hàng", "trong hạn", "1–30 ngày", "31–60 ngày", "> 60 ngày", "tổng", "hạn mức"
    );
    let mut totals = [Money::ZERO; 4];
    for row in &aging {
        let name: String = row.name.chars().take(30).collect();
        let _ = write!(out, "{:<14} {:<30}", row.tax_code, name);
        for (bucket, total) in row.buckets.iter().zip(totals.iter_mut()) {
            let _ = write!(out, " {:>14}", bucket.to_string());
            *total += *bucket;
        }
        let over = if row.total() > row.limit {
            " (vượt hạn mức)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            " {:>15} {:>15}{over}",
            row.total().to_string(),
            row.limit.to_string()
        );
    }
    let _ = write!(out, "{:<14} {:<30}", "", "CỘNG");
    for total in totals {
        let _ = write!(out, " {:>14}", total.to_string());
    }
    let _ = writeln!(
        out,
        " {:>15}",
        totals.iter().copied().sum::<Money>().to_string()
    );
    Ok(out)
}

/// A company's statement for a period, written to `pdf`; says where and the closing balance.
pub fn statement(
    config: &Config,
    tax_code: &str,
    period: Period,
    pdf: &Path,
) -> Result<String, String> {
    let store = super::open_existing(config)?;
    let Some(customer) = store.find_company(tax_code).map_err(|e| e.to_string())? else {
        return Err(format!(
            "không có doanh nghiệp mã số thuế {tax_code} trong danh sách người mua / \
             no company buyer with tax code {tax_code}"
        ));
    };
    let statement = if customer.id == 0 {
        AccountStatement {
            customer,
            period,
            opening: Money::ZERO,
            entries: Vec::new(),
            open: Vec::new(),
            unused_deposits: Money::ZERO,
        }
    } else {
        store
            .account_statement(customer.id, period)
            .map_err(|e| e.to_string())?
    };
    let closing = statement.closing();
    let shop = store.shop_settings().map_err(|e| e.to_string())?;
    let written = Document::AccountStatement {
        statement: Box::new(statement),
        printed_at: Utc::now(),
    }
    .write(&config.data_dir, &shop, Some(pdf))
    .map_err(|e| e.to_string())?;
    Ok(format!(
        "{}\nSố dư cuối kỳ / closing balance: {closing}",
        written.display()
    ))
}
