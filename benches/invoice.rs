//! Speed goals of invoices (BENCHMARKS.md): the A4 copy of 50 baskets of 8 components, and the
//! XML of a 50-line sale (goal < 1 ms).

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ocop_pos::core::cart::{Cart, CartLine, Component};
use ocop_pos::core::catalog::Product;
use ocop_pos::core::einvoice::{
    EInvoice, InvoiceBuyer, InvoiceNumbers, InvoiceSettings, Issue, invoice_xml,
};
use ocop_pos::core::invoice::Buyer;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::core::vat::VatRate;
use ocop_pos::print::{InvoiceOptions, einvoice_pdf};
use rust_decimal::Decimal;
use std::hint::black_box;

fn component(id: i64) -> Component {
    let product = Product {
        id,
        sku: format!("KG{id:03}"),
        barcode: None,
        plu: None,
        name: format!("Đặc sản OCOP số {id} (hộp quà)"),
        producer: "HTX Nông sản hữu cơ Rạch Giá".into(),
        ocop_group: "Thực phẩm".into(),
        stars: Some(4),
        unit: "hộp".into(),
        sold_by_weight: false,
        price: Money(35_000 + id * 7_000),
        vat: VatRate::allowed()[2 + (id % 3) as usize],
        stock: Decimal::from(1000),
    };
    Component::from_product(&product, Decimal::ONE)
}

/// 50 different baskets (one per company department, say) of 8 components each: 400 rows.
fn sale_of_fifty_baskets() -> SaleDraft {
    let mut cart = Cart::default();
    for basket in 0..50 {
        let components = (0..8).map(|i| component(basket * 8 + i + 1)).collect();
        let price = Money(800_000 + basket * 10_000);
        cart.add_basket(CartLine::basket(
            &format!("Giỏ quà {basket}"),
            "",
            components,
            price,
        ))
        .unwrap();
    }
    let tender = Tender {
        method: PaymentMethod::Transfer,
        amount: cart.totals().total,
        reference: None,
    };
    SaleDraft::new(&cart, vec![tender], "Lan").unwrap()
}

/// The sale's cash-register invoice, to a company buyer, as the store issues it.
fn invoice_of(sale: &SaleDraft, settings: &InvoiceSettings) -> EInvoice {
    let sale = sale.clone().with_buyer(Some(InvoiceBuyer::Company(Buyer {
        id: 0,
        name: "Công ty TNHH Du lịch Biển Xanh".into(),
        tax_code: "1701234569".into(),
        address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
        email: "ketoan@bienxanh.vn".into(),
        contact: "Trần Thị Mai".into(),
    })));
    EInvoice::of_sale(
        &sale,
        "2026-000123",
        Issue {
            numbers: InvoiceNumbers {
                template: 1,
                series: "C26MAA".into(),
                number: 123,
                authority_code: Some("M1-26-DEMO0-00000000123".into()),
            },
            at: Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap(),
            settings,
            phone: "0297 3862 555",
        },
    )
}

/// Fifty loose lines of different products and rates.
fn sale_of_fifty_lines() -> SaleDraft {
    let mut cart = Cart::default();
    for id in 1..=50 {
        let product = Product {
            id,
            sku: format!("KG{id:03}"),
            barcode: None,
            plu: None,
            name: format!("Đặc sản OCOP số {id} & quà <Tết>"),
            producer: "HTX Nông sản hữu cơ Rạch Giá".into(),
            ocop_group: "Thực phẩm".into(),
            stars: Some(4),
            unit: "hộp".into(),
            sold_by_weight: false,
            price: Money(35_000 + id * 7_000),
            vat: VatRate::allowed()[(id % 5) as usize],
            stock: Decimal::from(1000),
        };
        cart.add_product(&product, Decimal::from(1 + id % 3))
            .unwrap();
    }
    let tender = Tender {
        method: PaymentMethod::Cash,
        amount: cart.totals().total,
        reference: None,
    };
    SaleDraft::new(&cart, vec![tender], "Lan").unwrap()
}

fn invoice(c: &mut Criterion) {
    let settings = InvoiceSettings::demo();
    let sale = sale_of_fifty_baskets();
    let shop = ShopSettings::demo();
    let invoice = invoice_of(&sale, &settings);
    assert_eq!(invoice.lines.len(), 400);
    let options = InvoiceOptions { copy: false };
    println!(
        "A4 invoice copy for 50 baskets × 8 components: {} bytes",
        einvoice_pdf(&shop, &invoice, &options, None).len()
    );
    c.bench_function("invoice_50_baskets_8_components", |b| {
        b.iter(|| {
            let invoice = invoice_of(black_box(&sale), &settings);
            black_box(einvoice_pdf(&shop, &invoice, &options, None))
        })
    });
    let fifty = sale_of_fifty_lines();
    let invoice = invoice_of(&fifty, &settings);
    println!(
        "invoice XML for 50 lines: {} bytes",
        invoice_xml(&invoice).len()
    );
    c.bench_function("invoice_xml_50_lines", |b| {
        b.iter(|| black_box(invoice_xml(black_box(&invoice))))
    });
    c.bench_function("invoice_and_xml_50_lines", |b| {
        b.iter(|| black_box(invoice_xml(&invoice_of(black_box(&fifty), &settings))))
    });
}

criterion_group!(benches, invoice);
criterion_main!(benches);
