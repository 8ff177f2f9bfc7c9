//! Going live in the window: the first-run setup of a real store, the Settings and Staff
//! screens, and a PIN pad that asks who first. Driven as a person would, with iced_test.

mod common;

use chrono::{Duration, Utc};
use common::window::Window;
use common::{CASHIER, MANAGER, approve_as, sign_in, text_of};
use iced::keyboard::key::Named;
use iced_test::selector;
use ocop_pos::config::Config;
use ocop_pos::core::audit::AuditAct;
use ocop_pos::core::clock::local_year;
use ocop_pos::core::settings::Setting;
use ocop_pos::core::staff::{GatedAct, Role};
use ocop_pos::store::{AuditFilter, STORE_KIND_SETTING, SignInError, StoreError};
use ocop_pos::ui::keys::Command;
use ocop_pos::ui::setting_fields::input_id;
use ocop_pos::ui::settings::Message as SettingsMessage;
use ocop_pos::ui::sign_in::Message as Pad;
use ocop_pos::ui::staff::Message as StaffMessage;
use ocop_pos::ui::{App, Message, Tab, setup};
use tempfile::TempDir;

const FISH_SAUCE: &str = "8930100000018";

/// Signs in on a second connection to the folder's store, as another till would.
fn try_sign_in(dir: &TempDir, id: i64, pin: &str) -> Result<(), StoreError> {
    let mut store = ocop_pos::store::Store::open_in(dir.path()).unwrap();
    store.sign_in(id, pin, Utc::now()).map(|_| ())
}

fn demo_app() -> (TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    (dir, app)
}

fn real_app() -> (TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(&Config::new(Some(dir.path().to_path_buf()), false));
    (dir, app)
}

fn command(app: &mut App, command: Command) {
    let _ = app.update(Message::Command(command));
}

fn chosen(app: &App) -> Option<String> {
    app.pin_pad()
        .expect("the PIN pad shows")
        .chosen()
        .map(|m| m.name.clone())
}

fn audit_rows(app: &App, act: AuditAct) -> Vec<ocop_pos::core::staff::AuditEntry> {
    let filter = AuditFilter {
        act: Some(act),
        ..AuditFilter::default()
    };
    app.store().unwrap().audit_entries(&filter).unwrap()
}

fn staff_id(app: &App, name: &str) -> i64 {
    app.store()
        .unwrap()
        .staff_accounts()
        .unwrap()
        .into_iter()
        .find(|a| a.member.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .member
        .id
}

/// Types a PIN on the pad with nobody chosen and presses Enter, `times` times.
fn submit_unchosen(app: &mut App, pin: &str, times: usize) {
    for _ in 0..times {
        let _ = app.update(Message::Pad(Pad::PinChanged(pin.into())));
        let _ = app.update(Message::Pad(Pad::Submit));
    }
}

#[test]
fn the_pin_pad_chooses_nobody_at_start_after_ctrl_l_and_after_the_idle_lock() {
    let (_dir, mut app) = demo_app();
    assert_eq!(chosen(&app), None, "at start");
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    command(&mut app, Command::SwitchUser);
    assert_eq!(chosen(&app), None, "after Ctrl+L the manager is not chosen");
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    let _ = app.update(Message::Tick(Utc::now() + Duration::minutes(6)));
    assert!(app.pin_pad().is_some(), "the idle lock shows the pad");
    assert_eq!(chosen(&app), None, "after the idle lock");
    // ↓ picks the first name, ↑ from nobody the last.
    command(&mut app, Command::Down);
    assert_eq!(chosen(&app).as_deref(), Some(MANAGER.0));
    let _ = app.update(Message::Pad(Pad::Submit));
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    command(&mut app, Command::SwitchUser);
    command(&mut app, Command::Up);
    assert_eq!(chosen(&app).as_deref(), Some("Nguyễn Thị Lan"));
}

#[test]
fn a_store_s_only_person_is_chosen_so_the_pin_alone_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = ocop_pos::store::Store::open_in(dir.path()).unwrap();
    store
        .create_staff("Phạm Thu Hà", Role::Manager, "4826", Utc::now())
        .unwrap();
    drop(store);
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), false));
    assert_eq!(chosen(&app).as_deref(), Some("Phạm Thu Hà"));
    for message in [Pad::PinChanged("4826".into()), Pad::Submit] {
        let _ = app.update(Message::Pad(message));
    }
    assert_eq!(app.staff().map(|m| m.name.as_str()), Some("Phạm Thu Hà"));
    // A second person on the staff: nobody is chosen again.
    ocop_pos::store::Store::open_in(dir.path())
        .unwrap()
        .create_staff("Võ Thị Hoa", Role::Cashier, "5173", Utc::now())
        .unwrap();
    command(&mut app, Command::SwitchUser);
    assert_eq!(chosen(&app), None);
}

#[test]
fn a_wrong_pin_counts_against_the_person_chosen_and_nobody_else() {
    let (dir, mut app) = demo_app();
    // A cashier types her PIN without picking her name, again and again: no one's tries go.
    submit_unchosen(&mut app, "9999", 7);
    assert!(
        common::simulator(&app)
            .find("Chọn tên của bạn trước (chạm hoặc ↑ ↓), rồi nhập mã PIN.")
            .is_ok()
    );
    assert!(app.staff().is_none());
    // Five wrong PINs for the cashier she picked lock her account only.
    let lan = app
        .pin_pad()
        .unwrap()
        .names()
        .position(|n| n == CASHIER.0)
        .unwrap();
    for _ in 0..5 {
        for message in [Pad::Pick(lan), Pad::PinChanged("9999".into()), Pad::Submit] {
            let _ = app.update(Message::Pad(message));
        }
    }
    let lan_id = staff_id(&app, CASHIER.0);
    assert!(matches!(
        try_sign_in(&dir, lan_id, CASHIER.1),
        Err(StoreError::SignIn(SignInError::LockedUntil(_)))
    ));
    // The manager was never chosen: the first try is his and works.
    sign_in(&mut app, MANAGER.0, MANAGER.1);

    // The approval pad too: a cashier's PIN typed with no manager chosen costs him nothing.
    let (_second_dir, mut app) = demo_app();
    sign_in(&mut app, "Lê Minh Tuấn", "2222");
    command(&mut app, Command::Show(Tab::Daily));
    assert_eq!(app.pending_approval(), Some(GatedAct::DailyClose));
    assert_eq!(chosen(&app), None);
    submit_unchosen(&mut app, "2222", 6);
    approve_as(&mut app, MANAGER.0, MANAGER.1);
    assert_eq!(app.tab(), Tab::Daily);
}

#[test]
fn a_pin_typed_on_the_idle_lock_reaches_the_pin_field() {
    let (_dir, mut app) = demo_app();
    let mut window = Window::default();
    window.click(&mut app, CASHIER.0);
    window.type_text(&mut app, CASHIER.1);
    window.tap(&mut app, Named::Enter);
    assert_eq!(app.staff().map(|s| s.name.as_str()), Some(CASHIER.0));

    window.send(&mut app, Message::Tick(Utc::now() + Duration::minutes(6)));
    assert!(app.pin_pad().is_some());
    // She types her PIN at once, then taps her name and presses Enter.
    window.type_text(&mut app, CASHIER.1);
    window.click(&mut app, CASHIER.0);
    window.tap(&mut app, Named::Enter);
    assert!(app.pin_pad().is_none(), "signed in again");
    assert_eq!(app.staff().map(|s| s.name.as_str()), Some(CASHIER.0));

    // Ctrl+L the same way, typed only: ↓ picks a name, the PIN field keeps the digits.
    window.send(&mut app, Message::Command(Command::SwitchUser));
    window.tap(&mut app, Named::ArrowDown);
    window.type_text(&mut app, MANAGER.1);
    window.tap(&mut app, Named::Enter);
    assert_eq!(app.staff().map(|s| s.name.as_str()), Some(MANAGER.0));
}

/// The setup form filled in as a person does: a click in each field, then the keys.
fn fill_setup(window: &mut Window, app: &mut App, fields: &[(Setting, &str)]) {
    for (setting, value) in fields {
        window.click(app, selector::id(input_id(*setting)));
        window.type_text(app, value);
    }
}

const SHOP: [(Setting, &str); 9] = [
    (Setting::ShopName, "Cửa hàng OCOP Phú Quốc"),
    (Setting::Address, "12 Trần Hưng Đạo"),
    (Setting::Commune, "đặc khu Phú Quốc"),
    (Setting::Province, "tỉnh An Giang"),
    (Setting::TaxCode, "0100112437"),
    (Setting::Phone, "0297 3846 111"),
    (Setting::BankBin, "970436"),
    (Setting::BankAccount, "1017595600"),
    (Setting::BankAccountName, "Nguyễn Văn Bình"),
];

fn type_manager(window: &mut Window, app: &mut App, name: &str, pin: &str, again: &str) {
    window.click(app, selector::id(setup::NAME_INPUT));
    window.type_text(app, name);
    window.click(app, selector::id(setup::PIN_INPUT));
    window.type_text(app, pin);
    window.click(app, selector::id(setup::PIN_AGAIN_INPUT));
    window.type_text(app, again);
}

#[test]
fn the_first_run_setup_typed_field_by_field_creates_the_store_and_its_manager() {
    let (dir, mut app) = real_app();
    let mut window = Window::default();
    window.send(&mut app, Message::Command(Command::Cancel));
    assert!(app.setup().is_some(), "a new real store opens on its setup");
    assert!(app.pin_pad().is_none());
    fill_setup(&mut window, &mut app, &SHOP);
    assert!(
        common::simulator(&app)
            .find("Vietcombank · 1017595600 · NGUYEN VAN BINH")
            .is_ok(),
        "the VietQR check names the bank and the holder"
    );
    type_manager(&mut window, &mut app, "Trần Văn Hùng", "4821", "4821");
    window.click(&mut app, "Tạo cửa hàng");

    assert!(app.setup().is_none());
    assert_eq!(app.staff().map(|s| s.name.as_str()), Some("Trần Văn Hùng"));
    let store = app.store().unwrap();
    let staff = store.staff().unwrap();
    assert_eq!(staff.len(), 1);
    assert_eq!(
        (staff[0].name.as_str(), staff[0].role),
        ("Trần Văn Hùng", Role::Manager)
    );
    let shop = store.shop_settings().unwrap();
    assert_eq!(shop.shop_name, "Cửa hàng OCOP Phú Quốc");
    assert_eq!(
        shop.full_address(),
        "12 Trần Hưng Đạo, đặc khu Phú Quốc, tỉnh An Giang"
    );
    assert_eq!(shop.tax_code, "0100112437");
    assert_eq!(shop.bank_account_name, "NGUYEN VAN BINH");
    assert_eq!(
        store.setting(STORE_KIND_SETTING).unwrap().as_deref(),
        Some("real")
    );
    assert_eq!(store.product_count().unwrap(), 0, "no demo product");
    let rows = audit_rows(&app, AuditAct::StoreSetUp);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor, "Trần Văn Hùng");
    // The manager is in: the shop's own screens open without a PIN.
    command(&mut app, Command::Show(Tab::Settings));
    assert_eq!(app.tab(), Tab::Settings);
    drop(dir);
}

#[test]
fn the_setup_refuses_a_weak_pin_two_different_pins_or_a_missing_province_and_keeps_nothing() {
    let (_dir, mut app) = real_app();
    let mut window = Window::default();
    let nothing_kept = |app: &App| {
        let store = app.store().unwrap();
        assert!(store.staff().unwrap().is_empty());
        assert_eq!(store.setting("shop.shop_name").unwrap(), None);
        assert!(app.setup().is_some() && app.staff().is_none());
    };
    let without_province: Vec<_> = SHOP
        .iter()
        .filter(|(s, _)| *s != Setting::Province)
        .copied()
        .collect();
    fill_setup(&mut window, &mut app, &without_province);
    type_manager(&mut window, &mut app, "Phạm Thu Hà", "4821", "4821");
    window.tap(&mut app, Named::Enter);
    assert!(common::simulator(&app).find("không được để trống").is_ok());
    nothing_kept(&app);

    fill_setup(
        &mut window,
        &mut app,
        &[(Setting::Province, "tỉnh An Giang")],
    );
    type_manager(&mut window, &mut app, "", "1234", "1234");
    window.tap(&mut app, Named::Enter);
    assert!(
        common::simulator(&app)
            .find("Mã PIN quá dễ đoán (lặp một số, 1234, 1212…). Chọn mã khác.")
            .is_ok()
    );
    nothing_kept(&app);

    type_manager(&mut window, &mut app, "", "4821", "4812");
    window.tap(&mut app, Named::Enter);
    assert!(
        common::simulator(&app)
            .find("Hai lần nhập mã PIN không giống nhau. Nhập lại cả hai.")
            .is_ok()
    );
    nothing_kept(&app);

    // A wrong check digit in the tax code is named beside its field.
    window.send(
        &mut app,
        Message::Setup(setup::Message::Changed(
            Setting::TaxCode,
            "0100112438".into(),
        )),
    );
    type_manager(&mut window, &mut app, "", "4821", "4821");
    window.tap(&mut app, Named::Enter);
    assert!(
        common::simulator(&app)
            .find("chữ số cuối không khớp mã số thuế (có thể gõ nhầm một số)")
            .is_ok()
    );
    nothing_kept(&app);
}

#[test]
fn a_settings_change_appears_on_the_next_receipt_and_is_audited() {
    let (dir, mut app) = demo_app();
    let mut window = Window::default();
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    // A cashier needs a manager's PIN for the Settings screen.
    command(&mut app, Command::Show(Tab::Settings));
    assert_eq!(app.pending_approval(), Some(GatedAct::Settings));
    approve_as(&mut app, MANAGER.0, MANAGER.1);
    assert_eq!(app.tab(), Tab::Settings);

    let before = app.store().unwrap().shop_settings().unwrap();
    for (setting, value) in [
        (Setting::ShopName, "OCOP Rạch Giá - Chi nhánh 2"),
        (Setting::Address, "7 Lê Lợi"),
        (Setting::Commune, "phường Vĩnh Thông"),
        // A receipt is the sale's invoice: the seller as registered for invoices prints on it.
        (
            Setting::Invoice("store_name"),
            "OCOP Rạch Giá - Chi nhánh 2",
        ),
        (
            Setting::Invoice("seller_address"),
            "7 Lê Lợi, phường Vĩnh Thông, tỉnh An Giang",
        ),
        // Receipts "print" with a command that does nothing, so the test opens no viewer.
        (Setting::PrintCommand, "true"),
    ] {
        window.send(
            &mut app,
            Message::Settings(SettingsMessage::Changed(setting, value.into())),
        );
    }
    // A bad value anywhere keeps everything as it was.
    window.send(
        &mut app,
        Message::Settings(SettingsMessage::Changed(
            Setting::DiscountLimitPct,
            "150".into(),
        )),
    );
    window.send(&mut app, Message::Settings(SettingsMessage::Save));
    assert!(
        common::simulator(&app)
            .find("cần một số từ 0 đến 100")
            .is_ok()
    );
    assert_eq!(app.store().unwrap().shop_settings().unwrap(), before);
    assert!(audit_rows(&app, AuditAct::SettingChanged).is_empty());

    window.send(
        &mut app,
        Message::Settings(SettingsMessage::Changed(
            Setting::DiscountLimitPct,
            "15".into(),
        )),
    );
    window.send(&mut app, Message::Settings(SettingsMessage::Save));
    assert!(common::simulator(&app).find("Đã lưu 7 thay đổi.").is_ok());
    let rows = audit_rows(&app, AuditAct::SettingChanged);
    assert_eq!(rows.len(), 7);
    let name_row = rows.iter().find(|r| r.subject == "shop.shop_name").unwrap();
    assert_eq!(
        (name_row.actor.as_str(), name_row.approver.as_deref()),
        (CASHIER.0, Some(MANAGER.0))
    );
    assert_eq!(name_row.before, before.shop_name);
    assert_eq!(name_row.after, "OCOP Rạch Giá - Chi nhánh 2");

    command(&mut app, Command::Show(Tab::Checkout));
    window.send(
        &mut app,
        Message::Checkout(ocop_pos::ui::checkout::Message::ScanChanged(
            FISH_SAUCE.into(),
        )),
    );
    window.send(
        &mut app,
        Message::Checkout(ocop_pos::ui::checkout::Message::ScanSubmitted),
    );
    window.send_and_wait(&mut app, Message::Command(Command::ExactCash));
    let sale = app
        .store()
        .unwrap()
        .sale_by_receipt_no(&format!("{}-AA-000001", local_year(Utc::now())))
        .unwrap()
        .expect("the sale");
    let document = ocop_pos::documents::Document::Receipt {
        sale: Box::new(sale),
        copy: false,
    };
    let pdf = std::fs::read(document.path(dir.path())).expect("the receipt was written");
    let receipt = common::flowing(&text_of(&pdf));
    common::assert_contains(&receipt, "OCOP Rạch Giá - Chi nhánh 2");
    common::assert_contains(&receipt, "7 Lê Lợi, phường Vĩnh Thông, tỉnh An Giang");
    assert!(!receipt.contains(&before.shop_name));
}

#[test]
fn a_disabled_cashier_cannot_sign_in_nor_is_offered_until_re_enabled() {
    let (dir, mut app) = demo_app();
    let mut window = Window::default();
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    command(&mut app, Command::Show(Tab::Staff));
    assert_eq!(app.tab(), Tab::Staff);
    let lan = staff_id(&app, CASHIER.0);
    window.send(&mut app, Message::Staff(StaffMessage::Disable(lan)));
    assert!(common::simulator(&app).find("Đã khóa").is_ok());

    command(&mut app, Command::SwitchUser);
    assert!(
        !app.pin_pad().unwrap().names().any(|n| n == CASHIER.0),
        "a disabled person is not on the pad"
    );
    assert!(matches!(
        try_sign_in(&dir, lan, CASHIER.1),
        Err(StoreError::SignIn(SignInError::NoSuchStaff))
    ));
    let rows = audit_rows(&app, AuditAct::StaffDisabled);
    assert_eq!((rows.len(), rows[0].subject.as_str()), (1, CASHIER.0));
    assert_eq!(rows[0].actor, MANAGER.0);

    sign_in(&mut app, MANAGER.0, MANAGER.1);
    command(&mut app, Command::Show(Tab::Staff));
    window.send(&mut app, Message::Staff(StaffMessage::Enable(lan)));
    command(&mut app, Command::SwitchUser);
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    assert_eq!(audit_rows(&app, AuditAct::StaffEnabled).len(), 1);
}

/// The Staff screen's add panel filled in with the keys: name, role, PIN twice.
fn add_person(window: &mut Window, app: &mut App, name: &str, role: Role, pin: &str, again: &str) {
    window.click(app, selector::id(ocop_pos::ui::staff::NAME_INPUT));
    window.type_text(app, name);
    window.send(app, Message::Staff(StaffMessage::RolePicked(role)));
    window.click(app, selector::id(ocop_pos::ui::staff::PIN_INPUT));
    window.type_text(app, pin);
    window.click(app, selector::id(ocop_pos::ui::staff::PIN_AGAIN_INPUT));
    window.type_text(app, again);
    window.tap(app, Named::Enter);
}

/// A real store set up with its manager Hà (PIN 4821), signed in on the Staff screen.
fn real_store_on_staff_screen() -> (TempDir, App, Window) {
    let (dir, mut app) = real_app();
    let mut window = Window::default();
    for (setting, value) in [
        (Setting::ShopName, "OCOP Hà Tiên"),
        (Setting::Commune, "phường Hà Tiên"),
        (Setting::Province, "tỉnh An Giang"),
    ] {
        window.send(
            &mut app,
            Message::Setup(setup::Message::Changed(setting, value.into())),
        );
    }
    for message in [
        setup::Message::NameChanged("Phạm Thu Hà".into()),
        setup::Message::PinChanged("4821".into()),
        setup::Message::PinAgainChanged("4821".into()),
        setup::Message::Submit,
    ] {
        window.send(&mut app, Message::Setup(message));
    }
    assert_eq!(app.staff().map(|s| s.name.as_str()), Some("Phạm Thu Hà"));
    window.send(&mut app, Message::Command(Command::Show(Tab::Staff)));
    (dir, app, window)
}

#[test]
fn weak_taken_or_mistyped_pins_are_refused_and_nothing_is_saved() {
    let (_dir, mut app, mut window) = real_store_on_staff_screen();
    let people = |app: &App| app.store().unwrap().staff_accounts().unwrap().len();
    for (pin, again, refusal) in [
        (
            "1111",
            "1111",
            "Mã PIN quá dễ đoán (lặp một số, 1234, 1212…). Chọn mã khác.",
        ),
        (
            "4321",
            "4321",
            "Mã PIN quá dễ đoán (lặp một số, 1234, 1212…). Chọn mã khác.",
        ),
        (
            "4821",
            "4821",
            "Mã PIN này đã có người dùng. Mỗi người một mã riêng.",
        ),
        (
            "5937",
            "5973",
            "Hai lần nhập mã PIN không giống nhau. Nhập lại cả hai.",
        ),
    ] {
        add_person(
            &mut window,
            &mut app,
            "Lê Thị Mai",
            Role::Cashier,
            pin,
            again,
        );
        assert!(
            common::simulator(&app).find(refusal).is_ok(),
            "{pin}/{again}"
        );
        assert_eq!(people(&app), 1, "{pin}/{again} saved nobody");
        assert!(audit_rows(&app, AuditAct::StaffAdded).is_empty());
        window.send(
            &mut app,
            Message::Staff(StaffMessage::NameChanged(String::new())),
        );
    }
    add_person(
        &mut window,
        &mut app,
        "Lê Thị Mai",
        Role::Cashier,
        "5937",
        "5937",
    );
    assert!(common::simulator(&app).find("Đã lưu: Lê Thị Mai.").is_ok());
    assert_eq!(people(&app), 2);
    let rows = audit_rows(&app, AuditAct::StaffAdded);
    assert_eq!(
        (rows[0].subject.as_str(), rows[0].after.as_str()),
        ("Lê Thị Mai", "cashier")
    );

    // A PIN reset follows the same rules and never names the PIN in the audit log.
    let mai = staff_id(&app, "Lê Thị Mai");
    window.send(&mut app, Message::Staff(StaffMessage::ResetPin(mai)));
    for message in [
        StaffMessage::PinChanged("4821".into()),
        StaffMessage::PinAgainChanged("4821".into()),
        StaffMessage::Submit,
    ] {
        window.send(&mut app, Message::Staff(message));
    }
    assert!(audit_rows(&app, AuditAct::StaffPinReset).is_empty());
    for message in [
        StaffMessage::ResetPin(mai),
        StaffMessage::PinChanged("6048".into()),
        StaffMessage::PinAgainChanged("6048".into()),
        StaffMessage::Submit,
    ] {
        window.send(&mut app, Message::Staff(message));
    }
    let rows = audit_rows(&app, AuditAct::StaffPinReset);
    assert_eq!(rows.len(), 1);
    assert!(!format!("{rows:?}").contains("6048"));
    assert!(try_sign_in(&_dir, mai, "6048").is_ok());
}

#[test]
fn roles_change_but_one_active_manager_always_remains() {
    let (_dir, mut app, mut window) = real_store_on_staff_screen();
    let ha = staff_id(&app, "Phạm Thu Hà");
    for message in [
        StaffMessage::Disable(ha),
        StaffMessage::SetRole(ha, Role::Cashier),
    ] {
        window.send(&mut app, Message::Staff(message));
        assert!(
            common::simulator(&app)
                .find("Phải còn ít nhất một quản lý đang làm.")
                .is_ok()
        );
    }
    add_person(
        &mut window,
        &mut app,
        "Lê Thị Mai",
        Role::Manager,
        "5937",
        "5937",
    );
    let mai = staff_id(&app, "Lê Thị Mai");
    window.send(
        &mut app,
        Message::Staff(StaffMessage::SetRole(ha, Role::Cashier)),
    );
    window.send(
        &mut app,
        Message::Staff(StaffMessage::SetRole(mai, Role::Cashier)),
    );
    let roles: Vec<_> = app
        .store()
        .unwrap()
        .staff_accounts()
        .unwrap()
        .into_iter()
        .map(|a| (a.member.name, a.member.role))
        .collect();
    assert!(roles.contains(&("Lê Thị Mai".to_string(), Role::Manager)));
    assert!(roles.contains(&("Phạm Thu Hà".to_string(), Role::Cashier)));
    let rows = audit_rows(&app, AuditAct::StaffRoleChanged);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].before.as_str(), rows[0].after.as_str()),
        ("manager", "cashier")
    );
}

#[test]
fn a_demo_store_becomes_an_empty_real_store_with_the_demo_kept_aside() {
    let (dir, mut app) = demo_app();
    let mut window = Window::default();
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    // A demo sale leaves a receipt file, which must not stay among the real store's. (Its
    // print command does nothing, so the test opens no viewer.)
    command(&mut app, Command::Show(Tab::Settings));
    window.send(
        &mut app,
        Message::Settings(SettingsMessage::Changed(
            Setting::PrintCommand,
            "true".into(),
        )),
    );
    window.send(&mut app, Message::Settings(SettingsMessage::Save));
    command(&mut app, Command::Show(Tab::Checkout));
    window.send(
        &mut app,
        Message::Checkout(ocop_pos::ui::checkout::Message::ScanChanged(
            FISH_SAUCE.into(),
        )),
    );
    window.send(
        &mut app,
        Message::Checkout(ocop_pos::ui::checkout::Message::ScanSubmitted),
    );
    window.send_and_wait(&mut app, Message::Command(Command::ExactCash));
    assert_eq!(app.store().unwrap().sale_count().unwrap(), 1);
    assert!(dir.path().join("receipts").exists());

    command(&mut app, Command::Show(Tab::Settings));
    // The section heads the third column, above the fold at 768 pixels.
    window.click(&mut app, "Chuyển sang cửa hàng thật…");
    assert!(app.setup().is_none(), "one press only asks");
    window.tap(&mut app, Named::Escape);
    window.click(&mut app, "Chuyển sang cửa hàng thật…");
    window.click(&mut app, "Xác nhận: bắt đầu cửa hàng thật");

    assert!(
        app.setup().is_some(),
        "the real store starts with its setup"
    );
    let store = app.store().unwrap();
    assert_eq!(store.product_count().unwrap(), 0);
    assert_eq!(store.sale_count().unwrap(), 0);
    assert!(store.staff().unwrap().is_empty());
    assert_eq!(
        store.setting(STORE_KIND_SETTING).unwrap().as_deref(),
        Some("real")
    );
    let rows = audit_rows(&app, AuditAct::DemoMadeReal);
    assert_eq!((rows.len(), rows[0].actor.as_str()), (1, MANAGER.0));
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("demo-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "the demo is kept in one folder");
    assert_eq!(rows[0].subject, aside[0].display().to_string());
    let kept = ocop_pos::store::Store::open_in(&aside[0]).unwrap();
    assert_eq!(kept.sale_count().unwrap(), 1, "the demo's sale is kept");
    assert!(
        !dir.path().join("receipts").exists()
            || std::fs::read_dir(dir.path().join("receipts"))
                .unwrap()
                .next()
                .is_none()
    );
}

#[test]
fn a_counter_shows_the_stores_settings_read_only_and_saves_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(Some(dir.path().to_path_buf()), true);
    // The demo store's folder made counter AB of the same store: AA writes the store's details.
    config
        .open_store()
        .unwrap()
        .set_node_identity(None, Some("AB"), None)
        .unwrap();
    let mut app = App::new(&config);
    let mut window = Window::default();
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    command(&mut app, Command::Show(Tab::Settings));
    assert_eq!(app.tab(), Tab::Settings);
    assert!(
        common::simulator(&app)
            .find(
                "Thông tin cửa hàng, hóa đơn, chính sách và nhân viên do máy AA đặt và đến khi \
                 đồng bộ; ở đây chỉ sửa được cài đặt riêng của quầy (máy in, sao lưu, ký hiệu \
                 hóa đơn của quầy, mật khẩu gửi hóa đơn)."
            )
            .is_ok()
    );
    let before = app.store().unwrap().shop_settings().unwrap();

    // Typing into the shop's name changes nothing: the field takes no input here.
    window.click(&mut app, selector::id(input_id(Setting::ShopName)));
    window.type_text(&mut app, " 2");
    window.send(&mut app, Message::Settings(SettingsMessage::Save));
    assert!(
        common::simulator(&app)
            .find("Không có gì thay đổi.")
            .is_ok()
    );
    assert_eq!(app.store().unwrap().shop_settings().unwrap(), before);

    // The counter's own print command is changed and kept.
    window.send(
        &mut app,
        Message::Settings(SettingsMessage::Changed(
            Setting::PrintCommand,
            "true".into(),
        )),
    );
    window.send(&mut app, Message::Settings(SettingsMessage::Save));
    assert!(common::simulator(&app).find("Đã lưu 1 thay đổi.").is_ok());
    let after = app.store().unwrap().shop_settings().unwrap();
    assert_eq!(after.print_command, "true");
    assert_eq!(
        (after.shop_name, after.address),
        (before.shop_name, before.address)
    );
}
