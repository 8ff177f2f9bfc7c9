//! The store's details and staff travel from its catalogue node to its other counters by
//! events file (README "Several counters"): the shop's name and address for the receipts, its
//! policies and invoice registration, and its people with their PINs as salted hashes. A
//! counter's own settings (printers, backups, its invoice series letters, passwords) stay on
//! the counter, and a counter that is not the catalogue node refuses to edit the store's.

mod common;

use common::{demo_store, events_file, shop_time};
use ocop_pos::core::audit::Actor;
use ocop_pos::core::einvoice::InvoiceSettings;
use ocop_pos::core::settings::{Setting, ShopSettings};
use ocop_pos::core::staff::{Role, StaffMember};
use ocop_pos::core::sync_event::SyncEvent;
use ocop_pos::store::sync::SyncError;
use ocop_pos::store::{SignInError, Store, StoreError, setting_key};
use proptest::prelude::*;
use std::collections::BTreeMap;
use tempfile::TempDir;

const MANAGER: (&str, &str) = ("Trần Văn Hùng", "1234");
const CASHIER: (&str, &str) = ("Nguyễn Thị Lan", "1111");
const LEAVER: (&str, &str) = ("Lê Minh Tuấn", "2222");

/// The demo store's catalogue node `AA`, its shop details, registration and staff set.
fn catalogue_node() -> (TempDir, Store) {
    let (dir, mut store) = demo_store();
    store.save_shop_settings(&ShopSettings::demo()).unwrap();
    store
        .save_invoice_settings(&InvoiceSettings::demo())
        .unwrap();
    store
        .create_staff(MANAGER.0, Role::Manager, MANAGER.1, shop_time())
        .unwrap();
    for (name, pin) in [CASHIER, LEAVER] {
        store
            .create_staff(name, Role::Cashier, pin, shop_time())
            .unwrap();
    }
    (dir, store)
}

/// A new counter of the same store: a fresh data folder named `code`.
fn counter(code: &str) -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store.set_node_identity(None, Some(code), None).unwrap();
    (dir, store)
}

fn member(store: &Store, name: &str) -> StaffMember {
    store
        .staff_accounts()
        .unwrap()
        .into_iter()
        .find(|account| account.member.name == name)
        .unwrap_or_else(|| panic!("{name} is on the staff"))
        .member
}

fn manager(store: &Store) -> StaffMember {
    member(store, MANAGER.0)
}

fn shared_events(store: &Store) -> Vec<SyncEvent> {
    events_file(store)
        .into_iter()
        .filter(|event| event.kind == "setting" || event.kind == "staff")
        .collect()
}

/// What a counter shows of the store: its details, its policies, who may sign in.
fn store_view(store: &Store) -> (ShopSettings, String, Vec<(String, Role)>) {
    let staff = store
        .staff()
        .unwrap()
        .into_iter()
        .map(|m| (m.name, m.role))
        .collect();
    (
        store.shop_settings().unwrap(),
        store.discount_limit_pct().unwrap().to_string(),
        staff,
    )
}

fn change(store: &mut Store, setting: Setting, value: &str) -> Result<usize, StoreError> {
    let by = manager(store);
    let form = BTreeMap::from([(setting, value.to_string())]);
    store.change_settings(&form, Actor::of(&by, None), shop_time())
}

#[test]
fn a_new_counter_takes_the_store_s_details_and_staff_from_the_catalogue_node_s_file() {
    let (_aa_dir, mut aa) = catalogue_node();
    change(&mut aa, Setting::DiscountLimitPct, "15").unwrap();
    // The catalogue node's own machine: none of this travels.
    change(&mut aa, Setting::Printer, "tcp://192.168.1.50:9100").unwrap();
    change(&mut aa, Setting::BackupKeep, "90").unwrap();
    aa.set_setting(&setting_key(Setting::Send("password")), "s3cret")
        .unwrap();
    let (_ab_dir, mut ab) = counter("AB");
    assert_eq!(ab.shop_settings().unwrap().shop_name, "Cửa hàng OCOP");
    assert!(ab.staff().unwrap().is_empty());

    let shared: String = shared_events(&aa)
        .iter()
        .map(|e| e.doc.to_string())
        .collect();
    assert!(shared.contains("pin_hash") && shared.contains("Điểm giới thiệu"));
    for own in [
        "s3cret",
        "\"1234\"",
        "192.168.1.50",
        "backup.keep",
        "series_letters",
    ] {
        assert!(!shared.contains(own), "{own} stays on the catalogue node");
    }
    let file = events_file(&aa);
    ab.apply_events(&file).unwrap();

    let shop = ab.shop_settings().unwrap();
    let demo = ShopSettings::demo();
    assert_eq!(shop.shop_name, demo.shop_name);
    assert_eq!(shop.full_address(), demo.full_address());
    assert_eq!(shop.tax_code, demo.tax_code);
    assert_eq!(shop.bank_account(), demo.bank_account());
    assert_eq!(shop.receipt_footer, demo.receipt_footer);
    assert_eq!(ab.discount_limit_pct().unwrap().to_string(), "15");
    let registration = ab.invoice_settings().unwrap();
    let store_registration = InvoiceSettings::demo();
    assert_eq!(registration.seller_name, store_registration.seller_name);
    assert_eq!(
        registration.authority_code,
        store_registration.authority_code
    );
    // The counter's own stay its own.
    assert_eq!(shop.printer, "pdf");
    assert_eq!(
        registration.series_letters, "",
        "each counter registers its own"
    );
    assert_eq!(ab.backup_policy().unwrap().keep, 30);
    assert_eq!(ab.send_settings().unwrap().password, "");

    // The cashiers sign in at the new counter with the PINs they have at the first.
    let lan = member(&ab, CASHIER.0);
    assert_eq!(lan.role, Role::Cashier);
    assert_eq!(
        ab.sign_in(lan.id, CASHIER.1, shop_time()).unwrap().name,
        CASHIER.0
    );
    assert!(matches!(
        ab.sign_in(lan.id, LEAVER.1, shop_time()),
        Err(StoreError::SignIn(SignInError::WrongPin { .. }))
    ));
    assert_eq!(
        ab.manager_by_pin(MANAGER.1, shop_time()).unwrap().name,
        MANAGER.0
    );

    // The same file again changes nothing.
    let before = store_view(&ab);
    let again = ab.apply_events(&file).unwrap();
    assert_eq!((again.applied, again.already), (0, file.len()));
    assert_eq!(store_view(&ab), before);
}

#[test]
fn a_later_change_on_the_catalogue_node_wins_at_the_counter() {
    let (_aa_dir, mut aa) = catalogue_node();
    let (_ab_dir, mut ab) = counter("AB");
    ab.apply_events(&events_file(&aa)).unwrap();

    change(&mut aa, Setting::ShopName, "Cửa hàng OCOP Rạch Giá").unwrap();
    change(&mut aa, Setting::ShopName, "Điểm OCOP Rạch Giá").unwrap();
    assert_eq!(
        ab.setting("cash.session_policy").unwrap().as_deref(),
        Some("auto")
    );
    change(&mut aa, Setting::SessionPolicy, "require").unwrap();
    let hung = manager(&aa);
    let by = Actor::of(&hung, None);
    let lan = member(&aa, CASHIER.0);
    aa.reset_staff_pin(lan.id, "7391", by, shop_time()).unwrap();
    let tuan = member(&aa, LEAVER.0);
    aa.disable_staff(tuan.id, by, shop_time()).unwrap();
    aa.set_staff_role(lan.id, Role::Manager, by, shop_time())
        .unwrap();
    let hoa = aa
        .add_staff("Võ Thị Hoa", Role::Cashier, "4826", by, shop_time())
        .unwrap();

    // Three wrong PINs typed at the counter are the counter's own; the new PIN forgets them.
    let lan_here = member(&ab, CASHIER.0);
    for _ in 0..3 {
        assert!(ab.sign_in(lan_here.id, "0000", shop_time()).is_err());
    }
    ab.apply_events(&events_file(&aa)).unwrap();
    assert_eq!(store_view(&ab), store_view(&aa));
    assert_eq!(ab.shop_settings().unwrap().shop_name, "Điểm OCOP Rạch Giá");
    assert_eq!(
        ab.setting("cash.session_policy").unwrap().as_deref(),
        Some("require")
    );
    assert!(matches!(
        ab.sign_in(lan_here.id, CASHIER.1, shop_time()),
        Err(StoreError::SignIn(SignInError::WrongPin { tries_left: 4 }))
    ));
    let lan_now = ab.sign_in(lan_here.id, "7391", shop_time()).unwrap();
    assert_eq!(lan_now.role, Role::Manager);
    assert!(!ab.staff().unwrap().iter().any(|m| m.name == LEAVER.0));
    let hoa_here = member(&ab, &hoa.name);
    assert_eq!(
        ab.sign_in(hoa_here.id, "4826", shop_time()).unwrap().role,
        Role::Cashier
    );
}

#[test]
fn a_change_made_after_the_catalogue_node_s_clock_was_set_back_still_wins() {
    let (_aa_dir, mut aa) = catalogue_node();
    let (_ab_dir, mut ab) = counter("AB");
    let hung = manager(&aa);
    let set_name = |store: &mut Store, name: &str, at| {
        let form = BTreeMap::from([(Setting::ShopName, name.to_string())]);
        store
            .change_settings(&form, Actor::of(&hung, None), at)
            .unwrap();
    };
    // The clock ran an hour fast, then was put right.
    set_name(&mut aa, "Giờ sai", shop_time() + chrono::Duration::hours(1));
    set_name(&mut aa, "Giờ đúng", shop_time());
    ab.apply_events(&events_file(&aa)).unwrap();
    assert_eq!(aa.shop_settings().unwrap().shop_name, "Giờ đúng");
    assert_eq!(ab.shop_settings().unwrap().shop_name, "Giờ đúng");
}

#[test]
fn a_counter_refuses_to_edit_the_store_s_details_and_keeps_its_own() {
    let (_aa_dir, aa) = catalogue_node();
    let (_ab_dir, mut ab) = counter("AB");
    ab.apply_events(&events_file(&aa)).unwrap();
    let events_before = ab.last_event_seq().unwrap();
    let view = store_view(&ab);

    let refused = change(&mut ab, Setting::ShopName, "Quầy 2").unwrap_err();
    assert!(
        matches!(
            &refused,
            StoreError::Sync(SyncError::StoreDetailsElsewhere { catalogue_node }) if catalogue_node == "AA"
        ),
        "{refused:?}"
    );
    let said = refused.to_string();
    assert!(
        said.contains("chỉ được sửa ở máy AA") && said.contains("edited on the store's node AA"),
        "{said}"
    );
    for (setting, value) in [
        (Setting::DiscountLimitPct, "50"),
        (Setting::Invoice("authority_code"), "ZZ999"),
        (Setting::SessionPolicy, "require"),
    ] {
        assert!(
            matches!(
                change(&mut ab, setting, value),
                Err(StoreError::Sync(SyncError::StoreDetailsElsewhere { .. }))
            ),
            "{setting:?}"
        );
    }
    assert!(ab.set_setting("shop.shop_name", "Quầy 2").is_err());
    let hung = manager(&ab);
    let by = Actor::of(&hung, None);
    assert!(matches!(
        ab.add_staff("Phạm Thu Hà", Role::Cashier, "5173", by, shop_time()),
        Err(StoreError::Sync(SyncError::StoreDetailsElsewhere { .. }))
    ));
    let lan = member(&ab, CASHIER.0);
    assert!(ab.reset_staff_pin(lan.id, "5173", by, shop_time()).is_err());
    assert!(ab.disable_staff(lan.id, by, shop_time()).is_err());
    assert_eq!(store_view(&ab), view, "nothing of it kept");
    assert_eq!(ab.last_event_seq().unwrap(), events_before, "nor sent");

    // Its own machine it sets as it likes, and that stays here.
    change(&mut ab, Setting::Printer, "file:/dev/usb/lp0").unwrap();
    change(&mut ab, Setting::Invoice("series_letters"), "AB").unwrap();
    assert_eq!(ab.shop_settings().unwrap().printer, "file:/dev/usb/lp0");
    assert_eq!(ab.invoice_settings().unwrap().series_letters, "AB");
    assert!(
        shared_events(&ab).is_empty(),
        "a counter sends no store details"
    );
}

#[test]
fn only_the_catalogue_node_s_store_settings_are_taken() {
    let (_aa_dir, aa) = catalogue_node();
    let (_ab_dir, mut ab) = counter("AB");
    let (_ac_dir, mut ac) = counter("AC");
    ab.apply_events(&events_file(&aa)).unwrap();
    change(&mut ab, Setting::Printer, "tcp://10.0.0.7:9100").unwrap();
    let mut file = events_file(&aa);
    // A forged or mistaken event of the catalogue node naming a counter's own setting.
    let mut forged = file.last().unwrap().clone();
    forged.seq += 1;
    forged.uid = "0192f0aa-0000-7000-8000-00000000f0f0".into();
    forged.kind = "setting".into();
    forged.doc = serde_json::json!({"uid": "shop.printer", "key": "shop.printer",
                                    "value": "tcp://6.6.6.6:9100"});
    file.push(forged);
    ac.apply_events(&file).unwrap();
    assert_eq!(ac.shop_settings().unwrap().printer, "pdf");
    assert_eq!(
        ac.shop_settings().unwrap().shop_name,
        ShopSettings::demo().shop_name
    );
    // AB's file (a counter) names no setting, and AC takes its printer from nowhere.
    ac.apply_events(&events_file(&ab)).unwrap();
    assert_eq!(ac.shop_settings().unwrap().printer, "pdf");

    // Another store's file is refused whole.
    let (_xy_dir, mut xy) = catalogue_node();
    xy.set_node_identity(Some("XY"), None, None).unwrap();
    let by = manager(&xy);
    xy.change_settings(
        &BTreeMap::from([(Setting::ShopName, "Cửa hàng khác".to_string())]),
        Actor::of(&by, None),
        shop_time(),
    )
    .unwrap();
    assert!(matches!(
        ac.apply_events(&events_file(&xy)),
        Err(StoreError::Sync(SyncError::OtherStore { .. }))
    ));
    assert_eq!(
        ac.shop_settings().unwrap().shop_name,
        ShopSettings::demo().shop_name
    );
}

/// A folder as the version before this one left it: settings and staff with no events.
fn as_before_this_version(dir: &std::path::Path, code: &str) {
    let mut store = Store::open_in(dir).unwrap();
    store.set_node_identity(None, Some(code), None).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(dir.join(ocop_pos::store::DATABASE_FILE)).unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO settings (key, value) VALUES
             ('shop.shop_name', 'Điểm OCOP {code}'), ('shop.printer', 'file:/tmp/printer-{code}');
         INSERT INTO staff (name, role, pin_hash, created_at)
         VALUES ('Người của {code}', 'cashier', '{}', '2026-11-01T03:00:00.000Z');
         UPDATE sync_node SET shared_baseline_done = 0;",
        ocop_pos::store::hash_pin("3791")
    ))
    .unwrap();
}

#[test]
fn a_catalogue_node_from_before_sends_the_store_details_it_held_once() {
    let aa_dir = tempfile::tempdir().unwrap();
    as_before_this_version(aa_dir.path(), "AA");
    let ab_dir = tempfile::tempdir().unwrap();
    as_before_this_version(ab_dir.path(), "AB");
    let aa = Store::open_in(aa_dir.path()).unwrap();
    let sent = shared_events(&aa);
    assert_eq!(
        sent.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["setting", "staff"],
        "the shop's name and the person, not its printer"
    );
    drop(aa);
    assert_eq!(
        shared_events(&Store::open_in(aa_dir.path()).unwrap()),
        sent,
        "once"
    );
    let mut ab = Store::open_in(ab_dir.path()).unwrap();
    assert!(
        shared_events(&ab).is_empty(),
        "a counter's own are not the store's"
    );
    ab.apply_events(&sent).unwrap();
    assert_eq!(ab.shop_settings().unwrap().shop_name, "Điểm OCOP AA");
    assert_eq!(ab.shop_settings().unwrap().printer, "file:/tmp/printer-AB");
    let person = member(&ab, "Người của AA");
    assert!(ab.sign_in(person.id, "3791", shop_time()).is_ok());
    assert_eq!(ab.staff().unwrap().len(), 2, "its own person stays");
}

/// One store setting's event from one of the catalogue node's incarnations (a restored
/// folder writes under a new one, and files may cross in any order).
fn setting_event(incarnation: usize, seq: i64, at_ms: i64, value: &str) -> SyncEvent {
    let at = shop_time() + chrono::Duration::milliseconds(at_ms);
    SyncEvent {
        store: "RG".into(),
        node: "AA".into(),
        incarnation: format!("inc{incarnation}"),
        seq,
        uid: format!("0192f0aa-0000-7000-8000-{incarnation:04}{seq:08}"),
        kind: "setting".into(),
        at: at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        doc: serde_json::json!({"uid": "shop.shop_name", "key": "shop.shop_name",
                                "value": value}),
        stock: Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// However the files of the catalogue node's incarnations cross, every counter ends with
    /// the same name: the latest by event time, then origin, then number.
    #[test]
    fn counters_agree_on_the_latest_change_whatever_the_order(
        times in proptest::collection::vec(proptest::collection::vec(0i64..5, 1..4), 2..4),
        order in proptest::collection::vec(any::<prop::sample::Index>(), 12),
    ) {
        let origins: Vec<Vec<SyncEvent>> = times
            .iter()
            .enumerate()
            .map(|(inc, ats)| {
                ats.iter()
                    .enumerate()
                    .map(|(i, at)| {
                        setting_event(inc, i as i64 + 1, *at, &format!("Tên {inc}-{i}"))
                    })
                    .collect()
            })
            .collect();
        let latest = origins
            .iter()
            .flatten()
            .max_by(|a, b| (&a.at, a.origin(), a.seq).cmp(&(&b.at, b.origin(), b.seq)))
            .unwrap()
            .doc["value"]
            .as_str()
            .unwrap()
            .to_string();
        // Counter AB takes the origins one after the other; AC interleaves them at random,
        // each origin's events in its own order, some twice.
        let (_ab_dir, mut ab) = counter("AB");
        for events in &origins {
            ab.apply_events(events).unwrap();
        }
        let (_ac_dir, mut ac) = counter("AC");
        let mut next = vec![0usize; origins.len()];
        for pick in &order {
            let origin = pick.index(origins.len());
            let upto = (next[origin] + 1).min(origins[origin].len());
            ac.apply_events(&origins[origin][..upto]).unwrap();
            next[origin] = upto;
        }
        for events in origins.iter().rev() {
            ac.apply_events(events).unwrap();
        }
        prop_assert_eq!(&ab.shop_settings().unwrap().shop_name, &latest);
        prop_assert_eq!(&ac.shop_settings().unwrap().shop_name, &latest);
    }
}

/// `ocop-pos --pin-stdin ARGS` on the data folder `dir`, the manager's PIN and any new PINs
/// piped in; whether it succeeded, and what it said.
fn ocop_pos(dir: &std::path::Path, args: &[&str], stdin: &str) -> (bool, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ocop-pos"))
        .arg("--data-dir")
        .arg(dir)
        .arg("--pin-stdin")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let output = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}

#[test]
fn the_command_line_of_a_counter_refuses_the_store_s_details_and_sets_its_own() {
    let (_aa_dir, aa) = catalogue_node();
    let (ab_dir, mut ab) = counter("AB");
    ab.apply_events(&events_file(&aa)).unwrap();
    drop(ab);
    let pin = format!("{}\n", MANAGER.1);

    let (done, said) = ocop_pos(
        ab_dir.path(),
        &["settings", "set", "shop_name", "Quầy 2"],
        &pin,
    );
    assert!(!done, "{said}");
    assert!(
        said.contains("chỉ được sửa ở máy AA") && said.contains("edited on the store's node AA"),
        "{said}"
    );
    let (done, said) = ocop_pos(
        ab_dir.path(),
        &["staff", "add", "--name", "Phạm Thu Hà", "--role", "cashier"],
        &format!("{pin}5173\n5173\n"),
    );
    assert!(!done && said.contains("máy AA"), "{said}");
    let (done, said) = ocop_pos(
        ab_dir.path(),
        &["settings", "set", "printer", "tcp://192.168.1.51:9100"],
        &pin,
    );
    assert!(done, "{said}");

    let ab = Store::open_in(ab_dir.path()).unwrap();
    let shop = ab.shop_settings().unwrap();
    assert_eq!(shop.shop_name, ShopSettings::demo().shop_name);
    assert_eq!(shop.printer, "tcp://192.168.1.51:9100");
    assert!(!ab.staff().unwrap().iter().any(|m| m.name == "Phạm Thu Hà"));
}
