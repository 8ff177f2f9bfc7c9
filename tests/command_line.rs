//! The real program's commands, run as a shop's script would run them (`--pin-stdin`), on real
//! SQLite files in temporary folders. Every subcommand clap knows is run — a new one without a
//! sample here fails the first test — and the database is read back after each:
//! - a command that changes data is refused without a manager's PIN (none given, no terminal,
//!   a wrong one, a cashier's) and changes nothing; with one it works and leaves an audit row
//!   naming the manager; a command that only reads changes nothing at all;
//! - no command ever puts a demo row into a real store, and none creates a store with demo data
//!   in a folder that has none.

mod common;

use chrono::{Duration, NaiveDate, Utc};
use common::shop_time;
use ocop_pos::cli::subcommand_paths;
use ocop_pos::config::{Config, DEMO_GIFT_PACKS_CSV, DEMO_PRODUCTS_CSV, DEMO_STAFF};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::customer::CreditTerms;
use ocop_pos::core::einvoice::{DEFAULT_XML_VERSION, InvoiceSettings, Registration, VatMethod};
use ocop_pos::core::giftpack::PackPricing;
use ocop_pos::core::invoice::Buyer;
use ocop_pos::core::money::Money;
use ocop_pos::core::order::{OrderDraft, OrderLine};
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::core::settings::{ShopSettings, StoreKind};
use ocop_pos::core::staff::Role;
use ocop_pos::hub::Hub;
use ocop_pos::store::backup::{BackupPolicy, back_up};
use ocop_pos::store::sync::HUB_CURSOR_SETTING;
use ocop_pos::store::{
    AUTO_OPEN_SESSIONS, DATABASE_FILE, HUB_URL_SETTING, ImportMode, SESSION_POLICY_SETTING, Store,
};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

const MANAGER: (&str, &str) = ("Võ Thị Hoa", "4826");
const CASHIER: (&str, &str) = ("Phan Văn Tài", "3791");
/// The PINs `staff add` asks for the new person, after the manager's.
const NEW_PIN_TWICE: &str = "5173\n5173\n";

const PRODUCERS_CSV: &str = "\
name,kind,commune,province,contact,tax_code,bank_account,consignment,commission_pct
HTX Trà Shan tuyết Tà Xùa,cooperative,Xã Tà Xùa,Sơn La,,,,1,15
";
const PRODUCTS_CSV: &str = "\
sku,barcodes,name,producer,ocop_group,ocop_stars,unit,sold_by_weight,plu,price_vnd,vat_rate,low_stock,active
TS001,,Trà Shan tuyết Tà Xùa 100g,HTX Trà Shan tuyết Tà Xùa,Đồ uống,4,hộp,0,,120000,8,5,1
";
const MORE_PRODUCERS_CSV: &str = "\
name,kind,commune,province,contact,tax_code,bank_account,consignment,commission_pct
HTX Trà Shan tuyết Tà Xùa,cooperative,Xã Tà Xùa,Sơn La,,,,1,15
Cơ sở Mật ong Bản Áng,facility,Xã Đông Sang,Sơn La,,,,0,
";
const MORE_PRODUCTS_CSV: &str = "\
sku,barcodes,name,producer,ocop_group,ocop_stars,unit,sold_by_weight,plu,price_vnd,vat_rate,low_stock,active
TS001,,Trà Shan tuyết Tà Xùa 100g,HTX Trà Shan tuyết Tà Xùa,Đồ uống,4,hộp,0,,125000,8,5,1
TS002,,Trà Shan tuyết Tà Xùa 200g,HTX Trà Shan tuyết Tà Xùa,Đồ uống,4,hộp,0,,230000,8,5,1
";
const BUYER_TAX_CODE: &str = "0100233488";

/// A real store (as `--no-demo` makes it) in use: a manager and a cashier, a producer and a
/// product from the shop's own files, two sales, a buyer, a gift pack, an invoice, a backup.
struct Shop {
    /// The store, never run on: each command gets a copy.
    template: TempDir,
    /// Files the commands read: CSVs and the backup.
    files: TempDir,
    words: BTreeMap<&'static str, String>,
}

fn real_shop() -> Shop {
    let template = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let config = Config::new(Some(template.path().to_path_buf()), false);
    let mut store = config.open_store().unwrap();
    assert_eq!(store.store_kind().unwrap(), StoreKind::Real);
    assert_eq!(
        store.product_count().unwrap(),
        0,
        "--no-demo: an empty store"
    );
    let at = shop_time();
    store
        .create_staff(MANAGER.0, Role::Manager, MANAGER.1, at)
        .unwrap();
    store
        .create_staff(CASHIER.0, Role::Cashier, CASHIER.1, at)
        .unwrap();
    store
        .set_setting(SESSION_POLICY_SETTING, AUTO_OPEN_SESSIONS)
        .unwrap();
    // The province hub: a real PostgreSQL, named by the store's setting.
    let hub = common::postgres::database();
    Hub::new(&hub).unwrap().init().unwrap();
    store.set_setting(HUB_URL_SETTING, &hub).unwrap();
    store
        .import_producers(PRODUCERS_CSV, ImportMode::Commit, at, "test")
        .unwrap();
    store
        .import_products(PRODUCTS_CSV, ImportMode::Commit, at, "test", &mut |_, _| {})
        .unwrap();
    // Registered for cash-register invoices: every sale is one.
    store
        .save_invoice_settings(&InvoiceSettings {
            seller_name: "HTX Trà Tà Xùa".into(),
            seller_address: "bản Tà Xùa, xã Bắc Yên, tỉnh Sơn La".into(),
            seller_tax_code: "0100112437".into(),
            vat_method: VatMethod::Credit,
            store_code: "TX1".into(),
            store_name: "Cửa hàng Tà Xùa".into(),
            registration: Registration::WithCode,
            series_letters: "TX".into(),
            authority_code: "K7Q2M".into(),
            xml_version: DEFAULT_XML_VERSION.into(),
            lookup_url: "https://hoadon.example.vn".into(),
        })
        .unwrap();
    // Sent as upload files (into the data folder's einvoice-export/) when asked.
    store.set_setting("send.provider", "file").unwrap();
    let tea = store.catalogue(at).unwrap().remove(0);
    let mut receipts = Vec::new();
    let mut invoices = Vec::new();
    for n in 0..2 {
        let mut cart = Cart::default();
        cart.add_product(&tea, Decimal::from(2)).unwrap();
        let sale =
            common::sell_for_exact_cash(&mut store, &cart, at + Duration::minutes(n)).unwrap();
        invoices.push(sale.invoice.issued().expect("an invoice").reference());
        receipts.push(sale.receipt_no);
    }
    let buyer = Buyer {
        id: 0,
        tax_code: BUYER_TAX_CODE.into(),
        name: "Công ty TNHH Du lịch Biển Xanh".into(),
        address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
        email: String::new(),
        contact: String::new(),
    };
    store.save_buyer(&buyer, at).unwrap();
    store
        .create_gift_pack(
            "GP900",
            "Hộp trà Tà Xùa",
            PackPricing::Fixed(Money(250_000)),
            &[("TS001".to_string(), Decimal::ONE)],
            at,
        )
        .unwrap();
    // A company on account with an order, its deposit and a sale on account.
    let company = store.company(BUYER_TAX_CODE, at).unwrap().unwrap();
    store
        .set_credit_terms(
            company.id,
            CreditTerms {
                limit: Money(10_000_000),
                days: 30,
            },
            MANAGER.0,
            at,
        )
        .unwrap();
    let order = store
        .create_order(
            &OrderDraft {
                customer_id: company.id,
                lines: vec![OrderLine::product(
                    &tea,
                    Decimal::from(20),
                    Money(110_000),
                    NaiveDate::from_ymd_opt(2027, 1, 20).unwrap(),
                )],
                deposit_asked: Money(600_000),
                ..OrderDraft::default()
            },
            CASHIER.0,
            at,
        )
        .unwrap();
    store
        .take_deposit(
            order.id,
            PaymentMethod::Transfer,
            Money(600_000),
            "",
            CASHIER.0,
            at,
        )
        .unwrap();
    let mut cart = Cart::default();
    cart.add_product(&tea, Decimal::from(3)).unwrap();
    cart.buyer = company.invoice_buyer();
    let on_account = SaleDraft::new(
        &cart,
        vec![Tender {
            method: PaymentMethod::OnAccount,
            amount: cart.totals().total,
            reference: None,
        }],
        CASHIER.0,
    )
    .unwrap();
    store
        .commit_sale(&on_account, at + Duration::minutes(5))
        .unwrap();
    let producer = store.producers().unwrap()[0].id;
    drop(store);
    let backup = back_up(template.path(), &BackupPolicy::default(), None, at).unwrap();
    // A second counter of the same store (a copy of the folder, node AB) sells once; its
    // events are the file `events import` takes.
    let till = tempfile::tempdir().unwrap();
    std::fs::copy(
        template.path().join(DATABASE_FILE),
        till.path().join(DATABASE_FILE),
    )
    .unwrap();
    let mut till_store = Store::open_in(till.path()).unwrap();
    till_store
        .set_node_identity(None, Some("AB"), None)
        .unwrap();
    let mut cart = Cart::default();
    cart.add_product(&tea, Decimal::ONE).unwrap();
    common::sell_for_exact_cash(&mut till_store, &cart, at + Duration::minutes(9)).unwrap();
    let lines: String = till_store
        .events_after(0, usize::MAX)
        .unwrap()
        .iter()
        .map(|event| serde_json::to_string(event).unwrap() + "\n")
        .collect();
    std::fs::write(files.path().join("till-ab.ndjson"), lines).unwrap();
    for (name, text) in [
        ("producers.csv", PRODUCERS_CSV),
        ("products.csv", PRODUCTS_CSV),
        ("more-producers.csv", MORE_PRODUCERS_CSV),
        ("more-products.csv", MORE_PRODUCTS_CSV),
    ] {
        std::fs::write(files.path().join(name), text).unwrap();
    }
    let words = BTreeMap::from([
        ("{files}", files.path().display().to_string()),
        ("{receipt}", receipts[0].clone()),
        ("{other_receipt}", receipts[1].clone()),
        ("{invoice}", invoices[0].clone()),
        ("{producer}", producer.to_string()),
        ("{backup}", backup.backup.path.display().to_string()),
        ("{buyer}", BUYER_TAX_CODE.to_string()),
        ("{hub}", hub),
    ]);
    Shop {
        template,
        files,
        words,
    }
}

/// Whether a command changes data, and the audit act it writes when it does.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Reads,
    Changes(&'static str),
}

/// One run of each subcommand (`{dir}` is the data folder it runs on).
fn samples() -> Vec<(Kind, Vec<&'static str>)> {
    use Kind::*;
    let sample = |kind, line: &'static str| (kind, line.split('|').collect::<Vec<_>>());
    vec![
        sample(
            Changes("reprint"),
            "receipt|reprint|{receipt}|--pdf|{dir}/copy.pdf",
        ),
        sample(Reads, "settings"),
        sample(
            Changes("setting_changed"),
            "settings|set|phone|0297 3862 000",
        ),
        sample(Reads, "backup|--to|{dir}/extra"),
        sample(Reads, "backups"),
        sample(Changes("restore"), "restore|{backup}"),
        sample(Reads, "producers"),
        sample(
            Reads,
            "producers|import|{files}/more-producers.csv|--dry-run",
        ),
        sample(
            Changes("catalogue_imported"),
            "producers|import|{files}/more-producers.csv",
        ),
        sample(Reads, "producers|export|{dir}/producers.csv"),
        sample(Reads, "products|import|{files}/more-products.csv|--dry-run"),
        sample(
            Changes("import_products"),
            "products|import|{files}/more-products.csv",
        ),
        sample(Reads, "products|export|{dir}/products.csv"),
        sample(
            Changes("gift_pack_changed"),
            "pack|add|--sku|GP901|--name|Hộp trà đôi|--discount|10000|--item|TS001:2",
        ),
        sample(
            Changes("gift_pack_changed"),
            "pack|edit|GP900|--name|Hộp trà Tà Xùa mới|--price|260000|--item|TS001",
        ),
        sample(Changes("gift_pack_changed"), "pack|deactivate|GP900"),
        sample(Changes("gift_pack_changed"), "pack|activate|GP900"),
        sample(Reads, "packs"),
        sample(Reads, "staff"),
        sample(
            Changes("staff_added"),
            "staff|add|--name|Lý Thị Mai|--role|cashier",
        ),
        sample(Changes("staff_disabled"), "staff|disable|Phan Văn Tài"),
        sample(Changes("staff_enabled"), "staff|enable|Võ Thị Hoa"),
        sample(
            Changes("staff_role_changed"),
            "staff|role|Phan Văn Tài|manager",
        ),
        sample(Changes("staff_pin_reset"), "staff|reset-pin|Phan Văn Tài"),
        sample(Reads, "verify"),
        sample(
            Changes("buyer_saved"),
            "buyer|add|--tax-code|0100109106|--name|Công ty CP Quà Việt|--address|5 Lê Lợi, Huế",
        ),
        sample(Reads, "buyers"),
        sample(Reads, "buyers|Biển"),
        sample(
            Reads,
            "invoice|show|{invoice}|--pdf|{dir}/invoice-copy.pdf|--xml|{dir}/invoice.xml",
        ),
        sample(
            Changes("correct_invoice"),
            "invoice|replace|{invoice}|--reason|khách cần hóa đơn công ty|--tax-code|{buyer}|--agreement|BB-01/2026|--pdf|{dir}/invoice.pdf",
        ),
        sample(
            Changes("refund"),
            "invoice|adjust|{invoice}|--item|1:1|--reason|khách trả một gói",
        ),
        sample(Reads, "einvoice|status"),
        sample(Changes("send_einvoices"), "einvoice|send"),
        sample(
            Changes("export_einvoices"),
            "einvoice|export|--date|2026-11-26|{dir}/upload",
        ),
        sample(Reads, "einvoice|show|{invoice}|--xml|{dir}/einvoice.xml"),
        sample(Reads, "report|day|--date|2026-11-26"),
        sample(Reads, "printer|test|--pdf|{dir}/test-page.pdf"),
        sample(Reads, "labels|--all|--pdf|{dir}/labels.pdf"),
        sample(Reads, "labels|--sku|TS001|--pdf|{dir}/labels.pdf"),
        sample(
            Reads,
            "labels|--producer|HTX Trà Shan tuyết Tà Xùa|--pdf|{dir}/labels.pdf",
        ),
        sample(Reads, "labels|--group|Đồ uống|--pdf|{dir}/labels.pdf"),
        sample(
            Reads,
            "labels|--price-change|2027-01-01|--pdf|{dir}/labels.pdf",
        ),
        sample(
            Reads,
            "report|day|--date|2026-11-26|--pdf|{dir}/day.pdf|--csv|{dir}/day.csv",
        ),
        sample(
            Reads,
            "report|producer|--producer|{producer}|--from|2026-11-01|--to|2026-11-30",
        ),
        sample(Reads, "hub|init|--url|{hub}"),
        sample(Reads, "hub|alerts"),
        // No PIN: it moves only documents already written (here nothing comes down: no other
        // node of the store has sent any).
        sample(Reads, "sync|--once|--url|{hub}"),
        // Real sales under the manager's name, synced: a manager's PIN, audited.
        sample(
            Changes("till_simulation"),
            "till-sim|--sales|2|--pace-ms|0|--fast-sync|--url|{hub}",
        ),
        sample(Reads, "hub|report|day|--date|2026-11-26"),
        sample(
            Reads,
            "hub|report|producer|--producer|pr-taxua|--from|2026-11-01|--to|2026-11-30|--url|{hub}",
        ),
        sample(Reads, "node|show"),
        sample(Changes("setting_changed"), "node|set|--code|AC"),
        sample(Reads, "events|export|--since|0|{dir}/events.ndjson"),
        sample(
            Changes("events_imported"),
            "events|import|{files}/till-ab.ndjson",
        ),
        sample(Reads, "orders"),
        sample(Reads, "orders|--open|--due|2027-01-20"),
        sample(Reads, "receivables"),
        sample(
            Reads,
            "statement|--customer|{buyer}|--from|2026-11-01|--to|2026-12-31|--pdf|{dir}/statement.pdf",
        ),
    ]
}

/// The subcommand a sample runs (`["pack", "add"]`): its leading words without a dash.
fn path_of(words: &[&str]) -> Vec<String> {
    let paths = subcommand_paths();
    (1..=words.len())
        .rev()
        .map(|n| words[..n].iter().map(|w| w.to_string()).collect::<Vec<_>>())
        .find(|prefix| paths.contains(prefix))
        .unwrap_or_else(|| panic!("{words:?} runs no subcommand"))
}

fn with_words(shop: &Shop, dir: &Path, words: &[&str]) -> Vec<String> {
    words
        .iter()
        .map(|word| {
            let mut word = word.replace("{dir}", &dir.display().to_string());
            for (placeholder, value) in &shop.words {
                word = word.replace(placeholder, value);
            }
            word
        })
        .collect()
}

/// A copy of the shop's store in a folder of its own.
fn copy_of(shop: &Shop) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        shop.template.path().join(DATABASE_FILE),
        dir.path().join(DATABASE_FILE),
    )
    .unwrap();
    dir
}

/// Runs the program on `dir` with `--pin-stdin`, `stdin` being what a script pipes in.
fn ocop_pos(dir: &Path, args: &[String], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ocop-pos"));
    command.arg("--data-dir").arg(dir);
    if stdin.is_some() {
        command.arg("--pin-stdin");
    }
    let mut child = command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // A command that needs no PIN may end before reading any.
    let _ = input.write_all(stdin.unwrap_or_default().as_bytes());
    drop(input);
    child.wait_with_output().unwrap()
}

fn said(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn open_read_only(dir: &Path) -> Connection {
    Connection::open_with_flags(dir.join(DATABASE_FILE), OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// Every row of every table, as text.
fn rows(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = open_read_only(dir);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let columns = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |row| {
                    Ok((0..columns)
                        .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort();
            (table, rows)
        })
        .collect()
}

/// The rows without the node's identity: a copied folder takes a new incarnation (and renames
/// its origin) at its first open, whatever the command.
fn without_identity(mut rows: BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    for table in ["sync_origins", "sync_node"] {
        rows.remove(table);
    }
    rows
}

/// The audit rows as (actor, act), oldest first.
fn audit(dir: &Path) -> Vec<(String, String)> {
    open_read_only(dir)
        .prepare("SELECT actor, act FROM audit_log ORDER BY id")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Nothing of the demo in the store: no demo product, gift pack or staff member, not the demo's
/// tax code or bank account, and the store still says it is a real one.
fn assert_no_demo(dir: &Path, what: &str) {
    let conn = open_read_only(dir);
    let first_column = |csv: &str| -> Vec<String> {
        csv.lines()
            .skip(1)
            .filter_map(|line| line.split(',').next())
            .map(String::from)
            .collect()
    };
    let count = |sql: &str, values: &[String]| -> i64 {
        values
            .iter()
            .map(|value| {
                conn.query_row(sql, [value], |row| row.get::<_, i64>(0))
                    .unwrap()
            })
            .sum()
    };
    let products = first_column(DEMO_PRODUCTS_CSV);
    assert!(products.len() >= 42);
    assert_eq!(
        count("SELECT count(*) FROM products WHERE sku = ?1", &products),
        0,
        "demo products after {what}"
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM gift_packs WHERE sku = ?1",
            &first_column(DEMO_GIFT_PACKS_CSV)
        ),
        0,
        "demo gift packs after {what}"
    );
    let demo_staff: Vec<String> = DEMO_STAFF
        .iter()
        .map(|(name, ..)| name.to_string())
        .collect();
    assert_eq!(
        count("SELECT count(*) FROM staff WHERE name = ?1", &demo_staff),
        0,
        "demo staff after {what}"
    );
    let demo = ShopSettings::demo();
    assert_eq!(
        count(
            "SELECT count(*) FROM settings WHERE value = ?1",
            &[demo.tax_code, demo.bank_account, demo.shop_name]
        ),
        0,
        "the demo's tax code, bank account or name after {what}"
    );
    let kind: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'store.kind'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(kind, "real", "after {what}");
}

#[test]
fn every_subcommand_has_a_sample() {
    let sampled: Vec<Vec<String>> = samples().iter().map(|(_, words)| path_of(words)).collect();
    for path in subcommand_paths() {
        assert!(
            sampled.contains(&path),
            "`ocop-pos {}` has no sample in tests/command_line.rs: add one, saying whether it \
             changes data",
            path.join(" ")
        );
    }
}

#[test]
fn changes_need_a_manager_s_pin_and_are_audited_and_reads_change_nothing() {
    let shop = real_shop();
    let before = {
        let dir = copy_of(&shop);
        without_identity(rows(dir.path()))
    };
    let audited_before = audit(shop.template.path()).len();
    for (kind, words) in samples() {
        let line = words.join(" ");
        match kind {
            Kind::Reads => {
                let dir = copy_of(&shop);
                let args = with_words(&shop, dir.path(), &words);
                // No PIN on hand: a read never asks for one.
                let output = ocop_pos(dir.path(), &args, Some(""));
                assert!(output.status.success(), "{line}: {}", said(&output));
                // `verify` moves the chains' last verified point (and records a break it
                // finds): the check's own bookkeeping, not the shop's data.
                let (mut after, mut expected) =
                    (without_identity(rows(dir.path())), before.clone());
                if line == "verify" {
                    for table in ["chain_checkpoints", "chain_breaks"] {
                        after.remove(table);
                        expected.remove(table);
                    }
                }
                // A copied folder sends what it wrote under its earlier name, and the hub's
                // feed brings those events back, already held: the pull's cursor moves — the
                // sync's own bookkeeping, not the shop's data.
                if line.starts_with("sync --once") {
                    let cursor = format!("{:?}|", ValueRef::Text(HUB_CURSOR_SETTING.as_bytes()));
                    for rows in [&mut after, &mut expected] {
                        if let Some(settings) = rows.get_mut("settings") {
                            settings.retain(|row| !row.starts_with(&cursor));
                        }
                    }
                }
                assert_eq!(after, expected, "`{line}` only reads");
                assert_no_demo(dir.path(), &line);
            }
            Kind::Changes(act) => {
                let refusals: [(Option<&str>, &str); 4] = [
                    (None, "no terminal"),
                    (Some(""), "no PIN given"),
                    (Some("0000\n5173\n5173\n"), "a wrong PIN"),
                    (Some("3791\n5173\n5173\n"), "a cashier's PIN"),
                ];
                for (stdin, why) in refusals {
                    let dir = copy_of(&shop);
                    let args = with_words(&shop, dir.path(), &words);
                    let output = ocop_pos(dir.path(), &args, stdin);
                    assert!(
                        !output.status.success(),
                        "`{line}` with {why}: {}",
                        said(&output)
                    );
                    let stderr = String::from_utf8_lossy(&output.stderr);
                    assert!(
                        stderr.contains("PIN"),
                        "`{line}` with {why} says why: {}",
                        said(&output)
                    );
                    let mut after = without_identity(rows(dir.path()));
                    let mut expected = before.clone();
                    // A wrong PIN is counted against the managers, as at the PIN pad.
                    if why == "a wrong PIN" {
                        assert_ne!(after["staff"], before["staff"], "`{line}`: counted");
                        let failed: Vec<String> = audit(dir.path())
                            .into_iter()
                            .skip(audited_before)
                            .map(|(_, act)| act)
                            .collect();
                        assert!(
                            !failed.is_empty() && failed.iter().all(|act| act == "pin_failed"),
                            "`{line}`: the wrong PIN is audited and nothing else: {failed:?}"
                        );
                        // Each audit row is also this node's event.
                        for table in ["staff", "audit_log", "sync_events"] {
                            after.remove(table);
                            expected.remove(table);
                        }
                    }
                    assert_eq!(after, expected, "`{line}` with {why} changes nothing");
                    assert!(
                        !dir.path().join("copy.pdf").exists()
                            && !dir.path().join("invoice.pdf").exists(),
                        "`{line}` with {why} writes no document"
                    );
                }
                let dir = copy_of(&shop);
                let args = with_words(&shop, dir.path(), &words);
                let pins = format!("{}\n{NEW_PIN_TWICE}", MANAGER.1);
                let output = ocop_pos(dir.path(), &args, Some(&pins));
                assert!(output.status.success(), "{line}: {}", said(&output));
                assert_ne!(rows(dir.path()), before, "`{line}` changed something");
                let audited = audit(dir.path());
                // One row for the act; an import also writes one per price it changed.
                let new_rows = &audited[audited_before..];
                assert!(
                    !new_rows.is_empty() && new_rows.iter().all(|(who, _)| who == MANAGER.0),
                    "`{line}`: audited, every row with the manager's name: {new_rows:?}"
                );
                assert_eq!(
                    audited.last().unwrap(),
                    &(MANAGER.0.to_string(), act.to_string()),
                    "`{line}` is audited with the manager's name"
                );
                assert_no_demo(dir.path(), &line);
            }
        }
    }
    // The shop's files are only read.
    assert_eq!(
        std::fs::read_to_string(shop.files.path().join("more-products.csv")).unwrap(),
        MORE_PRODUCTS_CSV
    );
}

#[test]
fn no_command_makes_a_store_with_demo_data_in_a_folder_without_one() {
    let shop = real_shop();
    for (kind, words) in samples() {
        let line = words.join(" ");
        let dir = tempfile::tempdir().unwrap();
        let args = with_words(&shop, dir.path(), &words);
        let pins = format!("{}\n{NEW_PIN_TWICE}", MANAGER.1);
        let output = ocop_pos(dir.path(), &args, Some(&pins));
        let database = dir.path().join(DATABASE_FILE);
        match (kind, path_of(&words).join(" ").as_str()) {
            // Restoring into an empty folder is how a store moves to a new PC.
            (_, "restore") => {
                assert!(output.status.success(), "{line}: {}", said(&output));
                assert_eq!(
                    audit(dir.path()).last().unwrap(),
                    &(MANAGER.0.to_string(), "restore".to_string()),
                    "checked against the backup's managers"
                );
            }
            // The listing of backups needs no store, nor a hub command given its URL.
            (_, "backups") => assert!(output.status.success(), "{}", said(&output)),
            (_, path) if path.starts_with("hub ") && line.contains("--url") => {
                assert!(output.status.success(), "{line}: {}", said(&output));
                assert!(!database.exists(), "`{line}` made no store");
            }
            (_, "staff add") => {
                // A cashier cannot be a store's first person.
                assert!(!output.status.success(), "{line}: {}", said(&output));
                assert!(!database.exists());
            }
            _ => {
                assert!(!output.status.success(), "{line}: {}", said(&output));
                let stderr = String::from_utf8_lossy(&output.stderr);
                assert!(
                    stderr.contains("no store") && stderr.contains("Chưa có cửa hàng"),
                    "`{line}` says there is no store yet: {}",
                    said(&output)
                );
                assert!(!database.exists(), "`{line}` made no store");
            }
        }
        if database.exists() {
            assert_no_demo(dir.path(), &line);
        }
    }
}

#[test]
fn an_empty_real_store_gets_no_demo_from_any_command() {
    // The shop's own store before anything was put in it: what the demo used to fill.
    let shop = real_shop();
    let empty = tempfile::tempdir().unwrap();
    let mut store = Config::new(Some(empty.path().to_path_buf()), false)
        .open_store()
        .unwrap();
    store
        .create_staff(MANAGER.0, Role::Manager, MANAGER.1, shop_time())
        .unwrap();
    drop(store);
    for (_, words) in samples() {
        let line = words.join(" ");
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            empty.path().join(DATABASE_FILE),
            dir.path().join(DATABASE_FILE),
        )
        .unwrap();
        let args = with_words(&shop, dir.path(), &words);
        let pins = format!("{}\n{NEW_PIN_TWICE}", MANAGER.1);
        // Many refuse (no such receipt…); none may bring in the demo.
        ocop_pos(dir.path(), &args, Some(&pins));
        if path_of(&words).join(" ") != "restore" {
            assert_no_demo(dir.path(), &line);
            let store = Store::open_in(dir.path()).unwrap();
            assert!(store.product_count().unwrap() <= 2, "{line}");
        }
    }
}

#[test]
fn the_first_manager_makes_an_empty_real_store_and_pins_are_asked_twice_and_unique() {
    let dir = tempfile::tempdir().unwrap();
    let add = |name: &str, role: &str, stdin: &str| {
        let args: Vec<String> = ["staff", "add", "--name", name, "--role", role]
            .map(String::from)
            .to_vec();
        ocop_pos(dir.path(), &args, Some(stdin))
    };
    // Two different PINs: nobody is added.
    let output = add(MANAGER.0, "manager", "4826\n4862\n");
    assert!(!output.status.success(), "{}", said(&output));
    assert!(said(&output).contains("The two new PINs differ"));
    let output = add(MANAGER.0, "manager", "12\n12\n");
    assert!(
        !output.status.success(),
        "a PIN is 4–8 digits: {}",
        said(&output)
    );
    // The first manager needs no approval: their PIN twice.
    let output = add(MANAGER.0, "manager", "4826\n4826\n");
    assert!(output.status.success(), "{}", said(&output));
    assert_no_demo(dir.path(), "the first staff add");
    let store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.product_count().unwrap(), 0);
    assert_eq!(store.staff().unwrap().len(), 1);
    drop(store);
    assert_eq!(
        audit(dir.path()),
        vec![(MANAGER.0.to_string(), "staff_added".to_string())]
    );
    // From now on a manager approves, and a PIN already in use is refused: it would no longer
    // name one person.
    let output = add(CASHIER.0, "cashier", "4826\n4826\n4826\n");
    assert!(!output.status.success(), "{}", said(&output));
    assert!(said(&output).contains("Someone already has that PIN"));
    let output = add(CASHIER.0, "cashier", "3791\n3791\n3791\n");
    assert!(
        !output.status.success(),
        "not a manager's PIN: {}",
        said(&output)
    );
    let output = add(CASHIER.0, "cashier", "4826\n3791\n3791\n");
    assert!(output.status.success(), "{}", said(&output));
    let staff = Store::open_in(dir.path()).unwrap().staff().unwrap();
    assert_eq!(staff.len(), 2);
}

#[test]
fn wrong_pins_on_the_command_line_make_the_managers_wait_like_the_pin_pad() {
    let shop = real_shop();
    let dir = copy_of(&shop);
    let args: Vec<String> = ["settings", "set", "phone", "0909"]
        .map(String::from)
        .to_vec();
    for try_no in 1..=5 {
        let output = ocop_pos(dir.path(), &args, Some("1111\n"));
        assert!(!output.status.success());
        if try_no < 5 {
            assert!(
                said(&output).contains(&format!("{} tries left", 5 - try_no)),
                "{}",
                said(&output)
            );
        }
    }
    // Now even the right PIN waits, and the store is as it was.
    let output = ocop_pos(dir.path(), &args, Some(&format!("{}\n", MANAGER.1)));
    assert!(!output.status.success());
    assert!(said(&output).contains("waits until"), "{}", said(&output));
    let phone: Option<String> = open_read_only(dir.path())
        .query_row(
            "SELECT value FROM settings WHERE key = 'shop.phone'",
            [],
            |row| row.get(0),
        )
        .ok();
    assert_ne!(phone.as_deref(), Some("0909"));
    // The window's PIN pad sees the same wait.
    let mut store = Store::open_in(dir.path()).unwrap();
    let manager = store.staff().unwrap().remove(0);
    assert!(store.sign_in(manager.id, MANAGER.1, Utc::now()).is_err());
    assert!(
        store
            .sign_in(manager.id, MANAGER.1, Utc::now() + Duration::minutes(6))
            .is_ok()
    );
}

#[test]
fn bad_arguments_are_named_and_a_reversed_period_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run = |line: &str| {
        let args: Vec<String> = line.split(' ').map(String::from).collect();
        ocop_pos(dir.path(), &args, None)
    };
    for (line, named) in [
        ("report day", "--date"),
        ("report day --date 2026-13-01", "--date"),
        ("pack add --sku GP9 --name Hộp --item KG1", "--price"),
        ("staff add --name Hoa --role cashier --pin 3333", "--pin"),
        ("invoice adjust 1C26MAA-00000001 --item 1:1", "--reason"),
        (
            "report producer --producer 3 --from 2026-11-30 --to 2026-11-01",
            "--from 2026-11-30 is after --to 2026-11-01",
        ),
        (
            "statement --customer 0100233488 --from 2026-12-31 --to 2026-12-01 --pdf s.pdf",
            "--from 2026-12-31 is after --to 2026-12-01",
        ),
        (
            "statement --customer 0100233488 --from 2026-12-01 --to 2026-12-31",
            "--pdf",
        ),
        ("orders --due 20/13/2027", "--due"),
    ] {
        let output = run(line);
        assert_eq!(output.status.code(), Some(2), "{line}: {}", said(&output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(named), "{line} names {named}: {stderr}");
        assert!(
            !stderr.contains("Commands:"),
            "{line}: the error, not the whole usage: {stderr}"
        );
    }
    // Each subcommand has its own help.
    let output = run("pack add --help");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        help.contains("--item <SKU:QTY>") && !help.contains("--reason"),
        "{help}"
    );
    assert!(!dir.path().join(DATABASE_FILE).exists());
}
