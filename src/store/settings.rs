use super::{Store, StoreError, StoreResult};
use crate::core::einvoice::InvoiceSettings;
use crate::core::settings::ShopSettings;
use rusqlite::{Connection, OptionalExtension, params};

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

    /// The cash-register invoice registration.
    pub fn invoice_settings(&self) -> StoreResult<InvoiceSettings> {
        read_invoice_settings(&self.conn)
    }

    /// Saves every field of the invoice registration in one transaction.
    pub fn save_invoice_settings(&mut self, settings: &InvoiceSettings) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        for field in InvoiceSettings::FIELDS {
            let value = settings.field(field).unwrap_or_default();
            upsert_setting(&tx, &format!("{INVOICE_PREFIX}{field}"), &value)?;
        }
        tx.commit()?;
        Ok(())
    }
}
