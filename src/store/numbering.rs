//! Document numbers that outlive the database, so a restored backup never issues a number
//! twice.
//!
//! Every number series lives in `document_counters` (one row per series and year). A restore
//! brings back a database whose counters stand where they stood when the backup was taken,
//! while the receipts, refunds, Z-reports, invoices and receiving notes issued since are in
//! customers' hands. So the highest number ever issued is also kept outside the database:
//! - a small text file in the data folder, [`HIGH_WATER_FILE`], raised after every commit that
//!   took a number, for any series, present or future (a temporary trigger on
//!   `document_counters` notes each number as it is taken, a commit hook hands them over);
//! - the documents folder itself, whose file names carry the numbers (see [`SERIES`]).
//!
//! Before a restore, [`highest_issued`] reads both (and the database being replaced, when it
//! can be read); the restored counters are raised to it, and what the backup does not hold is
//! told as lost, by number.

use super::carts::CART_SERIES;
use super::cash::Z_SERIES;
use super::einvoices::{AUTHORITY_SERIES_PREFIX, NUMBER_SERIES_PREFIX};
use super::invoices::{DEFAULT_SYMBOL, INVOICE_SERIES};
use super::orders::ORDER_SERIES;
use super::receivings::RECEIVING_SERIES;
use super::refunds::REFUND_SERIES;
use super::sales::RECEIPT_SERIES;
use super::sync::Unrecorded;
use super::{INVOICE_SYMBOL_SETTING, StoreResult};
use crate::core::receivable::PaymentKind;
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The file in the data folder that keeps each series' highest number issued.
pub const HIGH_WATER_FILE: &str = "document-numbers.txt";

/// The mark of an incarnation's last sync event (`sync:{incarnation}`, year 0): kept with the
/// numbers, so a database copied back by hand over a newer one of the same incarnation is
/// known as such at its next start (`node::check_incarnation`). No counter, no document.
pub const SYNC_MARK_PREFIX: &str = "sync:";

/// The highest number of each series and year: `(series, year) → number`.
pub type Marks = BTreeMap<(String, i32), i64>;

/// How a series writes its numbers, as documents and their file names show them.
#[derive(Debug, Clone, Copy)]
enum Prefix {
    /// `2026-000001`
    Year,
    /// `TH2026-000001`
    Letters(&'static str),
    /// `C26TAA-00000001`: the invoice symbol (a setting, `{yy}` being the year's last two
    /// digits); the files lie in `invoices/YYYY/`.
    InvoiceSymbol,
}

struct SeriesFormat {
    series: &'static str,
    prefix: Prefix,
    digits: usize,
}

/// The series with documents in the data folder, in the order a restore tells them. A series
/// not listed here (one added later) is still kept in the high-water file and raised after a
/// restore; it is only told by its code.
const SERIES: [SeriesFormat; 9] = [
    SeriesFormat {
        series: RECEIPT_SERIES,
        prefix: Prefix::Year,
        digits: 6,
    },
    SeriesFormat {
        series: REFUND_SERIES,
        prefix: Prefix::Letters("TH"),
        digits: 6,
    },
    SeriesFormat {
        series: INVOICE_SERIES,
        prefix: Prefix::InvoiceSymbol,
        digits: 8,
    },
    SeriesFormat {
        series: Z_SERIES,
        prefix: Prefix::Letters("Z"),
        digits: 4,
    },
    SeriesFormat {
        series: RECEIVING_SERIES,
        prefix: Prefix::Letters("PN"),
        digits: 6,
    },
    SeriesFormat {
        series: ORDER_SERIES,
        prefix: Prefix::Letters("DH"),
        digits: 6,
    },
    SeriesFormat {
        series: PaymentKind::Deposit.code(),
        prefix: Prefix::Letters("DC"),
        digits: 6,
    },
    SeriesFormat {
        series: PaymentKind::DepositRefund.code(),
        prefix: Prefix::Letters("PC"),
        digits: 6,
    },
    SeriesFormat {
        series: PaymentKind::Account.code(),
        prefix: Prefix::Letters("PT"),
        digits: 6,
    },
];

/// The folders of the data folder that hold numbered documents.
const DOCUMENT_FOLDERS: [&str; 5] = ["receipts", "invoices", "receivings", "reports", "orders"];
const INVOICE_FOLDER: &str = "invoices";

/// A number as its document shows it: `2026-AB-000041`, `TH2026-AB-000003`, `Z2026-AB-0007`,
/// `PN2026-AB-000002` with the node's code (`node`), the same without it as numbers were
/// before stores had several nodes (`2026-000041`); `C26TAA-00000012`; a series without a
/// known format as `series YEAR/N`.
pub fn document_number(
    series: &str,
    year: i32,
    number: i64,
    invoice_symbol: &str,
    node: &str,
) -> String {
    if let Some(symbol) = series.strip_prefix(NUMBER_SERIES_PREFIX) {
        return format!("{symbol}-{number:08}");
    }
    let Some(format) = SERIES.iter().find(|format| format.series == series) else {
        return format!("{series} {year}/{number}");
    };
    let digits = format.digits;
    let node = if node.is_empty() {
        String::new()
    } else {
        format!("{node}-")
    };
    match format.prefix {
        Prefix::Year => format!("{year}-{node}{number:0digits$}"),
        Prefix::Letters(letters) => format!("{letters}{year}-{node}{number:0digits$}"),
        Prefix::InvoiceSymbol => {
            let symbol = invoice_symbol.replace("{yy}", &format!("{:02}", year % 100));
            format!("{symbol}-{number:0digits$}")
        }
    }
}

/// The series, year and number a document's file name carries: `2026-000041.pdf`,
/// `2026-000041-ban-sao-2.pdf`, `Z2026-0007.pdf`; in `invoices/YYYY/` any
/// `SYMBOL-NNNNNNNN….pdf`. `year_folder` is the name of the folder an invoice lies in.
fn numbered_file(
    file_name: &str,
    in_invoices: bool,
    year_folder: Option<&str>,
) -> Option<(&'static str, i32, i64)> {
    let stem = file_name.strip_suffix(".pdf")?;
    let (prefix, rest) = stem.split_once('-')?;
    let mut parts = rest.split('-');
    // A node's code between the year and the number (`2026-AB-000041`) since stores have
    // several nodes; the counter is this folder's either way.
    let digits = match parts.next()? {
        code if super::node::valid_node_code(code) => parts.next()?,
        digits => digits,
    };
    let number: i64 = all_digits(digits).then(|| digits.parse().ok())??;
    let year_of = |text: &str| -> Option<i32> {
        (text.len() == 4 && all_digits(text))
            .then(|| text.parse().ok())
            .flatten()
    };
    if in_invoices {
        let year = year_of(year_folder?)?;
        // A cash-register invoice's copy starts with its template digit (`1C26MAA-…`); its
        // number is read from its XML file.
        let symbol_ok = prefix.starts_with(|c: char| c.is_ascii_alphabetic())
            && prefix.chars().all(char::is_alphanumeric);
        return symbol_ok.then_some((INVOICE_SERIES, year, number));
    }
    SERIES.iter().find_map(|format| {
        let year = match format.prefix {
            Prefix::Year => year_of(prefix)?,
            Prefix::Letters(letters) => year_of(prefix.strip_prefix(letters)?)?,
            Prefix::InvoiceSymbol => return None,
        };
        Some((format.series, year, number))
    })
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Keeps the larger number of each series.
pub fn merge(into: &mut Marks, from: &Marks) {
    for (key, number) in from {
        let mark = into.entry(key.clone()).or_insert(*number);
        *mark = (*mark).max(*number);
    }
}

fn note(marks: &mut Marks, series: String, year: i32, number: i64) {
    merge(marks, &Marks::from([((series, year), number)]));
}

/// The high-water file's marks; a missing file has none, a garbled line is skipped.
pub fn read_marks(data_dir: &Path) -> Marks {
    let text = std::fs::read_to_string(data_dir.join(HIGH_WATER_FILE)).unwrap_or_default();
    let mut marks = Marks::new();
    for line in text.lines().filter(|line| !line.starts_with('#')) {
        if let [series, year, number] = line.split_whitespace().collect::<Vec<_>>()[..]
            && let (Ok(year), Ok(number)) = (year.parse(), number.parse())
        {
            note(&mut marks, series.to_string(), year, number);
        }
    }
    marks
}

/// One writer at a time in this process; across processes the data folder's lock keeps a
/// second writer of numbers away.
static WRITING_MARKS: Mutex<()> = Mutex::new(());

/// Raises the high-water file to `marks` (never lowers it): read, merged, written under a
/// temporary name and renamed, so the file is always whole.
pub fn raise_marks(data_dir: &Path, marks: &Marks) -> io::Result<()> {
    let _writing = WRITING_MARKS.lock().unwrap_or_else(PoisonError::into_inner);
    let mut all = read_marks(data_dir);
    let before = all.clone();
    merge(&mut all, marks);
    if all == before && data_dir.join(HIGH_WATER_FILE).exists() {
        return Ok(());
    }
    let mut text = String::from(
        "# OCOP POS: the highest number issued in each series (series year number).\n\
         # Kept outside the database so a restored backup never issues a number again.\n",
    );
    for ((series, year), number) in &all {
        text += &format!("{series} {year} {number}\n");
    }
    let file = data_dir.join(HIGH_WATER_FILE);
    let temporary = data_dir.join(format!("{HIGH_WATER_FILE}.{}.part", std::process::id()));
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, file)
}

/// The numbers the documents folder shows were issued, from file names alone.
pub fn documents_marks(data_dir: &Path) -> Marks {
    let mut marks = Marks::new();
    for root in DOCUMENT_FOLDERS {
        let mut folders = vec![data_dir.join(root)];
        while let Some(folder) = folders.pop() {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            let year_folder = folder.file_name().and_then(|name| name.to_str());
            for entry in entries.flatten() {
                let path = entry.path();
                if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                    folders.push(path);
                } else if let Some(name) = path.file_name().and_then(|name| name.to_str()) {
                    if let Some(stem) = name.strip_suffix(".xml") {
                        einvoice_marks(&mut marks, stem, &path);
                    } else if let Some((series, year, number)) =
                        numbered_file(name, root == INVOICE_FOLDER, year_folder)
                    {
                        note(&mut marks, series.to_string(), year, number);
                    }
                }
            }
        }
    }
    marks
}

/// A cash-register invoice's XML file, `1C26MAA-00000123.xml`: its number in its series (the
/// year is the series' two digits) and, read from the file, its MCCQT's counter.
fn einvoice_marks(marks: &mut Marks, stem: &str, path: &Path) {
    let Some((symbol, digits)) = stem.split_once('-') else {
        return;
    };
    let year = symbol.get(2..4).and_then(|yy| yy.parse::<i32>().ok());
    if let (Some(year), true) = (year, all_digits(digits))
        && let Ok(number) = digits.parse()
    {
        note(
            marks,
            format!("{NUMBER_SERIES_PREFIX}{symbol}"),
            2000 + year,
            number,
        );
    }
    let Ok(xml) = std::fs::read_to_string(path) else {
        return;
    };
    let between = |text: &str, open: &str, close: &str| -> Option<String> {
        let start = text.find(open)? + open.len();
        let end = text[start..].find(close)? + start;
        Some(text[start..end].to_string())
    };
    // `M1-26-AB12C-00000001968`, and the seller's tax code: the first MST, in NBan.
    let seller =
        between(&xml, "<NBan>", "</NBan>").and_then(|seller| between(&seller, "<MST>", "</MST>"));
    let code = between(&xml, "<MCCQT>", "</MCCQT>");
    if let (Some(tax_code), Some(code)) = (seller, code) {
        let parts: Vec<&str> = code.split('-').collect();
        if let [_, yy, _, counter] = parts[..]
            && let (Ok(yy), Ok(counter)) = (yy.parse::<i32>(), counter.parse::<i64>())
        {
            note(
                marks,
                format!("{AUTHORITY_SERIES_PREFIX}{tax_code}"),
                2000 + yy,
                counter,
            );
        }
    }
}

/// Every counter of a database.
pub(crate) fn counter_marks(conn: &Connection) -> StoreResult<Marks> {
    let mut stmt = conn.prepare("SELECT series, year, last_number FROM document_counters")?;
    let rows = stmt.query_map([], |row| Ok(((row.get(0)?, row.get(1)?), row.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Raises every counter to at least its mark, so the next number of each series comes after
/// the highest ever issued. Counters are never lowered.
pub(crate) fn raise_counters(conn: &Connection, marks: &Marks) -> StoreResult<()> {
    let mut stmt = conn.prepare(
        "INSERT INTO document_counters (series, year, last_number) VALUES (?1, ?2, ?3)
         ON CONFLICT (series, year) DO UPDATE
            SET last_number = max(last_number, excluded.last_number)",
    )?;
    for ((series, year), number) in marks {
        if !series.starts_with(SYNC_MARK_PREFIX) {
            stmt.execute(params![series, year, number])?;
        }
    }
    Ok(())
}

/// The code of the node a store file belongs to, to tell its numbers; none in a file from
/// before stores had nodes.
pub(crate) fn node_code(conn: &Connection) -> StoreResult<String> {
    Ok(conn
        .query_row(
            "SELECT o.node FROM sync_node n JOIN sync_origins o ON o.id = n.origin_id",
            [],
            |row| row.get(0),
        )
        .optional()
        .or_else(|error| match error {
            // A backup from before version 13 has no such table.
            rusqlite::Error::SqliteFailure(_, Some(message))
                if message.contains("no such table") =>
            {
                Ok(None)
            }
            other => Err(other),
        })?
        .unwrap_or_default())
}

/// Takes the next number of a yearly series in the caller's transaction and writes it as this
/// node's documents show it (`2026-AB-000124`).
pub(crate) fn next_node_number(
    tx: &Connection,
    series: &str,
    year: i32,
) -> StoreResult<(i64, String)> {
    let number = super::sales::next_document_number(tx, series, year)?;
    let node = node_code(tx)?;
    Ok((number, document_number(series, year, number, "", &node)))
}

/// The invoice symbol a store file uses, to tell its invoice numbers.
pub(crate) fn invoice_symbol(conn: &Connection) -> StoreResult<String> {
    Ok(conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [INVOICE_SYMBOL_SETTING],
            |row| row.get(0),
        )
        .optional()?
        .unwrap_or_else(|| DEFAULT_SYMBOL.to_string()))
}

/// A run of numbers of one series and year that a restore takes out of the store: issued
/// (their documents handed out) after the backup was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostNumbers {
    pub series: String,
    pub year: i32,
    pub count: i64,
    /// The first and last number as the documents show them.
    pub first: String,
    pub last: String,
}

/// What restoring a store whose counters are `kept` loses, given the highest numbers ever
/// issued: every number above its series' counter, series by series.
pub(crate) fn lost_numbers(
    kept: &Marks,
    highest: &Marks,
    invoice_symbol: &str,
    node: &str,
) -> Vec<LostNumbers> {
    let order = |series: &str| {
        SERIES
            .iter()
            .position(|format| format.series == series)
            .unwrap_or(SERIES.len())
    };
    // Cart numbers and MCCQT counters are raised too (a transfer note must never name two
    // carts, an MCCQT never repeat) but are no documents of their own: an MCCQT goes with its
    // invoice, which is told.
    let mut lost: Vec<LostNumbers> = highest
        .iter()
        .filter(|((series, _), _)| {
            series != CART_SERIES
                && !series.starts_with(AUTHORITY_SERIES_PREFIX)
                && !series.starts_with(SYNC_MARK_PREFIX)
        })
        .filter_map(|((series, year), highest)| {
            let kept = kept.get(&(series.clone(), *year)).copied().unwrap_or(0);
            (*highest > kept).then(|| LostNumbers {
                series: series.clone(),
                year: *year,
                count: highest - kept,
                first: document_number(series, *year, kept + 1, invoice_symbol, node),
                last: document_number(series, *year, *highest, invoice_symbol, node),
            })
        })
        .collect();
    lost.sort_by_key(|run| (order(&run.series), run.year));
    lost
}

/// Lost numbers as the audit log keeps them: `2026-000004…2026-000005, TH2026-000001`.
pub fn lost_numbers_text(lost: &[LostNumbers]) -> String {
    lost.iter()
        .map(|run| {
            if run.count == 1 {
                run.first.clone()
            } else {
                format!("{}…{}", run.first, run.last)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How long the writer waits for a commit it was told of to show in the database.
const COMMIT_SHOWS_WITHIN: Duration = Duration::from_secs(2);

/// `marks` lowered to what the database shows committed, once it shows them all or after
/// [`COMMIT_SHOWS_WITHIN`]. The commit hook hands the marks over *before* SQLite writes the
/// commit: written at once, a mark could run ahead of a commit that a kill then stops, and the
/// next open would take the database for an older copy put back (a sync mark ahead of the
/// node's last event renews its incarnation, stranding its unsent events under the old one).
/// The chaos test's kills found it. A reader sees a commit only once it is in the log.
fn committed_part(database: &Path, marks: Marks) -> Marks {
    let deadline = Instant::now() + COMMIT_SHOWS_WITHIN;
    let mut shown = Marks::new();
    loop {
        // Read-write (it only reads): once the store's own connection has closed, the WAL's
        // index is gone, and a read-only connection could not make it again.
        if let Ok(reader) = Connection::open_with_flags(
            database,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) {
            shown = marks
                .iter()
                .filter_map(|((series, year), number)| {
                    let committed = committed_number(&reader, series, *year).ok()?;
                    Some(((series.clone(), *year), committed.min(*number)))
                })
                .collect();
        }
        if shown == marks || Instant::now() >= deadline {
            return shown;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The last number of a series as committed: a counter's, or for a sync mark the last event
/// of that incarnation.
fn committed_number(reader: &Connection, series: &str, year: i32) -> rusqlite::Result<i64> {
    let number = match series.strip_prefix(SYNC_MARK_PREFIX) {
        Some(incarnation) => reader
            .query_row(
                "SELECT last_seq FROM sync_origins WHERE incarnation = ?1 AND local = 1",
                [incarnation],
                |row| row.get(0),
            )
            .optional()?,
        None => reader
            .query_row(
                "SELECT last_number FROM document_counters WHERE series = ?1 AND year = ?2",
                params![series, year],
                |row| row.get(0),
            )
            .optional()?,
    };
    Ok(number.unwrap_or(0))
}

/// Ends the high-water writer once its connection is closed (the [`super::Store`] drops its
/// connection first), so every number committed is in the file when the store is gone.
pub(crate) struct Keeper {
    writer: Option<JoinHandle<()>>,
}

impl Drop for Keeper {
    fn drop(&mut self) {
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

/// Keeps the high-water file of `data_dir` up with every number this connection commits.
///
/// A temporary trigger notes each counter as a number is taken; the commit hook hands the
/// notes to a writer thread, and a rollback drops them. The file is written on that thread,
/// not in the commit: the sale's own commit is what makes it durable, and the mark is needed
/// only if this database is later replaced by an older one, when the documents folder tells
/// the same numbers anyway. So the counter never waits for a second file, and a failure to
/// write it never fails a sale.
///
/// The same hook refuses a commit that wrote stock movements without their sync event
/// (`sync::record_event`): the transaction is rolled back instead, so no stock row ever goes
/// unsynced.
pub(crate) fn keep_high_water_marks(
    conn: &Connection,
    data_dir: &Path,
    unrecorded: Unrecorded,
) -> StoreResult<Keeper> {
    let pending = Arc::new(Mutex::new(Marks::new()));
    let noted = Arc::clone(&pending);
    conn.create_scalar_function(
        "ocop_number_taken",
        3,
        FunctionFlags::SQLITE_UTF8,
        move |ctx| {
            let mut marks = noted.lock().unwrap_or_else(PoisonError::into_inner);
            note(&mut marks, ctx.get(0)?, ctx.get(1)?, ctx.get(2)?);
            Ok(0)
        },
    )?;
    conn.execute_batch(
        "CREATE TEMP TRIGGER number_taken_first AFTER INSERT ON main.document_counters
         BEGIN SELECT ocop_number_taken(NEW.series, NEW.year, NEW.last_number); END;
         CREATE TEMP TRIGGER number_taken_next AFTER UPDATE ON main.document_counters
         BEGIN SELECT ocop_number_taken(NEW.series, NEW.year, NEW.last_number); END;
         CREATE TEMP TRIGGER sync_event_taken AFTER UPDATE OF last_seq ON main.sync_origins
         WHEN NEW.local = 1
         BEGIN SELECT ocop_number_taken('sync:' || NEW.incarnation, 0, NEW.last_seq); END;",
    )?;
    let (sender, receiver) = mpsc::channel::<Marks>();
    let committed = Arc::clone(&pending);
    let unrecorded_at_rollback = unrecorded.clone();
    conn.commit_hook(Some(move || {
        if unrecorded.any() {
            // Returning true turns the commit into a rollback; the rollback hook clears both.
            return true;
        }
        let marks = std::mem::take(&mut *committed.lock().unwrap_or_else(PoisonError::into_inner));
        if !marks.is_empty() {
            let _ = sender.send(marks);
        }
        false
    }));
    conn.rollback_hook(Some(move || {
        unrecorded_at_rollback.clear();
        pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }));
    let data_dir: PathBuf = data_dir.to_path_buf();
    let database = conn
        .path()
        .filter(|path| !path.is_empty())
        .map(PathBuf::from);
    let writer = std::thread::spawn(move || {
        while let Ok(mut marks) = receiver.recv() {
            while let Ok(more) = receiver.try_recv() {
                merge(&mut marks, &more);
            }
            if let Some(database) = &database {
                marks = committed_part(database, marks);
            }
            let _ = raise_marks(&data_dir, &marks);
        }
    });
    Ok(Keeper {
        writer: Some(writer),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_from_the_names_they_are_written_in() {
        for format in &SERIES {
            let number = document_number(format.series, 2026, 41, DEFAULT_SYMBOL, "AB");
            let in_invoices = format.series == INVOICE_SERIES;
            let before_nodes = document_number(format.series, 2026, 41, DEFAULT_SYMBOL, "");
            for name in [
                format!("{before_nodes}.pdf"),
                format!("{before_nodes}-ban-sao.pdf"),
                format!("{number}.pdf"),
                format!("{number}-ban-sao.pdf"),
                format!("{number}-2.pdf"),
            ] {
                assert_eq!(
                    numbered_file(&name, in_invoices, Some("2026")),
                    Some((format.series, 2026, 41)),
                    "{name}"
                );
            }
        }
        assert_eq!(
            document_number(RECEIPT_SERIES, 2026, 41, "", "AB"),
            "2026-AB-000041"
        );
        assert_eq!(
            document_number(RECEIPT_SERIES, 2026, 41, "", ""),
            "2026-000041"
        );
        assert_eq!(
            document_number(RECEIVING_SERIES, 2026, 41, "", "AB"),
            "PN2026-AB-000041"
        );
        assert_eq!(
            document_number(Z_SERIES, 2026, 7, "", "AB"),
            "Z2026-AB-0007"
        );
        assert_eq!(
            document_number(INVOICE_SERIES, 2026, 12, DEFAULT_SYMBOL, "AB"),
            "C26TAA-00000012"
        );
        assert_eq!(
            document_number("einvoice", 2026, 3, "", "AB"),
            "einvoice 2026/3"
        );
        for other in [
            "doanh-thu-2026-11-26.pdf",
            "ban-hang-2026-11-26.csv",
            "2026-000001.csv",
            "bang-ke-ncc-3-2026-11-01_2026-11-30.pdf",
            "nhat-ky-2026-11-26.csv",
        ] {
            assert_eq!(
                numbered_file(other, false, Some("reports")),
                None,
                "{other}"
            );
        }
    }

    #[test]
    fn the_high_water_file_only_ever_rises() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_marks(dir.path()).is_empty());
        let marks = Marks::from([
            (("receipt".to_string(), 2026), 57),
            (("z".to_string(), 2026), 3),
        ]);
        raise_marks(dir.path(), &marks).unwrap();
        raise_marks(
            dir.path(),
            &Marks::from([(("receipt".to_string(), 2026), 12)]),
        )
        .unwrap();
        assert_eq!(read_marks(dir.path()), marks);
        let text = std::fs::read_to_string(dir.path().join(HIGH_WATER_FILE)).unwrap();
        std::fs::write(
            dir.path().join(HIGH_WATER_FILE),
            format!("{text}garbled line\nz x 9\n"),
        )
        .unwrap();
        assert_eq!(read_marks(dir.path()), marks, "garbled lines are skipped");
    }
}
