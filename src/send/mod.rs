//! Talking to the outside: the outbox's records go to their destination. This is the one layer
//! above `store` that opens network connections — always on a thread of its own ([`Worker`])
//! or in a command, every call under a time-out; `core`, `store` and `print` never touch the
//! network, and the window never waits on it.
//!
//! A provider is an adapter behind [`Provider`]: it takes a batch, says what it has of a list
//! of invoices, and codes VAT rates its own way. [`send_pass`] is the one way the queue goes
//! out, whoever runs it: in issue order, in batches of one series and one day, each batch
//! noted as in flight before the call, so that after a lost reply (or a crash) the provider is
//! asked what it has before anything is sent again; the provider's key per invoice refuses a
//! second copy anyway. A temporary failure ends the pass (the worker tries again later, backing
//! off); a refusal stops the queue at the invoice refused, with the reason for the manager.

pub mod export;
pub mod vnpt;
mod worker;

pub use worker::{Activity, SendOutcome, Worker, WorkerState};

use crate::core::delivery::{Blocked, DeliveryState, Destination, ProviderKind, Refusal};
use crate::core::delivery::{RefusalScope, SendSettings};
use crate::core::einvoice::InvoiceSettings;
use crate::store::{Outbox, QueuedInvoice, StoreError, StoreResult, Verdict};
use chrono::{NaiveDate, Utc};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One call's worth of invoices: consecutive in the queue, of one template and series (a
/// provider takes one a call) and of one day (an upload file holds one day).
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    pub template: u8,
    pub series: &'a str,
    pub local_date: NaiveDate,
    pub invoices: &'a [QueuedInvoice],
}

/// What a provider says it has of an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteStatus {
    pub key: String,
    /// The tax authority's verdict, once there is one.
    pub verdict: Option<Verdict>,
    /// What the provider said (its MCCQT, the status code).
    pub detail: String,
}

/// Why a call did not hand its batch over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Nothing reached the provider: no connection, an unknown name, a refused connection, a
    /// file that could not be written.
    NotDelivered(String),
    /// The call may have reached it: the reply was lost, late or garbled, or the server failed
    /// while answering.
    MaybeDelivered(String),
    /// The provider already has an invoice of the batch, under its key (nothing else of the
    /// batch was taken).
    Duplicate(String),
    /// More invoices than the provider takes in one call (what it said).
    TooLarge(String),
    Refused {
        refusal: Refusal,
        detail: String,
    },
}

/// A provider's adapter.
pub trait Provider {
    /// The most invoices one call takes.
    fn max_batch(&self) -> usize;

    /// Hands a batch over; for each invoice handed over, its key and what the provider
    /// answered for it (its number and MCCQT, or the upload file).
    fn send_batch(&mut self, batch: &Batch<'_>) -> Result<Vec<(String, String)>, SendError>;

    /// What the provider has of these invoices (those it does not know are left out).
    fn fetch_status(&mut self, keys: &[&str]) -> Result<Vec<RemoteStatus>, SendError>;

    /// The provider's code for a VAT rate as the tax authority's XML writes it (`8%`, `KCT`,
    /// `KKKNT`). The standard codes unless the provider has its own.
    fn vat_code<'a>(&self, rate: &'a str) -> Cow<'a, str> {
        Cow::Borrowed(rate)
    }

    /// How an invoice handed over counts: sent (a verdict follows) or exported to a file.
    fn hands_over_as(&self) -> DeliveryState {
        DeliveryState::Sent
    }
}

/// The store as a sender reaches it: opened for each short piece of work and never held while
/// a provider is waited on; once stopped, never touched again (the window stops its sender
/// before a restore replaces the file).
pub struct OutboxAccess {
    path: PathBuf,
    /// Held during each piece of work; true once stopped.
    stopped: Mutex<bool>,
}

/// Why a pass could not go on.
#[derive(Debug)]
pub enum PassError {
    Store(StoreError),
    /// The sender was stopped; whatever is in flight is settled by the next pass.
    Stopped,
}

impl From<StoreError> for PassError {
    fn from(error: StoreError) -> PassError {
        PassError::Store(error)
    }
}

impl OutboxAccess {
    pub fn new(database: &Path) -> OutboxAccess {
        OutboxAccess {
            path: database.to_path_buf(),
            stopped: Mutex::new(false),
        }
    }

    /// Runs one short piece of work on a fresh connection.
    pub fn with<T>(
        &self,
        work: impl FnOnce(&mut Outbox) -> StoreResult<T>,
    ) -> Result<T, PassError> {
        let stopped = self
            .stopped
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if *stopped {
            return Err(PassError::Stopped);
        }
        let mut outbox = Outbox::open(&self.path)?;
        Ok(work(&mut outbox)?)
    }

    /// No more work on the store: waits for the piece under way (a few milliseconds, never a
    /// network call) to end.
    pub fn stop(&self) {
        *self
            .stopped
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = true;
    }
}

/// What a pass is asked to do.
#[derive(Debug, Clone, Copy, Default)]
pub struct PassOptions {
    /// Send the invoice the queue stopped at again: the manager says the cause is put right.
    pub retry_refused: bool,
    /// Only this day's invoices (a day's upload file).
    pub day: Option<NaiveDate>,
    /// Also ask the tax authority's verdicts on invoices sent.
    pub verdicts: bool,
}

/// How a pass ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PassEnd {
    /// Nothing (more) waits.
    Emptied,
    /// The queue stops at a refused invoice.
    Blocked(Box<Blocked>),
    /// A temporary failure: the queue goes on later.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassReport {
    /// Invoices handed over (sent or exported) in this pass.
    pub handed_over: usize,
    /// Verdicts of the tax authority recorded.
    pub verdicts: usize,
    pub end: PassEnd,
}

/// Sends what waits for the tax authority through `provider`, in issue order; `progress` hears
/// how many of how many are done.
pub fn send_pass(
    db: &OutboxAccess,
    provider: &mut dyn Provider,
    options: PassOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<PassReport, PassError> {
    let destination = Destination::TaxAuthority;
    let mut report = PassReport {
        handed_over: 0,
        verdicts: 0,
        end: PassEnd::Emptied,
    };
    // A batch whose answer was lost: the provider says what it took before anything goes again.
    let in_flight = db.with(|outbox| outbox.in_flight(destination))?;
    if let Some(first) = in_flight.first() {
        match settle(db, provider, &in_flight)? {
            Ok(found) => report.handed_over += found,
            Err(error) => return unsettled(db, report, first, error),
        }
    }
    let total = db.with(|outbox| outbox.queued_count(destination, options.day))? as usize;
    progress(0, total);
    if !options.retry_refused
        && let Some(blocked) = db.with(|outbox| outbox.head_refusal(destination))?
    {
        report.end = PassEnd::Blocked(Box::new(blocked));
        return Ok(report);
    }
    let mut max = provider.max_batch().max(1);
    // After a batch was refused for one of its invoices: one at a time up to its last, to stop
    // at the very invoice refused.
    let mut singles_until: Option<i64> = None;
    let mut sent = 0;
    loop {
        let limit = if singles_until.is_some() { 1 } else { max };
        let batch = db.with(|outbox| outbox.next_batch(destination, limit, options.day))?;
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
            break;
        };
        if singles_until.is_some_and(|until| first.outbox_id > until) {
            singles_until = None;
            continue;
        }
        db.with(|outbox| outbox.mark_in_flight(destination, &batch, Utc::now()))?;
        let call = Batch {
            template: first.template,
            series: &first.series,
            local_date: first.local_date,
            invoices: &batch,
        };
        match provider.send_batch(&call) {
            Ok(answers) => {
                let taken = record_handed(db, provider.hands_over_as(), &batch, &answers)?;
                sent += taken;
                report.handed_over += taken;
                progress(sent, total);
                if taken < batch.len() {
                    report.end = PassEnd::Failed(format!(
                        "the provider answered for {taken} of {} invoices",
                        batch.len()
                    ));
                    return Ok(report);
                }
            }
            Err(SendError::NotDelivered(error)) => {
                db.with(|outbox| outbox.clear_in_flight(destination))?;
                report.end = PassEnd::Failed(error);
                return Ok(report);
            }
            // Left in flight: the next pass asks first.
            Err(SendError::MaybeDelivered(error)) => {
                report.end = PassEnd::Failed(error);
                return Ok(report);
            }
            Err(SendError::Duplicate(detail)) => match settle(db, provider, &batch)? {
                Err(error) => return unsettled(db, report, first, error),
                Ok(0) if batch.len() == 1 => {
                    let refusal = Refusal::DuplicateNotFound;
                    return refuse(db, report, first, refusal, &detail);
                }
                Ok(found) => {
                    sent += found;
                    report.handed_over += found;
                    progress(sent, total);
                    if found < batch.len() {
                        singles_until = Some(last.outbox_id);
                    }
                }
            },
            Err(SendError::TooLarge(_)) if batch.len() > 1 => {
                db.with(|outbox| outbox.clear_in_flight(destination))?;
                max = batch.len() / 2;
            }
            // Even one is too many: nothing smaller to try.
            Err(SendError::TooLarge(detail)) => {
                let refusal = Refusal::Other(detail.clone());
                return refuse(db, report, first, refusal, &detail);
            }
            Err(SendError::Refused { refusal, detail }) => {
                if refusal.scope() == RefusalScope::Account || batch.len() == 1 {
                    return refuse(db, report, first, refusal, &detail);
                }
                db.with(|outbox| outbox.clear_in_flight(destination))?;
                singles_until = Some(last.outbox_id);
            }
        }
    }
    if options.verdicts {
        report.verdicts = fetch_verdicts(db, provider)?;
    }
    Ok(report)
}

/// Records a batch handed over with each invoice's answer; gives how many were.
fn record_handed(
    db: &OutboxAccess,
    state: DeliveryState,
    batch: &[QueuedInvoice],
    answers: &[(String, String)],
) -> Result<usize, PassError> {
    let handed: Vec<(i64, String)> = batch
        .iter()
        .filter_map(|invoice| {
            answers
                .iter()
                .find(|(key, _)| *key == invoice.key)
                .map(|(_, detail)| (invoice.outbox_id, detail.clone()))
        })
        .collect();
    let destination = Destination::TaxAuthority;
    db.with(|outbox| match state {
        DeliveryState::Exported => outbox.record_exported(destination, &handed, Utc::now()),
        _ => outbox.record_sent(destination, &handed, Utc::now()),
    })?;
    Ok(handed.len())
}

/// Asks the provider which invoices of a batch it already has and records those as handed
/// over; gives how many, or why the provider did not say.
fn settle(
    db: &OutboxAccess,
    provider: &mut dyn Provider,
    batch: &[QueuedInvoice],
) -> Result<Result<usize, SendError>, PassError> {
    let keys: Vec<&str> = batch.iter().map(|invoice| invoice.key.as_str()).collect();
    let known = match provider.fetch_status(&keys) {
        Ok(known) => known,
        Err(error) => return Ok(Err(error)),
    };
    let answers: Vec<(String, String)> = known
        .into_iter()
        .map(|status| (status.key, status.detail))
        .collect();
    let found = record_handed(db, provider.hands_over_as(), batch, &answers)?;
    db.with(|outbox| outbox.clear_in_flight(Destination::TaxAuthority))?;
    Ok(Ok(found))
}

/// The provider would not say what it has of a batch: a refusal of the account stops the queue
/// at its first invoice; anything else is tried again later (the batch stays in flight).
fn unsettled(
    db: &OutboxAccess,
    mut report: PassReport,
    first: &QueuedInvoice,
    error: SendError,
) -> Result<PassReport, PassError> {
    match error {
        SendError::Refused { refusal, detail } => refuse(db, report, first, refusal, &detail),
        SendError::NotDelivered(error) | SendError::MaybeDelivered(error) => {
            report.end = PassEnd::Failed(error);
            Ok(report)
        }
        SendError::Duplicate(detail) => {
            report.end = PassEnd::Failed(detail);
            Ok(report)
        }
        SendError::TooLarge(detail) => {
            report.end = PassEnd::Failed(detail);
            Ok(report)
        }
    }
}

/// Records a refusal at `invoice`: the queue stops there.
fn refuse(
    db: &OutboxAccess,
    mut report: PassReport,
    invoice: &QueuedInvoice,
    refusal: Refusal,
    detail: &str,
) -> Result<PassReport, PassError> {
    db.with(|outbox| {
        outbox.record_refused(
            Destination::TaxAuthority,
            invoice.outbox_id,
            &refusal,
            detail,
            Utc::now(),
        )
    })?;
    report.end = PassEnd::Blocked(Box::new(Blocked {
        reference: invoice.reference(),
        refusal,
        detail: detail.to_string(),
        at: Utc::now(),
    }));
    Ok(report)
}

/// Asks the verdicts of invoices sent, a batch at a time; gives how many came. A provider that
/// cannot say now is asked again next time.
fn fetch_verdicts(db: &OutboxAccess, provider: &mut dyn Provider) -> Result<usize, PassError> {
    let waiting =
        db.with(|outbox| outbox.awaiting_verdict(Destination::TaxAuthority, provider.max_batch()))?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let keys: Vec<&str> = waiting.iter().map(|(_, key)| key.as_str()).collect();
    let Ok(statuses) = provider.fetch_status(&keys) else {
        return Ok(0);
    };
    let verdicts: Vec<(i64, Verdict, String)> = statuses
        .into_iter()
        .filter_map(|status| {
            let (outbox_id, _) = waiting.iter().find(|(_, key)| *key == status.key)?;
            Some((*outbox_id, status.verdict?, status.detail))
        })
        .collect();
    db.with(|outbox| outbox.record_verdicts(&verdicts, Utc::now()))?;
    Ok(verdicts.len())
}

/// Why the settings do not let invoices go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotConfigured {
    /// No provider chosen.
    NoProvider,
    /// The chosen provider needs these settings.
    Missing(Vec<&'static str>),
}

/// The adapter the settings choose; upload files go to `export_dir` (or the settings' folder,
/// or `einvoice-export/` in the data folder).
pub fn provider_for(
    settings: &SendSettings,
    invoices: &InvoiceSettings,
    data_dir: &Path,
) -> Result<Box<dyn Provider>, NotConfigured> {
    match settings.provider {
        ProviderKind::None => Err(NotConfigured::NoProvider),
        ProviderKind::File => Ok(Box::new(export::FileExport::new(
            export::export_dir(settings, data_dir),
            settings,
            invoices,
        ))),
        ProviderKind::Vnpt => {
            let missing = settings.missing();
            if missing.is_empty() {
                Ok(Box::new(vnpt::Vnpt::new(settings)))
            } else {
                Err(NotConfigured::Missing(missing))
            }
        }
    }
}
