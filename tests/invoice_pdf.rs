//! The VAT invoice, the basket receipt and the gift slip, read back from their bytes the way a
//! buyer's PDF viewer would. Records are built by hand: printing never reads a store.
//!
//! Set `INVOICE_SAMPLE_DIR` to a folder to keep the PDFs the tests make, e.g. to render them.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::{assert_contains, flowing, pages_of, text_of};
use ocop_pos::core::cart::{Cart, CartLine, Component, Discount, allocate};
use ocop_pos::core::catalog::Product;
use ocop_pos::core::invoice::{Buyer, Cancellation, Invoice, InvoiceLine};
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::{SaleDraft, SaleInvoice, SaleRecord};
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::core::vat::{VatRate, vat_breakdown};
use ocop_pos::core::words::amount_in_words;
use ocop_pos::print::{InvoiceOptions, ReceiptOptions, gift_slip_pdf, invoice_pdf, receipt_pdf};
use rust_decimal::Decimal;

const ORIGINAL: InvoiceOptions = InvoiceOptions { copy: false };

/// Keeps a sample for looking at when `INVOICE_SAMPLE_DIR` is set.
fn keep_sample(name: &str, pdf: &[u8]) {
    if let Some(dir) = std::env::var_os("INVOICE_SAMPLE_DIR") {
        std::fs::write(std::path::Path::new(&dir).join(name), pdf).unwrap();
    }
}

fn rate(code: &str) -> VatRate {
    VatRate::from_code(code).unwrap()
}

/// 14/03/2026 09:05 in Vietnam.
fn issued_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 2, 5, 0).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Invoice

/// A row as bought: name, unit, quantity, VAT-inclusive amount, rate.
type Bought<'a> = (&'a str, &'a str, Decimal, i64, &'a str);

/// An invoice for `rows`, figured the way the store does: VAT split once per rate, then each
/// rate's amount before VAT spread over its rows, so rows add up to their rate exactly.
fn invoice(rows: &[Bought]) -> Invoice {
    let vat = vat_breakdown(
        rows.iter()
            .map(|&(.., gross, code)| (rate(code), Money(gross))),
    );
    let mut amounts = vec![Money::ZERO; rows.len()];
    for bucket in &vat {
        let of_rate: Vec<usize> = (0..rows.len())
            .filter(|&i| rate(rows[i].4) == bucket.rate)
            .collect();
        let weights: Vec<Money> = of_rate.iter().map(|&i| Money(rows[i].3)).collect();
        for (i, amount) in of_rate.into_iter().zip(allocate(bucket.pre_vat, &weights)) {
            amounts[i] = amount;
        }
    }
    let lines = rows
        .iter()
        .zip(amounts)
        .map(|(&(name, unit, quantity, _, code), amount)| InvoiceLine {
            name: name.into(),
            unit: unit.into(),
            quantity,
            unit_price: (amount.to_decimal() / quantity).round_dp(2),
            amount,
            vat: rate(code),
        })
        .collect();
    Invoice {
        id: 12,
        template_symbol: "1".into(),
        symbol: "C26TAA".into(),
        number: 12,
        issued_at: issued_at(),
        receipt_no: "HD2026-000042".into(),
        buyer: Buyer {
            id: 3,
            name: "Công ty TNHH Du lịch Biển Xanh Phú Quốc".into(),
            tax_code: "1701234569".into(),
            address: "12 Trần Hưng Đạo, đặc khu Phú Quốc, tỉnh An Giang".into(),
            email: "ketoan@bienxanh.vn".into(),
            contact: "Trần Thị Mai".into(),
        },
        lines,
        vat,
        payment_methods: vec![PaymentMethod::Cash, PaymentMethod::Transfer],
        issued_by: "Nguyễn Văn Lan".into(),
        replaces: None,
        cancellation: None,
    }
}

/// Processed food at 8 % (1.080.000 ₫ with VAT), dried seafood and weighed mangoes at 5 %
/// (630.000 ₫ with VAT): 1.600.000 ₫ before VAT, 110.000 ₫ VAT, 1.710.000 ₫ in all.
fn two_rate_invoice() -> Invoice {
    invoice(&[
        (
            "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm",
            "chai",
            Decimal::from(4),
            660_000,
            "8",
        ),
        (
            "Tiêu xay Phú Quốc Thanh Quốc",
            "hũ",
            Decimal::from(4),
            220_000,
            "8",
        ),
        (
            "Khóm sấy dẻo Tắc Cậu",
            "túi",
            Decimal::from(2),
            110_000,
            "8",
        ),
        (
            "Giỏ mây đan (bao bì giỏ quà)",
            "cái",
            Decimal::ONE,
            60_000,
            "8",
        ),
        ("Bánh tráng Mạnh Tài", "xấp", Decimal::ONE, 30_000, "8"),
        ("Tôm khô Anh Chọn", "túi", Decimal::ONE, 350_000, "5"),
        ("Khô cá sặc rằn", "túi", Decimal::ONE, 175_000, "5"),
        (
            "Xoài cát Hòa Lộc Hòn Đất",
            "kg",
            Decimal::new(15, 1),
            105_000,
            "5",
        ),
    ])
}

#[test]
fn an_invoice_shows_every_mandatory_field() {
    let shop = ShopSettings::demo();
    let invoice = two_rate_invoice();
    let pdf = invoice_pdf(&shop, &invoice, &ORIGINAL);
    keep_sample("invoice.pdf", &pdf);
    let text = text_of(&pdf);

    for expected in [
        "HÓA ĐƠN GIÁ TRỊ GIA TĂNG",
        "Mẫu số: 1",
        "Ký hiệu: C26TAA",
        "Số: 00000012",
        // 02:05 UTC is 09:05 in Vietnam.
        "Ngày 14 tháng 03 năm 2026",
        "09:05",
        "Đơn vị bán hàng:",
        &shop.shop_name,
        "Mã số thuế:",
        &shop.tax_code,
        &shop.address,
        &shop.phone,
        "Số tài khoản:",
        &shop.bank_account,
        "Họ tên người mua hàng:",
        "Trần Thị Mai",
        "Tên đơn vị:",
        "Công ty TNHH Du lịch Biển Xanh Phú Quốc",
        "1701234569",
        "12 Trần Hưng Đạo, đặc khu Phú Quốc, tỉnh An Giang",
        "Email:",
        "ketoan@bienxanh.vn",
        "Hình thức thanh toán:",
        "Tiền mặt/Chuyển khoản",
        "STT",
        "Tên hàng hóa, dịch vụ",
        "ĐVT",
        "Số lượng",
        "Đơn giá",
        "Thành tiền",
        "Thuế suất",
        "Cộng tiền hàng",
        "Tiền thuế GTGT",
        "Tổng cộng tiền thanh toán",
        "Người mua hàng",
        "Người bán hàng",
        "Nguyễn Văn Lan",
        "Trang 1/1",
    ] {
        assert_contains(&text, expected);
    }
    for line in &invoice.lines {
        for expected in [&line.name, &line.amount.to_string(), &line.vat.to_string()] {
            assert_contains(&text, expected);
        }
    }
    // Unit prices before VAT keep their hundredths, written the Vietnamese way.
    assert_contains(&text, "66.666,67 ₫");
    assert_contains(&text, "1,5");

    // The totals as the record has them, and what they should be.
    assert_eq!(invoice.total_before_vat(), Money(1_600_000));
    assert_eq!(invoice.total_vat(), Money(110_000));
    assert_eq!(invoice.total(), Money(1_710_000));
    for amount in [
        invoice.total_before_vat(),
        invoice.total_vat(),
        invoice.total(),
    ] {
        assert_contains(&text, &amount.to_string());
    }
    assert_contains(
        &flowing(&text),
        &format!(
            "Số tiền viết bằng chữ: {}",
            amount_in_words(invoice.total())
        ),
    );
    assert_eq!(
        amount_in_words(invoice.total()),
        "Một triệu bảy trăm mười nghìn đồng"
    );
    for absent in ["BẢN SAO", "ĐÃ HỦY", "Thay thế"] {
        assert!(!text.contains(absent), "{absent:?} in:\n{text}");
    }
}

#[test]
fn vat_is_totalled_per_rate() {
    let invoice = two_rate_invoice();
    let text = text_of(&invoice_pdf(&ShopSettings::demo(), &invoice, &ORIGINAL));
    // 8 %: 1.080.000 ₫ = 1.000.000 ₫ + 80.000 ₫; 5 %: 630.000 ₫ = 600.000 ₫ + 30.000 ₫.
    let expected = [
        ("8%", 1_000_000, 80_000, 1_080_000),
        ("5%", 600_000, 30_000, 630_000),
    ];
    assert_eq!(invoice.vat.len(), expected.len());
    for (code, pre_vat, vat, gross) in expected {
        let bucket = invoice
            .vat
            .iter()
            .find(|b| b.rate.to_string() == code)
            .unwrap();
        assert_eq!(
            (bucket.pre_vat, bucket.vat, bucket.gross),
            (Money(pre_vat), Money(vat), Money(gross))
        );
        let rows: Money = invoice
            .lines
            .iter()
            .filter(|line| line.vat == bucket.rate)
            .map(|line| line.amount)
            .sum();
        assert_eq!(rows, bucket.pre_vat, "rows of {code} add up to its rate");
        // The rate's row of the VAT table: rate, before VAT, VAT, with VAT on one line.
        let row = [code, &Money(pre_vat).to_string(), &Money(vat).to_string()].join(" ")
            + " "
            + &Money(gross).to_string();
        assert!(
            text.lines().any(|line| flowing(line) == row),
            "no row {row:?} in:\n{text}"
        );
    }
}

#[test]
fn a_reprint_is_the_same_invoice_marked_as_a_copy() {
    let shop = ShopSettings::demo();
    let invoice = two_rate_invoice();
    let original = invoice_pdf(&shop, &invoice, &ORIGINAL);
    assert_eq!(original, invoice_pdf(&shop, &invoice, &ORIGINAL));

    let copy_options = InvoiceOptions { copy: true };
    let copy = invoice_pdf(&shop, &invoice, &copy_options);
    keep_sample("invoice_copy.pdf", &copy);
    assert_eq!(copy, invoice_pdf(&shop, &invoice, &copy_options));
    let copy_text = text_of(&copy);
    assert_contains(&copy_text, "BẢN SAO");
    // Otherwise the same document: the same figures in the same words.
    let without_mark = |text: &str| flowing(&text.replace("BẢN SAO", "").replace(" - ", " "));
    assert_eq!(without_mark(&copy_text), without_mark(&text_of(&original)));
}

#[test]
fn a_cancelled_invoice_says_so_and_why_on_every_page() {
    let mut invoice = long_invoice();
    invoice.cancellation = Some(Cancellation {
        at: Utc.with_ymd_and_hms(2026, 3, 15, 1, 30, 0).unwrap(),
        reason: "Sai mã số thuế người mua".into(),
        by: "Quản lý Minh".into(),
    });
    let pdf = invoice_pdf(&ShopSettings::demo(), &invoice, &ORIGINAL);
    keep_sample("invoice_cancelled.pdf", &pdf);
    let text = text_of(&pdf);
    assert_contains(&text, "ĐÃ HỦY");
    assert_contains(&text, "Lý do hủy: Sai mã số thuế người mua");
    // 01:30 UTC is 08:30 in Vietnam.
    assert_contains(&text, "15/03/2026 08:30");
    assert_contains(&text, "Quản lý Minh");
    let pages = pages_of(&pdf);
    assert!(pages.len() > 1);
    for page in &pages {
        assert_contains(page, "ĐÃ HỦY");
    }
}

#[test]
fn a_replacement_names_the_invoice_it_replaces() {
    let mut invoice = two_rate_invoice();
    invoice.number = 13;
    invoice.replaces = Some("C26TAA-00000012".into());
    let pdf = invoice_pdf(&ShopSettings::demo(), &invoice, &ORIGINAL);
    keep_sample("invoice_replacement.pdf", &pdf);
    let text = text_of(&pdf);
    assert_contains(&text, "Thay thế cho hóa đơn C26TAA-00000012");
    assert_contains(&text, "Số: 00000013");
    assert!(!text.contains("ĐÃ HỦY"));
}

/// Fifty gift baskets of eight products each, listed product by product: 400 rows, the rates
/// alternating and one name long enough to wrap.
fn long_invoice() -> Invoice {
    let products: [(&str, &str, i64, &str); 8] = [
        (
            "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm chai thủy tinh 500ml (hàng quà tặng Tết)",
            "chai",
            165_000,
            "8",
        ),
        ("Tiêu xay Phú Quốc Thanh Quốc", "hũ", 55_000, "8"),
        ("Gạo Điền Tín ST25 lúa tôm", "túi", 185_000, "5"),
        ("Tôm khô Anh Chọn", "túi", 350_000, "5"),
        ("Mật ong rừng U Minh Thượng", "chai", 280_000, "5"),
        ("Khóm sấy dẻo Tắc Cậu", "túi", 55_000, "8"),
        ("Giỏ mây đan (bao bì giỏ quà)", "cái", 60_000, "8"),
        ("Hộp quà giấy kraft (bao bì giỏ quà)", "cái", 25_000, "8"),
    ];
    let names: Vec<String> = (1..=50)
        .flat_map(|basket| {
            products
                .iter()
                .map(move |(name, ..)| format!("{name} - giỏ {basket}"))
        })
        .collect();
    let rows: Vec<Bought> = names
        .iter()
        .zip(products.iter().cycle())
        .map(|(name, &(_, unit, price, code))| {
            (name.as_str(), unit, Decimal::from(3), 3 * price, code)
        })
        .collect();
    invoice(&rows)
}

#[test]
fn a_long_invoice_runs_over_pages_with_its_headings_on_each() {
    let invoice = long_invoice();
    assert_eq!(invoice.lines.len(), 400);
    let shop = ShopSettings::demo();
    let pdf = invoice_pdf(&shop, &invoice, &ORIGINAL);
    keep_sample("invoice_long.pdf", &pdf);
    assert_eq!(pdf, invoice_pdf(&shop, &invoice, &ORIGINAL));
    assert!(pdf.len() <= 400 * 1024, "invoice is {} bytes", pdf.len());

    let pages = pages_of(&pdf);
    let count = pages.len();
    assert!(count > 1, "400 rows on one page");
    for (index, page) in pages.iter().enumerate() {
        assert_contains(page, "Tên hàng hóa, dịch vụ");
        assert_contains(page, &format!("Trang {}/{count}", index + 1));
    }
    let text = text_of(&pdf);
    assert_contains(&text, "Hộp quà giấy kraft (bao bì giỏ quà) - giỏ 50");
    let last = pages.last().unwrap();
    assert_contains(last, &invoice.total().to_string());
    assert_contains(
        &flowing(last),
        &format!(
            "Số tiền viết bằng chữ: {}",
            amount_in_words(invoice.total())
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// Baskets on the receipt and the gift slip

fn product(
    id: i64,
    name: &str,
    producer: &str,
    stars: Option<u8>,
    unit: &str,
    price: i64,
    vat: &str,
) -> Product {
    Product {
        id,
        sku: format!("KG{id:03}"),
        barcode: None,
        plu: None,
        name: name.into(),
        producer: producer.into(),
        ocop_group: "Thực phẩm".into(),
        stars,
        unit: unit.into(),
        sold_by_weight: unit == "kg",
        price: Money(price),
        vat: rate(vat),
        stock: Decimal::from(100),
    }
}

/// The demo's Tết basket: seven products worth 1.150.000 ₫ on the shelf, sold at 1.100.000 ₫.
fn tet_basket() -> CartLine {
    let contents = [
        product(
            1,
            "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm",
            "CTCP Thương mại Khải Hoàn",
            Some(5),
            "chai 500ml",
            165_000,
            "8",
        ),
        product(
            6,
            "Tiêu xay Phú Quốc Thanh Quốc",
            "Công ty TNHH SX&KD nước mắm Thanh Quốc",
            Some(4),
            "hũ 100g",
            55_000,
            "8",
        ),
        product(
            11,
            "Gạo Điền Tín ST25 lúa tôm",
            "CTCP Điền Tín",
            Some(4),
            "túi 5kg",
            185_000,
            "5",
        ),
        product(
            16,
            "Tôm khô Anh Chọn",
            "Hộ kinh doanh Nguyễn Văn Chọn",
            Some(3),
            "túi 250g",
            350_000,
            "5",
        ),
        product(
            33,
            "Mật ong rừng U Minh Thượng",
            "Cơ sở mật ong Lê Tiến",
            Some(3),
            "chai 500ml",
            280_000,
            "5",
        ),
        product(
            36,
            "Khóm sấy dẻo Tắc Cậu",
            "HTX Khóm Tắc Cậu",
            Some(3),
            "túi 200g",
            55_000,
            "8",
        ),
        product(
            42,
            "Giỏ mây đan (bao bì giỏ quà)",
            "Cửa hàng (bao bì)",
            None,
            "cái",
            60_000,
            "8",
        ),
    ];
    let components = contents
        .iter()
        .map(|p| Component::from_product(p, Decimal::ONE))
        .collect();
    CartLine::basket(
        "Giỏ quà Tết OCOP 6 món",
        "GP001",
        components,
        Money(1_100_000),
    )
}

/// Two Tết baskets with 100.000 ₫ off them, and a bag of sedge as a loose item.
fn basket_sale() -> SaleRecord {
    let mut cart = Cart::default();
    let basket = cart.add_basket(tet_basket()).unwrap();
    cart.set_quantity(basket, Decimal::from(2)).unwrap();
    cart.set_line_discount(basket, Discount::Amount(Money(100_000)))
        .unwrap();
    let bag = product(
        37,
        "Túi xách cỏ bàng Phú Mỹ",
        "HTX Phụ nữ cỏ bàng Phú Mỹ",
        Some(4),
        "cái",
        250_000,
        "5",
    );
    cart.add_product(&bag, Decimal::ONE).unwrap();
    let total = cart.totals().total;
    let tenders = vec![Tender {
        method: PaymentMethod::Cash,
        amount: total,
        reference: None,
    }];
    SaleRecord {
        id: 43,
        receipt_no: "HD2026-000043".into(),
        sold_at: issued_at(),
        draft: SaleDraft::new(&cart, tenders, "Lan").unwrap(),
        // Sold before cash-register invoices: the receipt as it always was.
        invoice: SaleInvoice::Before,
        counter: None,
    }
}

#[test]
fn a_basket_is_one_line_on_the_receipt_with_its_contents_beneath() {
    let sale = basket_sale();
    assert_eq!(sale.draft.baskets.len(), 1);
    let pdf = receipt_pdf(
        &ShopSettings::demo(),
        &sale,
        &ReceiptOptions { copy: false },
    );
    keep_sample("receipt_basket.pdf", &pdf);
    let text = flowing(&text_of(&pdf));

    for expected in [
        "Giỏ quà Tết OCOP 6 món",
        "2 giỏ x 1.100.000 ₫",
        "2.200.000 ₫",
        "- Nước mắm Phú Quốc Khải Hoàn 38 độ đạm x 1 chai 500ml",
        "- Giỏ mây đan (bao bì giỏ quà) x 1 cái",
        // The shelf value shows the basket's discount openly.
        "Giá lẻ các món: 1.150.000 ₫/giỏ",
        "-100.000 ₫",
        // The loose item is printed as before.
        "Túi xách cỏ bàng Phú Mỹ ★★★★",
        "1 cái x 250.000 ₫",
        "TỔNG CỘNG",
    ] {
        assert_contains(&text, expected);
    }
    assert_eq!(sale.draft.total, Money(2_350_000));
    assert_contains(&text, &sale.draft.total.to_string());
    // Contents are not priced one by one.
    for price in ["165.000 ₫", "330.000 ₫", "185.000 ₫"] {
        assert!(!text.contains(price), "{price} priced in:\n{text}");
    }
    assert_eq!(text.matches("Tôm khô Anh Chọn").count(), 1);
}

#[test]
fn a_gift_slip_lists_the_gifts_and_their_makers_without_prices() {
    let shop = ShopSettings::demo();
    let sale = basket_sale();
    let pdf = gift_slip_pdf(&shop, &sale);
    keep_sample("gift_slip.pdf", &pdf);
    assert_eq!(pdf, gift_slip_pdf(&shop, &sale));
    let text = flowing(&text_of(&pdf));

    for expected in [
        "PHIẾU QUÀ TẶNG",
        &shop.shop_name,
        "Giỏ quà Tết OCOP 6 món x 2",
        "Mỗi giỏ gồm:",
        "Túi xách cỏ bàng Phú Mỹ ★★★★ x 1 cái",
        "HTX Phụ nữ cỏ bàng Phú Mỹ",
        &shop.receipt_footer,
    ] {
        assert_contains(&text, expected);
    }
    for line in &sale.draft.lines {
        assert_contains(&text, &line.name);
        assert_contains(&text, &line.producer);
    }
    assert_contains(&text, "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm ★★★★★");
    for price in ["₫", "1.100.000", "250.000", "165.000"] {
        assert!(!text.contains(price), "{price:?} in:\n{text}");
    }
}
