//! Safe data, on real SQLite files in temporary folders: online backups are consistent
//! snapshots, restores bring back exactly the backed-up state and keep the replaced file, a
//! damaged file is refused at open (and the window offers the newest good backup), a second
//! copy of the program is refused and the lock frees itself when the first is killed, and an
//! older database is migrated in one transaction without losing a row.
//!
//! (A full disk during a sale is proven in `store_checkout.rs`,
//! `full_disk_keeps_the_cart_and_loses_no_number`.)
//!
//! Runs as its own program (harness = false), like `crash.rs`: started with `--hold-lock DIR`
//! it is a child that takes the data folder's lock and waits to be killed.

mod common;

use chrono::Duration;
use common::shop_time;
use ocop_pos::cli::PinSource;
use ocop_pos::config::Config;
use ocop_pos::core::audit::AuditAct;
use ocop_pos::core::cart::Cart;
use ocop_pos::core::clock::format_local;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::core::staff::{Role, StaffMember};
use ocop_pos::i18n::{Label, Lang, Notice, restore_loss_text};
use ocop_pos::lock::{DataLock, LockError};
use ocop_pos::store::backup::{
    BackupPolicy, back_up, back_up_if_due, backups_dir, list_backups, restore_backup, restore_loss,
};
use ocop_pos::store::migrations::FIRST_SCHEMA;
use ocop_pos::store::numbering::LostNumbers;
use ocop_pos::store::{AuditFilter, DATABASE_FILE, SCHEMA_VERSION, Store, StoreError};
use ocop_pos::ui::{App, Message, backups};
use rusqlite::{Connection, OpenFlags};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

const HOLD_LOCK: &str = "--hold-lock";
const LOCKED: &str = "locked";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, dir] = args.as_slice()
        && flag == HOLD_LOCK
    {
        hold_lock_until_killed(Path::new(dir));
    }
    let tests: [(&str, fn()); 10] = [
        (
            "backup_during_sales_is_a_consistent_snapshot",
            backup_during_sales_is_a_consistent_snapshot,
        ),
        (
            "backups_are_verified_copies_and_the_oldest_go_first",
            backups_are_verified_copies_and_the_oldest_go_first,
        ),
        (
            "restore_brings_back_the_backed_up_state_and_keeps_the_old_file",
            restore_brings_back_the_backed_up_state_and_keeps_the_old_file,
        ),
        (
            "a_damaged_or_newer_backup_is_never_restored_nor_kept",
            a_damaged_or_newer_backup_is_never_restored_nor_kept,
        ),
        (
            "a_damaged_database_is_refused_at_open",
            a_damaged_database_is_refused_at_open,
        ),
        (
            "the_window_offers_the_newest_good_backup_for_a_damaged_store",
            the_window_offers_the_newest_good_backup_for_a_damaged_store,
        ),
        (
            "a_failed_backup_is_told_at_the_counter",
            a_failed_backup_is_told_at_the_counter,
        ),
        (
            "a_second_copy_is_refused_and_the_lock_frees_after_sigkill",
            a_second_copy_is_refused_and_the_lock_frees_after_sigkill,
        ),
        (
            "migration_from_the_first_schema_keeps_every_row",
            migration_from_the_first_schema_keeps_every_row,
        ),
        (
            "a_failed_migration_leaves_the_older_database_untouched",
            a_failed_migration_leaves_the_older_database_untouched,
        ),
    ];
    // `cargo test -- --list` and filters ask the harness about tests; answer for these.
    if args.iter().any(|a| a == "--list") {
        for (name, _) in tests {
            println!("{name}: test");
        }
        return;
    }
    let filters: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let mut passed = 0;
    let mut failed = Vec::new();
    for (name, test) in tests {
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        print!("test {name} ... ");
        std::io::stdout().flush().expect("stdout");
        match std::panic::catch_unwind(test) {
            Ok(()) => {
                println!("ok");
                passed += 1;
            }
            Err(_) => {
                println!("FAILED");
                failed.push(name);
            }
        }
    }
    let verdict = if failed.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {verdict}. {passed} passed; {} failed",
        failed.len()
    );
    for name in &failed {
        println!("    {name}");
    }
    if !failed.is_empty() {
        std::process::exit(101);
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// A data folder with the demo store and `sales` sales in it.
fn demo_folder(sales: usize) -> tempfile::TempDir {
    let (dir, mut store) = common::demo_store();
    sell(&mut store, sales, 0);
    dir
}

/// Rings up `count` sales of two to four counted products each; `seed` varies the products.
fn sell(store: &mut Store, count: usize, seed: usize) {
    let counted: Vec<_> = store
        .catalogue(shop_time())
        .expect("catalogue")
        .into_iter()
        .filter(|p| !p.sold_by_weight)
        .collect();
    for n in seed..seed + count {
        let mut cart = Cart::default();
        for k in 0..2 + n % 3 {
            let product = &counted[(n * 7 + k * 5) % counted.len()];
            cart.add_product(product, Decimal::from(1 + (n % 2) as i64))
                .expect("a valid line");
        }
        let total = cart.totals().total;
        let tenders = vec![Tender {
            method: PaymentMethod::Cash,
            amount: total + Money(10_000),
            reference: None,
        }];
        let draft = SaleDraft::new(&cart, tenders, "Lan").expect("payable");
        store
            .commit_sale(&draft, shop_time() + Duration::seconds(n as i64))
            .expect("sale commits");
    }
}

fn read_only(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("opens read-only")
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |row| row.get(0)).expect(sql)
}

/// Every row of every table (given columns only, when asked), as text, in a fixed order.
fn dump(
    conn: &Connection,
    tables: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Vec<String>> {
    tables
        .iter()
        .map(|(table, columns)| {
            let order: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
            let sql = format!(
                "SELECT {} FROM \"{table}\" ORDER BY {}",
                columns.join(", "),
                order.join(", ")
            );
            let mut stmt = conn.prepare(&sql).expect(&sql);
            let rows = stmt
                .query_map([], |row| {
                    Ok((0..columns.len())
                        .map(|i| format!("{:?}", row.get_ref(i).expect("value")))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .expect(&sql)
                .collect::<Result<Vec<_>, _>>()
                .expect(&sql);
            (table.clone(), rows)
        })
        .collect()
}

/// The tables of a database with their columns.
fn tables(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    let names: Vec<String> = stmt
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
        .into_iter()
        .map(|table| {
            let mut stmt = conn
                .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
                .unwrap();
            let columns = stmt
                .query_map([&table], |row| row.get(0))
                .unwrap()
                .collect::<Result<Vec<String>, _>>()
                .unwrap();
            (table, columns)
        })
        .collect()
}

fn whole_dump(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    dump(conn, &tables(conn))
}

/// The schema as SQLite keeps it, comments and whitespace aside.
fn schema(conn: &Connection) -> Vec<(String, String, String)> {
    let mut stmt = conn
        .prepare(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name",
        )
        .unwrap();
    stmt.query_map([], |row| {
        let sql: String = row.get(2)?;
        let code: Vec<&str> = sql
            .lines()
            .map(|line| line.split("--").next().unwrap_or_default())
            .collect();
        Ok((
            row.get(0)?,
            row.get(1)?,
            code.join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Inside one database: every sale is whole (lines, stock movements, payments), stock equals
/// the ledger and receipt numbers have no gap. Returns the number of sales.
fn assert_consistent(conn: &Connection) -> i64 {
    let sales = count(conn, "SELECT count(*) FROM sales");
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM sales s WHERE NOT EXISTS (SELECT 1 FROM sale_lines WHERE sale_id = s.id)
                OR NOT EXISTS (SELECT 1 FROM payments WHERE sale_id = s.id)
                OR (SELECT count(*) FROM sale_lines WHERE sale_id = s.id)
                   <> (SELECT count(*) FROM stock_movements WHERE sale_id = s.id)"
        ),
        0,
        "a sale is partial"
    );
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM products p WHERE p.stock_milli
                <> (SELECT coalesce(sum(quantity_milli), 0) FROM stock_movements WHERE product_id = p.id)"
        ),
        0,
        "stock differs from the ledger"
    );
    assert_eq!(
        count(
            conn,
            "SELECT coalesce(sum(last_number), 0) FROM document_counters WHERE series = 'receipt'"
        ),
        sales,
        "receipt counter and sales disagree"
    );
    assert_eq!(
        count(conn, "SELECT coalesce(max(receipt_seq), 0) FROM sales"),
        sales,
        "receipt numbers have a gap"
    );
    sales
}

/// Overwrites one page of a closed database with a pattern no b-tree page can have.
fn overwrite_page(database: &Path, page: i64, page_size: i64) {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(database)
        .unwrap();
    file.seek(SeekFrom::Start(((page - 1) * page_size) as u64))
        .unwrap();
    file.write_all(&vec![0xA5; page_size as usize]).unwrap();
    file.sync_all().unwrap();
}

/// The page where a table's b-tree starts, and the page size.
fn root_page(database: &Path, table: &str) -> (i64, i64) {
    let conn = read_only(database);
    let root = conn
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = ?1",
            [table],
            |row| row.get(0),
        )
        .unwrap();
    let size = conn
        .pragma_query_value(None, "page_size", |row| row.get(0))
        .unwrap();
    (root, size)
}

/// Shows the window's current view headlessly; returns whether `text` is on it.
fn sees(app: &App, text: &str) -> bool {
    common::simulator(app).find(text).is_ok()
}

/// Clicks the element showing `label`, as a person would.
fn click(app: &mut App, label: &str) {
    common::step(app, |ui| ui.click(label).map(drop))
        .unwrap_or_else(|e| panic!("cannot click {label:?}: {e:?}"));
}

// ---------------------------------------------------------------------------------------------
// Backups

fn backup_during_sales_is_a_consistent_snapshot() {
    let dir = demo_folder(20);
    // 12 MB between the catalogue's pages and the sales' pages: the copy takes several steps,
    // with pages the counter changes (stock, counters, new sales) on both sides of the gap.
    Store::open_in(dir.path())
        .unwrap()
        .set_setting("test.padding", &"x".repeat(12_000_000))
        .unwrap();
    let selling = AtomicBool::new(true);
    let policy = BackupPolicy::default();
    let (backups, sold) = std::thread::scope(|scope| {
        let counter = scope.spawn(|| {
            let mut store = Store::open_in(dir.path()).expect("the counter's store");
            let mut sold = 0;
            while selling.load(Ordering::Relaxed) {
                sell(&mut store, 1, 100 + sold);
                sold += 1;
            }
            sold
        });
        // Let the counter get going, then back up while it sells.
        while count(
            &read_only(&dir.path().join(DATABASE_FILE)),
            "SELECT count(*) FROM sales",
        ) < 40
        {
            std::thread::yield_now();
        }
        let backups: Vec<_> = (0..6)
            .map(|n| {
                let report = back_up(
                    dir.path(),
                    &policy,
                    None,
                    shop_time() + Duration::minutes(n),
                )
                .expect("backup while selling");
                std::thread::sleep(std::time::Duration::from_millis(20));
                report
            })
            .collect();
        selling.store(false, Ordering::Relaxed);
        (backups, counter.join().expect("counter thread"))
    });

    let mut counts = Vec::new();
    for report in &backups {
        let conn = read_only(&report.backup.path);
        let sales = assert_consistent(&conn);
        let contents = report.backup.contents.as_ref().expect("verified contents");
        assert_eq!(
            contents.sales, sales,
            "the listing tells what the file holds"
        );
        assert_eq!(
            contents.last_receipt_no,
            Some(format!("2026-AA-{sales:06}")),
            "the last receipt is the last sale's"
        );
        counts.push(sales);
    }
    assert!(
        counts.windows(2).all(|pair| pair[0] <= pair[1]),
        "later backups hold no fewer sales: {counts:?}"
    );
    assert!(
        counts[0] < *counts.last().unwrap(),
        "sales went on while the backups ran: {counts:?}"
    );
    assert!(sold > 0);
}

fn backups_are_verified_copies_and_the_oldest_go_first() {
    let dir = demo_folder(3);
    let second = tempfile::tempdir().unwrap();
    let by_hand = tempfile::tempdir().unwrap();
    let policy = BackupPolicy {
        keep: 3,
        second_dir: Some(second.path().join("ocop")),
    };
    let store = Store::open_in(dir.path()).unwrap();
    store.save_backup_policy(&policy).unwrap();
    assert_eq!(store.backup_policy().unwrap(), policy);
    drop(store);

    let times: Vec<_> = (0..5)
        .map(|day| shop_time() + Duration::days(day))
        .collect();
    for (day, at) in times.iter().enumerate() {
        let report = back_up(dir.path(), &policy, Some(by_hand.path()), *at).unwrap();
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        assert_eq!(report.copies.len(), 2);
        // From the fourth on, one old backup goes in each pruned folder.
        assert_eq!(report.removed.len(), if day < 3 { 0 } else { 2 });
    }
    let local = list_backups(&backups_dir(dir.path())).unwrap();
    let kept: Vec<_> = local.iter().map(|b| b.taken_at).collect();
    assert_eq!(
        kept,
        [times[4], times[3], times[2]],
        "the newest three, newest first"
    );
    assert_eq!(
        list_backups(second.path().join("ocop").as_path())
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        list_backups(by_hand.path()).unwrap().len(),
        5,
        "a folder named by hand is never pruned"
    );

    for backup in &local {
        // A self-contained rollback-journal file: journal mode byte 1, no WAL beside it.
        let header = std::fs::read(&backup.path).unwrap();
        assert_eq!(
            (header[18], header[19]),
            (1, 1),
            "{}",
            backup.path.display()
        );
        assert!(!Path::new(&format!("{}-wal", backup.path.display())).exists());
        let contents = backup.contents.as_ref().unwrap();
        assert_eq!(
            (contents.sales, contents.schema_version),
            (3, SCHEMA_VERSION)
        );
        assert_eq!(contents.last_receipt_no.as_deref(), Some("2026-AA-000003"));
    }

    // Daily: nothing within a day of the newest, a backup once a day has passed.
    let newest = times[4];
    assert!(
        back_up_if_due(dir.path(), &policy, newest + Duration::hours(23))
            .unwrap()
            .is_none()
    );
    assert!(
        back_up_if_due(dir.path(), &policy, newest + Duration::hours(24))
            .unwrap()
            .is_some()
    );

    // A second folder that cannot be written (here a file stands where the folder should be)
    // does not spoil the backup; it is reported.
    let blocked = second.path().join("not-a-folder");
    std::fs::write(&blocked, b"x").unwrap();
    let report = back_up(
        dir.path(),
        &BackupPolicy {
            keep: 3,
            second_dir: Some(blocked.clone()),
        },
        None,
        newest + Duration::days(2),
    )
    .unwrap();
    assert_eq!(report.warnings.len(), 1);
    assert_eq!(report.warnings[0].0, blocked);
    assert!(report.backup.path.exists());

    // A backups folder that cannot be written: the backup fails, leaving nothing half-written.
    let broken = demo_folder(1);
    std::fs::write(backups_dir(broken.path()), b"x").unwrap();
    assert!(back_up(broken.path(), &policy, None, shop_time()).is_err());
    assert_eq!(std::fs::read(backups_dir(broken.path())).unwrap(), b"x");
}

fn restore_brings_back_the_backed_up_state_and_keeps_the_old_file() {
    let dir = demo_folder(3);
    let database = dir.path().join(DATABASE_FILE);
    let mut store = Store::open_in(dir.path()).unwrap();
    let mut cart = Cart::default();
    let fish = store.catalogue(shop_time()).unwrap().remove(0);
    cart.add_product(&fish, Decimal::ONE).unwrap();
    store.save_open_cart(&mut cart, shop_time()).unwrap();
    let backed_up = whole_dump(&read_only(&database));
    let backup = back_up(dir.path(), &BackupPolicy::default(), None, shop_time()).unwrap();

    // Life goes on after the backup: more sales, a new setting.
    sell(&mut store, 2, 50);
    store.set_setting("shop.phone", "0909 000 111").unwrap();
    drop(store);
    let before_restore = whole_dump(&read_only(&database));
    assert_ne!(before_restore, backed_up);

    // The command refuses while the folder is held (by this test, as the window would).
    let config = Config::new(Some(dir.path().to_path_buf()), false);
    let lock = DataLock::acquire(dir.path()).unwrap();
    let refused = ocop_pos::cli::restore(
        &config,
        &mut PinSource::lines("1234\n"),
        &mut Vec::new(),
        &backup.backup.path,
    )
    .unwrap_err();
    assert!(refused.contains(&Notice::DataInUse(Some(std::process::id())).text(Lang::Vi)));
    assert_eq!(whole_dump(&read_only(&database)), before_restore);

    let later = shop_time() + Duration::hours(2);
    let manager = restorer();
    let report = restore_backup(
        dir.path(),
        &backup.backup.path,
        &lock,
        &manager,
        None,
        later,
    )
    .unwrap();
    let restored = whole_dump(&read_only(&database));
    assert_eq!(
        but_numbers_and_audit(&restored),
        but_numbers_and_audit(&backed_up),
        "exactly the backed-up rows"
    );
    assert_eq!(report.restored.sales, 3);
    // The two sales made after the backup are told as lost, and their numbers are not reused.
    assert_eq!(
        report.lost,
        vec![LostNumbers {
            series: "receipt".into(),
            year: 2026,
            count: 2,
            first: "2026-AA-000004".into(),
            last: "2026-AA-000005".into(),
        }]
    );
    assert_eq!(
        restored["audit_log"].len(),
        backed_up["audit_log"].len() + 1
    );
    let audited = Store::open_in(dir.path())
        .unwrap()
        .audit_entries(&AuditFilter::default())
        .unwrap()
        .remove(0);
    assert_eq!(
        (audited.act, audited.actor.as_str(), audited.subject),
        (
            AuditAct::Restore,
            "Trần Văn Hùng",
            backup.backup.path.display().to_string()
        )
    );
    assert_eq!(
        audited.before, "2026-AA-000004…2026-AA-000005",
        "what was lost"
    );
    let aside = report.set_aside.expect("the replaced database is kept");
    assert!(aside.starts_with(backups_dir(dir.path())));
    assert_eq!(
        whole_dump(&read_only(&aside)),
        before_restore,
        "the old file, whole"
    );
    // The set-aside file is not a backup: it is never listed nor pruned.
    assert!(
        list_backups(&backups_dir(dir.path()))
            .unwrap()
            .iter()
            .all(|b| b.path != aside)
    );

    // A second restore in the same second keeps both replaced files.
    let again = restore_backup(
        dir.path(),
        &backup.backup.path,
        &lock,
        &manager,
        None,
        later,
    )
    .unwrap();
    assert_ne!(again.set_aside.as_ref(), Some(&aside));
    assert!(aside.exists());
    drop(lock);

    // The restored store sells on with its open cart, after the highest number ever issued.
    let mut store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.load_open_cart().unwrap(), cart);
    assert!(store.stock_mismatches().unwrap().is_empty());
    sell(&mut store, 1, 80);
    assert!(
        store
            .sale_by_receipt_no("2026-AA-000004")
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .sale_by_receipt_no("2026-AA-000006")
            .unwrap()
            .is_some()
    );
    drop(store);

    // Undoing: the file set aside is restored like any backup.
    let lock = DataLock::acquire(dir.path()).unwrap();
    restore_backup(
        dir.path(),
        &aside,
        &lock,
        &manager,
        None,
        later + Duration::hours(1),
    )
    .unwrap();
    let undone = whole_dump(&read_only(&database));
    assert_eq!(
        but_numbers_and_audit(&undone),
        but_numbers_and_audit(&before_restore)
    );
    assert_eq!(
        Store::open_in(dir.path())
            .unwrap()
            .last_receipt_number(2026)
            .unwrap(),
        6,
        "receipt 2026-AA-000006, sold from the restored backup, is not issued again either"
    );
}

/// The manager the restores here are done by.
fn restorer() -> StaffMember {
    StaffMember {
        id: 1,
        name: "Trần Văn Hùng".into(),
        role: Role::Manager,
    }
}

/// Every row but the number counters (a restore raises them past every number ever issued) and
/// the audit log (a restore is written to it).
/// What a restore keeps as it was backed up: all but the number counters, the audit log and
/// the node's identity. A restore renews the incarnation, a new origin (the folder's second)
/// whose first event is the restore's own audit row.
fn but_numbers_and_audit(dump: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    let mut rows = dump.clone();
    for table in [
        "document_counters",
        "audit_log",
        "sync_origins",
        "sync_node",
    ] {
        rows.remove(table);
    }
    if let Some(events) = rows.get_mut("sync_events") {
        events.retain(|event| event.starts_with("Integer(1)|"));
    }
    rows
}

fn a_damaged_or_newer_backup_is_never_restored_nor_kept() {
    let dir = demo_folder(2);
    let database = dir.path().join(DATABASE_FILE);
    let good = back_up(dir.path(), &BackupPolicy::default(), None, shop_time()).unwrap();
    let damaged = dir.path().join("damaged.sqlite3");
    std::fs::copy(&good.backup.path, &damaged).unwrap();
    let (root, page_size) = root_page(&damaged, "sale_lines");
    overwrite_page(&damaged, root, page_size);

    let before = whole_dump(&read_only(&database));
    let lock = DataLock::acquire(dir.path()).unwrap();
    let refused = restore_backup(dir.path(), &damaged, &lock, &restorer(), None, shop_time());
    assert!(
        matches!(
            refused,
            Err(ocop_pos::store::backup::BackupError::Store(
                StoreError::DamagedFile(_)
            ))
        ),
        "{refused:?}"
    );
    assert_eq!(
        whole_dump(&read_only(&database)),
        before,
        "the current data is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .chain(std::fs::read_dir(backups_dir(dir.path())).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("partial") || name.starts_with("replaced-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A backup made by a newer version of the program is refused the same way.
    let newer = dir.path().join("newer.sqlite3");
    std::fs::copy(&good.backup.path, &newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let refused = restore_backup(dir.path(), &newer, &lock, &restorer(), None, shop_time());
    assert!(
        matches!(
            refused,
            Err(ocop_pos::store::backup::BackupError::Store(
                StoreError::NewerSchema { .. }
            ))
        ),
        "{refused:?}"
    );
    assert_eq!(whole_dump(&read_only(&database)), before);
    drop(lock);

    // A damaged database is not backed up, and the good backups stay (even keeping one).
    std::fs::copy(&damaged, &database).unwrap();
    let keep_one = BackupPolicy {
        keep: 1,
        second_dir: None,
    };
    let failed = back_up(dir.path(), &keep_one, None, shop_time() + Duration::days(1));
    assert!(failed.is_err());
    let kept = list_backups(&backups_dir(dir.path())).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].path, good.backup.path);
}

// ---------------------------------------------------------------------------------------------
// Integrity at start

fn a_damaged_database_is_refused_at_open() {
    // Bytes overwritten inside the sale lines' b-tree.
    let dir = demo_folder(300);
    let database = dir.path().join(DATABASE_FILE);
    let (root, page_size) = root_page(&database, "sale_lines");
    overwrite_page(&database, root, page_size);
    let opened = Store::open_in(dir.path());
    assert!(
        matches!(opened, Err(StoreError::DamagedFile(_))),
        "{:?}",
        opened.err()
    );

    // A wrecked header: not even recognisable as a database.
    let dir = demo_folder(1);
    let database = dir.path().join(DATABASE_FILE);
    overwrite_page(&database, 1, 100);
    let opened = Store::open_in(dir.path());
    assert!(
        matches!(opened, Err(StoreError::DamagedFile(_))),
        "{:?}",
        opened.err()
    );
}

fn the_window_offers_the_newest_good_backup_for_a_damaged_store() {
    let dir = demo_folder(300);
    let database = dir.path().join(DATABASE_FILE);
    let policy = BackupPolicy::default();
    back_up(dir.path(), &policy, None, shop_time()).unwrap();
    let newest_good = back_up(dir.path(), &policy, None, shop_time() + Duration::days(1)).unwrap();
    // A newer backup file that has been damaged since: listed, but not offered.
    let rotten = backups_dir(dir.path()).join("ocop-pos-20261201-100000.sqlite3");
    std::fs::write(&rotten, vec![0xA5; 8192]).unwrap();
    let (root, page_size) = root_page(&database, "sale_lines");
    overwrite_page(&database, root, page_size);

    let config = Config::new(Some(dir.path().to_path_buf()), false);
    let mut app = App::new(&config);
    assert!(
        app.checkout().is_none(),
        "a damaged store is not used for selling"
    );
    assert!(sees(&app, Label::DataDamaged.text(Lang::Vi)));
    // The listing the worker thread makes at start.
    let _ = app.update(Message::Backups(backups::Message::Finished {
        job: backups::Job::Listing,
        notice: None,
        backups: list_backups(&backups_dir(dir.path())).unwrap(),
        newest: None,
    }));
    assert_eq!(app.backups().backups().len(), 3);
    let offer = format!(
        "{} ({})",
        Label::RestoreNewest.text(Lang::Vi),
        format_local(newest_good.backup.taken_at)
    );
    click(&mut app, &offer);
    assert!(sees(
        &app,
        &Notice::ConfirmRestore(newest_good.backup.path.display().to_string()).text(Lang::Vi)
    ));
    // Not before the window has said what the restore would lose (worked out on a thread,
    // which this headless test does not start: its answer is fed in).
    click(&mut app, Label::RestoreThis.text(Lang::Vi));
    assert_eq!(app.backups().job(), None, "no restore yet");
    let loss = restore_loss(dir.path(), &newest_good.backup.path).unwrap();
    let _ = app.update(Message::Backups(backups::Message::LossKnown {
        backup: newest_good.backup.path.clone(),
        loss: Ok(loss.clone()),
    }));
    assert!(sees(&app, &restore_loss_text(&loss, Lang::Vi)));
    click(&mut app, Label::RestoreThis.text(Lang::Vi));
    // The store is closed before its file is replaced (the restore runs on a worker thread,
    // which this headless test does not start).
    assert!(app.store().is_none());
    assert_eq!(app.backups().job(), Some(backups::Job::Restoring));
    assert!(sees(&app, Label::Restoring.text(Lang::Vi)));
}

fn a_failed_backup_is_told_at_the_counter() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    common::sign_in(&mut app, common::CASHIER.0, common::CASHIER.1);
    // What the worker thread reports when the disk is full.
    let failed = Notice::BackupFailed("the disk is full".into());
    let _ = app.update(Message::Backups(backups::Message::Finished {
        job: backups::Job::BackingUp,
        notice: Some(failed.clone()),
        backups: Vec::new(),
        newest: None,
    }));
    assert!(sees(&app, &failed.text(Lang::Vi)), "the cashier sees it");
    assert!(app.checkout().is_some(), "and goes on selling");
}

// ---------------------------------------------------------------------------------------------
// One instance

/// The child: takes the folder's lock through the library, says so, and waits to be killed.
fn hold_lock_until_killed(dir: &Path) -> ! {
    let _lock = DataLock::acquire(dir).expect("the child takes the lock");
    println!("{LOCKED}");
    std::io::stdout().flush().expect("stdout");
    loop {
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

fn a_second_copy_is_refused_and_the_lock_frees_after_sigkill() {
    let dir = demo_folder(1);
    Store::open_in(dir.path())
        .unwrap()
        .create_staff("Trần Văn Hùng", Role::Manager, "4826", shop_time())
        .unwrap();
    let backup = back_up(dir.path(), &BackupPolicy::default(), None, shop_time()).unwrap();
    let mut child = Command::new(std::env::current_exe().expect("own path"))
        .args([HOLD_LOCK, &dir.path().display().to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("child starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("child speaks");
    assert_eq!(line.trim(), LOCKED);

    match DataLock::acquire(dir.path()) {
        Err(LockError::InUse { holder }) => assert_eq!(holder, Some(child.id())),
        other => panic!("a second lock was not refused: {other:?}"),
    }
    let config = Config::new(Some(dir.path().to_path_buf()), false);
    let app = App::new(&config);
    assert!(app.checkout().is_none(), "the second window does not sell");
    assert!(sees(&app, Label::DataInUse.text(Lang::Vi)));
    assert!(sees(
        &app,
        &Notice::DataInUse(Some(child.id())).text(Lang::Vi)
    ));
    drop(app);
    // The real program's commands that write are refused too, in plain words.
    let binary = env!("CARGO_BIN_EXE_ocop-pos");
    let data_dir = dir.path().display().to_string();
    let restore = Command::new(binary)
        .args(["--data-dir", &data_dir, "restore"])
        .arg(&backup.backup.path)
        .output()
        .unwrap();
    assert!(!restore.status.success());
    let said = String::from_utf8_lossy(&restore.stderr);
    assert!(
        said.contains(&Notice::DataInUse(Some(child.id())).text(Lang::Vi)),
        "{said}"
    );
    assert!(
        said.contains(&Notice::DataInUse(Some(child.id())).text(Lang::En)),
        "{said}"
    );
    let set = Command::new(binary)
        .args(["--data-dir", &data_dir, "settings", "set", "phone", "0909"])
        .output()
        .unwrap();
    assert!(!set.status.success());
    // A backup only reads the database: it works while the first copy runs.
    let backed_up = Command::new(binary)
        .args(["--data-dir", &data_dir, "backup"])
        .output()
        .unwrap();
    assert!(
        backed_up.status.success(),
        "{}",
        String::from_utf8_lossy(&backed_up.stderr)
    );

    child.kill().expect("SIGKILL");
    child.wait().expect("child reaped");
    let lock = DataLock::acquire(dir.path()).expect("the kernel freed the lock with the process");
    drop(lock);
    let app = App::new(&config);
    assert!(app.checkout().is_some(), "the next start sells");
    drop(app);
    let mut restore = Command::new(binary)
        .args(["--data-dir", &data_dir, "--pin-stdin", "restore"])
        .arg(&backup.backup.path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    restore.stdin.take().unwrap().write_all(b"4826\n").unwrap();
    let restore = restore.wait_with_output().unwrap();
    assert!(
        restore.status.success(),
        "{}",
        String::from_utf8_lossy(&restore.stderr)
    );
}

// ---------------------------------------------------------------------------------------------
// Migrations

/// A database of the first schema version holding the demo store and some sales, copied row
/// by row from a current store (only the columns the first version had).
fn first_version_database(dir: &Path) -> std::path::PathBuf {
    let source = demo_folder(12);
    let mut store = Store::open_in(source.path()).unwrap();
    let fish = store.catalogue(shop_time()).unwrap().remove(0);
    let mut cart = Cart::default();
    cart.add_product(&fish, Decimal::from(2)).unwrap();
    store
        .park_cart(&cart, "Chị Mai", "Lan", shop_time())
        .unwrap();
    store.save_open_cart(&mut cart, shop_time()).unwrap();
    drop(store);

    let path = dir.join(DATABASE_FILE);
    let conn = Connection::open(&path).unwrap();
    // Tables are copied in name order, not in the order their references need.
    conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
    conn.execute_batch(FIRST_SCHEMA).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.execute(
        "ATTACH DATABASE ?1 AS current",
        [source.path().join(DATABASE_FILE).display().to_string()],
    )
    .unwrap();
    // SQLite keeps `sqlite_sequence` itself as the rows go in.
    let mut first: Vec<_> = tables(&conn)
        .into_iter()
        .filter(|(table, _)| table != "sqlite_sequence")
        .collect();
    // The ledger before the products: its trigger would otherwise add the stock twice.
    first.sort_by_key(|(table, _)| table != "stock_movements");
    for (table, columns) in first {
        let columns = columns.join(", ");
        conn.execute(
            &format!(
                "INSERT INTO main.\"{table}\" ({columns}) SELECT {columns} FROM current.\"{table}\""
            ),
            [],
        )
        .unwrap();
    }
    conn.execute("DETACH DATABASE current", []).unwrap();
    path
}

fn migration_from_the_first_schema_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = first_version_database(dir.path());
    let conn = read_only(&path);
    let first_tables = tables(&conn);
    let before = dump(&conn, &first_tables);
    drop(conn);
    for table in [
        "settings",
        "products",
        "sales",
        "sale_lines",
        "payments",
        "stock_movements",
        "parked_carts",
        "open_cart",
    ] {
        assert!(
            !before[table].is_empty(),
            "the first-version store has {table}"
        );
    }

    let mut store = Store::open(&path).expect("the first version is migrated");
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let conn = read_only(&path);
    assert_eq!(
        dump(&conn, &first_tables),
        before,
        "every row of every table is kept"
    );
    let fresh_dir = tempfile::tempdir().unwrap();
    drop(Store::open_in(fresh_dir.path()).unwrap());
    assert_eq!(
        schema(&conn),
        schema(&read_only(&fresh_dir.path().join(DATABASE_FILE))),
        "the migrated schema is the current one"
    );
    assert_consistent(&conn);
    // Shared records got distinct UUIDv7s, and the ledger the folder's first origin.
    for table in ["producers", "products", "sales"] {
        let uids: Vec<String> = conn
            .prepare(&format!("SELECT uid FROM {table}"))
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!uids.is_empty(), "{table}");
        let distinct: std::collections::BTreeSet<&String> = uids.iter().collect();
        assert_eq!(distinct.len(), uids.len(), "{table}: one uid each");
        for uid in &uids {
            assert_eq!(
                uuid::Uuid::parse_str(uid).unwrap().get_version_num(),
                7,
                "{table}: {uid}"
            );
        }
    }
    let unnamed: i64 = conn
        .query_row(
            "SELECT count(*) FROM stock_movements WHERE origin_id IS NOT 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(unnamed, 0, "every movement under the folder's first origin");
    // What the folder held before it had events is in its first events, for a node that joins.
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
    assert_eq!(
        count(
            "SELECT coalesce(sum(json_extract(s.value, '$.qty_milli')), 0)
               FROM sync_events e, json_each(e.stock) s"
        ),
        count("SELECT sum(quantity_milli) FROM stock_movements"),
        "the stock so far"
    );
    assert_eq!(
        count("SELECT count(*) FROM sync_events WHERE kind = 'product'"),
        count("SELECT count(*) FROM products"),
        "the catalogue"
    );
    // The sales made before the store had hash chains were chained by the migration.
    let checks = store.verify_chains(chrono::Utc::now()).unwrap();
    let sales = checks
        .iter()
        .find(|check| check.kind == ocop_pos::core::chain::ChainKind::Sale)
        .unwrap();
    assert_eq!(sales.checked, 12);
    assert!(checks.iter().all(|check| check.broken.is_none()));

    // The migrated store sells on and reads its old sales back.
    assert_eq!(store.parked_carts().unwrap().len(), 1);
    assert!(
        store
            .sale_by_receipt_no("2026-AA-000012")
            .unwrap()
            .is_some()
    );
    sell(&mut store, 1, 40);
    assert!(
        store
            .sale_by_receipt_no("2026-AA-000013")
            .unwrap()
            .is_some()
    );
    assert!(store.stock_mismatches().unwrap().is_empty());
}

fn a_failed_migration_leaves_the_older_database_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = first_version_database(dir.path());
    // The table the last migration creates last already exists (say, made by hand), so the
    // upgrade fails at its very end, after every other step ran.
    let fresh_dir = tempfile::tempdir().unwrap();
    drop(Store::open_in(fresh_dir.path()).unwrap());
    let fresh = read_only(&fresh_dir.path().join(DATABASE_FILE));
    let conn = Connection::open(&path).unwrap();
    let first_tables = tables(&conn);
    let created_last: String = fresh
        .query_row(
            &format!(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ({})
                 ORDER BY rowid DESC LIMIT 1",
                first_tables
                    .keys()
                    .map(|t| format!("'{t}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            [],
            |row| row.get(0),
        )
        .expect("the migrations create tables");
    conn.execute(&format!("CREATE TABLE \"{created_last}\" (x)"), [])
        .unwrap();
    let before = whole_dump(&conn);
    let schema_before = schema(&conn);
    drop(conn);

    assert!(Store::open(&path).is_err(), "the upgrade fails");
    let conn = read_only(&path);
    let version: i32 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, 1);
    assert_eq!(
        schema(&conn),
        schema_before,
        "no step of the upgrade remains"
    );
    assert_eq!(whole_dump(&conn), before);
}
