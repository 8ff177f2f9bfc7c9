//! The refund slip and the audit log as documents, and the managers' audit screen, on a real
//! demo store with a real sale, refund and audit rows.

mod common;

use chrono::{Duration, Utc};
use common::{demo_store, product, sell_for_exact_cash, shop_time, text_of};
use iced::{Event, Point, mouse};
use iced_test::{Simulator, selector};
use ocop_pos::core::audit::{Actor, AuditAct};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::clock::local_date;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::refund::{RefundItem, RefundRecord, RefundRequest};
use ocop_pos::core::report::Period;
use ocop_pos::core::sale::SaleRecord;
use ocop_pos::core::staff::{AuditChange, Role, StaffMember};
use ocop_pos::documents::Document;
use ocop_pos::i18n::Lang;
use ocop_pos::print::refund_pdf;
use ocop_pos::store::{AuditFilter, Store};
use ocop_pos::ui::audit::{ACT_FILTER, Audit, Message};
use ocop_pos::ui::{Action, Context};
use rust_decimal::Decimal;

const FISH_SAUCE: &str = "8930100000018";
const RICE: &str = "8930101000116";

/// Two bottles of fish sauce and one item of rice, paid in cash.
fn sell(store: &mut Store) -> SaleRecord {
    let mut cart = Cart::default();
    cart.add_product(&product(store, FISH_SAUCE), Decimal::from(2))
        .unwrap();
    cart.add_product(&product(store, RICE), Decimal::ONE)
        .unwrap();
    sell_for_exact_cash(store, &cart, shop_time()).unwrap()
}

/// One of the two bottles back, by transfer, written off as damaged.
/// Refunds the first bottle of `sale`, by Nguyễn Thị Lan with Trần Văn Hùng's approval.
fn refund_one_bottle(store: &mut Store, sale: &SaleRecord) -> RefundRecord {
    let request = RefundRequest {
        receipt_no: sale.receipt_no.clone(),
        items: vec![RefundItem {
            line_no: 0,
            quantity: Decimal::ONE,
        }],
        method: PaymentMethod::Transfer,
        restock: false,
        reason: "Chai bị nứt".into(),
        cashier: "Nguyễn Thị Lan".into(),
        approver: Some("Trần Văn Hùng".into()),
    };
    store
        .commit_refund(&request, shop_time() + Duration::hours(2))
        .unwrap()
}

#[test]
fn the_refund_slip_names_the_refund_the_sale_and_what_went_back() {
    let (_dir, mut store) = demo_store();
    let sale = sell(&mut store);
    let refund = refund_one_bottle(&mut store, &sale);
    let shop = store.shop_settings().unwrap();
    let fish_sauce = &sale.draft.lines[0];
    assert_eq!(refund.lines.len(), 1);
    assert_eq!(refund.lines[0].amount, Money(fish_sauce.total.dong() / 2));
    assert!(refund.refund_no.starts_with("TH2026-"));

    let pdf = refund_pdf(&shop, &refund, &sale);
    assert!(pdf.starts_with(b"%PDF"));
    let text = text_of(&pdf);
    for expected in [
        "PHIẾU TRẢ HÀNG",
        refund.refund_no.as_str(),
        &format!("Theo hóa đơn: {}", sale.receipt_no),
        "Ngày bán: 26/11/2026 10:00",
        "Ngày trả: 26/11/2026 12:00",
        "Thu ngân: Nguyễn Thị Lan",
        "Quản lý duyệt: Trần Văn Hùng",
        fish_sauce.name.as_str(),
        "Trả 1 chai 500ml (đã mua 2)",
        &refund.lines[0].amount.to_string(),
        "TỔNG TIỀN TRẢ LẠI",
        &refund.total.to_string(),
        "Hoàn tiền: Chuyển khoản",
        "Hàng trả: Hủy — hàng hỏng",
        "Lý do: Chai bị nứt",
        "Khách hàng",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // Only what went back is on the slip, with its VAT.
    assert!(!text.contains(&sale.draft.lines[1].name), "{text}");
    assert_eq!(refund.vat.len(), 1);
    assert!(text.contains(&refund.vat[0].vat.to_string()), "{text}");

    // The same refund prints the same file, and the document is that file, with the receipts.
    assert_eq!(refund_pdf(&shop, &refund, &sale), pdf);
    let document = Document::Refund {
        refund: Box::new(refund.clone()),
        sale: Box::new(sale.clone()),
    };
    assert_eq!(document.bytes(&shop), pdf);
    assert!(document.is_printable());
    let data = std::path::Path::new("/data");
    assert_eq!(
        document.path(data),
        data.join("receipts/2026/11")
            .join(format!("{}.pdf", refund.refund_no))
    );
}

#[test]
fn a_slip_says_when_the_goods_went_back_on_the_shelf() {
    let (_dir, mut store) = demo_store();
    let sale = sell(&mut store);
    let request = RefundRequest {
        receipt_no: sale.receipt_no.clone(),
        items: vec![RefundItem {
            line_no: 1,
            quantity: Decimal::ONE,
        }],
        method: PaymentMethod::Cash,
        restock: true,
        reason: String::new(),
        cashier: "Lan".into(),
        approver: None,
    };
    let refund = store.commit_refund(&request, shop_time()).unwrap();
    let text = text_of(&refund_pdf(&store.shop_settings().unwrap(), &refund, &sale));
    assert!(text.contains("Hoàn tiền: Tiền mặt"), "{text}");
    assert!(text.contains("Hàng trả: Nhập lại kho"), "{text}");
    assert!(text.contains("Trả 1 túi 5kg"), "{text}");
    assert!(
        !text.contains("đã mua"),
        "a whole line is no partial return: {text}"
    );
    assert!(!text.contains("Lý do"), "no reason, no line: {text}");
}

/// A manager, a cashier, and two acts the cashier did with the manager's approval: a voided
/// line at 10:05 and the refund at 12:00.
struct Audited {
    manager: StaffMember,
    cashier: StaffMember,
    void_subject: String,
    refund_subject: String,
}

fn audit_two_acts(store: &mut Store) -> Audited {
    let manager = store
        .create_staff("Trần Văn Hùng", Role::Manager, "2468", shop_time())
        .unwrap();
    let cashier = store
        .create_staff("Nguyễn Thị Lan", Role::Cashier, "1357", shop_time())
        .unwrap();
    let sale = sell(store);
    let void_subject = "Giỏ hàng: Gạo ST25".to_string();
    store
        .record_audit(
            Actor {
                name: &cashier.name,
                approver: Some(&manager.name),
            },
            AuditAct::VoidLine,
            &AuditChange {
                subject: &void_subject,
                before: "2",
                after: "",
            },
            shop_time() + Duration::minutes(5),
        )
        .unwrap();
    // The refund writes its own audit row, in its transaction.
    let refund = refund_one_bottle(store, &sale);
    let refund_subject = format!("{} ({})", refund.refund_no, sale.receipt_no);
    Audited {
        manager,
        cashier,
        void_subject,
        refund_subject,
    }
}

#[test]
fn the_audit_csv_has_a_bom_and_every_row() {
    let (_dir, mut store) = demo_store();
    let audited = audit_two_acts(&mut store);
    let entries = store.audit_entries(&AuditFilter::default()).unwrap();
    assert_eq!(entries.len(), 2);
    let document = Document::AuditCsv {
        entries,
        period_name: "2026-11-26".into(),
    };
    assert!(!document.is_printable());
    let data = std::path::Path::new("/data");
    assert_eq!(
        document.path(data),
        data.join("reports/nhat-ky-2026-11-26.csv")
    );
    let bytes = document.bytes(&store.shop_settings().unwrap());
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "a UTF-8 BOM first");
    let csv = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "at,actor,approver,act,subject,before,after");
    assert_eq!(lines.len(), 3, "{csv}");
    // Newest first, in local time.
    assert!(lines[1].starts_with("2026-11-26 12:00:00,Nguyễn Thị Lan,Trần Văn Hùng,refund,"));
    assert!(lines[1].contains(&audited.refund_subject), "{csv}");
    assert_eq!(
        lines[2],
        format!(
            "2026-11-26 10:05:00,{},{},void_line,{},2,",
            audited.cashier.name, audited.manager.name, audited.void_subject
        )
    );
}

/// Runs `update` with a context built from the store, as the window does.
fn update(audit: &mut Audit, store: &mut Store, manager: &StaffMember, message: Message) -> Action {
    let shop = store.shop_settings().unwrap();
    let limits = store.cashier_limits().unwrap();
    let mut context = Context {
        store,
        shop: &shop,
        staff: manager,
        approver: None,
        limits,
        now: shop_time(),
    };
    audit.update(message, &mut context)
}

fn shows(audit: &Audit, text: &str) -> bool {
    Simulator::new(audit.view(Lang::Vi)).find(text).is_ok()
}

#[test]
fn the_audit_screen_filters_by_days_act_and_person() {
    let (_dir, mut store) = demo_store();
    let audited = audit_two_acts(&mut store);
    let manager = audited.manager.clone();

    // It opens on today.
    let today = Period::day(local_date(Utc::now()));
    assert_eq!(Audit::new(&store).unwrap().period(), today);
    // A day with nothing recorded.
    let day_before = Period::day(local_date(shop_time()) - Duration::days(1));
    let mut audit = Audit::for_period(&store, day_before).unwrap();
    assert!(audit.entries().is_empty());
    assert!(shows(&audit, "Không có thao tác nào trong kỳ này."));

    // The demo's day, typed in both fields.
    for message in [
        Message::FromChanged("26/11/2026".into()),
        Message::ToChanged("26/11/2026".into()),
        Message::ShowDays,
    ] {
        update(&mut audit, &mut store, &manager, message);
    }
    assert_eq!(audit.entries().len(), 2);
    assert!(shows(&audit, &audited.void_subject));
    assert!(shows(&audit, &audited.refund_subject));
    assert!(shows(&audit, "26/11 10:05"));
    assert!(shows(&audit, "Xóa dòng đã quét"));
    assert!(shows(&audit, "2 → —"));
    assert!(!shows(&audit, "Không có thao tác nào trong kỳ này."));

    // Only refunds.
    update(
        &mut audit,
        &mut store,
        &manager,
        Message::ActPicked(Some(AuditAct::Refund)),
    );
    assert_eq!(audit.entries().len(), 1);
    assert!(shows(&audit, &audited.refund_subject));
    assert!(!shows(&audit, &audited.void_subject));

    // The export is what the filters select.
    let action = update(&mut audit, &mut store, &manager, Message::ExportCsv);
    let Action::Produce(Document::AuditCsv {
        entries,
        period_name,
    }) = action
    else {
        panic!("an audit CSV, not {action:?}");
    };
    assert_eq!(period_name, "2026-11-26");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].act, AuditAct::Refund);

    // Back to all acts: the person filter counts the approver too; a stranger did nothing.
    update(&mut audit, &mut store, &manager, Message::ActPicked(None));
    update(
        &mut audit,
        &mut store,
        &manager,
        Message::PersonPicked(Some(manager.name.clone())),
    );
    assert_eq!(audit.entries().len(), 2);
    update(
        &mut audit,
        &mut store,
        &manager,
        Message::PersonPicked(Some("Người lạ".into())),
    );
    assert!(audit.entries().is_empty());

    // A day that is not a date is refused, and the rows stay as they were.
    update(
        &mut audit,
        &mut store,
        &manager,
        Message::PersonPicked(None),
    );
    update(
        &mut audit,
        &mut store,
        &manager,
        Message::FromChanged("31/02/2026".into()),
    );
    let action = update(&mut audit, &mut store, &manager, Message::ExportCsv);
    assert!(matches!(action, Action::None));
    assert_eq!(audit.entries().len(), 2);
    assert!(shows(
        &audit,
        "“31/02/2026” không phải ngày. Gõ dd/mm/yyyy, ví dụ 26/11/2026."
    ));

    // Days typed the wrong way round are read as the range they mean.
    for message in [
        Message::FromChanged("27/11/2026".into()),
        Message::ToChanged("20/11/2026".into()),
        Message::ShowDays,
    ] {
        update(&mut audit, &mut store, &manager, message);
    }
    assert_eq!(audit.period().from.to_string(), "2026-11-20");
    assert_eq!(audit.entries().len(), 2);
    assert!(shows(&audit, "20/11/2026"));
}

#[test]
fn the_act_filter_is_a_pick_list_of_named_acts() -> Result<(), iced_test::Error> {
    let (_dir, mut store) = demo_store();
    let audited = audit_two_acts(&mut store);
    let manager = audited.manager.clone();
    let mut audit = Audit::new(&store).unwrap();
    for message in [Message::FromChanged("26/11/2026".into()), Message::ShowDays] {
        update(&mut audit, &mut store, &manager, message);
    }
    // The list opens under its box, one entry per box height: "all", then the acts in order.
    let refund_entry = 1 + AuditAct::ALL
        .iter()
        .position(|act| *act == AuditAct::Refund)
        .unwrap();
    let messages: Vec<Message> = {
        let mut ui = Simulator::new(audit.view(Lang::Vi));
        let bounds = ui.click(selector::id(ACT_FILTER))?.bounds();
        let position = Point::new(
            bounds.center_x(),
            bounds.y + bounds.height * (refund_entry as f32 + 1.5),
        );
        ui.point_at(position);
        // The menu follows the pointer: it must move over the entry before the click.
        let _ = ui.simulate([Event::Mouse(mouse::Event::CursorMoved { position })]);
        let _ = ui.simulate(iced_test::simulator::click());
        ui.into_messages().collect()
    };
    assert!(
        messages
            .iter()
            .any(|m| matches!(m, Message::ActPicked(Some(AuditAct::Refund)))),
        "{messages:?}"
    );
    for message in messages {
        update(&mut audit, &mut store, &manager, message);
    }
    assert_eq!(audit.entries().len(), 1);
    assert!(!shows(&audit, &audited.void_subject));
    Ok(())
}
