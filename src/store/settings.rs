use super::backup::{DEFAULT_KEEP, KEEP_SETTING, SECOND_DIR_SETTING};
use super::cash::{REQUIRE_OPEN_SESSION, SESSION_POLICY_SETTING};
use super::inventory::{NEGATIVE_STOCK_SETTING, WARN_ON_NEGATIVE_STOCK};
use super::staff::{insert_audit, insert_staff};
use super::sync::{ensure_store_details_writer, record_shared};
use super::{DISCOUNT_LIMIT_SETTING, IDLE_LOCK_SETTING, StoreError, VOID_LIMIT_SETTING};
use super::{Store, StoreResult};
use crate::core::audit::{Actor, AuditAct};
use crate::core::delivery::{HIDDEN, SendSettings};
use crate::core::einvoice::InvoiceSettings;
use crate::core::settings::{Setting, SettingScope, ShopSettings, StoreKind, check_changes};
use crate::core::staff::{AuditChange, Role, StaffMember};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeMap;

/// Where a setting of the Settings screen is kept.
pub fn setting_key(setting: Setting) -> String {
    match setting.shop_field() {
        Some(field) => format!("{SHOP_PREFIX}{field}"),
        None => match setting {
            Setting::DiscountLimitPct => DISCOUNT_LIMIT_SETTING,
            Setting::IdleLockMinutes => IDLE_LOCK_SETTING,
            Setting::NegativeStock => NEGATIVE_STOCK_SETTING,
            Setting::SessionPolicy => SESSION_POLICY_SETTING,
            Setting::BackupKeep => KEEP_SETTING,
            Setting::BackupSecondDir => SECOND_DIR_SETTING,
            Setting::VoidLimit => VOID_LIMIT_SETTING,
            Setting::Invoice(field) => return format!("{INVOICE_PREFIX}{field}"),
            Setting::Send(field) => return format!("{}{field}", super::outbox::SEND_PREFIX),
            _ => unreachable!("every shop detail has its field"),
        }
        .to_string(),
    }
}

/// Settings key: the province hub's URL (`postgres://…`, see [`crate::hub`]); empty or absent
/// when the data folder syncs with no hub.
pub const HUB_URL_SETTING: &str = "hub.url";

/// Settings key: the newest hub alert a manager has opened the list of alerts on, so the top
/// bar counts only those raised since. This node's own reading; it never travels.
pub const HUB_ALERTS_SEEN_SETTING: &str = "sync.hub_alerts_seen";

/// Settings key: whether the store is the demo or the shop's own (see [`StoreKind`]). A store
/// that does not say is told by the demo's tax code.
pub const STORE_KIND_SETTING: &str = "store.kind";

/// Settings keys of the shop's details carry this prefix.
const SHOP_PREFIX: &str = "shop.";
/// Settings keys of the cash-register invoice registration carry this prefix.
const INVOICE_PREFIX: &str = "einvoice.";

/// The invoice registration; fields never set keep their defaults.
pub(crate) fn read_invoice_settings(conn: &Connection) -> StoreResult<InvoiceSettings> {
    let mut stmt = conn.prepare_cached(
        // The key range serves the lookup from the primary key: this runs in every sale.
        "SELECT key, value FROM settings WHERE key > 'einvoice.' AND key < 'einvoice/'",
    )?;
    let mut rows = stmt.query([])?;
    let mut settings = InvoiceSettings::default();
    while let Some(row) = rows.next()? {
        let key: String = row.get(0)?;
        let value: String = row.get(1)?;
        settings = settings
            .with_field(&key[INVOICE_PREFIX.len()..], &value)
            .map_err(|e| StoreError::Corrupt(format!("setting {key}: {e}")))?;
    }
    Ok(settings)
}

/// The shop's phone, printed with the seller on invoices.
pub(crate) fn shop_phone(conn: &Connection) -> StoreResult<String> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = 'shop.phone'")?
        .query_row([], |row| row.get(0))
        .optional()?
        .unwrap_or_default())
}

/// A setting's value as the audit log keeps it: a password is never written, only that one
/// was set.
fn logged(setting: Setting, value: &str) -> &str {
    if setting.is_secret() && !value.is_empty() {
        HIDDEN
    } else {
        value
    }
}

fn upsert_setting(conn: &Connection, key: &str, value: &str) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// Whether the setting kept under `key` is the store's (see [`SettingScope`]): written on the
/// catalogue node only, and taken from it by every other node.
pub fn is_store_setting_key(key: &str) -> bool {
    Setting::ALL
        .into_iter()
        .any(|setting| setting.scope() == SettingScope::Store && setting_key(setting) == key)
}

/// A store setting as its event carries it; the key is its uid (the hub keeps the latest).
pub(crate) fn setting_doc(key: &str, value: &str) -> serde_json::Value {
    serde_json::json!({"uid": key, "key": key, "value": value})
}

/// Sets one setting, in the caller's transaction, when it changes. A store setting is refused
/// on a node that is not the catalogue node, and travels as an event; a counter's own does
/// neither. Gives whether it changed.
fn write_setting(
    conn: &Connection,
    key: &str,
    value: &str,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let now: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()?;
    if now.as_deref() == Some(value) {
        return Ok(false);
    }
    if is_store_setting_key(key) {
        ensure_store_details_writer(conn)?;
        upsert_setting(conn, key, value)?;
        record_shared(conn, "setting", key, setting_doc(key, value), at)?;
    } else {
        upsert_setting(conn, key, value)?;
    }
    Ok(true)
}

/// Sets a setting never set before (a default a seed gives), as [`write_setting`] does.
pub(crate) fn write_default_setting(
    conn: &Connection,
    key: &str,
    value: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let set: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?1)")?
        .query_row([key], |row| row.get(0))?;
    if !set {
        write_setting(conn, key, value, at)?;
    }
    Ok(())
}

/// A store setting from the catalogue node (see `sync::apply_shared`).
pub(crate) fn apply_setting(tx: &Connection, key: &str, value: &str) -> StoreResult<()> {
    upsert_setting(tx, key, value)
}

/// The store settings this node has set, by key.
pub(crate) fn store_settings_held(conn: &Connection) -> StoreResult<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT key, value FROM settings ORDER BY key")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let mut held = Vec::new();
    for row in rows {
        let (key, value): (String, String) = row?;
        if is_store_setting_key(&key) {
            held.push((key, value));
        }
    }
    Ok(held)
}

/// Every field of the shop's details that differs, inside the caller's transaction.
fn write_shop_settings(
    conn: &Connection,
    settings: &ShopSettings,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let serde_json::Value::Object(fields) = serde_json::to_value(settings)? else {
        unreachable!("ShopSettings serialises as an object");
    };
    for (key, value) in fields {
        let value = value.as_str().unwrap_or_default();
        write_setting(conn, &format!("{SHOP_PREFIX}{key}"), value, at)?;
    }
    Ok(())
}

/// Every field of the invoice registration that differs, inside the caller's transaction.
fn write_invoice_settings(
    conn: &Connection,
    settings: &InvoiceSettings,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    for field in InvoiceSettings::FIELDS {
        let value = settings.field(field).unwrap_or_default();
        write_setting(conn, &format!("{INVOICE_PREFIX}{field}"), &value, at)?;
    }
    Ok(())
}

impl Store {
    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// Sets one setting. A store setting ([`is_store_setting_key`]) is refused on a node that
    /// is not the catalogue node, and travels to the others with its event.
    pub fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        let tx = self.conn.unchecked_transaction()?;
        write_setting(&tx, key, value, Utc::now())?;
        tx.commit()?;
        Ok(())
    }

    /// Whether this is the demo or a real store. Stores made before the kind was recorded are
    /// told apart by the demo's tax code, which the demo alone sets.
    pub fn store_kind(&self) -> StoreResult<StoreKind> {
        if let Some(kind) = self
            .setting(STORE_KIND_SETTING)?
            .as_deref()
            .and_then(StoreKind::from_code)
        {
            return Ok(kind);
        }
        let demo = self.shop_settings()?.tax_code == ShopSettings::demo().tax_code;
        Ok(if demo {
            StoreKind::Demo
        } else {
            StoreKind::Real
        })
    }

    pub fn set_store_kind(&self, kind: StoreKind) -> StoreResult<()> {
        self.set_setting(STORE_KIND_SETTING, kind.code())
    }

    /// The shop's details; fields never set keep their defaults.
    pub fn shop_settings(&self) -> StoreResult<ShopSettings> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, value FROM settings WHERE substr(key, 1, 5) = ?1")?;
        let fields = stmt
            .query_map([SHOP_PREFIX], |row| {
                let key: String = row.get(0)?;
                let value: String = row.get(1)?;
                Ok((
                    key[SHOP_PREFIX.len()..].to_string(),
                    serde_json::Value::String(value),
                ))
            })?
            .collect::<Result<serde_json::Map<_, _>, _>>()?;
        Ok(serde_json::from_value(serde_json::Value::Object(fields))?)
    }

    /// Saves the fields of the shop's details that changed, in one transaction.
    pub fn save_shop_settings(&mut self, settings: &ShopSettings) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        write_shop_settings(&tx, settings, Utc::now())?;
        tx.commit()?;
        Ok(())
    }

    /// The cash-register invoice registration.
    pub fn invoice_settings(&self) -> StoreResult<InvoiceSettings> {
        read_invoice_settings(&self.conn)
    }

    /// Saves every field of the invoice registration in one transaction.
    pub fn save_invoice_settings(&mut self, settings: &InvoiceSettings) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        write_invoice_settings(&tx, settings, Utc::now())?;
        tx.commit()?;
        Ok(())
    }
}

impl Store {
    /// Every setting of the Settings screen as it is in force (defaults where never set).
    pub fn settings_values(&self) -> StoreResult<BTreeMap<Setting, String>> {
        let shop = serde_json::to_value(self.shop_settings()?)?;
        let defaults = |setting| match setting {
            Setting::DiscountLimitPct => self.discount_limit_pct().map(|pct| pct.to_string()),
            Setting::IdleLockMinutes => self.idle_lock_minutes().map(|m| m.to_string()),
            Setting::NegativeStock => Ok(WARN_ON_NEGATIVE_STOCK.to_string()),
            Setting::SessionPolicy => Ok(REQUIRE_OPEN_SESSION.to_string()),
            Setting::BackupKeep => Ok(DEFAULT_KEEP.to_string()),
            Setting::VoidLimit => Ok("0".to_string()),
            Setting::Invoice(field) => {
                Ok(InvoiceSettings::default().field(field).unwrap_or_default())
            }
            Setting::Send(field) => Ok(SendSettings::default().field(field).unwrap_or_default()),
            _ => Ok(String::new()),
        };
        Setting::ALL
            .into_iter()
            .map(|setting| {
                let value = match setting.shop_field() {
                    Some(field) => shop[field].as_str().unwrap_or_default().to_string(),
                    None => match self.setting(&setting_key(setting))? {
                        Some(value) => value,
                        None => defaults(setting)?,
                    },
                };
                Ok((setting, value))
            })
            .collect()
    }

    /// Saves the settings of `form` that differ from those in force, each checked (a bank
    /// account comes whole), in one transaction with one audit row each (the setting's key,
    /// before → after). Refused as a whole when any is wrong. Gives how many changed.
    pub fn change_settings(
        &mut self,
        form: &BTreeMap<Setting, String>,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<usize> {
        let current = self.settings_values()?;
        let checked = check_changes(&current, form).map_err(StoreError::Settings)?;
        let tx = self.conn.transaction()?;
        let mut changed = 0;
        for (setting, value) in &checked {
            let before = &current[setting];
            if value == before {
                continue;
            }
            let key = setting_key(*setting);
            write_setting(&tx, &key, value, at)?;
            let change = AuditChange {
                subject: &key,
                before: logged(*setting, before),
                after: logged(*setting, value),
            };
            insert_audit(&tx, by, AuditAct::SettingChanged, &change, at)?;
            changed += 1;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// A real store's first run: its details and its first manager, in one transaction with
    /// its audit row. Refused once the store has anyone on its staff.
    pub fn set_up_store(
        &mut self,
        shop: &ShopSettings,
        registration: &InvoiceSettings,
        manager_name: &str,
        pin: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<StaffMember> {
        let tx = self.conn.transaction()?;
        let staff: i64 = tx.query_row("SELECT count(*) FROM staff", [], |row| row.get(0))?;
        if staff > 0 {
            return Err(StoreError::SignIn(super::SignInError::NotSetUp));
        }
        upsert_setting(&tx, STORE_KIND_SETTING, StoreKind::Real.code())?;
        let manager = insert_staff(&tx, manager_name, Role::Manager, pin, at)?;
        write_shop_settings(&tx, shop, at)?;
        write_invoice_settings(&tx, registration, at)?;
        let change = AuditChange {
            subject: &shop.shop_name,
            before: "",
            after: &format!("{} · MST {}", shop.full_address(), shop.tax_code),
        };
        let by = Actor::of(&manager, None);
        insert_audit(&tx, by, AuditAct::StoreSetUp, &change, at)?;
        tx.commit()?;
        Ok(manager)
    }

    /// Marks the store real (after the demo was set aside) and records who did it.
    pub fn mark_real_store(
        &mut self,
        by: Actor<'_>,
        kept_at: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        upsert_setting(&tx, STORE_KIND_SETTING, StoreKind::Real.code())?;
        let change = AuditChange {
            subject: kept_at,
            before: StoreKind::Demo.code(),
            after: StoreKind::Real.code(),
        };
        insert_audit(&tx, by, AuditAct::DemoMadeReal, &change, at)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::settings::{NEGATIVE_STOCK_CHOICES, SESSION_POLICY_CHOICES};
    use crate::store::{AUTO_OPEN_SESSIONS, BLOCK_NEGATIVE_STOCK};

    #[test]
    fn the_screens_choices_are_the_codes_the_store_acts_on() {
        assert_eq!(
            NEGATIVE_STOCK_CHOICES,
            [WARN_ON_NEGATIVE_STOCK, BLOCK_NEGATIVE_STOCK]
        );
        assert_eq!(
            SESSION_POLICY_CHOICES,
            [REQUIRE_OPEN_SESSION, AUTO_OPEN_SESSIONS]
        );
        let keys: std::collections::BTreeSet<String> =
            Setting::ALL.into_iter().map(setting_key).collect();
        assert_eq!(keys.len(), Setting::ALL.len(), "one key each");
        assert_eq!(setting_key(Setting::Commune), "shop.commune");
    }

    #[test]
    fn the_keys_that_travel_are_the_store_s_settings_only() {
        for key in [
            "shop.shop_name",
            "shop.bank_account",
            "einvoice.authority_code",
            "send.account",
            "cash.session_policy",
            "stock.negative_policy",
            "staff.discount_limit_pct",
        ] {
            assert!(is_store_setting_key(key), "{key}");
        }
        for key in [
            "shop.printer",
            "shop.label_size",
            "einvoice.series_letters",
            "send.password",
            "send.account_password",
            "send.export_dir",
            "backup.keep",
            HUB_URL_SETTING,
            HUB_ALERTS_SEEN_SETTING,
            STORE_KIND_SETTING,
            crate::store::node::INVOICE_SERIES_SETTING,
            crate::store::sync::HUB_CURSOR_SETTING,
        ] {
            assert!(!is_store_setting_key(key), "{key}");
        }
    }
}
