//! The back office's records without traps, on a real SQLite file: the day's CSV reconciles to
//! the net, weights and units are counted apart, margins are sales less moving-average cost.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{demo_store, shop_time};
use ocop_pos::core::audit::AuditAct;
use ocop_pos::core::cart::Cart;
use ocop_pos::core::catalog::Product;
use ocop_pos::core::clock::local_date;
use ocop_pos::core::inventory::ReceiptLine;
use ocop_pos::core::inventory::StockMovementKind;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::refund::{RefundItem, RefundRequest};
use ocop_pos::core::report::Period;
use ocop_pos::core::sale::{SaleDraft, SaleRecord};
use ocop_pos::documents::sales_csv;
use ocop_pos::store::{AuditFilter, ImportMode, Store};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn by_sku(store: &Store, sku: &str) -> Product {
    store
        .catalogue(shop_time())
        .unwrap()
        .into_iter()
        .find(|product| product.sku == sku)
        .unwrap_or_else(|| panic!("demo product {sku}"))
}

/// Sells `lines` (SKU, quantity) paid by transfer at `at`.
fn sell(store: &mut Store, lines: &[(&str, Decimal)], at: DateTime<Utc>) -> SaleRecord {
    let mut cart = Cart::default();
    for (sku, quantity) in lines {
        cart.add_product(&by_sku(store, sku), *quantity).unwrap();
    }
    let tender = Tender {
        method: PaymentMethod::Transfer,
        amount: cart.totals().total,
        reference: None,
    };
    let draft = SaleDraft::new(&cart, vec![tender], "Lan").unwrap();
    store.commit_sale(&draft, at).unwrap()
}

fn refund_line(store: &mut Store, sale: &SaleRecord, line_no: usize, at: DateTime<Utc>) {
    let request = RefundRequest {
        receipt_no: sale.receipt_no.clone(),
        items: vec![RefundItem {
            line_no,
            quantity: sale.draft.lines[line_no].quantity,
        }],
        method: PaymentMethod::Cash,
        restock: true,
        reason: "khách đổi ý".into(),
        cashier: "Lan".into(),
        approver: None,
    };
    store.commit_refund(&request, at).unwrap();
}

fn receive(store: &mut Store, sku: &str, quantity: Decimal, unit_cost: i64, at: DateTime<Utc>) {
    let product = by_sku(store, sku);
    let producer = store
        .producers()
        .unwrap()
        .into_iter()
        .find(|producer| producer.name == product.producer)
        .unwrap()
        .id;
    let line = ReceiptLine {
        product_id: product.id,
        quantity,
        unit_cost: Money(unit_cost),
        lot: String::new(),
        expires_on: None,
    };
    store
        .receive_stock(producer, &[line], "", at, "Hùng")
        .unwrap();
}

/// A CSV's column summed as đồng.
fn column_sum(csv: &str, column: &str) -> i64 {
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let at = reader
        .headers()
        .unwrap()
        .iter()
        .position(|name| name == column)
        .unwrap_or_else(|| panic!("column {column}"));
    reader
        .records()
        .map(|record| record.unwrap()[at].parse::<i64>().unwrap())
        .sum()
}

#[test]
fn the_days_csv_sums_to_the_net_with_refund_rows_negative() {
    let (_dir, mut store) = demo_store();
    let at = shop_time();
    let first = sell(
        &mut store,
        &[("KG001", Decimal::from(2)), ("KG011", Decimal::ONE)],
        at,
    );
    sell(
        &mut store,
        &[("KG002", Decimal::from(3))],
        at + Duration::minutes(5),
    );
    refund_line(&mut store, &first, 0, at + Duration::minutes(30));
    let day = Period::day(local_date(at));
    let summary = store.day_summary(day).unwrap();
    assert!(summary.refunds > Money::ZERO);

    let lines = store.sale_lines_in_period(day).unwrap();
    let csv = sales_csv(&lines);
    assert_eq!(Money(column_sum(&csv, "total")), summary.net);
    let refund = lines
        .iter()
        .find(|line| line.refund_of.as_deref() == Some(first.receipt_no.as_str()))
        .expect("the refund has its row");
    assert!(refund.receipt_no.starts_with("TH"));
    assert_eq!(refund.total, -summary.refunds);
    assert!(refund.quantity < Decimal::ZERO);

    // The period's list shows the refund beside the sales, its total negative.
    let listed = store.sales_in_period(day).unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(
        listed.iter().map(|sale| sale.total).sum::<Money>(),
        summary.net
    );
    assert!(listed.iter().any(
        |sale| sale.refund_of.as_deref() == Some(first.receipt_no.as_str())
            && sale.total == -summary.refunds
    ));
}

#[test]
fn kilograms_and_units_are_counted_apart_in_star_and_group_tallies() {
    let (_dir, mut store) = demo_store();
    // Two bottles of fish sauce and 1.5 kg of mangoes: both "Thực phẩm".
    sell(
        &mut store,
        &[("KG001", Decimal::from(2)), ("KG026", Decimal::new(15, 1))],
        shop_time(),
    );
    let summary = store
        .day_summary(Period::day(local_date(shop_time())))
        .unwrap();
    let food = summary
        .by_group
        .iter()
        .find(|tally| tally.label == "Thực phẩm")
        .unwrap();
    assert_eq!(food.quantity, Decimal::from(2));
    assert_eq!(food.weight, Decimal::new(15, 1));
    assert_eq!(food.quantity_text(), "2 + 1,5 kg");
    let stars: Decimal = summary.by_stars.iter().map(|tally| tally.quantity).sum();
    assert_eq!(stars, Decimal::from(2));
}

/// The shop's books for one product, kept the way the test reads moving-average cost: a
/// delivery onto stock averages, onto an empty shelf (or before any cost) sets the cost.
#[derive(Default)]
struct Books {
    stock: Decimal,
    unit_cost: Option<Decimal>,
    sales: i64,
    cost: i64,
    /// Sales made before any delivery with a cost.
    uncosted: i64,
}

fn round_dong(amount: Decimal) -> i64 {
    amount
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .try_into()
        .unwrap()
}

const SKUS: [&str; 3] = ["KG001", "KG011", "KG026"];

#[derive(Debug, Clone)]
enum Event {
    Receive {
        product: usize,
        quantity: i64,
        unit_cost: i64,
    },
    Sell {
        product: usize,
        quantity: i64,
    },
    /// The whole of an earlier sale given back (the `n`th sale made, if there is one).
    Refund {
        sale: usize,
    },
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        (0usize..3, 1i64..30, 1_000i64..200_000).prop_map(|(product, quantity, unit_cost)| {
            Event::Receive {
                product,
                quantity,
                unit_cost,
            }
        }),
        (0usize..3, 1i64..80).prop_map(|(product, quantity)| Event::Sell { product, quantity }),
        (0usize..20).prop_map(|sale| Event::Refund { sale }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Each product's margin is its sales less the moving-average cost of what it sold, over
    /// random deliveries, sales (more than the shelf holds, too) and refunds; the breakdowns and
    /// the day's CSV add up to the same total, and the CSV's totals to the day's net.
    #[test]
    fn margins_are_sales_less_moving_average_cost(events in prop::collection::vec(event(), 1..25)) {
        let (_dir, mut store) = demo_store();
        // The demo's opening stock has no cost: the first delivery with a cost sets it.
        let mut books: BTreeMap<&str, Books> = SKUS
            .iter()
            .map(|sku| (*sku, Books { stock: by_sku(&store, sku).stock, ..Books::default() }))
            .collect();
        // Each sale made: the record, its product, its total, what its line cost (None: no
        // cost known then), and whether it was refunded.
        let mut sold: Vec<(SaleRecord, &str, i64, Option<i64>, bool)> = Vec::new();
        for (minute, event) in events.iter().enumerate() {
            let at = shop_time() + Duration::minutes(minute as i64);
            match *event {
                Event::Receive { product, quantity, unit_cost } => {
                    let sku = SKUS[product];
                    // Mangoes come by the gram.
                    let quantity = if sku == "KG026" { Decimal::new(quantity * 250, 3) } else { Decimal::from(quantity) };
                    receive(&mut store, sku, quantity, unit_cost, at);
                    let book = books.get_mut(sku).unwrap();
                    let cost = Decimal::from(unit_cost);
                    book.unit_cost = Some(match book.unit_cost {
                        Some(average) if book.stock > Decimal::ZERO => {
                            (book.stock * average + quantity * cost) / (book.stock + quantity)
                        }
                        _ => cost,
                    });
                    book.stock += quantity;
                }
                Event::Sell { product, quantity } => {
                    let sku = SKUS[product];
                    let quantity = if sku == "KG026" { Decimal::new(quantity * 100, 3) } else { Decimal::from(quantity) };
                    let sale = sell(&mut store, &[(sku, quantity)], at);
                    let book = books.get_mut(sku).unwrap();
                    let total = sale.draft.total.dong();
                    book.sales += total;
                    let cost = book.unit_cost.map(|cost| round_dong(cost * quantity));
                    match cost {
                        Some(cost) => book.cost += cost,
                        None => book.uncosted += total,
                    }
                    book.stock -= quantity;
                    sold.push((sale, sku, total, cost, false));
                }
                Event::Refund { sale } => {
                    let Some((record, sku, total, cost, refunded)) = sold.get_mut(sale) else {
                        continue;
                    };
                    if *refunded {
                        continue;
                    }
                    *refunded = true;
                    refund_line(&mut store, record, 0, at);
                    // The whole line comes back, at the cost it went out at.
                    let book = books.get_mut(*sku).unwrap();
                    book.sales -= *total;
                    match cost {
                        Some(cost) => book.cost -= *cost,
                        None => book.uncosted -= *total,
                    }
                    book.stock += record.draft.lines[0].quantity;
                }
            }
        }
        let day = Period::day(local_date(shop_time()));
        let summary = store.day_summary(day).unwrap();
        let margins = summary.margins.clone();
        for sku in SKUS {
            let book = &books[sku];
            let label = format!("{sku} · {}", by_sku(&store, sku).name);
            match margins.by_product.iter().find(|margin| margin.label == label) {
                Some(margin) => {
                    prop_assert_eq!(margin.sales, Money(book.sales));
                    prop_assert_eq!(margin.cost, Money(book.cost));
                    prop_assert_eq!(margin.margin(), Money(book.sales - book.cost));
                    prop_assert_eq!(margin.uncosted, Money(book.uncosted));
                }
                None => prop_assert_eq!(book.sales, 0),
            }
        }
        let sales: i64 = books.values().map(|book| book.sales).sum();
        let cost: i64 = books.values().map(|book| book.cost).sum();
        prop_assert_eq!(margins.total.margin(), Money(sales - cost));
        for breakdown in [&margins.by_producer, &margins.by_group, &margins.by_day, &margins.by_product] {
            prop_assert_eq!(breakdown.iter().map(|m| m.margin()).sum::<Money>(), margins.total.margin());
        }
        let csv = sales_csv(&store.sale_lines_in_period(day).unwrap());
        prop_assert_eq!(Money(column_sum(&csv, "total")), summary.net);
        prop_assert_eq!(column_sum(&csv, "cost"), cost);
        prop_assert_eq!(column_sum(&csv, "margin"), sales - cost);
    }
}

#[test]
fn a_refund_gives_back_the_cost_of_the_sale_it_undoes() {
    let (_dir, mut store) = demo_store();
    let at = shop_time();
    receive(&mut store, "KG001", Decimal::from(10), 100_000, at);
    let sale = sell(
        &mut store,
        &[("KG001", Decimal::from(2))],
        at + Duration::minutes(1),
    );
    // A dearer delivery later does not change what the sold bottles cost.
    receive(
        &mut store,
        "KG001",
        Decimal::from(10),
        140_000,
        at + Duration::minutes(2),
    );
    refund_line(&mut store, &sale, 0, at + Duration::minutes(3));
    let margins = store
        .day_summary(Period::day(local_date(at)))
        .unwrap()
        .margins;
    assert_eq!(margins.total.sales, Money::ZERO);
    assert_eq!(margins.total.cost, Money::ZERO);
    assert_eq!(margins.total.uncosted, Money::ZERO);
}

#[test]
fn an_outright_producer_is_owed_its_deliveries_at_cost_not_the_retail_sales() {
    let (_dir, mut store) = demo_store();
    let at = shop_time();
    let fish = by_sku(&store, "KG001");
    let producer = store
        .producers()
        .unwrap()
        .into_iter()
        .find(|producer| producer.name == fish.producer)
        .unwrap();
    assert!(!producer.consignment, "the demo buys fish sauce outright");
    receive(&mut store, "KG001", Decimal::from(12), 120_000, at);
    receive(&mut store, "KG002", Decimal::from(2), 105_500, at);
    sell(
        &mut store,
        &[("KG001", Decimal::from(2))],
        at + Duration::minutes(1),
    );
    let period = Period::day(local_date(at));
    let statement = store.producer_statement(producer.id, period).unwrap();
    assert_eq!(statement.net(), Money(330_000));
    assert_eq!(statement.received_cost(), Money(1_440_000 + 211_000));
    assert_eq!(statement.payable(), statement.received_cost());
    let text = common::flowing(&common::text_of(&ocop_pos::print::producer_statement_pdf(
        &store.shop_settings().unwrap(),
        &statement,
        at,
    )));
    common::assert_contains(&text, "Số tiền phải trả 1.651.000 ₫");
    common::assert_contains(&text, "Hàng nhập trong kỳ (theo giá vốn)");
    let csv = ocop_pos::documents::statement_csv(&statement);
    assert!(csv.contains("\n,payable,,,,,,1651000\n"), "{csv}");
}

const PRODUCT_HEADER: &str = "sku,barcodes,name,producer,ocop_group,ocop_stars,unit,sold_by_weight,plu,price_vnd,vat_rate,low_stock,stock";

fn counts_of(store: &Store, sku: &str) -> usize {
    store
        .stock_history(by_sku(store, sku).id)
        .unwrap()
        .iter()
        .filter(|movement| movement.kind == StockMovementKind::Count)
        .count()
}

#[test]
fn an_import_with_opening_stock_posts_one_count_per_product_and_previews_each_change() {
    let (_dir, mut store) = demo_store();
    let producer = by_sku(&store, "KG001").producer;
    let csv = format!(
        "{PRODUCT_HEADER}\n\
         KG001,8930100000018,Nước mắm Phú Quốc Khải Hoàn 38 độ đạm,{producer},Thực phẩm,5,chai 500ml,0,,170000,8,10,50\n\
         KG900,,Khô cá lóc,{producer},Thực phẩm,,gói,0,,90000,8,0,12\n\
         KG901,,Mắm cá linh,{producer},Thực phẩm,,hũ,0,,60000,8,0,2.5\n"
    );
    let noop = &mut |_, _| {};
    let at = shop_time();
    let preview = store
        .import_products(&csv, ImportMode::Preview, at, "Hùng", noop)
        .unwrap();
    let lines: Vec<String> = preview.preview_lines().collect();
    assert_eq!(
        lines,
        [
            "+ KG900",
            "+ KG901",
            "~ KG001 price: 165.000 ₫ → 170.000 ₫",
            "= KG001 stock: 48 → 50",
            "= KG900 stock: 0 → 12",
            "= KG901 stock: 0 → 2.5",
        ]
    );
    assert_eq!(counts_of(&store, "KG001"), 0, "a preview posts nothing");
    let audited_before = store.audit_entries(&AuditFilter::default()).unwrap().len();
    store
        .import_products(&csv, ImportMode::Commit, at, "Hùng", noop)
        .unwrap();
    for (sku, stock) in [("KG001", 50), ("KG900", 12)] {
        assert_eq!(counts_of(&store, sku), 1, "{sku}");
        assert_eq!(by_sku(&store, sku).stock, Decimal::from(stock));
        assert_eq!(store.audit_count(AuditAct::PostStockCount, sku).unwrap(), 1);
    }
    assert_eq!(by_sku(&store, "KG901").stock, Decimal::new(25, 1));
    // Every change has its row: two products created, a price, three counts, the file.
    let audited = store.audit_entries(&AuditFilter::default()).unwrap().len();
    assert_eq!(audited - audited_before, 2 + 1 + 3 + 1);
    assert_eq!(
        store.audit_count(AuditAct::CreateProduct, "KG900").unwrap(),
        1
    );
    // The same file again finds the stock where it put it: no second count.
    let again = store
        .import_products(&csv, ImportMode::Commit, at, "Hùng", noop)
        .unwrap();
    assert!(again.stock_counts.is_empty());
    assert_eq!(counts_of(&store, "KG900"), 1);
}

#[test]
fn a_producer_import_is_audited_field_by_field() {
    let (_dir, mut store) = demo_store();
    let producers = store.producer_drafts().unwrap();
    let (_, mut first) = producers[0].clone();
    first.contact = "0901 234 567".into();
    let csv = ocop_pos::documents::producers_csv(&[first.clone()]);
    let outcome = store
        .import_producers(&csv, ImportMode::Commit, shop_time(), "Hùng")
        .unwrap();
    assert_eq!(
        outcome.preview_lines().collect::<Vec<_>>(),
        [format!("~ {} contact:  → 0901 234 567", first.name)]
    );
    assert_eq!(
        store
            .audit_count(AuditAct::CatalogueImported, &first.name)
            .unwrap(),
        1
    );
}

#[test]
fn sales_of_the_last_30_days_are_counted_per_product_and_pack() {
    let (_dir, mut store) = demo_store();
    let at = shop_time();
    sell(
        &mut store,
        &[("KG011", Decimal::ONE)],
        at - Duration::days(40),
    );
    sell(
        &mut store,
        &[("KG011", Decimal::ONE)],
        at - Duration::days(2),
    );
    sell(
        &mut store,
        &[("KG011", Decimal::from(3)), ("KG001", Decimal::ONE)],
        at,
    );
    let sold = store.sold_lately(at).unwrap();
    assert_eq!(sold.product(by_sku(&store, "KG011").id), 2);
    assert_eq!(sold.product(by_sku(&store, "KG001").id), 1);
    assert_eq!(sold.product(by_sku(&store, "KG002").id), 0);
}

#[test]
fn an_import_called_off_keeps_nothing() {
    let (_dir, mut store) = demo_store();
    let producer = by_sku(&store, "KG001").producer;
    let rows: String = (0..50)
        .map(|n| format!("KH{n:03},,Khô cá {n},{producer},Thực phẩm,,gói,0,,90000,8,0,3\n"))
        .collect();
    let csv = format!("{PRODUCT_HEADER}\n{rows}");
    let count = store.product_count().unwrap();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    // Called off once ten rows are done, as the Stop button does from the window.
    let result = store.import_products_cancellable(
        &csv,
        ImportMode::Commit,
        shop_time(),
        "Hùng",
        &mut |done, _| {
            if done == 10 {
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        },
        &cancel,
    );
    assert!(matches!(
        result,
        Err(ocop_pos::store::StoreError::Inventory(
            ocop_pos::core::inventory::InventoryError::ImportCancelled
        ))
    ));
    assert_eq!(store.product_count().unwrap(), count);
}
