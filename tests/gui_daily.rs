//! The daily screen driven headlessly with iced_test, on a real store with real sales.

mod common;

use chrono::Utc;
use common::{MANAGER, sell_for_exact_cash, sign_in, simulator, step};
use iced_test::{Error, selector};
use ocop_pos::config::Config;
use ocop_pos::core::cart::Cart;
use ocop_pos::core::clock::local_date;
use ocop_pos::core::clock::local_year;
use ocop_pos::core::money::Money;
use ocop_pos::documents::Document;
use ocop_pos::ui::daily::{Daily, Message as DailyMessage, note_input_id};
use ocop_pos::ui::{Action, Context};
use ocop_pos::ui::{App, Message, Tab};
use rust_decimal::Decimal;
use tempfile::TempDir;

/// A demo store with two cash sales made today: 165.000 ₫ and 185.000 ₫.
fn store_with_sales() -> (TempDir, Config) {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(Some(dir.path().to_path_buf()), true);
    let mut store = config.open_store().unwrap();
    let now = Utc::now();
    for barcode in ["8930100000018", "8930101000116"] {
        let product = store.product_by_barcode(barcode, now).unwrap().unwrap();
        let mut cart = Cart::default();
        cart.add_product(&product, Decimal::ONE).unwrap();
        sell_for_exact_cash(&mut store, &cart, now).unwrap();
    }
    (dir, config)
}

#[test]
fn the_daily_screen_shows_the_days_totals() -> Result<(), Error> {
    let (_dir, config) = store_with_sales();
    let mut app = App::new(&config);
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    step(&mut app, |ui| {
        ui.click("Doanh thu")?;
        Ok(())
    })?;
    let summary = app
        .daily()
        .expect("the daily screen is shown")
        .summary()
        .clone();
    assert_eq!(summary.sales_count, 2);
    assert_eq!(summary.net, Money(350_000));
    let mut ui = simulator(&app);
    assert!(ui.find("350.000 ₫").is_ok());
    assert!(ui.find("175.000 ₫").is_ok(), "the average basket");
    assert!(ui.find("Nước mắm Phú Quốc Khải Hoàn 38 độ đạm").is_ok());
    assert!(
        ui.find(format!("{}-AA-000002", local_year(Utc::now())))
            .is_ok()
    );
    Ok(())
}

#[test]
fn closing_a_session_by_counting_notes() -> Result<(), Error> {
    let (_dir, config) = store_with_sales();
    let mut app = App::new(&config);
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    let _ = app.update(Message::Show(Tab::Daily));
    // 350.000 ₫ in the drawer: one 200.000, one 100.000 and one 50.000 note.
    for (note, count) in [(200_000, "1"), (100_000, "1"), (50_000, "1")] {
        step(&mut app, |ui| {
            ui.click(selector::id(note_input_id(note)))?;
            ui.typewrite(count);
            Ok(())
        })?;
    }
    assert!(simulator(&app).find("350.000 ₫").is_ok());
    let close = |app: &mut App| {
        step(app, |ui| {
            ui.click("Chốt ca & in báo cáo Z")?;
            Ok(())
        })
    };
    // Closing cannot be undone: the first press asks, the second closes.
    close(&mut app)?;
    assert!(
        app.store()
            .unwrap()
            .current_cash_session()
            .unwrap()
            .is_some()
    );
    assert!(
        simulator(&app)
            .find("Chốt ca với 350.000 ₫ tiền mặt đã đếm? Ca đã chốt không mở lại được. Bấm Chốt ca lần nữa để chốt.")
            .is_ok()
    );
    close(&mut app)?;
    let store = app.store().unwrap();
    assert!(store.current_cash_session().unwrap().is_none());
    let z_number = format!("Z{}-AA-0001", local_year(Utc::now()));
    let report = store.z_report(&z_number).unwrap().expect("the Z-report");
    let closing = report.session.closing.unwrap();
    assert_eq!(closing.counted, Money(350_000));
    assert_eq!(closing.difference(), Money::ZERO);
    assert!(
        simulator(&app)
            .find(format!("Đã chốt ca {z_number}: khớp tiền."))
            .is_ok()
    );
    // The closed shift is listed with its Z-report.
    assert!(simulator(&app).find("Báo cáo Z đã chốt").is_ok());
    assert!(simulator(&app).find(z_number.as_str()).is_ok());
    Ok(())
}

/// Where a piece of text is on the screen now.
fn top_of(app: &App, label: &str) -> f32 {
    simulator(app)
        .find(label)
        .unwrap_or_else(|_| panic!("{label} on screen"))
        .bounds()
        .y
}

#[test]
fn a_notice_or_a_large_count_moves_no_button() -> Result<(), Error> {
    let (_dir, config) = store_with_sales();
    let mut app = App::new(&config);
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    let _ = app.update(Message::Show(Tab::Daily));
    let close = "Chốt ca & in báo cáo Z";
    let export = "Xuất CSV";
    let (close_at, export_at) = (top_of(&app, close), top_of(&app, export));
    // A refusal appears in the band at the top.
    let _ = app.update(Message::Daily(ocop_pos::ui::daily::Message::DateChanged(
        "31/02/2026".into(),
    )));
    let _ = app.update(Message::Daily(ocop_pos::ui::daily::Message::DateSubmitted));
    assert!(app.daily().unwrap().notice().is_some());
    assert_eq!(top_of(&app, export), export_at);
    assert_eq!(top_of(&app, close), close_at);
    // Thousands of the largest note: the amount stays on its line.
    step(&mut app, |ui| {
        ui.click(selector::id(note_input_id(500_000)))?;
        ui.typewrite("12345");
        Ok(())
    })?;
    assert!(simulator(&app).find("= 6.172.500.000 ₫").is_ok());
    assert_eq!(top_of(&app, close), close_at);
    Ok(())
}

#[test]
fn a_closed_shifts_z_report_prints_again_from_the_list() {
    let (_dir, config) = store_with_sales();
    let mut store = config.open_store().unwrap();
    let now = Utc::now();
    let manager = store
        .staff()
        .unwrap()
        .into_iter()
        .find(|member| member.name == MANAGER.0)
        .unwrap();
    // The demo opened a shift at its first sale; close it, then one more.
    for _ in 0..2 {
        let session = match store.current_cash_session().unwrap() {
            Some(open) => open,
            None => store
                .open_cash_session(Money::ZERO, MANAGER.0, now)
                .unwrap(),
        };
        store
            .close_cash_session(session.id, &Default::default(), "đếm thử", MANAGER.0, now)
            .unwrap();
    }
    let year = local_year(now);
    let mut daily = Daily::new(&store, local_date(now)).unwrap();
    let shop = store.shop_settings().unwrap();
    let limits = store.cashier_limits().unwrap();
    let mut context = Context::new(&mut store, &shop, &manager, None, limits);
    let first = format!("Z{year}-AA-0001");
    match daily.update(DailyMessage::ReprintZ(first.clone()), &mut context) {
        Action::Produce(Document::ZReport(report)) => {
            assert_eq!(report.session.closing.unwrap().z_number, first);
        }
        _ => panic!("the Z-report to print"),
    }
    let listed: Vec<String> = store
        .closed_sessions(10)
        .unwrap()
        .into_iter()
        .map(|session| session.closing.unwrap().z_number)
        .collect();
    assert_eq!(listed, [format!("Z{year}-AA-0002"), first]);
}

#[test]
fn a_document_saved_meanwhile_is_told_in_the_screens_own_band_moving_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    let _ = app.update(Message::Show(Tab::Daily));
    let date_field_top = |app: &App| {
        simulator(app)
            .find(selector::id(ocop_pos::ui::daily::DATE_INPUT))
            .expect("the day's field")
            .bounds()
            .y
    };
    let before = date_field_top(&app);
    let path = dir.path().join("bao-cao.pdf");
    let _ = app.update(Message::DocumentDone(ocop_pos::ui::DocumentOutcome::Saved(
        path.clone(),
    )));
    let told = ocop_pos::i18n::Notice::DocumentSaved(path.display().to_string());
    // One notice line on the screen, not a second one under the top bar.
    assert_eq!(app.daily().and_then(Daily::notice), Some(&told));
    assert_eq!(app.notice(), None);
    assert!(
        simulator(&app)
            .find(told.text(ocop_pos::i18n::Lang::Vi).as_str())
            .is_ok()
    );
    assert_eq!(date_field_top(&app), before, "nothing moved");
}

#[test]
fn the_figures_start_right_under_the_top_bar_and_a_notice_floats_over_the_bottom() {
    let (_dir, config) = store_with_sales();
    let mut app = App::new(&config);
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    let _ = app.update(Message::Show(Tab::Daily));
    // The top bar ends under its tabs (the shortcut, the tab's and the bar's paddings).
    let shortcut = simulator(&app).find("Ctrl+2").expect("the tab").bounds();
    let bar_bottom = shortcut.y + shortcut.height + 2.0 + 6.0;
    let date_field = |app: &App| {
        simulator(app)
            .find(selector::id(ocop_pos::ui::daily::DATE_INPUT))
            .expect("the day's field")
            .bounds()
    };
    let before = date_field(&app);
    // No band kept empty between them: the screen's padding only.
    assert!(
        before.y - bar_bottom < 2.0 * 12.0,
        "the date field at {} under a bar ending at {bar_bottom}",
        before.y
    );
    // A notice shows at the bottom, inside the window, and moves nothing.
    let _ = app.update(Message::Daily(DailyMessage::DateChanged(
        "31/02/2026".into(),
    )));
    let _ = app.update(Message::Daily(DailyMessage::DateSubmitted));
    let told = app
        .daily()
        .and_then(Daily::notice)
        .expect("a refusal")
        .clone();
    let band = simulator(&app)
        .find(told.text(ocop_pos::i18n::Lang::Vi).as_str())
        .expect("the notice")
        .bounds();
    assert!(
        band.y > 768.0 / 2.0 && band.y + band.height <= 768.0,
        "{band:?}"
    );
    assert_eq!(date_field(&app), before);
}
