//! The store behind the checkout, on a real SQLite file.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{demo_store, product, shop_time};
use ocop_pos::core::cart::{Cart, Discount};
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentError, PaymentMethod, Tender};
use ocop_pos::core::sale::{DraftError, SaleDraft};
use ocop_pos::core::vat::VatRate;
use ocop_pos::store::{SCHEMA_VERSION, Store, StoreError};
use rust_decimal::Decimal;

const FISH_SAUCE: &str = "8930100000018"; // KG001, 165.000 ₫, 8 %
const RICE: &str = "8930101000116"; // KG011, 185.000 ₫, 5 %

fn cash(amount: i64) -> Tender {
    Tender {
        method: PaymentMethod::Cash,
        amount: Money(amount),
        reference: None,
    }
}

fn two_line_cart(store: &Store) -> Cart {
    let mut cart = Cart::default();
    cart.add_product(&product(store, FISH_SAUCE), Decimal::from(2))
        .unwrap();
    cart.add_product(&product(store, RICE), Decimal::ONE)
        .unwrap();
    cart
}

#[test]
fn new_store_has_schema_version_and_demo_catalogue() {
    let (_dir, store) = demo_store();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let catalogue = store.catalogue(shop_time()).unwrap();
    assert_eq!(catalogue.len(), 42);
    let fish = product(&store, FISH_SAUCE);
    assert_eq!(fish.name, "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm");
    assert_eq!(fish.producer, "CTCP Thương mại Khải Hoàn");
    assert_eq!(fish.stars, Some(5));
    assert_eq!(fish.price, Money(165_000));
    assert_eq!(fish.vat, VatRate::from_code("8").unwrap());
    assert_eq!(fish.stock, Decimal::from(48));
    let mango = store.product_by_plu(26, shop_time()).unwrap().unwrap();
    assert_eq!(mango.sku, "KG026");
    assert!(mango.sold_by_weight);
    assert_eq!(mango.stock, Decimal::new(455, 1));
    assert!(mango.barcode.unwrap().starts_with("20"));
    assert!(store.stock_mismatches().unwrap().is_empty());
}

#[test]
fn vat_rate_follows_its_effective_date() {
    let (_dir, store) = demo_store();
    let new_year = Utc.with_ymd_and_hms(2026, 12, 31, 17, 0, 0).unwrap();
    let before = store
        .product_by_barcode(FISH_SAUCE, new_year - Duration::seconds(1))
        .unwrap()
        .unwrap();
    let after = store
        .product_by_barcode(FISH_SAUCE, new_year)
        .unwrap()
        .unwrap();
    assert_eq!(before.vat, VatRate::from_code("8").unwrap());
    assert_eq!(after.vat, VatRate::from_code("10").unwrap());
    // Wine stays at 10 % and rice at 5 %: no scheduled change.
    let rice = store.product_by_barcode(RICE, new_year).unwrap().unwrap();
    assert_eq!(rice.vat, VatRate::from_code("5").unwrap());
}

#[test]
fn committed_sale_moves_stock_and_reads_back_whole() {
    let (_dir, mut store) = demo_store();
    let cart = two_line_cart(&store);
    let draft = SaleDraft::new(&cart, vec![cash(600_000)], "Lan").unwrap();
    assert_eq!(draft.total, Money(515_000));
    assert_eq!(draft.change, Money(85_000));
    let record = store.commit_sale(&draft, shop_time()).unwrap();
    assert_eq!(record.receipt_no, "2026-AA-000001");

    assert_eq!(product(&store, FISH_SAUCE).stock, Decimal::from(46));
    assert_eq!(product(&store, RICE).stock, Decimal::from(99));
    let fish_id = product(&store, FISH_SAUCE).id;
    assert_eq!(store.ledger_stock(fish_id).unwrap(), Decimal::from(46));
    assert!(store.stock_mismatches().unwrap().is_empty());

    let read = store.sale_by_receipt_no("2026-AA-000001").unwrap().unwrap();
    assert_eq!(read, record);
    let vat_sum: Money = read.draft.vat.iter().map(|b| b.gross).sum();
    assert_eq!(vat_sum, read.draft.total);
}

#[test]
fn sale_keeps_the_price_it_was_rung_up_at() {
    let (_dir, mut store) = demo_store();
    let cart = two_line_cart(&store);
    let draft = SaleDraft::new(&cart, vec![cash(515_000)], "Lan").unwrap();
    // Committed after the VAT change: the lines keep the rate they were sold with.
    let next_year = Utc.with_ymd_and_hms(2027, 1, 2, 3, 0, 0).unwrap();
    let record = store.commit_sale(&draft, next_year).unwrap();
    let read = store
        .sale_by_receipt_no(&record.receipt_no)
        .unwrap()
        .unwrap();
    assert_eq!(read.draft.lines[0].vat, VatRate::from_code("8").unwrap());
    assert_eq!(read.draft.lines[0].unit_price, Money(165_000));
}

#[test]
fn receipt_numbers_have_no_gaps_and_restart_each_year() {
    let (_dir, mut store) = demo_store();
    let mut numbers = Vec::new();
    for i in 0..5 {
        let cart = two_line_cart(&store);
        let draft = SaleDraft::new(&cart, vec![cash(515_000)], "Lan").unwrap();
        numbers.push(
            store
                .commit_sale(&draft, shop_time() + Duration::minutes(i))
                .unwrap()
                .receipt_no,
        );
    }
    assert_eq!(
        numbers,
        [
            "2026-AA-000001",
            "2026-AA-000002",
            "2026-AA-000003",
            "2026-AA-000004",
            "2026-AA-000005"
        ]
    );
    // 00:00 on 1 Jan 2027 in Vietnam is still 2026 in UTC: the local year decides.
    let first_of_2027 = Utc.with_ymd_and_hms(2026, 12, 31, 17, 0, 1).unwrap();
    let cart = two_line_cart(&store);
    let draft = SaleDraft::new(&cart, vec![cash(600_000)], "Lan").unwrap();
    let record = store.commit_sale(&draft, first_of_2027).unwrap();
    assert_eq!(record.receipt_no, "2027-AA-000001");
    assert_eq!(store.receipt_numbers(2026).unwrap(), vec![1, 2, 3, 4, 5]);
    assert_eq!(store.receipt_numbers(2027).unwrap(), vec![1]);
}

#[test]
fn refused_payment_writes_nothing() {
    let (_dir, mut store) = demo_store();
    let mut cart = two_line_cart(&store);
    store.save_open_cart(&mut cart, shop_time()).unwrap();
    let short = SaleDraft::new(&cart, vec![cash(500_000)], "Lan");
    assert_eq!(
        short,
        Err(DraftError::Payment(PaymentError::Short(Money(15_000))))
    );
    assert_eq!(store.sale_count().unwrap(), 0);
    assert_eq!(store.last_receipt_number(2026).unwrap(), 0);
    assert_eq!(product(&store, FISH_SAUCE).stock, Decimal::from(48));
    assert_eq!(store.load_open_cart().unwrap(), cart);
}

#[test]
fn full_disk_keeps_the_cart_and_loses_no_number() {
    let (_dir, mut store) = demo_store();
    let mut cart = Cart::default();
    // Enough lines that the sale needs new database pages.
    for barcode in store
        .catalogue(shop_time())
        .unwrap()
        .iter()
        .filter(|p| !p.sold_by_weight)
        .filter_map(|p| p.barcode.clone())
        .collect::<Vec<_>>()
    {
        cart.add_product(&product(&store, &barcode), Decimal::ONE)
            .unwrap();
    }
    store.save_open_cart(&mut cart, shop_time()).unwrap();
    let total = cart.totals().total;
    let draft = SaleDraft::new(&cart, vec![cash(total.dong())], "Lan").unwrap();

    store.cap_size_at_current().unwrap();
    let failed = store.commit_sale(&draft, shop_time());
    assert!(matches!(failed, Err(StoreError::DiskFull)), "{failed:?}");
    assert_eq!(store.sale_count().unwrap(), 0);
    assert_eq!(store.last_receipt_number(2026).unwrap(), 0);
    assert_eq!(store.load_open_cart().unwrap(), cart);
    assert!(store.stock_mismatches().unwrap().is_empty());
    assert_eq!(product(&store, FISH_SAUCE).stock, Decimal::from(48));

    store.lift_size_cap().unwrap();
    let record = store.commit_sale(&draft, shop_time()).unwrap();
    assert_eq!(record.receipt_no, "2026-AA-000001");
    assert!(store.load_open_cart().unwrap().is_empty());
}

#[test]
fn open_and_parked_carts_survive_reopening() {
    let (dir, mut store) = demo_store();
    let mut cart = two_line_cart(&store);
    cart.set_line_discount(0, Discount::Percent(Decimal::from(10)))
        .unwrap();
    store.save_open_cart(&mut cart, shop_time()).unwrap();
    drop(store);

    let mut store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.load_open_cart().unwrap(), cart);

    let id = store
        .park_cart(&cart, "Chị Mai", "Lan", shop_time())
        .unwrap();
    assert!(store.load_open_cart().unwrap().is_empty());
    drop(store);

    let mut store = Store::open_in(dir.path()).unwrap();
    let parked = store.parked_carts().unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].label, "Chị Mai");
    assert_eq!(parked[0].total, cart.totals().total);
    assert_eq!(parked[0].line_count, 2);

    // Resuming while another cart is open parks that one instead of dropping it.
    let mut other = Cart::default();
    other
        .add_product(&product(&store, RICE), Decimal::ONE)
        .unwrap();
    let resumed = store
        .resume_parked_cart(id, &other, "Lan", shop_time())
        .unwrap();
    assert_eq!(resumed, cart);
    assert_eq!(store.load_open_cart().unwrap(), cart);
    let parked = store.parked_carts().unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].total, Money(185_000));
    let again = store.resume_parked_cart(id, &cart, "Lan", shop_time());
    assert!(matches!(again, Err(StoreError::NotFound)), "{again:?}");
}

#[test]
fn committed_records_cannot_be_changed() {
    let (dir, mut store) = demo_store();
    let cart = two_line_cart(&store);
    let draft = SaleDraft::new(&cart, vec![cash(515_000)], "Lan").unwrap();
    store.commit_sale(&draft, shop_time()).unwrap();
    let raw = rusqlite::Connection::open(store.path()).unwrap();
    for tampering in [
        "UPDATE sales SET total = 1",
        "DELETE FROM sales",
        "UPDATE sale_lines SET total = 1",
        "DELETE FROM payments",
        "UPDATE stock_movements SET quantity_milli = 0",
        "DELETE FROM stock_movements",
    ] {
        assert!(
            raw.execute(tampering, []).is_err(),
            "{tampering} was allowed"
        );
    }
    drop(raw);
    let read = Store::open_in(dir.path())
        .unwrap()
        .sale_by_receipt_no("2026-AA-000001")
        .unwrap()
        .unwrap();
    assert_eq!(read.draft.total, Money(515_000));
}

#[test]
fn refuses_a_database_from_a_newer_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite3");
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NewerSchema { .. })
    ));
}

#[test]
fn shop_settings_round_trip() {
    let (_dir, mut store) = demo_store();
    let mut settings = ocop_pos::core::settings::ShopSettings::demo();
    settings.phone = "0909 000 111".into();
    store.save_shop_settings(&settings).unwrap();
    assert_eq!(store.shop_settings().unwrap(), settings);
}

#[test]
fn first_start_seeds_the_demo_once_and_no_demo_starts_empty() {
    use ocop_pos::config::Config;
    use ocop_pos::core::settings::StoreKind;
    let empty = tempfile::tempdir().unwrap();
    let store = Config::new(Some(empty.path().to_path_buf()), false)
        .open_store()
        .unwrap();
    assert_eq!(store.product_count().unwrap(), 0);
    assert_eq!(
        store.shop_settings().unwrap(),
        ocop_pos::core::settings::ShopSettings::default()
    );

    assert_eq!(store.store_kind().unwrap(), StoreKind::Real);
    drop(store);
    // The window opened later without --no-demo on that empty real store: it stays empty.
    let store = Config::new(Some(empty.path().to_path_buf()), true)
        .open_store()
        .unwrap();
    assert_eq!(store.product_count().unwrap(), 0);
    assert_eq!(store.staff().unwrap(), vec![]);
    assert_eq!(store.store_kind().unwrap(), StoreKind::Real);
    assert_eq!(store.shop_settings().unwrap().bank_account, "");

    let demo = tempfile::tempdir().unwrap();
    let config = Config::new(Some(demo.path().join("nested")), true);
    drop(config.open_store().unwrap());
    let store = config.open_store().unwrap();
    assert_eq!(store.product_count().unwrap(), 42);
    assert_eq!(store.shop_settings().unwrap().bank_bin, "970405");
    assert_eq!(store.store_kind().unwrap(), StoreKind::Demo);
    assert_eq!(store.staff().unwrap().len(), 3, "seeded once");
}

#[test]
fn a_store_made_before_its_kind_was_recorded_is_told_by_the_demo_tax_code() {
    use ocop_pos::core::settings::StoreKind;
    use ocop_pos::store::STORE_KIND_SETTING;
    let (dir, store) = demo_store();
    drop(store);
    // A store of an earlier version: no kind recorded, whatever it holds.
    rusqlite::Connection::open(dir.path().join(ocop_pos::store::DATABASE_FILE))
        .unwrap()
        .execute("DELETE FROM settings WHERE key = ?1", [STORE_KIND_SETTING])
        .unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.setting(STORE_KIND_SETTING).unwrap(), None);
    assert_eq!(store.store_kind().unwrap(), StoreKind::Real);
    store
        .save_shop_settings(&ocop_pos::core::settings::ShopSettings::demo())
        .unwrap();
    assert_eq!(store.store_kind().unwrap(), StoreKind::Demo);
    store.set_store_kind(StoreKind::Real).unwrap();
    assert_eq!(
        store.store_kind().unwrap(),
        StoreKind::Real,
        "recorded wins"
    );
}
