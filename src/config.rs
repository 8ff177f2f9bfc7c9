//! Where the store's data lives and how the program was asked to start.

use crate::core::einvoice::InvoiceSettings;
use crate::core::settings::{ShopSettings, StoreKind};
use crate::core::staff::Role;
use crate::store::{DATABASE_FILE, Store, StoreResult};
use chrono::Utc;
use std::path::PathBuf;

/// Chooses the data folder when `--data-dir` is not given.
pub const DATA_DIR_ENV: &str = "OCOP_POS_DATA_DIR";
/// The demo catalogue a first start seeds, built into the program.
pub const DEMO_PRODUCTS_CSV: &str = include_str!("../assets/demo_products.csv");
/// The demo's gift-pack templates.
pub const DEMO_GIFT_PACKS_CSV: &str = include_str!("../assets/demo_giftpacks.csv");
/// The demo's staff and their PINs (documented in the README): one manager, two cashiers.
pub const DEMO_STAFF: [(&str, Role, &str); 3] = [
    ("Trần Văn Hùng", Role::Manager, "1234"),
    ("Nguyễn Thị Lan", Role::Cashier, "1111"),
    ("Lê Minh Tuấn", Role::Cashier, "2222"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub data_dir: PathBuf,
    /// A data folder the window opens without a store gets the demo (else an empty real
    /// store). Commands never seed.
    pub seed_demo: bool,
}

/// The platform's user data folder (`~/.local/share/ocop-pos` on Linux).
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("vn", "OCOP", "ocop-pos")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("ocop-pos-data"))
}

impl Config {
    /// `--data-dir DIR`, else the environment variable, else the platform's folder.
    pub fn new(data_dir: Option<PathBuf>, seed_demo: bool) -> Config {
        let data_dir = data_dir
            .or_else(|| std::env::var_os(DATA_DIR_ENV).map(PathBuf::from))
            .unwrap_or_else(default_data_dir);
        Config {
            data_dir,
            seed_demo,
        }
    }

    /// The window's store: the data folder's store, created (with the folder) when there is
    /// none. Only a store this call creates gets the demo — its catalogue, shop details and
    /// staff — and only without `--no-demo`; otherwise it is recorded as a real store. A store
    /// that exists is never given demo data, however empty it is.
    pub fn open_store(&self) -> StoreResult<Store> {
        std::fs::create_dir_all(&self.data_dir).map_err(|_| crate::store::StoreError::ReadOnly)?;
        let mut store = Store::open_in(&self.data_dir)?;
        if !store.is_new() {
            return Ok(store);
        }
        if !self.seed_demo {
            store.set_store_kind(StoreKind::Real)?;
            let store_id = crate::store::node::default_store_id();
            store.set_node_identity(Some(&store_id), None, None)?;
            return Ok(store);
        }
        // Recorded first: a start cut short while seeding leaves a partial demo, never a
        // "real" store holding demo rows.
        store.set_store_kind(StoreKind::Demo)?;
        let now = Utc::now();
        store.seed_demo(DEMO_PRODUCTS_CSV, now)?;
        store.seed_demo_gift_packs(DEMO_GIFT_PACKS_CSV, now)?;
        store.save_shop_settings(&ShopSettings::demo())?;
        store.save_invoice_settings(&InvoiceSettings::demo())?;
        for (name, role, pin) in DEMO_STAFF {
            store.create_staff(name, role, pin, now)?;
        }
        Ok(store)
    }

    /// Whether the data folder holds a store yet.
    pub fn has_store(&self) -> bool {
        self.data_dir.join(DATABASE_FILE).exists()
    }
}
