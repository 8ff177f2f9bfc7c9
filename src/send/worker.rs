//! The sender's own thread. The window starts it, tells it when invoices were issued or the
//! manager wants them sent now, and reads how it is doing; it never waits on it.
//!
//! The thread sends whenever there is something to send (and every half minute in case another
//! program queued some), waits out a failure before trying again (5 s, doubling up to 5
//! minutes), and leaves a queue stopped at a refusal alone until the manager sends again or the
//! sending settings change. Upload files are written only when asked (sending now, closing the
//! day), never behind the manager's back.

use super::{NotConfigured, OutboxAccess, PassEnd, PassError, PassOptions, PassReport};
use super::{provider_for, send_pass};
use crate::core::delivery::{ProviderKind, SendSettings, retry_delay};
use chrono::{DateTime, Utc};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the thread looks at the queue with nothing to tell it.
const POLL: Duration = Duration::from_secs(30);
/// How often the tax authority's verdicts are asked for.
const VERDICTS_EVERY: Duration = Duration::from_secs(300);

/// What the window asks of the thread.
enum Request {
    /// Invoices were issued: send them, unless a failure is being waited out.
    NewWork,
    /// The sending settings changed: try now, whatever failure is being waited out.
    SettingsChanged,
    /// The manager asks: send now, the invoice the queue stopped at too, then say how it went.
    Now(Option<Box<dyn FnOnce(SendOutcome) + Send>>),
}

/// How a pass the manager asked for went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    Passed(PassReport),
    NotConfigured(NotConfigured),
    /// The store could not be read or written.
    Failed(String),
}

/// What the thread is doing, for the top bar.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Activity {
    /// Nothing to do, or nothing tried yet.
    #[default]
    Idle,
    Sending {
        done: usize,
        total: usize,
    },
    /// The last try failed (since `since`); the next is at `retry_at`.
    Waiting {
        error: String,
        since: DateTime<Utc>,
        retry_at: DateTime<Utc>,
    },
    NotConfigured(NotConfigured),
    /// Upload files are written when the manager asks (sending now, closing the day).
    ExportWhenAsked,
    /// The queue stopped at a refusal (the store says which and why).
    Blocked,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkerState {
    pub activity: Activity,
}

/// The window's handle on the sender's thread. Dropping it stops the thread: it touches the
/// store no more (it may still be waiting on a provider, which its time-out ends).
pub struct Worker {
    requests: mpsc::Sender<Request>,
    state: Arc<Mutex<WorkerState>>,
    access: Arc<OutboxAccess>,
}

impl Worker {
    /// Starts the thread on the store's database; upload files default to `data_dir`'s folder.
    pub fn start(database: PathBuf, data_dir: PathBuf) -> Worker {
        let (requests, received) = mpsc::channel();
        let state = Arc::new(Mutex::new(WorkerState::default()));
        let access = Arc::new(OutboxAccess::new(&database));
        let thread = Thread {
            access: access.clone(),
            state: state.clone(),
            data_dir,
            failures: 0,
            retry_at: None,
            failing_since: None,
            blocked_under: None,
            verdicts_at: None,
        };
        std::thread::Builder::new()
            .name("einvoice-sender".into())
            .spawn(move || thread.run(received))
            .expect("a thread starts");
        Worker {
            requests,
            state,
            access,
        }
    }

    /// Invoices were issued.
    pub fn wake(&self) {
        let _ = self.requests.send(Request::NewWork);
    }

    /// The sending settings changed: a fix is tried at once.
    pub fn settings_changed(&self) {
        let _ = self.requests.send(Request::SettingsChanged);
    }

    /// Send now (the refused invoice too); `done` hears how it went, on the sender's thread.
    pub fn send_now(&self, done: impl FnOnce(SendOutcome) + Send + 'static) {
        let _ = self.requests.send(Request::Now(Some(Box::new(done))));
    }

    pub fn state(&self) -> WorkerState {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Stops the thread's work on the store (waiting only for a piece under way, never for a
    /// provider).
    pub fn stop(&self) {
        self.access.stop();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop();
    }
}

struct Thread {
    access: Arc<OutboxAccess>,
    state: Arc<Mutex<WorkerState>>,
    data_dir: PathBuf,
    failures: u32,
    retry_at: Option<Instant>,
    failing_since: Option<DateTime<Utc>>,
    /// The settings the queue stopped under: a refused invoice is tried again when they change
    /// (and once at start, when nothing is known).
    blocked_under: Option<u64>,
    verdicts_at: Option<Instant>,
}

impl Thread {
    fn run(mut self, requests: mpsc::Receiver<Request>) {
        loop {
            let wait = self
                .retry_at
                .map_or(POLL, |at| at.saturating_duration_since(Instant::now()));
            let (manual, reply) = match requests.recv_timeout(wait) {
                Ok(Request::Now(reply)) => (true, reply),
                Ok(Request::NewWork) if self.retry_at.is_some_and(|at| Instant::now() < at) => {
                    continue;
                }
                Ok(Request::NewWork | Request::SettingsChanged)
                | Err(RecvTimeoutError::Timeout) => (false, None),
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let outcome = match self.pass(manual) {
                Ok(outcome) => outcome,
                Err(PassError::Stopped) => return,
                Err(PassError::Store(error)) => Some(SendOutcome::Failed(error.to_string())),
            };
            if let (Some(reply), Some(outcome)) = (reply, outcome) {
                reply(outcome);
            }
        }
    }

    fn set(&self, activity: Activity) {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .activity = activity;
    }

    /// One pass; `None` when there was nothing to do (upload files not asked for).
    fn pass(&mut self, manual: bool) -> Result<Option<SendOutcome>, PassError> {
        let (settings, invoices) = self
            .access
            .with(|outbox| Ok((outbox.send_settings()?, outbox.invoice_settings()?)))?;
        if settings.provider == ProviderKind::File && !manual {
            self.set(Activity::ExportWhenAsked);
            return Ok(None);
        }
        let mut provider = match provider_for(&settings, &invoices, &self.data_dir) {
            Ok(provider) => provider,
            Err(why) => {
                self.set(Activity::NotConfigured(why.clone()));
                return Ok(Some(SendOutcome::NotConfigured(why)));
            }
        };
        let fingerprint = fingerprint(&settings);
        let options = PassOptions {
            retry_refused: manual || self.blocked_under != Some(fingerprint),
            day: None,
            verdicts: manual
                || self
                    .verdicts_at
                    .is_none_or(|at| at.elapsed() >= VERDICTS_EVERY),
        };
        if options.verdicts {
            self.verdicts_at = Some(Instant::now());
        }
        let state = self.state.clone();
        let report = send_pass(
            &self.access,
            provider.as_mut(),
            options,
            &mut |done, total| {
                if total > 0 {
                    state
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .activity = Activity::Sending { done, total };
                }
            },
        )?;
        match &report.end {
            PassEnd::Emptied => {
                self.recovered();
                self.blocked_under = None;
                self.set(Activity::Idle);
            }
            PassEnd::Blocked(_) => {
                self.recovered();
                self.blocked_under = Some(fingerprint);
                self.set(Activity::Blocked);
            }
            PassEnd::Failed(error) => {
                self.failures += 1;
                let delay = retry_delay(self.failures);
                self.retry_at = Some(Instant::now() + delay);
                let now = Utc::now();
                let since = *self.failing_since.get_or_insert(now);
                self.set(Activity::Waiting {
                    error: error.clone(),
                    since,
                    retry_at: now + chrono::Duration::from_std(delay).unwrap_or_default(),
                });
            }
        }
        Ok(Some(SendOutcome::Passed(report)))
    }

    fn recovered(&mut self) {
        self.failures = 0;
        self.retry_at = None;
        self.failing_since = None;
    }
}

/// Tells one set of sending settings from another (passwords included, never shown).
fn fingerprint(settings: &SendSettings) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for field in SendSettings::FIELDS {
        settings.field(field).hash(&mut hasher);
    }
    hasher.finish()
}
