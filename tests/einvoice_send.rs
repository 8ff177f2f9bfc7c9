//! Sending invoices to the tax authority through a provider, against a local stand-in for
//! VNPT's service that follows its documented contract (tests/common/fake_vnpt.rs; nothing here
//! reaches the internet), on real SQLite stores:
//! - every invoice (sale, refund's adjustment, replacement) is queued with the transaction that
//!   issued it, and nothing of a refused or failed sale; the demo's never;
//! - 500 invoices made while the provider is down all go once, in issue order, when it is back;
//! - a reply lost after the provider kept a batch is never followed by the batch again: the
//!   provider is asked what it has; an invoice it already has is never kept twice;
//! - a permanent refusal (wrong credentials, dated before the last invoice) stops the queue at
//!   that invoice with its reason, and it goes on after the fix;
//! - a provider that takes the connection and never answers is given up on at the time-out;
//! - the tax authority's verdicts are recorded, a refusal with its reason;
//! - a day's upload files are valid XML holding each unsent invoice of that day once;
//! - passwords are never in the audit log, the settings' output or an upload file.

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::fake_vnpt::{ACCOUNT, Behaviour, FakeVnpt, Kept, SERVICE_USER, closed_port};
use common::{demo_store, shop_time};
use ocop_pos::config::Config;
use ocop_pos::core::audit::Actor;
use ocop_pos::core::cart::Cart;
use ocop_pos::core::delivery::{DeliveryState, HIDDEN, Refusal};
use ocop_pos::core::einvoice::{EInvoice, InvoiceBuyer, InvoiceSettings, Registration};
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::refund::{RefundItem, RefundRequest};
use ocop_pos::core::settings::Setting;
use ocop_pos::i18n::{Lang, refusal_text};
use ocop_pos::send::export::FileExport;
use ocop_pos::send::{
    Activity, OutboxAccess, PassEnd, PassOptions, PassReport, SendOutcome, Worker, provider_for,
    send_pass,
};
use ocop_pos::store::migrations::MIGRATIONS;
use ocop_pos::store::{BuyerCorrectionRequest, Store, invoice_key};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;
use tempfile::TempDir;

/// The demo catalogue under a real registration (the shop's own tax code and the tax
/// authority's code): its invoices are sent.
fn registered_store() -> (TempDir, Store) {
    let (dir, mut store) = demo_store();
    store
        .save_invoice_settings(&InvoiceSettings {
            seller_tax_code: "0100112437".into(),
            authority_code: "K7Q2M".into(),
            ..InvoiceSettings::demo()
        })
        .unwrap();
    (dir, store)
}

/// Sends through VNPT at `url` with the fake's credentials (or `password` for the service
/// user's), giving up on a call after `timeout` seconds.
fn use_vnpt(store: &Store, url: &str, password: &str, timeout: u64) {
    for (field, value) in [
        ("provider", "vnpt"),
        ("url", url),
        ("account", ACCOUNT.0),
        ("account_password", ACCOUNT.1),
        ("username", SERVICE_USER.0),
        ("password", password),
        ("timeout_seconds", &timeout.to_string()),
    ] {
        store.set_setting(&format!("send.{field}"), value).unwrap();
    }
}

/// `count` sales of one product, a minute apart from `from`: their invoices.
fn sell(store: &mut Store, count: usize, from: DateTime<Utc>) -> Vec<EInvoice> {
    let rice = common::product(store, "8930101000116");
    (0..count)
        .map(|n| {
            let mut cart = Cart::default();
            cart.add_product(&rice, Decimal::ONE).unwrap();
            let at = from + Duration::seconds(n as i64);
            let sale = common::sell_for_exact_cash(store, &cart, at).unwrap();
            sale.invoice.issued().expect("an invoice").clone()
        })
        .collect()
}

fn keys(invoices: &[EInvoice]) -> Vec<String> {
    invoices.iter().map(|i| invoice_key(&i.numbers)).collect()
}

/// One pass through the provider of the store's settings.
fn pass(store: &Store, dir: &Path, options: PassOptions) -> PassReport {
    let settings = store.send_settings().unwrap();
    let invoices = store.invoice_settings().unwrap();
    let mut provider = provider_for(&settings, &invoices, dir).expect("a provider");
    send_pass(
        &OutboxAccess::new(store.path()),
        provider.as_mut(),
        options,
        &mut |_, _| {},
    )
    .unwrap()
}

const RETRY: PassOptions = PassOptions {
    retry_refused: true,
    day: None,
    verdicts: false,
};
const AUTOMATIC: PassOptions = PassOptions {
    retry_refused: false,
    day: None,
    verdicts: false,
};

fn state_of(store: &Store, invoice: &EInvoice) -> DeliveryState {
    store
        .invoice_delivery(&invoice.reference())
        .unwrap()
        .expect("a queued invoice")
        .state
}

/// Waits (a few seconds at most) for `condition`.
fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + std::time::Duration::from_secs(20);
    while !condition() {
        assert!(Instant::now() < deadline, "never: {what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn five_hundred_invoices_made_while_the_provider_is_down_go_once_and_in_order_when_it_is_back() {
    let (dir, mut store) = registered_store();
    let port = closed_port();
    use_vnpt(
        &store,
        &format!("http://127.0.0.1:{port}"),
        SERVICE_USER.1,
        5,
    );
    let sender = Worker::start(store.path().to_path_buf(), dir.path().to_path_buf());
    let invoices = sell(&mut store, 500, shop_time());
    sender.wake();
    // Down: the sender's thread fails, waits, and the till goes on selling.
    eventually("the sender waits out the failure", || {
        matches!(sender.state().activity, Activity::Waiting { .. })
    });
    let summary = store.delivery_summary().unwrap();
    assert_eq!(summary.unsent, 500);
    assert_eq!(summary.oldest, Some(invoices[0].issued_at));
    assert!(summary.blocked.is_none(), "a provider down is no refusal");
    // Back up: everything goes at once (the manager's "send now" does not wait out the pause).
    let provider = FakeVnpt::start_on(port);
    let (said, heard) = mpsc::channel();
    sender.send_now(move |outcome| said.send(outcome).unwrap());
    let outcome = heard
        .recv_timeout(std::time::Duration::from_secs(60))
        .unwrap();
    let SendOutcome::Passed(report) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(report.end, PassEnd::Emptied);
    assert_eq!(report.handed_over, 500);
    assert_eq!(
        provider.kept_keys(),
        keys(&invoices),
        "all, once, in issue order"
    );
    let numbers: Vec<i64> = provider.state().kept.iter().map(|k| k.number).collect();
    assert_eq!(numbers, (1..=500).collect::<Vec<_>>());
    assert_eq!(provider.state().duplicate_submissions, 0);
    assert_eq!(store.delivery_summary().unwrap().unsent, 0);
    // The manager's pass asked the verdicts too.
    assert_eq!(report.verdicts, 500);
    assert!(
        invoices
            .iter()
            .all(|invoice| state_of(&store, invoice) == DeliveryState::Accepted)
    );
    let day = store
        .delivery_in_period(ocop_pos::core::report::Period::day(
            ocop_pos::core::clock::local_date(shop_time()),
        ))
        .unwrap();
    assert_eq!((day.handed_over, day.unsent), (500, 0));
}

#[test]
fn a_reply_lost_after_the_provider_kept_a_batch_is_not_followed_by_the_batch_again() {
    let (dir, mut store) = registered_store();
    let provider = FakeVnpt::start();
    use_vnpt(&store, &provider.url(), SERVICE_USER.1, 5);
    let invoices = sell(&mut store, 30, shop_time());
    provider.state().behaviour = Behaviour::LoseReplies(1);
    let lost = pass(&store, dir.path(), AUTOMATIC);
    assert!(matches!(lost.end, PassEnd::Failed(_)), "{lost:?}");
    assert_eq!(
        provider.kept_keys(),
        keys(&invoices),
        "kept, the reply lost"
    );
    assert_eq!(
        store.delivery_summary().unwrap().unsent,
        30,
        "not known as sent"
    );
    // The next pass asks what the provider has before sending anything.
    let settled = pass(&store, dir.path(), AUTOMATIC);
    assert_eq!(settled.end, PassEnd::Emptied);
    assert_eq!(settled.handed_over, 30);
    let state = provider.state();
    assert_eq!(state.publish_calls, 1, "the batch was never sent again");
    assert_eq!(state.duplicate_submissions, 0);
    assert_eq!(state.kept.len(), 30);
    drop(state);
    assert_eq!(store.delivery_summary().unwrap().unsent, 0);
    for invoice in &invoices {
        let delivery = store
            .invoice_delivery(&invoice.reference())
            .unwrap()
            .unwrap();
        assert_eq!(delivery.state, DeliveryState::Sent);
        assert_eq!(delivery.events.len(), 1, "recorded once");
    }
}

#[test]
fn an_invoice_the_provider_already_has_is_recorded_as_sent_and_never_kept_twice() {
    let (dir, mut store) = registered_store();
    let provider = FakeVnpt::start();
    use_vnpt(&store, &provider.url(), SERVICE_USER.1, 5);
    let invoices = sell(&mut store, 5, shop_time());
    // The third was uploaded by hand on the provider's portal.
    let third = &invoices[2];
    provider.state().kept.push(Kept {
        key: invoice_key(&third.numbers),
        template: third.numbers.template.to_string(),
        series: third.numbers.series.clone(),
        number: third.numbers.number,
        date: ocop_pos::core::clock::local_date(third.issued_at).to_string(),
        authority_code: third.numbers.authority_code.clone().unwrap(),
    });
    let report = pass(&store, dir.path(), AUTOMATIC);
    assert_eq!(report.end, PassEnd::Emptied);
    assert_eq!(report.handed_over, 5);
    let state = provider.state();
    assert_eq!(
        state.duplicate_submissions, 1,
        "named once, in the first batch"
    );
    let mut kept: Vec<String> = state.kept.iter().map(|k| k.key.clone()).collect();
    drop(state);
    kept.sort();
    let mut expected = keys(&invoices);
    expected.sort();
    assert_eq!(kept, expected, "each once");
    assert!(
        invoices
            .iter()
            .all(|i| state_of(&store, i) == DeliveryState::Sent)
    );
}

#[test]
fn a_permanent_refusal_stops_the_queue_at_its_invoice_with_the_reason_until_the_fix() {
    let (dir, mut store) = registered_store();
    let provider = FakeVnpt::start();
    use_vnpt(&store, &provider.url(), "wrong password", 5);
    let invoices = sell(&mut store, 10, shop_time());

    // Wrong credentials: stopped at the first invoice, the account named as the cause.
    let refused = pass(&store, dir.path(), AUTOMATIC);
    let PassEnd::Blocked(blocked) = &refused.end else {
        panic!("{refused:?}");
    };
    assert_eq!(blocked.refusal, Refusal::WrongCredentials);
    assert_eq!(blocked.reference, invoices[0].reference());
    assert_eq!(blocked.detail, "ERR:1");
    let summary = store.delivery_summary().unwrap();
    assert_eq!(summary.unsent, 10);
    assert_eq!(
        summary.blocked.as_ref().unwrap().reference,
        blocked.reference
    );
    assert_eq!(state_of(&store, &invoices[0]), DeliveryState::Refused);
    for lang in [Lang::Vi, Lang::En] {
        let why = refusal_text(&blocked.refusal, lang);
        assert!(why.contains(match lang {
            Lang::Vi => "mật khẩu",
            Lang::En => "password",
        }));
    }
    // Stopped means stopped: the sender does not call again on its own.
    let calls = provider.state().publish_calls;
    let still = pass(&store, dir.path(), AUTOMATIC);
    assert!(matches!(still.end, PassEnd::Blocked(_)));
    assert_eq!(provider.state().publish_calls, calls);
    // The manager corrects the password (audited without it) and the queue goes on.
    let form: BTreeMap<Setting, String> =
        [(Setting::Send("password"), SERVICE_USER.1.to_string())].into();
    store
        .change_settings(&form, Actor::from("Hùng"), shop_time())
        .unwrap();
    let fixed = pass(&store, dir.path(), RETRY);
    assert_eq!(fixed.end, PassEnd::Emptied);
    assert_eq!(provider.kept_keys(), keys(&invoices));
    let first = store
        .invoice_delivery(&invoices[0].reference())
        .unwrap()
        .unwrap();
    assert_eq!(
        first.events.iter().map(|e| e.state).collect::<Vec<_>>(),
        [DeliveryState::Refused, DeliveryState::Sent],
        "the refusal stays in its history"
    );

    // Dated before the last invoice the provider has: the batch is refused, the sender finds
    // the very invoice by sending one at a time, and stops there.
    let more = sell(&mut store, 10, shop_time() + Duration::hours(1));
    let seventh = invoice_key(&more[6].numbers);
    provider.state().refuse_key = Some((seventh.clone(), "ERR:30".into()));
    let refused = pass(&store, dir.path(), AUTOMATIC);
    let PassEnd::Blocked(blocked) = &refused.end else {
        panic!("{refused:?}");
    };
    assert_eq!(blocked.refusal, Refusal::DatedBeforeLast);
    assert_eq!(blocked.reference, more[6].reference());
    assert_eq!(refused.handed_over, 6, "the six before it went");
    assert_eq!(
        provider.kept_keys(),
        keys(&[&invoices[..], &more[..6]].concat())
    );
    assert_eq!(store.delivery_summary().unwrap().unsent, 4);
    assert!(refusal_text(&blocked.refusal, Lang::En).contains("dated before"));
    assert!(refusal_text(&blocked.refusal, Lang::Vi).contains("ngày trước"));
    // Fixed at the provider: sent again by the manager, the rest follows in order.
    provider.state().refuse_key = None;
    assert_eq!(pass(&store, dir.path(), RETRY).end, PassEnd::Emptied);
    assert_eq!(
        provider.kept_keys(),
        keys(&[&invoices[..], &more[..]].concat())
    );
    assert_eq!(provider.state().duplicate_submissions, 0);
}

#[test]
fn a_provider_that_never_answers_is_given_up_on_at_the_time_out() {
    let (dir, mut store) = registered_store();
    let provider = FakeVnpt::start();
    provider.state().behaviour = Behaviour::BlackHole;
    use_vnpt(&store, &provider.url(), SERVICE_USER.1, 1);
    sell(&mut store, 3, shop_time());
    let started = Instant::now();
    let report = pass(&store, dir.path(), AUTOMATIC);
    let took = started.elapsed();
    assert!(matches!(report.end, PassEnd::Failed(_)), "{report:?}");
    assert!(
        took < std::time::Duration::from_secs(10),
        "given up after the 1 s time-out, not left hanging: {took:?}"
    );
    assert_eq!(store.delivery_summary().unwrap().unsent, 3);
    // On the sender's thread the same failure is waited out, and selling goes on meanwhile.
    let sender = Worker::start(store.path().to_path_buf(), dir.path().to_path_buf());
    sender.wake();
    let before = Instant::now();
    sell(&mut store, 5, shop_time() + Duration::minutes(5));
    assert!(before.elapsed() < std::time::Duration::from_secs(5));
    eventually("the sender gives up and waits", || {
        matches!(sender.state().activity, Activity::Waiting { .. })
    });
    assert_eq!(store.delivery_summary().unwrap().unsent, 8);
}

#[test]
fn the_tax_authority_s_verdicts_are_recorded_a_refusal_with_its_reason() {
    let (dir, mut store) = registered_store();
    let provider = FakeVnpt::start();
    use_vnpt(&store, &provider.url(), SERVICE_USER.1, 5);
    let invoices = sell(&mut store, 3, shop_time());
    provider.state().verdicts.insert(
        invoice_key(&invoices[1].numbers),
        ("3".into(), "Sai mã số thuế người mua".into()),
    );
    provider.state().verdicts.insert(
        invoice_key(&invoices[2].numbers),
        ("1".into(), String::new()),
    );
    let report = pass(
        &store,
        dir.path(),
        PassOptions {
            verdicts: true,
            ..AUTOMATIC
        },
    );
    assert_eq!(report.verdicts, 2, "the third is not decided yet");
    assert_eq!(state_of(&store, &invoices[0]), DeliveryState::Accepted);
    let rejected = store
        .invoice_delivery(&invoices[1].reference())
        .unwrap()
        .unwrap();
    assert_eq!(rejected.state, DeliveryState::Rejected);
    assert_eq!(
        rejected.events.last().unwrap().refusal,
        Some(Refusal::ByTaxAuthority("Sai mã số thuế người mua".into()))
    );
    assert_eq!(state_of(&store, &invoices[2]), DeliveryState::Sent);
    // Decided later: asked again, recorded once.
    provider
        .state()
        .verdicts
        .remove(&invoice_key(&invoices[2].numbers));
    let again = pass(
        &store,
        dir.path(),
        PassOptions {
            verdicts: true,
            ..AUTOMATIC
        },
    );
    assert_eq!(again.verdicts, 1);
    assert_eq!(state_of(&store, &invoices[2]), DeliveryState::Accepted);
    // Handed over is handed over, whatever the verdict: nothing is unsent.
    assert_eq!(store.delivery_summary().unwrap().unsent, 0);
}

/// The package files of a day's folder.
fn packages(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with("TDiep-")
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

fn text_of_child(node: roxmltree::Node<'_, '_>, tag: &str) -> String {
    node.descendants()
        .find(|n| n.has_tag_name(tag))
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_day_s_upload_files_are_valid_xml_holding_each_unsent_invoice_of_the_day_once() {
    let (dir, mut store) = registered_store();
    let provider = FakeVnpt::start();
    use_vnpt(&store, &provider.url(), SERVICE_USER.1, 5);
    let day = ocop_pos::core::clock::local_date(shop_time());
    // Four sent through the provider, six more that day not sent, three the next day.
    let sent = sell(&mut store, 4, shop_time());
    assert_eq!(pass(&store, dir.path(), AUTOMATIC).handed_over, 4);
    let unsent = sell(&mut store, 6, shop_time() + Duration::hours(1));
    let next_day = sell(&mut store, 3, shop_time() + Duration::days(1));
    let uploads = tempfile::tempdir().unwrap();
    let export = |store: &Store, day: NaiveDate| {
        let mut files = FileExport::new(
            uploads.path().to_path_buf(),
            &store.send_settings().unwrap(),
            &store.invoice_settings().unwrap(),
        );
        send_pass(
            &OutboxAccess::new(store.path()),
            &mut files,
            PassOptions {
                retry_refused: true,
                day: Some(day),
                verdicts: false,
            },
            &mut |_, _| {},
        )
        .unwrap()
    };
    let report = export(&store, day);
    assert_eq!(
        (report.handed_over, report.end.clone()),
        (6, PassEnd::Emptied)
    );
    let folder = uploads.path().join(format!("hoa-don-{day}"));
    let found = packages(&folder);
    assert_eq!(found.len(), 1, "{found:?}");
    let text = std::fs::read_to_string(&found[0]).unwrap();
    let package = roxmltree::Document::parse(&text).expect("the package is valid XML");
    assert_eq!(package.root_element().tag_name().name(), "TDiep");
    assert_eq!(text_of_child(package.root_element(), "MLTDiep"), "206");
    assert_eq!(text_of_child(package.root_element(), "MNNhan"), "TCT");
    assert_eq!(text_of_child(package.root_element(), "MST"), "0100112437");
    assert_eq!(text_of_child(package.root_element(), "SLuong"), "6");
    let in_package: Vec<String> = package
        .descendants()
        .filter(|n| n.has_tag_name("HDon"))
        .map(|n| text_of_child(n, "MCCQT"))
        .collect();
    assert_eq!(
        in_package,
        keys(&unsent),
        "each unsent invoice of the day, once"
    );
    for invoice in &unsent {
        let file = folder.join(format!("{}.xml", invoice.reference()));
        let xml = std::fs::read_to_string(&file).unwrap();
        roxmltree::Document::parse(&xml).expect("each invoice file is valid XML");
        assert_eq!(
            xml,
            store.einvoice_xml(&invoice.reference()).unwrap().unwrap(),
            "as issued"
        );
        assert_eq!(state_of(&store, invoice), DeliveryState::Exported);
    }
    for invoice in sent.iter().chain(&next_day) {
        assert!(!folder.join(format!("{}.xml", invoice.reference())).exists());
    }
    assert_eq!(
        next_day
            .iter()
            .map(|i| state_of(&store, i))
            .collect::<Vec<_>>(),
        [DeliveryState::Waiting; 3]
    );
    let counts = store
        .delivery_in_period(ocop_pos::core::report::Period::day(day))
        .unwrap();
    assert_eq!(
        (counts.handed_over, counts.exported, counts.unsent),
        (10, 6, 0)
    );
    // Exported once: a second export of the day has nothing left to write.
    assert_eq!(export(&store, day).handed_over, 0);
    assert_eq!(packages(&folder).len(), 1);

    // Invoices without the tax authority's code travel in their own message.
    let mut settings = store.invoice_settings().unwrap();
    settings.registration = Registration::WithoutCode;
    store.save_invoice_settings(&settings).unwrap();
    let without = sell(&mut store, 2, shop_time() + Duration::hours(2));
    assert_eq!(export(&store, day).handed_over, 2);
    let found = packages(&folder);
    assert_eq!(found.len(), 2);
    let text = std::fs::read_to_string(&found[1]).unwrap();
    let package = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(text_of_child(package.root_element(), "MLTDiep"), "216");
    let numbers: Vec<String> = package
        .descendants()
        .filter(|n| n.has_tag_name("HDon"))
        .map(|n| text_of_child(n, "KHHDon"))
        .collect();
    assert_eq!(numbers, ["K26MAA", "K26MAA"]);
    assert!(without.iter().all(|i| i.numbers.authority_code.is_none()));
}

#[test]
fn every_invoice_is_queued_with_its_issuing_transaction_and_nothing_else() {
    let (dir, mut store) = registered_store();
    let invoices = sell(&mut store, 3, shop_time());
    // A refund's adjustment and a replacement are invoices too.
    let sale = store
        .sale_by_receipt_no(&invoices[0].document_no)
        .unwrap()
        .unwrap();
    let refund = store
        .commit_refund(
            &RefundRequest {
                receipt_no: sale.receipt_no.clone(),
                items: vec![RefundItem {
                    line_no: 0,
                    quantity: Decimal::ONE,
                }],
                method: PaymentMethod::Cash,
                restock: true,
                reason: "Khách đổi ý".into(),
                cashier: "Lan".into(),
                approver: Some("Trần Văn Hùng".into()),
            },
            shop_time() + Duration::hours(1),
        )
        .unwrap();
    let adjustment = refund.adjustment.expect("an adjustment");
    let replaced = store
        .correct_invoice_buyer(
            &invoices[1].reference(),
            &BuyerCorrectionRequest {
                buyer: Some(InvoiceBuyer::Person {
                    name: "Lê Văn An".into(),
                    id_number: "036204001234".into(),
                    phone: String::new(),
                    address: String::new(),
                }),
                reason: "Quên ghi người mua".into(),
                agreement: String::new(),
                by: "Hùng".into(),
            },
            shop_time() + Duration::hours(2),
        )
        .unwrap();
    let ocop_pos::store::BuyerCorrection::Replaced(replacement) = replaced else {
        panic!("a replacement");
    };
    assert_eq!(store.delivery_summary().unwrap().unsent, 5);
    for invoice in invoices.iter().chain([&adjustment, &*replacement]) {
        assert_eq!(state_of(&store, invoice), DeliveryState::Waiting);
    }
    // A sale refused (the clock went back) or failed (a full disk) queues nothing.
    let rice = common::product(&store, "8930101000116");
    let mut cart = Cart::default();
    cart.add_product(&rice, Decimal::ONE).unwrap();
    assert!(common::sell_for_exact_cash(&mut store, &cart, shop_time()).is_err());
    store.cap_size_at_current().unwrap();
    let mut big = Cart::default();
    for _ in 0..40 {
        big.add_product(&rice, Decimal::ONE).unwrap();
    }
    let full = common::sell_for_exact_cash(&mut store, &big, shop_time() + Duration::hours(3));
    store.lift_size_cap().unwrap();
    assert!(full.is_err(), "the disk is full");
    assert_eq!(store.delivery_summary().unwrap().unsent, 5);
    // The queue's order is the order of issue.
    let provider = FakeVnpt::start();
    use_vnpt(&store, &provider.url(), SERVICE_USER.1, 5);
    assert_eq!(pass(&store, dir.path(), AUTOMATIC).end, PassEnd::Emptied);
    let expected: Vec<String> = {
        let mut all: Vec<&EInvoice> = invoices.iter().collect();
        all.push(&adjustment);
        all.push(&replacement);
        all.iter().map(|i| invoice_key(&i.numbers)).collect()
    };
    assert_eq!(provider.kept_keys(), expected);

    // The demo's invoices are never sent.
    let (_demo_dir, mut demo) = demo_store();
    demo.save_invoice_settings(&InvoiceSettings::demo())
        .unwrap();
    let demo_invoices = sell(&mut demo, 2, shop_time());
    assert!(demo_invoices.iter().all(|i| i.demo));
    assert_eq!(demo.delivery_summary().unwrap().unsent, 0);
    assert!(
        demo.invoice_delivery(&demo_invoices[0].reference())
            .unwrap()
            .is_none()
    );
}

#[test]
fn invoices_issued_before_this_version_are_queued_by_the_upgrade_under_the_same_keys() {
    let (dir, mut store) = registered_store();
    let mut invoices = sell(&mut store, 3, shop_time());
    let mut settings = store.invoice_settings().unwrap();
    settings.registration = Registration::WithoutCode;
    store.save_invoice_settings(&settings).unwrap();
    invoices.extend(sell(&mut store, 2, shop_time() + Duration::hours(1)));
    let path = store.path().to_path_buf();
    drop(store);
    // The store as version 9 had it, no outbox, brought to version 10 again (the later
    // versions' tables are left as they are: they do not touch the outbox).
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "DROP TABLE z_einvoice_delivery; DROP TABLE outbox_in_flight;
         DROP TABLE outbox_awaiting_verdict; DROP TABLE outbox_queue;
         DROP TABLE outbox_events; DROP TABLE outbox;",
    )
    .unwrap();
    let (_, version_10) = MIGRATIONS
        .iter()
        .find(|(version, _)| *version == 10)
        .unwrap();
    raw.execute_batch(version_10).unwrap();
    drop(raw);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.delivery_summary().unwrap().unsent, 5);
    for invoice in &invoices {
        let delivery = store
            .invoice_delivery(&invoice.reference())
            .unwrap()
            .unwrap();
        assert_eq!(
            delivery.key,
            invoice_key(&invoice.numbers),
            "the same key in SQL"
        );
    }
    let provider = FakeVnpt::start();
    use_vnpt(&store, &provider.url(), SERVICE_USER.1, 5);
    assert_eq!(pass(&store, dir.path(), AUTOMATIC).end, PassEnd::Emptied);
    assert_eq!(provider.kept_keys(), keys(&invoices));
    assert_eq!(invoices[4].numbers.series, "K26MAA");
}

#[test]
fn passwords_are_never_in_the_audit_log_the_settings_output_or_an_upload_file() {
    let (dir, mut store) = registered_store();
    let secret = "Mật-khẩu-rất-riêng-2026";
    let form: BTreeMap<Setting, String> = [
        (Setting::Send("provider"), "file".to_string()),
        (Setting::Send("account_password"), secret.to_string()),
        (Setting::Send("password"), secret.to_string()),
    ]
    .into();
    store
        .change_settings(&form, Actor::from("Hùng"), shop_time())
        .unwrap();
    assert_eq!(
        store.send_settings().unwrap().password,
        secret,
        "kept to use"
    );
    sell(&mut store, 2, shop_time());
    drop(store);
    let raw = rusqlite::Connection::open(dir.path().join(ocop_pos::store::DATABASE_FILE)).unwrap();
    let logged: Vec<String> = raw
        .prepare("SELECT subject || ' ' || before || ' ' || after FROM audit_log")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        logged
            .iter()
            .any(|row| row.contains("send.password") && row.contains(HIDDEN))
    );
    assert!(logged.iter().all(|row| !row.contains(secret)), "{logged:?}");
    let config = Config::new(Some(dir.path().to_path_buf()), false);
    let shown = ocop_pos::cli::show_settings(&config).unwrap();
    assert!(
        shown.contains(&format!("send_password = {HIDDEN}")),
        "{shown}"
    );
    assert!(!shown.contains(secret));
    let store = Store::open_in(dir.path()).unwrap();
    assert!(!format!("{:?}", store.send_settings().unwrap()).contains(secret));
    assert_eq!(pass(&store, dir.path(), RETRY).handed_over, 2);
    for entry in walk(&dir.path().join("einvoice-export")) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret),
            "{}",
            entry.display()
        );
    }
}

fn walk(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    assert!(!files.is_empty() || folder.is_dir());
    files
}

#[test]
fn the_command_line_sends_shows_the_way_and_takes_a_password_without_showing_it() {
    use ocop_pos::cli::{Command, EinvoiceCommand, PinSource, SettingsCommand, run};
    let (dir, mut store) = registered_store();
    store
        .create_staff(
            "Võ Thị Hoa",
            ocop_pos::core::staff::Role::Manager,
            "4826",
            shop_time(),
        )
        .unwrap();
    let invoices = sell(&mut store, 3, shop_time());
    drop(store);
    let provider = FakeVnpt::start();
    let config = Config::new(Some(dir.path().to_path_buf()), false);
    let mut out = Vec::new();
    let mut command =
        |command: Command, pins: &str| run(command, &config, &mut PinSource::lines(pins), &mut out);
    let set = |key: &str, value: &str| Command::Settings {
        set: Some(SettingsCommand::Set {
            key: key.into(),
            value: value.into(),
        }),
    };
    for (key, value) in [
        ("send_provider", "vnpt"),
        ("send_url", provider.url().as_str()),
        ("send_account", ACCOUNT.0),
        ("send_username", SERVICE_USER.0),
    ] {
        command(set(key, value), "4826\n").unwrap();
    }
    // A password given as `-` is read after the PIN, and never said back.
    for (key, secret) in [
        ("send_account_password", ACCOUNT.1),
        ("send_password", "not the right one"),
    ] {
        let said = command(set(key, "-"), &format!("4826\n{secret}\n")).unwrap();
        assert!(said.contains(HIDDEN) && !said.contains(secret), "{said}");
    }
    let status = command(Command::Einvoice(EinvoiceCommand::Status), "").unwrap();
    assert!(status.contains("Chưa gửi / unsent: 3"), "{status}");
    // Refused for the password: the command fails with the reason, in both languages.
    let refused = command(Command::Einvoice(EinvoiceCommand::Send), "4826\n").unwrap_err();
    assert!(
        refused.contains(&format!("Dừng ở {}", invoices[0].reference()))
            && refused.contains(&format!("Stopped at {}", invoices[0].reference()))
            && refused.contains("password"),
        "{refused}"
    );
    let status = command(Command::Einvoice(EinvoiceCommand::Status), "").unwrap();
    assert!(
        status.contains("Stopped at") && status.contains("ERR:1"),
        "{status}"
    );
    command(
        set("send_password", "-"),
        &format!("4826\n{}\n", SERVICE_USER.1),
    )
    .unwrap();
    let sent = command(Command::Einvoice(EinvoiceCommand::Send), "4826\n").unwrap();
    assert!(
        sent.contains("Đã gửi 3 hóa đơn.") && sent.contains("3 invoices sent."),
        "{sent}"
    );
    assert_eq!(provider.kept_keys(), keys(&invoices));
    let xml = dir.path().join("hd.xml");
    let shown = command(
        Command::Einvoice(EinvoiceCommand::Show {
            number: invoices[1].reference(),
            xml: Some(xml.clone()),
        }),
        "",
    )
    .unwrap();
    assert!(
        shown.contains(&invoice_key(&invoices[1].numbers))
            && shown.contains("cơ quan thuế đã nhận / accepted"),
        "{shown}"
    );
    let store = Store::open_in(dir.path()).unwrap();
    assert_eq!(
        std::fs::read_to_string(&xml).unwrap(),
        store
            .einvoice_xml(&invoices[1].reference())
            .unwrap()
            .unwrap()
    );
    assert_eq!(
        store
            .audit_count(ocop_pos::core::audit::AuditAct::SendEinvoices, "vnpt")
            .unwrap(),
        2,
        "each send audited, the refused one too"
    );
}

#[test]
fn a_provider_that_takes_fewer_invoices_a_call_gets_smaller_batches_in_the_same_order() {
    let (dir, mut store) = registered_store();
    let provider = FakeVnpt::start();
    provider.state().max_batch = 40;
    use_vnpt(&store, &provider.url(), SERVICE_USER.1, 5);
    let invoices = sell(&mut store, 150, shop_time());
    let report = pass(&store, dir.path(), AUTOMATIC);
    assert_eq!((report.handed_over, report.end), (150, PassEnd::Emptied));
    assert_eq!(provider.kept_keys(), keys(&invoices));
    // 150 refused, 75 refused, then 37 a call.
    assert_eq!(provider.state().publish_calls, 2 + 150usize.div_ceil(37));
    // Not even one taken: that invoice is refused, nothing sent around it.
    provider.state().max_batch = 0;
    let more = sell(&mut store, 2, shop_time() + Duration::hours(1));
    let PassEnd::Blocked(blocked) = pass(&store, dir.path(), AUTOMATIC).end else {
        panic!("refused");
    };
    assert_eq!(blocked.reference, more[0].reference());
    assert_eq!(blocked.refusal, Refusal::Other("ERR:10".into()));
}
