//! Staff accounts, PINs and the audit log, on a real SQLite file.

mod common;

use chrono::Duration;
use common::{demo_store, shop_time};
use ocop_pos::core::audit::{Actor, AuditAct};
use ocop_pos::core::einvoice::InvoiceSettings;
use ocop_pos::core::settings::{Setting, ShopSettings};
use ocop_pos::core::staff::{AuditChange, Role};
use ocop_pos::store::{AuditFilter, SignInError, Store, StoreError, hash_pin, pin_matches};
use std::collections::BTreeMap;

#[test]
fn pin_hashes_are_salted_and_verify() {
    let first = hash_pin("1234");
    let second = hash_pin("1234");
    assert!(!first.contains("1234"));
    assert!(first.starts_with("$argon2"));
    assert_ne!(first, second, "every hash has its own salt");
    assert!(pin_matches("1234", &first) && pin_matches("1234", &second));
    assert!(!pin_matches("1235", &first));

    let (_dir, mut store) = demo_store();
    let manager = store
        .create_staff("Trần Văn Hùng", Role::Manager, "1234", shop_time())
        .unwrap();
    assert_eq!(
        store.sign_in(manager.id, "1234", shop_time()).unwrap(),
        manager
    );
    let raw = rusqlite::Connection::open(store.path()).unwrap();
    let stored: String = raw
        .query_row(
            "SELECT pin_hash FROM staff WHERE id = ?1",
            [manager.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_ne!(stored, "1234");
    assert!(pin_matches("1234", &stored));
    assert!(matches!(
        store.create_staff("Ai", Role::Cashier, "12", shop_time()),
        Err(StoreError::SignIn(SignInError::BadPin))
    ));
}

#[test]
fn five_wrong_pins_make_the_account_wait() {
    let (_dir, mut store) = demo_store();
    let cashier = store
        .create_staff("Nguyễn Thị Lan", Role::Cashier, "1111", shop_time())
        .unwrap();
    for tries_left in (1..=4).rev() {
        assert!(matches!(
            store.sign_in(cashier.id, "0000", shop_time()),
            Err(StoreError::SignIn(SignInError::WrongPin { tries_left: left })) if left == tries_left
        ));
    }
    let locked = store.sign_in(cashier.id, "0000", shop_time());
    let Err(StoreError::SignIn(SignInError::LockedUntil(until))) = locked else {
        panic!("not locked: {locked:?}");
    };
    assert_eq!(until, shop_time() + Duration::minutes(5));
    // Even the right PIN waits until then; afterwards it works and the count starts afresh.
    assert!(matches!(
        store.sign_in(cashier.id, "1111", shop_time() + Duration::minutes(4)),
        Err(StoreError::SignIn(SignInError::LockedUntil(_)))
    ));
    let later = shop_time() + Duration::minutes(6);
    assert_eq!(store.sign_in(cashier.id, "1111", later).unwrap(), cashier);
    assert!(matches!(
        store.sign_in(cashier.id, "0000", later),
        Err(StoreError::SignIn(SignInError::WrongPin { tries_left: 4 }))
    ));
    // A cashier's PIN approves nothing.
    assert!(matches!(
        store.approve(cashier.id, "1111", later),
        Err(StoreError::SignIn(SignInError::NotAManager))
    ));
}

#[test]
fn a_pin_alone_names_its_manager_and_wrong_ones_count_against_the_managers() {
    let (_dir, mut store) = demo_store();
    let hung = store
        .create_staff("Trần Văn Hùng", Role::Manager, "4826", shop_time())
        .unwrap();
    let mai = store
        .create_staff("Lý Thị Mai", Role::Manager, "6153", shop_time())
        .unwrap();
    let lan = store
        .create_staff("Nguyễn Thị Lan", Role::Cashier, "3791", shop_time())
        .unwrap();
    assert_eq!(store.manager_by_pin("6153", shop_time()).unwrap(), mai);
    assert_eq!(store.manager_by_pin("4826", shop_time()).unwrap(), hung);
    assert!(matches!(
        store.manager_by_pin("3791", shop_time()),
        Err(StoreError::SignIn(SignInError::NotAManager))
    ));
    assert!(store.pin_in_use("3791").unwrap() && !store.pin_in_use("3792").unwrap());

    // A PIN nobody has counts against every manager, as a try at the pad counts against the
    // person picked; the cashier is not made to wait.
    for tries_left in (1..=4).rev() {
        assert!(matches!(
            store.manager_by_pin("0000", shop_time()),
            Err(StoreError::SignIn(SignInError::WrongPin { tries_left: left })) if left == tries_left
        ));
    }
    assert!(matches!(
        store.manager_by_pin("0000", shop_time()),
        Err(StoreError::SignIn(SignInError::LockedUntil(_)))
    ));
    for manager in [&hung, &mai] {
        assert!(matches!(
            store.sign_in(
                manager.id,
                if manager == &hung { "4826" } else { "6153" },
                shop_time()
            ),
            Err(StoreError::SignIn(SignInError::LockedUntil(_)))
        ));
    }
    assert_eq!(store.sign_in(lan.id, "3791", shop_time()).unwrap(), lan);
    // While every manager waits, not even the right PIN is tried.
    assert!(matches!(
        store.manager_by_pin("4826", shop_time() + Duration::minutes(4)),
        Err(StoreError::SignIn(SignInError::LockedUntil(_)))
    ));
    let later = shop_time() + Duration::minutes(6);
    assert_eq!(store.manager_by_pin("4826", later).unwrap(), hung);
    // The wait over, the count starts afresh.
    assert!(matches!(
        store.manager_by_pin("0000", later),
        Err(StoreError::SignIn(SignInError::WrongPin { tries_left: 4 }))
    ));
}

#[test]
fn audit_rows_cannot_be_changed_or_deleted() {
    let (_dir, mut store) = demo_store();
    let cashier = store
        .create_staff("Nguyễn Thị Lan", Role::Cashier, "1111", shop_time())
        .unwrap();
    let manager = store
        .create_staff("Trần Văn Hùng", Role::Manager, "1234", shop_time())
        .unwrap();
    let change = AuditChange {
        subject: "Nước mắm × 1",
        before: "165.000 ₫",
        after: "0",
    };
    store
        .record_audit(
            Actor {
                name: &cashier.name,
                approver: Some(&manager.name),
            },
            AuditAct::VoidLine,
            &change,
            shop_time(),
        )
        .unwrap();
    let raw = rusqlite::Connection::open(store.path()).unwrap();
    for tampering in [
        "UPDATE audit_log SET approver = NULL",
        "UPDATE audit_log SET after = '1'",
        "DELETE FROM audit_log",
    ] {
        assert!(
            raw.execute(tampering, []).is_err(),
            "{tampering} was allowed"
        );
    }
    let entries = store.audit_entries(&AuditFilter::default()).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].approver.as_deref(), Some("Trần Văn Hùng"));
    assert_eq!(entries[0].subject, "Nước mắm × 1");
}

/// An empty real store with its first manager, as the first-run setup leaves it.
fn real_store() -> (tempfile::TempDir, Store, ocop_pos::core::staff::StaffMember) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let shop = ShopSettings {
        shop_name: "OCOP Hà Tiên".into(),
        commune: "phường Hà Tiên".into(),
        province: "tỉnh An Giang".into(),
        ..ShopSettings::default()
    };
    let manager = store
        .set_up_store(
            &shop,
            &InvoiceSettings::default(),
            "Phạm Thu Hà",
            "4821",
            shop_time(),
        )
        .unwrap();
    (dir, store, manager)
}

fn refusal(result: Result<impl std::fmt::Debug, StoreError>) -> SignInError {
    match result {
        Err(StoreError::SignIn(error)) => error,
        other => panic!("not a sign-in refusal: {other:?}"),
    }
}

#[test]
fn a_real_store_refuses_weak_and_shared_pins_the_demo_keeps_its_published_ones() {
    let (_dir, mut store, manager) = real_store();
    let by = Actor::of(&manager, None);
    for weak in ["0000", "1234", "1111", "9876", "1212"] {
        assert_eq!(
            refusal(store.add_staff("Lê Thị Mai", Role::Cashier, weak, by, shop_time())),
            SignInError::WeakPin
        );
    }
    assert_eq!(
        refusal(store.add_staff("Lê Thị Mai", Role::Cashier, "4821", by, shop_time())),
        SignInError::PinTaken
    );
    let mai = store
        .add_staff("Lê Thị Mai", Role::Cashier, "5937", by, shop_time())
        .unwrap();
    // A disabled person's PIN stays hers: she may be enabled again.
    store.disable_staff(mai.id, by, shop_time()).unwrap();
    assert_eq!(
        refusal(store.add_staff("Võ Văn Tâm", Role::Cashier, "5937", by, shop_time())),
        SignInError::PinTaken
    );
    assert_eq!(
        refusal(store.sign_in(mai.id, "5937", shop_time())),
        SignInError::NoSuchStaff
    );
    assert_eq!(
        refusal(store.approve(mai.id, "5937", shop_time())),
        SignInError::NoSuchStaff
    );
    // Her own PIN again is no clash with herself.
    store
        .reset_staff_pin(mai.id, "5937", by, shop_time())
        .unwrap();
    assert_eq!(store.staff().unwrap().len(), 1, "refusals added nobody");

    let (_demo_dir, mut demo) = demo_store();
    demo.create_staff("Trần Văn Hùng", Role::Manager, "1234", shop_time())
        .unwrap();
    demo.create_staff("Nguyễn Thị Lan", Role::Cashier, "1111", shop_time())
        .unwrap();
    assert_eq!(
        refusal(demo.create_staff("Lê Minh Tuấn", Role::Cashier, "1111", shop_time())),
        SignInError::PinTaken
    );
}

#[test]
fn the_last_active_manager_cannot_be_disabled_or_demoted() {
    let (_dir, mut store, manager) = real_store();
    let by = Actor::of(&manager, None);
    assert_eq!(
        refusal(store.disable_staff(manager.id, by, shop_time())),
        SignInError::LastManager
    );
    assert_eq!(
        refusal(store.set_staff_role(manager.id, Role::Cashier, by, shop_time())),
        SignInError::LastManager
    );
    let second = store
        .add_staff("Lê Thị Mai", Role::Manager, "5937", by, shop_time())
        .unwrap();
    store.disable_staff(second.id, by, shop_time()).unwrap();
    // A disabled manager does not count.
    assert_eq!(
        refusal(store.disable_staff(manager.id, by, shop_time())),
        SignInError::LastManager
    );
    store.enable_staff(second.id, by, shop_time()).unwrap();
    store.disable_staff(manager.id, by, shop_time()).unwrap();
    let acts: Vec<_> = store
        .audit_entries(&AuditFilter::default())
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| (e.act, e.subject))
        .collect();
    assert_eq!(
        acts,
        [
            (AuditAct::StoreSetUp, "OCOP Hà Tiên".to_string()),
            (AuditAct::StaffAdded, "Lê Thị Mai".to_string()),
            (AuditAct::StaffDisabled, "Lê Thị Mai".to_string()),
            (AuditAct::StaffEnabled, "Lê Thị Mai".to_string()),
            (AuditAct::StaffDisabled, "Phạm Thu Hà".to_string()),
        ]
    );
    assert_eq!(
        refusal(store.set_up_store(
            &ShopSettings::default(),
            &InvoiceSettings::default(),
            "Ai",
            "5820",
            shop_time(),
        )),
        SignInError::NotSetUp
    );
}

#[test]
fn settings_change_together_with_one_audit_row_each_or_not_at_all() {
    let (_dir, mut store, manager) = real_store();
    let by = Actor::of(&manager, None);
    let changes = |pairs: &[(Setting, &str)]| -> BTreeMap<Setting, String> {
        pairs.iter().map(|(s, v)| (*s, v.to_string())).collect()
    };
    // A BIN alone is half an account: refused, and the good phone with it.
    let refused = store.change_settings(
        &changes(&[
            (Setting::Phone, "0297 3852 000"),
            (Setting::BankBin, "970405"),
        ]),
        by,
        shop_time(),
    );
    assert!(matches!(refused, Err(StoreError::Settings(ref r)) if r.len() == 1));
    assert_eq!(store.shop_settings().unwrap().phone, "");
    let saved = store
        .change_settings(
            &changes(&[
                (Setting::Phone, "0297 3852 000"),
                (Setting::IdleLockMinutes, "10"),
                (Setting::NegativeStock, "block"),
                (Setting::ShopName, "OCOP Hà Tiên"),
            ]),
            by,
            shop_time(),
        )
        .unwrap();
    assert_eq!(saved, 3, "an unchanged value is no change");
    assert_eq!(store.idle_lock_minutes().unwrap(), 10);
    let values = store.settings_values().unwrap();
    assert_eq!(values[&Setting::NegativeStock], "block");
    let rows = store
        .audit_entries(&AuditFilter {
            act: Some(AuditAct::SettingChanged),
            ..AuditFilter::default()
        })
        .unwrap();
    let idle = rows
        .iter()
        .find(|r| r.subject == "staff.idle_lock_minutes")
        .unwrap();
    assert_eq!((idle.before.as_str(), idle.after.as_str()), ("5", "10"));
    assert_eq!(rows.len(), 3);
}

#[test]
fn the_command_line_staff_acts_name_the_person_and_are_audited() {
    let (dir, store, manager) = real_store();
    drop(store);
    let config = ocop_pos::config::Config::new(Some(dir.path().to_path_buf()), false);
    let mut store = Store::open_in(dir.path()).unwrap();
    let by = Actor::of(&manager, None);
    store
        .add_staff("Lê Thị Mai", Role::Cashier, "5937", by, shop_time())
        .unwrap();
    drop(store);
    // Each command as typed, with the manager's PIN (and a new PIN twice) on standard input.
    let run = |args: &[&str], pins: &str| {
        let cli = ocop_pos::cli::Cli::parse_checked(
            ["ocop-pos", "--pin-stdin"].iter().chain(args.iter()),
        )
        .unwrap();
        let mut pins = ocop_pos::cli::PinSource::lines(pins);
        ocop_pos::cli::run(cli.command.unwrap(), &config, &mut pins, &mut Vec::new())
    };
    assert!(run(&["staff", "disable", "Không Ai"], "4821\n").is_err());
    run(&["staff", "disable", "Lê Thị Mai"], "4821\n").unwrap();
    run(&["staff", "enable", " Lê Thị Mai "], "4821\n").unwrap();
    run(&["staff", "role", "Lê Thị Mai", "manager"], "4821\n").unwrap();
    let weak = run(&["staff", "reset-pin", "Lê Thị Mai"], "4821\n2222\n2222\n").unwrap_err();
    assert!(
        weak.contains("Mã PIN quá dễ đoán") && weak.contains("too easy to guess"),
        "{weak}"
    );
    run(&["staff", "reset-pin", "Lê Thị Mai"], "4821\n6048\n6048\n").unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    let acts: Vec<_> = store
        .audit_entries(&AuditFilter::default())
        .unwrap()
        .into_iter()
        .rev()
        .skip(2)
        .map(|e| (e.act, e.actor))
        .collect();
    let by_manager = |act| (act, "Phạm Thu Hà".to_string());
    assert_eq!(
        acts,
        [
            by_manager(AuditAct::StaffDisabled),
            by_manager(AuditAct::StaffEnabled),
            by_manager(AuditAct::StaffRoleChanged),
            by_manager(AuditAct::StaffPinReset),
        ]
    );
}
