//! `ocop-pos staff …`: the people who may use the till.

use super::pin::{ManagerChange, PinSource, approve, open_existing, told};
use super::{both_languages, lock_refusal, refusal};
use crate::config::Config;
use crate::core::audit::Actor;
use crate::core::staff::Role;
use crate::i18n::{CommandNotice, Notice};
use crate::lock::DataLock;
use crate::store::{SignInError, Store, StoreResult};
use chrono::Utc;

/// Adds a cashier or a manager. A manager's PIN approves it; then the new person's PIN is asked
/// twice (4–8 digits, unique in the store, kept only as a salted hash). The first manager of a
/// store needs no approval, and on a data folder without a store this makes an empty real
/// store for them: that is how a real store is set up without the window.
pub fn add_staff(
    config: &Config,
    pins: &mut PinSource,
    name: &str,
    role: Role,
) -> Result<String, String> {
    let _lock = DataLock::acquire(&config.data_dir).map_err(lock_refusal)?;
    let first_manager_here = !config.has_store() && role == Role::Manager;
    let mut store = if first_manager_here {
        let real = crate::config::Config {
            seed_demo: false,
            ..config.clone()
        };
        real.open_store().map_err(|e| refusal(&e))?
    } else {
        open_existing(config)?
    };
    let approver = if store.has_manager().map_err(|e| refusal(&e))? {
        Some(approve(&mut store, pins)?)
    } else if role == Role::Manager {
        None
    } else {
        return Err(told(&CommandNotice::NoManagerYet));
    };
    let pin = new_pin(pins, name)?;
    let now = Utc::now();
    // The first manager adds themself.
    let member = match &approver {
        Some(manager) => store.add_staff(name, role, &pin, Actor::of(manager, None), now),
        None => store.add_staff(name, role, &pin, Actor::from(name.trim()), now),
    }
    .map_err(|e| refusal(&e))?;
    Ok(told(&CommandNotice::StaffAdded {
        name: member.name,
        role: member.role.code().to_string(),
    }))
}

/// A new PIN for `name`, typed twice: the two must agree (the store checks the rest: 4–8
/// digits, nobody else's, and not a weak one in a real store).
fn new_pin(pins: &mut PinSource, name: &str) -> Result<String, String> {
    let pin = pins.read(&CommandNotice::NewPinPrompt(name.trim().to_string()))?;
    let again = pins.read(&CommandNotice::NewPinAgainPrompt)?;
    if pin != again {
        return Err(told(&CommandNotice::NewPinsDiffer));
    }
    Ok(pin)
}

/// The active staff, managers first.
pub fn list_staff(config: &Config) -> Result<String, String> {
    let store = open_existing(config)?;
    let staff = store.staff().map_err(|e| refusal(&e))?;
    Ok(staff
        .iter()
        .map(|m| format!("{:<8} {}", m.role.code(), m.name))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// The person named `name` (as listed by `ocop-pos staff`), active or not.
fn staff_id(store: &Store, name: &str) -> Result<i64, String> {
    let accounts = store.staff_accounts().map_err(|e| refusal(&e))?;
    accounts
        .iter()
        .find(|account| account.member.name == name.trim())
        .map(|account| account.member.id)
        .ok_or_else(|| {
            both_languages(&Notice::SignIn(SignInError::NoSuchStaff)) + &format!(" ({name})")
        })
}

/// One change to the person named `name`, done by the manager whose PIN the terminal took,
/// audited by the store like the same act on the Staff screen.
fn change_staff(
    change: &mut ManagerChange,
    name: &str,
    act: impl FnOnce(&mut Store, i64, Actor<'_>) -> StoreResult<()>,
) -> Result<String, String> {
    let id = staff_id(&change.store, name)?;
    act(&mut change.store, id, Actor::of(&change.manager, None)).map_err(|e| refusal(&e))?;
    Ok(both_languages(&Notice::StaffSaved(name.trim().to_string())))
}

/// `staff disable NAME`: the person may no longer sign in or approve.
pub fn disable_staff(change: &mut ManagerChange, name: &str) -> Result<String, String> {
    change_staff(change, name, |store, id, by| {
        store.disable_staff(id, by, Utc::now())
    })
}

/// `staff enable NAME`: a disabled person may sign in again.
pub fn enable_staff(change: &mut ManagerChange, name: &str) -> Result<String, String> {
    change_staff(change, name, |store, id, by| {
        store.enable_staff(id, by, Utc::now())
    })
}

/// `staff role NAME cashier|manager`.
pub fn set_staff_role(
    change: &mut ManagerChange,
    name: &str,
    role: Role,
) -> Result<String, String> {
    change_staff(change, name, |store, id, by| {
        store.set_staff_role(id, role, by, Utc::now())
    })
}

/// `staff reset-pin NAME`: the manager's PIN, then the new PIN twice.
pub fn reset_staff_pin(
    change: &mut ManagerChange,
    pins: &mut PinSource,
    name: &str,
) -> Result<String, String> {
    let pin = new_pin(pins, name)?;
    change_staff(change, name, |store, id, by| {
        store.reset_staff_pin(id, &pin, by, Utc::now())
    })
}
