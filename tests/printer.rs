//! The thermal printer: the raster of a receipt, its ESC/POS bytes decoded back, and jobs
//! received by a fake network printer.

mod common;

use common::printer::{count, fake_printer};
use common::{demo_store, product, sell_for_exact_cash, shop_time};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::einvoice::InvoiceSettings;
use ocop_pos::core::sale::SaleRecord;
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::documents::Document;
use ocop_pos::print::escpos::{DRAWER_PULSE, JobOptions, print_job};
use ocop_pos::print::{Raster, Roll};
use ocop_pos::printer::{PrintFailure, PrinterTarget, TIME_OUT, open_drawer, print_document, send};
use rust_decimal::Decimal;
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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
        cart.add_product(&product(&store, barcode), quantity)
            .unwrap();
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
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
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
    assert_eq!(
        raster, expected,
        "the rendering changed: look at it, then UPDATE_GOLDEN=1"
    );

    let job = print_job(
        Some(&raster),
        JobOptions {
            cut: true,
            open_drawer: false,
        },
    );
    assert_eq!(decode_raster(&job), expected);
}

const CUT: [u8; 4] = [0x1D, b'V', 66, 0];

fn shop_printing_to(printer: &str) -> ShopSettings {
    ShopSettings {
        printer: printer.to_string(),
        ..ShopSettings::demo()
    }
}

#[test]
fn a_network_printer_receives_the_whole_receipt_with_the_drawer_pulse_and_the_cut() {
    let (address, printer) = fake_printer(2, 0x12);
    let shop = shop_printing_to(&address);
    let receipt = Document::Receipt {
        sale: Box::new(demo_sale()),
        copy: false,
    };
    let path = std::env::temp_dir().join("unused.pdf");
    print_document(&receipt, &shop, &path).expect("printed");
    // A copy is printed without opening the drawer again.
    let Document::Receipt { sale, .. } = receipt.clone() else {
        unreachable!()
    };
    print_document(&Document::Receipt { sale, copy: true }, &shop, &path).expect("printed");
    let jobs = printer.join().unwrap();

    let expected = receipt.on_roll(&shop, Roll::of_dots(576)).unwrap().raster();
    assert_eq!(
        decode_raster(&jobs[0]),
        expected,
        "the whole picture arrived"
    );
    assert_eq!(count(&jobs[0], &DRAWER_PULSE), 1);
    assert!(jobs[0].ends_with(&CUT), "cut after the picture");
    assert_eq!(
        count(&jobs[1], &DRAWER_PULSE),
        0,
        "a copy leaves the drawer shut"
    );
    assert!(jobs[1].ends_with(&CUT));
}

#[test]
fn a_printer_out_of_paper_says_so() {
    let (address, printer) = fake_printer(1, 0x72);
    let shop = shop_printing_to(&address);
    let receipt = Document::Receipt {
        sale: Box::new(demo_sale()),
        copy: false,
    };
    let failure = print_document(&receipt, &shop, std::path::Path::new("x.pdf")).unwrap_err();
    assert!(
        matches!(failure, PrintFailure::PaperOut { .. }),
        "{failure:?}"
    );
    // Nothing of the receipt was sent to a printer that could not print it.
    assert!(printer.join().unwrap()[0].is_empty());
}

#[test]
fn a_printer_that_refuses_or_never_takes_the_job_fails_within_the_time_out() {
    // Nothing listens on the port: refused at once.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let target = PrinterTarget::parse(&format!("tcp://127.0.0.1:{port}")).unwrap();
    let started = Instant::now();
    let failure = send(&target, b"job").unwrap_err();
    assert!(
        matches!(failure, PrintFailure::Unreachable { .. }),
        "{failure:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(1));

    // A printer that accepts the connection, never answers and never reads: the job stops at
    // the time-out instead of hanging the till.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let target =
        PrinterTarget::parse(&format!("tcp://{}", listener.local_addr().unwrap())).unwrap();
    let stuck = std::thread::spawn(move || {
        let connection = listener.accept();
        std::thread::sleep(Duration::from_secs(5));
        drop(connection);
    });
    let big = vec![0u8; 64 << 20];
    let started = Instant::now();
    let failure = send(&target, &big).unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(failure, PrintFailure::TimedOut { .. }),
        "{failure:?}"
    );
    assert!(took <= TIME_OUT + Duration::from_millis(200), "{took:?}");
    stuck.join().unwrap();
}

#[test]
fn the_drawer_opens_only_through_a_thermal_printer_and_says_so_otherwise() {
    let mut shop = ShopSettings::demo();
    shop.printer = "pdf".into();
    assert_eq!(open_drawer(&shop), Err(PrintFailure::NoDrawer));

    // A printer with paper (status 0x12: nothing wrong).
    let (address, printer) = fake_printer(1, 0x12);
    shop.printer = address;
    open_drawer(&shop).unwrap();
    let jobs = printer.join().unwrap();
    assert_eq!(count(&jobs[0], &DRAWER_PULSE), 1);
}
