//! `ocop-pos hub …` against a real PostgreSQL: init, alerts and the province reports as a
//! person reads them, with each node's "synced up to"; the URL from the setting `hub_url`.

mod common;

use common::hub_events::{Line, Till};
use common::postgres::{database, one_at_a_time};
use ocop_pos::core::staff::Role;
use ocop_pos::hub::{HUB_SCHEMA_VERSION, Hub};
use ocop_pos::store::{AuditFilter, HUB_URL_SETTING, Store};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ocop_pos(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ocop-pos"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_manager_sets_up_the_hub_then_reads_alerts_and_province_figures() {
    let _turn = one_at_a_time();
    let url = database();
    let nowhere = tempfile::tempdir().unwrap();
    let created = stdout(&ocop_pos(nowhere.path(), &["hub", "init", "--url", &url]));
    assert!(
        created.contains(&format!(
            "created the hub schema, version {HUB_SCHEMA_VERSION}"
        )),
        "{created}"
    );
    let again = stdout(&ocop_pos(nowhere.path(), &["hub", "init", "--url", &url]));
    assert!(
        again.contains(&format!("already at version {HUB_SCHEMA_VERSION}")),
        "{again}"
    );

    let mut hub = Hub::new(&url).unwrap();
    let mut manager = Till::new("RG", "MG");
    let mut counter = Till::new("RG", "AA");
    let mut other_store = Till::new("HG", "AA");
    hub.push(
        &manager.origin(),
        &[manager.catalogue("producer", "pr-taxua", "HTX Tà Xùa")],
    )
    .unwrap();
    let tea = Line {
        product: "p-tea",
        producer: "pr-taxua",
        qty_milli: 2000,
        total: 240_000,
    };
    counter.at = "2026-12-01T09:30:00.000Z".into();
    hub.push(&counter.origin(), &[counter.sale("2026-12-01", &[tea])])
        .unwrap();
    hub.push(
        &other_store.origin(),
        &[
            other_store.receiving("p-tea", 1000),
            other_store.sale("2026-12-01", &[tea]),
        ],
    )
    .unwrap();

    // The URL from the data folder's setting.
    let shop = tempfile::tempdir().unwrap();
    Store::open_in(shop.path())
        .unwrap()
        .set_setting(HUB_URL_SETTING, &url)
        .unwrap();
    let day = stdout(&ocop_pos(
        shop.path(),
        &["hub", "report", "day", "--date", "2026-12-01"],
    ));
    assert!(day.contains("HG") && day.contains("RG"), "{day}");
    assert!(day.contains("480.000 ₫"), "the province's total: {day}");
    assert!(day.contains("pr-taxua HTX Tà Xùa"), "{day}");
    // 09:30 UTC is 16:30 in Vietnam.
    assert!(
        day.contains("RG AA: đến / synced up to 01/12/2026 16:30 (#1)"),
        "{day}"
    );
    let producer = stdout(&ocop_pos(
        shop.path(),
        &[
            "hub",
            "report",
            "producer",
            "--producer",
            "pr-taxua",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-31",
        ],
    ));
    assert!(
        producer.contains("HTX Tà Xùa (01/12/2026 – 31/12/2026)"),
        "{producer}"
    );
    assert!(producer.contains("HG SKU-p-tea"), "{producer}");
    assert!(producer.contains("480.000 ₫"), "{producer}");

    let alerts = stdout(&ocop_pos(shop.path(), &["hub", "alerts"]));
    assert!(alerts.contains("Oversold"), "{alerts}");
    assert!(alerts.contains("stock 1000 → -1000"), "{alerts}");
}

#[test]
fn a_hub_that_cannot_be_reached_is_said_in_both_languages() {
    let nowhere = tempfile::tempdir().unwrap();
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://hub@127.0.0.1:{port}/province");
    let output = ocop_pos(nowhere.path(), &["hub", "alerts", "--url", &url]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("không kết nối được") && stderr.contains("cannot be reached"),
        "{stderr}"
    );
    let output = ocop_pos(nowhere.path(), &["hub", "alerts"]);
    assert!(!output.status.success(), "no store, no URL");
}

#[test]
fn a_manager_names_the_hub_in_the_settings_and_its_password_is_never_shown() {
    let shop = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(shop.path()).unwrap();
    store
        .create_staff("Võ Thị Hoa", Role::Manager, "4826", common::shop_time())
        .unwrap();
    drop(store);
    let set = |url: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ocop-pos"))
            .arg("--data-dir")
            .arg(shop.path())
            .args(["--pin-stdin", "settings", "set", "hub_url", url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(b"4826\n").unwrap();
        child.wait_with_output().unwrap()
    };
    let refused = set("http://10.0.0.5/province");
    assert!(!refused.status.success(), "only a postgres:// URL");
    stdout(&set("postgres://ocop:s3cret@10.0.0.5/province"));
    let settings = stdout(&ocop_pos(shop.path(), &["settings"]));
    assert!(
        settings.contains("hub_url = postgres://ocop:***@10.0.0.5/province"),
        "{settings}"
    );
    let store = Store::open_in(shop.path()).unwrap();
    assert_eq!(
        store.setting(HUB_URL_SETTING).unwrap().as_deref(),
        Some("postgres://ocop:s3cret@10.0.0.5/province")
    );
    let audit: String = store
        .audit_entries(&AuditFilter::default())
        .unwrap()
        .iter()
        .map(|entry| format!("{entry:?}"))
        .collect();
    assert!(
        audit.contains("hub_url") && !audit.contains("s3cret"),
        "{audit}"
    );
}
