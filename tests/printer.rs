//! The thermal printer: the raster of a receipt, its ESC/POS bytes decoded back, and jobs
//! received by a fake network printer.

mod common;

use common::{demo_store, product, sell_for_exact_cash, shop_time};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::einvoice::InvoiceSettings;
use ocop_pos::core::sale::SaleRecord;
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::documents::Document;
use ocop_pos::print::escpos::{JobOptions, print_job};
use ocop_pos::print::{Raster, Roll};
use rust_decimal::Decimal;
use std::path::PathBuf;

/// A cash sale of the demo store: fish sauce, weighed mangoes and a second line.
fn demo_sale() -> SaleRecord {
    let (_dir, mut store) = demo_store();
    store
        .save_invoice_settings(&InvoiceSettings::demo())
        .unwrap();
    let mut cart = Cart::default();
    for (barcode, quantity) in [
        ("8930100000018", Decimal::from(2)),
        ("8930101000116", Decimal::ONE),
        ("8930100000063", Decimal::from(3)),
    ] {
        cart.add_product(&product(&store, barcode), quantity).unwrap();
    }
    sell_for_exact_cash(&mut store, &cart, shop_time()).unwrap()
}

/// The rows of every `GS v 0` band in a job, one under the other, as the printer prints them.
fn decode_raster(bytes: &[u8]) -> Raster {
    let mut rows = Vec::new();
    let mut width = None;
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at..].starts_with(&[0x1D, b'v', b'0']) {
            let header = &bytes[at + 3..at + 8];
            assert_eq!(header[0], 0, "normal-size raster");
            let x = u16::from_le_bytes([header[1], header[2]]) as usize;
            let y = u16::from_le_bytes([header[3], header[4]]) as usize;
            assert!(width.is_none_or(|w| w == x), "every band as wide");
            width = Some(x);
            rows.extend_from_slice(&bytes[at + 8..at + 8 + x * y]);
            at += 8 + x * y;
        } else {
            at += 1;
        }
    }
    let width = width.expect("a raster in the job");
    let height = (rows.len() / width) as u32;
    Raster::from_rows(width as u32 * 8, height, rows).unwrap()
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name)
}

#[test]
fn a_receipt_decoded_from_its_escpos_bytes_is_the_golden_image() {
    let sale = demo_sale();
    let document = Document::Receipt {
        sale: Box::new(sale),
        copy: false,
    };
    let raster = document
        .on_roll(&ShopSettings::demo(), Roll::of_dots(576))
        .expect("a receipt goes on a roll")
        .raster();
    assert_eq!(raster.width(), 576);
    let path = golden("receipt-576.pbm");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, raster.pbm()).unwrap();
    }
    let expected = Raster::from_pbm(&std::fs::read(&path).expect("the golden image")).unwrap();
    assert_eq!(raster, expected, "the rendering changed: look at it, then UPDATE_GOLDEN=1");

    let job = print_job(Some(&raster), JobOptions { cut: true, open_drawer: false });
    assert_eq!(decode_raster(&job), expected);
}
