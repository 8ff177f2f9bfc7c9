//! The SQLite store: every SQL statement of the application lives under this module.
//!
//! Operations are named for what the shop does (`commit_sale`, `park_cart`) and return `core`
//! types. Each event is one transaction; with WAL and `synchronous=FULL` a committed sale is on
//! the disk before anything (a receipt) is produced from it.

pub mod backup;
mod carts;
mod cash;
mod catalog;
mod chain;
mod customers;
mod einvoices;
mod foreign_sales;
mod giftpacks;
mod inventory;
mod invoices;
pub mod migrations;
pub mod node;
pub mod numbering;
mod orders;
mod outbox;
mod product_list;
mod receivables;
mod receivings;
mod refunds;
pub use refunds::RefundPrice;
mod reports;
mod sales;
mod settings;
mod staff;
pub mod sync;

pub use carts::{CartEvent, ParkedCart, ReductionRecord};
pub use cash::{AUTO_OPEN_SESSIONS, REQUIRE_OPEN_SESSION, SESSION_POLICY_SETTING};
pub use catalog::DemoSeed;
pub use chain::StoredBreak;
pub use einvoices::{BuyerCorrection, BuyerCorrectionRequest};
pub use inventory::{
    BLOCK_NEGATIVE_STOCK, CertificateAlert, ExpiringLot, ImportMode, ImportOutcome, LowStock,
    NEGATIVE_STOCK_SETTING, PriceHistory, StockVariance, WARN_ON_NEGATIVE_STOCK,
};
pub use invoices::{INVOICE_SYMBOL_SETTING, InvoiceError};
pub use orders::OrderFilter;
pub use outbox::{Outbox, QueuedInvoice, Verdict, invoice_key};
pub use receivables::CustomerBalance;
pub use sales::TransferMatch;
pub use settings::{HUB_ALERTS_SEEN_SETTING, HUB_URL_SETTING, STORE_KIND_SETTING, setting_key};
pub use staff::{
    AuditFilter, DISCOUNT_LIMIT_SETTING, IDLE_LOCK_SETTING, SignInError, StaffAccount,
    VOID_LIMIT_SETTING, hash_pin, manager_in_file, pin_matches,
};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The schema every new store starts from, and the version it records.
pub const SCHEMA_SQL: &str = include_str!("../../schema.sql");
pub const SCHEMA_VERSION: i32 = 18;

/// The file name of the database inside the data folder.
pub const DATABASE_FILE: &str = "ocop-pos.sqlite3";

#[derive(Debug)]
pub enum StoreError {
    /// The disk (or the database's size cap) is full: nothing was written.
    DiskFull,
    /// The folder or file cannot be written: nothing was written.
    ReadOnly,
    /// Another program holds the database for longer than the busy timeout.
    Busy,
    /// The database was made by a newer version of the application.
    NewerSchema {
        found: i32,
        supported: i32,
    },
    NotFound,
    /// The cash drawer's rules refused the act (no open session, a difference without a note…).
    Cash(crate::core::cash::CashError),
    /// The refund asks for more than the sale allows.
    Refund(crate::core::refund::RefundError),
    /// The invoice cannot be issued or cancelled as asked.
    Invoice(InvoiceError),
    /// The gift-pack template is not complete or names unknown products.
    GiftPack(crate::core::giftpack::GiftPackError),
    /// A PIN was not accepted, or a staff account could not be made.
    SignIn(SignInError),
    /// A product, producer, stock movement or CSV file was refused.
    Inventory(crate::core::inventory::InventoryError),
    Sqlite(rusqlite::Error),
    Corrupt(String),
    /// The database file itself is damaged (SQLite's own check failed): not fit for selling.
    DamagedFile(String),
    /// A hash chain is broken and no manager has acknowledged it yet: no sale until then.
    ChainBroken(Box<crate::core::chain::ChainBreak>),
    /// A customer, an order, a deposit, a delivery or a payment on account was refused.
    Order(crate::core::order::OrderError),
    /// A node's store id or code refused (what was given).
    Node(String),
    /// Events refused, or an act this node may not do as a node of its store.
    Sync(sync::SyncError),
    /// Settings refused, each with its reason.
    Settings(
        Vec<(
            crate::core::settings::Setting,
            crate::core::settings::SettingError,
        )>,
    ),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::DiskFull => write!(f, "the disk is full"),
            StoreError::ReadOnly => write!(f, "the database cannot be written"),
            StoreError::Busy => write!(f, "the database is busy"),
            StoreError::NewerSchema { found, supported } => write!(
                f,
                "the database has schema version {found}, newer than this program's {supported}"
            ),
            StoreError::NotFound => write!(f, "not found"),
            StoreError::Cash(error) => write!(f, "cash drawer: {error:?}"),
            StoreError::Refund(error) => write!(f, "refund: {error:?}"),
            StoreError::Invoice(error) => write!(f, "invoice: {error:?}"),
            StoreError::GiftPack(error) => write!(f, "gift pack: {error:?}"),
            StoreError::SignIn(error) => write!(f, "sign-in: {error:?}"),
            StoreError::Inventory(error) => write!(f, "inventory: {error:?}"),
            StoreError::Sqlite(e) => write!(f, "database error: {e}"),
            StoreError::Corrupt(what) => write!(f, "stored data is damaged: {what}"),
            StoreError::DamagedFile(detail) => write!(f, "the database file is damaged: {detail}"),
            StoreError::ChainBroken(broken) => {
                write!(f, "a record was changed outside the program: {broken}")
            }
            StoreError::Order(error) => write!(f, "order: {error:?}"),
            StoreError::Node(given) => write!(
                f,
                "{given:?}: mã máy là hai chữ in hoa (AA…ZZ), mã cửa hàng 1–20 chữ in hoa, số \
                 hoặc gạch ngang / a node code is two capital letters (AA…ZZ), a store id 1–20 \
                 capitals, digits or dashes"
            ),
            StoreError::Sync(error) => write!(f, "{error}"),
            StoreError::Settings(refusals) => {
                for (setting, error) in refusals {
                    write!(f, "{setting:?}: {error}; ")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        match error.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) => StoreError::ReadOnly,
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
                StoreError::DamagedFile(error.to_string())
            }
            _ if matches!(error, rusqlite::Error::QueryReturnedNoRows) => StoreError::NotFound,
            _ => StoreError::Sqlite(error),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> StoreError {
        StoreError::Corrupt(error.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

pub struct Store {
    // Dropped before the keeper below: closing the connection ends the high-water writer.
    conn: Connection,
    path: PathBuf,
    /// This open created the database (it had no schema yet).
    created: bool,
    _numbers: numbering::Keeper,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, checks its pages (a damaged file is
    /// refused with [`StoreError::DamagedFile`]), applies the schema to a new file, migrates an
    /// older one and refuses a file from a newer version.
    pub fn open(path: &Path) -> StoreResult<Store> {
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // A sale's commit alone runs some twenty statements (its rows, its place in the hash
        // chain): room for all of them, so none is prepared again on every sale.
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Before any migration writes to the file.
        backup::check_file(path, backup::Depth::Quick)?;
        let created = Store::migrate(&mut conn)?;
        let data_dir = path.parent().unwrap_or(Path::new("."));
        let unrecorded = sync::watch_stock(&conn)?;
        let numbers = numbering::keep_high_water_marks(&conn, data_dir, unrecorded)?;
        // The store owns both from here: should a step below fail, dropping it closes the
        // connection (which ends the high-water writer) before waiting for that writer. As
        // two locals they dropped the other way round, and a failed open hung for ever (the
        // chaos test's sync worker did, on a busy database).
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            created,
            _numbers: numbers,
        };
        node::check_incarnation(&store.conn, data_dir)?;
        sync::record_baseline(&mut store.conn, chrono::Utc::now())?;
        sync::record_shared_baseline(&mut store.conn, chrono::Utc::now())?;
        Ok(store)
    }

    /// Whether this open created the database: a brand-new store, never used before.
    pub fn is_new(&self) -> bool {
        self.created
    }

    /// Opens the store of a data folder.
    pub fn open_in(data_dir: &Path) -> StoreResult<Store> {
        Store::open(&data_dir.join(DATABASE_FILE))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> StoreResult<i32> {
        schema_version(&self.conn)
    }

    /// Brings the database to the current schema; true when it had none (a new file).
    fn migrate(conn: &mut Connection) -> StoreResult<bool> {
        let found = schema_version(conn)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if found == SCHEMA_VERSION {
            return Ok(false);
        }
        // A new file gets the whole schema; an older one its missing migrations. Either way in
        // one transaction: an interrupted upgrade leaves the old version intact.
        let tx = conn.transaction()?;
        if found == 0 {
            tx.execute_batch(SCHEMA_SQL)?;
        } else {
            for (_, sql) in migrations::MIGRATIONS.iter().filter(|(v, _)| *v > found) {
                tx.execute_batch(sql)?;
            }
            // Records written before the store had hash chains are chained here, in the
            // migration's transaction: a store is never at the new version half chained. Only
            // then: a later upgrade must not chain a record slipped in unchained since.
            if found < chain::CHAINS_SINCE {
                chain::chain_unchained(&tx, chrono::Utc::now())?;
            }
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(found == 0)
    }

    /// Caps the database at its current size, so the next write that needs a new page fails
    /// exactly as on a full disk. Tests use it to prove a full disk loses nothing.
    pub fn cap_size_at_current(&self) -> StoreResult<()> {
        let pages: i64 = self
            .conn
            .pragma_query_value(None, "page_count", |row| row.get(0))?;
        self.conn.pragma_update(None, "max_page_count", pages)?;
        Ok(())
    }

    /// Lifts the cap set by [`Store::cap_size_at_current`]: space is back.
    pub fn lift_size_cap(&self) -> StoreResult<()> {
        self.conn
            .pragma_update(None, "max_page_count", 1_073_741_823i64)?;
        Ok(())
    }
}

fn schema_version(conn: &Connection) -> StoreResult<i32> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Fixed-width UTC text, so that comparing the text compares the times.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

pub(crate) fn parse_timestamp(text: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("time {text:?}: {e}")))
}

pub(crate) fn parse_rate(code: &str) -> StoreResult<crate::core::vat::VatRate> {
    crate::core::vat::VatRate::from_code(code)
        .ok_or_else(|| StoreError::Corrupt(format!("VAT rate {code:?}")))
}

/// Rows of `(rate, gross, pre_vat, vat)` from `sql` as VAT buckets, in rate order (the order
/// documents print them in, which the text order of the rate codes is not).
pub(crate) fn read_vat_buckets(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<crate::core::vat::VatBucket>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get(1)?,
            row.get(2)?,
            row.get(3)?,
        ))
    })?;
    let mut buckets = rows
        .map(|row| {
            let (rate, gross, pre_vat, vat) = row?;
            Ok(crate::core::vat::VatBucket {
                rate: parse_rate(&rate)?,
                gross: crate::core::money::Money(gross),
                pre_vat: crate::core::money::Money(pre_vat),
                vat: crate::core::money::Money(vat),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    buckets.sort_by_key(|bucket| bucket.rate);
    Ok(buckets)
}

/// Quantities are stored in thousandths (the cart never holds finer ones).
pub(crate) fn to_milli(quantity: Decimal) -> i64 {
    (quantity * Decimal::from(1000))
        .round()
        .to_i64()
        .expect("cart quantities are bounded")
}

pub(crate) fn from_milli(milli: i64) -> Decimal {
    Decimal::new(milli, 3).normalize()
}
