//! The outbox: records queued for a destination in the transaction that made them, what became
//! of each (append-only events), and the sender's work lists beside them.
//!
//! The sender runs on a thread of its own with a connection of its own, an [`Outbox`], opened
//! for each short piece of work and never held while the network is waited on. The window and
//! the commands read the queue through the [`Store`].

use super::settings::read_invoice_settings;
use super::{SCHEMA_VERSION, Store, StoreError, StoreResult, parse_timestamp, timestamp};
use crate::core::clock::local_date;
use crate::core::delivery::{
    Blocked, DayDelivery, DeliveryEvent, DeliveryState, Destination, InvoiceDelivery, QueueSummary,
    Refusal, SendSettings,
};
use crate::core::einvoice::{EInvoice, InvoiceNumbers, InvoiceSettings};
use crate::core::report::Period;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};
use std::path::Path;
use std::time::Duration;

/// The kind of an outbox row that is a cash-register invoice.
const EINVOICE_RECORD: &str = "einvoice";

/// Settings keys of sending carry this prefix.
pub(crate) const SEND_PREFIX: &str = "send.";

/// What the provider knows an invoice by: its MCCQT, or `1K26MAA-00000012` without one (the
/// migration that queued earlier invoices spells the same in SQL).
pub fn invoice_key(numbers: &InvoiceNumbers) -> String {
    numbers.authority_code.clone().unwrap_or_else(|| {
        format!(
            "{}{}-{:08}",
            numbers.template, numbers.series, numbers.number
        )
    })
}

/// Queues an invoice just issued for the tax authority, in the transaction that issued it: it
/// is queued with the sale (or refund, or correction) or not at all. The demo's never go.
pub(crate) fn queue_einvoice(
    tx: &Transaction<'_>,
    einvoice_id: i64,
    invoice: &EInvoice,
) -> StoreResult<()> {
    if invoice.demo {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO outbox (destination, record_kind, record_id, idempotency_key, local_date,
                             queued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        Destination::TaxAuthority.code(),
        EINVOICE_RECORD,
        einvoice_id,
        invoice_key(&invoice.numbers),
        local_date(invoice.issued_at).to_string(),
        timestamp(invoice.issued_at),
    ])?;
    tx.prepare_cached("INSERT INTO outbox_queue (outbox_id) VALUES (?1)")?
        .execute([tx.last_insert_rowid()])?;
    Ok(())
}

/// The sending settings; fields never set keep their defaults.
pub(crate) fn read_send_settings(conn: &Connection) -> StoreResult<SendSettings> {
    let mut stmt = conn
        .prepare_cached("SELECT key, value FROM settings WHERE key > 'send.' AND key < 'send/'")?;
    let mut rows = stmt.query([])?;
    let mut settings = SendSettings::default();
    while let Some(row) = rows.next()? {
        let key: String = row.get(0)?;
        let value: String = row.get(1)?;
        settings = settings
            .with_field(&key[SEND_PREFIX.len()..], &value)
            .map_err(|e| StoreError::Corrupt(format!("setting {key}: {e:?}")))?;
    }
    Ok(settings)
}

/// An invoice waiting in the queue, as it goes out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedInvoice {
    pub outbox_id: i64,
    /// What the provider knows it by.
    pub key: String,
    pub template: u8,
    pub series: String,
    pub number: i64,
    pub local_date: NaiveDate,
    /// The XML exactly as issued.
    pub xml: String,
}

impl QueuedInvoice {
    /// `1C26MAA-00000012`.
    pub fn reference(&self) -> String {
        format!("{}{}-{:08}", self.template, self.series, self.number)
    }
}

/// The tax authority's verdict on an invoice the provider passed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    Rejected(String),
}

const QUEUED_INVOICES: &str = "
    SELECT o.id, o.idempotency_key, e.template, e.series, e.number, o.local_date, e.xml
      FROM outbox_queue q
      JOIN outbox o ON o.id = q.outbox_id
      JOIN einvoices e ON e.id = o.record_id AND o.record_kind = 'einvoice'";

fn read_queued(row: &rusqlite::Row<'_>) -> rusqlite::Result<(QueuedInvoice, String)> {
    let day: String = row.get(5)?;
    Ok((
        QueuedInvoice {
            outbox_id: row.get(0)?,
            key: row.get(1)?,
            template: row.get(2)?,
            series: row.get(3)?,
            number: row.get(4)?,
            local_date: NaiveDate::default(),
            xml: row.get(6)?,
        },
        day,
    ))
}

fn with_day((mut invoice, day): (QueuedInvoice, String)) -> StoreResult<QueuedInvoice> {
    invoice.local_date = day
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("outbox day {day:?}")))?;
    Ok(invoice)
}

/// The sender's connection to the store.
pub struct Outbox {
    conn: Connection,
}

impl Outbox {
    /// Opens the store's database for sending. A database of another version is left alone:
    /// the window's store has migrated it, or a newer program owns it.
    pub fn open(path: &Path) -> StoreResult<Outbox> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let version: i32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version < SCHEMA_VERSION {
            return Err(StoreError::Corrupt(format!(
                "schema version {version}: the store is opened (and upgraded) before sending"
            )));
        }
        Ok(Outbox { conn })
    }

    pub fn send_settings(&self) -> StoreResult<SendSettings> {
        read_send_settings(&self.conn)
    }

    pub fn invoice_settings(&self) -> StoreResult<InvoiceSettings> {
        read_invoice_settings(&self.conn)
    }

    /// How many invoices wait for `destination` (of `day` only, when given).
    pub fn queued_count(
        &self,
        destination: Destination,
        day: Option<NaiveDate>,
    ) -> StoreResult<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM outbox_queue q JOIN outbox o ON o.id = q.outbox_id
              WHERE o.destination = ?1 AND (?2 IS NULL OR o.local_date = ?2)",
            params![destination.code(), day.map(|d| d.to_string())],
            |row| row.get(0),
        )?)
    }

    /// The next batch in issue order: at most `max` invoices, all of one series and one day
    /// (a provider takes one template and series a call; an upload file holds one day), of
    /// `day` only when given.
    pub fn next_batch(
        &self,
        destination: Destination,
        max: usize,
        day: Option<NaiveDate>,
    ) -> StoreResult<Vec<QueuedInvoice>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{QUEUED_INVOICES}
              WHERE o.destination = ?1 AND (?2 IS NULL OR o.local_date = ?2)
              ORDER BY q.outbox_id LIMIT ?3"
        ))?;
        let rows = stmt.query_map(
            params![
                destination.code(),
                day.map(|d| d.to_string()),
                max.max(1) as i64
            ],
            read_queued,
        )?;
        let mut batch: Vec<QueuedInvoice> = Vec::new();
        for row in rows {
            let invoice = with_day(row?)?;
            if let Some(first) = batch.first()
                && (first.template, &first.series, first.local_date)
                    != (invoice.template, &invoice.series, invoice.local_date)
            {
                break;
            }
            batch.push(invoice);
        }
        Ok(batch)
    }

    /// Where the queue stopped, when the first invoice waiting was refused last time it went.
    pub fn head_refusal(&self, destination: Destination) -> StoreResult<Option<Blocked>> {
        head_blocked(&self.conn, destination)
    }

    /// The invoices of a batch handed over whose answer was never recorded (a lost reply, a
    /// crash), those still waiting.
    pub fn in_flight(&self, destination: Destination) -> StoreResult<Vec<QueuedInvoice>> {
        let range: Option<(i64, i64)> = self
            .conn
            .query_row(
                "SELECT first_id, last_id FROM outbox_in_flight WHERE destination = ?1",
                [destination.code()],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((first, last)) = range else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "{QUEUED_INVOICES}
              WHERE o.destination = ?1 AND q.outbox_id BETWEEN ?2 AND ?3
              ORDER BY q.outbox_id"
        ))?;
        let rows = stmt.query_map(params![destination.code(), first, last], read_queued)?;
        rows.map(|row| with_day(row?)).collect()
    }

    /// Notes a batch as handed over before the call, so that a crash or a lost reply is
    /// followed by a question rather than by sending it again.
    pub fn mark_in_flight(
        &mut self,
        destination: Destination,
        batch: &[QueuedInvoice],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
            return Ok(());
        };
        self.conn.execute(
            "INSERT INTO outbox_in_flight (destination, first_id, last_id, since)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (destination) DO UPDATE
                SET first_id = excluded.first_id, last_id = excluded.last_id,
                    since = excluded.since",
            params![
                destination.code(),
                first.outbox_id,
                last.outbox_id,
                timestamp(at)
            ],
        )?;
        Ok(())
    }

    /// The call's answer is known and recorded: nothing is in flight.
    pub fn clear_in_flight(&mut self, destination: Destination) -> StoreResult<()> {
        clear_in_flight(&self.conn, destination)
    }

    /// The provider took these invoices (its answer for each): they leave the queue and wait
    /// for the tax authority's verdict. One transaction, the in-flight note cleared with it.
    pub fn record_sent(
        &mut self,
        destination: Destination,
        sent: &[(i64, String)],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        for (outbox_id, detail) in sent {
            leave_queue(&tx, *outbox_id)?;
            insert_event(&tx, *outbox_id, DeliveryState::Sent, None, detail, at)?;
            tx.prepare_cached("INSERT INTO outbox_awaiting_verdict (outbox_id) VALUES (?1)")?
                .execute([outbox_id])?;
        }
        clear_in_flight(&tx, destination)?;
        tx.commit()?;
        Ok(())
    }

    /// These invoices went into an upload file (each with the file): they leave the queue,
    /// and no verdict comes back.
    pub fn record_exported(
        &mut self,
        destination: Destination,
        exported: &[(i64, String)],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        for (outbox_id, file) in exported {
            leave_queue(&tx, *outbox_id)?;
            insert_event(&tx, *outbox_id, DeliveryState::Exported, None, file, at)?;
        }
        clear_in_flight(&tx, destination)?;
        tx.commit()?;
        Ok(())
    }

    /// The provider refused this invoice (or the account): it stays first in the queue, which
    /// stops there until the cause is put right.
    pub fn record_refused(
        &mut self,
        destination: Destination,
        outbox_id: i64,
        refusal: &Refusal,
        detail: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        insert_event(
            &tx,
            outbox_id,
            DeliveryState::Refused,
            Some(refusal),
            detail,
            at,
        )?;
        clear_in_flight(&tx, destination)?;
        tx.commit()?;
        Ok(())
    }

    /// Invoices sent whose verdict is still to come, oldest first, with their keys.
    pub fn awaiting_verdict(
        &self,
        destination: Destination,
        max: usize,
    ) -> StoreResult<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.id, o.idempotency_key FROM outbox_awaiting_verdict a
               JOIN outbox o ON o.id = a.outbox_id
              WHERE o.destination = ?1 ORDER BY a.outbox_id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![destination.code(), max as i64], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The tax authority's verdicts, each with what the provider said.
    pub fn record_verdicts(
        &mut self,
        verdicts: &[(i64, Verdict, String)],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        for (outbox_id, verdict, detail) in verdicts {
            let removed = tx
                .prepare_cached("DELETE FROM outbox_awaiting_verdict WHERE outbox_id = ?1")?
                .execute([outbox_id])?;
            if removed == 0 {
                continue;
            }
            match verdict {
                Verdict::Accepted => {
                    insert_event(&tx, *outbox_id, DeliveryState::Accepted, None, detail, at)?
                }
                Verdict::Rejected(reason) => insert_event(
                    &tx,
                    *outbox_id,
                    DeliveryState::Rejected,
                    Some(&Refusal::ByTaxAuthority(reason.clone())),
                    detail,
                    at,
                )?,
            }
        }
        tx.commit()?;
        Ok(())
    }
}

fn leave_queue(tx: &Transaction<'_>, outbox_id: i64) -> StoreResult<()> {
    let removed = tx
        .prepare_cached("DELETE FROM outbox_queue WHERE outbox_id = ?1")?
        .execute([outbox_id])?;
    if removed == 0 {
        // Recorded once only: a second sender (a command beside the window) got there first.
        return Err(StoreError::Corrupt(format!(
            "outbox record {outbox_id} is not waiting"
        )));
    }
    Ok(())
}

fn insert_event(
    tx: &Transaction<'_>,
    outbox_id: i64,
    state: DeliveryState,
    refusal: Option<&Refusal>,
    detail: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO outbox_events (outbox_id, at, state, reason, detail)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        outbox_id,
        timestamp(at),
        state.code(),
        refusal.map(Refusal::code),
        detail
    ])?;
    Ok(())
}

fn clear_in_flight(conn: &Connection, destination: Destination) -> StoreResult<()> {
    conn.prepare_cached("DELETE FROM outbox_in_flight WHERE destination = ?1")?
        .execute([destination.code()])?;
    Ok(())
}

/// The latest event of a record.
fn latest_event(conn: &Connection, outbox_id: i64) -> StoreResult<Option<DeliveryEvent>> {
    conn.prepare_cached(
        "SELECT at, state, reason, detail FROM outbox_events WHERE outbox_id = ?1
          ORDER BY id DESC LIMIT 1",
    )?
    .query_row([outbox_id], read_event)
    .optional()?
    .transpose()
}

fn read_event(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoreResult<DeliveryEvent>> {
    let (at, state, reason, detail): (String, String, Option<String>, String) =
        (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
    Ok((|| {
        Ok(DeliveryEvent {
            at: parse_timestamp(&at)?,
            state: DeliveryState::from_code(&state)
                .ok_or_else(|| StoreError::Corrupt(format!("delivery state {state:?}")))?,
            refusal: reason
                .map(|code| {
                    Refusal::from_code(&code)
                        .ok_or_else(|| StoreError::Corrupt(format!("refusal {code:?}")))
                })
                .transpose()?,
            detail,
        })
    })())
}

/// The first invoice waiting, when its last try was refused: where the queue stopped.
fn head_blocked(conn: &Connection, destination: Destination) -> StoreResult<Option<Blocked>> {
    let head: Option<(i64, u8, String, i64)> = conn
        .prepare_cached(
            "SELECT o.id, e.template, e.series, e.number
               FROM outbox_queue q
               JOIN outbox o ON o.id = q.outbox_id
               JOIN einvoices e ON e.id = o.record_id AND o.record_kind = 'einvoice'
              WHERE o.destination = ?1 ORDER BY q.outbox_id LIMIT 1",
        )?
        .query_row([destination.code()], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .optional()?;
    let Some((outbox_id, template, series, number)) = head else {
        return Ok(None);
    };
    Ok(match latest_event(conn, outbox_id)? {
        Some(DeliveryEvent {
            state: DeliveryState::Refused,
            refusal: Some(refusal),
            detail,
            at,
        }) => Some(Blocked {
            reference: format!("{template}{series}-{number:08}"),
            refusal,
            detail,
            at,
        }),
        _ => None,
    })
}

impl Store {
    /// How the shop sends its invoices.
    pub fn send_settings(&self) -> StoreResult<SendSettings> {
        read_send_settings(&self.conn)
    }

    /// The invoices not handed over yet: how many, the oldest, and where the queue stopped.
    pub fn delivery_summary(&self) -> StoreResult<QueueSummary> {
        let destination = Destination::TaxAuthority;
        let (unsent, first): (i64, Option<i64>) = self.conn.query_row(
            "SELECT count(*), min(q.outbox_id)
               FROM outbox_queue q JOIN outbox o ON o.id = q.outbox_id
              WHERE o.destination = ?1",
            [destination.code()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        // Rows are queued in issue order: the first waiting is the oldest.
        let oldest: Option<String> = first
            .map(|id| {
                self.conn
                    .query_row("SELECT queued_at FROM outbox WHERE id = ?1", [id], |row| {
                        row.get(0)
                    })
            })
            .transpose()?;
        Ok(QueueSummary {
            unsent,
            oldest: oldest.as_deref().map(parse_timestamp).transpose()?,
            blocked: head_blocked(&self.conn, destination)?,
        })
    }

    /// The invoices of a period's days: handed over and not.
    pub fn delivery_in_period(&self, period: Period) -> StoreResult<DayDelivery> {
        day_delivery(&self.conn, period.from, period.to)
    }

    /// Everything known about an invoice's delivery; None for an invoice that is not sent
    /// (the demo's) or not known.
    pub fn invoice_delivery(&self, reference: &str) -> StoreResult<Option<InvoiceDelivery>> {
        let Some(invoice) = self.einvoice(reference)? else {
            return Ok(None);
        };
        let key = invoice_key(&invoice.numbers);
        let found: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM outbox WHERE destination = ?1 AND idempotency_key = ?2",
                params![Destination::TaxAuthority.code(), key],
                |row| row.get(0),
            )
            .optional()?;
        let Some(outbox_id) = found else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, state, reason, detail FROM outbox_events WHERE outbox_id = ?1
              ORDER BY id",
        )?;
        let events = stmt
            .query_map([outbox_id], read_event)?
            .map(|row| row?)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Some(InvoiceDelivery {
            reference: invoice.reference(),
            key,
            state: events
                .last()
                .map_or(DeliveryState::Waiting, |event| event.state),
            events,
        }))
    }
}

/// The invoices of the days `from` to `to`: handed over (exported among them) and unsent.
pub(crate) fn day_delivery(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<DayDelivery> {
    let (total, unsent, exported): (i64, i64, i64) = conn
        .prepare_cached(
            "SELECT count(*),
                    coalesce(sum(EXISTS (SELECT 1 FROM outbox_queue q WHERE q.outbox_id = o.id)), 0),
                    coalesce(sum(EXISTS (SELECT 1 FROM outbox_events e
                                          WHERE e.outbox_id = o.id AND e.state = 'exported')), 0)
               FROM outbox o
              WHERE o.destination = ?1 AND o.local_date BETWEEN ?2 AND ?3",
        )?
        .query_row(
            params![
                Destination::TaxAuthority.code(),
                from.to_string(),
                to.to_string()
            ],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
    Ok(DayDelivery {
        handed_over: total - unsent,
        exported,
        unsent,
    })
}

/// Records a Z close's day's invoices with the close, in its transaction.
pub(crate) fn record_z_delivery(
    tx: &Transaction<'_>,
    session_id: i64,
    day: NaiveDate,
) -> StoreResult<DayDelivery> {
    let delivery = day_delivery(tx, day, day)?;
    tx.prepare_cached(
        "INSERT INTO z_einvoice_delivery (session_id, local_date, handed_over, exported, unsent)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        session_id,
        day.to_string(),
        delivery.handed_over,
        delivery.exported,
        delivery.unsent
    ])?;
    Ok(delivery)
}

/// The day's invoices as a Z close recorded them (none for closes made before sending was).
pub(crate) fn z_delivery(
    conn: &Connection,
    session_id: i64,
) -> StoreResult<Option<(NaiveDate, DayDelivery)>> {
    let row: Option<(String, i64, i64, i64)> = conn
        .prepare_cached(
            "SELECT local_date, handed_over, exported, unsent FROM z_einvoice_delivery
              WHERE session_id = ?1",
        )?
        .query_row([session_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .optional()?;
    row.map(|(day, handed_over, exported, unsent)| {
        Ok((
            day.parse()
                .map_err(|_| StoreError::Corrupt(format!("Z day {day:?}")))?,
            DayDelivery {
                handed_over,
                exported,
                unsent,
            },
        ))
    })
    .transpose()
}
