//! `ocop-pos till-sim`: a counter without a window, for trying several counters and the
//! province hub on one machine. It sells random baskets of the products its data folder knows
//! (paid in cash to the exact đồng) through the same store calls as the checkout, while the same
//! sync worker as the window's pushes and pulls in the background; each receipt number is
//! printed only once its sale is committed. It stops after the sales asked for, or when the
//! stop file appears, and then drains: one last push-then-pull pass, retried until the hub has
//! every document of this counter (or the time allowed runs out).
//!
//! The sales are real documents of the data folder (numbered, chained, synced): the command
//! needs a manager's PIN, audits its start, and sells under the manager's name.

use super::TillSimArgs;
use super::pin::ManagerChange;
use super::{both_languages, refusal};
use crate::core::audit::AuditAct;
use crate::core::cart::Cart;
use crate::core::catalog::Product;
use crate::core::payment::{PaymentMethod, Tender};
use crate::core::sale::SaleDraft;
use crate::hub::node::StoreOpenedBySync;
use crate::hub::worker::{self, SyncError, SyncPass, SyncStatus, SyncTiming, SyncWorker};
use crate::hub::{Hub, HubError};
use crate::i18n::Notice;
use chrono::Utc;
use rust_decimal::Decimal;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What a run of `till-sim` does.
#[derive(Debug, Clone)]
pub struct TillSimPlan {
    /// Sales to make before stopping (0: only sync and drain).
    pub sales: u64,
    /// The wait after each sale.
    pub pace: Duration,
    /// Selling stops as soon as this file exists.
    pub stop_file: Option<PathBuf>,
    /// The seed of the baskets: the same seed on the same catalogue sells the same baskets.
    pub seed: u64,
    /// How the sync worker (and the drain) pace themselves and wait on the link.
    pub timing: SyncTiming,
    /// How long the drain may retry before giving up.
    pub drain_within: Duration,
}

impl TillSimArgs {
    /// The run the command line asks for (a new seed unless one is given).
    pub fn plan(&self) -> TillSimPlan {
        TillSimPlan {
            sales: self.sales,
            pace: Duration::from_millis(self.pace_ms),
            stop_file: self.stop_file.clone(),
            seed: self.seed.unwrap_or_else(SimRandom::fresh_seed),
            timing: if self.fast_sync {
                FAST_SYNC
            } else {
                SyncTiming::default()
            },
            drain_within: Duration::from_secs(self.drain_secs),
        }
    }
}

/// The worker's timing for tests on one machine: a pass every 300 ms, retries within 2 s, a
/// dead link given up after 5 s, so that faults come and go within seconds.
pub const FAST_SYNC: SyncTiming = SyncTiming {
    every: Duration::from_millis(300),
    first_retry: Duration::from_millis(200),
    longest_wait: Duration::from_secs(2),
    connect_limit: Duration::from_secs(5),
    round_trip_limit: Duration::from_secs(5),
};

/// The line printed for a committed sale: `đã bán / sold RECEIPT TOTAL`.
pub const SOLD_PREFIX: &str = "đã bán / sold ";

/// The start of the line printed when the sync worker's status changes (online, offline,
/// blocked).
pub const HUB_STATUS_PREFIX: &str = "máy chủ tỉnh / hub: ";

/// A small, seedable random source (SplitMix64): baskets and the chaos test's choices are
/// replayed from their seed, with no dependency for it.
#[derive(Debug, Clone)]
pub struct SimRandom(u64);

impl SimRandom {
    pub fn new(seed: u64) -> SimRandom {
        SimRandom(seed)
    }

    /// A seed from the clock and the process id, for a run not asked to replay one.
    pub fn fresh_seed() -> u64 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos() as u64);
        SimRandom(nanos ^ u64::from(std::process::id()).rotate_left(32)).next_u64()
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// An index below `len` (which is not 0).
    pub fn below(&mut self, len: usize) -> usize {
        (self.next_u64() % len as u64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }
}

/// Sells as `plan` says on the manager's data folder while syncing with the hub at `url`,
/// printing each committed sale to `out`; then drains. Says what it did.
pub fn till_sim(
    change: &mut ManagerChange,
    url: &str,
    plan: &TillSimPlan,
    out: &mut dyn Write,
) -> Result<String, String> {
    let identity = change.store.node_identity().map_err(|e| refusal(&e))?;
    let origin = identity.origin();
    change.audit(
        AuditAct::TillSimulation,
        "till-sim",
        "",
        &format!(
            "{} sales, {} ms apart, seed {}",
            plan.sales,
            plan.pace.as_millis(),
            plan.seed
        ),
    )?;
    let products: Vec<Product> = change
        .store
        .catalogue(Utc::now())
        .map_err(|e| refusal(&e))?
        .into_iter()
        .filter(|product| product.price.dong() > 0)
        .collect();
    if plan.sales > 0 && products.is_empty() {
        return Err(format!(
            "máy {origin} chưa biết sản phẩm nào để bán: đồng bộ với máy chủ tỉnh trước \
             (`ocop-pos sync --once`) / node {origin} knows no product to sell: sync with the \
             hub first (`ocop-pos sync --once`)"
        ));
    }
    // The window's worker, on its own connection to the folder.
    let sync = SyncWorker::spawn(
        url.to_string(),
        identity.store.clone(),
        origin.clone(),
        StoreOpenedBySync::new(change.store.path().to_path_buf()),
        plan.timing,
    );
    let mut random = SimRandom::new(plan.seed);
    let cashier = change.manager.name.clone();
    let stop_asked = || plan.stop_file.as_ref().is_some_and(|file| file.exists());
    let mut sold = 0;
    let mut shown = std::mem::discriminant(&SyncStatus::Starting);
    while sold < plan.sales && !stop_asked() {
        let cart = random_basket(&products, &mut random)?;
        let tender = Tender {
            method: PaymentMethod::Cash,
            amount: cart.totals().total,
            reference: None,
        };
        let draft = SaleDraft::new(&cart, vec![tender], &cashier)
            .map_err(|e| both_languages(&Notice::from_draft_error(e)))?;
        let sale = change
            .store
            .commit_sale(&draft, Utc::now())
            .map_err(|e| refusal(&e))?;
        sold += 1;
        // Only now is the sale acknowledged: whoever reads this line may count on it.
        writeln!(
            out,
            "{SOLD_PREFIX}{} {}",
            sale.receipt_no,
            sale.draft.total.dong()
        )
        .and_then(|()| out.flush())
        .map_err(|e| e.to_string())?;
        let status = sync.status();
        if std::mem::discriminant(&status) != shown {
            shown = std::mem::discriminant(&status);
            writeln!(out, "{HUB_STATUS_PREFIX}{}", status_text(&status))
                .and_then(|()| out.flush())
                .map_err(|e| e.to_string())?;
        }
        std::thread::sleep(plan.pace);
    }
    sync.stop();
    let pass = drain(change, url, &identity.store, &origin, plan)?;
    let last = change.store.last_event_seq().map_err(|e| refusal(&e))?;
    Ok(format!(
        "Máy {origin}: đã bán {sold}; máy chủ giữ đến chứng từ {acked}/{last}, đã nhận {pulled} \
         / node {origin}: sold {sold}; the hub holds events up to {acked} of {last}, pulled \
         {pulled} at the end",
        acked = pass.acked,
        pulled = pass.pulled,
    ))
}

fn status_text(status: &SyncStatus) -> String {
    match status {
        SyncStatus::Starting => "đang bắt đầu / starting".to_string(),
        SyncStatus::Online { .. } => "trực tuyến / online".to_string(),
        SyncStatus::Offline { unsent, why, .. } => {
            format!("ngoại tuyến, {unsent} chờ gửi / offline, {unsent} unsent: {why}")
        }
        SyncStatus::Blocked { why } => format!("bị chặn / blocked: {why}"),
    }
}

/// One to three lines of the catalogue: a counted product one to three times, a weighed one
/// 0.100 to 2.000 kg.
fn random_basket(products: &[Product], random: &mut SimRandom) -> Result<Cart, String> {
    let mut cart = Cart::default();
    for _ in 0..random.between(1, 3) {
        let product = &products[random.below(products.len())];
        let quantity = if product.sold_by_weight {
            Decimal::new(random.between(100, 2000) as i64, 3)
        } else {
            Decimal::from(random.between(1, 3))
        };
        cart.add_product(product, quantity)
            .map_err(|e| both_languages(&Notice::Cart(e)))?;
    }
    Ok(cart)
}

/// The last pass, as the worker makes it, retried with the worker's back-off while the hub
/// cannot be reached, until it goes through or `plan.drain_within` has passed.
fn drain(
    change: &mut ManagerChange,
    url: &str,
    store: &str,
    origin: &str,
    plan: &TillSimPlan,
) -> Result<SyncPass, String> {
    let deadline = Instant::now() + plan.drain_within;
    let mut hub =
        Hub::with_time_limits(url, plan.timing.connect_limit, plan.timing.round_trip_limit)
            .map_err(|e| e.to_string())?;
    let mut wait = plan.timing.first_retry;
    loop {
        match worker::sync_once(&mut hub, &mut change.store, store, origin) {
            Ok(pass) => return Ok(pass),
            Err(SyncError::Hub(HubError::Offline(_))) if Instant::now() + wait < deadline => {
                std::thread::sleep(wait);
                wait = (wait * 2).min(plan.timing.longest_wait);
            }
            Err(error) => return Err(error.to_string()),
        }
    }
}
