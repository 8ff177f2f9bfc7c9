//! What the province reads from the hub: alerts, the day's figures across stores, a producer's
//! sales across stores — each with how far every node has synced, since a till that is offline
//! is missing from the figures until it comes back.

use super::{Hub, HubError, within};
use crate::core::money::Money;
use crate::i18n::Lang;
use chrono::{DateTime, NaiveDate, Utc};
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
    /// `duplicate_number`.
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
            other => (other, other),
        };
        match lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// The node it came from (`AB` of `RG/AB/…`).
    pub fn node(&self) -> Option<&str> {
        self.origin.as_deref()?.split('/').nth(1)
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
