//! Speed goal of gift-pack invoices (BENCHMARKS.md): 50 baskets of 8 components.

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ocop_pos::core::cart::{Cart, CartLine, Component};
use ocop_pos::core::catalog::Product;
use ocop_pos::core::invoice::{Buyer, Invoice, invoice_lines};
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::core::vat::VatRate;
use ocop_pos::print::{InvoiceOptions, invoice_pdf};
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

fn invoice_of(sale: &SaleDraft) -> Invoice {
    Invoice {
        id: 1,
        template_symbol: "1".into(),
        symbol: "C26TAA".into(),
        number: 12,
        issued_at: Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap(),
        receipt_no: "2026-000123".into(),
        buyer: Buyer {
            id: 1,
            name: "Công ty TNHH Du lịch Biển Xanh".into(),
            tax_code: "1701234569".into(),
            address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
            email: "ketoan@bienxanh.vn".into(),
            contact: "Trần Thị Mai".into(),
        },
        lines: invoice_lines(sale),
        vat: sale.vat.clone(),
        payment_methods: vec![PaymentMethod::Transfer],
        issued_by: "Hùng".into(),
        replaces: None,
        cancellation: None,
    }
}

fn invoice(c: &mut Criterion) {
    let sale = sale_of_fifty_baskets();
    let shop = ShopSettings::demo();
    let invoice = invoice_of(&sale);
    assert_eq!(invoice.lines.len(), 400);
    println!(
        "invoice PDF for 50 baskets × 8 components: {} bytes",
        invoice_pdf(&shop, &invoice, &InvoiceOptions { copy: false }).len()
    );
    c.bench_function("invoice_50_baskets_8_components", |b| {
        b.iter(|| {
            let invoice = invoice_of(black_box(&sale));
            black_box(invoice_pdf(
                &shop,
                &invoice,
                &InvoiceOptions { copy: false },
            ))
        })
    });
}

criterion_group!(benches, invoice);
criterion_main!(benches);
