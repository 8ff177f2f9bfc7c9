//! Gift packs and their invoices, against a real SQLite file.

mod common;

use chrono::{Duration, Utc};
use common::{demo_store, shop_time};
use ocop_pos::core::cart::{Cart, CartLine, Component};
use ocop_pos::core::catalog::Product;
use ocop_pos::core::einvoice::{
    InvoiceBuyer, InvoiceBuyerError, InvoiceSettings, LineSource, invoice_lines,
};
use ocop_pos::core::invoice::Buyer;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::{SaleDraft, SaleRecord};
use ocop_pos::core::settings::TaxCodeError;
use ocop_pos::core::vat::VatRate;
use ocop_pos::store::{InvoiceError, Store, StoreError};
use proptest::prelude::*;
use rust_decimal::Decimal;

const GIFT_PACKS: &str = include_str!("../assets/demo_giftpacks.csv");

fn store_with_packs() -> (tempfile::TempDir, Store) {
    let (dir, mut store) = demo_store();
    store.seed_demo_gift_packs(GIFT_PACKS, shop_time()).unwrap();
    (dir, store)
}

fn pay(cart: &Cart) -> Vec<Tender> {
    vec![Tender {
        method: PaymentMethod::Transfer,
        amount: cart.totals().total,
        reference: None,
    }]
}

fn buyer(tax_code: &str) -> Buyer {
    Buyer {
        id: 0,
        name: "Công ty TNHH Du lịch Biển Xanh".into(),
        tax_code: tax_code.into(),
        address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
        email: "ketoan@bienxanh.vn".into(),
        contact: "Trần Thị Mai".into(),
    }
}

#[test]
fn the_demo_templates_price_and_scan() {
    let (_dir, store) = store_with_packs();
    let packs = store.gift_packs(shop_time()).unwrap();
    assert_eq!(packs.len(), 2);
    let tet = &packs[0];
    assert_eq!(tet.name, "Giỏ quà Tết OCOP 6 món");
    assert_eq!(tet.items.len(), 7);
    assert_eq!(tet.price(), Money(1_100_000));
    assert_eq!(tet.contents_value(), Money(1_150_000));
    let scanned = store
        .gift_pack_by_barcode(&tet.barcode, shop_time())
        .unwrap()
        .unwrap();
    assert_eq!(&scanned, tet);
    assert!(ocop_pos::core::barcode::is_valid_ean13(&tet.barcode));
    assert!(
        store
            .product_by_barcode(&tet.barcode, shop_time())
            .unwrap()
            .is_none()
    );
}

#[test]
fn fifty_baskets_take_fifty_of_each_component_from_stock() {
    let (_dir, mut store) = store_with_packs();
    let pack = store.gift_packs(shop_time()).unwrap().remove(1); // 3 items + a kraft box
    let before: Vec<Decimal> = pack.items.iter().map(|(p, _)| p.stock).collect();
    let mut cart = Cart::default();
    let index = cart.add_basket(pack.cart_line()).unwrap();
    cart.set_quantity(index, Decimal::from(50)).unwrap();
    assert_eq!(cart.totals().total, Money(50 * 260_000));
    // The demo holds exactly 50 of KG007 (candied pepper): 50 packs fit, 51 do not.
    assert!(pack.short_items(Decimal::from(50)).is_empty());
    let short: Vec<&str> = pack
        .short_items(Decimal::from(51))
        .iter()
        .map(|p| p.sku.as_str())
        .collect();
    assert_eq!(short, ["KG007"]);

    let draft = SaleDraft::new(&cart, pay(&cart), "Lan").unwrap();
    let sale = store.commit_sale(&draft, shop_time()).unwrap();
    for ((product, per_pack), before) in pack.items.iter().zip(before) {
        let after = store
            .product_by_id(product.id, shop_time())
            .unwrap()
            .unwrap()
            .stock;
        assert_eq!(
            before - after,
            per_pack * Decimal::from(50),
            "{}",
            product.sku
        );
    }
    assert!(store.stock_mismatches().unwrap().is_empty());
    let read = store.sale_by_receipt_no(&sale.receipt_no).unwrap().unwrap();
    assert_eq!(read, sale);
    assert_eq!(read.draft.baskets.len(), 1);
    assert_eq!(read.draft.baskets[0].count, Decimal::from(50));
    assert_eq!(read.draft.baskets[0].components_value, Money(280_000));
    let basket_lines: Money = read
        .draft
        .lines
        .iter()
        .filter(|l| l.basket == Some(0))
        .map(|l| l.total)
        .sum();
    assert_eq!(basket_lines, read.draft.total);
}

#[test]
fn a_basket_sale_is_invoiced_component_by_component_and_never_changed() {
    let (_dir, mut store) = store_with_packs();
    store
        .save_invoice_settings(&InvoiceSettings::demo())
        .unwrap();
    store
        .save_buyer(&buyer("1701234569-001"), shop_time())
        .unwrap();
    let pack = store.gift_packs(shop_time()).unwrap().remove(0);
    let mut cart = Cart::default();
    let index = cart.add_basket(pack.cart_line()).unwrap();
    cart.set_quantity(index, Decimal::from(3)).unwrap();
    let company = store.buyer("1701234569-001").unwrap().unwrap();
    let draft = SaleDraft::new(&cart, pay(&cart), "Lan")
        .unwrap()
        .with_buyer(Some(InvoiceBuyer::Company(company)));
    let sale = store.commit_sale(&draft, shop_time()).unwrap();
    let invoice = sale
        .invoice
        .issued()
        .expect("a registered shop's sale is an invoice");
    // Rows add up per rate to the sale's figures, and the rates to the total.
    for bucket in &invoice.vat {
        let rows: Money = invoice
            .lines
            .iter()
            .filter(|l| l.vat == bucket.rate)
            .map(|l| l.amount)
            .sum();
        assert_eq!(rows, bucket.pre_vat);
    }
    assert_eq!(invoice.total, Money(3_300_000));
    assert_eq!(
        invoice.total_before_vat() + invoice.total_vat(),
        invoice.total
    );
    assert_eq!(invoice.lines.len(), 7);
    assert_eq!(invoice.buyer.as_ref().unwrap().tax_code(), "1701234569-001");

    let raw = rusqlite::Connection::open(store.path()).unwrap();
    for tampering in [
        "UPDATE einvoices SET number = 99",
        "UPDATE einvoices SET xml = ''",
        "DELETE FROM einvoices",
    ] {
        assert!(
            raw.execute(tampering, []).is_err(),
            "{tampering} was allowed"
        );
    }
}

#[test]
fn bad_tax_codes_are_refused() {
    let (_dir, mut store) = store_with_packs();
    for bad in [
        "",
        "170123456",
        "17012345698",
        "1701234569-01",
        "1701234569-0011",
        "17012345x7",
        "1701234569 001",
    ] {
        let refused = store.save_buyer(&buyer(bad), shop_time());
        assert!(
            matches!(
                refused,
                Err(StoreError::Invoice(InvoiceError::Buyer(
                    InvoiceBuyerError::TaxCode(TaxCodeError::Length)
                )))
            ),
            "{bad:?} was accepted"
        );
    }
    // Ten digits, but one mistyped: the check digit catches it.
    for mistyped in [
        "1701234567",
        "1701234596",
        "1701234569".replace('7', "1").as_str(),
    ] {
        assert!(
            matches!(
                store.save_buyer(&buyer(mistyped), shop_time()),
                Err(StoreError::Invoice(InvoiceError::Buyer(
                    InvoiceBuyerError::TaxCode(TaxCodeError::CheckDigit)
                )))
            ),
            "{mistyped:?} was accepted"
        );
    }
    assert!(store.search_buyers("").unwrap().is_empty());
    store.save_buyer(&buyer("1701234569"), shop_time()).unwrap();
    assert_eq!(store.search_buyers("bien xanh").unwrap().len(), 1);
}

fn product(id: i64, price: i64, rate: usize) -> Product {
    Product {
        id,
        sku: format!("P{id}"),
        barcode: None,
        plu: None,
        name: format!("Món {id}"),
        producer: "HTX".into(),
        ocop_group: "Thực phẩm".into(),
        stars: Some(4),
        unit: "hộp".into(),
        sold_by_weight: false,
        price: Money(price),
        vat: VatRate::allowed()[rate],
        stock: Decimal::from(1000),
    }
}

proptest! {
    /// A basket's price spread over its components keeps every figure exact: the cart's VAT
    /// per rate, the sale lines of each basket, and the invoice rows per rate.
    #[test]
    fn spreading_a_basket_price_keeps_every_total_exact(
        baskets in prop::collection::vec((
            prop::collection::vec((1i64..2_000_000, 0usize..5, 1i64..4), 1..9),
            1i64..5_000_000,
            1i64..60,
        ), 1..4),
        loose in prop::option::of((1i64..500_000, 0usize..5)),
    ) {
        let mut cart = Cart::default();
        let mut next_id = 1;
        for (components, price, count) in &baskets {
            let components: Vec<Component> = components
                .iter()
                .map(|(p, r, q)| {
                    next_id += 1;
                    Component::from_product(&product(next_id, *p, *r), Decimal::from(*q))
                })
                .collect();
            let index = cart.add_basket(CartLine::basket("Giỏ quà", "", components, Money(*price))).unwrap();
            cart.set_quantity(index, Decimal::from(*count)).unwrap();
        }
        if let Some((price, rate)) = loose {
            cart.add_product(&product(999, price, rate), Decimal::ONE).unwrap();
        }
        let totals = cart.totals();
        prop_assert_eq!(totals.vat.iter().map(|b| b.gross).sum::<Money>(), totals.total);
        let draft = SaleDraft::new(&cart, pay(&cart), "Lan").unwrap();
        for (i, basket) in draft.baskets.iter().enumerate() {
            let lines = draft.lines.iter().filter(|l| l.basket == Some(i));
            prop_assert_eq!(lines.clone().map(|l| l.total).sum::<Money>(), basket.total);
            prop_assert_eq!(lines.map(|l| l.gross).sum::<Money>(), basket.gross);
        }
        prop_assert_eq!(draft.lines.iter().map(|l| l.total).sum::<Money>(), draft.total);
        let rows = invoice_lines(&LineSource::of_sale(&draft), &draft.vat, 1);
        for bucket in &draft.vat {
            let of_rate: Money = rows.iter().filter(|r| r.vat == bucket.rate).map(|r| r.amount).sum();
            prop_assert_eq!(of_rate, bucket.pre_vat);
            prop_assert_eq!(bucket.pre_vat + bucket.vat, bucket.gross);
        }
        prop_assert!(rows.iter().all(|r| r.amount >= Money::ZERO));
    }
}

#[test]
fn templates_are_created_checked_and_priced_from_their_contents() {
    use ocop_pos::core::giftpack::{GiftPackError, PackPricing};
    let (_dir, mut store) = store_with_packs();
    let items = vec![
        ("KG028".to_string(), Decimal::from(2)),
        ("KG041".to_string(), Decimal::ONE),
    ];
    let pack = store
        .create_gift_pack(
            "GP003",
            "Hộp quà rượu vang",
            PackPricing::LessThanContents(Money(20_000)),
            &items,
            shop_time(),
        )
        .unwrap();
    // Two bottles of guava wine (150.000 ₫) and a kraft box (25.000 ₫), less 20.000 ₫.
    assert_eq!(pack.contents_value(), Money(325_000));
    assert_eq!(pack.price(), Money(305_000));
    assert!(ocop_pos::core::barcode::is_valid_ean13(&pack.barcode));
    assert_eq!(
        store
            .gift_pack_by_barcode(&pack.barcode, shop_time())
            .unwrap(),
        Some(pack)
    );

    let refusal = |result: Result<_, StoreError>| match result {
        Err(StoreError::GiftPack(error)) => error,
        other => panic!("not refused: {other:?}"),
    };
    assert_eq!(
        refusal(store.create_gift_pack(
            "GP003",
            "Trùng",
            PackPricing::Fixed(Money(1)),
            &items,
            shop_time()
        )),
        GiftPackError::SkuTaken("GP003".into())
    );
    assert_eq!(
        refusal(store.create_gift_pack(
            "GP004",
            "Rỗng",
            PackPricing::Fixed(Money(1)),
            &[],
            shop_time()
        )),
        GiftPackError::NoItems
    );
    let unknown = vec![("KG999".to_string(), Decimal::ONE)];
    assert_eq!(
        refusal(store.create_gift_pack(
            "GP004",
            "Lạ",
            PackPricing::Fixed(Money(1)),
            &unknown,
            shop_time()
        )),
        GiftPackError::NoSuchProduct("KG999".into())
    );
    assert_eq!(
        refusal(store.create_gift_pack(
            "GP004",
            "Không giá",
            PackPricing::Fixed(Money(0)),
            &items,
            shop_time()
        )),
        GiftPackError::PriceNotPositive
    );
    assert_eq!(store.gift_packs(shop_time()).unwrap().len(), 3);
}

/// The second demo template (GP002, 260.000 ₫): three products and a kraft box.
fn pepper_box(store: &Store) -> ocop_pos::core::giftpack::GiftPack {
    store.gift_packs(shop_time()).unwrap().remove(1)
}

fn sell_one_pack(store: &mut Store, barcode: &str, at: chrono::DateTime<Utc>) -> SaleRecord {
    let pack = store.gift_pack_by_barcode(barcode, at).unwrap().unwrap();
    let mut cart = Cart::default();
    cart.add_basket(pack.cart_line()).unwrap();
    common::sell_for_exact_cash(store, &cart, at).unwrap()
}

fn skus_sold(sale: &SaleRecord) -> Vec<String> {
    sale.draft
        .lines
        .iter()
        .map(|line| line.sku.clone())
        .collect()
}

#[test]
fn an_edited_template_sells_its_new_contents_and_price_while_past_sales_keep_theirs() {
    use ocop_pos::core::giftpack::PackPricing;
    let (_dir, mut store) = store_with_packs();
    let before = pepper_box(&store);
    let sold_before = sell_one_pack(&mut store, &before.barcode, shop_time());
    assert_eq!(sold_before.draft.baskets[0].unit_price, Money(260_000));

    let later = shop_time() + Duration::hours(1);
    let new_items = vec![
        (before.items[0].0.sku.clone(), Decimal::from(2)),
        ("KG041".to_string(), Decimal::ONE),
    ];
    let edited = store
        .update_gift_pack(
            &before.sku,
            "  Hộp quà tiêu đôi  ",
            PackPricing::Fixed(Money(300_000)),
            &new_items,
            later,
        )
        .unwrap();
    assert_eq!(
        (edited.id, edited.sku.as_str(), edited.barcode.as_str()),
        (before.id, before.sku.as_str(), before.barcode.as_str())
    );
    assert_eq!(edited.name, "Hộp quà tiêu đôi");
    assert_eq!(edited.price(), Money(300_000));
    let contents: Vec<(String, Decimal)> = edited
        .items
        .iter()
        .map(|(product, quantity)| (product.sku.clone(), *quantity))
        .collect();
    assert_eq!(contents, new_items);
    assert_eq!(
        store.gift_pack_by_barcode(&before.barcode, later).unwrap(),
        Some(edited)
    );

    let sold_after = sell_one_pack(&mut store, &before.barcode, later);
    assert_eq!(sold_after.draft.baskets[0].name, "Hộp quà tiêu đôi");
    assert_eq!(sold_after.draft.total, Money(300_000));
    let new_skus: Vec<String> = new_items.iter().map(|(sku, _)| sku.clone()).collect();
    assert_eq!(skus_sold(&sold_after), new_skus);

    let reread = store
        .sale_by_receipt_no(&sold_before.receipt_no)
        .unwrap()
        .unwrap();
    assert_eq!(reread, sold_before);
    assert_eq!(reread.draft.baskets[0].name, before.name);
    assert_eq!(reread.draft.total, Money(260_000));
    let old_contents: Vec<String> = before.items.iter().map(|(p, _)| p.sku.clone()).collect();
    assert_eq!(skus_sold(&reread), old_contents);
}

#[test]
fn a_deactivated_template_stops_scanning_until_reactivated() {
    let (dir, mut store) = store_with_packs();
    let pack = pepper_box(&store);
    store.set_gift_pack_active(&pack.sku, false).unwrap();
    assert_eq!(
        store
            .gift_pack_by_barcode(&pack.barcode, shop_time())
            .unwrap(),
        None
    );
    assert!(
        store
            .gift_packs(shop_time())
            .unwrap()
            .iter()
            .all(|p| p.sku != pack.sku)
    );
    drop(store);

    let mut store = Store::open_in(dir.path()).unwrap();
    let listed: Vec<(String, bool)> = store
        .all_gift_packs(shop_time())
        .unwrap()
        .into_iter()
        .map(|(p, active)| (p.sku, active))
        .collect();
    assert_eq!(
        listed,
        [("GP001".to_string(), true), ("GP002".to_string(), false)]
    );
    assert!(matches!(
        store.set_gift_pack_active("GP999", true),
        Err(StoreError::NotFound)
    ));

    store.set_gift_pack_active(&pack.sku, true).unwrap();
    assert_eq!(
        store
            .gift_pack_by_barcode(&pack.barcode, shop_time())
            .unwrap(),
        Some(pack.clone())
    );
    assert_eq!(store.gift_packs(shop_time()).unwrap()[1], pack);
}

#[test]
fn a_bad_edit_is_refused_and_changes_nothing() {
    use ocop_pos::core::giftpack::{GiftPackError, PackPricing};
    let (_dir, mut store) = store_with_packs();
    let pack = pepper_box(&store);
    let items = vec![("KG006".to_string(), Decimal::ONE)];
    let fixed = PackPricing::Fixed(Money(200_000));
    let attempts = [
        (
            "an unknown product",
            "Hộp",
            fixed,
            vec![
                ("KG006".to_string(), Decimal::ONE),
                ("KG999".to_string(), Decimal::ONE),
            ],
            GiftPackError::NoSuchProduct("KG999".into()),
        ),
        ("no items", "Hộp", fixed, vec![], GiftPackError::NoItems),
        (
            "a zero quantity",
            "Hộp",
            fixed,
            vec![("KG006".to_string(), Decimal::ZERO)],
            GiftPackError::QuantityNotPositive("KG006".into()),
        ),
        (
            "no price",
            "Hộp",
            PackPricing::Fixed(Money::ZERO),
            items.clone(),
            GiftPackError::PriceNotPositive,
        ),
        (
            "no name",
            " ",
            fixed,
            items.clone(),
            GiftPackError::NameRequired,
        ),
    ];
    for (what, name, pricing, items, expected) in attempts {
        match store.update_gift_pack(&pack.sku, name, pricing, &items, shop_time()) {
            Err(StoreError::GiftPack(error)) => assert_eq!(error, expected, "{what}"),
            other => panic!("{what}: not refused: {other:?}"),
        }
        assert_eq!(
            store
                .gift_pack_by_barcode(&pack.barcode, shop_time())
                .unwrap()
                .as_ref(),
            Some(&pack),
            "{what} changed the template"
        );
    }
    assert!(matches!(
        store.update_gift_pack("GP999", "Hộp", fixed, &items, shop_time()),
        Err(StoreError::NotFound)
    ));
}

#[test]
fn the_command_line_edits_deactivates_and_lists_templates() {
    use ocop_pos::cli::{Cli, PinSource, run};
    use ocop_pos::config::Config;
    let dir = tempfile::tempdir().unwrap();
    // The demo store, as the window makes it in a new folder.
    drop(
        Config::new(Some(dir.path().to_path_buf()), true)
            .open_store()
            .unwrap(),
    );
    let data = dir.path().to_str().unwrap().to_string();
    let command = |line: &str| -> Result<String, String> {
        let words = ["ocop-pos", "--data-dir", &data]
            .into_iter()
            .map(String::from)
            .chain(line.split_whitespace().map(String::from));
        let cli = Cli::parse_checked(words).unwrap();
        let config = cli.config();
        let mut manager_pin = PinSource::lines("1234\n");
        run(
            cli.command.unwrap(),
            &config,
            &mut manager_pin,
            &mut Vec::new(),
        )
    };
    let told = command("pack edit GP002 --name Hộp_tiêu --price 199000 --item KG006:2").unwrap();
    assert!(
        told.starts_with("GP002") && told.contains("199.000 ₫"),
        "{told}"
    );
    assert!(told.contains("[KG006×2]"), "{told}");

    let told = command("pack deactivate GP002").unwrap();
    assert!(
        told.contains("ngừng bán") && told.contains("off sale"),
        "{told}"
    );
    let listed = command("packs").unwrap();
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(!lines[0].contains("inactive"), "{listed}");
    assert!(
        lines[1].starts_with("GP002") && lines[1].ends_with("(ngừng bán / inactive)"),
        "{listed}"
    );
    let refusal = command("pack activate GP999").unwrap_err();
    assert!(
        refusal.contains("Không có giỏ quà mã GP999") && refusal.contains("no gift pack GP999"),
        "{refusal}"
    );
}
