//! Staff accounts (PINs kept only as salted argon2 hashes), sign-in with lock-out, and the
//! append-only audit log of gated acts.

use super::chain::seal;
use super::sync::{ensure_store_details_writer, new_uid, record_event, record_shared};
use super::{Store, StoreError, StoreResult, parse_timestamp, timestamp};
use crate::core::audit::{Actor, AuditAct};
use crate::core::chain::ChainKind;
use crate::core::clock::local_date;
use crate::core::money::{Money, parse_amount};
use crate::core::reduction::CashierLimits;
use crate::core::report::Period;
use crate::core::staff::{
    AuditChange, AuditEntry, LOCKOUT_SECONDS, MAX_WRONG_PINS, Role, StaffMember, is_valid_pin,
    is_weak_pin,
};
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use rust_decimal::Decimal;
use serde_json::json;

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
    /// A real store refuses a PIN anyone would guess ([`is_weak_pin`]).
    WeakPin,
    /// Another person has that PIN: a PIN names its owner.
    PinTaken,
    /// Disabling or demoting this person would leave no active manager.
    LastManager,
    /// The first-run setup of a store that already has staff.
    NotSetUp,
}

/// A person on the Staff screen: disabled people stay listed (their name is in the records).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub member: StaffMember,
    pub active: bool,
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

/// A staff account as a PIN check sees it.
struct Account {
    member: StaffMember,
    hash: String,
    wrong_pins: u32,
    locked_until: Option<DateTime<Utc>>,
}

/// The active manager of a store file whose PIN this is, read without writing to the file
/// (wrong PINs are not counted). For restoring into a data folder whose own store is missing
/// or damaged: the backup's managers are the ones who may restore it, and whoever holds the
/// backup file can read all of it anyway, so counting guesses there would protect nothing.
pub fn manager_in_file(path: &std::path::Path, pin: &str) -> StoreResult<Option<StaffMember>> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let mut stmt = conn.prepare(
        "SELECT id, name, role, pin_hash FROM staff WHERE active = 1 AND role = 'manager'",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((member_from_row(row)?, row.get::<_, String>(3)?))
    })?;
    for row in rows {
        let (member, hash) = row?;
        if pin_matches(pin, &hash) {
            return Ok(Some(member));
        }
    }
    Ok(None)
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
    seal(conn, ChainKind::Audit, conn.last_insert_rowid())?;
    let doc = json!({"uid": new_uid(), "actor": by.name, "approver": by.approver,
                     "act": act.code(), "subject": change.subject, "before": change.before,
                     "after": change.after});
    record_event(conn, "audit", doc, at)?;
    Ok(())
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

    /// Adds a staff member; the PIN is stored only as a salted hash. Refused: a PIN not of 4–8
    /// digits, one someone else has, and in a real store a weak one.
    pub fn create_staff(
        &mut self,
        name: &str,
        role: Role,
        pin: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<StaffMember> {
        let tx = self.conn.transaction()?;
        let member = insert_staff(&tx, name, role, pin, at)?;
        tx.commit()?;
        Ok(member)
    }

    /// A manager adds a person; audited.
    pub fn add_staff(
        &mut self,
        name: &str,
        role: Role,
        pin: &str,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<StaffMember> {
        let tx = self.conn.transaction()?;
        let member = insert_staff(&tx, name, role, pin, at)?;
        let change = AuditChange {
            subject: &member.name,
            before: "",
            after: role.code(),
        };
        insert_audit(&tx, by, AuditAct::StaffAdded, &change, at)?;
        tx.commit()?;
        Ok(member)
    }

    /// Everyone ever added: active people first, managers first, by name.
    pub fn staff_accounts(&self) -> StoreResult<Vec<StaffAccount>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, role, active FROM staff ORDER BY active DESC, role = 'cashier', name",
        )?;
        let accounts = stmt.query_map([], |row| {
            Ok(StaffAccount {
                member: member_from_row(row)?,
                active: row.get(3)?,
            })
        })?;
        Ok(accounts.collect::<Result<_, _>>()?)
    }

    /// The person may no longer sign in or approve, and leaves the PIN pad. The last active
    /// manager cannot be disabled.
    pub fn disable_staff(&mut self, id: i64, by: Actor<'_>, at: DateTime<Utc>) -> StoreResult<()> {
        self.change_staff(id, by, at, AuditAct::StaffDisabled, |tx, account| {
            refuse_losing_last_manager(tx, account)?;
            tx.execute("UPDATE staff SET active = 0 WHERE id = ?1", [id])?;
            Ok(("active", "disabled"))
        })
    }

    /// A disabled person may sign in again, with the PIN they had.
    pub fn enable_staff(&mut self, id: i64, by: Actor<'_>, at: DateTime<Utc>) -> StoreResult<()> {
        self.change_staff(id, by, at, AuditAct::StaffEnabled, |tx, _| {
            tx.execute(
                "UPDATE staff SET active = 1, wrong_pins = 0, locked_until = NULL WHERE id = ?1",
                [id],
            )?;
            Ok(("disabled", "active"))
        })
    }

    /// Makes a cashier a manager or a manager a cashier (never the last active manager).
    pub fn set_staff_role(
        &mut self,
        id: i64,
        role: Role,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.change_staff(id, by, at, AuditAct::StaffRoleChanged, |tx, account| {
            if role == Role::Cashier {
                refuse_losing_last_manager(tx, account)?;
            }
            tx.execute(
                "UPDATE staff SET role = ?2 WHERE id = ?1",
                params![id, role.code()],
            )?;
            Ok((account.member.role.code(), role.code()))
        })
    }

    /// A new PIN for a person who forgot theirs (same rules as a new person's); their wrong
    /// tries are forgotten.
    pub fn reset_staff_pin(
        &mut self,
        id: i64,
        pin: &str,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.change_staff(id, by, at, AuditAct::StaffPinReset, |tx, _| {
            check_new_pin(tx, pin, Some(id))?;
            tx.execute(
                "UPDATE staff SET pin_hash = ?2, wrong_pins = 0, locked_until = NULL WHERE id = ?1",
                params![id, hash_pin(pin)],
            )?;
            // The audit row says that it changed, never what it is.
            Ok(("", ""))
        })
    }

    /// One change to one person, in one transaction with its audit row (`act`, before → after
    /// as `change` gives them).
    fn change_staff(
        &mut self,
        id: i64,
        by: Actor<'_>,
        at: DateTime<Utc>,
        act: AuditAct,
        change: impl FnOnce(&Connection, &StaffAccount) -> StoreResult<(&'static str, &'static str)>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        let account = tx
            .query_row(
                "SELECT id, name, role, active FROM staff WHERE id = ?1",
                [id],
                |row| {
                    Ok(StaffAccount {
                        member: member_from_row(row)?,
                        active: row.get(3)?,
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::SignIn(SignInError::NoSuchStaff))?;
        ensure_store_details_writer(&tx)?;
        let (before, after) = change(&tx, &account)?;
        record_staff(&tx, id, at)?;
        let change = AuditChange {
            subject: &account.member.name,
            before,
            after,
        };
        insert_audit(&tx, by, act, &change, at)?;
        tx.commit()?;
        Ok(())
    }

    /// True for the demo store, whose published PINs are weak on purpose.
    pub fn is_demo_store(&self) -> StoreResult<bool> {
        is_demo_store(&self.conn)
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
        refuse(self.count_wrong_pin(&member, wrong_pins, at)?)
    }

    /// Counts one more wrong PIN against an account that had `wrong_pins` in a row; the fifth
    /// makes it wait.
    fn count_wrong_pin(
        &mut self,
        member: &StaffMember,
        wrong_pins: u32,
        at: DateTime<Utc>,
    ) -> StoreResult<SignInError> {
        let staff_id = member.id;
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
        Ok(refusal)
    }

    /// The manager whose PIN this is, for an act asked for without picking a name (the
    /// command line): PINs are unique within a store, so the PIN names the person. Every
    /// active account's hash is tried. A PIN that matches nobody counts as a wrong PIN against
    /// every manager not already waiting, as the PIN pad counts one against the person picked:
    /// five in a row and the managers wait five minutes, so PINs cannot be guessed faster here
    /// than at the pad. While every manager waits, no PIN is even tried.
    pub fn manager_by_pin(&mut self, pin: &str, at: DateTime<Utc>) -> StoreResult<StaffMember> {
        let refuse = |error| Err(StoreError::SignIn(error));
        let accounts = self.accounts()?;
        let waiting_until = |account: &Account| account.locked_until.filter(|until| *until > at);
        let managers = || {
            accounts
                .iter()
                .filter(|account| account.member.role == Role::Manager)
        };
        if managers().next().is_some() && managers().all(|m| waiting_until(m).is_some()) {
            let first_free = managers().filter_map(waiting_until).min();
            return refuse(SignInError::LockedUntil(first_free.unwrap_or(at)));
        }
        match accounts
            .iter()
            .find(|account| pin_matches(pin, &account.hash))
        {
            Some(account) => {
                if let Some(until) = waiting_until(account) {
                    return refuse(SignInError::LockedUntil(until));
                }
                if account.member.role != Role::Manager {
                    return refuse(SignInError::NotAManager);
                }
                self.conn.execute(
                    "UPDATE staff SET wrong_pins = 0, locked_until = NULL WHERE id = ?1",
                    [account.member.id],
                )?;
                Ok(account.member.clone())
            }
            None => {
                let mut refusals = Vec::new();
                for manager in managers().filter(|m| waiting_until(m).is_none()) {
                    refusals.push(self.count_wrong_pin(&manager.member, manager.wrong_pins, at)?);
                }
                // The refusal that tells the most: a wait, else the fewest tries left.
                let told = refusals.into_iter().min_by_key(|refusal| match refusal {
                    SignInError::LockedUntil(_) => 0,
                    SignInError::WrongPin { tries_left } => *tries_left,
                    _ => MAX_WRONG_PINS,
                });
                refuse(told.unwrap_or(SignInError::NoSuchStaff))
            }
        }
    }

    /// Whether someone in the store (active or not: a disabled account may come back) already
    /// has this PIN. PINs must be unique, since a PIN alone names its manager on the command
    /// line.
    pub fn pin_in_use(&self, pin: &str) -> StoreResult<bool> {
        let mut stmt = self.conn.prepare_cached("SELECT pin_hash FROM staff")?;
        let hashes = stmt.query_map([], |row| row.get::<_, String>(0))?;
        for hash in hashes {
            if pin_matches(pin, &hash?) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Whether anyone may approve: a store without an active manager has not been set up yet.
    pub fn has_manager(&self) -> StoreResult<bool> {
        Ok(self.staff()?.iter().any(|m| m.role == Role::Manager))
    }

    /// The active accounts with what checking a PIN needs.
    fn accounts(&self) -> StoreResult<Vec<Account>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, role, pin_hash, wrong_pins, locked_until FROM staff
              WHERE active = 1",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                member_from_row(row)?,
                row.get::<_, String>(3)?,
                row.get::<_, u32>(4)?,
                row.get::<_, Option<String>>(5)?,
            ))
        })?;
        rows.map(|row| {
            let (member, hash, wrong_pins, locked_until) = row?;
            Ok(Account {
                member,
                hash,
                wrong_pins,
                locked_until: locked_until.as_deref().map(parse_timestamp).transpose()?,
            })
        })
        .collect()
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

fn is_demo_store(conn: &Connection) -> StoreResult<bool> {
    let kind: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [super::STORE_KIND_SETTING],
            |row| row.get(0),
        )
        .optional()?;
    Ok(kind.as_deref() == Some(crate::core::settings::StoreKind::Demo.code()))
}

/// A new PIN's rules: 4–8 digits; in a real store not a weak one; nobody else's (`owner`, when
/// it is a new PIN for someone, may have had it). Each stored hash is checked: a PIN names
/// its owner at sign-in, so two people must never share one.
fn check_new_pin(conn: &Connection, pin: &str, owner: Option<i64>) -> StoreResult<()> {
    let refuse = |error| Err(StoreError::SignIn(error));
    if !is_valid_pin(pin) {
        return refuse(SignInError::BadPin);
    }
    if is_weak_pin(pin) && !is_demo_store(conn)? {
        return refuse(SignInError::WeakPin);
    }
    let mut stmt = conn.prepare_cached("SELECT id, pin_hash FROM staff")?;
    let hashes = stmt.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    for row in hashes {
        let (id, hash) = row?;
        if Some(id) != owner && pin_matches(pin, &hash) {
            return refuse(SignInError::PinTaken);
        }
    }
    Ok(())
}

pub(crate) fn insert_staff(
    conn: &Connection,
    name: &str,
    role: Role,
    pin: &str,
    at: DateTime<Utc>,
) -> StoreResult<StaffMember> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::SignIn(SignInError::BadPin));
    }
    ensure_store_details_writer(conn)?;
    check_new_pin(conn, pin, None)?;
    let inserted = conn.execute(
        "INSERT INTO staff (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (name) DO NOTHING",
        params![name, role.code(), hash_pin(pin), timestamp(at)],
    )?;
    if inserted == 0 {
        return Err(StoreError::SignIn(SignInError::NameTaken));
    }
    let id = conn.last_insert_rowid();
    record_staff(conn, id, at)?;
    Ok(StaffMember {
        id,
        name: name.to_string(),
        role,
    })
}

/// A person as their event carries them: name, role, active, and the PIN's salted hash as
/// kept (the PIN itself is never stored, so it cannot travel). How many wrong PINs were typed
/// at a counter, and its lock-out, stay that counter's own.
fn staff_doc(conn: &Connection, id: i64) -> StoreResult<serde_json::Value> {
    Ok(conn
        .prepare_cached(
            "SELECT uid, name, role, pin_hash, active, created_at FROM staff WHERE id = ?1",
        )?
        .query_row([id], |row| {
            Ok(
                json!({"uid": row.get::<_, String>(0)?, "name": row.get::<_, String>(1)?,
                      "role": row.get::<_, String>(2)?, "pin_hash": row.get::<_, String>(3)?,
                      "active": row.get::<_, i64>(4)?, "created_at": row.get::<_, String>(5)?}),
            )
        })?)
}

/// Records person `id` as a `staff` event, in the caller's transaction.
pub(crate) fn record_staff(conn: &Connection, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
    let doc = staff_doc(conn, id)?;
    let uid = doc["uid"].as_str().unwrap_or_default().to_string();
    record_shared(conn, "staff", &uid, doc, at)
}

/// A person from the store's catalogue node, by uid. Someone this node already has under the
/// same name (the manager a new counter was set up with) becomes that person: the store's
/// record, PIN included, replaces this node's. A new PIN forgets the wrong ones typed here.
pub(crate) fn apply_staff(tx: &Connection, doc: &serde_json::Value) -> StoreResult<()> {
    let text = |field: &str| doc[field].as_str().unwrap_or_default().to_string();
    // A role this version does not know (a later one's) gives no more than a cashier's rights,
    // as reading the staff table does; refusing it would stop this node's sync for good.
    let role = Role::from_code(&text("role")).unwrap_or(Role::Cashier);
    let (uid, name, pin_hash) = (text("uid"), text("name"), text("pin_hash"));
    let active = doc["active"].as_i64().unwrap_or(1);
    let here: Option<(i64, String)> = tx
        .prepare_cached(
            "SELECT id, pin_hash FROM staff WHERE uid = ?1
             UNION ALL SELECT id, pin_hash FROM staff WHERE name = ?2 AND uid <> ?1 LIMIT 1",
        )?
        .query_row(params![uid, name], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    match here {
        Some((id, held_hash)) => {
            tx.prepare_cached(
                "UPDATE staff SET uid = ?2, name = ?3, role = ?4, pin_hash = ?5, active = ?6
                  WHERE id = ?1",
            )?
            .execute(params![id, uid, name, role.code(), pin_hash, active])?;
            if held_hash != pin_hash {
                tx.prepare_cached(
                    "UPDATE staff SET wrong_pins = 0, locked_until = NULL WHERE id = ?1",
                )?
                .execute([id])?;
            }
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO staff (uid, name, role, pin_hash, active, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                uid,
                name,
                role.code(),
                pin_hash,
                active,
                text("created_at")
            ])?;
        }
    }
    Ok(())
}

/// Refuses to take `account` out of the managers if no other active manager would remain.
fn refuse_losing_last_manager(conn: &Connection, account: &StaffAccount) -> StoreResult<()> {
    if account.member.role != Role::Manager || !account.active {
        return Ok(());
    }
    let others: i64 = conn.query_row(
        "SELECT count(*) FROM staff WHERE role = 'manager' AND active = 1 AND id <> ?1",
        [account.member.id],
        |row| row.get(0),
    )?;
    if others == 0 {
        Err(StoreError::SignIn(SignInError::LastManager))
    } else {
        Ok(())
    }
}
