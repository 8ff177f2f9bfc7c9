//! The sync event: what one node (a data folder — a till or the manager PC) tells the others
//! and the province hub about one document it wrote. The same value travels in an events file
//! (one JSON object per line, `ocop-pos events export/import`) and in a batch to the hub
//! (`hub_ingest(origin, events jsonb)`); see ../shared/docs/MULTI_TILL.md and README "Several
//! counters".
//!
//! The contract both ends rely on:
//! - `(origin, seq)` is the identity: `seq` counts from 1 per origin with no gap, and an event
//!   once written never changes. The same key with other content is a restored or copied
//!   folder replaying history: refused, alerted, and the origin blocked.
//! - `stock` holds the exact stock-ledger rows the document wrote, so stock anywhere is the sum
//!   of every node's rows, in any order.
//! - Money is integer đồng, quantities integer thousandths of a unit (grams for kg), times UTC
//!   text `YYYY-MM-DDTHH:MM:SS.sssZ` as in the SQLite store, ids of shared records UUIDv7.
//!
//! `doc` by kind (fields beyond these may be added; readers ignore what they do not know):
//! - `sale`: `{uid, number, local_date, cashier, total, lines: [{line_no, product, producer,
//!   sku, name, qty_milli, vat_rate, total, vat}], payments: [{method, amount}], invoice,
//!   record}` — `product` and `producer` are uids, line `total` is VAT-inclusive after
//!   discounts, `vat` its VAT share; `invoice` is `{reference, code}` (the e-invoice's series
//!   and number, and its MCCQT) or null; `record` is the receipt exactly as printed (the
//!   selling node's `SaleRecord`), what another counter reprints and refunds it from.
//!   `line_no`, `invoice` and `record` are absent from events written before they were added:
//!   lines are then in line order and the receipt is rebuilt from the lines and payments.
//! - `refund`: `{uid, number, sale (the sale's uid), sale_number, local_date, total, lines:
//!   [{line_no, product, producer, qty_milli, total, vat}]}` — the sale may have been sold at
//!   another node; `sale_number` and `line_no` are absent from older events (a line is then
//!   the sale's first line of that product, as the hub counts refunds per product).
//! - `receiving`, `adjustment`, `count`: `{uid, number?, note}` — the quantities are in `stock`
//!   (a count posts counted − expected as known at count time, never "set to").
//! - `product`, `producer`, `gift_pack`, `staff`, `setting`: the catalogue, `{uid, …whole
//!   record}`, applied by uid; written by the store's one catalogue node only. `staff` is
//!   `{uid, name, role, pin_hash, active, created_at}` (the PIN only as its salted argon2
//!   hash); `setting` is `{uid, key, value}` with the key as uid, for the store's settings
//!   only (a counter's own never travel). Each record takes the later of two events by
//!   `(at, origin, seq)`, whatever order they arrive in.
//! - `void`, `cash_move`, `z_close`, `invoice`, `audit`, and any other kind: `{uid, number?,
//!   …}`, kept and forwarded, with no stock rows unless the document moved stock.

use serde::{Deserialize, Serialize};

/// One document as the nodes and the hub exchange it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncEvent {
    /// The store (showroom) id, e.g. `RG`.
    pub store: String,
    /// The node's two capital letters, unique in its store, e.g. `AA`.
    pub node: String,
    /// A random id made at the folder's first start and again after a restore or a copy.
    pub incarnation: String,
    /// 1, 2, 3 … per origin, gapless.
    pub seq: i64,
    /// The event's own UUIDv7.
    pub uid: String,
    /// `sale`, `refund`, `receiving`, `count`, `product`, … (see the module comment).
    pub kind: String,
    /// When the node wrote it, by the node's clock (the hub alerts on skew).
    pub at: String,
    /// The whole document, by kind.
    pub doc: serde_json::Value,
    /// The stock-ledger rows the document wrote; empty when it moved no stock.
    #[serde(default)]
    pub stock: Vec<StockRow>,
}

/// One stock-ledger row: a product's quantity moved, by which kind of document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockRow {
    /// The product's uid.
    pub product: String,
    /// Signed thousandths of the product's unit: a sale of 2 bottles is −2000.
    pub qty_milli: i64,
    /// The ledger's kind: `opening`, `receipt`, `sale`, `refund`, `adjustment`, `count`.
    pub kind: String,
}

impl SyncEvent {
    /// The sync identity of the node that wrote it: `store/node/incarnation`.
    pub fn origin(&self) -> String {
        origin(&self.store, &self.node, &self.incarnation)
    }
}

/// `store/node/incarnation`, the key the hub keeps each node's acknowledged sequence under.
pub fn origin(store: &str, node: &str, incarnation: &str) -> String {
    format!("{store}/{node}/{incarnation}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_survives_a_line_of_json_and_names_its_origin() {
        let event = SyncEvent {
            store: "RG".into(),
            node: "AB".into(),
            incarnation: "7f3c".into(),
            seq: 3,
            uid: "0192f0aa-0000-7000-8000-000000000001".into(),
            kind: "sale".into(),
            at: "2026-12-01T03:00:00.000Z".into(),
            doc: serde_json::json!({"uid": "s1", "number": "2026-AB-000003", "total": 120000}),
            stock: vec![StockRow {
                product: "p1".into(),
                qty_milli: -2000,
                kind: "sale".into(),
            }],
        };
        let line = serde_json::to_string(&event).unwrap();
        assert!(!line.contains('\n'));
        assert_eq!(serde_json::from_str::<SyncEvent>(&line).unwrap(), event);
        assert_eq!(event.origin(), "RG/AB/7f3c");
    }
}
