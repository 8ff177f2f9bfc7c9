//! The open cart and parked carts: saved whole on every change, with the records of what
//! lowered their worth and of money taken back, so nothing on the counter is lost or undone
//! without a trace.

use super::cash::open_session_id;
use super::numbering::node_code;
use super::sales::next_document_number;
use super::staff::insert_audit;
use super::sync::{new_uid, record_event};
use super::{Store, StoreError, StoreResult, parse_timestamp, timestamp};
use crate::core::audit::{Actor, AuditAct};
use crate::core::cart::Cart;
use crate::core::clock::{local_date, local_year};
use crate::core::money::Money;
use crate::core::payment::Tender;
use crate::core::reduction::{Reduction, ReductionKind};
use crate::core::staff::{AuditChange, StaffMember};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

/// The counter series of cart numbers. Carts that never become sales leave gaps: a cart number
/// is a reference for the counter and the bank statement, not a tax document.
pub(crate) const CART_SERIES: &str = "cart";

/// `GH26-AB-000123`: "giỏ hàng", the year, the node's code, the sequence; short enough for a
/// transfer note. Each counter numbers its own carts, so two counters' carts (named in their
/// `void` events at the hub) never share a number. Without a node code, as carts were numbered
/// before stores had several nodes: `GH26-000123` (such numbers stay as they were).
pub fn format_cart_no(year: i32, node: &str, seq: i64) -> String {
    let node = if node.is_empty() {
        String::new()
    } else {
        format!("{node}-")
    };
    format!("GH{:02}-{node}{seq:06}", year % 100)
}

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

/// What a change to the open cart leaves on record besides the cart itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CartEvent {
    /// Nothing: an item added, a discount lowered, a tender taken.
    Plain,
    /// The cart is worth less than before.
    Reduced(Reduction),
    /// A tender already recorded was taken back.
    TenderRemoved(Tender),
}

/// A reduction as recorded: in which cart, by whom, approved by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReductionRecord {
    pub cart_no: String,
    pub at: DateTime<Utc>,
    pub cashier: String,
    pub approver: Option<String>,
    pub reduction: Reduction,
}

/// The next cart number, inside the caller's transaction.
pub(crate) fn next_cart_number(conn: &Connection, at: DateTime<Utc>) -> StoreResult<String> {
    let year = local_year(at);
    let seq = next_document_number(conn, CART_SERIES, year)?;
    Ok(format_cart_no(year, &node_code(conn)?, seq))
}

/// Gives a cart that holds anything its number, inside the caller's transaction.
fn number_cart(conn: &Connection, cart: &mut Cart, at: DateTime<Utc>) -> StoreResult<()> {
    if cart.number.is_none() && !cart.is_blank() {
        cart.number = Some(next_cart_number(conn, at)?);
    }
    Ok(())
}

fn write_open_cart(conn: &Connection, cart: &Cart, at: DateTime<Utc>) -> StoreResult<()> {
    if cart.is_blank() {
        conn.prepare_cached("DELETE FROM open_cart")?.execute([])?;
    } else {
        conn.prepare_cached(
            "INSERT INTO open_cart (id, cart_json, updated_at) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET cart_json = excluded.cart_json,
                                            updated_at = excluded.updated_at",
        )?
        .execute(params![serde_json::to_string(cart)?, timestamp(at)])?;
    }
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

fn insert_reduction(
    conn: &Connection,
    cart_no: &str,
    reduction: &Reduction,
    actor: &StaffMember,
    approver: Option<&StaffMember>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO reductions (cart_no, reduced_at, local_date, cashier, approver, session_id,
                                 kind, subject, before_total, after_total, amount)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        cart_no,
        timestamp(at),
        local_date(at).to_string(),
        actor.name,
        approver.map(|a| a.name.as_str()),
        open_session_id(conn)?,
        reduction.kind.code(),
        reduction.subject,
        reduction.before.dong(),
        reduction.after.dong(),
        reduction.amount().dong()
    ])?;
    let doc = json!({"uid": new_uid(), "cart": cart_no, "kind": reduction.kind.code(),
                     "subject": reduction.subject, "amount": reduction.amount().dong()});
    record_event(conn, "void", doc, at)?;
    let act = reduction.kind.audit_act(approver.is_some());
    let subject = format!("{cart_no}: {}", reduction.subject);
    let change = AuditChange {
        subject: &subject,
        before: &reduction.before.to_string(),
        after: &reduction.after.to_string(),
    };
    insert_audit(conn, Actor::of(actor, approver), act, &change, at)
}

impl Store {
    /// Saves the cart on the counter after a change, giving it a number when it first holds
    /// something; an empty cart clears the row.
    pub fn save_open_cart(&mut self, cart: &mut Cart, at: DateTime<Utc>) -> StoreResult<()> {
        self.save_cart_change(cart, &CartEvent::Plain, None, None, at)
    }

    /// Saves the cart after a change together with what the change leaves on record — a
    /// reduction with its audit row, or a tender taken back — in one transaction: the cart and
    /// its records never disagree, whatever happens to the power.
    pub fn save_cart_change(
        &mut self,
        cart: &mut Cart,
        event: &CartEvent,
        actor: Option<&StaffMember>,
        approver: Option<&StaffMember>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        let mut numbered = cart.clone();
        number_cart(&tx, &mut numbered, at)?;
        let cart_no = numbered.number.clone().unwrap_or_default();
        match (event, actor) {
            (CartEvent::Plain, _) => {}
            (CartEvent::Reduced(reduction), Some(actor)) => {
                insert_reduction(&tx, &cart_no, reduction, actor, approver, at)?;
            }
            (CartEvent::TenderRemoved(tender), Some(actor)) => {
                let subject = format!("{cart_no}: {}", tender.method.code());
                let change = AuditChange {
                    subject: &subject,
                    before: &tender.amount.to_string(),
                    after: "0",
                };
                insert_audit(
                    &tx,
                    Actor::of(actor, approver),
                    AuditAct::RemoveTender,
                    &change,
                    at,
                )?;
            }
            (_, None) => {
                return Err(StoreError::Corrupt(
                    "a recorded change needs its actor".into(),
                ));
            }
        }
        write_open_cart(&tx, &numbered, at)?;
        tx.commit()?;
        // A cart left with nothing in it is no cart: the next item starts a new number.
        if numbered.is_blank() {
            numbered.number = None;
        }
        *cart = numbered;
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

    /// Puts the open cart aside (with its number, basket in the making and tenders) and
    /// empties the counter, in one transaction.
    pub fn park_cart(
        &mut self,
        cart: &Cart,
        label: &str,
        cashier: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let tx = self.conn.transaction()?;
        let mut numbered = cart.clone();
        number_cart(&tx, &mut numbered, at)?;
        let id = insert_parked_cart(&tx, &numbered, label, cashier, at)?;
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

    /// The carts parked now, whole (for checks that nothing parked went missing).
    pub fn parked_cart_contents(&self) -> StoreResult<Vec<Cart>> {
        let mut stmt = self
            .conn
            .prepare("SELECT cart_json FROM parked_carts ORDER BY id")?;
        let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
        rows.map(|json| Ok(serde_json::from_str(&json?)?)).collect()
    }

    /// Brings a parked cart back to the counter. The current open cart, if it holds anything,
    /// is parked in its place so nothing is ever dropped. Returns the resumed cart.
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
        let mut resumed: Cart = serde_json::from_str(&json)?;
        tx.execute("DELETE FROM parked_carts WHERE id = ?1", [id])?;
        if !current.is_blank() {
            let mut current = current.clone();
            number_cart(&tx, &mut current, at)?;
            insert_parked_cart(&tx, &current, "", cashier, at)?;
        }
        number_cart(&tx, &mut resumed, at)?;
        write_open_cart(&tx, &resumed, at)?;
        tx.commit()?;
        Ok(resumed)
    }

    /// Every reduction recorded for a cart, oldest first.
    pub fn reductions_of_cart(&self, cart_no: &str) -> StoreResult<Vec<ReductionRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT reduced_at, cashier, approver, kind, subject, before_total, after_total
               FROM reductions WHERE cart_no = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([cart_no], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, i64>(6)?,
            ))
        })?;
        rows.map(|row| {
            let (at, cashier, approver, kind, subject, before, after) = row?;
            Ok(ReductionRecord {
                cart_no: cart_no.to_string(),
                at: parse_timestamp(&at)?,
                cashier,
                approver,
                reduction: Reduction {
                    kind: ReductionKind::from_code(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("reduction kind {kind:?}")))?,
                    subject,
                    before: Money(before),
                    after: Money(after),
                },
            })
        })
        .collect()
    }
}
