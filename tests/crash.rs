//! Crash safety: a child process completes sales in a loop and is killed with SIGKILL at random
//! moments. After each kill the store must show every sale whose number the child saw as
//! committed, whole; no partial sale; stock equal to the ledger; receipt numbers without gaps;
//! every sale exactly one invoice with its XML; invoice numbers and MCCQT counters without gaps.
//!
//! Meanwhile the child's sender thread sends the invoices to a stand-in for the provider in
//! this process (tests/common/fake_vnpt.rs), so kills land in the middle of sending too. After
//! each kill every invoice is queued exactly once, none is recorded as sent that the provider
//! does not have, and the provider never saw an invoice twice; at the end, once the queue is
//! sent, the provider has every invoice exactly once, in issue order.
//!
//! Runs as its own program (harness = false): started with `--child DIR SEED` it is the
//! child; otherwise it is the test.

#[path = "common/fake_vnpt.rs"]
mod fake_vnpt;

use chrono::Utc;
use fake_vnpt::{ACCOUNT, FakeVnpt, SERVICE_USER};
use ocop_pos::core::cart::{Cart, Discount};
use ocop_pos::core::clock::local_year;
use ocop_pos::core::einvoice::InvoiceSettings;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::send::{OutboxAccess, PassEnd, PassOptions, Worker, provider_for, send_pass};
use ocop_pos::store::{Store, invoice_key};
use rust_decimal::Decimal;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const KILLS: usize = 25;

/// A small deterministic generator: the test needs varied timings, not cryptography.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, dir, seed] = args.as_slice()
        && flag == "--child"
    {
        sell_forever(Path::new(dir), seed.parse().expect("seed"));
    }
    // `cargo test -- --list` and filters ask the harness about tests; answer for this one.
    if args.iter().any(|a| a == "--list") {
        println!("sigkill_during_sales_loses_nothing: test");
        return;
    }
    sigkill_during_sales_loses_nothing();
    println!("test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out");
}

/// The child: rings up random sales and prints each receipt number once its commit returned;
/// its sender thread sends the invoices as the window's does.
fn sell_forever(dir: &Path, seed: u64) -> ! {
    let mut store = Store::open_in(dir).expect("store opens");
    let sender = Worker::start(store.path().to_path_buf(), dir.to_path_buf());
    let catalogue = store.catalogue(Utc::now()).expect("catalogue");
    let mut random = XorShift(seed | 1);
    let stdout = std::io::stdout();
    loop {
        let mut cart = Cart::default();
        for _ in 0..=random.below(5) {
            let product = &catalogue[random.below(catalogue.len() as u64) as usize];
            let quantity = if product.sold_by_weight {
                Decimal::new(random.below(2000) as i64 + 100, 3)
            } else {
                Decimal::from(random.below(3) + 1)
            };
            let index = cart.add_product(product, quantity).expect("valid line");
            if random.below(3) == 0 {
                cart.set_line_discount(index, Discount::Percent(Decimal::from(10)))
                    .expect("10 % fits");
            }
            store
                .save_open_cart(&mut cart, Utc::now())
                .expect("cart saved");
        }
        let total = cart.totals().total;
        let tenders = vec![
            Tender {
                method: PaymentMethod::Card,
                amount: Money(total.dong() / 2),
                reference: None,
            },
            Tender {
                method: PaymentMethod::Cash,
                amount: total - Money(total.dong() / 2) + Money(50_000),
                reference: None,
            },
        ];
        let draft = SaleDraft::new(&cart, tenders, "crash-test").expect("payable");
        let record = store.commit_sale(&draft, Utc::now()).expect("commit");
        sender.wake();
        let mut out = stdout.lock();
        writeln!(out, "{}", record.receipt_no).expect("stdout");
        out.flush().expect("stdout");
    }
}

fn sigkill_during_sales_loses_nothing() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open_in(dir.path()).expect("store opens");
    store
        .seed_demo(include_str!("../assets/demo_products.csv"), Utc::now())
        .expect("demo seeds");
    // A real registration: its invoices are sent.
    store
        .save_invoice_settings(&InvoiceSettings {
            seller_tax_code: "0100112437".into(),
            authority_code: "K7Q2M".into(),
            ..InvoiceSettings::demo()
        })
        .expect("invoice settings");
    // The provider takes its time, so kills fall during its calls too.
    let provider = FakeVnpt::start();
    provider.state().latency = Duration::from_millis(15);
    for (field, value) in [
        ("provider", "vnpt"),
        ("url", provider.url().as_str()),
        ("account", ACCOUNT.0),
        ("account_password", ACCOUNT.1),
        ("username", SERVICE_USER.0),
        ("password", SERVICE_USER.1),
        ("timeout_seconds", "2"),
    ] {
        store
            .set_setting(&format!("send.{field}"), value)
            .expect("sending settings");
    }
    drop(store);
    let mut random = XorShift(0x5eed_0c0b);
    let mut confirmed: Vec<String> = Vec::new();
    let mut in_flight = 0;
    for kill in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .args([
                "--child",
                &dir.path().display().to_string(),
                &(kill as u64 + 7).to_string(),
            ])
            .stdout(Stdio::piped())
            .spawn()
            .expect("child starts");
        let (sender, numbers) = mpsc::channel();
        let stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        std::thread::sleep(Duration::from_millis(60 + random.below(140)));
        child.kill().expect("SIGKILL");
        child.wait().expect("child reaped");
        reader.join().expect("reader");
        confirmed.extend(numbers.try_iter());

        let mut store = Store::open_in(dir.path()).expect("store reopens after a kill");
        check_store(&store, &confirmed, dir.path());
        in_flight += check_sending(&store, &provider, dir.path());
        // Every sale is whole in its hash chain too: a kill never leaves a break.
        let checks = store
            .verify_chains(Utc::now())
            .expect("the chains are read");
        assert!(
            checks.iter().all(|check| check.broken.is_none()),
            "{checks:?}"
        );
    }
    assert!(
        confirmed.len() >= KILLS,
        "the children committed too few sales to prove anything: {}",
        confirmed.len()
    );
    // What the kills left is sent now: every invoice once, in issue order.
    let store = Store::open_in(dir.path()).expect("store opens");
    let settings = store.send_settings().expect("settings");
    let invoices = store.invoice_settings().expect("settings");
    let mut vnpt = provider_for(&settings, &invoices, dir.path()).expect("a provider");
    let report = send_pass(
        &OutboxAccess::new(store.path()),
        vnpt.as_mut(),
        PassOptions::default(),
        &mut |_, _| {},
    )
    .expect("the last pass");
    assert_eq!(report.end, PassEnd::Emptied, "{report:?}");
    assert_eq!(store.delivery_summary().expect("summary").unsent, 0);
    let issued = issued_keys(dir.path());
    assert_eq!(
        provider.kept_keys(),
        issued,
        "each invoice once, in issue order"
    );
    assert_eq!(provider.state().duplicate_submissions, 0);
    let state = provider.state();
    eprintln!(
        "crash test: the provider kept {} invoices in {} calls, answered {} status questions; \
         {in_flight} kills fell during a call",
        state.kept.len(),
        state.publish_calls,
        state.status_calls
    );
    assert!(
        in_flight > 0,
        "no kill fell during a call to the provider: nothing was proven about lost replies"
    );
    eprintln!(
        "crash test: {KILLS} kills, {} sales confirmed",
        confirmed.len()
    );
}

fn check_store(store: &Store, confirmed: &[String], dir: &Path) {
    let year = local_year(Utc::now());
    let last = store.last_receipt_number(year).expect("counter");
    let numbers = store.receipt_numbers(year).expect("numbers");
    assert_eq!(
        numbers,
        (1..=last).collect::<Vec<_>>(),
        "receipt numbers have a gap"
    );
    for receipt_no in confirmed {
        assert!(
            store
                .sale_by_receipt_no(receipt_no)
                .expect("read")
                .is_some(),
            "confirmed sale {receipt_no} is missing"
        );
    }
    for seq in 1..=last {
        let sale = store
            .sale_by_receipt_no(&format!("{year}-AA-{seq:06}"))
            .expect("read")
            .expect("numbered sale exists");
        let draft = &sale.draft;
        assert!(
            !draft.lines.is_empty(),
            "sale {} has no lines",
            sale.receipt_no
        );
        assert_eq!(
            draft.lines.iter().map(|l| l.total).sum::<Money>(),
            draft.total
        );
        assert_eq!(
            draft.vat.iter().map(|b| b.gross).sum::<Money>(),
            draft.total
        );
        let paid: Money = draft.tenders.iter().map(|t| t.amount).sum();
        assert_eq!(
            paid - draft.change,
            draft.total,
            "sale {} payments",
            sale.receipt_no
        );
    }
    check_invoices(store, year, last);
    assert!(
        store.stock_mismatches().expect("ledger").is_empty(),
        "stock differs from the ledger"
    );
    // Independently of the store's own code: every sale line has its stock movement.
    let raw = rusqlite::Connection::open(dir.join(ocop_pos::store::DATABASE_FILE)).expect("raw");
    let orphans: i64 = raw
        .query_row(
            "SELECT count(*) FROM sales s
              WHERE (SELECT count(*) FROM sale_lines WHERE sale_id = s.id)
                 <> (SELECT count(*) FROM stock_movements WHERE sale_id = s.id)",
            [],
            |row| row.get(0),
        )
        .expect("query");
    assert_eq!(orphans, 0, "a sale's lines and stock movements disagree");
}

/// Every invoice's key, in issue order.
fn issued_keys(dir: &Path) -> Vec<String> {
    let raw = rusqlite::Connection::open(dir.join(ocop_pos::store::DATABASE_FILE)).expect("raw");
    let mut stmt = raw
        .prepare("SELECT record_json FROM einvoices ORDER BY id")
        .expect("query");
    stmt.query_map([], |row| row.get::<_, String>(0))
        .expect("rows")
        .map(|json| {
            let invoice: ocop_pos::core::einvoice::EInvoice =
                serde_json::from_str(&json.expect("a row")).expect("an invoice");
            invoice_key(&invoice.numbers)
        })
        .collect()
}

/// After a kill: every invoice is queued once; each is waiting or recorded as sent, never
/// both; none is recorded as sent that the provider does not have; the provider never saw an
/// invoice twice. Gives 1 when the kill fell during a call to the provider.
fn check_sending(store: &Store, provider: &FakeVnpt, dir: &Path) -> usize {
    let raw = rusqlite::Connection::open(dir.join(ocop_pos::store::DATABASE_FILE)).expect("raw");
    let count = |sql: &str| -> i64 { raw.query_row(sql, [], |row| row.get(0)).expect(sql) };
    assert_eq!(
        count("SELECT count(*) FROM outbox"),
        count("SELECT count(*) FROM einvoices"),
        "every invoice queued with its sale, once"
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM outbox o
              WHERE (o.id IN (SELECT outbox_id FROM outbox_queue))
                  = (o.id IN (SELECT outbox_id FROM outbox_events WHERE state = 'sent'))"
        ),
        0,
        "each invoice waits or was sent, never both nor neither"
    );
    assert_eq!(
        count("SELECT count(*) FROM outbox_events WHERE state = 'sent'"),
        count("SELECT count(DISTINCT outbox_id) FROM outbox_events WHERE state = 'sent'"),
        "sent once"
    );
    let kept = provider.kept_keys();
    let mut unique = kept.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        kept.len(),
        "the provider kept an invoice twice"
    );
    assert_eq!(provider.state().duplicate_submissions, 0);
    let mut stmt = raw
        .prepare(
            "SELECT o.idempotency_key FROM outbox o
              WHERE o.id IN (SELECT outbox_id FROM outbox_events WHERE state = 'sent')",
        )
        .expect("query");
    let recorded: Vec<String> = stmt
        .query_map([], |row| row.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("keys");
    for key in recorded {
        assert!(
            kept.contains(&key),
            "{key} recorded as sent, the provider has not got it"
        );
    }
    // Issue order at the provider: what it has is the start of the queue.
    let issued = issued_keys(dir);
    assert_eq!(&issued[..kept.len()], &kept[..], "sent out of order");
    assert!(store.delivery_summary().expect("summary").blocked.is_none());
    count("SELECT count(*) FROM outbox_in_flight") as usize
}

/// Every sale has exactly one invoice, with XML that parses and names it; the invoice numbers
/// and the MCCQT counter run from 1 without a gap, as far as their counters say.
fn check_invoices(store: &Store, year: i32, sales: i64) {
    let settings = store.invoice_settings().expect("settings");
    let series = settings.series(year);
    let last_number = store
        .last_invoice_counter(&format!("einvoice:1{series}"), year)
        .expect("counter");
    assert_eq!(last_number, sales, "one invoice number per sale");
    assert_eq!(
        store.einvoice_numbers(1, &series).expect("numbers"),
        (1..=last_number).collect::<Vec<_>>(),
        "invoice numbers have a gap"
    );
    let codes = store.authority_codes(year).expect("codes");
    let last_code = store
        .last_invoice_counter(&format!("mccqt:{}", settings.seller_tax_code), year)
        .expect("counter");
    let counters: Vec<i64> = codes
        .iter()
        .map(|code| code.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(
        counters,
        (1..=last_code).collect::<Vec<_>>(),
        "MCCQT counters have a gap"
    );
    for seq in 1..=sales {
        let sale = store
            .sale_by_receipt_no(&format!("{year}-AA-{seq:06}"))
            .expect("read")
            .expect("numbered sale exists");
        let invoice = sale
            .invoice
            .issued()
            .unwrap_or_else(|| panic!("sale {} has no invoice", sale.receipt_no));
        assert_eq!(invoice.total, sale.draft.total);
        let xml = store
            .einvoice_xml(&invoice.reference())
            .expect("read")
            .expect("the invoice's XML");
        let document = roxmltree::Document::parse(&xml).expect("the XML parses");
        let number = document
            .descendants()
            .find(|n| n.has_tag_name("SHDon"))
            .and_then(|n| n.text());
        assert_eq!(number, Some(invoice.numbers.number.to_string().as_str()));
        assert_eq!(
            store
                .einvoices_of_sale(&sale.receipt_no)
                .expect("read")
                .len(),
            1,
            "sale {} has more than one invoice",
            sale.receipt_no
        );
    }
}
