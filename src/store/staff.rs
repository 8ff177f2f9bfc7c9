//! Staff accounts (PINs kept only as salted argon2 hashes), sign-in with lock-out, and the
//! append-only audit log of gated acts.

use super::{Store, StoreError, StoreResult, parse_timestamp, timestamp};
use crate::core::clock::local_date;
use crate::core::report::Period;
use crate::core::staff::{
    AuditChange, AuditEntry, GatedAct, LOCKOUT_SECONDS, MAX_WRONG_PINS, Role, StaffMember,
    is_valid_pin,
};
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{OptionalExtension, Row, params};
use rust_decimal::Decimal;

/// Settings: minutes without a key or a click before the PIN pad covers the screen (0: never),
/// and the largest discount (percent of what it applies to) a cashier gives alone.
pub const IDLE_LOCK_SETTING: &str = "staff.idle_lock_minutes";
const DEFAULT_IDLE_LOCK_MINUTES: i64 = 5;
pub const DISCOUNT_LIMIT_SETTING: &str = "staff.discount_limit_pct";
const DEFAULT_DISCOUNT_LIMIT_PCT: i64 = 10;

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
    pub act: Option<GatedAct>,
    pub period: Option<Period>,
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
        refuse(self.count_wrong_pin(staff_id, wrong_pins, at)?)
    }

    /// Counts one more wrong PIN against an account that had `wrong_pins` in a row; the fifth
    /// makes it wait.
    fn count_wrong_pin(
        &self,
        staff_id: i64,
        wrong_pins: u32,
        at: DateTime<Utc>,
    ) -> StoreResult<SignInError> {
        let wrong_pins = wrong_pins + 1;
        if wrong_pins >= MAX_WRONG_PINS {
            let until = at + Duration::seconds(LOCKOUT_SECONDS);
            self.conn.execute(
                "UPDATE staff SET wrong_pins = 0, locked_until = ?2 WHERE id = ?1",
                params![staff_id, timestamp(until)],
            )?;
            return Ok(SignInError::LockedUntil(until));
        }
        self.conn.execute(
            "UPDATE staff SET wrong_pins = ?2 WHERE id = ?1",
            params![staff_id, wrong_pins],
        )?;
        Ok(SignInError::WrongPin {
            tries_left: MAX_WRONG_PINS - wrong_pins,
        })
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
                    refusals.push(self.count_wrong_pin(
                        manager.member.id,
                        manager.wrong_pins,
                        at,
                    )?);
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

    /// Writes one audit row. Audit rows are never changed or removed (the database refuses).
    pub fn record_audit(
        &self,
        actor: &StaffMember,
        approver: Option<&StaffMember>,
        act: GatedAct,
        change: &AuditChange<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.conn.execute(
            "INSERT INTO audit_log (at, local_date, actor, approver, act, subject, before, after)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                timestamp(at),
                local_date(at).to_string(),
                actor.name,
                approver.map(|a| a.name.as_str()),
                act.code(),
                change.subject,
                change.before,
                change.after
            ],
        )?;
        Ok(())
    }

    /// Audit rows matching the filter, newest first.
    pub fn audit_entries(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        let (from, to) = filter
            .period
            .map_or((String::new(), "9999".to_string()), |p| {
                (p.from.to_string(), p.to.to_string())
            });
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, actor, approver, act, subject, before, after FROM audit_log
              WHERE (?1 IS NULL OR actor = ?1 OR approver = ?1)
                AND (?2 IS NULL OR act = ?2)
                AND local_date BETWEEN ?3 AND ?4
              ORDER BY id DESC",
        )?;
        let rows = stmt.query_map(
            params![filter.person, filter.act.map(GatedAct::code), from, to],
            |row| {
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
            },
        )?;
        rows.map(|row| {
            let (id, at, actor, approver, act, subject, before, after) = row?;
            Ok(AuditEntry {
                id,
                at: parse_timestamp(&at)?,
                actor,
                approver,
                act: GatedAct::from_code(&act)
                    .ok_or_else(|| StoreError::Corrupt(format!("audit act {act:?}")))?,
                subject,
                before,
                after,
            })
        })
        .collect()
    }

    /// How many times an act was done to a subject (e.g. reprints of one receipt).
    pub fn audit_count(&self, act: GatedAct, subject: &str) -> StoreResult<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM audit_log WHERE act = ?1 AND subject = ?2",
            params![act.code(), subject],
            |row| row.get(0),
        )?)
    }
}
