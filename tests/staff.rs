//! Staff accounts, PINs and the audit log, on a real SQLite file.

mod common;

use chrono::Duration;
use common::{demo_store, shop_time};
use ocop_pos::core::staff::{AuditChange, GatedAct, Role};
use ocop_pos::store::{AuditFilter, SignInError, StoreError, hash_pin, pin_matches};

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
            &cashier,
            Some(&manager),
            GatedAct::VoidLine,
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
