//! The counter's money, as a new cashier, a hurried one and a dishonest one would try it: the
//! checkout screen driven message by message on a real store, as the window drives it.
//!
//! One test per path a new cashier found money going wrong (issue 11), each failing on the
//! code before the fix, then a model-based test: random sequences of scans, digits, F-keys,
//! Enter, Esc, parking, baskets, approvals given or refused and crashes, checked after every
//! step against the money invariants.

mod common;

use common::{DEMO_PRODUCTS, shop_time, text_of};
use ocop_pos::core::cart::{Cart, Discount};
use ocop_pos::core::money::Money;
use ocop_pos::core::reduction::{CashierLimits, ReductionKind};
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::core::staff::{GatedAct, Role, StaffMember};
use ocop_pos::documents::Document;
use ocop_pos::i18n::{Lang, Notice};
use ocop_pos::print::{ReceiptOptions, receipt_pdf};
use ocop_pos::store::{
    AUTO_OPEN_SESSIONS, DATABASE_FILE, SESSION_POLICY_SETTING, Store, VOID_LIMIT_SETTING,
};
use ocop_pos::ui::checkout::{Checkout, Message, PANEL_INPUT, SCAN_INPUT};
use ocop_pos::ui::keys::Command;
use ocop_pos::ui::{Action, Context};
use proptest::prelude::*;
use rusqlite::{Connection, OpenFlags};
use rust_decimal::Decimal;
use tempfile::TempDir;

const FISH_SAUCE: &str = "8930100000018"; // 165.000 ₫, 8 %
const PEPPER: &str = "8930100000063"; // 55.000 ₫
const RICE: &str = "8930101000116"; // 185.000 ₫, 5 %
const SEA_CUCUMBER: &str = "8930103000350"; // 900.000 ₫
const BARCODES: [&str; 4] = [FISH_SAUCE, PEPPER, RICE, SEA_CUCUMBER];

/// A counter: the checkout screen on a demo store, a cashier signed in and a manager at hand.
struct Counter {
    _dir: TempDir,
    store: Store,
    /// The same database read by the checks, as another program would.
    raw: Connection,
    shop: ShopSettings,
    cashier: StaffMember,
    manager: StaffMember,
    limits: CashierLimits,
    checkout: Checkout,
    /// The focus moved since the last keystroke: the panel's field is selected whole, so what
    /// is typed next replaces it (the window selects it as it focuses it).
    focus_moved: bool,
}

impl Counter {
    fn new(void_limit: Money) -> Counter {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        store.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
        let shop = ShopSettings::demo();
        store.save_shop_settings(&shop).unwrap();
        store
            .set_setting(SESSION_POLICY_SETTING, AUTO_OPEN_SESSIONS)
            .unwrap();
        store
            .set_setting(VOID_LIMIT_SETTING, &void_limit.dong().to_string())
            .unwrap();
        let limits = store.cashier_limits().unwrap();
        let raw = Connection::open_with_flags(
            dir.path().join(DATABASE_FILE),
            OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let checkout = Counter::reopen(&store);
        Counter {
            _dir: dir,
            store,
            raw,
            shop,
            cashier: StaffMember {
                id: 2,
                name: "Nguyễn Thị Lan".into(),
                role: Role::Cashier,
            },
            manager: StaffMember {
                id: 1,
                name: "Trần Văn Hùng".into(),
                role: Role::Manager,
            },
            limits,
            checkout,
            focus_moved: true,
        }
    }

    /// The screen as the window builds it when it starts: the cart on disk comes back.
    fn reopen(store: &Store) -> Checkout {
        let now = chrono::Utc::now();
        Checkout::open(store, now, store.load_open_cart().unwrap()).unwrap()
    }

    /// The power went: only what is on disk comes back.
    fn crash(&mut self) {
        self.checkout = Counter::reopen(&self.store);
        self.focus_moved = true;
    }

    /// Sends a message as the cashier. When a manager is asked, `approve` says whether one
    /// types her PIN (the message then comes again with her approval) or walks away.
    fn send(&mut self, message: Message, approve: bool) -> Action {
        let typing = Checkout::is_typing(&message);
        let mut context = Context::new(
            &mut self.store,
            &self.shop,
            &self.cashier,
            None,
            self.limits,
        );
        let action = self.checkout.update(message.clone(), &mut context);
        let action = match action {
            Action::NeedsApproval(_) if approve => {
                let mut context = Context::new(
                    &mut self.store,
                    &self.shop,
                    &self.cashier,
                    Some(&self.manager),
                    self.limits,
                );
                self.checkout.update(message, &mut context)
            }
            other => other,
        };
        if !typing {
            self.focus_moved = true;
        }
        action
    }

    fn key(&mut self, command: Command, approve: bool) -> Action {
        self.send(Message::Command(command), approve)
    }

    /// Keys typed into the field that has the focus, as the field reports them.
    fn type_text(&mut self, typed: &str) {
        let Some(field) = self.checkout.focused_input() else {
            return;
        };
        let shown = self.checkout.field_text().unwrap_or_default();
        let value = if field == PANEL_INPUT && self.focus_moved {
            typed.to_string()
        } else {
            format!("{shown}{typed}")
        };
        self.focus_moved = false;
        let message = if field == SCAN_INPUT {
            Message::ScanChanged(value)
        } else if field == PANEL_INPUT {
            Message::PanelInputChanged(value)
        } else {
            return;
        };
        self.send(message, false);
    }

    /// Enter, where the window sends it: the focused field's submit, else a confirmation.
    fn enter(&mut self, approve: bool) -> Action {
        let message = match self.checkout.focused_input() {
            Some(SCAN_INPUT) => Message::ScanSubmitted,
            Some(PANEL_INPUT) => Message::PanelSubmitted,
            Some(_) => return Action::None,
            None => Message::Command(Command::Confirm),
        };
        self.send(message, approve)
    }

    fn scan(&mut self, code: &str) {
        self.send(Message::ScanChanged(code.to_string()), false);
        self.send(Message::ScanSubmitted, false);
    }

    fn cart(&self) -> &Cart {
        self.checkout.cart()
    }

    fn number(&self, sql: &str) -> i64 {
        self.raw.query_row(sql, [], |row| row.get(0)).unwrap()
    }

    fn sales(&self) -> i64 {
        self.number("SELECT count(*) FROM sales")
    }

    fn audit_acts(&self, act: &str) -> Vec<(String, Option<String>)> {
        self.raw
            .prepare("SELECT actor, approver FROM audit_log WHERE act = ?1 ORDER BY id")
            .unwrap()
            .query_map([act], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn reductions(&self) -> Vec<(String, i64, Option<String>)> {
        self.raw
            .prepare("SELECT kind, amount, approver FROM reductions ORDER BY id")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

// 1. Enter after a partial cash tender completed the sale with cash never handed over; a card
//    completed at once, with nobody asked whether the terminal approved.
#[test]
fn enter_never_completes_an_underpaid_sale_and_a_card_waits_for_the_terminal() {
    let mut counter = Counter::new(Money::ZERO);
    counter.scan(FISH_SAUCE);
    counter.scan(RICE);
    counter.scan(PEPPER); // 405.000 ₫
    counter.key(Command::Pay, false);
    counter.type_text("100000");
    counter.enter(false);
    counter.enter(false);
    assert_eq!(counter.sales(), 0, "no sale on 100.000 of 405.000");
    assert_eq!(
        counter.checkout.notice(),
        Some(&Notice::TypeCashReceived(Money(305_000)))
    );
    // The button says the same as the key.
    counter.send(Message::Complete, false);
    assert_eq!(counter.sales(), 0);

    // Card: the rest by card is asked about first; Esc declines, nothing is taken.
    counter.key(Command::LineDiscount, false); // F4 in the pay panel: card
    counter.enter(false);
    assert_eq!(counter.sales(), 0, "nobody said the terminal approved");
    assert_eq!(
        counter.checkout.focused_input(),
        None,
        "the question holds Enter"
    );
    counter.key(Command::Cancel, false);
    assert_eq!(counter.cart().paid(), Money(100_000));
    counter.enter(false);
    counter.send(Message::ConfirmTender, false);
    assert_eq!(counter.sales(), 1);
    let tenders = counter.number("SELECT count(*) FROM payments");
    assert_eq!(tenders, 2, "the cash handed over and the approved card");
}

// 2. A basket priced below its contents was a discount nobody approved.
#[test]
fn a_basket_below_its_contents_is_a_discount_under_the_same_limit() {
    let mut counter = Counter::new(Money::ZERO);
    counter.key(Command::Basket, false);
    counter.scan(SEA_CUCUMBER);
    counter.key(Command::Basket, false);
    counter.type_text("100000");
    let asked = counter.enter(false);
    assert!(matches!(
        asked,
        Action::NeedsApproval(GatedAct::DiscountAboveLimit)
    ));
    assert!(
        counter.cart().is_empty(),
        "nothing sold below 900.000 without a manager"
    );
    counter.enter(true);
    let basket = &counter.cart().lines[0];
    assert_eq!(basket.unit_price, Money(900_000));
    assert_eq!(basket.discount, Discount::Amount(Money(800_000)));
    assert_eq!(counter.cart().totals().total, Money(100_000));
    assert_eq!(
        counter.reductions(),
        vec![(
            "basket_below_contents".to_string(),
            800_000,
            Some(counter.manager.name.clone())
        )]
    );
    assert_eq!(counter.audit_acts("discount_above_limit").len(), 1);
    // The receipt shows the saving as a discount.
    counter.key(Command::ExactCash, false);
    let year = chrono::Local::now().format("%Y");
    let sale = counter
        .store
        .sale_by_receipt_no(&format!("{year}-AA-000001"))
        .unwrap()
        .unwrap();
    assert_eq!(sale.draft.discounts, Money(800_000));
    let text = text_of(&receipt_pdf(
        &counter.shop,
        &sale,
        &ReceiptOptions::default(),
    ));
    assert!(text.contains("Giảm giá"), "{text}");
    assert!(text.contains("-800.000"), "{text}");
}

// 3. Digits typed into a prefilled field were appended to it.
#[test]
fn typing_into_a_prefilled_field_replaces_it() {
    let mut counter = Counter::new(Money(1_000_000));
    counter.scan(PEPPER);
    counter.key(Command::Quantity, false);
    // The window selects the field as it focuses it; were the selection lost, the field
    // reports "13" for a 3 typed after the 1 it shows.
    counter.send(Message::PanelInputChanged("13".into()), false);
    counter.enter(false);
    assert_eq!(counter.cart().lines[0].quantity, Decimal::from(3));

    counter.key(Command::Basket, false);
    counter.scan(PEPPER);
    counter.key(Command::Basket, false);
    counter.send(Message::PanelInputChanged("5500050000".into()), false);
    counter.enter(true);
    assert_eq!(counter.cart().lines[1].unit_price, Money(55_000));
    assert_eq!(counter.cart().totals().lines[1].total, Money(50_000));
}

// 4. Lowering a quantity was a void nobody approved and nothing recorded.
#[test]
fn lowering_a_quantity_is_a_void_under_the_same_rule() {
    let mut counter = Counter::new(Money::ZERO);
    for _ in 0..3 {
        counter.scan(PEPPER);
    }
    counter.key(Command::Quantity, false);
    counter.type_text("1");
    let asked = counter.enter(false);
    assert!(matches!(asked, Action::NeedsApproval(GatedAct::VoidLine)));
    assert_eq!(counter.cart().lines[0].quantity, Decimal::from(3));
    counter.enter(true);
    assert_eq!(counter.cart().lines[0].quantity, Decimal::ONE);
    // `-` in the empty scan field: the same.
    counter.key(Command::Search, false);
    counter.scan(PEPPER);
    let asked = counter.send(Message::ScanChanged("-".into()), false);
    assert!(matches!(asked, Action::NeedsApproval(GatedAct::VoidLine)));
    assert_eq!(counter.cart().lines[0].quantity, Decimal::from(2));
    counter.send(Message::ScanChanged("-".into()), true);
    assert_eq!(counter.cart().lines[0].quantity, Decimal::ONE);
    let manager = Some(counter.manager.name.clone());
    assert_eq!(
        counter.reductions(),
        vec![
            ("quantity_down".to_string(), 110_000, manager.clone()),
            ("quantity_down".to_string(), 55_000, manager),
        ]
    );
    assert_eq!(counter.audit_acts("lower_quantity").len(), 2);

    // Within a cashier's void limit she lowers it alone, and it is still recorded.
    let mut counter = Counter::new(Money(60_000));
    counter.scan(PEPPER);
    counter.scan(PEPPER);
    let done = counter.send(Message::ScanChanged("-".into()), false);
    assert!(matches!(done, Action::None));
    assert_eq!(
        counter.reductions(),
        vec![("quantity_down".to_string(), 55_000, None)]
    );
}

// 5. Tenders vanished with Esc, and a confirmed transfer with a crash.
#[test]
fn tenders_stay_with_the_cart_through_esc_and_a_crash() {
    let mut counter = Counter::new(Money::ZERO);
    counter.scan(FISH_SAUCE);
    counter.scan(RICE);
    counter.key(Command::Pay, false);
    counter.type_text("50000");
    counter.enter(false);
    counter.key(Command::Cancel, false);
    counter.key(Command::Pay, false);
    assert_eq!(counter.cart().paid(), Money(50_000), "Esc keeps the tender");
    counter.key(Command::Quantity, false); // F3: transfer
    counter.enter(false);
    counter.send(Message::ConfirmTender, false);
    // Covered: the sale completed with both.
    assert_eq!(counter.sales(), 1);

    counter.scan(RICE);
    counter.key(Command::Pay, false);
    counter.key(Command::Quantity, false);
    counter.type_text("100000");
    counter.enter(false);
    counter.send(Message::ConfirmTender, false);
    counter.crash();
    assert_eq!(
        counter.cart().paid(),
        Money(100_000),
        "the confirmed transfer came back"
    );
    assert_eq!(
        counter.checkout.notice(),
        Some(&Notice::CartRestored),
        "and the cashier is told"
    );
    // Taking a bank-confirmed transfer back needs a manager and is audited.
    counter.key(Command::Pay, false);
    let asked = counter.send(Message::RemoveTender(0), false);
    assert!(matches!(
        asked,
        Action::NeedsApproval(GatedAct::RemoveTender)
    ));
    assert_eq!(counter.cart().paid(), Money(100_000));
    counter.send(Message::RemoveTender(0), true);
    assert_eq!(counter.cart().paid(), Money::ZERO);
    assert_eq!(
        counter.audit_acts("remove_tender"),
        vec![(
            counter.cashier.name.clone(),
            Some(counter.manager.name.clone())
        )]
    );
}

// 6. The transfer note was a time: now the cart's number, which the sale keeps, and a manager
//    finds the sale by the transfer's amount.
#[test]
fn the_transfer_note_names_the_cart_and_the_sale_is_found_by_its_amount() {
    let mut counter = Counter::new(Money::ZERO);
    counter.scan(RICE);
    let cart_no = counter.cart().number.clone().expect("a cart number");
    counter.key(Command::Pay, false);
    counter.key(Command::Quantity, false);
    counter.enter(false);
    counter.send(Message::ConfirmTender, false);
    let found = counter.store.transfers_of_amount(Money(185_000)).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].cart_no.as_deref(), Some(cart_no.as_str()));
    assert_eq!(
        found[0].reference.as_deref(),
        Some(format!("OCOP {cart_no}").as_str())
    );
    assert!(
        counter
            .store
            .transfers_of_amount(Money(185_001))
            .unwrap()
            .is_empty()
    );
    // The receipt says it is paid; no code to pay again.
    let sale = counter
        .store
        .sale_by_receipt_no(&found[0].receipt_no)
        .unwrap()
        .unwrap();
    let document = Document::Receipt {
        sale: Box::new(sale),
        copy: false,
    };
    let text = text_of(&document.bytes(&counter.shop));
    assert!(text.contains("Đã thanh toán chuyển khoản"), "{text}");
    assert!(text.contains(&cart_no), "{text}");
    assert!(!text.contains("Quét mã VietQR"), "{text}");
}

// 7. A manager was called for requests that could never be done.
#[test]
fn impossible_discounts_are_refused_before_a_manager_is_asked() {
    let mut counter = Counter::new(Money::ZERO);
    counter.scan(PEPPER);
    for (typed, refusal) in [
        ("60000", "discount above the line"),
        ("150%", "more than 100 %"),
    ] {
        counter.key(Command::LineDiscount, false);
        counter.type_text(typed);
        let action = counter.enter(false);
        assert!(matches!(action, Action::None), "{refusal}: {action:?}");
        assert!(
            matches!(counter.checkout.notice(), Some(Notice::Cart(_))),
            "{refusal}"
        );
        counter.key(Command::Cancel, false);
    }
    assert_eq!(counter.cart().lines[0].discount, Discount::None);
}

// 10. A basket being put together was lost in a crash.
#[test]
fn a_basket_in_the_making_survives_a_crash() {
    let mut counter = Counter::new(Money::ZERO);
    counter.key(Command::Basket, false);
    counter.scan(FISH_SAUCE);
    counter.scan(PEPPER);
    counter.crash();
    let building = counter
        .cart()
        .building
        .clone()
        .expect("the basket came back");
    assert_eq!(building.len(), 2);
    assert_eq!(counter.checkout.notice(), Some(&Notice::CartRestored));
    assert!(
        Notice::CartRestored.text(Lang::Vi).contains("mở lại"),
        "told in Vietnamese"
    );
}

// The model.

/// One thing a cashier does.
#[derive(Debug, Clone)]
enum Step {
    Scan(usize),
    Type(String),
    Plus,
    Minus,
    Key(Command),
    Enter,
    QuickCash(i64),
    ConfirmTender,
    RemoveTender(usize),
    Complete,
    SelectLine(usize),
    Resume(usize),
    Crash,
}

fn step() -> impl Strategy<Value = (Step, bool)> {
    let commands = prop_oneof![
        Just(Command::Search),
        Just(Command::Quantity),
        Just(Command::LineDiscount),
        Just(Command::OrderDiscount),
        Just(Command::Park),
        Just(Command::Parked),
        Just(Command::RemoveLine),
        Just(Command::CancelCart),
        Just(Command::Pay),
        Just(Command::ExactCash),
        Just(Command::Cancel),
        Just(Command::Basket),
        Just(Command::Up),
        Just(Command::Down),
    ];
    let typed = prop_oneof![
        "[0-9]{1,6}",
        Just("0".to_string()),
        Just("5%".to_string()),
        Just("50%".to_string()),
        Just("100%".to_string()),
        Just("2".to_string()),
        Just("abc".to_string()),
    ];
    let step = prop_oneof![
        4 => (0..BARCODES.len()).prop_map(Step::Scan),
        3 => typed.prop_map(Step::Type),
        1 => Just(Step::Plus),
        2 => Just(Step::Minus),
        5 => commands.prop_map(Step::Key),
        4 => Just(Step::Enter),
        2 => prop_oneof![Just(100_000i64), Just(500_000), Just(1_000_000)].prop_map(Step::QuickCash),
        2 => Just(Step::ConfirmTender),
        2 => (0usize..3).prop_map(Step::RemoveTender),
        1 => Just(Step::Complete),
        1 => (0usize..4).prop_map(Step::SelectLine),
        1 => (0usize..3).prop_map(Step::Resume),
        1 => Just(Step::Crash),
    ];
    (step, any::<bool>())
}

/// The money the counter holds account of, as another program reads it from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Books {
    /// What was rung up and is still somewhere: on the counter, parked, sold — plus every
    /// reduction recorded. Lowering a sale's worth without a record makes it fall.
    worth: i64,
    /// Money recorded as paid: in carts, in sales, or recorded as taken back.
    paid: i64,
}

impl Counter {
    fn books(&self) -> Books {
        let parked = self.store.parked_cart_contents().unwrap();
        let taken_back: i64 = self
            .raw
            .prepare("SELECT before FROM audit_log WHERE act = 'remove_tender'")
            .unwrap()
            .query_map([], |row| row.get::<_, String>(0))
            .unwrap()
            .map(|before| {
                let digits: String = before
                    .unwrap()
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                digits.parse::<i64>().unwrap()
            })
            .sum();
        Books {
            worth: self.cart().totals().total.dong()
                + parked.iter().map(|c| c.totals().total.dong()).sum::<i64>()
                + self.number("SELECT coalesce(sum(total), 0) FROM sales")
                + self.number("SELECT coalesce(sum(amount), 0) FROM reductions"),
            paid: self.cart().paid().dong()
                + parked.iter().map(|c| c.paid().dong()).sum::<i64>()
                + self.number("SELECT coalesce(sum(amount), 0) FROM payments")
                + taken_back,
        }
    }

    fn apply(&mut self, step: &Step, approve: bool) {
        match step {
            Step::Scan(index) => self.scan(BARCODES[*index]),
            Step::Type(text) => self.type_text(text),
            Step::Plus | Step::Minus if self.checkout.field_text() == Some("") => {
                let sign = if matches!(step, Step::Plus) { "+" } else { "-" };
                if self.checkout.focused_input() == Some(SCAN_INPUT) {
                    self.send(Message::ScanChanged(sign.into()), approve);
                }
            }
            Step::Plus | Step::Minus => {}
            Step::Key(command) => {
                self.key(*command, approve);
            }
            Step::Enter => {
                self.enter(approve);
            }
            Step::QuickCash(amount) => {
                self.send(Message::QuickCash(Money(*amount)), approve);
            }
            Step::ConfirmTender => {
                self.send(Message::ConfirmTender, approve);
            }
            Step::RemoveTender(index) => {
                self.send(Message::RemoveTender(*index), approve);
            }
            Step::Complete => {
                self.send(Message::Complete, approve);
            }
            Step::SelectLine(index) => {
                self.send(Message::SelectLine(*index), approve);
            }
            Step::Resume(index) => {
                if let Some(parked) = self.store.parked_carts().unwrap().get(*index) {
                    let id = parked.id;
                    self.send(Message::Resume(id), approve);
                }
            }
            Step::Crash => self.crash(),
        }
    }

    /// The most money a step may record as paid: what the customer hands over is what the
    /// cashier types or clicks, the rest exactly by F10, a card or transfer once the cashier
    /// says it went through. Nothing else records money.
    fn may_take(&self, step: &Step) -> i64 {
        let remaining = self.cart().remaining().dong();
        match step {
            Step::QuickCash(amount) => *amount,
            Step::Key(Command::ExactCash) | Step::ConfirmTender => remaining,
            // Enter answers the question of a card or transfer (no field has the focus then).
            Step::Enter if self.checkout.focused_input().is_none() => remaining,
            Step::Enter if self.checkout.focused_input() == Some(PANEL_INPUT) => self
                .checkout
                .field_text()
                .and_then(|typed| ocop_pos::core::money::parse_amount(typed).ok())
                .map_or(0, Money::dong),
            _ => 0,
        }
    }

    /// Everything that must hold whatever was pressed.
    fn check(&self, before: Books, may_take: i64, step: &Step) -> Result<(), TestCaseError> {
        let after = self.books();
        prop_assert!(
            after.paid - before.paid <= may_take,
            "{step:?} recorded {} as paid; the customer handed over at most {may_take}",
            after.paid - before.paid
        );
        prop_assert!(
            after.worth >= before.worth,
            "{step:?} lowered the sales' worth by {} with no record",
            before.worth - after.worth
        );
        prop_assert!(
            after.paid >= before.paid,
            "{step:?} lost {} recorded as paid",
            before.paid - after.paid
        );
        prop_assert_eq!(
            &self.store.load_open_cart().unwrap(),
            self.cart(),
            "the cart on screen is the cart on disk"
        );
        // Every completed sale is covered by its tenders; change comes from cash only.
        let mut sales = self
            .raw
            .prepare(
                "SELECT s.receipt_no, s.total, s.change_given,
                        coalesce(sum(p.amount), 0),
                        coalesce(sum(CASE WHEN p.method = 'cash' THEN p.amount END), 0)
                   FROM sales s LEFT JOIN payments p ON p.sale_id = s.id GROUP BY s.id",
            )
            .unwrap();
        let rows = sales
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, i64>(4)?,
                ))
            })
            .unwrap();
        for row in rows {
            let (receipt, total, change, paid, cash) = row.unwrap();
            prop_assert!(paid >= total, "{receipt}: paid {paid} of {total}");
            prop_assert_eq!(change, paid - total, "{}", receipt);
            prop_assert!(
                change <= cash,
                "{receipt}: change {change} from {cash} cash"
            );
            prop_assert!(
                paid - cash <= total,
                "{receipt}: card/transfer above the total"
            );
        }
        // Every act beyond a cashier's limits has its manager.
        for (kind, amount, approver) in self.reductions() {
            let kind = ReductionKind::from_code(&kind).unwrap();
            if kind.is_void() && Money(amount) > self.limits.void_amount {
                prop_assert!(approver.is_some(), "{kind:?} of {amount} without a manager");
            }
        }
        let carts =
            std::iter::once(self.cart().clone()).chain(self.store.parked_cart_contents().unwrap());
        for cart in carts {
            prop_assert!(
                !cart.has_unapproved_discount_above(self.limits.discount_pct),
                "a discount above the limit nobody approved: {cart:?}"
            );
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1000,
        max_shrink_iters: 2000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_key_sequence_loses_money_or_lowers_a_sale_without_a_record(
        steps in prop::collection::vec(step(), 1..40),
        void_limit in prop_oneof![Just(0i64), Just(60_000)],
    ) {
        let mut counter = Counter::new(Money(void_limit));
        for (step, approve) in &steps {
            let before = counter.books();
            let may_take = counter.may_take(step);
            counter.apply(step, *approve);
            counter.check(before, may_take, step)?;
        }
    }
}

// 9. The refund form showed no amount until the manager had approved, a stale value after a
//    partial refund, and the slip did not name the approver.
#[test]
fn the_refund_form_shows_what_goes_back_before_the_manager_is_asked() {
    use ocop_pos::ui::refund_form::Message as Refund;
    let mut counter = Counter::new(Money::ZERO);
    counter.scan(FISH_SAUCE);
    counter.scan(FISH_SAUCE);
    counter.key(Command::ExactCash, false);
    let year = chrono::Local::now().format("%Y");
    let receipt_no = format!("{year}-AA-000001");
    let refund = |counter: &mut Counter, message: Refund, approve: bool| {
        counter.send(Message::Refund(message), approve)
    };
    let shows = |counter: &Counter, text: &str| {
        iced_test::Simulator::new(counter.checkout.view(Lang::Vi))
            .find(text)
            .is_ok()
    };
    counter.key(Command::Refund, false);
    refund(
        &mut counter,
        Refund::ReceiptChanged(receipt_no.clone()),
        false,
    );
    refund(&mut counter, Refund::Load, false);
    refund(&mut counter, Refund::QuantityChanged(0, "1".into()), false);
    assert!(shows(&counter, "Số tiền hoàn lại: 165.000 ₫"));
    let asked = refund(&mut counter, Refund::Confirm, false);
    assert!(matches!(asked, Action::NeedsApproval(GatedAct::Refund)));
    refund(&mut counter, Refund::Confirm, true);
    let approver: Option<String> = counter
        .raw
        .query_row("SELECT approver FROM refunds", [], |row| row.get(0))
        .unwrap();
    assert_eq!(approver, Some(counter.manager.name.clone()));

    // What is left is what is left: one bottle, 165.000 ₫, not the line's 330.000 ₫.
    counter.key(Command::Refund, false);
    refund(&mut counter, Refund::ReceiptChanged(receipt_no), false);
    refund(&mut counter, Refund::Load, false);
    assert!(shows(&counter, "còn trả được: 1 chai 500ml · 165.000 ₫"));
    assert!(!shows(&counter, "330.000 ₫"));
}
