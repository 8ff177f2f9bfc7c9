//! The inventory screen driven as a manager would, with iced_test, on a real SQLite file:
//! create a product, receive stock for it and see the new stock; count stock and post the
//! variance; change and retire a gift-pack template.

mod common;

use chrono::Utc;
use common::{CASHIER, MANAGER, sign_in, simulator, step};
use iced::keyboard::key::Named;
use iced_test::{Error, selector};
use ocop_pos::config::Config;
use ocop_pos::core::audit::AuditAct;
use ocop_pos::core::catalog::Product;
use ocop_pos::core::clock::local_year;
use ocop_pos::core::giftpack::PackPricing;
use ocop_pos::core::inventory::StockMovementKind;
use ocop_pos::core::money::Money;
use ocop_pos::core::staff::GatedAct;
use ocop_pos::i18n::Notice;
use ocop_pos::ui::checkout::SCAN_INPUT;
use ocop_pos::ui::inventory::{
    COUNT_SCAN_INPUT, Field, PACK_AMOUNT_INPUT, Panel, ProducerField, RECEIVING_SCAN_INPUT,
    ReceivingField, counted_input,
};
use ocop_pos::ui::{App, Message, Tab};
use rust_decimal::Decimal;

fn manager_on_inventory() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    let _ = app.update(Message::Show(Tab::Inventory));
    assert_eq!(app.tab(), Tab::Inventory);
    (dir, app)
}

/// Clicks a field, empties it, types `text` and, if asked, presses Enter.
fn type_into(
    app: &mut App,
    field: impl Into<String>,
    text: &str,
    enter: bool,
) -> Result<(), Error> {
    let field = field.into();
    step(app, |ui| {
        ui.click(selector::id(field))?;
        for _ in 0..12 {
            ui.tap_key(Named::Backspace);
        }
        ui.typewrite(text);
        if enter {
            ui.tap_key(Named::Enter);
        }
        Ok(())
    })
}

fn click(app: &mut App, label: &str) -> Result<(), Error> {
    step(app, |ui| {
        ui.click(label)?;
        Ok(())
    })
}

/// Opens a new product's form, fills `fields` and saves it.
fn add_product(app: &mut App, fields: &[(Field, &str)]) -> Result<(), Error> {
    click(app, "Thêm sản phẩm")?;
    for (field, value) in fields {
        type_into(app, field.id(), value, false)?;
    }
    click(app, "Lưu")
}

/// The product a barcode rings up at the counter now.
fn on_counter(app: &App, barcode: &str) -> Product {
    app.store()
        .unwrap()
        .product_by_barcode(barcode, Utc::now())
        .unwrap()
        .unwrap_or_else(|| panic!("{barcode} is on the counter"))
}

fn notice(app: &App) -> Notice {
    app.inventory()
        .and_then(|inventory| inventory.notice().cloned())
        .expect("a notice")
}

#[test]
fn create_a_product_receive_stock_for_it_and_see_the_new_stock() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    add_product(
        &mut app,
        &[
            (Field::Sku, "KG900"),
            (Field::Name, "Trà mãng cầu Tây Ninh"),
            (Field::Unit, "hộp 20 gói"),
            (Field::Group, "Đồ uống"),
            (Field::Price, "95000"),
            (Field::LowStock, "5"),
        ],
    )?;
    assert_eq!(notice(&app), Notice::ProductSaved("KG900".into()));
    assert!(
        simulator(&app).find("Đã lưu sản phẩm KG900.").is_ok(),
        "the notice is shown"
    );

    // Without a maker's barcode it got an in-store EAN-13 (prefix 2), and it sells at once.
    let store = app.store().unwrap();
    let product = store
        .catalogue(Utc::now())
        .unwrap()
        .into_iter()
        .find(|p| p.sku == "KG900")
        .expect("the new product is on the counter");
    let barcode = product.barcode.clone().expect("an in-store barcode");
    assert!(barcode.starts_with('2') && barcode.len() == 13, "{barcode}");
    assert_eq!(product.price, Money(95_000));
    assert_eq!(product.stock, Decimal::ZERO);

    // Receiving: scan it, 24 boxes at 60.000 đ, post.
    click(&mut app, "Nhập hàng")?;
    type_into(&mut app, RECEIVING_SCAN_INPUT, &barcode, true)?;
    type_into(&mut app, ReceivingField::Quantity.id(0), "24", false)?;
    type_into(&mut app, ReceivingField::Cost.id(0), "60000", false)?;
    type_into(&mut app, ReceivingField::Lot.id(0), "L2611", false)?;
    type_into(&mut app, ReceivingField::Expiry.id(0), "30/11/2027", false)?;
    assert!(
        simulator(&app).find("1.440.000 ₫").is_ok(),
        "the line's amount"
    );
    click(&mut app, "Ghi sổ nhập kho")?;
    let number = format!("PN{}-AA-000001", local_year(Utc::now()));
    assert_eq!(
        notice(&app),
        Notice::StockReceived {
            number: number.clone(),
            lines: 1
        }
    );
    let store = app.store().unwrap();
    assert_eq!(store.ledger_stock(product.id).unwrap(), Decimal::from(24));
    let note = store
        .receiving(&number)
        .unwrap()
        .expect("the note is stored");
    assert_eq!(note.lines[0].unit_cost, Money(60_000));
    assert_eq!(note.lines[0].lot, "L2611");
    assert_eq!(note.total_cost(), Money(1_440_000));
    // The posted note is listed, read-only, under the next one, to print again.
    assert!(simulator(&app).find(number.as_str()).is_ok());
    assert!(simulator(&app).find("In lại").is_ok());

    // The table shows the new stock.
    click(&mut app, "Sản phẩm")?;
    type_into(
        &mut app,
        ocop_pos::ui::inventory::SEARCH_INPUT,
        "tra mang cau",
        false,
    )?;
    let inventory = app.inventory().unwrap();
    let shown: Vec<_> = inventory
        .shown()
        .iter()
        .map(|&p| inventory.catalogue().list.row(p).clone())
        .collect();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].stock, Decimal::from(24));
    assert!(simulator(&app).find("Trà mãng cầu Tây Ninh").is_ok());
    // And the counter sells it without a restart.
    let _ = app.update(Message::Show(Tab::Checkout));
    type_into(&mut app, SCAN_INPUT, &barcode, true)?;
    let cart = app.checkout().unwrap().cart();
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.lines[0].sku, "KG900");
    Ok(())
}

#[test]
fn a_stock_count_with_a_variance_posts_the_correction() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    let fish = on_counter(&app, "8930100000018");
    let rice = on_counter(&app, "8930101000116");
    let (fish_before, rice_before) = (fish.stock, rice.stock);

    click(&mut app, "Kiểm kê")?;
    // Two fewer bottles of fish sauce on the shelf than the books say.
    let counted = fish_before - Decimal::from(2);
    type_into(
        &mut app,
        counted_input(&fish.sku),
        &counted.to_string(),
        false,
    )?;
    // The rice is counted by scanning: three bags.
    for _ in 0..3 {
        type_into(&mut app, COUNT_SCAN_INPUT, "8930101000116", true)?;
    }
    // -2 × 165.000 and (3 − stock) × 185.000 are shown before anything is posted.
    let rice_gap: i64 = (Decimal::from(3) - rice_before).try_into().unwrap();
    let value = Money(-2 * 165_000 + rice_gap * 185_000);
    let summary = format!("Đã đếm 2/42 sản phẩm (+0 chưa hiện) · Giá trị chênh lệch: {value}");
    assert!(simulator(&app).find(summary.as_str()).is_ok(), "{summary}");
    assert_eq!(
        app.store().unwrap().ledger_stock(fish.id).unwrap(),
        fish_before
    );

    // Posting cannot be undone: the first press asks, with how many products it corrects.
    click(&mut app, "Ghi sổ kiểm kê")?;
    assert_eq!(
        notice(&app),
        Notice::Office(ocop_pos::i18n::OfficeNotice::ConfirmPostCount { lines: 2 })
    );
    assert_eq!(
        app.store().unwrap().ledger_stock(fish.id).unwrap(),
        fish_before
    );
    click(&mut app, "Ghi sổ kiểm kê")?;
    assert_eq!(
        notice(&app),
        Notice::CountPosted {
            counted: 2,
            corrected: 2
        }
    );
    let store = app.store().unwrap();
    assert_eq!(store.ledger_stock(fish.id).unwrap(), counted);
    assert_eq!(store.ledger_stock(rice.id).unwrap(), Decimal::from(3));
    let last = store.stock_history(fish.id).unwrap().pop().unwrap();
    assert_eq!(last.kind, StockMovementKind::Count);
    assert_eq!(last.quantity, Decimal::from(-2));
    assert_eq!(last.by, MANAGER.0);
    assert!(store.stock_mismatches().unwrap().is_empty());
    Ok(())
}

#[test]
fn a_gift_pack_template_is_repriced_and_taken_off_the_counter() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    let now = Utc::now();
    let pack = app.store().unwrap().gift_packs(now).unwrap().remove(0);
    click(&mut app, "Giỏ quà mẫu")?;
    click(&mut app, &pack.name)?;
    type_into(&mut app, PACK_AMOUNT_INPUT, "777000", false)?;
    click(&mut app, "Lưu")?;
    assert_eq!(notice(&app), Notice::PackSaved(pack.sku.clone()));
    let store = app.store().unwrap();
    let repriced = store
        .gift_pack_by_barcode(&pack.barcode, now)
        .unwrap()
        .unwrap();
    assert_eq!(repriced.pricing, PackPricing::Fixed(Money(777_000)));
    assert_eq!(repriced.items.len(), pack.items.len());

    click(&mut app, "Ngừng bán")?;
    assert_eq!(notice(&app), Notice::PackDeactivated(pack.sku.clone()));
    let store = app.store().unwrap();
    assert!(
        store
            .gift_pack_by_barcode(&pack.barcode, now)
            .unwrap()
            .is_none()
    );
    Ok(())
}

#[test]
fn a_cashier_needs_a_manager_to_open_the_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    let _ = app.update(Message::Show(Tab::Inventory));
    assert_eq!(app.pending_approval(), Some(GatedAct::Inventory));
    assert_eq!(app.tab(), Tab::Checkout);
}

#[test]
fn a_csv_is_previewed_refused_line_by_line_then_imported() -> Result<(), Error> {
    use ocop_pos::ui::inventory::CsvMessage;
    let csv = |message| Message::Inventory(ocop_pos::ui::inventory::Message::Csv(message));
    let (dir, mut app) = manager_on_inventory();
    let producer = app.store().unwrap().producer_drafts().unwrap()[0]
        .1
        .name
        .clone();
    let header = ocop_pos::core::inventory::PRODUCT_COLUMNS.join(",");
    let good = format!("KG950,,Bánh pía Sóc Trăng,{producer},Thực phẩm,4,hộp,0,,85000,8,3");
    let file = dir.path().join("moi.csv");
    std::fs::write(
        &file,
        format!("\u{feff}{header}\n{good}\nKG951,,Bánh in,{producer},Thực phẩm,4,hộp,0,,0,8,3\n"),
    )
    .unwrap();
    click(&mut app, "Tệp CSV")?;
    step(&mut app, |ui| {
        ui.click(selector::id(ocop_pos::ui::inventory::CSV_PATH_INPUT))?;
        ui.typewrite(file.to_str().unwrap());
        Ok(())
    })?;
    // Enter in the path field checks the file, off the window's thread.
    let mut ui = simulator(&app);
    ui.click(selector::id(ocop_pos::ui::inventory::CSV_PATH_INPUT))?;
    ui.tap_key(Named::Enter);
    let mut window = common::window::Window::default();
    for message in ui.into_messages() {
        window.send_and_wait(&mut app, message);
    }
    // Line 3 has a price of 0: named, and the import button stays off.
    assert!(
        simulator(&app)
            .find("1 dòng sai, chưa nhập gì:\nDòng 3: Giá phải lớn hơn 0.")
            .is_ok()
    );
    // The import button is off: pressing it sends nothing.
    let mut ui = simulator(&app);
    ui.click("Nhập tệp đã xem")?;
    assert_eq!(ui.into_messages().count(), 0);

    std::fs::write(&file, format!("{header}\n{good}\n")).unwrap();
    window.send_and_wait(&mut app, csv(CsvMessage::Preview));
    assert!(simulator(&app).find("+ KG950").is_ok());
    // The import runs off the window's thread; the window harness waits for it to end.
    window.send_and_wait(&mut app, csv(CsvMessage::Import));
    let catalogue = app.store().unwrap().catalogue(Utc::now()).unwrap();
    let imported = catalogue
        .iter()
        .find(|p| p.sku == "KG950")
        .expect("imported");
    assert_eq!(imported.price, Money(85_000));
    assert_eq!(
        notice(&app),
        Notice::CatalogueImported {
            created: 1,
            changed: 0,
            unchanged: 0,
            dry_run: false
        }
    );
    Ok(())
}

#[test]
fn a_product_entered_by_mistake_is_deleted_but_a_sold_one_only_deactivated() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    add_product(
        &mut app,
        &[
            (Field::Sku, "KG901"),
            (Field::Name, "Nhập nhầm"),
            (Field::Unit, "cái"),
            (Field::Price, "1000"),
        ],
    )?;
    click(&mut app, "Xóa (nhập nhầm)")?;
    assert_eq!(notice(&app), Notice::ProductDeleted("KG901".into()));
    let rows = app.store().unwrap().product_rows(Utc::now()).unwrap();
    assert!(!rows.iter().any(|row| row.sku() == "KG901"));

    // The demo's fish sauce has stock history: it can only be taken off the counter.
    type_into(
        &mut app,
        ocop_pos::ui::inventory::SEARCH_INPUT,
        "KG001",
        false,
    )?;
    click(&mut app, "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm")?;
    click(&mut app, "Xóa (nhập nhầm)")?;
    assert_eq!(
        notice(&app),
        Notice::Inventory(ocop_pos::core::inventory::InventoryError::HasStockHistory)
    );
    // 48 bottles on hand: asked once, then taken off the counter.
    click(&mut app, "Ngừng bán")?;
    assert_eq!(
        notice(&app),
        Notice::Office(ocop_pos::i18n::OfficeNotice::ConfirmDeactivate {
            name: "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm".into(),
            stock: "48 chai 500ml".into(),
        })
    );
    let active = |app: &App| {
        let rows = app.store().unwrap().product_rows(Utc::now()).unwrap();
        rows.iter().find(|row| row.sku() == "KG001").unwrap().active
    };
    assert!(active(&app));
    click(&mut app, "Ngừng bán")?;
    assert!(!active(&app));
    assert!(
        app.store()
            .unwrap()
            .product_by_barcode("8930100000018", Utc::now())
            .unwrap()
            .is_none()
    );
    Ok(())
}

#[test]
fn selling_more_than_the_books_hold_warns_the_cashier_but_keeps_the_line() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    add_product(
        &mut app,
        &[
            (Field::Sku, "KG902"),
            (Field::Name, "Mắm cá linh Châu Đốc"),
            (Field::Unit, "hũ 500g"),
            (Field::Price, "70000"),
        ],
    )?;
    let rows = app.store().unwrap().product_rows(Utc::now()).unwrap();
    let barcode = rows
        .iter()
        .find(|row| row.sku() == "KG902")
        .unwrap()
        .barcode()
        .to_string();

    // Not received yet: stock 0. The shop's default is to warn, not to block.
    let _ = app.update(Message::Show(Tab::Checkout));
    type_into(&mut app, SCAN_INPUT, &barcode, true)?;
    let checkout = app.checkout().unwrap();
    assert_eq!(checkout.cart().lines.len(), 1);
    assert_eq!(
        checkout.notice(),
        Some(&Notice::StockShort(vec!["Mắm cá linh Châu Đốc".into()]))
    );
    Ok(())
}

#[test]
fn what_an_act_told_stays_while_the_table_scrolls() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    click(&mut app, "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm")?;
    click(&mut app, "Lưu")?;
    assert_eq!(notice(&app), Notice::ProductSaved("KG001".into()));
    // Scroll the table: its scrollable reports the new viewport, which is no act.
    let messages: Vec<Message> = {
        let mut ui = simulator(&app);
        ui.point_at(iced::Point::new(300.0, 400.0));
        let _ = ui.simulate([iced::Event::Mouse(iced::mouse::Event::WheelScrolled {
            delta: iced::mouse::ScrollDelta::Lines { x: 0.0, y: -3.0 },
        })]);
        ui.into_messages().collect()
    };
    assert!(format!("{messages:?}").contains("Scrolled"), "{messages:?}");
    for message in messages {
        let _ = app.update(message);
    }
    assert_eq!(notice(&app), Notice::ProductSaved("KG001".into()));
    Ok(())
}

#[test]
fn a_price_rise_is_scheduled_from_its_day_and_logged_with_who_made_it() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    click(&mut app, "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm")?;
    type_into(&mut app, Field::Price.id(), "175000", false)?;
    type_into(&mut app, Field::EffectiveFrom.id(), "01/01/2027", false)?;
    click(&mut app, "Lưu")?;
    assert_eq!(notice(&app), Notice::ProductSaved("KG001".into()));

    let store = app.store().unwrap();
    let price_at = |at| {
        store
            .product_by_barcode("8930100000018", at)
            .unwrap()
            .unwrap()
            .price
    };
    let new_year = ocop_pos::core::clock::start_of_local_day(
        chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
    );
    assert_eq!(price_at(Utc::now()), Money(165_000));
    assert_eq!(
        price_at(new_year - chrono::Duration::seconds(1)),
        Money(165_000)
    );
    assert_eq!(price_at(new_year), Money(175_000));
    assert!(
        simulator(&app)
            .find("01/01/2027 00:00 (sắp áp dụng) · 175.000 ₫")
            .is_ok()
    );

    let entries = store
        .audit_entries(&ocop_pos::store::AuditFilter {
            person: None,
            act: Some(AuditAct::ChangePrice),
            period: None,
        })
        .unwrap();
    let change = entries
        .iter()
        .find(|entry| entry.subject == "KG001")
        .expect("the change is in the audit log");
    assert_eq!(change.actor, MANAGER.0);
    // As they would have been from that moment, when the demo's 8 % has become 10 %.
    assert_eq!(change.before, "165.000 ₫ · 10%");
    assert_eq!(change.after, "175.000 ₫ · 10% (01/01/2027 00:00)");
    Ok(())
}

#[test]
fn typing_a_name_lists_the_matching_products_to_pick_from() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    click(&mut app, "Nhập hàng")?;
    step(&mut app, |ui| {
        ui.click(selector::id(RECEIVING_SCAN_INPUT))?;
        ui.typewrite("gao dien tin");
        Ok(())
    })?;
    // Two rices of the same maker: both listed, nothing added yet.
    for listed in [
        "KG011 · Gạo Điền Tín ST25 lúa tôm · CTCP Điền Tín · 100 túi 5kg",
        "KG012 · Gạo hương sữa Điền Tín R20 · CTCP Điền Tín · 80 túi 5kg",
    ] {
        assert!(simulator(&app).find(listed).is_ok(), "{listed}");
    }
    assert!(simulator(&app).find("Tổng tiền nhập: 0 ₫").is_ok());
    click(
        &mut app,
        "KG012 · Gạo hương sữa Điền Tín R20 · CTCP Điền Tín · 80 túi 5kg",
    )?;
    type_into(&mut app, ReceivingField::Cost.id(0), "95000", false)?;
    click(&mut app, "Ghi sổ nhập kho")?;
    assert_eq!(on_counter(&app, "8930101000123").stock, Decimal::from(81));
    Ok(())
}

#[test]
fn a_bad_cost_is_named_and_the_delivery_stays_on_screen_unposted() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    click(&mut app, "Nhập hàng")?;
    type_into(&mut app, RECEIVING_SCAN_INPUT, "8930100000018", true)?;
    type_into(&mut app, ReceivingField::Cost.id(0), "12O000", false)?;
    click(&mut app, "Ghi sổ nhập kho")?;
    assert_eq!(
        notice(&app),
        Notice::BadLineValue {
            sku: "KG001".into(),
            field: ocop_pos::i18n::Label::InvUnitCost,
            text: "12O000".into()
        }
    );
    let fish = |app: &App| on_counter(app, "8930100000018").stock;
    assert_eq!(fish(&app), Decimal::from(48));
    // The line is still there: fix the cost and post.
    type_into(&mut app, ReceivingField::Cost.id(0), "120000", false)?;
    click(&mut app, "Ghi sổ nhập kho")?;
    assert_eq!(fish(&app), Decimal::from(49));
    Ok(())
}

#[test]
fn an_expired_certificate_is_stored_and_flagged_among_the_alerts() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    click(&mut app, "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm")?;
    // The certificate is further down the form: scroll it, as a manager would (a scroll
    // lasts one step of the simulator, so the typing happens in the same step).
    step(&mut app, |ui| {
        ui.point_at(iced::Point::new(1100.0, 500.0));
        let _ = ui.simulate([iced::Event::Mouse(iced::mouse::Event::WheelScrolled {
            delta: iced::mouse::ScrollDelta::Lines { x: 0.0, y: -5.0 },
        })]);
        for (field, value) in [
            (Field::CertificateNumber, "1234/QĐ-UBND"),
            (Field::CertificateIssuer, "UBND tỉnh Kiên Giang"),
            (Field::CertificateIssued, "10/12/2023"),
        ] {
            ui.click(selector::id(field.id()))?;
            ui.typewrite(value);
        }
        Ok(())
    })?;
    click(&mut app, "Lưu")?;
    assert_eq!(notice(&app), Notice::ProductSaved("KG001".into()));
    let fish = on_counter(&app, "8930100000018");
    let store = app.store().unwrap();
    let certificate = store.certificate(fish.id).unwrap().expect("stored");
    // No stars picked for the certificate: the product's own (5) are taken.
    assert_eq!(certificate.stars, 5);
    assert_eq!(certificate.expires_on().to_string(), "2026-12-10");

    // Issued 10/12/2023, it holds until 9/12/2026: within the 90 days flagged.
    click(&mut app, "Cảnh báo")?;
    assert!(simulator(&app).find("1234/QĐ-UBND").is_ok());
    assert!(simulator(&app).find("10/12/2026").is_ok());
    Ok(())
}

#[test]
fn a_producer_with_a_bad_tax_code_is_refused_then_saved() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    click(&mut app, "Nhà sản xuất")?;
    click(&mut app, "Thêm nhà sản xuất")?;
    for (field, value) in [
        (ProducerField::Name, "HTX Nông nghiệp Mỹ Khánh"),
        (ProducerField::Commune, "Xã Mỹ Khánh"),
        (ProducerField::Province, "Cần Thơ"),
        (ProducerField::TaxCode, "18001234"),
    ] {
        type_into(&mut app, field.id(), value, false)?;
    }
    click(&mut app, "Lưu")?;
    assert_eq!(
        notice(&app),
        Notice::Inventory(ocop_pos::core::inventory::InventoryError::BadTaxCode(
            "18001234".into()
        ))
    );
    assert!(
        simulator(&app)
            .find("Mã số thuế 18001234 sai: 10 chữ số, hoặc 10 chữ số-3 chữ số.")
            .is_ok()
    );
    type_into(&mut app, ProducerField::TaxCode.id(), "1800123450", true)?;
    assert_eq!(
        notice(&app),
        Notice::ProducerSaved("HTX Nông nghiệp Mỹ Khánh".into())
    );
    let producers = app.store().unwrap().producer_drafts().unwrap();
    let saved = producers
        .iter()
        .find(|(_, p)| p.name == "HTX Nông nghiệp Mỹ Khánh")
        .expect("saved");
    assert_eq!(saved.1.tax_code, "1800123450");
    assert_eq!(saved.1.province, "Cần Thơ");
    Ok(())
}

#[test]
fn a_count_in_progress_survives_a_trip_to_the_counter_and_a_careless_restart() -> Result<(), Error>
{
    let (_dir, mut app) = manager_on_inventory();
    click(&mut app, "Kiểm kê")?;
    type_into(&mut app, counted_input("KG001"), "40", false)?;
    // A customer at the counter: sell there, then come back to the count.
    let _ = app.update(Message::Show(Tab::Checkout));
    type_into(&mut app, SCAN_INPUT, "8930100000025", true)?;
    let _ = app.update(Message::Command(ocop_pos::ui::keys::Command::ExactCash));
    let _ = app.update(Message::Show(Tab::Inventory));
    assert_eq!(app.inventory().unwrap().panel(), Panel::Count);

    // "Start a new count" over counts not posted only warns; the count stays.
    click(&mut app, "Bắt đầu kiểm kê mới")?;
    assert_eq!(notice(&app), Notice::CountNotPosted);
    click(&mut app, "Ghi sổ kiểm kê")?;
    click(&mut app, "Ghi sổ kiểm kê")?;
    assert_eq!(
        notice(&app),
        Notice::CountPosted {
            counted: 1,
            corrected: 1
        }
    );
    let stock = |code| on_counter(&app, code).stock;
    assert_eq!(stock("8930100000018"), Decimal::from(40));
    // The sale in between counted: one bottle of the 40° fewer.
    assert_eq!(stock("8930100000025"), Decimal::from(59));

    // Pressed twice in a row, Start does drop what was typed.
    click(&mut app, "Bắt đầu kiểm kê mới")?;
    type_into(&mut app, counted_input("KG002"), "1", false)?;
    click(&mut app, "Bắt đầu kiểm kê mới")?;
    click(&mut app, "Bắt đầu kiểm kê mới")?;
    click(&mut app, "Ghi sổ kiểm kê")?;
    assert_eq!(notice(&app), Notice::NothingToPost);
    Ok(())
}

#[test]
fn a_listed_match_picks_its_own_product_after_the_table_is_read_again() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    click(&mut app, "Nhập hàng")?;
    step(&mut app, |ui| {
        ui.click(selector::id(RECEIVING_SCAN_INPUT))?;
        ui.typewrite("gao huong sua");
        Ok(())
    })?;
    // Meanwhile a product that sorts first is added: every row moves down one place.
    click(&mut app, "Sản phẩm")?;
    add_product(
        &mut app,
        &[
            (Field::Sku, "AA001"),
            (Field::Name, "Bánh phồng tôm Năm Căn"),
            (Field::Unit, "gói"),
            (Field::Price, "40000"),
        ],
    )?;
    click(&mut app, "Nhập hàng")?;
    click(
        &mut app,
        "KG012 · Gạo hương sữa Điền Tín R20 · CTCP Điền Tín · 80 túi 5kg",
    )?;
    type_into(&mut app, ReceivingField::Cost.id(0), "95000", false)?;
    click(&mut app, "Ghi sổ nhập kho")?;
    let stock = |code| on_counter(&app, code).stock;
    assert_eq!(stock("8930101000123"), Decimal::from(81), "KG012 received");
    assert_eq!(
        stock("8930101000116"),
        Decimal::from(100),
        "KG011 untouched"
    );
    Ok(())
}

#[test]
fn a_form_with_half_a_certificate_saves_nothing_at_all() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    click(&mut app, "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm")?;
    type_into(&mut app, Field::Price.id(), "170000", false)?;
    // The issuer is left out: the whole certificate is refused, and with it the new price.
    // The certificate is below the fold: scroll and type in the same step.
    step(&mut app, |ui| {
        ui.point_at(iced::Point::new(1100.0, 500.0));
        let _ = ui.simulate([iced::Event::Mouse(iced::mouse::Event::WheelScrolled {
            delta: iced::mouse::ScrollDelta::Lines { x: 0.0, y: -5.0 },
        })]);
        for (field, value) in [
            (Field::CertificateNumber, "77/QĐ-UBND"),
            (Field::CertificateIssued, "01/03/2025"),
        ] {
            ui.click(selector::id(field.id()))?;
            ui.typewrite(value);
        }
        Ok(())
    })?;
    assert!(
        simulator(&app).find("01/03/2025").is_ok(),
        "the issue date is typed"
    );
    click(&mut app, "Lưu")?;
    assert_eq!(
        notice(&app),
        Notice::Inventory(ocop_pos::core::inventory::InventoryError::CertificateIncomplete)
    );
    let fish = on_counter(&app, "8930100000018");
    let store = app.store().unwrap();
    assert_eq!(fish.price, Money(165_000), "the price is not half-saved");
    assert!(store.certificate(fish.id).unwrap().is_none());
    Ok(())
}

#[test]
fn a_count_line_follows_a_sale_made_while_the_count_was_open() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    click(&mut app, "Kiểm kê")?;
    type_into(&mut app, counted_input("KG001"), "40", false)?;
    // 48 expected: -8 × 165.000.
    let summary =
        |value: &str| format!("Đã đếm 1/42 sản phẩm (+0 chưa hiện) · Giá trị chênh lệch: {value}");
    assert!(
        simulator(&app)
            .find(summary("-1.320.000 ₫").as_str())
            .is_ok()
    );
    let _ = app.update(Message::Show(Tab::Checkout));
    type_into(&mut app, SCAN_INPUT, "8930100000018", true)?;
    let _ = app.update(Message::Command(ocop_pos::ui::keys::Command::ExactCash));
    let _ = app.update(Message::Show(Tab::Inventory));
    // One sold: 47 expected now, -7 × 165.000, as the posted correction will be.
    assert!(
        simulator(&app)
            .find(summary("-1.155.000 ₫").as_str())
            .is_ok()
    );
    click(&mut app, "Ghi sổ kiểm kê")?;
    click(&mut app, "Ghi sổ kiểm kê")?;
    let fish = on_counter(&app, "8930100000018");
    let store = app.store().unwrap();
    let last = store.stock_history(fish.id).unwrap().pop().unwrap();
    assert_eq!(last.quantity, Decimal::from(-7));
    Ok(())
}

#[test]
fn a_delivery_with_another_producers_product_asks_once_before_posting() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    click(&mut app, "Nhập hàng")?;
    // Fish sauce names the producer (Khải Hoàn); the rice is Điền Tín's.
    type_into(&mut app, RECEIVING_SCAN_INPUT, "8930100000018", true)?;
    type_into(&mut app, RECEIVING_SCAN_INPUT, "8930101000116", true)?;
    type_into(&mut app, ReceivingField::Cost.id(0), "120000", false)?;
    type_into(&mut app, ReceivingField::Cost.id(1), "150000", false)?;
    click(&mut app, "Ghi sổ nhập kho")?;
    assert_eq!(
        notice(&app),
        Notice::Office(ocop_pos::i18n::OfficeNotice::ConfirmOtherProducers {
            producer: "CTCP Thương mại Khải Hoàn".into(),
            others: vec!["KG011 (CTCP Điền Tín)".into()],
        })
    );
    let rice = |app: &App| on_counter(app, "8930101000116").stock;
    assert_eq!(rice(&app), Decimal::from(100));
    // A change to the note asks again; then the second press posts.
    type_into(&mut app, ReceivingField::Quantity.id(1), "2", false)?;
    click(&mut app, "Ghi sổ nhập kho")?;
    assert_eq!(rice(&app), Decimal::from(100));
    click(&mut app, "Ghi sổ nhập kho")?;
    assert_eq!(rice(&app), Decimal::from(102));
    let number = format!("PN{}-AA-000001", local_year(Utc::now()));
    let note = app.store().unwrap().receiving(&number).unwrap().unwrap();
    assert_eq!(note.lines[1].producer, "CTCP Điền Tín");
    Ok(())
}

#[test]
fn thousands_of_low_stock_products_are_listed_without_building_every_row() -> Result<(), Error> {
    let (dir, app) = manager_on_inventory();
    drop(app);
    {
        // A migrated catalogue: every product at 0, each with a threshold.
        let mut store = ocop_pos::store::Store::open_in(dir.path()).unwrap();
        let header = "sku,barcodes,name,producer,ocop_group,ocop_stars,unit,sold_by_weight,plu,price_vnd,vat_rate,low_stock";
        let rows: String = (0..2_000)
            .map(|n| format!("KH{n:04},,Khô cá {n},CTCP Điền Tín,Thực phẩm,,gói,0,,90000,8,5\n"))
            .collect();
        store
            .import_products(
                &format!("{header}\n{rows}"),
                ocop_pos::store::ImportMode::Commit,
                Utc::now(),
                "Hùng",
                &mut |_, _| {},
            )
            .unwrap();
    }
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    let _ = app.update(Message::Show(Tab::Inventory));
    click(&mut app, "Cảnh báo")?;
    let mut ui = simulator(&app);
    assert!(ui.find("Sắp hết hàng (2000)").is_ok());
    assert!(ui.find("KH0000").is_ok(), "the first rows are built");
    assert!(ui.find("KH1999").is_err(), "rows out of view are not");
    drop(ui);
    // Ten of the first received by hand: it leaves the list, which is not read again whole.
    let first = app
        .store()
        .unwrap()
        .product_rows(Utc::now())
        .unwrap()
        .into_iter()
        .find(|row| row.sku() == "KH0000")
        .unwrap()
        .product_id;
    use ocop_pos::ui::inventory::{Message as Inv, ProductsMessage as Products};
    for message in [
        Products::Select(first),
        Products::Edit(Field::AdjustQuantity, "10".into()),
        Products::Reason(ocop_pos::core::inventory::AdjustmentReason::Correction),
        Products::Adjust,
    ] {
        let _ = app.update(Message::Inventory(Inv::Products(message)));
    }
    let _ = app.update(Message::Inventory(Inv::Show(Panel::Alerts)));
    assert!(simulator(&app).find("Sắp hết hàng (1999)").is_ok());
    assert!(simulator(&app).find("KH0000").is_err());
    Ok(())
}

#[test]
fn a_form_shows_every_fault_at_once_each_under_its_field() -> Result<(), Error> {
    let (_dir, mut app) = manager_on_inventory();
    let count = app.store().unwrap().product_count().unwrap();
    click(&mut app, "Thêm sản phẩm")?;
    type_into(&mut app, Field::Price.id(), "12O00", false)?;
    click(&mut app, "Lưu")?;
    assert_eq!(
        notice(&app),
        Notice::Office(ocop_pos::i18n::OfficeNotice::FormFaults(4))
    );
    for fault in [
        "Sản phẩm cần mã (SKU).",
        "Cần có tên.",
        "Cần có đơn vị tính.",
    ] {
        assert!(simulator(&app).find(fault).is_ok(), "{fault}");
    }
    assert_eq!(app.store().unwrap().product_count().unwrap(), count);
    // Fixing a field takes its fault away at once.
    type_into(&mut app, Field::Name.id(), "Bánh pía", false)?;
    assert!(simulator(&app).find("Cần có tên.").is_err());
    assert!(simulator(&app).find("Cần có đơn vị tính.").is_ok());
    Ok(())
}

#[test]
fn a_file_chosen_in_the_dialog_is_previewed_at_once() -> Result<(), Error> {
    let (dir, mut app) = manager_on_inventory();
    let producer = app.store().unwrap().producer_drafts().unwrap()[0]
        .1
        .name
        .clone();
    let header = ocop_pos::core::inventory::PRODUCT_COLUMNS.join(",");
    let file = dir.path().join("chon.csv");
    std::fs::write(
        &file,
        format!("{header}\nKG960,,Bánh tét,{producer},Thực phẩm,,đòn,0,,60000,8,3\n"),
    )
    .unwrap();
    click(&mut app, "Tệp CSV")?;
    // The button asks the window for the system's dialog; what it gives comes back as a path.
    let mut ui = simulator(&app);
    ui.click("Chọn tệp…")?;
    assert!(ui.into_messages().any(|m| matches!(
        m,
        Message::Inventory(ocop_pos::ui::inventory::Message::Csv(
            ocop_pos::ui::inventory::CsvMessage::Browse
        ))
    )));
    common::window::Window::default().send_and_wait(
        &mut app,
        Message::Inventory(ocop_pos::ui::inventory::Message::Csv(
            ocop_pos::ui::inventory::CsvMessage::Picked(Some(file.display().to_string())),
        )),
    );
    assert!(simulator(&app).find("+ KG960").is_ok());
    Ok(())
}

#[test]
fn a_producer_import_runs_off_the_window_thread_with_its_progress_and_stop() {
    let (dir, mut app) = manager_on_inventory();
    let (_, first) = app.store().unwrap().producer_drafts().unwrap()[0].clone();
    let producers_file = |name: &str| {
        let file = dir.path().join(format!("{name}.csv"));
        let new = ocop_pos::core::inventory::ProducerDraft {
            name: name.into(),
            ..first.clone()
        };
        std::fs::write(&file, ocop_pos::documents::producers_csv(&[new])).unwrap();
        file.display().to_string()
    };
    let csv = |message| Message::Inventory(ocop_pos::ui::inventory::Message::Csv(message));
    let previewed = |app: &mut App, file: String| {
        use ocop_pos::ui::inventory::{CsvMessage, CsvSheet};
        let _ = app.update(Message::Inventory(ocop_pos::ui::inventory::Message::Show(
            Panel::Csv,
        )));
        for message in [
            CsvMessage::Sheet(CsvSheet::Producers),
            CsvMessage::Path(file),
        ] {
            let _ = app.update(csv(message));
        }
        common::window::Window::default().send_and_wait(app, csv(CsvMessage::Preview));
    };
    let known = |app: &App, name: &str| {
        let producers = app.store().unwrap().producer_drafts().unwrap();
        producers.iter().any(|(_, producer)| producer.name == name)
    };

    // Run to its end by the window harness, as the runtime runs it.
    previewed(&mut app, producers_file("HTX Mới Một"));
    common::window::Window::default()
        .send_and_wait(&mut app, csv(ocop_pos::ui::inventory::CsvMessage::Import));
    assert!(known(&app, "HTX Mới Một"));
    assert_eq!(
        notice(&app),
        Notice::CatalogueImported {
            created: 1,
            changed: 0,
            unchanged: 0,
            dry_run: false
        }
    );

    // The update alone imports nothing: the work is handed to another thread, and meanwhile
    // the panel shows its progress and the button that stops it.
    previewed(&mut app, producers_file("HTX Mới Hai"));
    let _ = app.update(csv(ocop_pos::ui::inventory::CsvMessage::Import));
    assert!(!known(&app, "HTX Mới Hai"));
    let mut ui = simulator(&app);
    assert!(ui.find("Đang nhập tệp… 0 / 1").is_ok());
    assert!(ui.find("Dừng nhập (không giữ gì)").is_ok());
}

/// Signs the manager in and gives what the sign-in started (the window's runtime would run it).
fn manager_signed_in_keeping_tasks(dir: &std::path::Path) -> (App, iced::Task<Message>) {
    use ocop_pos::ui::sign_in::Message as Pad;
    let mut app = App::new(&Config::new(Some(dir.to_path_buf()), true));
    let staff = app.store().unwrap().staff().unwrap();
    let manager = staff.iter().position(|m| m.name == MANAGER.0).unwrap();
    let _ = app.update(Message::Pad(Pad::Pick(manager)));
    let _ = app.update(Message::Pad(Pad::PinChanged(MANAGER.1.into())));
    let started = app.update(Message::Pad(Pad::Submit));
    assert!(app.staff().is_some());
    (app, started)
}

#[test]
fn kho_opens_on_the_catalogue_read_at_sign_in_caught_up_with_what_changed_since() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, started) = manager_signed_in_keeping_tasks(dir.path());
    for message in common::tasks::finished(started) {
        let _ = app.update(message);
    }
    // Meanwhile (another till, a sale): 5 bottles of KG001 leave the shelf.
    let fish_sauce = on_counter(&app, "8930100000018");
    ocop_pos::store::Store::open_in(dir.path())
        .unwrap()
        .adjust_stock(
            fish_sauce.id,
            Decimal::from(-5),
            ocop_pos::core::inventory::AdjustmentReason::Damaged,
            "",
            Utc::now(),
            "Hùng",
        )
        .unwrap();
    let _ = app.update(Message::Show(Tab::Inventory));
    let inventory = app.inventory().expect("the screen opened at once");
    let list = &inventory.catalogue().list;
    let row = list.row(list.position_of(fish_sauce.id).unwrap());
    assert_eq!(row.stock, fish_sauce.stock - Decimal::from(5));
    assert_eq!(
        inventory.shown().len(),
        app.store().unwrap().catalogue(Utc::now()).unwrap().len()
    );
}

#[test]
fn kho_says_it_is_loading_until_the_catalogue_read_at_sign_in_comes() {
    use iced_test::futures::futures::{FutureExt, StreamExt};
    use iced_test::runtime::{Action, task};
    let dir = tempfile::tempdir().unwrap();
    let (mut app, started) = manager_signed_in_keeping_tasks(dir.path());
    // The runtime runs the task at once: the catalogue is being read on another thread.
    let mut stream = task::into_stream(started).expect("work to run");
    let mut arrived = Vec::new();
    while let Some(Some(action)) = stream.next().now_or_never() {
        arrived.push(action);
    }
    let _ = app.update(Message::Show(Tab::Inventory));
    assert_eq!(app.tab(), Tab::Inventory);
    assert!(app.inventory().is_none());
    assert!(simulator(&app).find("Đang tải danh sách sản phẩm…").is_ok());
    // The window answers meanwhile: the counter and back.
    let _ = app.update(Message::Show(Tab::Checkout));
    let _ = app.update(Message::Show(Tab::Inventory));
    assert!(app.inventory().is_none());

    arrived.extend(iced_test::futures::futures::executor::block_on(
        stream.collect::<Vec<_>>(),
    ));
    for action in arrived {
        if let Action::Output(message) = action {
            let _ = app.update(message);
        }
    }
    assert!(app.inventory().is_some(), "the table filled in");
    assert!(
        simulator(&app)
            .find("Nước mắm Phú Quốc Khải Hoàn 38 độ đạm")
            .is_ok()
    );
}

/// What the table holds equals what reading the whole catalogue afresh gives: the rows, the
/// producers to filter by, and the rows shown (no filter) in the table's sort.
fn assert_table_as_read_afresh(app: &App) {
    use ocop_pos::core::product_list::{Filter, ProductList};
    let inventory = app.inventory().unwrap();
    let list = &inventory.catalogue().list;
    let mut rows = list.rows().to_vec();
    rows.sort_by_key(|row| row.product_id);
    let mut fresh_rows = app.store().unwrap().product_rows(Utc::now()).unwrap();
    fresh_rows.sort_by_key(|row| row.product_id);
    assert_eq!(rows, fresh_rows);
    let mut fresh = ProductList::new(fresh_rows);
    fresh.set_sort(list.sort());
    assert_eq!(list.producers(), fresh.producers());
    let skus = |list: &ProductList, positions: &[usize]| -> Vec<String> {
        positions
            .iter()
            .map(|&p| list.row(p).sku().to_string())
            .collect()
    };
    assert_eq!(
        skus(list, inventory.shown()),
        skus(&fresh, &fresh.select(&Filter::default()))
    );
}

#[test]
fn a_renamed_producer_and_an_import_leave_the_table_as_a_fresh_read_gives_it() -> Result<(), Error>
{
    use ocop_pos::core::product_list::Column;
    use ocop_pos::ui::inventory::{CsvMessage, CsvSheet, Message as Kho, ProductsMessage};
    let (dir, mut app) = manager_on_inventory();
    let products = |message| Message::Inventory(Kho::Products(message));
    let producer = app.inventory().unwrap().catalogue().list.rows()[0]
        .producer
        .to_string();
    // Sorted by producer and narrowed to the one renamed: its rows move, and the filter goes.
    let _ = app.update(products(ProductsMessage::SortBy(Column::Producer)));
    let _ = app.update(products(ProductsMessage::ProducerFilter(Some(
        producer.clone(),
    ))));
    assert!(!app.inventory().unwrap().shown().is_empty());
    click(&mut app, "Nhà sản xuất")?;
    click(&mut app, &producer)?;
    step(&mut app, |ui| {
        ui.click(selector::id(ProducerField::Name.id()))?;
        for _ in 0..producer.chars().count() + 5 {
            ui.tap_key(Named::Backspace);
        }
        ui.typewrite("Ấp Mới Đổi Tên");
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    assert_eq!(notice(&app), Notice::ProducerSaved("Ấp Mới Đổi Tên".into()));
    assert_table_as_read_afresh(&app);
    let list = &app.inventory().unwrap().catalogue().list;
    assert!(!list.producers().contains(&producer));

    // An import changing one product's price and creating another: their rows alone.
    let mut drafts = app.store().unwrap().export_products(Utc::now()).unwrap();
    let mut changed = drafts[1].clone();
    changed.price = Money(changed.price.dong() + 1_000);
    let mut created = drafts.remove(2);
    created.sku = "KG961".into();
    created.barcodes = Vec::new();
    created.name = "Bánh pía sầu riêng".into();
    let file = dir.path().join("sua.csv");
    std::fs::write(
        &file,
        ocop_pos::documents::products_csv(&[changed, created]),
    )
    .unwrap();
    let csv = |message| Message::Inventory(Kho::Csv(message));
    let _ = app.update(Message::Inventory(Kho::Show(Panel::Csv)));
    for message in [
        CsvMessage::Sheet(CsvSheet::Products),
        CsvMessage::Path(file.display().to_string()),
    ] {
        let _ = app.update(csv(message));
    }
    let mut window = common::window::Window::default();
    window.send_and_wait(&mut app, csv(CsvMessage::Preview));
    window.send_and_wait(&mut app, csv(CsvMessage::Import));
    assert_eq!(
        notice(&app),
        Notice::CatalogueImported {
            created: 1,
            changed: 1,
            unchanged: 0,
            dry_run: false
        }
    );
    assert_table_as_read_afresh(&app);
    Ok(())
}

/// A product file of `rows` new products (KH0000…), every one good.
fn many_products_file(dir: &std::path::Path, rows: usize) -> String {
    let header = ocop_pos::core::inventory::PRODUCT_COLUMNS.join(",");
    let lines: String = (0..rows)
        .map(|n| format!("KH{n:04},,Khô cá {n},CTCP Điền Tín,Thực phẩm,,gói,0,,90000,8,5\n"))
        .collect();
    let file = dir.join("nhieu.csv");
    std::fs::write(&file, format!("{header}\n{lines}")).unwrap();
    file.display().to_string()
}

/// Runs `task` to its end as the runtime would, the window answering each message it sends
/// back; `meanwhile` sees each message first and may act in the window.
fn run_watching(
    app: &mut App,
    task: iced::Task<Message>,
    mut meanwhile: impl FnMut(&mut App, &Message),
) {
    use iced_test::futures::futures::StreamExt;
    use iced_test::runtime::{Action, task};
    let mut stream = task::into_stream(task).expect("work to run");
    while let Some(action) = iced_test::futures::futures::executor::block_on(stream.next()) {
        if let Action::Output(message) = action {
            meanwhile(app, &message);
            let _ = app.update(message);
        }
    }
}

fn csv_message(message: ocop_pos::ui::inventory::CsvMessage) -> Message {
    Message::Inventory(ocop_pos::ui::inventory::Message::Csv(message))
}

#[test]
fn a_preview_runs_off_the_window_thread_with_its_progress_and_stop() {
    use ocop_pos::ui::inventory::CsvMessage;
    let (dir, mut app) = manager_on_inventory();
    let file = many_products_file(dir.path(), 400);
    let _ = app.update(Message::Inventory(ocop_pos::ui::inventory::Message::Show(
        Panel::Csv,
    )));
    let _ = app.update(csv_message(CsvMessage::Path(file)));

    // The update only hands the check to the window: the panel shows its bar and its Stop
    // meanwhile, and nothing can be imported yet.
    let task = app.update(csv_message(CsvMessage::Preview));
    let mut ui = simulator(&app);
    assert!(
        ui.find("Đang kiểm tra tệp…").is_ok(),
        "said without a count of rows not yet known"
    );
    assert!(ui.find("Đang kiểm tra tệp… 0 / 0").is_err());
    assert!(ui.find("Dừng kiểm tra").is_ok());
    assert!(ui.find("+ KH0000").is_err());
    drop(ui);

    // Stopped as soon as the bar first moves: no preview, and the import stays off.
    let mut seen = Vec::new();
    run_watching(&mut app, task, |app, message| {
        if let Message::Inventory(ocop_pos::ui::inventory::Message::Csv(CsvMessage::Progress(
            done,
            rows,
        ))) = message
        {
            seen.push((*done, *rows));
            let _ = app.update(csv_message(CsvMessage::Cancel));
        }
    });
    // The job runs at most a few steps ahead of the window (4 rows a step).
    assert!(
        !seen.is_empty() && seen.iter().all(|&(done, rows)| done < 100 && rows == 400),
        "stopped near the first step: {seen:?}"
    );
    assert_eq!(
        notice(&app),
        Notice::Inventory(ocop_pos::core::inventory::InventoryError::ImportCancelled)
    );
    let mut ui = simulator(&app);
    assert!(ui.find("+ KH0000").is_err());
    ui.click("Nhập tệp đã xem").unwrap();
    assert_eq!(ui.into_messages().count(), 0, "the import button is off");

    // Run to its end: the bar reaches every row, then the preview is shown.
    let mut last = (0, 0);
    let task = app.update(csv_message(CsvMessage::Preview));
    run_watching(&mut app, task, |_, message| {
        if let Message::Inventory(ocop_pos::ui::inventory::Message::Csv(CsvMessage::Progress(
            done,
            rows,
        ))) = message
        {
            last = (*done, *rows);
        }
    });
    assert_eq!(last, (400, 400));
    assert!(simulator(&app).find("+ KH0000").is_ok());
}

#[test]
fn a_product_import_stopped_midway_keeps_nothing() {
    use ocop_pos::ui::inventory::CsvMessage;
    let (dir, mut app) = manager_on_inventory();
    let before = app.store().unwrap().product_count().unwrap();
    let rows_before = app.inventory().unwrap().catalogue().list.rows().len();
    let file = many_products_file(dir.path(), 600);
    let _ = app.update(Message::Inventory(ocop_pos::ui::inventory::Message::Show(
        Panel::Csv,
    )));
    let _ = app.update(csv_message(CsvMessage::Path(file)));
    common::window::Window::default().send_and_wait(&mut app, csv_message(CsvMessage::Preview));
    assert!(simulator(&app).find("+ KH0000").is_ok());

    // Stop pressed once a few hundred rows are written in the import's transaction.
    let mut seen = Vec::new();
    let task = app.update(csv_message(CsvMessage::Import));
    run_watching(&mut app, task, |app, message| {
        if let Message::Inventory(ocop_pos::ui::inventory::Message::Csv(CsvMessage::Progress(
            done,
            _,
        ))) = message
        {
            seen.push(*done);
            if *done >= 300 {
                assert!(simulator(app).find("Dừng nhập (không giữ gì)").is_ok());
                let _ = app.update(csv_message(CsvMessage::Cancel));
            }
        }
    });
    assert!(
        seen.iter().any(|&done| done >= 300) && seen.iter().all(|&done| done < 600),
        "stopped midway: {seen:?}"
    );
    assert_eq!(
        notice(&app),
        Notice::Inventory(ocop_pos::core::inventory::InventoryError::ImportCancelled)
    );
    // Not one row kept, in the store or on the screen; the file must be checked again.
    assert_eq!(app.store().unwrap().product_count().unwrap(), before);
    assert!(
        app.store()
            .unwrap()
            .product_ids(&["KH0000".into()])
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.inventory().unwrap().catalogue().list.rows().len(),
        rows_before
    );
    let mut ui = simulator(&app);
    ui.click("Nhập tệp đã xem").unwrap();
    assert_eq!(ui.into_messages().count(), 0);
}

#[test]
fn a_deleted_product_leaves_the_table_and_the_counter_without_either_being_read_again()
-> Result<(), Error> {
    use ocop_pos::ui::inventory::{Message as Kho, ProductsMessage};
    let (dir, mut app) = manager_on_inventory();
    let products = |message| Message::Inventory(Kho::Products(message));
    // The SKUs of what the counter's search lists.
    let counter_finds = |app: &App, query: &str| -> Vec<String> {
        let store = app.store().unwrap();
        let found = app.checkout().unwrap().found(query);
        found
            .into_iter()
            .map(|id| store.product_draft(id, Utc::now()).unwrap().unwrap().sku)
            .collect()
    };
    // Sorted by name, narrowed to a text both mistakes match, so the rows move and mend.
    let _ = app.update(products(ProductsMessage::SortBy(
        ocop_pos::core::product_list::Column::Name,
    )));
    for (sku, name) in [("KG901", "Nhập nhầm một"), ("KG902", "Nhập nhầm hai")] {
        add_product(
            &mut app,
            &[
                (Field::Sku, sku),
                (Field::Name, name),
                (Field::Unit, "cái"),
                (Field::Price, "1000"),
            ],
        )?;
    }
    assert_eq!(counter_finds(&app, "nhap nham"), ["KG901", "KG902"]);
    let id = |app: &App, sku: &str| {
        let list = &app.inventory().unwrap().catalogue().list;
        list.rows()
            .iter()
            .find(|row| row.sku() == sku)
            .map(|row| row.product_id)
    };
    let _ = app.update(products(ProductsMessage::Select(
        id(&app, "KG901").unwrap(),
    )));
    click(&mut app, "Xóa (nhập nhầm)")?;
    assert_eq!(notice(&app), Notice::ProductDeleted("KG901".into()));
    // The table and the counter hold what a fresh read of the store gives.
    assert_table_as_read_afresh(&app);
    assert_eq!(counter_finds(&app, "nhap nham"), ["KG902"]);
    let mut on_counter: Vec<String> = app
        .store()
        .unwrap()
        .catalogue(Utc::now())
        .unwrap()
        .into_iter()
        .map(|product| product.sku)
        .collect();
    on_counter.sort();
    let listed = |app: &App| -> Vec<String> {
        let list = &app.inventory().unwrap().catalogue().list;
        let mut skus: Vec<String> = list
            .rows()
            .iter()
            .filter(|row| row.active)
            .map(|row| row.sku().to_string())
            .collect();
        skus.sort();
        skus
    };
    assert_eq!(listed(&app), on_counter);
    for product in app.store().unwrap().catalogue(Utc::now()).unwrap() {
        assert!(
            counter_finds(&app, &product.sku).contains(&product.sku),
            "{} found at the counter",
            product.sku
        );
    }

    // Another till renames the fish sauce meanwhile (no stock moves, no price takes effect):
    // deleting the second mistake reads only its own row, so neither the table nor the
    // counter learns the new name from it.
    let fish_sauce = id(&app, "KG001").unwrap();
    {
        let mut other = ocop_pos::store::Store::open_in(dir.path()).unwrap();
        let mut draft = other
            .product_draft(fish_sauce, Utc::now())
            .unwrap()
            .unwrap();
        draft.name = "Nước mắm đổi tên ở quầy khác".into();
        other
            .update_product(fish_sauce, draft, Utc::now(), "Hùng")
            .unwrap();
    }
    let _ = app.update(products(ProductsMessage::Select(
        id(&app, "KG902").unwrap(),
    )));
    click(&mut app, "Xóa (nhập nhầm)")?;
    assert_eq!(notice(&app), Notice::ProductDeleted("KG902".into()));
    assert_eq!(id(&app, "KG902"), None);
    assert!(counter_finds(&app, "nhap nham").is_empty());
    let list = &app.inventory().unwrap().catalogue().list;
    let row = list.row(list.position_of(fish_sauce).unwrap());
    assert_eq!(row.name(), "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm");
    assert_eq!(counter_finds(&app, "doi ten"), Vec::<String>::new());
    assert_eq!(
        counter_finds(&app, "nuoc mam phu quoc khai hoan 38")[0],
        "KG001"
    );

    // Taken off the counter (asked once: it has stock): the counter's search no longer finds
    // it, the table shows it inactive, and still only its own row was read.
    let _ = app.update(products(ProductsMessage::Select(fish_sauce)));
    click(&mut app, "Ngừng bán")?;
    click(&mut app, "Ngừng bán")?;
    assert_eq!(notice(&app), Notice::ProductDeactivated("KG001".into()));
    assert!(!counter_finds(&app, "nuoc mam phu quoc khai hoan 38").contains(&"KG001".into()));
    let list = &app.inventory().unwrap().catalogue().list;
    let row = list.row(list.position_of(fish_sauce).unwrap());
    assert!(!row.active);
    assert_eq!(
        row.name(),
        "Nước mắm đổi tên ở quầy khác",
        "its own row, read again"
    );
    Ok(())
}

#[test]
fn a_long_producers_list_builds_only_the_rows_in_view_and_follows_the_scroll() -> Result<(), Error>
{
    use ocop_pos::core::inventory::{ProducerDraft, ProducerKind};
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    let mut store = ocop_pos::store::Store::open_in(dir.path()).unwrap();
    let name = |n: usize| format!("Zz HTX Nông sản số {n:03}");
    for n in 0..400 {
        let draft = ProducerDraft {
            name: name(n),
            kind: ProducerKind::Cooperative,
            commune: "Xã Mỹ Khánh".into(),
            province: "Cần Thơ".into(),
            contact: String::new(),
            tax_code: String::new(),
            bank_account: String::new(),
            consignment: None,
        };
        store.save_producer(None, draft).unwrap();
    }
    drop(store);
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    let _ = app.update(Message::Show(Tab::Inventory));
    click(&mut app, "Nhà sản xuất")?;
    // By name: the demo's producers first, then these; only the first screenful is built.
    let first = "CTCP Thương mại Khải Hoàn";
    assert!(simulator(&app).find(first).is_ok());
    assert!(simulator(&app).find(name(399).as_str()).is_err());
    // Scrolled to the end, the list's scrollable reports where it is: the last rows are built.
    let messages: Vec<Message> = {
        let mut ui = simulator(&app);
        ui.point_at(iced::Point::new(300.0, 400.0));
        let _ = ui.simulate([iced::Event::Mouse(iced::mouse::Event::WheelScrolled {
            delta: iced::mouse::ScrollDelta::Pixels {
                x: 0.0,
                y: -100_000.0,
            },
        })]);
        ui.into_messages().collect()
    };
    assert!(format!("{messages:?}").contains("Scrolled"), "{messages:?}");
    for message in messages {
        let _ = app.update(message);
    }
    let mut ui = simulator(&app);
    assert!(ui.find(name(399).as_str()).is_ok());
    assert!(ui.find(first).is_err());
    Ok(())
}

#[test]
fn the_product_export_reads_the_catalogue_off_the_window_thread_then_writes_the_file() {
    use ocop_pos::core::clock::local_date;
    use ocop_pos::ui::inventory::CsvMessage;
    let (dir, mut app) = manager_on_inventory();
    let csv = |message| Message::Inventory(ocop_pos::ui::inventory::Message::Csv(message));
    let _ = app.update(Message::Inventory(ocop_pos::ui::inventory::Message::Show(
        Panel::Csv,
    )));
    let file = dir
        .path()
        .join("exports")
        .join(format!("san-pham-{}.csv", local_date(Utc::now())));
    // The update alone reads nothing: the panel says the export runs, with its bar and its
    // stop, and takes no other job.
    let _ = app.update(csv(CsvMessage::Export));
    let mut ui = simulator(&app);
    assert!(
        ui.find("Đang đọc danh mục để xuất tệp CSV…").is_ok(),
        "said without a count of rows not yet known"
    );
    assert!(ui.find("Đang đọc danh mục để xuất tệp CSV… 0 / 0").is_err());
    assert!(ui.find("Dừng xuất tệp").is_ok());
    drop(ui);
    assert!(!file.exists());
    // In another window, run to its end as the runtime runs it: every product in the file,
    // as the store has it.
    let (dir, mut app) = manager_on_inventory();
    let _ = app.update(Message::Inventory(ocop_pos::ui::inventory::Message::Show(
        Panel::Csv,
    )));
    common::window::Window::default().send_and_wait(&mut app, csv(CsvMessage::Export));
    let file = dir
        .path()
        .join("exports")
        .join(format!("san-pham-{}.csv", local_date(Utc::now())));
    let written = std::fs::read_to_string(&file).expect("the export is written");
    let products = app.store().unwrap().export_products(Utc::now()).unwrap();
    assert_eq!(written, ocop_pos::documents::products_csv(&products));
    assert!(simulator(&app).find("Dừng xuất tệp").is_err());
}

#[test]
fn a_product_export_shows_its_progress_and_stopped_midway_writes_no_file() {
    use ocop_pos::core::clock::local_date;
    use ocop_pos::ui::inventory::CsvMessage;
    let (dir, mut app) = manager_on_inventory();
    let products = app.store().unwrap().product_count().unwrap();
    let _ = app.update(Message::Inventory(ocop_pos::ui::inventory::Message::Show(
        Panel::Csv,
    )));
    let mut seen = Vec::new();
    let task = app.update(csv_message(CsvMessage::Export));
    run_watching(&mut app, task, |app, message| {
        if let Message::Inventory(ocop_pos::ui::inventory::Message::Csv(CsvMessage::Progress(
            done,
            rows,
        ))) = message
        {
            assert_eq!(*rows, products as usize);
            seen.push(*done);
            if *done >= 20 {
                assert!(simulator(app).find("Dừng xuất tệp").is_ok());
                let _ = app.update(csv_message(CsvMessage::Cancel));
            }
        }
    });
    assert!(
        seen.iter().any(|&done| done >= 20) && seen.iter().all(|&done| done < products as usize),
        "stopped midway: {seen:?}"
    );
    assert_eq!(
        notice(&app),
        Notice::Inventory(ocop_pos::core::inventory::InventoryError::ExportCancelled)
    );
    let file = dir
        .path()
        .join("exports")
        .join(format!("san-pham-{}.csv", local_date(Utc::now())));
    assert!(!file.exists(), "a stopped export writes no file");
}
