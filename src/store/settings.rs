use super::{Store, StoreResult};
use crate::core::settings::{ShopSettings, StoreKind};
use rusqlite::{Connection, OptionalExtension, params};

/// Settings key: whether the store is the demo or the shop's own (see [`StoreKind`]).
pub const STORE_KIND_SETTING: &str = "store.kind";

/// Settings keys of the shop's details carry this prefix.
const SHOP_PREFIX: &str = "shop.";

fn upsert_setting(conn: &Connection, key: &str, value: &str) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
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

    pub fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        upsert_setting(&self.conn, key, value)
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

    /// Saves every field of the shop's details in one transaction.
    pub fn save_shop_settings(&mut self, settings: &ShopSettings) -> StoreResult<()> {
        let serde_json::Value::Object(fields) = serde_json::to_value(settings)? else {
            unreachable!("ShopSettings serialises as an object");
        };
        let tx = self.conn.transaction()?;
        for (key, value) in fields {
            let value = value.as_str().unwrap_or_default();
            upsert_setting(&tx, &format!("{SHOP_PREFIX}{key}"), value)?;
        }
        tx.commit()?;
        Ok(())
    }
}
