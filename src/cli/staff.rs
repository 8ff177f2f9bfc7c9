//! `ocop-pos staff …`: the people who may use the till.

use super::pin::{PinSource, approve, open_existing, told};
use super::{both_languages, lock_refusal, refusal};
use crate::config::Config;
use crate::core::staff::{AuditChange, GatedAct, Role, is_valid_pin};
use crate::i18n::{CommandNotice, Notice};
use crate::lock::DataLock;
use crate::store::SignInError;
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
    let pin = pins.read(&CommandNotice::NewPinPrompt(name.trim().to_string()))?;
    let again = pins.read(&CommandNotice::NewPinAgainPrompt)?;
    if pin != again {
        return Err(told(&CommandNotice::NewPinsDiffer));
    }
    if !is_valid_pin(&pin) {
        return Err(both_languages(&Notice::SignIn(SignInError::BadPin)));
    }
    if store.pin_in_use(&pin).map_err(|e| refusal(&e))? {
        return Err(told(&CommandNotice::PinInUse));
    }
    let now = Utc::now();
    let member = store
        .create_staff(name, role, &pin, now)
        .map_err(|e| refusal(&e))?;
    let change = AuditChange {
        subject: &member.name,
        before: "",
        after: member.role.code(),
    };
    // The first manager adds themself.
    let actor = approver.as_ref().unwrap_or(&member);
    store
        .record_audit(actor, None, GatedAct::StaffAdded, &change, now)
        .map_err(|e| refusal(&e))?;
    Ok(told(&CommandNotice::StaffAdded {
        name: member.name,
        role: member.role.code().to_string(),
    }))
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
