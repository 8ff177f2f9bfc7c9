//! Staff accounts (PINs kept only as salted argon2 hashes), sign-in with lock-out, and the
//! append-only audit log of gated acts.

use super::chain::seal;
use super::{Store, StoreError, StoreResult, parse_timestamp, timestamp};
use crate::core::audit::{Actor, AuditAct};
use crate::core::chain::ChainKind;
use crate::core::clock::local_date;
use crate::core::money::{Money, parse_amount};
use crate::core::reduction::CashierLimits;
use crate::core::report::Period;
use crate::core::staff::{
    AuditChange, AuditEntry, LOCKOUT_SECONDS, MAX_WRONG_PINS, Role, StaffMember, is_valid_pin,
};
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use rust_decimal::Decimal;

/// Settings: minutes without a key or a click before the PIN pad covers the screen (0: never),
/// and the largest discount (percent of what it applies to) a cashier gives alone.
pub const IDLE_LOCK_SETTING: &str = "staff.idle_lock_minutes";
const DEFAULT_IDLE_LOCK_MINUTES: i64 = 5;
pub const DISCOUNT_LIMIT_SETTING: &str = "staff.discount_limit_pct";
const DEFAULT_DISCOUNT_LIMIT_PCT: i64 = 10;
/// Setting: the largest void (đồng taken off a sale by lowering a quantity, removing a line or
/// clearing the cart) a cashier makes alone; 0, the default, means every void needs a manager.
pub const VOID_LIMIT_SETTING: &str = "staff.void_limit";

/// Why a PIN was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    NoSuchStaff,
    /// Wrong PIN; this many tries are left before the account waits.
    WrongPin {
        tries_left: u32,
    },
    /// Too many wrong PINs: the account waits until then.
    LockedUntil(DateTime<Utc>),
    NotAManager,
    /// A new PIN must be 4 to 8 digits.
    BadPin,
    NameTaken,
}

/// Salted argon2 hash of a PIN, as a PHC string (`$argon2id$v=19$…`).
pub fn hash_pin(pin: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .expect("argon2 hashes any input with default parameters")
        .to_string()
}

/// True when `pin` is the one `hash` was made from.
pub fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(pin.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

fn member_from_row(row: &Row<'_>) -> rusqlite::Result<StaffMember> {
    let role: String = row.get(2)?;
    Ok(StaffMember {
        id: row.get(0)?,
        name: row.get(1)?,
        role: Role::from_code(&role).unwrap_or(Role::Cashier),
    })
}

/// Which audit rows to list; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub person: Option<String>,
    pub act: Option<AuditAct>,
    pub period: Option<Period>,
}

/// Writes one audit row and chains it, in the caller's transaction: an act that is a store
/// operation writes its row in its own transaction, so neither is kept without the other.
pub(crate) fn insert_audit(
    conn: &Connection,
    by: Actor<'_>,
    act: AuditAct,
    change: &AuditChange<'_>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, local_date, actor, approver, act, subject, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        timestamp(at),
        local_date(at).to_string(),
        by.name,
        by.approver,
        act.code(),
        change.subject,
        change.before,
        change.after
    ])?;
    seal(conn, ChainKind::Audit, conn.last_insert_rowid())
}

impl Store {
    pub fn idle_lock_minutes(&self) -> StoreResult<i64> {
        Ok(self
            .setting(IDLE_LOCK_SETTING)?
            .and_then(|minutes| minutes.parse().ok())
            .unwrap_or(DEFAULT_IDLE_LOCK_MINUTES))
    }

    pub fn discount_limit_pct(&self) -> StoreResult<Decimal> {
        Ok(self
            .setting(DISCOUNT_LIMIT_SETTING)?
            .and_then(|pct| pct.parse().ok())
            .unwrap_or(Decimal::from(DEFAULT_DISCOUNT_LIMIT_PCT)))
    }

    /// How far a cashier may lower a sale alone.
    pub fn cashier_limits(&self) -> StoreResult<CashierLimits> {
        Ok(CashierLimits {
            discount_pct: self.discount_limit_pct()?,
            void_amount: self
                .setting(VOID_LIMIT_SETTING)?
                .and_then(|amount| parse_amount(&amount).ok())
                .unwrap_or(Money::ZERO),
        })
    }

    /// Adds a staff member; the PIN is stored only as a salted hash.
    pub fn create_staff(
        &mut self,
        name: &str,
        role: Role,
        pin: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<StaffMember> {
        if !is_valid_pin(pin) {
            return Err(StoreError::SignIn(SignInError::BadPin));
        }
        let inserted = self.conn.execute(
            "INSERT INTO staff (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO NOTHING",
            params![name.trim(), role.code(), hash_pin(pin), timestamp(at)],
        )?;
        if inserted == 0 {
            return Err(StoreError::SignIn(SignInError::NameTaken));
        }
        Ok(StaffMember {
            id: self.conn.last_insert_rowid(),
            name: name.trim().to_string(),
            role,
        })
    }

    /// Active staff, managers first, by name.
    pub fn staff(&self) -> StoreResult<Vec<StaffMember>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, role FROM staff WHERE active = 1
              ORDER BY role = 'cashier', name",
        )?;
        let members = stmt.query_map([], member_from_row)?;
        Ok(members.collect::<Result<_, _>>()?)
    }

    /// Checks a PIN. Wrong PINs are counted; after five in a row the account waits five
    /// minutes before the next try, and a right PIN resets the count.
    pub fn sign_in(
        &mut self,
        staff_id: i64,
        pin: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<StaffMember> {
        let refuse = |error| Err(StoreError::SignIn(error));
        let found = self
            .conn
            .query_row(
                "SELECT id, name, role, pin_hash, wrong_pins, locked_until FROM staff
                  WHERE id = ?1 AND active = 1",
                [staff_id],
                |row| {
                    Ok((
                        member_from_row(row)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, u32>(4)?,
                        row.get::<_, Option<String>>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((member, hash, wrong_pins, locked_until)) = found else {
            return refuse(SignInError::NoSuchStaff);
        };
        if let Some(until) = locked_until.as_deref().map(parse_timestamp).transpose()?
            && until > at
        {
            return refuse(SignInError::LockedUntil(until));
        }
        if pin_matches(pin, &hash) {
            self.conn.execute(
                "UPDATE staff SET wrong_pins = 0, locked_until = NULL WHERE id = ?1",
                [staff_id],
            )?;
            return Ok(member);
        }
        let wrong_pins = wrong_pins + 1;
        // The failure is counted and audited together: who was chosen, never the PIN typed.
        let tx = self.conn.transaction()?;
        let failed = AuditChange {
            subject: "",
            before: &format!("{}/{MAX_WRONG_PINS}", wrong_pins - 1),
            after: &format!("{wrong_pins}/{MAX_WRONG_PINS}"),
        };
        insert_audit(
            &tx,
            Actor::from(&member.name),
            AuditAct::PinFailed,
            &failed,
            at,
        )?;
        let refusal = if wrong_pins >= MAX_WRONG_PINS {
            let until = at + Duration::seconds(LOCKOUT_SECONDS);
            tx.execute(
                "UPDATE staff SET wrong_pins = 0, locked_until = ?2 WHERE id = ?1",
                params![staff_id, timestamp(until)],
            )?;
            SignInError::LockedUntil(until)
        } else {
            tx.execute(
                "UPDATE staff SET wrong_pins = ?2 WHERE id = ?1",
                params![staff_id, wrong_pins],
            )?;
            SignInError::WrongPin {
                tries_left: MAX_WRONG_PINS - wrong_pins,
            }
        };
        tx.commit()?;
        refuse(refusal)
    }

    /// A manager's approval, given on the spot with their PIN (same counting as signing in).
    pub fn approve(
        &mut self,
        manager_id: i64,
        pin: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<StaffMember> {
        let manager = self.sign_in(manager_id, pin, at)?;
        if manager.role != Role::Manager {
            return Err(StoreError::SignIn(SignInError::NotAManager));
        }
        Ok(manager)
    }

    /// Writes one audit row of an act that is not itself a store operation (opening a screen,
    /// a void at the counter). Audit rows are never changed or removed (the database refuses,
    /// and their hash chain shows it if the refusal is taken away).
    pub fn record_audit<'a>(
        &mut self,
        by: impl Into<Actor<'a>>,
        act: AuditAct,
        change: &AuditChange<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        insert_audit(&tx, by.into(), act, change, at)?;
        tx.commit()?;
        Ok(())
    }

    /// Audit rows matching the filter, newest first.
    pub fn audit_entries(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        let (from, to) = filter
            .period
            .map_or((String::new(), "9999".to_string()), |p| {
                (p.from.to_string(), p.to.to_string())
            });
        // An act is found under the codes earlier versions wrote for it too.
        let acts = filter
            .act
            .map(|act| {
                let codes: Vec<&str> = std::iter::once(act.code())
                    .chain(act.former_codes().iter().copied())
                    .collect();
                serde_json::to_string(&codes)
            })
            .transpose()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, actor, approver, act, subject, before, after FROM audit_log
              WHERE (?1 IS NULL OR actor = ?1 OR approver = ?1)
                AND (?2 IS NULL OR act IN (SELECT value FROM json_each(?2)))
                AND local_date BETWEEN ?3 AND ?4
              ORDER BY id DESC",
        )?;
        let rows = stmt.query_map(params![filter.person, acts, from, to], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, String>(7)?,
            ))
        })?;
        rows.map(|row| {
            let (id, at, actor, approver, act, subject, before, after) = row?;
            Ok(AuditEntry {
                id,
                at: parse_timestamp(&at)?,
                actor,
                approver,
                act: AuditAct::from_code(&act)
                    .ok_or_else(|| StoreError::Corrupt(format!("audit act {act:?}")))?,
                subject,
                before,
                after,
            })
        })
        .collect()
    }

    /// How many times an act was done to a subject (e.g. reprints of one receipt).
    pub fn audit_count(&self, act: AuditAct, subject: &str) -> StoreResult<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM audit_log WHERE act = ?1 AND subject = ?2",
            params![act.code(), subject],
            |row| row.get(0),
        )?)
    }
}
