//! The back office on a real SQLite file: products, prices and VAT rates over time, the stock
//! ledger, and the catalogue CSV.

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::{demo_store, product, sell_for_exact_cash, shop_time};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::inventory::{
    AdjustmentReason, Certificate, CertificateStatus, InventoryError, ProducerDraft, ProducerKind,
    ProductDraft, ReceiptLine, RowError, StockMovementKind,
};
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::refund::{RefundItem, RefundRequest};
use ocop_pos::core::sale::SaleRecord;
use ocop_pos::core::vat::VatRate;
use ocop_pos::documents::{producers_csv, products_csv};
use ocop_pos::store::{
    BLOCK_NEGATIVE_STOCK, ImportMode, NEGATIVE_STOCK_SETTING, Store, StoreError,
    WARN_ON_NEGATIVE_STOCK,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

const FISH_SAUCE: &str = "8930100000018"; // KG001, 165.000 ₫, 8 %
const RICE: &str = "8930101000116"; // KG011, 185.000 ₫, 5 %
const PRODUCER: &str = "CTCP Thương mại Khải Hoàn";

fn rate(code: &str) -> VatRate {
    VatRate::from_code(code).unwrap()
}

fn draft(sku: &str, barcodes: &[&str]) -> ProductDraft {
    ProductDraft {
        sku: sku.into(),
        barcodes: barcodes.iter().map(|code| code.to_string()).collect(),
        name: "Tiêu đen Phú Quốc 200g".into(),
        producer: PRODUCER.into(),
        ocop_group: "Thực phẩm".into(),
        stars: Some(4),
        unit: "hũ".into(),
        sold_by_weight: false,
        plu: None,
        price: Money(100_000),
        vat: rate("8"),
        low_stock: Decimal::from(5),
        active: true,
    }
}

fn sell(store: &mut Store, barcode: &str, quantity: Decimal, at: DateTime<Utc>) -> SaleRecord {
    try_to_sell(store, barcode, quantity, at).unwrap()
}

fn try_to_sell(
    store: &mut Store,
    barcode: &str,
    quantity: Decimal,
    at: DateTime<Utc>,
) -> Result<SaleRecord, StoreError> {
    let mut cart = Cart::default();
    cart.add_product(
        &store.product_by_barcode(barcode, at).unwrap().unwrap(),
        quantity,
    )
    .unwrap();
    sell_for_exact_cash(store, &cart, at)
}

fn refused(result: Result<impl std::fmt::Debug, StoreError>) -> InventoryError {
    match result {
        Err(StoreError::Inventory(error)) => error,
        other => panic!("expected an inventory refusal, got {other:?}"),
    }
}

#[derive(Debug, Clone)]
enum Move {
    Receipt(i64),
    Sale(i64),
    RefundLastSale,
    Adjust(i64, usize),
    Count(i64),
}

fn a_move() -> impl Strategy<Value = (bool, Move)> {
    let quantity = 1i64..40;
    (
        any::<bool>(),
        prop_oneof![
            quantity.clone().prop_map(Move::Receipt),
            (1i64..6).prop_map(Move::Sale),
            Just(Move::RefundLastSale),
            (
                (-20i64..20).prop_filter("not zero", |q| *q != 0),
                0..AdjustmentReason::ALL.len()
            )
                .prop_map(|(q, reason)| Move::Adjust(q, reason)),
            (0i64..120).prop_map(Move::Count),
        ],
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever mix of receipts, sales, refunds, adjustments and counts, each product's stock
    /// is its ledger's sum, and equals what a plain model of the same moves says.
    #[test]
    fn stock_always_equals_the_ledger(moves in proptest::collection::vec(a_move(), 1..30)) {
        let (_dir, mut store) = demo_store();
        let barcodes = [FISH_SAUCE, RICE];
        let ids = barcodes.map(|code| product(&store, code).id);
        let mut expected = barcodes.map(|code| product(&store, code).stock);
        let producer = store.producer_drafts().unwrap()[0].0;
        let mut last_sale: Option<(SaleRecord, usize)> = None;
        for (step, (second, movement)) in moves.into_iter().enumerate() {
            let which = usize::from(second);
            let at = shop_time() + Duration::minutes(step as i64);
            match movement {
                Move::Receipt(q) => {
                    store.receive_stock(producer, &[ReceiptLine {
                        product_id: ids[which],
                        quantity: Decimal::from(q),
                        unit_cost: Money(50_000),
                        lot: format!("L{step}"),
                        expires_on: None,
                    }], "PN-1", at, "Hùng").unwrap();
                    expected[which] += Decimal::from(q);
                }
                Move::Sale(q) => {
                    let sale = sell(&mut store, barcodes[which], Decimal::from(q), at);
                    expected[which] -= Decimal::from(q);
                    last_sale = Some((sale, which));
                }
                Move::RefundLastSale => {
                    let Some((sale, sold)) = last_sale.take() else { continue };
                    store.commit_refund(&RefundRequest {
                        receipt_no: sale.receipt_no.clone(),
                        items: vec![RefundItem { line_no: 0, quantity: Decimal::ONE }],
                        method: PaymentMethod::Transfer,
                        restock: true,
                        reason: String::new(),
                        cashier: "Lan".into(),
                        approver: None,
                    }, at).unwrap();
                    expected[sold] += Decimal::ONE;
                }
                Move::Adjust(q, reason) => {
                    store.adjust_stock(ids[which], Decimal::from(q), AdjustmentReason::ALL[reason],
                        "", at, "Hùng").unwrap();
                    expected[which] += Decimal::from(q);
                }
                Move::Count(q) => {
                    store.post_stock_count(&[(ids[which], Decimal::from(q))], at, "Hùng").unwrap();
                    expected[which] = Decimal::from(q);
                }
            }
        }
        prop_assert!(store.stock_mismatches().unwrap().is_empty());
        let on_hand = store.stock_on_hand().unwrap();
        for (i, id) in ids.into_iter().enumerate() {
            prop_assert_eq!(store.ledger_stock(id).unwrap(), expected[i]);
            prop_assert_eq!(product(&store, barcodes[i]).stock, expected[i]);
            let summed = on_hand.iter().find(|(p, _)| *p == id).map(|(_, q)| *q);
            prop_assert_eq!(summed, Some(expected[i]));
        }
    }
}

#[test]
fn price_and_vat_changes_apply_from_their_date_and_past_sales_keep_theirs() {
    let (_dir, mut store) = demo_store();
    let id = store
        .create_product(draft("KG100", &[]), shop_time(), "Hùng")
        .unwrap();
    let barcode = store
        .product_by_id(id, shop_time())
        .unwrap()
        .unwrap()
        .barcode
        .unwrap();
    assert!(barcode.starts_with("20") && barcode.len() == 13);
    let price_rise = shop_time() + Duration::days(10);
    let new_year = Utc.with_ymd_and_hms(2026, 12, 31, 17, 0, 0).unwrap();
    store
        .schedule_price(id, Money(120_000), price_rise, "Hùng")
        .unwrap();
    store
        .schedule_vat_rate(id, rate("10"), new_year, "Hùng")
        .unwrap();

    let before = sell(
        &mut store,
        &barcode,
        Decimal::ONE,
        price_rise - Duration::seconds(1),
    );
    let after_rise = store.product_by_id(id, price_rise).unwrap().unwrap();
    assert_eq!(
        (after_rise.price, after_rise.vat),
        (Money(120_000), rate("8"))
    );
    let next_year = store.product_by_id(id, new_year).unwrap().unwrap();
    assert_eq!(
        (next_year.price, next_year.vat),
        (Money(120_000), rate("10"))
    );
    sell(&mut store, &barcode, Decimal::ONE, new_year);

    let past = store
        .sale_by_receipt_no(&before.receipt_no)
        .unwrap()
        .unwrap();
    assert_eq!(past.draft.lines[0].unit_price, Money(100_000));
    assert_eq!(past.draft.lines[0].vat, rate("8"));
    let history = store.price_history(id).unwrap();
    assert_eq!(
        history.prices,
        vec![(shop_time(), Money(100_000)), (price_rise, Money(120_000))]
    );
    assert_eq!(
        history.vat_rates,
        vec![(shop_time(), rate("8")), (new_year, rate("10"))]
    );
    assert_eq!(
        refused(store.schedule_price(id, Money(0), new_year, "Hùng")),
        InventoryError::PriceNotPositive
    );
}

#[test]
fn a_product_ever_sold_is_deactivated_never_deleted() {
    let (_dir, mut store) = demo_store();
    let fish = product(&store, FISH_SAUCE);
    let sale = sell(&mut store, FISH_SAUCE, Decimal::ONE, shop_time());
    assert_eq!(
        refused(store.delete_product(fish.id, "Hùng")),
        InventoryError::EverSold
    );
    store.set_product_active(fish.id, false, "Hùng").unwrap();
    assert!(
        store
            .product_by_barcode(FISH_SAUCE, shop_time())
            .unwrap()
            .is_none()
    );
    assert!(
        !store
            .catalogue(shop_time())
            .unwrap()
            .iter()
            .any(|p| p.id == fish.id)
    );
    assert!(
        store
            .sale_by_receipt_no(&sale.receipt_no)
            .unwrap()
            .is_some()
    );

    let mistake = store
        .create_product(draft("KG101", &[]), shop_time(), "Hùng")
        .unwrap();
    store.delete_product(mistake, "Hùng").unwrap();
    assert!(store.product_by_id(mistake, shop_time()).unwrap().is_none());
    let received = store
        .create_product(draft("KG102", &[]), shop_time(), "Hùng")
        .unwrap();
    store
        .adjust_stock(
            received,
            Decimal::ONE,
            AdjustmentReason::Correction,
            "",
            shop_time(),
            "Hùng",
        )
        .unwrap();
    assert_eq!(
        refused(store.delete_product(received, "Hùng")),
        InventoryError::HasStockHistory
    );
}

#[test]
fn a_sale_below_zero_stock_is_refused_or_let_through_as_the_shop_chose() {
    let (_dir, mut store) = demo_store();
    let fish = product(&store, FISH_SAUCE);
    let too_many = fish.stock + Decimal::ONE;
    store
        .set_setting(NEGATIVE_STOCK_SETTING, BLOCK_NEGATIVE_STOCK)
        .unwrap();
    assert_eq!(
        refused(try_to_sell(&mut store, FISH_SAUCE, too_many, shop_time())),
        InventoryError::OutOfStock("KG001".into())
    );
    assert_eq!(product(&store, FISH_SAUCE).stock, fish.stock);
    let exactly_all = sell(&mut store, FISH_SAUCE, fish.stock, shop_time());
    assert_eq!(
        exactly_all.receipt_no, "2026-AA-000001",
        "the refusal used no number"
    );

    store
        .set_setting(NEGATIVE_STOCK_SETTING, WARN_ON_NEGATIVE_STOCK)
        .unwrap();
    sell(&mut store, FISH_SAUCE, Decimal::ONE, shop_time());
    assert_eq!(store.ledger_stock(fish.id).unwrap(), -Decimal::ONE);
    assert!(store.stock_mismatches().unwrap().is_empty());
}

#[test]
fn products_are_checked_before_they_are_stored() {
    let (_dir, mut store) = demo_store();
    let count = store.product_count().unwrap();
    let bad_check_digit = draft("KG100", &["8930100000019"]);
    assert_eq!(
        refused(store.create_product(bad_check_digit, shop_time(), "Hùng")),
        InventoryError::BadBarcode("8930100000019".into())
    );
    assert_eq!(
        refused(store.create_product(draft("KG001", &[]), shop_time(), "Hùng")),
        InventoryError::SkuTaken("KG001".into())
    );
    assert_eq!(
        refused(store.create_product(draft("KG100", &[FISH_SAUCE]), shop_time(), "Hùng")),
        InventoryError::BarcodeTaken(FISH_SAUCE.into())
    );
    let unknown = ProductDraft {
        producer: "Không ai".into(),
        ..draft("KG100", &[])
    };
    assert_eq!(
        refused(store.create_product(unknown, shop_time(), "Hùng")),
        InventoryError::NoSuchProducer("Không ai".into())
    );
    let no_unit = ProductDraft {
        unit: " ".into(),
        ..draft("KG100", &[])
    };
    assert_eq!(
        refused(store.create_product(no_unit, shop_time(), "Hùng")),
        InventoryError::UnitRequired
    );
    assert_eq!(store.product_count().unwrap(), count);

    let id = store
        .create_product(draft("KG100", &["8936012345674"]), shop_time(), "Hùng")
        .unwrap();
    let renamed = ProductDraft {
        name: "Tiêu đỏ Phú Quốc 200g".into(),
        price: Money(110_000),
        ..draft("KG100", &[])
    };
    let later = shop_time() + Duration::hours(1);
    store.update_product(id, renamed, later, "Hùng").unwrap();
    let saved = store.product_draft(id, later).unwrap().unwrap();
    assert_eq!(saved.name, "Tiêu đỏ Phú Quốc 200g");
    assert_eq!(saved.barcodes, vec!["8936012345674".to_string()], "kept");
    assert_eq!(saved.price, Money(110_000));
    assert_eq!(
        store.product_draft(id, shop_time()).unwrap().unwrap().price,
        Money(100_000)
    );
}

#[test]
fn producers_are_saved_with_their_terms() {
    let (_dir, mut store) = demo_store();
    let producer = ProducerDraft {
        name: "HTX Nông nghiệp Mỹ Khánh".into(),
        kind: ProducerKind::Cooperative,
        commune: "Xã Mỹ Khánh".into(),
        province: "An Giang".into(),
        contact: "0909 123 456".into(),
        tax_code: "1701234569".into(),
        bank_account: "Agribank 7700 1234 5678".into(),
        consignment: Some(Decimal::new(125, 1)),
    };
    let id = store.save_producer(None, producer.clone()).unwrap();
    let saved = store.producer_drafts().unwrap();
    assert!(saved.contains(&(id, producer.clone())));
    assert_eq!(
        refused(store.save_producer(None, producer.clone())),
        InventoryError::ProducerNameTaken(producer.name.clone())
    );
    let bad = ProducerDraft {
        tax_code: "170123".into(),
        ..producer
    };
    assert_eq!(
        refused(store.save_producer(Some(id), bad)),
        InventoryError::BadTaxCode("170123".into())
    );
}

#[test]
fn receipts_counts_low_stock_near_expiry_and_certificates() {
    let (_dir, mut store) = demo_store();
    let fish = product(&store, FISH_SAUCE);
    let rice = product(&store, RICE);
    let producer = store.producer_drafts().unwrap()[0].0;
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    store
        .receive_stock(
            producer,
            &[
                ReceiptLine {
                    product_id: fish.id,
                    quantity: Decimal::from(12),
                    unit_cost: Money(120_000),
                    lot: "NM-2611".into(),
                    expires_on: Some(today + Duration::days(20)),
                },
                ReceiptLine {
                    product_id: rice.id,
                    quantity: Decimal::from(10),
                    unit_cost: Money(140_000),
                    lot: String::new(),
                    expires_on: Some(today + Duration::days(200)),
                },
            ],
            "PN-0042",
            shop_time(),
            "Hùng",
        )
        .unwrap();
    assert_eq!(
        product(&store, FISH_SAUCE).stock,
        fish.stock + Decimal::from(12)
    );
    let lots = store.near_expiry_lots(today, 30).unwrap();
    assert_eq!(lots.len(), 1);
    assert_eq!(
        (lots[0].lot.as_str(), lots[0].received),
        ("NM-2611", Decimal::from(12))
    );

    let variances = store
        .post_stock_count(
            &[
                (fish.id, Decimal::from(3)),
                (rice.id, rice.stock + Decimal::from(10)),
            ],
            shop_time(),
            "Hùng",
        )
        .unwrap();
    assert_eq!(variances.len(), 1, "only the fish sauce differed");
    assert_eq!(variances[0].counted, Decimal::from(3));
    assert_eq!(store.ledger_stock(fish.id).unwrap(), Decimal::from(3));
    let history = store.stock_history(fish.id).unwrap();
    let kinds: Vec<_> = history.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        vec![
            StockMovementKind::Opening,
            StockMovementKind::Receipt,
            StockMovementKind::Count
        ]
    );
    assert_eq!(history[1].delivery_note_no, "PN-0042");
    assert_eq!(history[1].unit_cost, Some(Money(120_000)));
    assert_eq!(history[1].producer_id, Some(producer));
    assert_eq!(
        history[2].quantity,
        Decimal::from(3) - fish.stock - Decimal::from(12)
    );

    store
        .set_low_stock_threshold(fish.id, Decimal::from(5))
        .unwrap();
    let low = store.low_stock().unwrap();
    assert_eq!(
        low.iter().map(|l| l.product_id).collect::<Vec<_>>(),
        vec![fish.id]
    );

    let certificate = Certificate {
        number: "1234/QĐ-UBND".into(),
        issuer: "UBND tỉnh Kiên Giang".into(),
        issued_on: NaiveDate::from_ymd_opt(2023, 12, 10).unwrap(),
        stars: 4,
    };
    store
        .save_certificate(fish.id, certificate.clone())
        .unwrap();
    assert_eq!(store.certificate(fish.id).unwrap(), Some(certificate));
    assert_eq!(product(&store, FISH_SAUCE).stars, Some(4));
    let alerts = store.certificate_alerts(today, 30).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(
        alerts[0].status,
        CertificateStatus::ExpiringSoon { days_left: 13 }
    );
    assert!(matches!(
        store
            .certificate_alerts(today + Duration::days(14), 30)
            .unwrap()[0]
            .status,
        CertificateStatus::Expired
    ));
}

const HEADER: &str = "sku,barcodes,name,producer,ocop_group,ocop_stars,unit,sold_by_weight,plu,price_vnd,vat_rate,low_stock";

#[test]
fn a_csv_with_bad_rows_imports_nothing_and_names_every_bad_line() {
    let (_dir, mut store) = demo_store();
    let count = store.product_count().unwrap();
    let csv = format!(
        "\u{feff}{HEADER}\n\
         KG200,,Mật ong U Minh,{PRODUCER},Thực phẩm,3,hũ,0,,150000,KCT,2\n\
         KG201,8930100000019,Sai số kiểm tra,{PRODUCER},Thực phẩm,,hũ,0,,150000,8,0\n\
         KG202,,Không có nhà sản xuất,Ai đó,Thực phẩm,,hũ,0,,150000,8,0\n\
         KG203,{FISH_SAUCE},Mã vạch trùng,{PRODUCER},Thực phẩm,,hũ,0,,150000,8,0\n\
         KG204,,Giá âm,{PRODUCER},Thực phẩm,,hũ,0,,-5,8,0\n\
         KG200,,Mật ong lần hai,{PRODUCER},Thực phẩm,3,hũ,0,,150000,KCT,2\n"
    );
    let noop = &mut |_, _| {};
    let bad_line = |line, reason| RowError { line, reason };
    // Rows bad on their own, and rows the store refuses, are all named at once.
    let error = refused(store.import_products(&csv, ImportMode::Commit, shop_time(), "Hùng", noop));
    assert_eq!(
        error,
        InventoryError::BadRows(vec![
            bad_line(3, InventoryError::BadBarcode("8930100000019".into())),
            bad_line(4, InventoryError::NoSuchProducer("Ai đó".into())),
            bad_line(5, InventoryError::BarcodeTaken(FISH_SAUCE.into())),
            bad_line(6, InventoryError::PriceNotPositive),
            bad_line(
                7,
                InventoryError::DuplicateInFile {
                    key: "KG200".into(),
                    first_row: 2,
                },
            ),
        ])
    );
    let preview = store.import_products(&csv, ImportMode::Preview, shop_time(), "Hùng", noop);
    assert!(
        matches!(preview, Err(StoreError::Inventory(InventoryError::BadRows(rows))) if rows.len() == 5)
    );
    assert_eq!(store.product_count().unwrap(), count);
}

#[test]
fn preview_tells_and_commit_does() {
    let (_dir, mut store) = demo_store();
    let exported = products_csv(&store.export_products(shop_time()).unwrap());
    let edited = exported.replace(",165000,8,", ",170000,8,")
        + &format!("KG300,,Khô cá lóc,{PRODUCER},Thực phẩm,,gói,0,,90000,8,0\n");
    let noop = &mut |_, _| {};
    let later = shop_time() + Duration::hours(1);
    let preview = store
        .import_products(&edited, ImportMode::Preview, later, "Hùng", noop)
        .unwrap();
    assert_eq!(preview.created, vec!["KG300".to_string()]);
    assert_eq!(preview.changed, vec!["KG001".to_string()]);
    assert_eq!(preview.unchanged, 41);
    assert_eq!(
        product(&store, FISH_SAUCE).price,
        Money(165_000),
        "a preview keeps nothing"
    );
    assert_eq!(store.product_count().unwrap(), 42);

    let mut seen = 0;
    let done = store
        .import_products(
            &edited,
            ImportMode::Commit,
            later,
            "Hùng",
            &mut |done, _| seen = done,
        )
        .unwrap();
    assert_eq!(done, preview);
    assert_eq!(seen, 43);
    assert_eq!(store.product_count().unwrap(), 43);
    let fish = store
        .product_by_barcode(FISH_SAUCE, later)
        .unwrap()
        .unwrap();
    assert_eq!(fish.price, Money(170_000));
    assert_eq!(
        product(&store, FISH_SAUCE).price,
        Money(165_000),
        "before the import"
    );
}

#[test]
fn export_then_import_is_lossless() {
    let (_dir, mut store) = demo_store();
    // A product off the counter travels too, and stays off.
    let retired = product(&store, "8930100000025");
    store.set_product_active(retired.id, false, "Hùng").unwrap();
    let products = products_csv(&store.export_products(shop_time()).unwrap());
    let producers = producers_csv(
        &store
            .producer_drafts()
            .unwrap()
            .into_iter()
            .map(|(_, draft)| draft)
            .collect::<Vec<_>>(),
    );
    assert!(products.starts_with('\u{feff}'), "Excel needs the BOM");
    let noop = &mut |_, _| {};
    let again = store
        .import_products(&products, ImportMode::Commit, shop_time(), "Hùng", noop)
        .unwrap();
    assert_eq!(
        (again.created.len(), again.changed.len(), again.unchanged),
        (0, 0, 42)
    );

    let fresh_dir = tempfile::tempdir().unwrap();
    let mut fresh = Store::open_in(fresh_dir.path()).unwrap();
    let made = fresh
        .import_producers(&producers, ImportMode::Commit, shop_time(), "Hùng")
        .unwrap();
    assert_eq!(made.created.len(), store.producer_drafts().unwrap().len());
    fresh
        .import_products(&products, ImportMode::Commit, shop_time(), "Hùng", noop)
        .unwrap();
    assert_eq!(
        products_csv(&fresh.export_products(shop_time()).unwrap()),
        products
    );
    let rows = fresh.product_rows(shop_time()).unwrap();
    assert_eq!(rows.len(), 42);
    let inactive: Vec<_> = rows
        .iter()
        .filter(|row| !row.active)
        .map(|row| row.sku())
        .collect();
    assert_eq!(inactive, [retired.sku.as_str()]);
    let producers_again: Vec<ProducerDraft> = fresh
        .producer_drafts()
        .unwrap()
        .into_iter()
        .map(|(_, draft)| draft)
        .collect();
    assert_eq!(producers_csv(&producers_again), producers);
}

#[test]
fn the_command_line_exports_checks_and_imports_files() {
    use ocop_pos::cli::{
        Catalogue, ManagerChange, PinSource, export_catalogue, import_catalogue, preview_catalogue,
    };
    use ocop_pos::config::Config;
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(Some(dir.path().join("data")), true);
    // The demo store, as the window makes it in a new folder.
    drop(config.open_store().unwrap());
    let import = |file: &std::path::Path| {
        let text = std::fs::read_to_string(file).unwrap();
        let mut change = ManagerChange::begin(&config, &mut PinSource::lines("1234\n")).unwrap();
        import_catalogue(&mut change, Catalogue::Products, &text)
    };
    let file = dir.path().join("san-pham.csv");
    let told = export_catalogue(&config, Catalogue::Products, &file).unwrap();
    assert!(told.contains("42"), "{told}");
    let exported = std::fs::read_to_string(&file).unwrap();
    let raised = exported.replace(",165000,8,", ",170000,8,");
    std::fs::write(
        &file,
        format!("{raised}KG300,,Khô cá,Ai đó,Thực phẩm,,gói,0,,0,8,0\n"),
    )
    .unwrap();
    let refusal = import(&file).unwrap_err();
    assert!(
        refusal.contains("Dòng 44") && refusal.contains("Line 44"),
        "{refusal}"
    );

    std::fs::write(&file, &raised).unwrap();
    let preview = preview_catalogue(&config, Catalogue::Products, &file).unwrap();
    assert!(
        preview.ends_with("~ KG001 price: 165.000 ₫ → 170.000 ₫"),
        "{preview}"
    );
    let store = config.open_store().unwrap();
    assert_eq!(
        store.export_products(Utc::now()).unwrap()[0].price,
        Money(165_000),
        "a dry run keeps nothing"
    );
    drop(store);
    import(&file).unwrap();
    let store = config.open_store().unwrap();
    assert_eq!(
        store.export_products(Utc::now()).unwrap()[0].price,
        Money(170_000)
    );
    drop(store);

    // A large dry run sums up instead of printing a line per row.
    let header = exported.lines().next().unwrap();
    let rows: String = (0..120)
        .map(|n| format!("KH{n:04},,Khô cá {n},{PRODUCER},Thực phẩm,,gói,0,,90000,8,0,1\n"))
        .collect();
    std::fs::write(&file, format!("{header}\n{rows}")).unwrap();
    let preview = preview_catalogue(&config, Catalogue::Products, &file).unwrap();
    assert_eq!(preview.lines().count(), 2 + 50 + 1, "{preview}");
    assert!(preview.ends_with("… (+70)"), "{preview}");
}

#[test]
fn a_product_in_a_gift_pack_is_not_deleted_from_under_it() {
    use ocop_pos::core::giftpack::PackPricing;
    use ocop_pos::i18n::{Lang, Notice};
    let (_dir, mut store) = demo_store();
    let ribbon = store
        .create_product(draft("KG103", &[]), shop_time(), "Hùng")
        .unwrap();
    let items = [
        ("KG001".to_string(), Decimal::ONE),
        ("KG103".to_string(), Decimal::ONE),
    ];
    let pack = store
        .create_gift_pack(
            "GP010",
            "Hộp quà nước mắm",
            PackPricing::Fixed(Money(250_000)),
            &items,
            shop_time(),
        )
        .unwrap();
    // Off sale, the template still holds the product.
    store.set_gift_pack_active("GP010", false).unwrap();
    let refusal = store.delete_product(ribbon, "Hùng").unwrap_err();
    for lang in [Lang::Vi, Lang::En] {
        let told = Notice::from_store_error(&refusal).text(lang);
        assert!(told.contains("“Hộp quà nước mắm”"), "{told}");
    }
    assert_eq!(
        refused(Err::<(), _>(refusal)),
        InventoryError::InGiftPack("Hộp quà nước mắm".into())
    );
    assert!(store.product_by_id(ribbon, shop_time()).unwrap().is_some());

    store
        .update_gift_pack(
            &pack.sku,
            &pack.name,
            PackPricing::Fixed(Money(200_000)),
            &items[..1],
            shop_time(),
        )
        .unwrap();
    store.delete_product(ribbon, "Hùng").unwrap();
    assert!(store.product_by_id(ribbon, shop_time()).unwrap().is_none());
}

#[test]
fn a_lot_sold_through_first_expiry_first_drops_off_the_expiry_list() {
    let (_dir, mut store) = demo_store();
    let fish = product(&store, FISH_SAUCE);
    let producer = store.producer_drafts().unwrap()[0].0;
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let lot = |name: &str, quantity: i64, days: i64| ReceiptLine {
        product_id: fish.id,
        quantity: Decimal::from(quantity),
        unit_cost: Money(120_000),
        lot: name.into(),
        expires_on: Some(today + Duration::days(days)),
    };
    store
        .receive_stock(
            producer,
            &[lot("SOON", 12, 20), lot("LATER", 10, 300)],
            "PN-7",
            shop_time(),
            "Hùng",
        )
        .unwrap();
    let expiring = |store: &Store| {
        store
            .near_expiry_lots(today, 30)
            .unwrap()
            .into_iter()
            .map(|lot| (lot.lot, lot.left))
            .collect::<Vec<_>>()
    };
    // Opening stock plus both lots: all of the early lot may still be there.
    assert_eq!(expiring(&store), [("SOON".to_string(), Decimal::from(12))]);
    // 15 left: the later lot's 10 and 5 of the early one.
    store
        .post_stock_count(&[(fish.id, Decimal::from(15))], shop_time(), "Hùng")
        .unwrap();
    assert_eq!(expiring(&store), [("SOON".to_string(), Decimal::from(5))]);
    // 8 left: all from the later lot; nothing expiring is on the shelf.
    store
        .post_stock_count(&[(fish.id, Decimal::from(8))], shop_time(), "Hùng")
        .unwrap();
    assert!(expiring(&store).is_empty());
}

#[test]
fn a_price_sheet_without_the_active_column_leaves_retired_products_retired() {
    let (_dir, mut store) = demo_store();
    let retired = product(&store, "8930100000025");
    store.set_product_active(retired.id, false, "Hùng").unwrap();
    let mut sheet = store.export_products(shop_time()).unwrap();
    sheet.retain(|draft| draft.sku == retired.sku);
    sheet[0].price = Money(155_000);
    // A hand-made sheet: the export's columns but the last (`active`).
    let full = products_csv(&sheet);
    let without_active: String = full
        .lines()
        .map(|line| line.rsplit_once(',').unwrap().0.to_string() + "\n")
        .collect();
    assert!(!without_active.contains("active"));
    let outcome = store
        .import_products(
            &without_active,
            ImportMode::Commit,
            shop_time(),
            "Hùng",
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(outcome.changed, std::slice::from_ref(&retired.sku));
    let row = store
        .product_rows(shop_time())
        .unwrap()
        .into_iter()
        .find(|row| row.sku() == retired.sku)
        .unwrap();
    assert!(!row.active, "still off the counter");
    assert_eq!(row.price, Some(Money(155_000)));
}
