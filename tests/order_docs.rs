//! The documents of orders and accounts, read back from their PDFs: the order confirmation
//! with the deposit asked, the deposit's slip, each delivery's note with its invoice and what is
//! left, the day's packing list with components added up across orders, a company's statement.
//! Each depends only on its records: the same record prints the same bytes.
//! (Set `OCOP_PDF_OUT` to a folder to keep the PDFs for a look.)

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use common::{DEMO_PRODUCTS, assert_contains, flowing, shop_time, text_of};
use ocop_pos::core::customer::CreditTerms;
use ocop_pos::core::einvoice::InvoiceSettings;
use ocop_pos::core::invoice::Buyer;
use ocop_pos::core::money::Money;
use ocop_pos::core::order::{OrderDraft, OrderLine};
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::report::Period;
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::print::{
    account_statement_pdf, customer_payment_pdf, delivery_note_pdf, order_confirmation_pdf,
    packing_list_pdf,
};
use ocop_pos::store::Store;
use rust_decimal::Decimal;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(3, 0, 0)
        .unwrap()
        .and_utc()
}

fn keep(name: &str, pdf: &[u8]) {
    if let Ok(folder) = std::env::var("OCOP_PDF_OUT") {
        std::fs::write(std::path::Path::new(&folder).join(name), pdf).unwrap();
    }
}

#[test]
fn order_delivery_packing_and_statement_documents_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
    store
        .seed_demo_gift_packs(include_str!("../assets/demo_giftpacks.csv"), shop_time())
        .unwrap();
    store
        .save_invoice_settings(&InvoiceSettings::demo())
        .unwrap();
    let shop = ShopSettings::demo();
    store
        .save_buyer(
            &Buyer {
                id: 0,
                name: "Công ty TNHH Du lịch Biển Xanh".into(),
                tax_code: "0100233488".into(),
                address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
                email: String::new(),
                contact: "Chị Mai".into(),
            },
            shop_time(),
        )
        .unwrap();
    let company = store.company("0100233488", shop_time()).unwrap().unwrap();
    store
        .set_credit_terms(
            company.id,
            CreditTerms {
                limit: Money(50_000_000),
                days: 30,
            },
            "Hùng",
            shop_time(),
        )
        .unwrap();
    let packs = store.gift_packs(shop_time()).unwrap();
    let due = NaiveDate::from_ymd_opt(2027, 1, 20).unwrap();
    let mut big = OrderLine::basket(
        &packs[0].name,
        &packs[0].sku,
        Some(packs[0].id),
        &packs[0].components(),
        Decimal::from(30),
        Money(1_000_000),
        due,
    );
    big.card_message = "Kính chúc Quý khách năm mới An Khang Thịnh Vượng".into();
    let small = OrderLine::basket(
        &packs[1].name,
        &packs[1].sku,
        Some(packs[1].id),
        &packs[1].components(),
        Decimal::from(10),
        Money(250_000),
        due,
    );
    let order = store
        .create_order(
            &OrderDraft {
                customer_id: company.id,
                lines: vec![big, small],
                delivery_address: "Tầng 3, 12 Trần Hưng Đạo, Rạch Giá".into(),
                contact: "Nguyễn Thị Mai, 0912 345 678".into(),
                notes: "Giao trước 10 giờ".into(),
                deposit_asked: Money(9_750_000),
            },
            "Nguyễn Thị Lan",
            shop_time(),
        )
        .unwrap();
    let confirmation = order_confirmation_pdf(&shop, &order, shop_time());
    keep("xac-nhan-don.pdf", &confirmation);
    let text = flowing(&text_of(&confirmation));
    for expected in [
        "XÁC NHẬN ĐƠN ĐẶT HÀNG",
        "DH2026-AA-000001",
        "Công ty TNHH Du lịch Biển Xanh",
        "0100233488",
        "Giỏ quà Tết OCOP 6 món",
        "Nước mắm Phú Quốc Khải Hoàn",
        "Kính chúc Quý khách năm mới An Khang Thịnh Vượng",
        "20/01/2027",
        "32.500.000 ₫",
        "Ba mươi hai triệu năm trăm nghìn đồng",
        "Đề nghị đặt cọc:",
        "9.750.000 ₫",
    ] {
        assert_contains(&text, expected);
    }
    assert_eq!(
        confirmation,
        order_confirmation_pdf(&shop, &order, shop_time())
    );

    let deposit = store
        .take_deposit(
            order.id,
            PaymentMethod::Transfer,
            Money(9_750_000),
            "BIEN XANH COC DH2026-AA-000001",
            "Nguyễn Thị Lan",
            shop_time(),
        )
        .unwrap();
    let slip = customer_payment_pdf(&shop, &deposit);
    keep("phieu-coc.pdf", &slip);
    let text = flowing(&text_of(&slip));
    for expected in [
        "PHIẾU THU TIỀN ĐẶT CỌC",
        "DC2026-AA-000001",
        "DH2026-AA-000001",
        "Chuyển khoản",
        "9.750.000 ₫",
        "Chín triệu bảy trăm năm mươi nghìn đồng",
    ] {
        assert_contains(&text, expected);
    }

    let list = store
        .packing_list(NaiveDate::from_ymd_opt(2027, 1, 20).unwrap())
        .unwrap();
    let packing = packing_list_pdf(&shop, &list, at(2027, 1, 18));
    keep("soan-hang.pdf", &packing);
    let text = flowing(&text_of(&packing));
    assert_contains(&text, "DANH SÁCH SOẠN HÀNG");
    // Fish sauce is in both baskets? No: 30 in the big ones; pepper salt in the small only.
    let fish = list.items.iter().find(|i| i.sku == "KG001").unwrap();
    assert_eq!(fish.quantity, Decimal::from(30));
    let basket = list.items.iter().find(|i| i.sku == "KG042").unwrap();
    assert_eq!(basket.quantity, Decimal::from(30));
    for expected in [
        "KG001",
        "Giỏ mây đan",
        "DH2026-AA-000001",
        "Kính chúc Quý khách",
    ] {
        assert_contains(&text, expected);
    }

    let first = store
        .deliver_order(
            order.id,
            &[(0, Decimal::from(20)), (1, Decimal::from(10))],
            "Nguyễn Thị Mai",
            PaymentMethod::OnAccount,
            None,
            "Nguyễn Thị Lan",
            None,
            at(2027, 1, 18),
        )
        .unwrap();
    let note = delivery_note_pdf(&shop, &first);
    keep("phieu-giao-1.pdf", &note);
    let text = flowing(&text_of(&note));
    let invoice = first.sale.invoice.issued().unwrap().reference();
    for expected in [
        "PHIẾU GIAO HÀNG",
        "DH2026-AA-000001/1",
        "Người nhận hàng",
        "Nguyễn Thị Mai",
        invoice.as_str(),
        "Trừ tiền đặt cọc:",
        "9.750.000 ₫",
        "Ghi nợ (công nợ):",
        "12.750.000 ₫",
        "22.500.000 ₫",
    ] {
        assert_contains(&text, expected);
    }
    // Reprinted from the store, the note is the same file.
    let again = store.delivery(&order.number, 1).unwrap().unwrap();
    assert_eq!(delivery_note_pdf(&shop, &again), note);

    let second = store
        .deliver_order(
            order.id,
            &[(0, Decimal::from(10))],
            "Nguyễn Thị Mai",
            PaymentMethod::OnAccount,
            None,
            "Nguyễn Thị Lan",
            None,
            at(2027, 1, 20),
        )
        .unwrap();
    keep("phieu-giao-2.pdf", &delivery_note_pdf(&shop, &second));
    store
        .receive_account_payment(
            company.id,
            PaymentMethod::Transfer,
            Money(15_000_000),
            "BIEN XANH TT CONG NO",
            None,
            "Nguyễn Thị Lan",
            at(2027, 2, 5),
        )
        .unwrap();
    let statement = store
        .account_statement(
            company.id,
            Period {
                from: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
            },
        )
        .unwrap();
    let pdf = account_statement_pdf(&shop, &statement, at(2027, 3, 31));
    keep("doi-chieu-cong-no.pdf", &pdf);
    let text = flowing(&text_of(&pdf));
    for expected in [
        "BẢNG ĐỐI CHIẾU CÔNG NỢ",
        "Số dư đầu kỳ",
        "DC2026-AA-000001",
        "Đặt cọc đơn DH2026-AA-000001",
        invoice.as_str(),
        "PT2027-AA-000001",
        "Số dư cuối kỳ",
        "7.750.000 ₫",
        "Bảy triệu bảy trăm năm mươi nghìn đồng",
        "Quá hạn 31–60 ngày",
    ] {
        assert_contains(&text, expected);
    }
    assert_eq!(statement.closing(), Money(7_750_000));
}

/// A person's order, deposit and delivery, printed again after their data was erased on
/// request: the papers name "a customer whose data was erased", never their name, phone,
/// address, card message or the receiver.
#[test]
fn papers_printed_after_an_erasure_show_none_of_the_persons_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
    let shop = ShopSettings::demo();
    let person = store
        .save_person(
            &ocop_pos::core::customer::PersonDraft {
                name: "Lê Văn Bình".into(),
                phone: "0912 888 777".into(),
                id_number: "036204009999".into(),
                address: "88 Dương Đông, Phú Quốc".into(),
                notes: "Khách quen".into(),
                consent_given: true,
            },
            None,
            "Nguyễn Thị Lan",
            shop_time(),
        )
        .unwrap();
    let rice = store
        .product_by_barcode("8930101000123", shop_time())
        .unwrap()
        .unwrap();
    let mut line = OrderLine::product(
        &rice,
        Decimal::from(4),
        Money(180_000),
        shop_time().date_naive(),
    );
    line.card_message = "Tặng ông Bình".into();
    let order = store
        .create_order(
            &OrderDraft {
                customer_id: person.id,
                lines: vec![line],
                delivery_address: "88 Dương Đông, Phú Quốc".into(),
                contact: "Bình 0912 888 777".into(),
                notes: "Gọi trước khi giao".into(),
                deposit_asked: Money(200_000),
            },
            "Nguyễn Thị Lan",
            shop_time(),
        )
        .unwrap();
    let deposit = store
        .take_deposit(
            order.id,
            PaymentMethod::Cash,
            Money(200_000),
            "",
            "Nguyễn Thị Lan",
            shop_time(),
        )
        .unwrap();
    store
        .deliver_order(
            order.id,
            &[(0, Decimal::from(4))],
            "Trần Thị Cúc",
            PaymentMethod::Cash,
            None,
            "Nguyễn Thị Lan",
            None,
            shop_time(),
        )
        .unwrap();
    let before = flowing(&text_of(&order_confirmation_pdf(
        &shop,
        &store.order(&order.number).unwrap().unwrap(),
        shop_time(),
    )));
    assert_contains(&before, "Lê Văn Bình");
    store
        .erase_person(person.id, "Trần Văn Hùng", shop_time())
        .unwrap();

    let order = store.order(&order.number).unwrap().unwrap();
    let papers = [
        order_confirmation_pdf(&shop, &order, shop_time()),
        delivery_note_pdf(&shop, &store.delivery(&order.number, 1).unwrap().unwrap()),
        customer_payment_pdf(
            &shop,
            &store.customer_payment(&deposit.number).unwrap().unwrap(),
        ),
    ];
    for pdf in &papers {
        let text = flowing(&text_of(pdf));
        assert_contains(&text, "Khách hàng đã xóa dữ liệu");
        assert_contains(&text, &order.number);
        for personal in [
            "Bình",
            "0912",
            "888",
            "036204009999",
            "Dương Đông",
            "Khách quen",
            "Gọi trước",
            "Cúc",
        ] {
            assert!(!text.contains(personal), "{personal:?} printed:\n{text}");
        }
    }
}
