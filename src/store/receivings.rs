//! Deliveries from producers posted to stock: the receiving note (phiếu nhập kho) with its
//! yearly number, and one receipt movement of the ledger per line, in one transaction.

use super::inventory::{parse_day, refuse};
use super::numbering::next_node_number;
use super::staff::insert_audit;
use super::sync::{new_uid, record_event, uid_of};
use super::{Store, StoreError, StoreResult, from_milli, parse_timestamp, timestamp, to_milli};
use crate::core::audit::{Actor, AuditAct};
use crate::core::clock::local_year;
use crate::core::inventory::{InventoryError, ReceiptLine};
use crate::core::money::Money;
use crate::core::receiving::{Receiving, ReceivingLine};
use crate::core::staff::AuditChange;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use rust_decimal::Decimal;
use serde_json::json;

/// The counter series of receiving notes.
pub(crate) const RECEIVING_SERIES: &str = "receiving";

impl Store {
    /// Posts a delivery from a producer: the next receiving-note number, and one receipt
    /// movement per line with its cost, lot, expiry and the producer's delivery note number,
    /// all in one transaction. Returns the note as stored. A refused delivery takes no number.
    pub fn receive_stock<'a>(
        &mut self,
        producer_id: i64,
        lines: &[ReceiptLine],
        delivery_note_no: &str,
        at: DateTime<Utc>,
        by: impl Into<Actor<'a>>,
    ) -> StoreResult<Receiving> {
        let by = by.into();
        if lines.is_empty() {
            return refuse(InventoryError::NothingReceived);
        }
        if lines.iter().any(|line| line.quantity <= Decimal::ZERO) {
            return refuse(InventoryError::QuantityNotPositive);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (producer_name, producer_tax_code): (String, String) = tx
            .query_row(
                "SELECT name, tax_code FROM producers WHERE id = ?1",
                [producer_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let year = local_year(at);
        let (_, number) = next_node_number(&tx, RECEIVING_SERIES, year)?;
        tx.execute(
            "INSERT INTO receivings (number, producer_id, producer_name, producer_tax_code,
                                     delivery_note_no, created_at, created_by, uid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                number,
                producer_id,
                producer_name,
                producer_tax_code,
                delivery_note_no.trim(),
                timestamp(at),
                by.name,
                new_uid()
            ],
        )?;
        let receiving_id = tx.last_insert_rowid();
        let mut product = tx.prepare_cached(
            "SELECT p.sku, p.name, p.unit, pr.name FROM products p
               JOIN producers pr ON pr.id = p.producer_id WHERE p.id = ?1",
        )?;
        let mut movement = tx.prepare_cached(
            "INSERT INTO stock_movements (product_id, kind, quantity_milli, created_at, created_by,
                                          producer_id, unit_cost, lot, expires_on, delivery_note_no, origin_id)
             VALUES (?1, 'receipt', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, (SELECT origin_id FROM sync_node))",
        )?;
        let mut note_line = tx.prepare_cached(
            "INSERT INTO receiving_lines (receiving_id, line_no, movement_id, sku, name, unit,
                                          producer)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (line_no, line) in lines.iter().enumerate() {
            let (sku, name, unit, own_producer): (String, String, String, String) = product
                .query_row([line.product_id], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .optional()?
                .ok_or(StoreError::NotFound)?;
            movement.execute(params![
                line.product_id,
                to_milli(line.quantity),
                timestamp(at),
                by.name,
                producer_id,
                line.unit_cost.0,
                line.lot.trim(),
                line.expires_on.map(|day| day.to_string()),
                delivery_note_no.trim()
            ])?;
            note_line.execute(params![
                receiving_id,
                line_no as i64,
                tx.last_insert_rowid(),
                sku,
                name,
                unit,
                // Another producer's product on this delivery prints under its own producer.
                if own_producer == producer_name {
                    ""
                } else {
                    own_producer.as_str()
                }
            ])?;
        }
        drop((product, movement, note_line));
        let receiving = read_receiving(&tx, &number)?
            .ok_or_else(|| StoreError::Corrupt(format!("receiving {number} not read back")))?;
        let change = AuditChange {
            subject: &number,
            before: "",
            after: &format!(
                "{} · {} · {}",
                receiving.producer,
                lines.len(),
                receiving.total_cost()
            ),
        };
        let doc = json!({"uid": uid_of(&tx, "receivings", receiving_id)?, "number": number,
                         "note": delivery_note_no.trim(),
                         "producer": uid_of(&tx, "producers", producer_id)?});
        record_event(&tx, "receiving", doc, at)?;
        insert_audit(&tx, by, AuditAct::ReceiveStock, &change, at)?;
        tx.commit()?;
        Ok(receiving)
    }

    /// A posted receiving note by its number, e.g. `PN2026-000001`.
    pub fn receiving(&self, number: &str) -> StoreResult<Option<Receiving>> {
        read_receiving(&self.conn, number)
    }

    /// The last `count` receiving notes posted, newest first.
    pub fn recent_receivings(&self, count: usize) -> StoreResult<Vec<Receiving>> {
        let numbers: Vec<String> = self
            .conn
            .prepare_cached("SELECT number FROM receivings ORDER BY id DESC LIMIT ?1")?
            .query_map([count as i64], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        numbers
            .iter()
            .map(|number| {
                read_receiving(&self.conn, number)?
                    .ok_or_else(|| StoreError::Corrupt(format!("receiving {number}")))
            })
            .collect()
    }
}

fn read_receiving(conn: &Connection, number: &str) -> StoreResult<Option<Receiving>> {
    let header = conn
        .prepare_cached(
            "SELECT id, producer_name, producer_tax_code, delivery_note_no, created_at, created_by
               FROM receivings WHERE number = ?1",
        )?
        .query_row([number], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                [
                    row.get::<_, String>(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                ],
            ))
        })
        .optional()?;
    let Some((id, [producer, producer_tax_code, delivery_note_no, at, by])) = header else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT l.sku, l.name, l.unit, m.quantity_milli, m.unit_cost, m.lot, m.expires_on,
                l.producer
           FROM receiving_lines l JOIN stock_movements m ON m.id = l.movement_id
          WHERE l.receiving_id = ?1 ORDER BY l.line_no",
    )?;
    let rows = stmt.query_map([id], |row| {
        Ok((
            [row.get::<_, String>(0)?, row.get(1)?, row.get(2)?],
            row.get::<_, i64>(3)?,
            row.get::<_, i64>(4)?,
            row.get::<_, String>(5)?,
            row.get::<_, Option<String>>(6)?,
            row.get::<_, String>(7)?,
        ))
    })?;
    let lines = rows
        .map(|row| {
            let ([sku, name, unit], quantity, unit_cost, lot, expires_on, producer) = row?;
            Ok(ReceivingLine {
                sku,
                name,
                unit,
                quantity: from_milli(quantity),
                unit_cost: Money(unit_cost),
                lot,
                expires_on: expires_on.as_deref().map(parse_day).transpose()?,
                producer,
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok(Some(Receiving {
        number: number.to_string(),
        producer,
        producer_tax_code,
        delivery_note_no,
        at: parse_timestamp(&at)?,
        by,
        lines,
    }))
}
