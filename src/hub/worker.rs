//! The sync worker: a thread of its own that owns the hub client and, over and over, pushes the
//! node's unsent events and pulls the other nodes' events, backing off while the hub cannot be
//! reached. The window (or `ocop-pos sync`) only reads its [`SyncStatus`]; it never waits on
//! the network.
//!
//! The node's side is the [`SyncNode`] trait, so the worker knows nothing of SQLite: the store
//! implements it (the outbox after a seq; the pulled events and the cursor applied in one
//! transaction).

use super::report::Alert;
use super::{CONNECT_LIMIT, Hub, HubCursor, HubError, ROUND_TRIP_LIMIT};
use crate::core::sync_event::SyncEvent;
use chrono::{DateTime, Utc};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// What the worker needs of the node it syncs.
pub trait SyncNode {
    /// Up to `limit` of the node's own events after `seq`, in order.
    fn unsent_after(&mut self, seq: i64, limit: usize) -> Result<Vec<SyncEvent>, String>;
    /// Notes that the hub holds every event of the node's `origin` (its present one or an
    /// earlier one) up to `seq`.
    fn acked(&mut self, origin: &str, seq: i64) -> Result<(), String>;
    /// How many of the node's events, under all its origins, the hub does not hold as far as
    /// the node last heard.
    fn unsent(&mut self) -> Result<i64, String>;
    /// The origins the node wrote under before its present one (a restored or copied folder,
    /// a new node code), whose events still go up. A node that never changed has none.
    fn earlier_origins(&mut self) -> Result<Vec<String>, String> {
        Ok(Vec::new())
    }
    /// Up to `limit` of an earlier origin's events after `seq`, in order.
    fn earlier_after(
        &mut self,
        _origin: &str,
        _seq: i64,
        _limit: usize,
    ) -> Result<Vec<SyncEvent>, String> {
        Ok(Vec::new())
    }
    /// Applies the other nodes' `events` and records `cursor` after them, in one transaction.
    fn apply(&mut self, events: &[SyncEvent], cursor: HubCursor) -> Result<(), String>;
    /// The cursor after the last events applied ([`HubCursor::START`] before the first pull).
    fn cursor(&mut self) -> Result<HubCursor, String>;
}

/// Where syncing stands, for the status light.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncStatus {
    /// Not yet through its first pass.
    Starting,
    /// Everything sent and pulled at `at`.
    Online { at: DateTime<Utc> },
    /// The hub cannot be reached (or the node's store failed) since `since`; `unsent` events
    /// wait on this node (counted from the hub's last acknowledgement the node heard, and kept
    /// up to date while the worker waits to try again).
    Offline {
        since: DateTime<Utc>,
        unsent: i64,
        why: String,
    },
    /// The hub refuses this node until a manager sorts it out.
    Blocked { why: String },
}

/// What one pass moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncPass {
    pub pushed: usize,
    pub pulled: usize,
    /// The seq the hub has every event of this node up to.
    pub acked: i64,
}

/// Why a pass stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    Hub(HubError),
    Node(String),
}

impl From<HubError> for SyncError {
    fn from(error: HubError) -> SyncError {
        SyncError::Hub(error)
    }
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncError::Hub(error) => error.fmt(f),
            SyncError::Node(why) => write!(f, "dữ liệu máy này / this node's data: {why}"),
        }
    }
}

/// How many events go in one batch each way.
pub const BATCH: usize = 500;

/// One push-then-pull pass: every unsent event up to the hub, then every new event of the
/// store's other nodes into the node.
pub fn sync_once(
    hub: &mut Hub,
    node: &mut dyn SyncNode,
    store: &str,
    origin: &str,
) -> Result<SyncPass, SyncError> {
    let mut pass = SyncPass::default();
    // What the folder wrote under an earlier name first: a restore or a copy must not strand
    // the documents it holds that had not gone up yet (the hub takes again what it has).
    for earlier in node.earlier_origins().map_err(SyncError::Node)? {
        let mut acked = hub.acked(&earlier)?;
        loop {
            let batch = node
                .earlier_after(&earlier, acked, BATCH)
                .map_err(SyncError::Node)?;
            if batch.is_empty() {
                break;
            }
            acked = hub.push(&earlier, &batch)?;
            pass.pushed += batch.len();
            if batch.len() < BATCH {
                break;
            }
        }
        node.acked(&earlier, acked).map_err(SyncError::Node)?;
    }
    pass.acked = hub.acked(origin)?;
    loop {
        let batch = node
            .unsent_after(pass.acked, BATCH)
            .map_err(SyncError::Node)?;
        if batch.is_empty() {
            break;
        }
        pass.acked = hub.push(origin, &batch)?;
        pass.pushed += batch.len();
        if batch.len() < BATCH {
            break;
        }
    }
    node.acked(origin, pass.acked).map_err(SyncError::Node)?;
    let mut cursor = node.cursor().map_err(SyncError::Node)?;
    loop {
        let (events, next) = hub.pull(store, origin, cursor, BATCH as i32)?;
        if events.is_empty() {
            break;
        }
        node.apply(&events, next).map_err(SyncError::Node)?;
        pass.pulled += events.len();
        cursor = next;
        if events.len() < BATCH {
            break;
        }
    }
    Ok(pass)
}

/// How often the worker syncs, how far it backs off, and how long it waits on the link.
#[derive(Debug, Clone, Copy)]
pub struct SyncTiming {
    /// Between passes while online.
    pub every: Duration,
    /// The first wait after a failure, doubled after each one up to `longest_wait`.
    pub first_retry: Duration,
    pub longest_wait: Duration,
    /// How long connecting may take, and then each round trip (see [`Hub::with_time_limits`]).
    pub connect_limit: Duration,
    pub round_trip_limit: Duration,
}

impl Default for SyncTiming {
    fn default() -> SyncTiming {
        SyncTiming {
            every: Duration::from_secs(5),
            first_retry: Duration::from_secs(1),
            longest_wait: Duration::from_secs(60),
            connect_limit: CONNECT_LIMIT,
            round_trip_limit: ROUND_TRIP_LIMIT,
        }
    }
}

/// How often, while the hub is away, the worker counts again the events waiting on the node.
const RECOUNT_EVERY: Duration = Duration::from_secs(1);

/// How many of its store's newest hub alerts the worker keeps for the window.
pub const ALERTS_KEPT: i64 = 50;

/// The running worker: its status, its store's newest alerts, and a way to stop it.
/// Dropping it stops the thread and waits for it, so the thread's own connection to the data
/// folder is closed before, say, a restore replaces the file.
pub struct SyncWorker {
    status: Arc<Mutex<SyncStatus>>,
    alerts: Arc<Mutex<Vec<Alert>>>,
    stop: mpsc::Sender<()>,
    thread: Option<JoinHandle<()>>,
}

impl SyncWorker {
    /// Starts syncing `node` (of `store`, as `origin`) with the hub at `url`.
    pub fn spawn(
        url: String,
        store: String,
        origin: String,
        mut node: impl SyncNode + Send + 'static,
        timing: SyncTiming,
    ) -> SyncWorker {
        let status = Arc::new(Mutex::new(SyncStatus::Starting));
        let (stop, stopped) = mpsc::channel();
        let shown = status.clone();
        let alerts = Arc::new(Mutex::new(Vec::new()));
        let alerts_read = alerts.clone();
        let thread = thread::Builder::new()
            .name("hub sync".into())
            .spawn(move || {
                let set = |status: SyncStatus| {
                    *shown.lock().unwrap_or_else(|p| p.into_inner()) = status;
                };
                // A URL that is not one waits for a person, like a block.
                let mut hub = match Hub::with_time_limits(
                    &url,
                    timing.connect_limit,
                    timing.round_trip_limit,
                ) {
                    Ok(hub) => hub,
                    Err(error) => {
                        set(SyncStatus::Blocked {
                            why: error.to_string(),
                        });
                        let _ = stopped.recv();
                        return;
                    }
                };
                // Sales go on while the hub is away: the light's count follows them.
                let recount = |node: &mut dyn SyncNode| {
                    let mut status = shown.lock().unwrap_or_else(|p| p.into_inner());
                    if let SyncStatus::Offline { unsent, .. } = &mut *status
                        && let Ok(now) = node.unsent()
                    {
                        *unsent = now;
                    }
                };
                let mut wait_after_failure = timing.first_retry;
                let mut offline_since: Option<DateTime<Utc>> = None;
                loop {
                    let wait = match sync_once(&mut hub, &mut node, &store, &origin) {
                        Ok(pass) => {
                            offline_since = None;
                            wait_after_failure = timing.first_retry;
                            set(SyncStatus::Online { at: Utc::now() });
                            // Alerts are a manager's reading, not part of the pass: a failed
                            // read keeps the last list and is tried again on the next pass.
                            if let Ok(read) = hub.store_alerts(&store, ALERTS_KEPT) {
                                *alerts_read.lock().unwrap_or_else(|p| p.into_inner()) = read;
                            }
                            // A full batch either way: more is waiting, go on at once.
                            if pass.pushed >= BATCH || pass.pulled >= BATCH {
                                Duration::ZERO
                            } else {
                                timing.every
                            }
                        }
                        Err(SyncError::Hub(HubError::Blocked(why) | HubError::Refused(why))) => {
                            set(SyncStatus::Blocked { why });
                            timing.longest_wait
                        }
                        // The hub answered and will answer the same until a person acts (an
                        // event it cannot file, a schema missing or newer, a certificate not
                        // trusted): not "offline".
                        Err(SyncError::Hub(
                            error @ (HubError::Database(_)
                            | HubError::Untrusted(_)
                            | HubError::NotInitialised
                            | HubError::NewerSchema { .. }),
                        )) => {
                            set(SyncStatus::Blocked {
                                why: error.to_string(),
                            });
                            timing.longest_wait
                        }
                        Err(error) => {
                            let since = *offline_since.get_or_insert_with(Utc::now);
                            set(SyncStatus::Offline {
                                since,
                                unsent: node.unsent().unwrap_or(0),
                                why: error.to_string(),
                            });
                            let wait = wait_after_failure;
                            wait_after_failure = (wait_after_failure * 2).min(timing.longest_wait);
                            wait
                        }
                    };
                    let next_pass = Instant::now() + wait;
                    loop {
                        let left = next_pass.saturating_duration_since(Instant::now());
                        match stopped.recv_timeout(left.min(RECOUNT_EVERY)) {
                            Err(RecvTimeoutError::Timeout) => {}
                            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                        }
                        if Instant::now() >= next_pass {
                            break;
                        }
                        recount(&mut node);
                    }
                }
            })
            .expect("the sync thread starts");
        SyncWorker {
            status,
            alerts,
            stop,
            thread: Some(thread),
        }
    }

    pub fn status(&self) -> SyncStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The store's newest alerts at the hub (newest first), as last read after a pass.
    pub fn alerts(&self) -> Vec<Alert> {
        self.alerts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Stops after the round trip under way (each is under a time-out) and waits for that.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for SyncWorker {
    fn drop(&mut self) {
        let _ = self.stop.send(());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
