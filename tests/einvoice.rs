//! Every sale a cash-register e-invoice, against a real SQLite file: the XML read back with an
//! XML parser, the numbers and MCCQT codes, the clock, adjustments by refunds, replacements and
//! notices, refusals that write nothing, the golden XML of the demo sale and the receipt.
//!
//! `UPDATE_GOLDEN=1` rewrites tests/golden/demo-sale.xml; `INVOICE_SAMPLE_DIR` keeps the PDFs.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{DEMO_PRODUCTS, assert_contains, demo_store, flowing, product, shop_time, text_of};
use ocop_pos::core::cart::{Cart, Discount};
use ocop_pos::core::einvoice::{
    CONSUMER, Correction, EInvoice, InvoiceBuyer, InvoiceBuyerError, InvoiceSettings, LineNature,
    invoice_xml,
};
use ocop_pos::core::invoice::Buyer;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::refund::{RefundError, RefundItem, RefundRequest};
use ocop_pos::core::sale::{SaleDraft, SaleInvoice, SaleRecord};
use ocop_pos::core::settings::{ShopSettings, TaxCodeError};
use ocop_pos::core::vat::VatRate;
use ocop_pos::core::words::amount_in_words;
use ocop_pos::i18n::{Lang, Notice};
use ocop_pos::print::{ReceiptOptions, receipt_pdf};
use ocop_pos::store::{BuyerCorrection, BuyerCorrectionRequest, InvoiceError, Store, StoreError};
use proptest::prelude::*;
use rust_decimal::Decimal;
use tempfile::TempDir;

/// The demo catalogue with the demo's invoice registration.
fn invoicing_store() -> (TempDir, Store) {
    let (dir, mut store) = demo_store();
    store
        .save_invoice_settings(&InvoiceSettings::demo())
        .unwrap();
    (dir, store)
}

const FISH_SAUCE: &str = "8930100000018";
const RICE: &str = "8930101000116";
const DRIED_SHRIMP: &str = "8930101000161";

fn cash(cart: &Cart) -> Vec<Tender> {
    vec![Tender {
        method: PaymentMethod::Cash,
        amount: cart.totals().total,
        reference: None,
    }]
}

fn cart_of(store: &Store, items: &[(&str, i64)]) -> Cart {
    let mut cart = Cart::default();
    for (barcode, quantity) in items {
        cart.add_product(&product(store, barcode), Decimal::from(*quantity))
            .unwrap();
    }
    cart
}

fn sell(
    store: &mut Store,
    cart: &Cart,
    buyer: Option<InvoiceBuyer>,
    at: DateTime<Utc>,
) -> Result<SaleRecord, StoreError> {
    let draft = SaleDraft::new(cart, cash(cart), "Lan")
        .unwrap()
        .with_buyer(buyer);
    store.commit_sale(&draft, at)
}

fn issued(sale: &SaleRecord) -> &EInvoice {
    sale.invoice.issued().expect("the sale has its invoice")
}

fn company(tax_code: &str) -> InvoiceBuyer {
    InvoiceBuyer::Company(Buyer {
        id: 0,
        name: "Công ty TNHH Du lịch Biển Xanh".into(),
        tax_code: tax_code.into(),
        address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
        email: "ketoan@bienxanh.vn".into(),
        contact: "Trần Thị Mai".into(),
    })
}

fn mccqt_pattern() -> regex::Regex {
    regex::Regex::new(r"^M[1-9]-\d{2}-[A-Z0-9]{5}-\d{11}$").unwrap()
}

/// The names of an element's child elements, in order.
fn children<'a>(node: roxmltree::Node<'a, 'a>) -> Vec<&'a str> {
    node.children()
        .filter(|c| c.is_element())
        .map(|c| c.tag_name().name())
        .collect()
}

fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> roxmltree::Node<'a, 'a> {
    node.children()
        .find(|c| c.has_tag_name(name))
        .unwrap_or_else(|| panic!("<{name}> missing under <{}>", node.tag_name().name()))
}

fn text_in<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    child(node, name).text().unwrap_or("")
}

/// Checks a VAT invoice's XML against its record: every element the format requires, in
/// order, and the rows, per-rate blocks, totals and words equal to the invoice's.
fn check_xml(xml: &str, invoice: &EInvoice) {
    let document = roxmltree::Document::parse(xml).expect("the XML parses");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "HDon");
    let mut top = vec!["DLHDon", "DLQRCode"];
    if invoice.numbers.authority_code.is_some() {
        top.push("MCCQT");
    }
    top.push("DSCKS");
    assert_eq!(children(root), top);
    let data = child(root, "DLHDon");
    assert_eq!(children(data), ["TTChung", "NDHDon"]);
    let general = child(data, "TTChung");
    let mut expected = vec![
        "PBan", "THDon", "KHMSHDon", "KHHDon", "SHDon", "NLap", "DVTTe", "TGia", "HTTToan",
    ];
    if invoice.related.is_some() {
        expected.push("TTHDLQuan");
    }
    if invoice.demo {
        expected.push("TTKhac");
    }
    assert_eq!(children(general), expected);
    assert_eq!(text_in(general, "PBan"), "2.1.0");
    assert_eq!(text_in(general, "KHMSHDon"), "1");
    assert_eq!(text_in(general, "KHHDon"), invoice.numbers.series);
    assert_eq!(
        text_in(general, "SHDon"),
        invoice.numbers.number.to_string()
    );
    if let Some(related) = &invoice.related {
        let link = child(general, "TTHDLQuan");
        assert_eq!(
            children(link),
            [
                "TCHDon",
                "LHDCLQuan",
                "KHMSHDCLQuan",
                "KHHDCLQuan",
                "SHDCLQuan",
                "NLHDCLQuan",
                "GChu"
            ]
        );
        assert_eq!(
            text_in(link, "TCHDon"),
            related.correction.code().to_string()
        );
        assert_eq!(text_in(link, "SHDCLQuan"), related.number.to_string());
    }
    let content = child(data, "NDHDon");
    assert_eq!(children(content), ["NBan", "NMua", "DSHHDVu", "TToan"]);
    assert_eq!(
        children(child(content, "NBan")),
        ["Ten", "MST", "DChi", "SDThoai", "MCHang", "TCHang"]
    );
    let buyer = child(content, "NMua");
    assert_eq!(
        children(buyer),
        [
            "Ten",
            "MST",
            "DChi",
            "CCCDan",
            "SHChieu",
            "SDThoai",
            "HVTNMHang"
        ]
    );
    match &invoice.buyer {
        None => assert_eq!(text_in(buyer, "Ten"), CONSUMER),
        Some(b) => assert_eq!(text_in(buyer, "MST"), b.tax_code()),
    }
    let rows: Vec<_> = child(content, "DSHHDVu")
        .children()
        .filter(|c| c.is_element())
        .collect();
    assert_eq!(rows.len(), invoice.lines.len());
    let mut per_rate: std::collections::BTreeMap<String, i64> = Default::default();
    for (index, (row, line)) in rows.iter().zip(&invoice.lines).enumerate() {
        assert_eq!(
            children(*row),
            [
                "TChat", "STT", "MHHDVu", "THHDVu", "DVTinh", "SLuong", "DGia", "TLCKhau",
                "STCKhau", "ThTien", "TSuat"
            ]
        );
        assert_eq!(text_in(*row, "STT"), (index + 1).to_string());
        assert_eq!(text_in(*row, "THHDVu"), line.name);
        assert_eq!(
            text_in(*row, "SLuong").parse::<Decimal>().unwrap(),
            line.quantity
        );
        let amount: i64 = text_in(*row, "ThTien").parse().unwrap();
        assert_eq!(amount, line.amount.dong());
        *per_rate
            .entry(text_in(*row, "TSuat").to_string())
            .or_default() += amount;
    }
    let totals = child(content, "TToan");
    assert_eq!(
        children(totals),
        [
            "THTTLTSuat",
            "TgTCThue",
            "TgTThue",
            "TTCKTMai",
            "TgTTTBSo",
            "TgTTTBChu"
        ]
    );
    let blocks: Vec<_> = child(totals, "THTTLTSuat")
        .children()
        .filter(|c| c.is_element())
        .collect();
    assert_eq!(blocks.len(), invoice.vat.len());
    for (block, bucket) in blocks.iter().zip(&invoice.vat) {
        assert_eq!(children(*block), ["TSuat", "ThTien", "TThue"]);
        let rate = text_in(*block, "TSuat");
        assert_eq!(rate, bucket.rate.to_string());
        let pre_vat: i64 = text_in(*block, "ThTien").parse().unwrap();
        assert_eq!(pre_vat, bucket.pre_vat.dong());
        assert_eq!(
            per_rate[rate], pre_vat,
            "the rows of {rate} add up to its block"
        );
        assert_eq!(
            text_in(*block, "TThue").parse::<i64>().unwrap(),
            bucket.vat.dong()
        );
    }
    let number = |name| text_in(totals, name).parse::<i64>().unwrap();
    assert_eq!(number("TgTCThue"), invoice.total_before_vat().dong());
    assert_eq!(number("TgTThue"), invoice.total_vat().dong());
    assert_eq!(number("TgTTTBSo"), invoice.total.dong());
    assert_eq!(number("TgTCThue") + number("TgTThue"), number("TgTTTBSo"));
    assert_eq!(text_in(totals, "TgTTTBChu"), amount_in_words(invoice.total));
    if let Some(code) = &invoice.numbers.authority_code {
        assert_eq!(text_in(root, "MCCQT"), code);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random sales (products, quantities, discounts, payments, buyers): each is an invoice
    /// whose stored XML parses, has every element in order, and carries the sale's figures;
    /// MCCQT codes have the format's shape, are unique and increase; numbers have no gaps.
    #[test]
    fn the_xml_of_random_sales_carries_the_sale(
        sales in prop::collection::vec((
            prop::collection::vec((0usize..42, 1i64..4, prop::option::of(1u32..50)), 1..7),
            prop::option::of(1u32..30),
            any::<bool>(),
            0usize..3,
        ), 1..5),
    ) {
        let (_dir, mut store) = invoicing_store();
        let catalogue = store.catalogue(shop_time()).unwrap();
        let buyers = [
            None,
            Some(company("0100233488")),
            Some(InvoiceBuyer::Person {
                name: "Lê Văn <An> & Co".into(),
                id_number: "036204001234".into(),
                phone: String::new(),
                address: String::new(),
            }),
        ];
        let mut codes = Vec::new();
        for (n, (lines, order_discount, by_card, buyer)) in sales.iter().enumerate() {
            let mut cart = Cart::default();
            for (index, quantity, discount) in lines {
                let product = &catalogue[*index % catalogue.len()];
                let quantity = if product.sold_by_weight {
                    Decimal::new(*quantity * 350, 3)
                } else {
                    Decimal::from(*quantity)
                };
                let Ok(line) = cart.add_product(product, quantity) else { continue };
                if let Some(percent) = discount {
                    let _ = cart.set_line_discount(line, Discount::Percent(Decimal::from(*percent)));
                }
            }
            if let Some(percent) = order_discount {
                let _ = cart.set_order_discount(Discount::Percent(Decimal::from(*percent)));
            }
            let total = cart.totals().total;
            let method = if *by_card { PaymentMethod::Card } else { PaymentMethod::Cash };
            let draft = SaleDraft::new(
                &cart,
                vec![Tender { method, amount: total, reference: None }],
                "Lan",
            )
            .unwrap()
            .with_buyer(buyers[*buyer].clone());
            let at = shop_time() + Duration::minutes(n as i64);
            let sale = store.commit_sale(&draft, at).unwrap();
            let invoice = issued(&sale).clone();
            prop_assert_eq!(&invoice.vat, &sale.draft.vat);
            prop_assert_eq!(invoice.total, sale.draft.total);
            let xml = store.einvoice_xml(&invoice.reference()).unwrap().unwrap();
            prop_assert_eq!(&xml, &invoice_xml(&invoice));
            check_xml(&xml, &invoice);
            // Read back, the sale carries the same invoice.
            let read = store.sale_by_receipt_no(&sale.receipt_no).unwrap().unwrap();
            prop_assert_eq!(read.invoice, sale.invoice);
            codes.push(invoice.numbers.authority_code.unwrap());
        }
        for code in &codes {
            prop_assert!(mccqt_pattern().is_match(code), "{code}");
        }
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(&sorted, &codes, "unique and increasing");
        prop_assert_eq!(
            store.einvoice_numbers(1, "C26MAA").unwrap(),
            (1..=sales.len() as i64).collect::<Vec<_>>()
        );
    }
}

#[test]
fn numbers_are_gap_free_per_series_and_restart_each_year() {
    let (_dir, mut store) = invoicing_store();
    let cart = cart_of(&store, &[(FISH_SAUCE, 1)]);
    // 23:30 on 31 Dec 2026 in Vietnam, then just after midnight.
    let new_year = Utc.with_ymd_and_hms(2026, 12, 31, 17, 0, 0).unwrap();
    let times = [
        new_year - Duration::minutes(31),
        new_year - Duration::minutes(30),
        new_year,
        new_year + Duration::minutes(1),
        new_year + Duration::minutes(2),
    ];
    let invoices: Vec<EInvoice> = times
        .iter()
        .map(|&at| issued(&sell(&mut store, &cart, None, at).unwrap()).clone())
        .collect();
    let references: Vec<String> = invoices.iter().map(EInvoice::reference).collect();
    assert_eq!(
        references,
        [
            "1C26MAA-00000001",
            "1C26MAA-00000002",
            "1C27MAA-00000001",
            "1C27MAA-00000002",
            "1C27MAA-00000003"
        ]
    );
    let codes: Vec<&str> = invoices
        .iter()
        .map(|i| i.numbers.authority_code.as_deref().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "M1-26-DEMO0-00000000001",
            "M1-26-DEMO0-00000000002",
            "M1-27-DEMO0-00000000001",
            "M1-27-DEMO0-00000000002",
            "M1-27-DEMO0-00000000003"
        ]
    );
    assert_eq!(store.einvoice_numbers(1, "C26MAA").unwrap(), [1, 2]);
    assert_eq!(store.einvoice_numbers(1, "C27MAA").unwrap(), [1, 2, 3]);
    assert_eq!(store.authority_codes(2027).unwrap().len(), 3);
    // The counters live with the other document counters (backups and restores keep them).
    assert_eq!(
        store
            .last_invoice_counter("einvoice:1C27MAA", 2027)
            .unwrap(),
        3
    );
    assert_eq!(
        store
            .last_invoice_counter("mccqt:1702345670", 2026)
            .unwrap(),
        2
    );
}

#[test]
fn a_second_counter_has_its_own_series() {
    let (_dir, mut store) = invoicing_store();
    let cart = cart_of(&store, &[(RICE, 1)]);
    sell(&mut store, &cart, None, shop_time()).unwrap();
    let second_counter = store
        .invoice_settings()
        .unwrap()
        .with_field("series_letters", "AB")
        .unwrap();
    store.save_invoice_settings(&second_counter).unwrap();
    let sale = sell(&mut store, &cart, None, shop_time() + Duration::minutes(1)).unwrap();
    assert_eq!(issued(&sale).reference(), "1C26MAB-00000001");
    // Other letters, the same node: its MCCQT counter runs on in node AA's block.
    assert_eq!(
        issued(&sale).numbers.authority_code.as_deref(),
        Some("M1-26-DEMO0-00000000002")
    );
}

#[test]
fn a_clock_gone_backwards_is_refused_and_nothing_is_written() {
    let (_dir, mut store) = invoicing_store();
    let cart = cart_of(&store, &[(FISH_SAUCE, 2), (RICE, 1)]);
    sell(&mut store, &cart, None, shop_time()).unwrap();
    let stock_before = store.stock_on_hand().unwrap();
    let refused = sell(&mut store, &cart, None, shop_time() - Duration::minutes(5));
    let Err(StoreError::Invoice(error @ InvoiceError::ClockBehind { .. })) = refused else {
        panic!("a sale before the last invoice was not refused: {refused:?}");
    };
    let notice = Notice::Invoice(error);
    assert_contains(&notice.text(Lang::Vi), "Đồng hồ máy");
    assert_contains(&notice.text(Lang::Vi), "1C26MAA");
    assert_contains(&notice.text(Lang::En), "clock");
    assert_eq!(store.sale_count().unwrap(), 1);
    assert_eq!(store.last_receipt_number(2026).unwrap(), 1);
    assert_eq!(store.einvoice_numbers(1, "C26MAA").unwrap(), [1]);
    assert_eq!(
        store
            .last_invoice_counter("mccqt:1702345670", 2026)
            .unwrap(),
        1
    );
    assert_eq!(store.stock_on_hand().unwrap(), stock_before);
    // The same second as the last invoice is not before it.
    sell(&mut store, &cart, None, shop_time()).unwrap();
}

#[test]
fn a_refund_makes_exactly_one_adjustment_that_nets_the_original() {
    let (_dir, mut store) = invoicing_store();
    let mut cart = cart_of(&store, &[(FISH_SAUCE, 3), (RICE, 2), (DRIED_SHRIMP, 1)]);
    cart.set_order_discount(Discount::Percent(Decimal::from(7)))
        .unwrap();
    let sale = sell(&mut store, &cart, Some(company("0100233488")), shop_time()).unwrap();
    let original = issued(&sale).clone();
    let mut adjustments = Vec::new();
    for (step, items) in [
        vec![RefundItem {
            line_no: 0,
            quantity: Decimal::ONE,
        }],
        vec![
            RefundItem {
                line_no: 0,
                quantity: Decimal::from(2),
            },
            RefundItem {
                line_no: 1,
                quantity: Decimal::from(2),
            },
            RefundItem {
                line_no: 2,
                quantity: Decimal::ONE,
            },
        ],
    ]
    .into_iter()
    .enumerate()
    {
        let refund = store
            .commit_refund(
                &RefundRequest {
                    receipt_no: sale.receipt_no.clone(),
                    items,
                    method: PaymentMethod::Cash,
                    restock: true,
                    reason: "Khách đổi ý".into(),
                    cashier: "Lan".into(),
                    approver: None,
                },
                shop_time() + Duration::hours(step as i64 + 1),
            )
            .unwrap();
        let adjustment = refund.adjustment.clone().expect("the refund's adjustment");
        assert_eq!(adjustment.total, -refund.total);
        assert_eq!(adjustment.buyer, original.buyer);
        let related = adjustment.related.as_ref().unwrap();
        assert_eq!(related.correction, Correction::Adjusts);
        assert_eq!(
            (related.series.as_str(), related.number),
            ("C26MAA", original.numbers.number)
        );
        assert!(
            adjustment
                .lines
                .iter()
                .all(|l| l.quantity < Decimal::ZERO && l.amount <= Money::ZERO)
        );
        check_xml(
            &store
                .einvoice_xml(&adjustment.reference())
                .unwrap()
                .unwrap(),
            &adjustment,
        );
        adjustments.push(adjustment);
    }
    // Exactly one adjustment per refund, in the invoice series after the original.
    let of_sale = store.einvoices_of_sale(&sale.receipt_no).unwrap();
    assert_eq!(of_sale.len(), 3);
    assert_eq!(store.einvoice_numbers(1, "C26MAA").unwrap(), [1, 2, 3]);
    // Everything given back: the original and its adjustments net to nothing, rate by rate.
    for bucket in &original.vat {
        let net = |amount: fn(&ocop_pos::core::vat::VatBucket) -> Money| {
            amount(bucket)
                + adjustments
                    .iter()
                    .flat_map(|a| &a.vat)
                    .filter(|b| b.rate == bucket.rate)
                    .map(amount)
                    .sum::<Money>()
        };
        assert_eq!(net(|b| b.pre_vat), Money::ZERO);
        assert_eq!(net(|b| b.vat), Money::ZERO);
    }
    assert_eq!(
        original.total + adjustments.iter().map(|a| a.total).sum::<Money>(),
        Money::ZERO
    );
    // Nothing is left to give back: a further refund is refused and makes no adjustment.
    let beyond = store.commit_refund(
        &RefundRequest {
            receipt_no: sale.receipt_no.clone(),
            items: vec![RefundItem {
                line_no: 1,
                quantity: Decimal::ONE,
            }],
            method: PaymentMethod::Cash,
            restock: true,
            reason: "lần nữa".into(),
            cashier: "Lan".into(),
            approver: None,
        },
        shop_time() + Duration::hours(5),
    );
    assert!(matches!(
        beyond,
        Err(StoreError::Refund(RefundError::MoreThanSold { .. }))
    ));
    assert_eq!(store.einvoices_of_sale(&sale.receipt_no).unwrap().len(), 3);
    // An adjusted invoice is corrected by adjustment again, never replaced.
    let replace = store.correct_invoice_buyer(
        &original.reference(),
        &BuyerCorrectionRequest {
            buyer: Some(company("0314409058-002")),
            reason: "sai MST".into(),
            agreement: "BB-01".into(),
            by: "Hùng".into(),
        },
        shop_time() + Duration::hours(6),
    );
    assert!(matches!(
        replace,
        Err(StoreError::Invoice(InvoiceError::AlreadyAdjusted(_)))
    ));
}

#[test]
fn a_replacement_refers_to_the_original_and_a_wrong_name_is_a_notice() {
    let (_dir, mut store) = invoicing_store();
    let cart = cart_of(&store, &[(FISH_SAUCE, 2)]);
    let sale = sell(&mut store, &cart, Some(company("0100233488")), shop_time()).unwrap();
    let original = issued(&sale).clone();
    let later = shop_time() + Duration::hours(1);
    let request = |buyer: Option<InvoiceBuyer>, agreement: &str| BuyerCorrectionRequest {
        buyer,
        reason: "Sai mã số thuế người mua".into(),
        agreement: agreement.into(),
        by: "Hùng".into(),
    };
    // A business buyer's correction needs the written agreement; refused, nothing is written.
    for (refused, expected) in [
        (
            request(Some(company("0314409058-002")), ""),
            InvoiceError::AgreementRequired,
        ),
        (
            request(Some(company("0314409050")), "BB-01"),
            InvoiceError::Buyer(InvoiceBuyerError::TaxCode(TaxCodeError::CheckDigit)),
        ),
        (
            request(original.buyer.clone(), "BB-01"),
            InvoiceError::NothingToCorrect,
        ),
        (
            BuyerCorrectionRequest {
                reason: " ".into(),
                ..request(None, "BB-01")
            },
            InvoiceError::ReasonRequired,
        ),
    ] {
        assert_eq!(
            store
                .correct_invoice_buyer(&original.reference(), &refused, later)
                .map_err(|e| format!("{e:?}")),
            Err(format!("{:?}", StoreError::Invoice(expected)))
        );
    }
    assert_eq!(store.einvoice_numbers(1, "C26MAA").unwrap(), [1]);

    let BuyerCorrection::Replaced(replacement) = store
        .correct_invoice_buyer(
            &original.reference(),
            &request(Some(company("0314409058-002")), "BB-2026-17"),
            later,
        )
        .unwrap()
    else {
        panic!("a new tax code makes a replacement");
    };
    assert_eq!(replacement.reference(), "1C26MAA-00000002");
    let related = replacement.related.as_ref().unwrap();
    assert_eq!(related.correction, Correction::Replaces);
    assert_eq!(related.number, original.numbers.number);
    assert_eq!(related.agreement, "BB-2026-17");
    assert_eq!(replacement.lines, original.lines);
    assert_eq!(replacement.total, original.total);
    assert_eq!(
        store.replacement_of(&original.reference()).unwrap(),
        Some(replacement.reference())
    );
    check_xml(
        &store
            .einvoice_xml(&replacement.reference())
            .unwrap()
            .unwrap(),
        &replacement,
    );
    // Replaced once: replacing the original again is refused.
    let again = store.correct_invoice_buyer(
        &original.reference(),
        &request(Some(company("0100233488")), "BB-2"),
        later,
    );
    assert!(matches!(
        again,
        Err(StoreError::Invoice(InvoiceError::AlreadyReplaced { .. }))
    ));
    // The replacement's company name was misspelt, its tax code right: a notice, no invoice.
    let mut renamed = company("0314409058-002");
    if let InvoiceBuyer::Company(buyer) = &mut renamed {
        buyer.name = "Công ty TNHH Du lịch Biển Xanh Phú Quốc".into();
    }
    let noticed = store
        .correct_invoice_buyer(
            &replacement.reference(),
            &request(Some(renamed.clone()), "BB-3"),
            later,
        )
        .unwrap();
    assert_eq!(
        noticed,
        BuyerCorrection::Noticed {
            invoice: replacement.reference()
        }
    );
    assert_eq!(store.einvoice_numbers(1, "C26MAA").unwrap(), [1, 2]);
    let notices = store.invoice_notices(&replacement.reference()).unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].1, renamed.checked().ok());
    // A refund now adjusts the invoice in force: the replacement.
    let refund = store
        .commit_refund(
            &RefundRequest {
                receipt_no: sale.receipt_no.clone(),
                items: vec![RefundItem {
                    line_no: 0,
                    quantity: Decimal::ONE,
                }],
                method: PaymentMethod::Cash,
                restock: true,
                reason: "vỡ chai".into(),
                cashier: "Lan".into(),
                approver: None,
            },
            later + Duration::minutes(1),
        )
        .unwrap();
    assert_eq!(
        refund.adjustment.unwrap().related.unwrap().number,
        replacement.numbers.number
    );
}

#[test]
fn bad_buyers_are_refused_and_nothing_is_written() {
    let (_dir, mut store) = invoicing_store();
    let cart = cart_of(&store, &[(RICE, 1)]);
    let person = |id: &str, phone: &str| InvoiceBuyer::Person {
        name: "Nguyễn Văn A".into(),
        id_number: id.into(),
        phone: phone.into(),
        address: String::new(),
    };
    for (buyer, expected) in [
        (
            company("0100233480"),
            InvoiceBuyerError::TaxCode(TaxCodeError::CheckDigit),
        ),
        (
            company("010023348"),
            InvoiceBuyerError::TaxCode(TaxCodeError::Length),
        ),
        (
            person("03620400123", ""),
            InvoiceBuyerError::IdNumberNot12Digits,
        ),
        (
            person("0362040012345", ""),
            InvoiceBuyerError::IdNumberNot12Digits,
        ),
        (person("", "12345"), InvoiceBuyerError::BadPhone),
        (person("", ""), InvoiceBuyerError::IdOrPhoneRequired),
        (
            InvoiceBuyer::Foreigner {
                name: "John Smith".into(),
                passport: String::new(),
                address: String::new(),
            },
            InvoiceBuyerError::PassportRequired,
        ),
    ] {
        let refused = sell(&mut store, &cart, Some(buyer.clone()), shop_time());
        assert!(
            matches!(&refused, Err(StoreError::Invoice(InvoiceError::Buyer(e))) if *e == expected),
            "{buyer:?}: {refused:?}"
        );
        let text = Notice::from_store_error(&refused.unwrap_err()).text(Lang::Vi);
        assert!(!text.is_empty());
    }
    assert_eq!(store.sale_count().unwrap(), 0);
    assert_eq!(store.last_receipt_number(2026).unwrap(), 0);
    assert!(store.einvoice_numbers(1, "C26MAA").unwrap().is_empty());
    // Spaces in a CCCD are tidied away; a foreigner by passport is fine.
    let sale = sell(
        &mut store,
        &cart,
        Some(person("036 204 001 234", "")),
        shop_time(),
    )
    .unwrap();
    assert!(matches!(
        &issued(&sale).buyer,
        Some(InvoiceBuyer::Person { id_number, .. }) if id_number == "036204001234"
    ));
}

#[test]
fn an_unregistered_shop_sells_without_invoices_and_says_so() {
    let (_dir, mut store) = demo_store();
    let cart = cart_of(&store, &[(FISH_SAUCE, 1)]);
    let sale = sell(&mut store, &cart, Some(company("0100233488")), shop_time()).unwrap();
    assert_eq!(sale.invoice, SaleInvoice::NotRegistered);
    let read = store.sale_by_receipt_no(&sale.receipt_no).unwrap().unwrap();
    assert_eq!(read.invoice, SaleInvoice::NotRegistered);
    assert_eq!(store.sales_without_invoice().unwrap(), 1);
    let text = text_of(&receipt_pdf(
        &ShopSettings::demo(),
        &read,
        &ReceiptOptions::default(),
    ));
    assert_contains(&text, "CHƯA ĐĂNG KÝ HÓA ĐƠN");
    assert_contains(&flowing(&text), "phiếu này không phải hóa đơn");
    // A refund of a sale without an invoice makes no adjustment.
    let refund = store
        .commit_refund(
            &RefundRequest {
                receipt_no: sale.receipt_no.clone(),
                items: vec![RefundItem {
                    line_no: 0,
                    quantity: Decimal::ONE,
                }],
                method: PaymentMethod::Cash,
                restock: true,
                reason: "đổi ý".into(),
                cashier: "Lan".into(),
                approver: None,
            },
            shop_time() + Duration::minutes(1),
        )
        .unwrap();
    assert_eq!(refund.adjustment, None);
    let status = Notice::InvoiceRegistration(store.invoice_settings().unwrap().status());
    assert_contains(&status.text(Lang::Vi), "CHƯA ĐĂNG KÝ HÓA ĐƠN ĐIỆN TỬ");
    assert_contains(&status.text(Lang::En), "invoice_authority_code");
}

/// The demo sale: two bottles of fish sauce with a line discount, ST25 rice and dried shrimp
/// (8 % and 5 %), to a company, paid part cash and part by transfer, on 26 Nov 2026 at 10:00.
fn demo_sale(store: &mut Store) -> SaleRecord {
    let mut cart = cart_of(store, &[(FISH_SAUCE, 2), (RICE, 1), (DRIED_SHRIMP, 1)]);
    cart.set_line_discount(0, Discount::Amount(Money(10_000)))
        .unwrap();
    let total = cart.totals().total;
    let tenders = vec![
        Tender {
            method: PaymentMethod::Cash,
            amount: Money(200_000),
            reference: None,
        },
        Tender {
            method: PaymentMethod::Transfer,
            amount: total - Money(200_000),
            reference: None,
        },
    ];
    let draft = SaleDraft::new(&cart, tenders, "Nguyễn Thị Lan")
        .unwrap()
        .with_buyer(Some(company("0100233488")));
    store.commit_sale(&draft, shop_time()).unwrap()
}

#[test]
fn the_demo_sale_gives_the_golden_xml() {
    let (_dir, mut store) = invoicing_store();
    let sale = demo_sale(&mut store);
    let xml = store
        .einvoice_xml(&issued(&sale).reference())
        .unwrap()
        .unwrap();
    let golden =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/demo-sale.xml");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &xml).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).expect("tests/golden/demo-sale.xml");
    assert_eq!(xml, expected.trim_end(), "the demo sale's XML changed");
    check_xml(&xml, issued(&sale));
    assert!(DEMO_PRODUCTS.contains(FISH_SAUCE));
}

#[test]
fn the_receipt_is_the_invoice() {
    let (_dir, mut store) = invoicing_store();
    let shop = ShopSettings::demo();
    let keep = |name: &str, pdf: &[u8]| {
        if let Some(dir) = std::env::var_os("INVOICE_SAMPLE_DIR") {
            std::fs::write(std::path::Path::new(&dir).join(name), pdf).unwrap();
        }
    };
    let cart = cart_of(&store, &[(FISH_SAUCE, 2), (DRIED_SHRIMP, 1)]);
    let consumer = sell(&mut store, &cart, None, shop_time()).unwrap();
    let pdf = receipt_pdf(&shop, &consumer, &ReceiptOptions::default());
    keep("receipt-invoice.pdf", &pdf);
    let text = text_of(&pdf);
    let invoice = issued(&consumer);
    for expected in [
        "HÓA ĐƠN GIÁ TRỊ GIA TĂNG",
        "(Khởi tạo từ máy tính tiền)",
        "HÓA ĐƠN MẪU (DEMO)",
        "Ký hiệu: 1C26MAA",
        "Số: 00000001",
        "Mã CQT: M1-26-DEMO0-00000000001",
        &format!("Người mua: {CONSUMER}"),
        "Hội Nông dân tỉnh An Giang",
        "MST: 1702345670",
        "Cộng tiền hàng chưa thuế",
        "Tra cứu hóa đơn",
        &invoice.lookup_url,
        &consumer.receipt_no,
    ] {
        assert_contains(&text, expected);
    }
    // Prices before VAT and the rate on each line; VAT per rate; the total in words.
    for line in &invoice.lines {
        assert_contains(&text, &line.amount.to_string());
        assert_contains(&text, &line.vat.to_string());
    }
    for bucket in &invoice.vat {
        assert_contains(&text, &bucket.vat.to_string());
    }
    assert_contains(
        &flowing(&text),
        &format!("Bằng chữ: {}", amount_in_words(invoice.total)),
    );

    let company_sale = demo_sale(&mut store);
    let pdf = receipt_pdf(&shop, &company_sale, &ReceiptOptions::default());
    keep("receipt-invoice-company.pdf", &pdf);
    let text = text_of(&pdf);
    for expected in [
        "Số: 00000002",
        "Mã CQT: M1-26-DEMO0-00000000002",
        "Đơn vị: Công ty TNHH Du lịch Biển Xanh",
        "MST: 0100233488",
    ] {
        assert_contains(&text, expected);
    }
    assert!(!text.contains(CONSUMER));
    // The reprint is the same invoice, marked as a copy.
    let copy = text_of(&receipt_pdf(
        &shop,
        &store
            .sale_by_receipt_no(&company_sale.receipt_no)
            .unwrap()
            .unwrap(),
        &ReceiptOptions { copy: true },
    ));
    assert_contains(&copy, "BẢN SAO");
    assert_contains(&copy, "Mã CQT: M1-26-DEMO0-00000000002");
}

#[test]
fn free_promotional_goods_are_tchat_2_lines() {
    let (_dir, mut store) = invoicing_store();
    let mut cart = cart_of(&store, &[(FISH_SAUCE, 1), (RICE, 1)]);
    cart.set_line_discount(1, Discount::Percent(Decimal::from(100)))
        .unwrap();
    let sale = sell(&mut store, &cart, None, shop_time()).unwrap();
    let invoice = issued(&sale);
    assert_eq!(invoice.lines[0].nature, LineNature::Goods);
    assert_eq!(invoice.lines[1].nature, LineNature::Promotion);
    assert_eq!(invoice.lines[1].amount, Money::ZERO);
    let xml = store.einvoice_xml(&invoice.reference()).unwrap().unwrap();
    let document = roxmltree::Document::parse(&xml).unwrap();
    let natures: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("TChat"))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(natures, ["1", "2"]);
}

#[test]
fn a_direct_method_seller_issues_sales_invoices_without_vat_blocks() {
    let (_dir, mut store) = invoicing_store();
    let direct = store
        .invoice_settings()
        .unwrap()
        .with_field("vat_method", "direct")
        .unwrap();
    store.save_invoice_settings(&direct).unwrap();
    let cart = cart_of(&store, &[(FISH_SAUCE, 2), (DRIED_SHRIMP, 1)]);
    let sale = sell(&mut store, &cart, None, shop_time()).unwrap();
    let invoice = issued(&sale);
    assert_eq!(invoice.reference(), "2C26MAA-00000001");
    assert!(invoice.vat.is_empty());
    assert_eq!(
        invoice.lines.iter().map(|l| l.amount).sum::<Money>(),
        sale.draft.total
    );
    let xml = store.einvoice_xml(&invoice.reference()).unwrap().unwrap();
    let document = roxmltree::Document::parse(&xml).unwrap();
    for absent in ["THTTLTSuat", "TgTCThue", "TgTThue", "TSuat"] {
        assert!(
            !document.descendants().any(|n| n.has_tag_name(absent)),
            "{absent} in a sales invoice"
        );
    }
    let text = text_of(&receipt_pdf(
        &ShopSettings::demo(),
        &sale,
        &ReceiptOptions::default(),
    ));
    assert_contains(&text, "HÓA ĐƠN BÁN HÀNG");
    assert!(!text.contains("Cộng tiền hàng chưa thuế"));
    assert_eq!(VatRate::allowed().len(), 5);
}

#[test]
fn the_command_line_replaces_adjusts_and_shows_invoices() {
    use ocop_pos::cli::{Cli, PinSource, run};
    let dir = tempfile::tempdir().unwrap();
    let config = ocop_pos::config::Config::new(Some(dir.path().to_path_buf()), true);
    let mut store = config.open_store().unwrap();
    assert_eq!(
        store.invoice_settings().unwrap(),
        InvoiceSettings::demo(),
        "the demo store ships the demo's registration"
    );
    // The demo was seeded now, so its prices are in force from now.
    let mut cart = Cart::default();
    for (barcode, quantity) in [(FISH_SAUCE, 2), (RICE, 1)] {
        let product = store
            .product_by_barcode(barcode, Utc::now())
            .unwrap()
            .unwrap();
        cart.add_product(&product, Decimal::from(quantity)).unwrap();
    }
    let sale = sell(&mut store, &cart, None, Utc::now()).unwrap();
    let original = issued(&sale).reference();
    drop(store);

    // Each command as typed, with the demo manager's PIN on standard input.
    let run = |line: &str| {
        let words = ["ocop-pos", "--pin-stdin"]
            .into_iter()
            .map(String::from)
            .chain(line.split_whitespace().map(String::from));
        let cli = Cli::parse_checked(words)?;
        Ok::<_, clap::Error>(run(
            cli.command.unwrap(),
            &config,
            &mut PinSource::lines("1234\n"),
            &mut Vec::new(),
        ))
    };
    assert!(
        run(&format!("invoice cancel {original} --reason x")).is_err(),
        "an invoice is never cancelled"
    );
    let out = run(&format!(
        "invoice replace {original} --reason sai --agreement BB-1 --tax-code 0100233488 --name A --address B"
    ))
    .unwrap()
    .unwrap();
    let replacement = out.lines().next().unwrap().to_string();
    assert!(replacement.ends_with("-00000002"), "{out}");

    // Giving back one bottle adjusts the replacement, the invoice in force.
    let out = run(&format!(
        "invoice adjust {replacement} --item 1:1 --reason vỡ_chai"
    ))
    .unwrap()
    .unwrap();
    assert!(out.contains("-00000003"), "{out}");
    let beyond = run(&format!(
        "invoice adjust {replacement} --item 1:2 --reason thêm"
    ))
    .unwrap();
    assert!(beyond.is_err());

    let pdf = dir.path().join("copy.pdf");
    let xml = dir.path().join("hd.xml");
    run(&format!(
        "invoice show {replacement} --pdf {} --xml {}",
        pdf.display(),
        xml.display()
    ))
    .unwrap()
    .unwrap();
    let store = config.open_store().unwrap();
    assert_eq!(
        std::fs::read_to_string(&xml).unwrap(),
        store.einvoice_xml(&replacement).unwrap().unwrap()
    );
    let copy = text_of(&std::fs::read(&pdf).unwrap());
    assert_contains(&copy, "BẢN SAO");
    assert_contains(
        &flowing(&copy),
        &format!("Thay thế cho hóa đơn {} số 00000001", &original[..7]),
    );
    drop(store);

    let refused = run("settings set invoice_authority_code ab12")
        .unwrap()
        .unwrap_err();
    assert_contains(&refused, "5");
    run("settings set invoice_authority_code ab12c")
        .unwrap()
        .unwrap();
    let store = config.open_store().unwrap();
    assert_eq!(store.invoice_settings().unwrap().authority_code, "AB12C");
}
