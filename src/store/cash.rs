//! Cash sessions (shifts): opening float, cash in and out, closing count and the Z-report.

use super::chain::{record_z_heads, seal, z_heads};
use super::numbering::next_node_number;
use super::reports::{
    Scope, customer_money, refund_totals, sales_totals, takings, vat_net_of_refunds,
};
use super::staff::insert_audit;
use super::sync::{new_uid, record_event, uid_of};
use super::{Store, StoreError, StoreResult, parse_timestamp, timestamp};
use crate::core::audit::{Actor, AuditAct};
use crate::core::cash::{
    CashError, CashMove, CashMoveKind, CashSession, NoteCount, SessionClosing, SessionFigures,
    ZReport, check_close,
};
use crate::core::chain::ChainKind;
use crate::core::clock::{local_date, local_year};
use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use crate::core::staff::AuditChange;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

/// What a sale does when no session is open: `require` refuses it, `auto` opens a session
/// with no float (the demo store's choice, so it sells at once).
pub const SESSION_POLICY_SETTING: &str = "cash.session_policy";
pub const AUTO_OPEN_SESSIONS: &str = "auto";
pub const REQUIRE_OPEN_SESSION: &str = "require";

pub(crate) const Z_SERIES: &str = "z";

/// The open session's id, if any.
pub(crate) fn open_session_id(conn: &Connection) -> StoreResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM cash_sessions WHERE closed_at IS NULL")?
        .query_row([], |row| row.get(0))
        .optional()?)
}

fn insert_session(
    conn: &Connection,
    float: Money,
    by: &str,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO cash_sessions (opened_at, opened_by, opening_float) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![timestamp(at), by, float.dong()])?;
    let id = conn.last_insert_rowid();
    let doc = json!({"uid": uid_of(conn, "cash_sessions", id)?, "by": by, "float": float.dong()});
    record_event(conn, "cash_session_open", doc, at)?;
    Ok(id)
}

/// Whether the policy opens a session by itself when money comes in or goes out.
fn sessions_open_themselves(conn: &Connection) -> StoreResult<bool> {
    let policy: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([SESSION_POLICY_SETTING], |row| row.get(0))
        .optional()?;
    Ok(policy.as_deref() == Some(AUTO_OPEN_SESSIONS))
}

/// Refuses, as [`session_for_sale`] would, when no session is open and none would be opened:
/// checked (nothing written) before a manager is asked to approve a refund.
pub(crate) fn check_session_available(conn: &Connection) -> StoreResult<()> {
    if open_session_id(conn)?.is_some() || sessions_open_themselves(conn)? {
        Ok(())
    } else {
        Err(StoreError::Cash(CashError::NoOpenSession))
    }
}

/// The session a sale's (or a refund's) money goes into: the open one, or (by setting) a new
/// one.
pub(crate) fn session_for_sale(
    conn: &Connection,
    cashier: &str,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    if let Some(id) = open_session_id(conn)? {
        return Ok(id);
    }
    if sessions_open_themselves(conn)? {
        insert_session(conn, Money::ZERO, cashier, at)
    } else {
        Err(StoreError::Cash(CashError::NoOpenSession))
    }
}

fn session_from_row(row: &Row<'_>) -> rusqlite::Result<(CashSession, Option<ClosingRow>)> {
    let session = CashSession {
        id: row.get(0)?,
        opened_at: parse_time(row, 1)?,
        opened_by: row.get(2)?,
        opening_float: Money(row.get(3)?),
        closing: None,
    };
    let closing = match row.get::<_, Option<String>>(4)? {
        None => None,
        Some(closed_at) => Some(ClosingRow {
            closed_at,
            closed_by: row.get(5)?,
            z_number: row.get(6)?,
            expected: row.get(7)?,
            counted: row.get(8)?,
            counts: row.get(9)?,
            note: row.get(10)?,
        }),
    };
    Ok((session, closing))
}

fn parse_time(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(index)?;
    parse_timestamp(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The closing columns as stored, turned into a [`SessionClosing`] outside the row mapper.
struct ClosingRow {
    closed_at: String,
    closed_by: String,
    z_number: String,
    expected: i64,
    counted: i64,
    counts: String,
    note: String,
}

impl ClosingRow {
    fn into_closing(self) -> StoreResult<SessionClosing> {
        Ok(SessionClosing {
            z_number: self.z_number,
            closed_at: parse_timestamp(&self.closed_at)?,
            closed_by: self.closed_by,
            counts: serde_json::from_str(&self.counts)?,
            counted: Money(self.counted),
            expected: Money(self.expected),
            note: self.note,
        })
    }
}

const SESSION_COLUMNS: &str =
    "SELECT id, opened_at, opened_by, opening_float, closed_at, closed_by,
        z_number, expected_cash, counted_cash, note_counts, close_note FROM cash_sessions";

fn read_session(
    conn: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Option<CashSession>> {
    let found = conn
        .prepare_cached(&format!("{SESSION_COLUMNS} WHERE {condition}"))?
        .query_row(params, session_from_row)
        .optional()?;
    found
        .map(|(mut session, closing)| {
            session.closing = closing.map(ClosingRow::into_closing).transpose()?;
            Ok(session)
        })
        .transpose()
}

fn session_figures(conn: &Connection, session_id: i64) -> StoreResult<SessionFigures> {
    let scope = Scope::Session(session_id);
    let sales = sales_totals(conn, scope)?;
    let (refunds_count, refunds) = refund_totals(conn, scope)?;
    let (voids_count, voids): (i64, i64) = conn
        .prepare_cached(
            "SELECT count(*), coalesce(sum(amount), 0) FROM reductions
              WHERE session_id = ?1
                AND kind IN ('quantity_down', 'line_removed', 'cart_cleared')",
        )?
        .query_row([session_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let mut stmt = conn.prepare_cached(
        "SELECT kind, amount, reason, created_at, created_by FROM cash_movements
          WHERE session_id = ?1 ORDER BY id",
    )?;
    let moves = stmt
        .query_map([session_id], |row| {
            Ok(CashMove {
                kind: if row.get::<_, String>(0)? == "in" {
                    CashMoveKind::In
                } else {
                    CashMoveKind::Out
                },
                amount: Money(row.get(1)?),
                reason: row.get(2)?,
                at: parse_time(row, 3)?,
                by: row.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let takings = takings(conn, scope)?;
    let cash_refunds: i64 = conn
        .prepare_cached(
            "SELECT coalesce(sum(total), 0) FROM refunds WHERE session_id = ?1 AND method = 'cash'",
        )?
        .query_row([session_id], |row| row.get(0))?;
    let cash_takings = takings
        .iter()
        .find(|(method, _)| *method == PaymentMethod::Cash)
        .map_or(Money::ZERO, |(_, amount)| *amount);
    Ok(SessionFigures {
        sales_count: sales.count,
        gross: sales.gross,
        discounts: sales.discounts,
        sales_total: sales.total,
        vat: vat_net_of_refunds(conn, scope)?,
        refunds_count,
        refunds,
        voids_count,
        voids: Money(voids),
        moves,
        // Cash takings are already net of cash refunds; the drawer sees both.
        cash_sales: cash_takings + Money(cash_refunds),
        cash_refunds: Money(cash_refunds),
        takings,
        customer_money: customer_money(conn, scope)?,
    })
}

impl Store {
    /// Opens a shift with the float counted into the drawer (audited with the float).
    pub fn open_cash_session<'a>(
        &mut self,
        float: Money,
        by: impl Into<Actor<'a>>,
        at: DateTime<Utc>,
    ) -> StoreResult<CashSession> {
        let by = by.into();
        if float < Money::ZERO {
            return Err(StoreError::Cash(CashError::NotPositive));
        }
        let tx = self.conn.transaction()?;
        if open_session_id(&tx)?.is_some() {
            return Err(StoreError::Cash(CashError::AlreadyOpen));
        }
        let id = insert_session(&tx, float, by.name, at)?;
        let change = AuditChange {
            subject: "",
            before: "",
            after: &float.to_string(),
        };
        insert_audit(&tx, by, AuditAct::OpenCashSession, &change, at)?;
        tx.commit()?;
        Ok(self.cash_session(id)?.expect("just written"))
    }

    pub fn current_cash_session(&self) -> StoreResult<Option<CashSession>> {
        read_session(&self.conn, "closed_at IS NULL", [])
    }

    pub fn cash_session(&self, id: i64) -> StoreResult<Option<CashSession>> {
        read_session(&self.conn, "id = ?1", [id])
    }

    /// Cash put into or taken out of the drawer outside a sale, with the reason; chained and
    /// audited in its transaction.
    pub fn record_cash_move<'a>(
        &mut self,
        kind: CashMoveKind,
        amount: Money,
        reason: &str,
        by: impl Into<Actor<'a>>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let by = by.into();
        if amount <= Money::ZERO {
            return Err(StoreError::Cash(CashError::NotPositive));
        }
        if reason.trim().is_empty() {
            return Err(StoreError::Cash(CashError::ReasonRequired));
        }
        let tx = self.conn.transaction()?;
        let session = open_session_id(&tx)?.ok_or(StoreError::Cash(CashError::NoOpenSession))?;
        let (code, act) = match kind {
            CashMoveKind::In => ("in", AuditAct::CashIn),
            CashMoveKind::Out => ("out", AuditAct::CashOut),
        };
        tx.execute(
            "INSERT INTO cash_movements (session_id, kind, amount, reason, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                session,
                code,
                amount.dong(),
                reason.trim(),
                timestamp(at),
                by.name
            ],
        )?;
        seal(&tx, ChainKind::CashMove, tx.last_insert_rowid())?;
        let doc = json!({"uid": new_uid(), "kind": code, "amount": amount.dong(),
                         "reason": reason.trim(), "by": by.name});
        record_event(&tx, "cash_move", doc, at)?;
        let change = AuditChange {
            subject: reason.trim(),
            before: "",
            after: &amount.to_string(),
        };
        insert_audit(&tx, by, act, &change, at)?;
        tx.commit()?;
        Ok(())
    }

    /// The figures of a session so far (or at its close).
    pub fn session_figures(&self, session_id: i64) -> StoreResult<SessionFigures> {
        session_figures(&self.conn, session_id)
    }

    /// Closes a session in one transaction: counts, expected and counted cash, the note, the
    /// next Z number, the heads of the hash chains the Z-report prints, the audit row with the
    /// difference, and the Z close's own place in its chain. A closed session is frozen;
    /// closing it again is refused.
    pub fn close_cash_session<'a>(
        &mut self,
        session_id: i64,
        counts: &NoteCount,
        note: &str,
        by: impl Into<Actor<'a>>,
        at: DateTime<Utc>,
    ) -> StoreResult<ZReport> {
        let by = by.into();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let session = read_session(&tx, "id = ?1", [session_id])?.ok_or(StoreError::NotFound)?;
        if session.closing.is_some() {
            return Err(StoreError::Cash(CashError::AlreadyClosed));
        }
        let figures = session_figures(&tx, session_id)?;
        let expected = figures.expected_cash(session.opening_float);
        let counted = counts.total();
        let difference = check_close(expected, counted, note).map_err(StoreError::Cash)?;
        let year = local_year(at);
        let (_, z_number) = next_node_number(&tx, Z_SERIES, year)?;
        tx.execute(
            "UPDATE cash_sessions SET closed_at = ?2, closed_by = ?3, z_number = ?4,
                    expected_cash = ?5, counted_cash = ?6, note_counts = ?7, close_note = ?8
              WHERE id = ?1",
            params![
                session_id,
                timestamp(at),
                by.name,
                z_number,
                expected.dong(),
                counted.dong(),
                serde_json::to_string(counts)?,
                note.trim()
            ],
        )?;
        let chain_heads = record_z_heads(&tx, session_id)?;
        let einvoices = super::outbox::record_z_delivery(&tx, session_id, local_date(at))?;
        // Counted against expected, the difference signed (+ over, − short), and why.
        let sign = if difference > Money::ZERO { "+" } else { "" };
        let mut after = format!("{counted} ({sign}{difference})");
        if !note.trim().is_empty() {
            after = format!("{after} · {}", note.trim());
        }
        let change = AuditChange {
            subject: &z_number,
            before: &expected.to_string(),
            after: &after,
        };
        insert_audit(&tx, by, AuditAct::CloseCashSession, &change, at)?;
        seal(&tx, ChainKind::ZClose, session_id)?;
        let doc = json!({"uid": uid_of(&tx, "cash_sessions", session_id)?, "number": z_number,
                         "expected": expected.dong(), "counted": counted.dong(),
                         "note": note.trim(), "by": by.name});
        record_event(&tx, "z_close", doc, at)?;
        let session = read_session(&tx, "id = ?1", [session_id])?.expect("just closed");
        tx.commit()?;
        Ok(ZReport {
            session,
            figures,
            chain_heads,
            einvoices: Some((local_date(at), einvoices)),
        })
    }

    /// The last `count` sessions closed, newest first: the Z-reports that can be printed again.
    pub fn closed_sessions(&self, count: usize) -> StoreResult<Vec<CashSession>> {
        let numbers: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT z_number FROM cash_sessions WHERE z_number IS NOT NULL
                  ORDER BY closed_at DESC, id DESC LIMIT ?1",
            )?
            .query_map([count as i64], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        numbers
            .iter()
            .map(|number| {
                read_session(&self.conn, "z_number = ?1", [number])?
                    .ok_or_else(|| StoreError::Corrupt(format!("session {number}")))
            })
            .collect()
    }

    /// A closed session's Z-report, by its number (for reprints).
    pub fn z_report(&self, z_number: &str) -> StoreResult<Option<ZReport>> {
        let Some(session) = read_session(&self.conn, "z_number = ?1", [z_number])? else {
            return Ok(None);
        };
        let figures = session_figures(&self.conn, session.id)?;
        let chain_heads = z_heads(&self.conn, session.id)?;
        let einvoices = super::outbox::z_delivery(&self.conn, session.id)?;
        Ok(Some(ZReport {
            session,
            figures,
            chain_heads,
            einvoices,
        }))
    }
}
