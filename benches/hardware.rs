//! Speed goals of the counter's printers (BENCHMARKS.md): a receipt's raster and its ESC/POS
//! bytes (goal < 10 ms), and an A4 PDF of 300 shelf labels (goal < 300 ms).

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ocop_pos::core::barcode::in_store_ean13;
use ocop_pos::core::cart::Cart;
use ocop_pos::core::catalog::Product;
use ocop_pos::core::einvoice::InvoiceSettings;
use ocop_pos::core::label::ShelfLabel;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::core::vat::VatRate;
use ocop_pos::documents::Document;
use ocop_pos::print::escpos::{JobOptions, print_job};
use ocop_pos::print::{Roll, label_sheets};
use ocop_pos::store::Store;
use rust_decimal::Decimal;
use std::hint::black_box;

fn product(id: i64) -> Product {
    Product {
        id,
        sku: format!("KG{id:03}"),
        barcode: Some(in_store_ean13(id as u64)),
        plu: None,
        name: format!("Đặc sản OCOP Rạch Giá số {id}, hộp quà"),
        producer: "HTX Nông sản hữu cơ Rạch Giá".into(),
        ocop_group: "Thực phẩm".into(),
        stars: Some(3 + (id % 3) as u8),
        unit: "hộp 500g".into(),
        sold_by_weight: false,
        price: Money(35_000 + id * 1_000),
        vat: VatRate::allowed()[2 + (id % 3) as usize],
        stock: Decimal::from(1000),
    }
}

fn printing(c: &mut Criterion) {
    // A committed five-line sale with its cash-register invoice and lookup QR.
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store
        .save_invoice_settings(&InvoiceSettings::demo())
        .unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap();
    let mut cart = Cart::default();
    for id in 1..=5 {
        cart.add_product(&product(id), Decimal::from(id)).unwrap();
    }
    let tender = Tender {
        method: PaymentMethod::Cash,
        amount: cart.totals().total,
        reference: None,
    };
    let draft = SaleDraft::new(&cart, vec![tender], "Lan").unwrap();
    let sale = store.commit_sale(&draft, at).unwrap();
    let shop = ShopSettings::demo();
    let receipt = Document::Receipt {
        sale: Box::new(sale),
        copy: false,
    };
    let options = JobOptions {
        cut: true,
        open_drawer: true,
    };
    c.bench_function("receipt raster and ESC/POS bytes, 5 lines, 576 dots", |b| {
        b.iter(|| {
            let laid_out = receipt.on_roll(&shop, Roll::of_dots(576)).unwrap();
            black_box(print_job(Some(&laid_out.raster()), options))
        })
    });

    let labels: Vec<ShelfLabel> = (1..=300).map(|id| ShelfLabel::of(&product(id))).collect();
    println!(
        "300 labels: {} bytes of PDF",
        label_sheets(&shop, &labels, at).pdf().len()
    );
    c.bench_function("A4 PDF of 300 shelf labels", |b| {
        b.iter(|| black_box(label_sheets(&shop, &labels, at).pdf()))
    });
}

criterion_group!(benches, printing);
criterion_main!(benches);
