//! Cart numbers are per counter (`GH26-AB-000001`), as every other series is: two counters'
//! carts, named in the `void` events they send to the hub, never share a number. A cart that
//! already had a number from before keeps it.

mod common;

use chrono::Duration;
use common::{DEMO_PRODUCTS, events_file, sell_for_exact_cash, shop_time};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::money::Money;
use ocop_pos::core::reduction::{Reduction, ReductionKind};
use ocop_pos::core::staff::{Role, StaffMember};
use ocop_pos::store::{AUTO_OPEN_SESSIONS, SESSION_POLICY_SETTING, Store};
use proptest::prelude::*;
use std::collections::BTreeSet;
use tempfile::TempDir;

const FISH_SAUCE: &str = "8930100000018";
const TEA: &str = "8930100000025";

/// Counter AA (the demo store's catalogue node) and counter `code`, which took its catalogue.
fn counters(codes: &[&str]) -> Vec<(TempDir, Store)> {
    let dir = tempfile::tempdir().unwrap();
    let mut aa = Store::open_in(dir.path()).unwrap();
    aa.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
    let catalogue = aa.events_after(0, usize::MAX).unwrap();
    let mut counters = vec![(dir, aa)];
    for code in codes {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        store.set_node_identity(None, Some(code), None).unwrap();
        store.apply_events(&catalogue).unwrap();
        store
            .set_setting(SESSION_POLICY_SETTING, AUTO_OPEN_SESSIONS)
            .unwrap();
        counters.push((dir, store));
    }
    counters
}

fn lan() -> StaffMember {
    StaffMember {
        id: 2,
        name: "Lan".into(),
        role: Role::Cashier,
    }
}

/// Two bottles in a cart, then one taken off (a `void` event naming the cart).
fn cart_with_a_void(store: &mut Store, minutes: i64) -> Cart {
    let at = shop_time() + Duration::minutes(minutes);
    let mut cart = Cart::default();
    for barcode in [FISH_SAUCE, TEA] {
        let product = store.product_by_barcode(barcode, at).unwrap().unwrap();
        cart.add_product(&product, 1.into()).unwrap();
    }
    store.save_open_cart(&mut cart, at).unwrap();
    let before = cart.totals().total;
    cart.remove_line(1).unwrap();
    let reduction = Reduction {
        kind: ReductionKind::LineRemoved,
        subject: "Trà x1".into(),
        before,
        after: cart.totals().total,
    };
    store
        .save_cart_change(
            &mut cart,
            &ocop_pos::store::CartEvent::Reduced(reduction),
            Some(&lan()),
            None,
            at,
        )
        .unwrap();
    cart
}

fn voided_carts(store: &Store) -> Vec<String> {
    events_file(store)
        .iter()
        .filter(|event| event.kind == "void")
        .map(|event| event.doc["cart"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_counter_numbers_its_own_carts_and_their_voids_never_collide() {
    let mut counters = counters(&["AB"]);
    let mut numbers = Vec::new();
    for (_, store) in &mut counters {
        let cart = cart_with_a_void(store, 1);
        let sale = sell_for_exact_cash(store, &cart, shop_time() + Duration::minutes(2)).unwrap();
        assert_eq!(
            sale.draft.cart_no, cart.number,
            "the sale keeps its cart's number"
        );
        numbers.push(cart.number.unwrap());
    }
    assert_eq!(numbers, ["GH26-AA-000001", "GH26-AB-000001"]);
    let voided: Vec<Vec<String>> = counters
        .iter()
        .map(|(_, store)| voided_carts(store))
        .collect();
    assert_eq!(
        voided,
        [
            vec!["GH26-AA-000001".to_string()],
            vec!["GH26-AB-000001".to_string()]
        ]
    );
}

#[test]
fn a_cart_numbered_before_counters_had_codes_keeps_its_number() {
    let mut counters = counters(&[]);
    let (_, store) = &mut counters[0];
    let product = store
        .product_by_barcode(FISH_SAUCE, shop_time())
        .unwrap()
        .unwrap();
    let mut cart = Cart::default();
    cart.add_product(&product, 1.into()).unwrap();
    cart.number = Some("GH26-000007".into());
    store.save_open_cart(&mut cart, shop_time()).unwrap();
    assert_eq!(
        store.load_open_cart().unwrap().number.as_deref(),
        Some("GH26-000007")
    );
    let sale = sell_for_exact_cash(store, &cart, shop_time()).unwrap();
    assert_eq!(sale.draft.cart_no.as_deref(), Some("GH26-000007"));
    assert_eq!(sale.draft.total, Money(165_000));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// However many carts each of three counters starts, every cart number is unique across
    /// them, and each counter's run is gapless from 1 under its own code.
    #[test]
    fn cart_numbers_are_unique_across_counters(carts in prop::collection::vec(1usize..4, 3)) {
        let mut counters = counters(&["AB", "AC"]);
        let mut all = BTreeSet::new();
        for ((_, store), (count, code)) in counters.iter_mut().zip(carts.iter().zip(["AA", "AB", "AC"])) {
            for n in 1..=*count {
                let cart = cart_with_a_void(store, n as i64);
                let number = cart.number.unwrap();
                prop_assert_eq!(&number, &format!("GH26-{code}-{n:06}"));
                prop_assert!(all.insert(number));
                // The counter goes on to its next cart.
                store.save_open_cart(&mut Cart::default(), shop_time()).unwrap();
            }
        }
    }
}
