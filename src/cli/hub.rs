//! `ocop-pos hub …`: the province hub — create or upgrade its schema, list its alerts, and the
//! figures of every store, each saying how far every node has synced. These commands read or
//! write only the hub, never the data folder (which gives the URL when `--url` does not).

use super::open_existing;
use crate::config::Config;
use crate::core::cart::format_quantity;
use crate::core::clock::SHOP_TIME_ZONE;
use crate::core::settings::hub_url_shown;
use crate::hub::report::{Alert, DayReport, NodeSync, ProducerReport, ProducerSales, StoreDay};
use crate::hub::{HUB_SCHEMA_VERSION, Hub, worker};
use crate::i18n::Lang;
use crate::store::HUB_URL_SETTING;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::fmt::Write;

/// `--url`, else the data folder's setting `hub_url`.
pub fn hub_url(config: &Config, url: Option<String>) -> Result<String, String> {
    if let Some(url) = url {
        return Ok(url);
    }
    open_existing(config)?
        .setting(HUB_URL_SETTING)
        .map_err(|e| e.to_string())?
        .filter(|url| !url.trim().is_empty())
        .ok_or_else(|| {
            "chưa có địa chỉ máy chủ tỉnh: thêm --url hoặc `ocop-pos settings set hub_url \
             postgres://…` / no hub given: add --url or set hub_url"
                .to_string()
        })
}

fn connect(url: &str) -> Result<Hub, String> {
    Hub::new(url).map_err(|e| e.to_string())
}

/// One push-then-pull pass between this data folder and the hub; says what moved.
pub fn sync_once(config: &Config, url: Option<String>) -> Result<String, String> {
    let url = hub_url(config, url)?;
    let mut store = open_existing(config)?;
    let node = store.node_identity().map_err(|e| e.to_string())?;
    let pass = worker::sync_once(&mut connect(&url)?, &mut store, &node.store, &node.origin())
        .map_err(|e| e.to_string())?;
    let last = store.last_event_seq().map_err(|e| e.to_string())?;
    Ok(format!(
        "Máy {node_name}: đã gửi {pushed}, đã nhận {pulled}; máy chủ giữ đến chứng từ {acked}/{last} \
         / node {node_name}: pushed {pushed}, pulled {pulled}; the hub holds events up to \
         {acked} of {last}",
        node_name = node.origin(),
        pushed = pass.pushed,
        pulled = pass.pulled,
        acked = pass.acked,
    ))
}

/// Creates the hub's schema or upgrades it; says which.
pub fn hub_init(url: &str) -> Result<String, String> {
    let before = connect(url)?.init().map_err(|e| e.to_string())?;
    let at = hub_url_shown(url);
    Ok(match before {
        0 => format!(
            "Đã tạo máy chủ tỉnh {at}, phiên bản {HUB_SCHEMA_VERSION} / created the hub schema, \
             version {HUB_SCHEMA_VERSION}"
        ),
        v if v == HUB_SCHEMA_VERSION => {
            format!("Máy chủ tỉnh {at} đã ở phiên bản {v} / the hub is already at version {v}")
        }
        v => format!(
            "Đã nâng cấp máy chủ tỉnh {at} từ phiên bản {v} lên {HUB_SCHEMA_VERSION} / upgraded \
             the hub from version {v} to {HUB_SCHEMA_VERSION}"
        ),
    })
}

/// The hub's alerts, newest first.
pub fn hub_alerts(url: &str) -> Result<String, String> {
    let alerts = connect(url)?.alerts().map_err(|e| e.to_string())?;
    if alerts.is_empty() {
        return Ok("Không có cảnh báo / no alerts".to_string());
    }
    Ok(alerts.iter().map(alert_line).collect::<Vec<_>>().join("\n"))
}

fn alert_line(alert: &Alert) -> String {
    let what = format!("{} / {}", alert.what(Lang::Vi), alert.what(Lang::En));
    let (vi, en) = (alert.describe(Lang::Vi), alert.describe(Lang::En));
    let detail = if vi == en {
        vi
    } else {
        format!("{vi} / {en}").into()
    };
    format!(
        "{}  {}  {}  {}{}  {}",
        local(alert.raised_at),
        alert.store,
        what,
        alert.origin.as_deref().unwrap_or_default(),
        alert.seq.map(|seq| format!(" #{seq}")).unwrap_or_default(),
        detail
    )
}

/// The province's day as text.
pub fn hub_report_day(url: &str, date: NaiveDate) -> Result<String, String> {
    let report = connect(url)?.report_day(date).map_err(|e| e.to_string())?;
    Ok(day_text(&report))
}

/// A producer's goods across stores as text.
pub fn hub_report_producer(
    url: &str,
    producer: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<String, String> {
    let report = connect(url)?
        .report_producer(producer, from, to)
        .map_err(|e| e.to_string())?;
    Ok(producer_text(&report))
}

fn day_text(report: &DayReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "TOÀN TỈNH / PROVINCE {}",
        report.date.format("%d/%m/%Y")
    );
    let _ = writeln!(
        out,
        "  {:<12} {:>6} {:>18} {:>16} {:>18} {:>16}",
        "Cửa hàng", "Số HĐ", "Doanh số", "Trả hàng", "Thực thu", "VAT"
    );
    let row = |out: &mut String, name: &str, day: &StoreDay| {
        let _ = writeln!(
            out,
            "  {:<12} {:>6} {:>18} {:>16} {:>18} {:>16}",
            name,
            day.sales_count,
            day.sales,
            day.refunds,
            day.net(),
            day.vat
        );
    };
    for store in &report.stores {
        row(&mut out, &store.store, store);
    }
    row(&mut out, "Tổng / total", &report.province());
    let _ = writeln!(out, "Theo nhà cung cấp / by producer");
    for producer in &report.producers {
        sales_line(&mut out, producer);
    }
    nodes_text(&mut out, &report.nodes);
    out
}

fn producer_text(report: &ProducerReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "NHÀ CUNG CẤP / PRODUCER {} ({} – {})",
        report.name.as_deref().unwrap_or(&report.producer),
        report.from.format("%d/%m/%Y"),
        report.to.format("%d/%m/%Y")
    );
    for line in &report.lines {
        sales_line(&mut out, line);
    }
    sales_line(&mut out, &report.total());
    nodes_text(&mut out, &report.nodes);
    out
}

fn sales_line(out: &mut String, sales: &ProducerSales) {
    let name = match &sales.name {
        Some(name) => format!("{} {name}", sales.key),
        None => sales.key.clone(),
    };
    let _ = writeln!(
        out,
        "  {:<40} {:>10} {:>18} {:>10} {:>16} {:>18}",
        name,
        milli(sales.sold_milli),
        sales.sales,
        milli(-sales.refunded_milli),
        -sales.refunds,
        sales.net()
    );
}

/// How far each node has synced: its documents up to then are in the figures.
fn nodes_text(out: &mut String, nodes: &[NodeSync]) {
    let _ = writeln!(out, "Đã đồng bộ / synced");
    for node in nodes {
        let upto = node
            .synced_up_to
            .map(local)
            .unwrap_or_else(|| "—".to_string());
        let _ = write!(
            out,
            "  {} {}: đến / synced up to {upto} (#{})",
            node.store, node.node, node.acked_seq
        );
        if let Some(why) = &node.blocked {
            let _ = write!(out, "  BỊ CHẶN / BLOCKED: {why}");
        }
        let _ = writeln!(out, "  [{}]", node.origin);
    }
}

fn milli(thousandths: i64) -> String {
    format_quantity(Decimal::new(thousandths, 3))
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&SHOP_TIME_ZONE)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}
