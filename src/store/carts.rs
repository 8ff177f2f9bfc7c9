use super::{Store, StoreError, StoreResult, parse_timestamp, timestamp};
use crate::core::cart::Cart;
use crate::core::money::Money;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// A cart put aside so the counter can serve someone else.
#[derive(Debug, Clone, PartialEq)]
pub struct ParkedCart {
    pub id: i64,
    pub label: String,
    pub total: Money,
    pub line_count: usize,
    pub parked_at: DateTime<Utc>,
    pub cashier: String,
}

fn upsert_open_cart(conn: &Connection, cart_json: &str, at: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO open_cart (id, cart_json, updated_at) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET cart_json = excluded.cart_json,
                                        updated_at = excluded.updated_at",
        params![cart_json, timestamp(at)],
    )?;
    Ok(())
}

fn insert_parked_cart(
    conn: &Connection,
    cart: &Cart,
    label: &str,
    cashier: &str,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO parked_carts (label, cart_json, total, parked_at, cashier)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            label,
            serde_json::to_string(cart)?,
            cart.totals().total.dong(),
            timestamp(at),
            cashier
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

impl Store {
    /// Saves the cart on the counter; called on every change. An empty cart clears the row.
    pub fn save_open_cart(&self, cart: &Cart, at: DateTime<Utc>) -> StoreResult<()> {
        if cart.is_empty() && cart.order_discount == Default::default() {
            self.conn.execute("DELETE FROM open_cart", [])?;
        } else {
            upsert_open_cart(&self.conn, &serde_json::to_string(cart)?, at)?;
        }
        Ok(())
    }

    /// The cart that was on the counter when the program last stopped (empty if none).
    pub fn load_open_cart(&self) -> StoreResult<Cart> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT cart_json FROM open_cart WHERE id = 1", [], |row| {
                row.get(0)
            })
            .optional()?;
        match json {
            Some(json) => Ok(serde_json::from_str(&json)?),
            None => Ok(Cart::default()),
        }
    }

    /// Puts the open cart aside and empties the counter, in one transaction.
    pub fn park_cart(
        &mut self,
        cart: &Cart,
        label: &str,
        cashier: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let tx = self.conn.transaction()?;
        let id = insert_parked_cart(&tx, cart, label, cashier, at)?;
        tx.execute("DELETE FROM open_cart", [])?;
        tx.commit()?;
        Ok(id)
    }

    /// Parked carts, oldest first.
    pub fn parked_carts(&self) -> StoreResult<Vec<ParkedCart>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, label, total, cart_json, parked_at, cashier FROM parked_carts ORDER BY id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?;
        rows.map(|row| {
            let (id, label, total, json, parked_at, cashier) = row?;
            let cart: Cart = serde_json::from_str(&json)?;
            Ok(ParkedCart {
                id,
                label,
                total: Money(total),
                line_count: cart.lines.len(),
                parked_at: parse_timestamp(&parked_at)?,
                cashier,
            })
        })
        .collect()
    }

    /// Brings a parked cart back to the counter. The current open cart, if it has lines, is
    /// parked in its place so nothing is ever dropped. Returns the resumed cart.
    pub fn resume_parked_cart(
        &mut self,
        id: i64,
        current: &Cart,
        cashier: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Cart> {
        let tx = self.conn.transaction()?;
        let json: String = tx
            .query_row(
                "SELECT cart_json FROM parked_carts WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let resumed: Cart = serde_json::from_str(&json)?;
        tx.execute("DELETE FROM parked_carts WHERE id = ?1", [id])?;
        if !current.is_empty() {
            insert_parked_cart(&tx, current, "", cashier, at)?;
        }
        upsert_open_cart(&tx, &json, at)?;
        tx.commit()?;
        Ok(resumed)
    }
}
