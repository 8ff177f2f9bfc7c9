//! `ocop-pos report …`: the day's figures and producer statements without a window.

use crate::config::Config;
use crate::core::cart::format_quantity;
use crate::core::report::{DaySummary, Period, ProducerStatement, Tally};
use crate::documents::Document;
use crate::i18n::{Label, Lang, OrderLabel, method_name};
use crate::store::Store;
use chrono::{NaiveDate, Utc};
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn open(config: &Config) -> Result<Store, String> {
    super::open_existing(config)
}

fn write(
    config: &Config,
    store: &Store,
    document: Document,
    path: &Path,
) -> Result<PathBuf, String> {
    let shop = store.shop_settings().map_err(|e| e.to_string())?;
    document
        .write(&config.data_dir, &shop, Some(path))
        .map_err(|e| e.to_string())
}

/// The day's figures as text, or written to `pdf` (A4 report) and/or `csv` (sale lines).
pub fn report_day(
    config: &Config,
    day: NaiveDate,
    pdf: Option<&Path>,
    csv: Option<&Path>,
) -> Result<String, String> {
    let store = open(config)?;
    let period = Period::day(day);
    let summary = store.day_summary(period).map_err(|e| e.to_string())?;
    if pdf.is_none() && csv.is_none() {
        return Ok(day_text(&summary));
    }
    let mut written = Vec::new();
    if let Some(path) = pdf {
        let previous = store
            .day_summary(period.previous())
            .map_err(|e| e.to_string())?;
        let week_before = store
            .day_summary(period.week_before())
            .map_err(|e| e.to_string())?;
        let document = Document::DayReport {
            summary: Box::new(summary),
            previous: Box::new(previous),
            week_before: Box::new(week_before),
            printed_at: Utc::now(),
        };
        written.push(write(config, &store, document, path)?);
    }
    if let Some(path) = csv {
        let lines = store
            .sale_lines_in_period(period)
            .map_err(|e| e.to_string())?;
        written.push(write(
            config,
            &store,
            Document::SalesCsv { period, lines },
            path,
        )?);
    }
    Ok(paths_text(&written))
}

/// A producer's statement for a period as text, or written to `pdf` and/or `csv`.
pub fn report_producer(
    config: &Config,
    producer_id: i64,
    period: Period,
    pdf: Option<&Path>,
    csv: Option<&Path>,
) -> Result<String, String> {
    let store = open(config)?;
    let statement = store
        .producer_statement(producer_id, period)
        .map_err(|e| match e {
            crate::store::StoreError::NotFound => format!(
                "không có nhà cung cấp số {producer_id} / there is no producer {producer_id}"
            ),
            other => other.to_string(),
        })?;
    if pdf.is_none() && csv.is_none() {
        return Ok(statement_text(&statement));
    }
    let mut written = Vec::new();
    if let Some(path) = pdf {
        let document = Document::Statement {
            statement: Box::new(statement.clone()),
            printed_at: Utc::now(),
        };
        written.push(write(config, &store, document, path)?);
    }
    if let Some(path) = csv {
        let document = Document::StatementCsv(Box::new(statement));
        written.push(write(config, &store, document, path)?);
    }
    Ok(paths_text(&written))
}

/// The producers as `number  name  (consignment, commission)` lines.
pub fn list_producers(config: &Config) -> Result<String, String> {
    let store = open(config)?;
    let producers = store.producers().map_err(|e| e.to_string())?;
    Ok(producers
        .iter()
        .map(|p| {
            let terms = if p.consignment {
                format!("ký gửi, hoa hồng {}%", p.commission_pct.normalize())
            } else {
                "mua đứt".to_string()
            };
            format!("{:>4}  {}  ({terms})", p.id, p.name)
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

fn paths_text(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn label(label: Label) -> &'static str {
    label.text(Lang::Vi)
}

fn line(out: &mut String, name: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "  {name:<34} {value:>20}");
}

fn tallies(out: &mut String, title: Label, tallies: &[Tally]) {
    let _ = writeln!(out, "{}", label(title));
    for tally in tallies {
        let name = format!("{} ({})", tally.label, format_quantity(tally.quantity));
        line(out, &name, tally.amount);
    }
}

/// The day's figures as a person reads them in a terminal.
pub fn day_text(summary: &DaySummary) -> String {
    let mut out = String::new();
    let period = &summary.period;
    let _ = writeln!(
        out,
        "{} {}{}",
        label(Label::Daily).to_uppercase(),
        period.from.format("%d/%m/%Y"),
        if period.from == period.to {
            String::new()
        } else {
            format!(" – {}", period.to.format("%d/%m/%Y"))
        }
    );
    line(&mut out, label(Label::SalesCount), summary.sales_count);
    line(&mut out, label(Label::Gross), summary.gross);
    line(&mut out, label(Label::Discounts), -summary.discounts);
    line(&mut out, label(Label::Refunds), -summary.refunds);
    line(&mut out, label(Label::NetSales), summary.net);
    line(
        &mut out,
        label(Label::AverageBasket),
        summary.average_basket(),
    );
    let _ = writeln!(out, "{}", label(Label::VatPerRate));
    for bucket in &summary.vat {
        let name = format!(
            "{} ({} {})",
            bucket.rate,
            label(Label::TaxableAmount),
            bucket.pre_vat
        );
        line(&mut out, &name, bucket.vat);
    }
    let _ = writeln!(out, "{}", label(Label::Takings));
    for (method, amount) in &summary.takings {
        let name = method_name(*method, Lang::Vi)
            .split(" (")
            .next()
            .unwrap_or_default();
        line(&mut out, name, amount);
    }
    let money = &summary.customer_money;
    if !money.is_empty() {
        let order_label = |label: OrderLabel| label.text(Lang::Vi);
        let _ = writeln!(out, "{}", order_label(OrderLabel::DailyTitle));
        for (label, amount) in [
            (OrderLabel::DepositsTaken, money.deposits_taken()),
            (OrderLabel::DepositsPaidBack, -money.deposits_paid_back()),
            (OrderLabel::PaidOnAccount, money.paid_on_account()),
            (OrderLabel::SalesFromDeposits, money.deposits_applied),
            (OrderLabel::SalesOnAccount, money.sold_on_account),
        ] {
            line(&mut out, order_label(label), amount);
        }
    }
    tallies(&mut out, Label::TopProducts, &summary.top_products);
    tallies(&mut out, Label::ByProducer, &summary.by_producer);
    tallies(&mut out, Label::ByStars, &summary.by_stars);
    tallies(&mut out, Label::ByGroup, &summary.by_group);
    out
}

/// A producer statement as text.
pub fn statement_text(statement: &ProducerStatement) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} ({} – {})",
        label(Label::ProducerStatement).to_uppercase(),
        statement.producer.name,
        statement.period.from.format("%d/%m/%Y"),
        statement.period.to.format("%d/%m/%Y")
    );
    for item in &statement.lines {
        let name = format!(
            "{} {} ({})",
            item.sku,
            item.name,
            format_quantity(item.sold)
        );
        line(&mut out, &name, item.sales - item.refunds);
    }
    line(&mut out, label(Label::NetSales), statement.net());
    let commission = format!(
        "Hoa hồng {}%",
        statement.producer.commission_pct.normalize()
    );
    line(&mut out, &commission, -statement.commission());
    line(&mut out, "Phải trả", statement.payable());
    out
}
