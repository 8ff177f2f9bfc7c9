//! `ocop-pos staff …`: the people who may use the till.

use super::{both_languages, lock_refusal};
use crate::config::Config;
use crate::core::audit::Actor;
use crate::core::staff::{Role, StaffMember};
use crate::i18n::Notice;
use crate::lock::DataLock;
use chrono::Utc;

/// Adds a cashier or a manager with a PIN (stored only as a salted hash).
pub fn add_staff(config: &Config, name: &str, role: &str, pin: &str) -> Result<String, String> {
    let role = Role::from_code(role.trim()).ok_or_else(|| {
        format!("--role {role}: “cashier” hoặc “manager” / “cashier” or “manager”")
    })?;
    let _lock = DataLock::acquire(&config.data_dir).map_err(lock_refusal)?;
    let mut store = config.open_store().map_err(|e| e.to_string())?;
    let member = store
        .create_staff(name, role, pin, Utc::now())
        .map_err(|e| both_languages(&Notice::from_store_error(&e)))?;
    Ok(format!("{}  {}", member.name, member.role.code()))
}

/// The active staff, managers first.
pub fn list_staff(config: &Config) -> Result<String, String> {
    let store = config.open_store().map_err(|e| e.to_string())?;
    let staff = store.staff().map_err(|e| e.to_string())?;
    Ok(staff
        .iter()
        .map(|m| format!("{:<8} {}", m.role.code(), m.name))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// The person named `name` (as listed by `ocop-pos staff`), active or not.
fn staff_id(store: &crate::store::Store, name: &str) -> Result<i64, String> {
    let accounts = store.staff_accounts().map_err(|e| e.to_string())?;
    accounts
        .iter()
        .find(|account| account.member.name == name.trim())
        .map(|account| account.member.id)
        .ok_or_else(|| {
            both_languages(&Notice::SignIn(crate::store::SignInError::NoSuchStaff))
                + &format!(" ({name})")
        })
}

/// One change to the person named `name`, done by `by` (the manager whose PIN the terminal
/// took), audited by the store like the same act on the Staff screen.
fn change_staff(
    config: &Config,
    name: &str,
    by: &StaffMember,
    act: impl FnOnce(&mut crate::store::Store, i64, Actor<'_>) -> crate::store::StoreResult<()>,
) -> Result<String, String> {
    let _lock = DataLock::acquire(&config.data_dir).map_err(lock_refusal)?;
    let mut store = config.open_store().map_err(|e| e.to_string())?;
    let id = staff_id(&store, name)?;
    let actor = Actor::of(by, None);
    act(&mut store, id, actor).map_err(|e| both_languages(&Notice::from_store_error(&e)))?;
    Ok(both_languages(&Notice::StaffSaved(name.trim().to_string())))
}

/// `staff disable NAME`: the person may no longer sign in or approve.
pub fn disable_staff(config: &Config, name: &str, by: &StaffMember) -> Result<String, String> {
    change_staff(config, name, by, |store, id, actor| {
        store.disable_staff(id, actor, Utc::now())
    })
}

/// `staff enable NAME`: a disabled person may sign in again.
pub fn enable_staff(config: &Config, name: &str, by: &StaffMember) -> Result<String, String> {
    change_staff(config, name, by, |store, id, actor| {
        store.enable_staff(id, actor, Utc::now())
    })
}

/// `staff role NAME cashier|manager`.
pub fn set_staff_role(
    config: &Config,
    name: &str,
    role: Role,
    by: &StaffMember,
) -> Result<String, String> {
    change_staff(config, name, by, |store, id, actor| {
        store.set_staff_role(id, role, actor, Utc::now())
    })
}

/// `staff reset-pin NAME`: `pin` is the new PIN, already typed twice and compared.
pub fn reset_staff_pin(
    config: &Config,
    name: &str,
    pin: &str,
    by: &StaffMember,
) -> Result<String, String> {
    change_staff(config, name, by, |store, id, actor| {
        store.reset_staff_pin(id, pin, actor, Utc::now())
    })
}
