//! The audit log of manager acts: each act that is a store operation writes its own row, named
//! for what happened, with who did it, who approved it and what changed, in the act's own
//! transaction. Rows written by earlier versions stay readable.

mod common;

use chrono::Duration;
use common::{demo_store, product, shop_time};
use ocop_pos::core::audit::{Actor, AuditAct};
use ocop_pos::core::cash::{CashMoveKind, NoteCount};
use ocop_pos::core::inventory::{AdjustmentReason, ProductDraft, ReceiptLine};
use ocop_pos::core::money::Money;
use ocop_pos::core::staff::{AuditEntry, Role};
use ocop_pos::core::vat::VatRate;
use ocop_pos::store::{AuditFilter, ImportMode, Store};
use rust_decimal::Decimal;
use std::collections::HashSet;

const FISH_SAUCE: &str = "8930100000018"; // KG001, 165.000 ₫, 8 %
const CASHIER: &str = "Nguyễn Thị Lan";
const MANAGER: &str = "Trần Văn Hùng";

/// A cashier acting with a manager's approval.
fn approved() -> Actor<'static> {
    Actor {
        name: CASHIER,
        approver: Some(MANAGER),
    }
}

fn rows(store: &Store) -> Vec<AuditEntry> {
    let mut rows = store.audit_entries(&AuditFilter::default()).unwrap();
    rows.reverse();
    rows
}

/// Runs `act` and returns the audit rows it wrote, oldest first.
fn audited(store: &mut Store, act: impl FnOnce(&mut Store)) -> Vec<AuditEntry> {
    let before = rows(store).len();
    act(store);
    rows(store).split_off(before)
}

fn new_product(sku: &str) -> ProductDraft {
    ProductDraft {
        sku: sku.into(),
        barcodes: Vec::new(),
        name: "Tiêu đen Phú Quốc 200g".into(),
        producer: "CTCP Thương mại Khải Hoàn".into(),
        ocop_group: "Thực phẩm".into(),
        stars: Some(4),
        unit: "hũ".into(),
        sold_by_weight: false,
        plu: None,
        price: Money(100_000),
        vat: VatRate::from_code("8").unwrap(),
        low_stock: Decimal::from(5),
        active: true,
    }
}

/// Checks the one row an act wrote and returns it.
fn one(rows: Vec<AuditEntry>, act: AuditAct) -> AuditEntry {
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = rows.into_iter().next().unwrap();
    assert_eq!(row.act, act, "{row:?}");
    row
}

#[test]
fn each_store_act_writes_its_own_row_with_who_approved_and_what_changed() {
    let (_dir, mut store) = demo_store();
    let at = shop_time();
    let mut seen = HashSet::new();
    let mut check = |row: &AuditEntry| {
        assert_eq!(row.actor, CASHIER, "{row:?}");
        assert_eq!(row.approver.as_deref(), Some(MANAGER), "{row:?}");
        seen.insert(row.act);
    };

    // The cash drawer.
    let row = one(
        audited(&mut store, |s| {
            s.open_cash_session(Money(500_000), approved(), at).unwrap();
        }),
        AuditAct::OpenCashSession,
    );
    assert_eq!(row.after, "500.000 ₫");
    check(&row);
    for (kind, act) in [
        (CashMoveKind::In, AuditAct::CashIn),
        (CashMoveKind::Out, AuditAct::CashOut),
    ] {
        let row = one(
            audited(&mut store, |s| {
                s.record_cash_move(kind, Money(120_000), "Mua túi giấy", approved(), at)
                    .unwrap();
            }),
            act,
        );
        assert_eq!(
            (row.subject.as_str(), row.after.as_str()),
            ("Mua túi giấy", "120.000 ₫")
        );
        check(&row);
    }
    let session = store.current_cash_session().unwrap().unwrap();
    let mut counts = NoteCount::default();
    counts.set(500_000, 1).unwrap();
    counts.set(10_000, 1).unwrap();
    let row = one(
        audited(&mut store, |s| {
            s.close_cash_session(session.id, &counts, "Thừa do khách gửi", approved(), at)
                .unwrap();
        }),
        AuditAct::CloseCashSession,
    );
    assert_eq!(row.subject, "Z2026-AA-0001");
    assert_eq!(row.before, "500.000 ₫");
    assert_eq!(row.after, "510.000 ₫ (+10.000 ₫) · Thừa do khách gửi");
    check(&row);

    // Stock.
    let fish = product(&store, FISH_SAUCE);
    let producer = store.producer_drafts().unwrap()[0].0;
    let row = one(
        audited(&mut store, |s| {
            s.receive_stock(
                producer,
                &[ReceiptLine {
                    product_id: fish.id,
                    quantity: Decimal::from(24),
                    unit_cost: Money(110_000),
                    lot: "L7".into(),
                    expires_on: None,
                }],
                "GH-17",
                at,
                approved(),
            )
            .unwrap();
        }),
        AuditAct::ReceiveStock,
    );
    assert_eq!(row.subject, "PN2026-AA-000001");
    assert!(row.after.ends_with(" · 1 · 2.640.000 ₫"), "{row:?}");
    check(&row);
    let stock = store.ledger_stock(fish.id).unwrap();
    let row = one(
        audited(&mut store, |s| {
            s.adjust_stock(
                fish.id,
                Decimal::from(-2),
                AdjustmentReason::Damaged,
                "Vỡ chai",
                at,
                approved(),
            )
            .unwrap();
        }),
        AuditAct::AdjustStock,
    );
    assert_eq!(row.subject, "KG001");
    assert_eq!(row.before, stock.to_string());
    assert_eq!(
        row.after,
        format!("{} (damaged) · Vỡ chai", stock - Decimal::from(2))
    );
    check(&row);
    let row = one(
        audited(&mut store, |s| {
            s.post_stock_count(&[(fish.id, Decimal::from(7))], at, approved())
                .unwrap();
        }),
        AuditAct::PostStockCount,
    );
    assert_eq!(
        (row.subject.as_str(), row.before.clone(), row.after.as_str()),
        ("KG001", (stock - Decimal::from(2)).to_string(), "7")
    );
    check(&row);
    // A count that agrees with the books changes nothing and writes nothing.
    assert!(
        audited(&mut store, |s| {
            s.post_stock_count(&[(fish.id, Decimal::from(7))], at, approved())
                .unwrap();
        })
        .is_empty()
    );

    // Products.
    let mut id = 0;
    let row = one(
        audited(&mut store, |s| {
            id = s
                .create_product(new_product("KG900"), at, approved())
                .unwrap();
        }),
        AuditAct::CreateProduct,
    );
    assert_eq!(row.subject, "KG900");
    check(&row);
    let mut renamed = new_product("KG900");
    renamed.name = "Tiêu đỏ Phú Quốc 200g".into();
    renamed.price = Money(120_000);
    let written = audited(&mut store, |s| {
        s.update_product(id, renamed.clone(), at, approved())
            .unwrap();
    });
    assert_eq!(written.len(), 2, "{written:?}");
    assert_eq!(written[0].act, AuditAct::ChangePrice);
    assert_eq!(written[0].before, "100.000 ₫ · 8%");
    assert_eq!(written[0].after, "120.000 ₫ · 8%");
    assert_eq!(written[1].act, AuditAct::EditProduct);
    assert_eq!(written[1].before, "name: Tiêu đen Phú Quốc 200g");
    assert_eq!(written[1].after, "name: Tiêu đỏ Phú Quốc 200g");
    written.iter().for_each(&mut check);
    let row = one(
        audited(&mut store, |s| {
            s.schedule_price(id, Money(130_000), at + Duration::days(30), approved())
                .unwrap();
        }),
        AuditAct::ChangePrice,
    );
    assert!(row.after.starts_with("130.000 ₫ · 8% ("), "{row:?}");
    for (active, act) in [
        (false, AuditAct::DeactivateProduct),
        (true, AuditAct::ReactivateProduct),
    ] {
        let row = one(
            audited(&mut store, |s| {
                s.set_product_active(id, active, approved()).unwrap()
            }),
            act,
        );
        assert_eq!(row.subject, "KG900");
        check(&row);
    }
    let row = one(
        audited(&mut store, |s| s.delete_product(id, approved()).unwrap()),
        AuditAct::DeleteProduct,
    );
    assert_eq!(
        (row.subject.as_str(), row.before.as_str()),
        ("KG900", "Tiêu đỏ Phú Quốc 200g")
    );
    check(&row);

    // A CSV import: a preview writes nothing; the import one row, and one per price change.
    let mut catalogue = store.export_products(at).unwrap();
    let fish_row = catalogue.iter_mut().find(|p| p.sku == "KG001").unwrap();
    fish_row.price = Money(170_000);
    let csv = ocop_pos::documents::products_csv(&catalogue);
    assert!(
        audited(&mut store, |s| {
            s.import_products(&csv, ImportMode::Preview, at, approved(), &mut |_, _| {})
                .unwrap();
        })
        .is_empty()
    );
    let written = audited(&mut store, |s| {
        s.import_products(&csv, ImportMode::Commit, at, approved(), &mut |_, _| {})
            .unwrap();
    });
    assert_eq!(
        written.iter().map(|row| row.act).collect::<Vec<_>>(),
        [AuditAct::ChangePrice, AuditAct::ImportProducts]
    );
    assert_eq!(written[0].subject, "KG001");
    assert_eq!(written[0].before, "165.000 ₫ · 8%");
    assert_eq!(written[0].after, "170.000 ₫ · 8%");
    assert_eq!(written[1].after, format!("+0 ~1 ={}", catalogue.len() - 1));
    written.iter().for_each(&mut check);

    // Every act a store operation does is covered here; the window's own acts (opening a
    // screen, a void, a discount, a reprint, a refund) by the GUI tests; a failed PIN and an
    // acknowledged break below and in tests/chain.rs; the counter's reductions and tenders taken
    // back by tests/checkout_money.rs; setup, settings and staff acts by tests/staff.rs and
    // tests/gui_live.rs; the command line's own acts (sending and exporting invoices among
    // them) by tests/command_line.rs and restores by tests/restore_numbers.rs; the orders' acts
    // by tests/orders.rs and tests/gui_orders.rs.
    let elsewhere = [
        AuditAct::Restore,
        AuditAct::CatalogueImported,
        AuditAct::CorrectInvoice,
        AuditAct::GiftPackChanged,
        AuditAct::BuyerSaved,
        AuditAct::StoreSetUp,
        AuditAct::SettingChanged,
        AuditAct::DemoMadeReal,
        // tests/command_line.rs: `events import`.
        AuditAct::EventsImported,
        AuditAct::StaffAdded,
        AuditAct::StaffDisabled,
        AuditAct::StaffEnabled,
        AuditAct::StaffRoleChanged,
        AuditAct::StaffPinReset,
        AuditAct::OpenSettingsScreen,
        AuditAct::OpenStaffScreen,
        // tests/gui_counter_hardware.rs: the drawer opened without a sale.
        AuditAct::OpenDrawer,
        AuditAct::VoidLine,
        AuditAct::LowerQuantity,
        AuditAct::Discount,
        AuditAct::RemoveTender,
        AuditAct::CancelCart,
        AuditAct::DiscountAboveLimit,
        AuditAct::Refund,
        AuditAct::Reprint,
        AuditAct::OpenDailyScreen,
        AuditAct::OpenBackupsScreen,
        AuditAct::OpenAuditLog,
        AuditAct::OpenInventoryScreen,
        AuditAct::PinFailed,
        AuditAct::AcknowledgeChainBreak,
        AuditAct::CancelOrder,
        AuditAct::SetCreditTerms,
        AuditAct::OverCreditLimit,
        AuditAct::EraseCustomer,
        AuditAct::SendEinvoices,
        AuditAct::ExportEinvoices,
        // tests/command_line.rs and tests/hub_chaos.rs: `till-sim`.
        AuditAct::TillSimulation,
    ];
    for act in AuditAct::ALL {
        assert!(
            seen.contains(&act) || elsewhere.contains(&act) || act.is_former(),
            "{act:?} is written by no test"
        );
    }
}

#[test]
fn a_refused_act_writes_no_row_and_a_failed_write_keeps_neither() {
    let (_dir, mut store) = demo_store();
    let at = shop_time();
    store.open_cash_session(Money(0), MANAGER, at).unwrap();
    let session = store.current_cash_session().unwrap().unwrap();
    // Refused: no reason; a difference without a note.
    assert!(
        audited(&mut store, |s| {
            assert!(
                s.record_cash_move(CashMoveKind::Out, Money(1_000), " ", MANAGER, at)
                    .is_err()
            );
            let mut counts = NoteCount::default();
            counts.set(1_000, 1).unwrap();
            assert!(
                s.close_cash_session(session.id, &counts, "", MANAGER, at)
                    .is_err()
            );
        })
        .is_empty()
    );
    // The disk full: the move and its row are written together or not at all.
    let moves = store.session_figures(session.id).unwrap().moves.len();
    store.cap_size_at_current().unwrap();
    let written = audited(&mut store, |s| {
        for n in 0..200 {
            if s.record_cash_move(
                CashMoveKind::In,
                Money(1_000),
                &"x".repeat(2_000 + n),
                MANAGER,
                at,
            )
            .is_err()
            {
                break;
            }
        }
    });
    store.lift_size_cap().unwrap();
    let moved = store.session_figures(session.id).unwrap().moves.len() - moves;
    assert!(moved < 200, "the cap was never reached");
    assert_eq!(written.len(), moved);
    assert!(written.iter().all(|row| row.act == AuditAct::CashIn));
}

#[test]
fn failed_pins_are_counted_for_the_person_chosen_up_to_the_lock() {
    let (_dir, mut store) = demo_store();
    let manager = store
        .create_staff(MANAGER, Role::Manager, "2468", shop_time())
        .unwrap();
    let written = audited(&mut store, |s| {
        for n in 0..5 {
            assert!(
                s.sign_in(manager.id, "1357", shop_time() + Duration::seconds(n))
                    .is_err()
            );
        }
        // Locked now: the right PIN is refused too, and that is no wrong PIN.
        assert!(
            s.sign_in(manager.id, "2468", shop_time() + Duration::seconds(9))
                .is_err()
        );
    });
    assert_eq!(
        written
            .iter()
            .map(|row| row.after.as_str())
            .collect::<Vec<_>>(),
        ["1/5", "2/5", "3/5", "4/5", "5/5"]
    );
    assert!(
        written
            .iter()
            .all(|row| row.act == AuditAct::PinFailed && row.actor == MANAGER)
    );
    assert!(!format!("{written:?}").contains("1357"));
}

#[test]
fn rows_of_earlier_versions_show_under_their_acts_and_are_found_by_the_new_filter() {
    let (_dir, mut store) = demo_store();
    let at = shop_time();
    let raw = rusqlite::Connection::open(store.path()).unwrap();
    for (act, subject) in [
        ("daily_close", "Doanh thu"),
        ("settings", "Nhật ký"),
        ("inventory", "KG001"),
    ] {
        raw.execute(
            "INSERT INTO audit_log (at, local_date, actor, act, subject)
             VALUES ('2026-11-20T03:00:00.000Z', '2026-11-20', 'Trần Văn Hùng', ?1, ?2)",
            [act, subject],
        )
        .unwrap();
    }
    let change = ocop_pos::core::staff::AuditChange {
        subject: "",
        before: "",
        after: "",
    };
    store
        .record_audit(MANAGER, AuditAct::OpenDailyScreen, &change, at)
        .unwrap();
    let all = rows(&store);
    assert_eq!(
        all.iter().map(|row| row.act).collect::<Vec<_>>(),
        [
            AuditAct::OpenDailyScreen,
            AuditAct::FormerManagerScreen,
            AuditAct::FormerInventory,
            AuditAct::OpenDailyScreen
        ]
    );
    let daily = store
        .audit_entries(&AuditFilter {
            act: Some(AuditAct::OpenDailyScreen),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(daily.len(), 2, "the old row and the new one");
    let csv = ocop_pos::documents::audit_csv(&all);
    assert!(csv.contains("open_daily_screen"));

    // The audit screen lists the old rows by name beside the new ones.
    let period = ocop_pos::core::report::Period {
        from: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
    };
    let audit = ocop_pos::ui::audit::Audit::for_period(&store, period).unwrap();
    assert_eq!(audit.entries().len(), 4);
    let mut ui = iced_test::Simulator::new(audit.view(ocop_pos::i18n::Lang::Vi));
    for name in [
        "Mở màn hình doanh thu",
        "Mở màn hình sao lưu hoặc nhật ký (mục cũ)",
        "Kho: mở màn hình hoặc đổi giá (mục cũ)",
    ] {
        assert!(ui.find(name).is_ok(), "{name}");
    }
}
