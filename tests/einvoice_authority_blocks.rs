//! The tax authority's code (MCCQT) of counters that sell offline, each on its own data folder:
//! its 11-digit counter is unique per taxpayer per year, so each node takes it from a block of
//! its own (AA 1…, AB 100 000 001…). Real SQLite files; the codes are read back from the
//! invoices, the counters and the sending queue.

mod common;

use chrono::Duration;
use common::counters::{
    Counter, another_counter, carry, catalogue_counter, counters, refund, sell, try_sell,
};
use common::{assert_contains, shop_time};
use ocop_pos::core::delivery::Destination;
use ocop_pos::core::staff::{Role, StaffMember};
use ocop_pos::i18n::{Lang, Notice};
use ocop_pos::lock::DataLock;
use ocop_pos::store::backup::{BackupPolicy, back_up, restore_backup};
use ocop_pos::store::{DATABASE_FILE, InvoiceError, Outbox, Store, StoreError};
use proptest::prelude::*;
use std::collections::{BTreeSet, HashMap};

const COUNTER_SERIES: &str = "mccqt:0100112437";

/// The counter an MCCQT carries: `M1-26-K7Q2M-00100000001` → 100 000 001.
fn counter_of(code: &str) -> i64 {
    code.rsplit('-').next().unwrap().parse().unwrap()
}

/// The counters of a folder's MCCQT codes of 2026, in issue order.
fn issued_counters(store: &Store) -> Vec<i64> {
    store
        .authority_codes(2026)
        .unwrap()
        .iter()
        .map(|code| counter_of(code))
        .collect()
}

/// What a folder's sending queue knows its invoices by, in order.
fn queued_keys(counter: &Counter) -> Vec<String> {
    let outbox = Outbox::open(&counter.dir.path().join(DATABASE_FILE)).unwrap();
    outbox
        .next_batch(Destination::TaxAuthority, usize::MAX, None)
        .unwrap()
        .into_iter()
        .map(|queued| queued.key)
        .collect()
}

/// One act at a counter.
#[derive(Debug, Clone, Copy)]
enum Act {
    /// A sale at AA (true) or AB.
    Sell { at_aa: bool },
    /// A refund at AB of one piece of AA's latest sale, carried over first: AB's adjustment.
    RefundAtAbOfAasSale,
    /// A refund at AA of one piece of its own latest sale: AA's adjustment.
    RefundAtAaOfItsOwnSale,
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        4 => any::<bool>().prop_map(|at_aa| Act::Sell { at_aa }),
        1 => Just(Act::RefundAtAbOfAasSale),
        1 => Just(Act::RefundAtAaOfItsOwnSale),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// However the two counters' sales and refunds interleave, offline from each other: no code
    /// twice, AA's codes run 1, 2, 3 … as they always did, AB's run on from the first of its
    /// block, and each sending queue carries exactly its folder's codes.
    #[test]
    fn counters_aa_and_ab_never_issue_the_same_mccqt(acts in proptest::collection::vec(act(), 1..12)) {
        let (mut aa, mut ab) = counters();
        let mut aa_sales = Vec::new();
        let mut refunded = HashMap::new();
        for (minute, act) in acts.iter().enumerate() {
            let at = shop_time() + Duration::minutes(minute as i64);
            match act {
                Act::Sell { at_aa: true } => aa_sales.push(sell(&mut aa, &[3, 3, 3], at).receipt_no),
                Act::Sell { at_aa: false } => {
                    sell(&mut ab, &[1, 1, 1], at);
                }
                Act::RefundAtAbOfAasSale | Act::RefundAtAaOfItsOwnSale => {
                    // Three of each line sold: AB gives back line 0, AA line 1, one at a time.
                    let line = if matches!(act, Act::RefundAtAbOfAasSale) { 0 } else { 1 };
                    let Some(receipt_no) = aa_sales.last().cloned() else { continue };
                    let given_back = refunded.entry((receipt_no.clone(), line)).or_insert(0);
                    if *given_back == 3 {
                        continue;
                    }
                    *given_back += 1;
                    let at_counter = if line == 0 {
                        carry(&aa, &mut ab);
                        &mut ab
                    } else {
                        &mut aa
                    };
                    let adjustment = refund(at_counter, &receipt_no, &[(line, 1)], at)
                        .unwrap()
                        .adjustment;
                    prop_assert!(adjustment.is_some(), "a registered shop adjusts its invoice");
                }
            }
        }
        let aa_counters = issued_counters(&aa.store);
        let ab_counters = issued_counters(&ab.store);
        prop_assert_eq!(&aa_counters, &(1..=aa_counters.len() as i64).collect::<Vec<_>>());
        prop_assert_eq!(
            &ab_counters,
            &(100_000_001..=100_000_000 + ab_counters.len() as i64).collect::<Vec<_>>()
        );
        let aa_codes = aa.store.authority_codes(2026).unwrap();
        let ab_codes = ab.store.authority_codes(2026).unwrap();
        let distinct: BTreeSet<&String> = aa_codes.iter().chain(&ab_codes).collect();
        prop_assert_eq!(distinct.len(), aa_codes.len() + ab_codes.len());
        prop_assert_eq!(queued_keys(&aa), aa_codes);
        prop_assert_eq!(queued_keys(&ab), ab_codes);
        for (counter, codes) in [(&aa, &aa_counters), (&ab, &ab_counters)] {
            prop_assert_eq!(
                counter.store.last_invoice_counter(COUNTER_SERIES, 2026).unwrap(),
                codes.last().copied().unwrap_or(0)
            );
        }
    }
}

#[test]
fn a_folder_renamed_from_aa_to_ab_goes_on_in_abs_block() {
    let mut folder = catalogue_counter();
    let first = sell(&mut folder, &[2, 1, 1], shop_time());
    let second = sell(&mut folder, &[1, 1, 1], shop_time() + Duration::minutes(1));
    assert_eq!(issued_counters(&folder.store), [1, 2]);

    folder
        .store
        .set_node_identity(None, Some("AB"), None)
        .unwrap();
    let after = sell(&mut folder, &[1, 1, 1], shop_time() + Duration::minutes(2));
    assert_eq!(
        after
            .invoice
            .issued()
            .unwrap()
            .numbers
            .authority_code
            .as_deref(),
        Some("M1-26-K7Q2M-00100000001")
    );
    // A refund of a sale it made as AA is adjusted under its code now, in AB's block.
    let given_back = refund(
        &mut folder,
        &first.receipt_no,
        &[(0, 1)],
        shop_time() + Duration::minutes(3),
    )
    .unwrap();
    assert_eq!(
        given_back
            .adjustment
            .unwrap()
            .numbers
            .authority_code
            .as_deref(),
        Some("M1-26-K7Q2M-00100000002")
    );
    // Reopened, the folder goes on from its last.
    let mut folder = reopened(folder);
    sell(&mut folder, &[1, 1, 1], shop_time() + Duration::minutes(4));
    assert_eq!(
        issued_counters(&folder.store),
        [1, 2, 100_000_001, 100_000_002, 100_000_003]
    );
    // What it issued as AA stands as issued.
    for sold in [&first, &second] {
        let issued = sold.invoice.issued().unwrap();
        assert_eq!(
            folder.store.einvoice(&issued.reference()).unwrap().as_ref(),
            Some(issued)
        );
    }
}

#[test]
fn a_folder_renamed_to_an_earlier_node_is_refused_and_writes_nothing() {
    let aa = catalogue_counter();
    let mut folder = another_counter(&aa, "AC");
    sell(&mut folder, &[1, 1, 1], shop_time());
    assert_eq!(issued_counters(&folder.store), [200_000_001]);

    folder
        .store
        .set_node_identity(None, Some("AB"), None)
        .unwrap();
    let sales_before = folder.store.sale_count().unwrap();
    let refused = try_sell(&mut folder, &[1, 1, 1], shop_time() + Duration::minutes(1));
    let Err(StoreError::Invoice(error @ InvoiceError::OutsideAuthorityBlock { .. })) = refused
    else {
        panic!("AB's block lies before the folder's last code: {refused:?}");
    };
    assert_eq!(
        error,
        InvoiceError::OutsideAuthorityBlock {
            node: "AB".into(),
            last: 200_000_001,
            first: 100_000_001,
            end: 199_999_999,
        }
    );
    let notice = Notice::Invoice(error);
    for (lang, words) in [
        (Lang::Vi, "Không cấp được mã của cơ quan thuế (MCCQT)"),
        (Lang::En, "No tax-authority code (MCCQT) can be issued"),
    ] {
        let text = notice.text(lang);
        assert_contains(&text, words);
        assert_contains(&text, "00200000001, ");
        assert_contains(&text, "00100000001–00199999999");
        assert_contains(&text, "node set --code");
    }
    assert_eq!(folder.store.sale_count().unwrap(), sales_before);
    assert_eq!(
        folder
            .store
            .last_invoice_counter(COUNTER_SERIES, 2026)
            .unwrap(),
        200_000_001
    );

    // Its own code back, it sells on in its block.
    folder
        .store
        .set_node_identity(None, Some("AC"), None)
        .unwrap();
    sell(&mut folder, &[1, 1, 1], shop_time() + Duration::minutes(2));
    assert_eq!(issued_counters(&folder.store), [200_000_001, 200_000_002]);
}

/// Closes a counter's store and opens its folder again, as the program does at its next start.
fn reopened(counter: Counter) -> Counter {
    let Counter { dir, store } = counter;
    drop(store);
    Counter {
        store: Store::open_in(dir.path()).unwrap(),
        dir,
    }
}

#[test]
fn a_restored_backup_of_ab_goes_on_after_the_codes_ab_gave_since() {
    let aa = catalogue_counter();
    let mut ab = another_counter(&aa, "AB");
    sell(&mut ab, &[1, 1, 1], shop_time());
    let backup = back_up(
        ab.dir.path(),
        &BackupPolicy::default(),
        None,
        shop_time() + Duration::minutes(1),
    )
    .unwrap();
    for minute in [2, 3] {
        sell(&mut ab, &[1, 1, 1], shop_time() + Duration::minutes(minute));
    }
    assert_eq!(
        issued_counters(&ab.store),
        [100_000_001, 100_000_002, 100_000_003]
    );

    let Counter { dir, store } = ab;
    drop(store);
    let lock = DataLock::acquire(dir.path()).unwrap();
    let manager = StaffMember {
        id: 1,
        name: "Trần Văn Hùng".into(),
        role: Role::Manager,
    };
    restore_backup(
        dir.path(),
        &backup.backup.path,
        &lock,
        &manager,
        None,
        shop_time() + Duration::minutes(4),
    )
    .unwrap();
    drop(lock);
    let mut ab = Counter {
        store: Store::open_in(dir.path()).unwrap(),
        dir,
    };
    assert_eq!(issued_counters(&ab.store), [100_000_001], "the backup's");
    let after = sell(&mut ab, &[1, 1, 1], shop_time() + Duration::minutes(5));
    assert_eq!(
        after
            .invoice
            .issued()
            .unwrap()
            .numbers
            .authority_code
            .as_deref(),
        Some("M1-26-K7Q2M-00100000004"),
        "after the highest AB ever gave, not after the backup's"
    );
}
