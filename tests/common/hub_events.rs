//! Sync events as a node writes them (src/core/sync_event.rs), made by hand for the hub tests:
//! a [`Till`] numbers its events 1, 2, 3 … and its documents in its own series.

use ocop_pos::core::sync_event::{StockRow, SyncEvent};
use serde_json::json;

/// One line of a sale or a refund: product uid, producer uid, thousandths, VAT-inclusive total.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub product: &'static str,
    pub producer: &'static str,
    pub qty_milli: i64,
    pub total: i64,
}

impl Line {
    /// The VAT share of an 8 % VAT-inclusive total, as the tills round it.
    pub fn vat(&self) -> i64 {
        (self.total * 8 + 54) / 108
    }
}

/// A node writing events: its origin and its next seq.
#[derive(Debug, Clone)]
pub struct Till {
    pub store: String,
    pub node: String,
    pub incarnation: String,
    pub seq: i64,
    /// The node's clock, as `YYYY-MM-DDTHH:MM:SS.sssZ`.
    pub at: String,
}

impl Till {
    pub fn new(store: &str, node: &str) -> Till {
        Till {
            store: store.into(),
            node: node.into(),
            incarnation: format!("inc-{store}-{node}"),
            seq: 0,
            at: "2026-12-01T03:00:00.000Z".into(),
        }
    }

    pub fn origin(&self) -> String {
        ocop_pos::core::sync_event::origin(&self.store, &self.node, &self.incarnation)
    }

    /// The next event of this till.
    pub fn event(&mut self, kind: &str, doc: serde_json::Value, stock: Vec<StockRow>) -> SyncEvent {
        self.seq += 1;
        SyncEvent {
            store: self.store.clone(),
            node: self.node.clone(),
            incarnation: self.incarnation.clone(),
            seq: self.seq,
            uid: format!("ev-{}-{}", self.origin(), self.seq),
            kind: kind.into(),
            at: self.at.clone(),
            doc,
            stock,
        }
    }

    fn number(&self, prefix: &str) -> String {
        format!("{prefix}2026-{}-{:06}", self.node, self.seq + 1)
    }

    /// A sale on the store's local `date` (`YYYY-MM-DD`).
    pub fn sale(&mut self, date: &str, lines: &[Line]) -> SyncEvent {
        let uid = format!("sale-{}-{}", self.origin(), self.seq + 1);
        let doc = json!({
            "uid": uid,
            "number": self.number(""),
            "local_date": date,
            "cashier": "Lan",
            "total": lines.iter().map(|l| l.total).sum::<i64>(),
            "lines": lines.iter().map(|l| json!({
                "product": l.product, "producer": l.producer, "sku": sku(l.product),
                "name": format!("Sản phẩm {}", l.product), "qty_milli": l.qty_milli,
                "vat_rate": "8", "total": l.total, "vat": l.vat(),
            })).collect::<Vec<_>>(),
            "payments": [{"method": "cash", "amount": lines.iter().map(|l| l.total).sum::<i64>()}],
        });
        let stock = lines
            .iter()
            .map(|l| stock_row(l.product, -l.qty_milli, "sale"))
            .collect();
        self.event("sale", doc, stock)
    }

    /// A refund of lines of `sale` (a sale event, this till's or another's).
    pub fn refund(&mut self, sale: &SyncEvent, date: &str, lines: &[Line]) -> SyncEvent {
        let doc = json!({
            "uid": format!("refund-{}-{}", self.origin(), self.seq + 1),
            "number": self.number("TH"),
            "sale": sale.doc["uid"],
            "local_date": date,
            "total": lines.iter().map(|l| l.total).sum::<i64>(),
            "lines": lines.iter().map(|l| json!({
                "product": l.product, "producer": l.producer, "qty_milli": l.qty_milli,
                "total": l.total, "vat": l.vat(),
            })).collect::<Vec<_>>(),
        });
        let stock = lines
            .iter()
            .map(|l| stock_row(l.product, l.qty_milli, "refund"))
            .collect();
        self.event("refund", doc, stock)
    }

    /// Goods received: `qty_milli` of `product`.
    pub fn receiving(&mut self, product: &str, qty_milli: i64) -> SyncEvent {
        let doc = json!({
            "uid": format!("rcv-{}-{}", self.origin(), self.seq + 1),
            "number": self.number("PN"),
            "note": "",
        });
        self.event(
            "receiving",
            doc,
            vec![stock_row(product, qty_milli, "receipt")],
        )
    }

    /// A stock count that found `difference` thousandths more (or fewer, below zero) of
    /// `product` than this node expected, as `Store::post_stock_count` writes it.
    pub fn count(&mut self, product: &str, difference: i64) -> SyncEvent {
        let doc = json!({"uid": format!("count-{}-{}", self.origin(), self.seq + 1), "note": ""});
        self.event("count", doc, vec![stock_row(product, difference, "count")])
    }

    /// A catalogue record (`product`, `producer`, …) with its name.
    pub fn catalogue(&mut self, kind: &str, uid: &str, name: &str) -> SyncEvent {
        self.event(kind, json!({"uid": uid, "name": name}), Vec::new())
    }
}

pub fn sku(product: &str) -> String {
    format!("SKU-{product}")
}

pub fn stock_row(product: &str, qty_milli: i64, kind: &str) -> StockRow {
    StockRow {
        product: product.into(),
        qty_milli,
        kind: kind.into(),
    }
}
