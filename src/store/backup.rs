//! Backups and restores of the store, and the page checks that decide whether a file is fit
//! for use: `quick_check` on every open, `integrity_check` on every backup and restore.
//!
//! A backup is an online copy made with SQLite's backup API from its own connection, so the
//! counter keeps selling meanwhile. It is written under a temporary name, checked with
//! `PRAGMA integrity_check`, and only then renamed into place; older backups are removed only
//! after that. A restore never overwrites the current database: it moves it aside into
//! `backups/replaced-…` first.

use super::numbering::{self, LostNumbers, Marks, merge};
use super::{DATABASE_FILE, SCHEMA_VERSION, Store, StoreError, StoreResult};
use crate::core::audit::{Actor, AuditAct};
use crate::core::clock::SHOP_TIME_ZONE;
use crate::core::staff::{AuditChange, StaffMember};
use crate::lock::DataLock;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The folder, inside the data folder, that backups go to.
pub const BACKUPS_DIR: &str = "backups";
/// Settings key: how many backups each folder keeps.
pub const KEEP_SETTING: &str = "backup.keep";
/// Settings key: a second folder (a USB stick, a network share) that gets a copy of each backup.
pub const SECOND_DIR_SETTING: &str = "backup.second_dir";
/// A month of daily backups.
pub const DEFAULT_KEEP: usize = 30;
/// A backup is due when the newest one is this old.
pub const BACKUP_INTERVAL: TimeDelta = TimeDelta::hours(24);

const BACKUP_PREFIX: &str = "ocop-pos-";
const REPLACED_PREFIX: &str = "replaced-";
const EXTENSION: &str = ".sqlite3";
/// Local time in names, so a manager reads them as the shop's clock showed.
const STAMP_FORMAT: &str = "%Y%m%d-%H%M%S";
/// A file still being written or checked; never listed, never restored.
const PARTIAL_SUFFIX: &str = ".partial";
/// A partial file this old was left by a backup that died; it is removed.
const STALE_PARTIAL_AGE: Duration = Duration::from_secs(3600);
/// Bytes written between two flushes of a copy (see [`snapshot`] for why).
const FLUSH_EVERY: usize = 4 << 20;
/// The same for SQLite's backup steps, in pages of 4 KiB.
const PAGES_PER_STEP: i32 = (FLUSH_EVERY / 4096) as i32;
/// The database file's companions in WAL mode.
const SIDECARS: [&str; 2] = ["-wal", "-shm"];

/// Where backups go and how many are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupPolicy {
    pub keep: usize,
    pub second_dir: Option<PathBuf>,
}

impl Default for BackupPolicy {
    fn default() -> BackupPolicy {
        BackupPolicy {
            keep: DEFAULT_KEEP,
            second_dir: None,
        }
    }
}

/// What a backup file holds, read from the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupContents {
    pub schema_version: i32,
    pub sales: i64,
    /// The highest receipt number in the file (`2026-000123`), none before the first sale.
    pub last_receipt_no: Option<String>,
}

/// One backup file, for the restore picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub taken_at: DateTime<Utc>,
    pub size: u64,
    /// The file's contents, or why it could not be read (a backup damaged since it was taken).
    pub contents: Result<BackupContents, String>,
}

/// What one backup did.
#[derive(Debug)]
pub struct BackupReport {
    /// The verified backup in the data folder's `backups/`.
    pub backup: BackupInfo,
    /// Verified copies in the second folder and in the folder asked for by hand.
    pub copies: Vec<PathBuf>,
    /// Folders that could not take a copy (a USB stick not plugged in) or be pruned; the backup
    /// itself is good.
    pub warnings: Vec<(PathBuf, BackupError)>,
    /// Older backups removed to keep the configured number.
    pub removed: Vec<PathBuf>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub restored: BackupContents,
    /// Where the database that was replaced now lies (none if there was no database).
    pub set_aside: Option<PathBuf>,
    /// The numbers issued after the backup was taken, which the restored store does not hold
    /// and will not issue again.
    pub lost: Vec<LostNumbers>,
}

#[derive(Debug)]
pub enum BackupError {
    /// SQLite refused: the database or the copy is damaged, busy, from a newer version, or the
    /// disk is full.
    Store(StoreError),
    /// A file or folder could not be read or written.
    Io { path: PathBuf, error: io::Error },
    /// The file is no store of this program.
    NotABackup(PathBuf),
}

impl fmt::Display for BackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackupError::Store(error) => error.fmt(f),
            BackupError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            BackupError::NotABackup(path) => {
                write!(f, "{} is not an OCOP POS database", path.display())
            }
        }
    }
}

impl std::error::Error for BackupError {}

impl From<StoreError> for BackupError {
    fn from(error: StoreError) -> BackupError {
        BackupError::Store(error)
    }
}

impl From<rusqlite::Error> for BackupError {
    fn from(error: rusqlite::Error) -> BackupError {
        BackupError::Store(error.into())
    }
}

/// Attaches the path a file operation was about.
fn at_path(path: &Path) -> impl FnOnce(io::Error) -> BackupError + '_ {
    move |error| BackupError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// How thoroughly pages are checked: `quick_check` on every open (fast, page structure),
/// `integrity_check` on every backup (also indexes against tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Depth {
    Quick,
    Full,
}

/// Checks a database file on a read-only connection of its own. SQLite leaves CHECK
/// constraints out of a read-only schema (nothing can be written through it), which makes the
/// check about three times faster (170 ms instead of 555 ms for `quick_check` on 120 MB);
/// pages, b-trees, NOT NULL and the STRICT types are checked all the same.
pub(crate) fn check_file(path: &Path, depth: Depth) -> StoreResult<()> {
    check_integrity(&read_only(path)?, depth)
}

/// Fails with [`StoreError::DamagedFile`] unless SQLite finds the file sound.
fn check_integrity(conn: &Connection, depth: Depth) -> StoreResult<()> {
    let pragma = match depth {
        Depth::Quick => "PRAGMA quick_check(5)",
        Depth::Full => "PRAGMA integrity_check(5)",
    };
    let mut stmt = conn.prepare(pragma)?;
    let findings = stmt
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    if findings == ["ok"] {
        Ok(())
    } else {
        Err(StoreError::DamagedFile(findings.join("; ")))
    }
}

impl Store {
    pub fn backup_policy(&self) -> StoreResult<BackupPolicy> {
        let keep = match self.setting(KEEP_SETTING)? {
            None => DEFAULT_KEEP,
            Some(text) => parse_keep(&text)
                .ok_or_else(|| StoreError::Corrupt(format!("{KEEP_SETTING} {text:?}")))?,
        };
        let second_dir = self
            .setting(SECOND_DIR_SETTING)?
            .filter(|dir| !dir.trim().is_empty())
            .map(PathBuf::from);
        Ok(BackupPolicy { keep, second_dir })
    }

    pub fn save_backup_policy(&self, policy: &BackupPolicy) -> StoreResult<()> {
        self.set_setting(KEEP_SETTING, &policy.keep.max(1).to_string())?;
        let second_dir = policy
            .second_dir
            .as_deref()
            .map(|dir| dir.display().to_string());
        self.set_setting(SECOND_DIR_SETTING, second_dir.as_deref().unwrap_or(""))
    }
}

/// A number of backups to keep: at least one, since the newest is never removed.
pub fn parse_keep(text: &str) -> Option<usize> {
    text.trim().parse().ok().filter(|keep| *keep >= 1)
}

/// The data folder's backup folder.
pub fn backups_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(BACKUPS_DIR)
}

/// Whether a backup is due: none yet, or the newest is a day old.
pub fn is_due(newest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    newest.is_none_or(|taken_at| now - taken_at >= BACKUP_INTERVAL)
}

/// When the newest backup in a folder was taken, from the file names alone (no file is opened).
/// Backups dated after `now` (the clock was set back since) do not count, so a wrong clock
/// cannot stop the daily backups.
pub fn newest_backup_time(
    dir: &Path,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, BackupError> {
    Ok(backup_files(dir)?
        .into_iter()
        .map(|(taken_at, _)| taken_at)
        .filter(|taken_at| *taken_at <= now)
        .max())
}

/// Takes a backup if [`is_due`]; the app calls it at start and on its clock.
pub fn back_up_if_due(
    data_dir: &Path,
    policy: &BackupPolicy,
    now: DateTime<Utc>,
) -> Result<Option<BackupReport>, BackupError> {
    if is_due(newest_backup_time(&backups_dir(data_dir), now)?, now) {
        back_up(data_dir, policy, None, now).map(Some)
    } else {
        Ok(None)
    }
}

/// Takes a backup of the data folder's database while it may be in use: into `backups/`, then
/// a copy into the policy's second folder and into `also_to` (a folder named by hand, which is
/// never pruned). Each file is verified before it gets its final name, and older backups are
/// removed only once the new one is verified.
pub fn back_up(
    data_dir: &Path,
    policy: &BackupPolicy,
    also_to: Option<&Path>,
    now: DateTime<Utc>,
) -> Result<BackupReport, BackupError> {
    let dir = backups_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(at_path(&dir))?;
    let name = backup_file_name(now);
    let path = dir.join(&name);
    let partial = with_suffix(&path, PARTIAL_SUFFIX);
    let contents = snapshot(&data_dir.join(DATABASE_FILE), &partial)
        .and_then(|()| verify(&partial))
        .and_then(|contents| commit_file(&partial, &path).map(|()| contents))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })?;
    let size = std::fs::metadata(&path).map_err(at_path(&path))?.len();

    let mut report = BackupReport {
        backup: BackupInfo {
            path: path.clone(),
            taken_at: now,
            size,
            contents: Ok(contents),
        },
        copies: Vec::new(),
        warnings: Vec::new(),
        removed: Vec::new(),
    };
    match prune(&dir, policy.keep, &path) {
        Ok(removed) => report.removed = removed,
        Err(error) => report.warnings.push((dir, error)),
    }
    let second = policy.second_dir.as_deref().map(|dir| (dir, true));
    let by_hand = also_to.map(|dir| (dir, false));
    for (folder, pruned) in second.into_iter().chain(by_hand) {
        let copy = folder.join(&name);
        match copy_verified(&path, &copy) {
            Ok(()) => {
                report.copies.push(copy.clone());
                if pruned {
                    match prune(folder, policy.keep, &copy) {
                        Ok(removed) => report.removed.extend(removed),
                        Err(error) => report.warnings.push((folder.to_path_buf(), error)),
                    }
                }
            }
            Err(error) => report.warnings.push((folder.to_path_buf(), error)),
        }
    }
    Ok(report)
}

/// The backups in a folder, newest first, each read (not checked) for the restore picker.
/// A missing folder has none.
pub fn list_backups(dir: &Path) -> Result<Vec<BackupInfo>, BackupError> {
    backup_files(dir)?
        .into_iter()
        .map(|(taken_at, path)| {
            let size = std::fs::metadata(&path).map_err(at_path(&path))?.len();
            let contents = read_only(&path)
                .map_err(BackupError::from)
                .and_then(|conn| read_contents(&conn, &path))
                .map_err(|error| error.to_string());
            Ok(BackupInfo {
                path,
                taken_at,
                size,
                contents,
            })
        })
        .collect()
}

/// Replaces the data folder's database with a backup. Needs the folder's lock, and no store
/// may be open on the database meanwhile (the app closes its own first).
///
/// The backup is copied in under a temporary name and fully checked before anything else is
/// touched. The copy is brought to the current schema, its number series are raised past the
/// highest number ever issued ([`numbering::highest_issued`]) so none is issued twice, and the
/// restore is written to its audit log with `by` (and `approver`), the backup and the numbers
/// it loses. Only then is the current database (with its WAL) moved to `backups/replaced-…`
/// and the copy put in its place. A backup from a newer version of the program is refused.
pub fn restore_backup(
    data_dir: &Path,
    backup: &Path,
    _lock: &DataLock,
    by: &StaffMember,
    approver: Option<&StaffMember>,
    now: DateTime<Utc>,
) -> Result<RestoreReport, BackupError> {
    let database = data_dir.join(DATABASE_FILE);
    let incoming = with_suffix(&database, PARTIAL_SUFFIX);
    // A WAL left by an earlier restore that died would be read into the new copy.
    remove_sidecars(&incoming);
    let prepared = copy_file(backup, &incoming)
        .and_then(|()| verify(&incoming))
        .and_then(|restored| {
            let highest = highest_issued(data_dir);
            let lost = lost_in(&incoming, &highest)?;
            let mut store = Store::open(&incoming)?;
            numbering::raise_counters(&store.conn, &highest)?;
            // Other nodes may hold events numbered past the backup under its origin.
            store.renew_incarnation()?;
            let change = AuditChange {
                subject: &backup.display().to_string(),
                before: &numbering::lost_numbers_text(&lost),
                after: &format!(
                    "{} / {}",
                    restored.sales,
                    restored.last_receipt_no.as_deref().unwrap_or("—")
                ),
            };
            store.record_audit(Actor::of(by, approver), AuditAct::Restore, &change, now)?;
            // A self-contained file (no WAL beside it) to move into place. Leaving WAL needs
            // the file to itself: only once the store is closed, with its high-water writer
            // (which reads the file to confirm each commit).
            drop(store);
            Connection::open(&incoming)?
                .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
            // The file is ahead of the database anyway; this also records the documents
            // folder's numbers there for the next restore.
            let _ = numbering::raise_marks(data_dir, &highest);
            Ok(RestoreReport {
                restored,
                set_aside: None,
                lost,
            })
        })
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&incoming);
            remove_sidecars(&incoming);
        })?;
    let set_aside = set_aside(&database, &backups_dir(data_dir), now)?;
    if let Err(error) = commit_file(&incoming, &database) {
        // Whatever happened, the folder must not be left without its database.
        if let Some(aside) = &set_aside
            && !database.exists()
        {
            let _ = std::fs::rename(aside, &database);
        }
        return Err(error);
    }
    Ok(RestoreReport {
        set_aside,
        ..prepared
    })
}

/// What restoring `backup` into the data folder would take out of the store: the numbers of
/// every series issued after the backup was taken (their documents are in customers' hands,
/// so a restore never issues them again). For the question asked before a restore.
pub fn restore_loss(data_dir: &Path, backup: &Path) -> Result<Vec<LostNumbers>, BackupError> {
    lost_in(backup, &highest_issued(data_dir))
}

fn lost_in(store_file: &Path, highest: &Marks) -> Result<Vec<LostNumbers>, BackupError> {
    let conn = read_only(store_file)?;
    let kept = numbering::counter_marks(&conn)?;
    let symbol = numbering::invoice_symbol(&conn)?;
    let node = numbering::node_code(&conn)?;
    Ok(numbering::lost_numbers(&kept, highest, &symbol, &node))
}

/// The highest number of each series ever issued in this data folder: the high-water file,
/// the documents folder, and the current database's counters when it can be read (a damaged
/// one is left out: its figures cannot be trusted).
pub fn highest_issued(data_dir: &Path) -> Marks {
    let mut highest = numbering::read_marks(data_dir);
    merge(&mut highest, &numbering::documents_marks(data_dir));
    let database = data_dir.join(DATABASE_FILE);
    if database.exists()
        && check_file(&database, Depth::Quick).is_ok()
        && let Ok(conn) = Connection::open_with_flags(
            &database,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        && let Ok(counters) = numbering::counter_marks(&conn)
    {
        merge(&mut highest, &counters);
    }
    highest
}

fn remove_sidecars(database: &Path) {
    for sidecar in SIDECARS {
        let _ = std::fs::remove_file(with_suffix(database, sidecar));
    }
}

/// `ocop-pos-20261126-100000.sqlite3`, in the shop's local time.
fn backup_file_name(at: DateTime<Utc>) -> String {
    format!("{BACKUP_PREFIX}{}{EXTENSION}", local_stamp(at))
}

fn local_stamp(at: DateTime<Utc>) -> String {
    at.with_timezone(&SHOP_TIME_ZONE)
        .format(STAMP_FORMAT)
        .to_string()
}

/// The moment a backup was taken, read back from its name.
fn taken_at(file_name: &str) -> Option<DateTime<Utc>> {
    let stamp = file_name
        .strip_prefix(BACKUP_PREFIX)?
        .strip_suffix(EXTENSION)?;
    NaiveDateTime::parse_from_str(stamp, STAMP_FORMAT)
        .ok()?
        .and_local_timezone(SHOP_TIME_ZONE)
        .single()
        .map(|at| at.with_timezone(&Utc))
}

/// The finished backups of a folder, newest first (not partial files, not databases set aside
/// by restores).
fn backup_files(dir: &Path) -> Result<Vec<(DateTime<Utc>, PathBuf)>, BackupError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(at_path(dir)(error)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(at_path(dir))?.path();
        if let Some(taken_at) = path.file_name().and_then(|n| n.to_str()).and_then(taken_at) {
            files.push((taken_at, path));
        }
    }
    files.sort_by_key(|(taken_at, _)| std::cmp::Reverse(*taken_at));
    Ok(files)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Copies the database into a new file as one consistent snapshot, without holding up the
/// counter.
///
/// The copy runs in steps inside one read transaction of our own: in WAL mode a reader never
/// blocks the counter's commits, every step reads the same moment (so the copy is consistent
/// and never restarts, however many sales commit meanwhile), and after each step the copy is
/// flushed to the disk. That flush is what keeps a sale fast: on ext4 a sale's fsync also waits
/// for every not-yet-written block of files grown since the last journal commit, so an
/// unflushed copy of hundreds of MB would hold a sale for as long as writing all of it takes.
fn snapshot(database: &Path, partial: &Path) -> Result<(), BackupError> {
    // An existing database only: a backup must never create an empty one.
    if !database.exists() {
        return Err(at_path(database)(io::ErrorKind::NotFound.into()));
    }
    let source = Connection::open_with_flags(
        database,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    source.busy_timeout(Duration::from_secs(5))?;
    source.execute_batch("BEGIN")?;
    source.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
    // Created (empty) before SQLite opens it, and kept open until SQLite has closed it: closing
    // a second descriptor of a file would drop SQLite's POSIX locks on it.
    let file = File::create(partial).map_err(at_path(partial))?;
    let mut copy = Connection::open(partial)?;
    {
        let backup = Backup::new(&source, &mut copy)?;
        loop {
            match backup.step(PAGES_PER_STEP)? {
                StepResult::Done => break,
                StepResult::More => file.sync_data().map_err(at_path(partial))?,
                // The busy timeout already waited: the database is held by something else.
                _ => return Err(StoreError::Busy.into()),
            }
        }
    }
    source.execute_batch("COMMIT")?;
    // The copy carries the source's WAL flag; a plain rollback-journal file is self-contained
    // (no -wal or -shm beside it) and can be read from a read-only stick.
    let mode: String = copy.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(StoreError::Corrupt(format!("backup journal mode {mode}")).into());
    }
    copy.close().map_err(|(_, error)| error)?;
    drop(file);
    Ok(())
}

/// Checks every page and index of a copy (see [`check_file`]); returns what it holds.
fn verify(path: &Path) -> Result<BackupContents, BackupError> {
    let conn = read_only(path)?;
    check_integrity(&conn, Depth::Full)?;
    read_contents(&conn, path)
}

fn read_only(path: &Path) -> StoreResult<Connection> {
    Ok(Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?)
}

fn read_contents(conn: &Connection, path: &Path) -> Result<BackupContents, BackupError> {
    let schema_version: i32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if schema_version == 0 {
        return Err(BackupError::NotABackup(path.to_path_buf()));
    }
    if schema_version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found: schema_version,
            supported: SCHEMA_VERSION,
        }
        .into());
    }
    let (sales, last_receipt_no) =
        conn.query_row("SELECT count(*), max(receipt_no) FROM sales", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    Ok(BackupContents {
        schema_version,
        sales,
        last_receipt_no,
    })
}

/// Makes a written file durable under its final name: data first, then the rename, then the
/// folder entry, so a power cut leaves either no file or a whole one.
fn commit_file(partial: &Path, path: &Path) -> Result<(), BackupError> {
    File::open(partial)
        .and_then(|file| file.sync_all())
        .map_err(at_path(partial))?;
    std::fs::rename(partial, path).map_err(at_path(path))?;
    sync_folder(path.parent().unwrap_or(Path::new(".")))
}

/// Persists a folder's entries (new and renamed files) on Unix; Windows has no such call and
/// commits renames with the file system's own journal.
fn sync_folder(dir: &Path) -> Result<(), BackupError> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|folder| folder.sync_all())
        .map_err(at_path(dir))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Copies a file, flushing every few MB for the reason [`snapshot`] gives.
fn copy_file(from: &Path, to: &Path) -> Result<(), BackupError> {
    let mut source = File::open(from).map_err(at_path(from))?;
    let mut copy = File::create(to).map_err(at_path(to))?;
    let mut chunk = Vec::with_capacity(FLUSH_EVERY);
    loop {
        chunk.clear();
        let read = (&mut source)
            .take(FLUSH_EVERY as u64)
            .read_to_end(&mut chunk)
            .map_err(at_path(from))?;
        if read == 0 {
            return Ok(());
        }
        copy.write_all(&chunk)
            .and_then(|()| copy.sync_data())
            .map_err(at_path(to))?;
    }
}

/// Copies a verified backup into another folder and verifies the copy there.
fn copy_verified(backup: &Path, copy: &Path) -> Result<(), BackupError> {
    let folder = copy.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(at_path(folder))?;
    let partial = with_suffix(copy, PARTIAL_SUFFIX);
    copy_file(backup, &partial)
        .and_then(|()| verify(&partial))
        .and_then(|_| commit_file(&partial, copy))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })
}

/// Removes the oldest backups of a folder beyond `keep`, never the one just made, and partial
/// files left by backups that died.
fn prune(dir: &Path, keep: usize, just_made: &Path) -> Result<Vec<PathBuf>, BackupError> {
    let others = backup_files(dir)?
        .into_iter()
        .filter(|(_, path)| path != just_made);
    let mut removed = Vec::new();
    for (_, path) in others.skip(keep.saturating_sub(1)) {
        std::fs::remove_file(&path).map_err(at_path(&path))?;
        removed.push(path);
    }
    remove_stale_partials(dir)?;
    Ok(removed)
}

fn remove_stale_partials(dir: &Path) -> Result<(), BackupError> {
    for entry in std::fs::read_dir(dir).map_err(at_path(dir))? {
        let entry = entry.map_err(at_path(dir))?;
        // The file, and the journal SQLite may have left beside it.
        let partial = entry.file_name().to_string_lossy().contains(PARTIAL_SUFFIX);
        let stale = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| SystemTime::now().duration_since(modified).ok())
            .is_some_and(|age| age > STALE_PARTIAL_AGE);
        if partial && stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// What a data folder holds besides its lock: the database, its documents and its backups.
const DATA_FOLDER_ENTRIES: [&str; 7] = [
    DATABASE_FILE,
    "receipts",
    "invoices",
    "reports",
    "receivings",
    "exports",
    BACKUPS_DIR,
];

/// Keeps a demo store aside when it becomes a real one: its database (whole, the WAL folded
/// in), documents and backups move into `demo-<local time>/` in the data folder, never removed,
/// so the real store starts with no file, number or backup of the demo's. The store must be
/// closed and the folder's lock held. Gives the folder they are in.
pub fn set_demo_aside(
    data_dir: &Path,
    _lock: &DataLock,
    now: DateTime<Utc>,
) -> Result<PathBuf, BackupError> {
    let database = data_dir.join(DATABASE_FILE);
    if let Ok(conn) = Connection::open_with_flags(&database, OpenFlags::SQLITE_OPEN_READ_WRITE) {
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .map_err(|e| BackupError::Store(e.into()))?;
    }
    let stamp = local_stamp(now);
    let aside = (1..)
        .map(|n| match n {
            1 => data_dir.join(format!("demo-{stamp}")),
            n => data_dir.join(format!("demo-{stamp}-{n}")),
        })
        .find(|path| !path.exists())
        .expect("some numbered name is free");
    std::fs::create_dir(&aside).map_err(at_path(&aside))?;
    let sidecars = SIDECARS.map(|sidecar| format!("{DATABASE_FILE}{sidecar}"));
    let entries = DATA_FOLDER_ENTRIES
        .iter()
        .copied()
        .chain(sidecars.iter().map(String::as_str));
    let mut moved = Vec::new();
    for entry in entries {
        let from = data_dir.join(entry);
        if !from.exists() {
            continue;
        }
        if let Err(error) = std::fs::rename(&from, aside.join(entry)) {
            // Half a move would leave a folder with the demo's documents and no database:
            // put back what went.
            for entry in moved {
                let _ = std::fs::rename(aside.join(entry), data_dir.join(entry));
            }
            return Err(at_path(&from)(error));
        }
        moved.push(entry);
    }
    sync_folder(&aside)?;
    sync_folder(data_dir)?;
    Ok(aside)
}

/// Moves the database and its WAL companions to `backups/replaced-…` (never over an older one).
fn set_aside(
    database: &Path,
    backups: &Path,
    now: DateTime<Utc>,
) -> Result<Option<PathBuf>, BackupError> {
    if !database.exists() {
        return Ok(None);
    }
    // Fold the WAL into the main file so the copy set aside is whole by itself. A damaged
    // database may refuse; then its WAL travels with it below.
    if let Ok(conn) = Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_WRITE) {
        let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::fs::create_dir_all(backups).map_err(at_path(backups))?;
    let stamp = local_stamp(now);
    let aside = (1..)
        .map(|n| match n {
            1 => backups.join(format!("{REPLACED_PREFIX}{stamp}{EXTENSION}")),
            n => backups.join(format!("{REPLACED_PREFIX}{stamp}-{n}{EXTENSION}")),
        })
        .find(|path| !path.exists())
        .expect("some numbered name is free");
    std::fs::rename(database, &aside).map_err(at_path(database))?;
    for sidecar in SIDECARS {
        let from = with_suffix(database, sidecar);
        if from.exists()
            && let Err(error) = std::fs::rename(&from, with_suffix(&aside, sidecar))
        {
            // A WAL left beside the restored file would be replayed into it: put everything
            // back as it was instead.
            let _ = std::fs::rename(&aside, database);
            return Err(at_path(&from)(error));
        }
    }
    sync_folder(backups)?;
    Ok(Some(aside))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn names_carry_the_local_time_and_read_back() {
        let at = Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 5).unwrap();
        let name = backup_file_name(at);
        assert_eq!(name, "ocop-pos-20261126-100005.sqlite3");
        assert_eq!(taken_at(&name), Some(at));
        assert_eq!(taken_at("replaced-20261126-100005.sqlite3"), None);
        assert_eq!(taken_at(&format!("{name}{PARTIAL_SUFFIX}")), None);
    }

    #[test]
    fn a_backup_is_due_daily_and_future_ones_do_not_count() {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap();
        assert!(is_due(None, now));
        assert!(!is_due(Some(now - TimeDelta::hours(23)), now));
        assert!(is_due(Some(now - TimeDelta::hours(24)), now));

        let dir = tempfile::tempdir().unwrap();
        for at in [now - TimeDelta::hours(30), now + TimeDelta::days(300)] {
            File::create(dir.path().join(backup_file_name(at))).unwrap();
        }
        assert_eq!(
            newest_backup_time(dir.path(), now).unwrap(),
            Some(now - TimeDelta::hours(30))
        );
    }

    #[test]
    fn keep_is_a_positive_count() {
        assert_eq!(parse_keep(" 14 "), Some(14));
        assert_eq!(parse_keep("0"), None);
        assert_eq!(parse_keep("-3"), None);
        assert_eq!(parse_keep("many"), None);
    }
}
