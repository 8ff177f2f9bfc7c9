//! A refund is paid from a cash session as a sale is: refused under the `require` policy when
//! no session is open (nothing written, the refund series untouched), and counted in the open
//! session's Z figures and drawer when one is.

mod common;

use chrono::Duration;
use common::counters::refund_request;
use common::{product, sell_for_exact_cash, shop_time};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::cash::NoteCount;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::refund::{RefundError, RefundRequest};
use ocop_pos::core::sale::SaleRecord;
use ocop_pos::i18n::{Lang, Notice};
use ocop_pos::store::{
    AUTO_OPEN_SESSIONS, DATABASE_FILE, REQUIRE_OPEN_SESSION, SESSION_POLICY_SETTING, Store,
    StoreError,
};
use proptest::prelude::*;
use rusqlite::Connection;
use std::path::Path;

const FISH_SAUCE: &str = "8930100000018"; // 165.000 ₫
const TEA: &str = "8930100000025";

/// A shop with the demo catalogue that keeps the real store's rule: no selling or refunding
/// before a shift is opened.
fn shop_requiring_sessions() -> (tempfile::TempDir, Store) {
    let (dir, store) = common::demo_store();
    store
        .set_setting(SESSION_POLICY_SETTING, REQUIRE_OPEN_SESSION)
        .unwrap();
    (dir, store)
}

fn sell(store: &mut Store, fish: u32, tea: u32, minutes: i64) -> SaleRecord {
    let mut cart = Cart::default();
    cart.add_product(&product(store, FISH_SAUCE), fish.into())
        .unwrap();
    cart.add_product(&product(store, TEA), tea.into()).unwrap();
    sell_for_exact_cash(store, &cart, shop_time() + Duration::minutes(minutes)).unwrap()
}

fn request(sale: &SaleRecord, items: &[(usize, u32)], method: PaymentMethod) -> RefundRequest {
    RefundRequest {
        method,
        ..refund_request(&sale.receipt_no, items)
    }
}

fn close_current(store: &mut Store, minutes: i64) {
    let session = store.current_cash_session().unwrap().unwrap();
    store
        .close_cash_session(
            session.id,
            &NoteCount::default(),
            "đếm sau",
            "Hùng",
            shop_time() + Duration::minutes(minutes),
        )
        .unwrap();
}

fn count(dir: &Path, sql: &str) -> i64 {
    Connection::open(dir.join(DATABASE_FILE))
        .unwrap()
        .query_row(sql, [], |row| row.get(0))
        .unwrap()
}

#[test]
fn a_refund_with_no_session_open_is_refused_like_a_sale_and_says_so_for_a_refund() {
    let (dir, mut store) = shop_requiring_sessions();
    store
        .open_cash_session(Money(500_000), "Lan", shop_time())
        .unwrap();
    let sale = sell(&mut store, 2, 1, 5);
    close_current(&mut store, 60);
    let left_before = store.refundable_lines(&sale.receipt_no).unwrap();
    let events_before = count(dir.path(), "SELECT count(*) FROM sync_events");

    let asked = request(&sale, &[(0, 1)], PaymentMethod::Cash);
    let priced = store.price_refund(&asked).unwrap_err();
    let refused = store
        .commit_refund(&asked, shop_time() + Duration::minutes(70))
        .unwrap_err();
    for error in [&priced, &refused] {
        assert!(
            matches!(error, StoreError::Refund(RefundError::NoOpenSession)),
            "{error:?}"
        );
    }
    let vi = Notice::from_store_error(&refused).text(Lang::Vi);
    let en = Notice::from_store_error(&refused).text(Lang::En);
    assert!(vi.contains("Mở ca") && vi.contains("hoàn tiền"), "{vi}");
    assert!(en.contains("Open one") && en.contains("refund"), "{en}");
    assert!(
        !vi.contains("giỏ hàng") && !en.contains("cart"),
        "{vi} / {en}"
    );

    // Nothing half-written: no refund, no event, no stock back, the line still refundable.
    assert_eq!(count(dir.path(), "SELECT count(*) FROM refunds"), 0);
    assert_eq!(
        count(dir.path(), "SELECT count(*) FROM sync_events"),
        events_before
    );
    assert_eq!(
        store.refundable_lines(&sale.receipt_no).unwrap(),
        left_before
    );

    // Once a shift is open the same refund goes through, as the series' first, into that
    // shift's figures and drawer.
    let session = store
        .open_cash_session(Money(300_000), "Lan", shop_time() + Duration::minutes(75))
        .unwrap();
    let refund = store
        .commit_refund(&asked, shop_time() + Duration::minutes(80))
        .unwrap();
    assert!(refund.refund_no.ends_with("000001"), "{}", refund.refund_no);
    assert_eq!(refund.total, Money(165_000));
    let z = store
        .close_cash_session(
            session.id,
            &NoteCount::default(),
            "đếm sau",
            "Hùng",
            shop_time() + Duration::minutes(90),
        )
        .unwrap();
    assert_eq!(
        (
            z.figures.refunds_count,
            z.figures.refunds,
            z.figures.cash_refunds
        ),
        (1, Money(165_000), Money(165_000))
    );
    assert_eq!(
        z.session.closing.unwrap().expected,
        Money(300_000 - 165_000)
    );
}

#[test]
fn under_the_auto_policy_a_refund_opens_a_session_as_a_sale_does() {
    let (dir, mut store) = common::demo_store();
    store
        .set_setting(SESSION_POLICY_SETTING, AUTO_OPEN_SESSIONS)
        .unwrap();
    let sale = sell(&mut store, 1, 1, 5);
    close_current(&mut store, 30);
    assert!(store.current_cash_session().unwrap().is_none());

    store
        .commit_refund(
            &request(&sale, &[(1, 1)], PaymentMethod::Cash),
            shop_time() + Duration::minutes(40),
        )
        .unwrap();
    let opened = store
        .current_cash_session()
        .unwrap()
        .expect("opened by the refund");
    assert_eq!(
        (opened.opened_by.as_str(), opened.opening_float),
        ("Lan", Money::ZERO)
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM refunds WHERE session_id IS NULL"
        ),
        0
    );
    let figures = store.session_figures(opened.id).unwrap();
    assert_eq!(figures.refunds_count, 1);
    assert_eq!(figures.expected_cash(Money::ZERO), -figures.cash_refunds);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Whatever is given back, by whichever method, lands in the open shift: its refunds, its
    /// takings by method, and (cash only) the drawer the Z expects.
    #[test]
    fn a_refund_reaches_the_open_sessions_z_figures(
        fish in 1u32..4,
        tea in 1u32..4,
        refund_fish in 0u32..4,
        refund_tea in 0u32..4,
        by_transfer in any::<bool>(),
    ) {
        let refund_fish = refund_fish.min(fish);
        let refund_tea = refund_tea.min(tea);
        prop_assume!(refund_fish + refund_tea > 0);
        let (_dir, mut store) = shop_requiring_sessions();
        let session = store
            .open_cash_session(Money(1_000_000), "Lan", shop_time())
            .unwrap();
        let sale = sell(&mut store, fish, tea, 5);
        let method = if by_transfer { PaymentMethod::Transfer } else { PaymentMethod::Cash };
        let items: Vec<(usize, u32)> = [(0, refund_fish), (1, refund_tea)]
            .into_iter()
            .filter(|(_, quantity)| *quantity > 0)
            .collect();
        let refund = store
            .commit_refund(&request(&sale, &items, method), shop_time() + Duration::minutes(10))
            .unwrap();
        let z = store
            .close_cash_session(
                session.id,
                &NoteCount::default(),
                "đếm sau",
                "Hùng",
                shop_time() + Duration::minutes(20),
            )
            .unwrap();
        prop_assert_eq!(z.figures.refunds, refund.total);
        let cash_back = if by_transfer { Money::ZERO } else { refund.total };
        prop_assert_eq!(z.figures.cash_refunds, cash_back);
        let taken = |wanted: PaymentMethod| {
            z.figures
                .takings
                .iter()
                .filter(|(method, _)| *method == wanted)
                .map(|(_, amount)| *amount)
                .sum::<Money>()
        };
        prop_assert_eq!(taken(PaymentMethod::Cash), sale.draft.total - cash_back);
        prop_assert_eq!(taken(PaymentMethod::Transfer), cash_back - refund.total);
        prop_assert_eq!(
            z.session.closing.unwrap().expected,
            Money(1_000_000) + sale.draft.total - cash_back
        );
    }
}
