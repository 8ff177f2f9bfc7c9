//! `ocop-pos staff …`: the people who may use the till.

use super::{both_languages, lock_refusal};
use crate::config::Config;
use crate::core::staff::Role;
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
