//! What the province reads from the hub: alerts, the day's figures across stores, a producer's
//! sales across stores — each with how far every node has synced, since a till that is offline
//! is missing from the figures until it comes back.

use super::{Hub, HubError, within};
use crate::core::cart::format_quantity;
use crate::core::clock::SHOP_TIME_ZONE;
use crate::core::money::Money;
use crate::i18n::Lang;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::borrow::Cow;
use tokio_postgres::Client;

/// How far the hub has one node (origin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSync {
    pub origin: String,
    pub store: String,
    pub node: String,
    pub acked_seq: i64,
    /// The node's time of the last event the hub has from it: the figures hold its documents
    /// up to then.
    pub synced_up_to: Option<DateTime<Utc>>,
    /// When it last pushed.
    pub last_contact: Option<DateTime<Utc>>,
    pub blocked: Option<String>,
}

/// Something a manager must look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub id: i64,
    /// `oversell`, `over_refund`, `divergent_replay`, `clock_skew`, `catalogue_writer`,
    /// `duplicate_number`, `moved_before_count`.
    pub kind: String,
    pub store: String,
    pub origin: Option<String>,
    pub seq: Option<i64>,
    /// The product, document number or node it is about.
    pub subject: Option<String>,
    pub detail: String,
    pub raised_at: DateTime<Utc>,
}

impl Alert {
    /// What kind of trouble it is, in words.
    pub fn what(&self, lang: Lang) -> &str {
        let (vi, en) = match self.kind.as_str() {
            "oversell" => ("Bán âm kho", "Oversold"),
            "over_refund" => ("Trả quá số đã bán", "Refunded more than sold"),
            "divergent_replay" => (
                "Máy bị chặn: gửi lại dữ liệu khác",
                "Node blocked: history replayed",
            ),
            "clock_skew" => ("Đồng hồ máy chạy trước", "Clock ahead of the hub"),
            "catalogue_writer" => (
                "Sửa danh mục từ máy khác",
                "Catalogue changed on another node",
            ),
            "duplicate_number" => ("Trùng số chứng từ", "A document number came twice"),
            "moved_before_count" => (
                "Kiểm kê trùng chứng từ đến muộn",
                "A count overlaps a late document",
            ),
            other => (other, other),
        };
        match lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// Whether its subject is a product's uid (a counter shows the product's name instead).
    pub fn is_about_product(&self) -> bool {
        matches!(self.kind.as_str(), "oversell" | "moved_before_count")
    }

    /// The hub's detail as a manager reads it: for a count overlapping a late document, what
    /// happened and what to do, in words; for the other kinds the detail as it is.
    pub fn describe(&self, lang: Lang) -> Cow<'_, str> {
        match MovedBeforeCount::parse(self) {
            Some(overlap) => Cow::Owned(overlap.describe(lang)),
            None => Cow::Borrowed(&self.detail),
        }
    }

    /// The node it came from (`AB` of `RG/AB/…`).
    pub fn node(&self) -> Option<&str> {
        self.origin.as_deref()?.split('/').nth(1)
    }
}

/// A `moved_before_count` alert's detail, as hub/migrations/0003_moved_before_count.sql
/// writes it: `count AA 2026-12-01T04:00:00.000Z; sale AB 2026-12-01T03:00:00.000Z -3000`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MovedBeforeCount<'a> {
    count_node: &'a str,
    counted_at: DateTime<Utc>,
    /// The late event's kind (`sale`, `receiving` …).
    kind: &'a str,
    node: &'a str,
    moved_at: DateTime<Utc>,
    qty_milli: i64,
}

impl<'a> MovedBeforeCount<'a> {
    fn parse(alert: &'a Alert) -> Option<MovedBeforeCount<'a>> {
        if alert.kind != "moved_before_count" {
            return None;
        }
        let (count, movement) = alert.detail.split_once("; ")?;
        let ["count", count_node, counted_at] = count.split(' ').collect::<Vec<_>>()[..] else {
            return None;
        };
        let [kind, node, moved_at, qty_milli] = movement.split(' ').collect::<Vec<_>>()[..] else {
            return None;
        };
        let time = |text: &str| Some(DateTime::parse_from_rfc3339(text).ok()?.to_utc());
        Some(MovedBeforeCount {
            count_node,
            counted_at: time(counted_at)?,
            kind,
            node,
            moved_at: time(moved_at)?,
            qty_milli: qty_milli.parse().ok()?,
        })
    }

    fn describe(&self, lang: Lang) -> String {
        let time = |at: DateTime<Utc>| {
            at.with_timezone(&SHOP_TIME_ZONE)
                .format("%H:%M %d/%m")
                .to_string()
        };
        let (counted_at, moved_at) = (time(self.counted_at), time(self.moved_at));
        let (count_node, node) = (self.count_node, self.node);
        let units = |milli: i64| {
            let units = Decimal::new(milli, 3);
            match lang {
                Lang::Vi => format_quantity(units),
                Lang::En => units.normalize().to_string(),
            }
        };
        let moved = format!(
            "{}{}",
            if self.qty_milli > 0 { "+" } else { "" },
            units(self.qty_milli)
        );
        let off = units(self.qty_milli.abs());
        let document = document_noun(self.kind, lang);
        let lower = self.qty_milli < 0;
        match lang {
            Lang::Vi => format!(
                "Kiểm kê trên máy {count_node} lúc {counted_at} đã thấy số hàng sau {document} \
                 trên máy {node} lúc {moved_at} ({moved}), nhưng {document} đó đến máy chủ tỉnh \
                 sau kiểm kê nên tồn kho tính nó hai lần, có thể {} thực tế {off}. Hãy kiểm kê \
                 lại sản phẩm này, hoặc kiểm tra {document} đó trên máy {node}.",
                if lower { "thấp hơn" } else { "cao hơn" }
            ),
            Lang::En => format!(
                "The count on {count_node} at {counted_at} already saw the shelf after the \
                 {document} on {node} at {moved_at} ({moved}), but that {document} reached the \
                 hub after the count, so the stock holds it twice and may be {off} too {}. \
                 Recount this product, or check that {document} on {node}.",
                if lower { "low" } else { "high" }
            ),
        }
    }
}

/// A document that moves stock, by its event's kind.
fn document_noun(kind: &str, lang: Lang) -> &'static str {
    let (vi, en) = match kind {
        "sale" => ("đơn bán", "sale"),
        "refund" => ("phiếu trả hàng", "refund"),
        "receiving" => ("phiếu nhập hàng", "receiving note"),
        "adjustment" => ("phiếu điều chỉnh kho", "stock adjustment"),
        "delivery" => ("phiếu giao hàng", "delivery"),
        "product" => ("tồn đầu của sản phẩm", "opening stock"),
        _ => ("chứng từ", "document"),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// One store's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreDay {
    pub store: String,
    pub sales_count: i64,
    /// Sale totals, VAT included, after discounts.
    pub sales: Money,
    pub refunds: Money,
    /// VAT of the sales less VAT of the refunds.
    pub vat: Money,
}

impl StoreDay {
    pub fn net(&self) -> Money {
        Money(self.sales.0 - self.refunds.0)
    }
}

/// One producer's goods over a day or a period, in one store or all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerSales {
    /// A producer's uid in the day report, a store in the producer report.
    pub key: String,
    /// The producer's or product's name, as the catalogue node last sent it.
    pub name: Option<String>,
    pub sold_milli: i64,
    pub sales: Money,
    pub refunded_milli: i64,
    pub refunds: Money,
}

impl ProducerSales {
    pub fn net(&self) -> Money {
        Money(self.sales.0 - self.refunds.0)
    }
}

/// The province's day: every store, every producer, and how far each node has synced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayReport {
    pub date: NaiveDate,
    pub stores: Vec<StoreDay>,
    pub producers: Vec<ProducerSales>,
    pub nodes: Vec<NodeSync>,
}

impl DayReport {
    /// Every store's figures added up.
    pub fn province(&self) -> StoreDay {
        let sum = |f: fn(&StoreDay) -> i64| self.stores.iter().map(f).sum::<i64>();
        StoreDay {
            store: String::new(),
            sales_count: sum(|s| s.sales_count),
            sales: Money(sum(|s| s.sales.0)),
            refunds: Money(sum(|s| s.refunds.0)),
            vat: Money(sum(|s| s.vat.0)),
        }
    }
}

/// A producer's sales per store and product over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerReport {
    pub producer: String,
    pub name: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Per store and product: `key` is `store product-sku`, `name` the product's.
    pub lines: Vec<ProducerSales>,
    pub nodes: Vec<NodeSync>,
}

impl ProducerReport {
    pub fn total(&self) -> ProducerSales {
        let sum = |f: fn(&ProducerSales) -> i64| self.lines.iter().map(f).sum::<i64>();
        ProducerSales {
            key: self.producer.clone(),
            name: self.name.clone(),
            sold_milli: sum(|l| l.sold_milli),
            sales: Money(sum(|l| l.sales.0)),
            refunded_milli: sum(|l| l.refunded_milli),
            refunds: Money(sum(|l| l.refunds.0)),
        }
    }
}

/// A producer's name as its store's catalogue node last sent it.
const PRODUCER_NAME: &str = "(SELECT c.doc ->> 'name' FROM hub_catalogue c
      WHERE c.kind = 'producer' AND c.uid = $1 ORDER BY c.at DESC LIMIT 1)";

const ALERT_COLUMNS: &str =
    "SELECT id, kind, store, origin, seq, subject, detail, raised_at FROM hub_alerts";

fn alert_from_row(row: &tokio_postgres::Row) -> Alert {
    Alert {
        id: row.get(0),
        kind: row.get(1),
        store: row.get(2),
        origin: row.get(3),
        seq: row.get(4),
        subject: row.get(5),
        detail: row.get(6),
        raised_at: row.get(7),
    }
}

impl Hub {
    /// Every alert, newest first.
    pub fn alerts(&mut self) -> Result<Vec<Alert>, HubError> {
        self.with_client(async |client: &mut Client, limit| {
            let rows = within(
                limit,
                client.query(&format!("{ALERT_COLUMNS} ORDER BY id DESC"), &[]),
            )
            .await?;
            Ok(rows.iter().map(alert_from_row).collect())
        })
    }

    /// The newest `count` alerts of one store: what its managers see in the window.
    pub fn store_alerts(&mut self, store: &str, count: i64) -> Result<Vec<Alert>, HubError> {
        self.with_client(async |client: &mut Client, limit| {
            let rows = within(
                limit,
                client.query(
                    &format!("{ALERT_COLUMNS} WHERE store = $1 ORDER BY id DESC LIMIT $2"),
                    &[&store, &count],
                ),
            )
            .await?;
            Ok(rows.iter().map(alert_from_row).collect())
        })
    }

    /// Every node the hub knows, by store and node.
    pub fn nodes(&mut self) -> Result<Vec<NodeSync>, HubError> {
        self.with_client(async |client: &mut Client, limit| nodes(client, limit).await)
    }

    /// The day's sales and refunds (by the stores' local dates) across all stores.
    pub fn report_day(&mut self, date: NaiveDate) -> Result<DayReport, HubError> {
        self.with_client(async |client: &mut Client, limit| {
            let stores = within(
                limit,
                client.query(
                    "WITH sales AS (
                         SELECT store, count(*) AS n, sum(total) AS total
                         FROM hub_sales WHERE local_date = $1 GROUP BY store),
                     sale_vat AS (
                         SELECT store, sum(vat) AS vat
                         FROM hub_sale_lines WHERE local_date = $1 GROUP BY store),
                     refunds AS (
                         SELECT store, sum(total) AS total
                         FROM hub_refunds WHERE local_date = $1 GROUP BY store),
                     refund_vat AS (
                         SELECT store, sum(vat) AS vat
                         FROM hub_refund_lines WHERE local_date = $1 GROUP BY store)
                     SELECT s.store, coalesce(sales.n, 0), coalesce(sales.total, 0)::bigint,
                            coalesce(refunds.total, 0)::bigint,
                            (coalesce(sale_vat.vat, 0) - coalesce(refund_vat.vat, 0))::bigint
                     FROM hub_stores s
                     LEFT JOIN sales USING (store) LEFT JOIN sale_vat USING (store)
                     LEFT JOIN refunds USING (store) LEFT JOIN refund_vat USING (store)
                     ORDER BY s.store",
                    &[&date],
                ),
            )
            .await?
            .iter()
            .map(|row| StoreDay {
                store: row.get(0),
                sales_count: row.get(1),
                sales: Money(row.get(2)),
                refunds: Money(row.get(3)),
                vat: Money(row.get(4)),
            })
            .collect();
            let producers = within(
                limit,
                client.query(
                    "WITH sold AS (
                         SELECT coalesce(producer, '') AS producer, sum(qty_milli) AS qty,
                                sum(total) AS total
                         FROM hub_sale_lines WHERE local_date = $1 GROUP BY 1),
                     refunded AS (
                         SELECT coalesce(producer, '') AS producer, sum(qty_milli) AS qty,
                                sum(total) AS total
                         FROM hub_refund_lines WHERE local_date = $1 GROUP BY 1)
                     SELECT producer,
                            (SELECT c.doc ->> 'name' FROM hub_catalogue c
                             WHERE c.kind = 'producer' AND c.uid = producer
                             ORDER BY c.at DESC LIMIT 1),
                            coalesce(sold.qty, 0)::bigint, coalesce(sold.total, 0)::bigint,
                            coalesce(refunded.qty, 0)::bigint,
                            coalesce(refunded.total, 0)::bigint
                     FROM sold FULL JOIN refunded USING (producer)
                     ORDER BY 4 DESC, 1",
                    &[&date],
                ),
            )
            .await?
            .iter()
            .map(producer_sales)
            .collect();
            Ok(DayReport {
                date,
                stores,
                producers,
                nodes: nodes(client, limit).await?,
            })
        })
    }

    /// A producer's sales and refunds from `from` to `to` (both included), per store and
    /// product.
    pub fn report_producer(
        &mut self,
        producer: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<ProducerReport, HubError> {
        self.with_client(async |client: &mut Client, limit| {
            let lines = within(
                limit,
                client.query(
                    "WITH sold AS (
                         SELECT store, product, max(sku) AS sku, max(name) AS name,
                                sum(qty_milli) AS qty, sum(total) AS total
                         FROM hub_sale_lines
                         WHERE producer = $1 AND local_date BETWEEN $2 AND $3
                         GROUP BY store, product),
                     refunded AS (
                         SELECT store, product, sum(qty_milli) AS qty, sum(total) AS total
                         FROM hub_refund_lines
                         WHERE producer = $1 AND local_date BETWEEN $2 AND $3
                         GROUP BY store, product)
                     SELECT store || ' ' || coalesce(sold.sku, product), sold.name,
                            coalesce(sold.qty, 0)::bigint, coalesce(sold.total, 0)::bigint,
                            coalesce(refunded.qty, 0)::bigint,
                            coalesce(refunded.total, 0)::bigint
                     FROM sold FULL JOIN refunded USING (store, product)
                     ORDER BY 1",
                    &[&producer, &from, &to],
                ),
            )
            .await?
            .iter()
            .map(producer_sales)
            .collect();
            let name = within(
                limit,
                client.query_one(&format!("SELECT {PRODUCER_NAME}"), &[&producer]),
            )
            .await?
            .get(0);
            Ok(ProducerReport {
                producer: producer.to_string(),
                name,
                from,
                to,
                lines,
                nodes: nodes(client, limit).await?,
            })
        })
    }
}

fn producer_sales(row: &tokio_postgres::Row) -> ProducerSales {
    ProducerSales {
        key: row.get(0),
        name: row.get(1),
        sold_milli: row.get(2),
        sales: Money(row.get(3)),
        refunded_milli: row.get(4),
        refunds: Money(row.get(5)),
    }
}

async fn nodes(client: &Client, limit: std::time::Duration) -> Result<Vec<NodeSync>, HubError> {
    let rows = within(
        limit,
        client.query(
            "SELECT origin, store, node, acked_seq, last_event_at, last_ingest_at, blocked
             FROM hub_nodes ORDER BY store, node, last_ingest_at DESC NULLS LAST",
            &[],
        ),
    )
    .await?;
    Ok(rows
        .iter()
        .map(|row| NodeSync {
            origin: row.get(0),
            store: row.get(1),
            node: row.get(2),
            acked_seq: row.get(3),
            synced_up_to: row.get(4),
            last_contact: row.get(5),
            blocked: row.get(6),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn alert(kind: &str, detail: &str) -> Alert {
        Alert {
            id: 1,
            kind: kind.into(),
            store: "RG".into(),
            origin: Some("RG/AB/x".into()),
            seq: Some(4),
            subject: Some("p-wine".into()),
            detail: detail.into(),
            raised_at: Utc::now(),
        }
    }

    #[test]
    fn a_detail_not_in_the_hubs_shape_is_shown_as_it_is() {
        for (kind, detail) in [
            (
                "moved_before_count",
                "count AA yesterday; sale AB 2026-12-01T03:00:00Z -3",
            ),
            ("moved_before_count", "count AA 2026-12-01T04:00:00Z"),
            (
                "oversell",
                "count AA 2026-12-01T04:00:00Z; sale AB 2026-12-01T03:00:00Z -3",
            ),
        ] {
            for lang in [Lang::Vi, Lang::En] {
                assert_eq!(alert(kind, detail).describe(lang), detail);
            }
        }
    }

    proptest! {
        #[test]
        fn a_count_overlap_is_told_with_both_nodes_local_times_and_which_way_stock_is_off(
            counted in 0..10_000_000i64,
            earlier in 1..100_000i64,
            qty_milli in prop_oneof![-100_000..0i64, 1..100_000i64],
            kind in prop::sample::select(vec!["sale", "refund", "receiving", "adjustment"]),
        ) {
            let counted_at = Utc.timestamp_opt(1_780_000_000 + counted, 0).unwrap();
            let moved_at = counted_at - chrono::Duration::seconds(earlier);
            let utc = |at: DateTime<Utc>| at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            let detail = format!(
                "count AA {}; {kind} AB {} {qty_milli}", utc(counted_at), utc(moved_at)
            );
            let alert = alert("moved_before_count", &detail);
            let local = |at: DateTime<Utc>| {
                at.with_timezone(&SHOP_TIME_ZONE).format("%H:%M %d/%m").to_string()
            };
            let off = Decimal::new(qty_milli.abs(), 3);
            for lang in [Lang::Vi, Lang::En] {
                let text = alert.describe(lang);
                let on = |node: &str, at| match lang {
                    Lang::Vi => format!("máy {node} lúc {}", local(at)),
                    Lang::En => format!("on {node} at {}", local(at)),
                };
                prop_assert!(text.contains(&on("AA", counted_at)), "{}", text);
                prop_assert!(text.contains(&on("AB", moved_at)), "{}", text);
                prop_assert!(text.contains(document_noun(kind, lang)), "{}", text);
                let way = match (lang, qty_milli < 0) {
                    (Lang::Vi, true) => format!("thấp hơn thực tế {}", format_quantity(off)),
                    (Lang::Vi, false) => format!("cao hơn thực tế {}", format_quantity(off)),
                    (Lang::En, true) => format!("{} too low", off.normalize()),
                    (Lang::En, false) => format!("{} too high", off.normalize()),
                };
                prop_assert!(text.contains(&way), "{}", text);
            }
        }
    }
}
