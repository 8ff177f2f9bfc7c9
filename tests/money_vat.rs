//! Money and VAT invariants over random carts, in memory and through a real SQLite file.

mod common;

use common::{demo_store, shop_time};
use ocop_pos::core::cart::{Cart, Discount, allocate};
use ocop_pos::core::catalog::Product;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::core::vat::VatRate;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn product(id: i64, price: i64, rate: VatRate, sold_by_weight: bool) -> Product {
    Product {
        id,
        sku: format!("P{id}"),
        barcode: None,
        plu: None,
        name: format!("Sản phẩm {id}"),
        producer: "HTX".into(),
        ocop_group: "Thực phẩm".into(),
        stars: Some(4),
        unit: if sold_by_weight { "kg" } else { "cái" }.into(),
        sold_by_weight,
        price: Money(price),
        vat: rate,
        stock: Decimal::from(100),
    }
}

fn discount() -> impl Strategy<Value = Discount> {
    prop_oneof![
        Just(Discount::None),
        (0i64..200_000).prop_map(|a| Discount::Amount(Money(a))),
        (0u32..=100).prop_map(|p| Discount::Percent(Decimal::from(p))),
        (0u32..10_000).prop_map(|p| Discount::Percent(Decimal::new(i64::from(p), 2))),
    ]
}

/// (price, rate index, weighed, quantity in units or grams, line discount)
fn line() -> impl Strategy<Value = (i64, usize, bool, i64, Discount)> {
    (
        1i64..5_000_000,
        0usize..5,
        any::<bool>(),
        1i64..20_000,
        discount(),
    )
}

fn build_cart(lines: &[(i64, usize, bool, i64, Discount)], order: Discount) -> Cart {
    let mut cart = Cart::default();
    for (i, &(price, rate, weighed, amount, discount)) in lines.iter().enumerate() {
        let quantity = if weighed {
            Decimal::new(amount, 3)
        } else {
            Decimal::from(amount % 20 + 1)
        };
        let p = product(i as i64, price, VatRate::allowed()[rate], weighed);
        if let Ok(index) = cart.add_product(&p, quantity) {
            // A discount above the line is refused and leaves the line as it was.
            let _ = cart.set_line_discount(index, discount);
        }
    }
    let _ = cart.set_order_discount(order);
    cart
}

proptest! {
    #[test]
    fn totals_always_add_up(lines in prop::collection::vec(line(), 1..12), order in discount()) {
        let cart = build_cart(&lines, order);
        let totals = cart.totals();
        let line_sum: Money = totals.lines.iter().map(|l| l.total).sum();
        prop_assert_eq!(line_sum, totals.total);
        let rate_sum: Money = totals.vat.iter().map(|b| b.gross).sum();
        prop_assert_eq!(rate_sum, totals.total);
        for bucket in &totals.vat {
            prop_assert_eq!(bucket.pre_vat + bucket.vat, bucket.gross);
            prop_assert!(bucket.vat >= Money::ZERO);
        }
        prop_assert_eq!(totals.gross - totals.line_discounts - totals.order_discount, totals.total);
        for priced in &totals.lines {
            prop_assert!(priced.total >= Money::ZERO);
            prop_assert!(priced.line_discount <= priced.gross);
        }
        prop_assert!(totals.total >= Money::ZERO);
    }

    #[test]
    fn allocation_is_exact_and_bounded(amount in 0i64..10_000_000, weights in prop::collection::vec(0i64..5_000_000, 1..20)) {
        let weights: Vec<Money> = weights.into_iter().map(Money).collect();
        let total: Money = weights.iter().copied().sum();
        let amount = Money(amount).min(total);
        let shares = allocate(amount, &weights);
        prop_assert_eq!(shares.iter().copied().sum::<Money>(), amount);
        for (share, weight) in shares.iter().zip(&weights) {
            prop_assert!(share <= weight);
            prop_assert!(*share >= Money::ZERO);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// What is committed to SQLite and read back keeps every per-rate figure equal to the total.
    #[test]
    fn committed_sales_keep_vat_per_rate_equal_to_totals(
        picks in prop::collection::vec((0usize..42, 1i64..4, discount()), 1..8),
        order in discount(),
    ) {
        let (_dir, mut store) = demo_store();
        let catalogue = store.catalogue(shop_time()).unwrap();
        let mut cart = Cart::default();
        for (pick, quantity, discount) in picks {
            let product = &catalogue[pick];
            let quantity = if product.sold_by_weight { Decimal::new(quantity * 250, 3) } else { Decimal::from(quantity) };
            let index = cart.add_product(product, quantity).unwrap();
            let _ = cart.set_line_discount(index, discount);
        }
        let _ = cart.set_order_discount(order);
        let total = cart.totals().total;
        prop_assume!(total > Money::ZERO);
        let tender = Tender { method: PaymentMethod::Card, amount: total, reference: None };
        let draft = SaleDraft::new(&cart, vec![tender], "Lan").unwrap();
        let record = store.commit_sale(&draft, shop_time()).unwrap();
        let read = store.sale_by_receipt_no(&record.receipt_no).unwrap().unwrap();
        prop_assert_eq!(&read, &record);
        prop_assert_eq!(read.draft.vat.iter().map(|b| b.gross).sum::<Money>(), read.draft.total);
        prop_assert_eq!(read.draft.lines.iter().map(|l| l.total).sum::<Money>(), read.draft.total);
        for bucket in &read.draft.vat {
            prop_assert_eq!(bucket.pre_vat + bucket.vat, bucket.gross);
        }
        prop_assert!(store.stock_mismatches().unwrap().is_empty());
    }
}
