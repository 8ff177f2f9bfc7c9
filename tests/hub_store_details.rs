//! A new counter set up as the README says — its first manager, then the store's id and its
//! own code — syncs once through a real PostgreSQL hub and has the store's details and staff:
//! its receipts carry the shop's name and address, the store's cashiers sign in with their
//! PINs, and its first manager becomes the store's record of that person.

mod common;

use common::postgres::{database, one_at_a_time, psql};
use common::{DEMO_PRODUCTS, shop_time};
use ocop_pos::config::Config;
use ocop_pos::core::audit::Actor;
use ocop_pos::core::settings::{Setting, ShopSettings};
use ocop_pos::core::staff::Role;
use ocop_pos::hub::Hub;
use ocop_pos::hub::worker::sync_once;
use ocop_pos::store::{SignInError, Store, StoreError};
use std::collections::BTreeMap;

fn pass(hub: &mut Hub, store: &mut Store) -> usize {
    let identity = store.node_identity().unwrap();
    sync_once(hub, store, &identity.store, &identity.origin())
        .unwrap()
        .pulled
}

#[test]
fn a_new_counter_syncs_once_and_has_the_shop_s_name_and_its_cashiers() {
    let _turn = one_at_a_time();
    let url = database();
    let mut hub = Hub::new(&url).unwrap();
    hub.init().unwrap();

    let manager_dir = tempfile::tempdir().unwrap();
    let mut manager = Store::open_in(manager_dir.path()).unwrap();
    manager.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
    manager.save_shop_settings(&ShopSettings::demo()).unwrap();
    let hung = manager
        .create_staff("Trần Văn Hùng", Role::Manager, "1234", shop_time())
        .unwrap();
    manager
        .add_staff(
            "Nguyễn Thị Lan",
            Role::Cashier,
            "1111",
            Actor::of(&hung, None),
            shop_time(),
        )
        .unwrap();
    manager
        .change_settings(
            &BTreeMap::from([(Setting::ReceiptFooter, "Hẹn gặp lại!".to_string())]),
            Actor::of(&hung, None),
            shop_time(),
        )
        .unwrap();
    pass(&mut hub, &mut manager);
    let store_id = manager.node_identity().unwrap().store;
    assert_eq!(
        psql(
            &url,
            "SELECT doc ->> 'value' FROM hub_catalogue
              WHERE kind = 'setting' AND uid = 'shop.shop_name'"
        )
        .trim(),
        ShopSettings::demo().shop_name,
        "the hub keeps the store's details"
    );

    // The new counter: a real store of its own with its first manager, then the store's id
    // and its own code (`staff add --role manager`, `node set --store RG --code AB`).
    let till_dir = tempfile::tempdir().unwrap();
    let mut till = Config::new(Some(till_dir.path().to_path_buf()), false)
        .open_store()
        .unwrap();
    till.create_staff("Trần Văn Hùng", Role::Manager, "5173", shop_time())
        .unwrap();
    till.set_node_identity(Some(&store_id), Some("AB"), None)
        .unwrap();
    assert_eq!(till.shop_settings().unwrap().shop_name, "Cửa hàng OCOP");

    assert!(pass(&mut hub, &mut till) > 0);
    let shop = till.shop_settings().unwrap();
    let demo = ShopSettings::demo();
    assert_eq!(shop.shop_name, demo.shop_name);
    assert_eq!(shop.full_address(), demo.full_address());
    assert_eq!(shop.tax_code, demo.tax_code);
    assert_eq!(shop.receipt_footer, "Hẹn gặp lại!");
    assert_eq!(shop.printer, "pdf", "its printer is its own");

    let staff = till.staff().unwrap();
    assert_eq!(
        staff.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
        ["Trần Văn Hùng", "Nguyễn Thị Lan"],
        "the first manager is the store's Hùng, not a second one"
    );
    let lan = staff.iter().find(|m| m.role == Role::Cashier).unwrap();
    assert_eq!(
        till.sign_in(lan.id, "1111", shop_time()).unwrap().name,
        "Nguyễn Thị Lan"
    );
    assert_eq!(
        till.manager_by_pin("1234", shop_time()).unwrap().name,
        "Trần Văn Hùng",
        "the store's PIN of the manager"
    );
    assert!(matches!(
        till.manager_by_pin("5173", shop_time()),
        Err(StoreError::SignIn(SignInError::WrongPin { .. }))
    ));
    // Nothing of the store's details goes back up from the counter.
    assert_eq!(
        psql(
            &url,
            "SELECT count(*) FROM hub_events
              WHERE kind IN ('setting', 'staff') AND origin NOT LIKE '%/AA/%'"
        )
        .trim(),
        "0"
    );
    assert_eq!(pass(&mut hub, &mut till), 0, "a second pass moves nothing");
}
