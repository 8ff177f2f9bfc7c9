//! Crash safety: a child process completes sales in a loop and is killed with SIGKILL at random
//! moments. After each kill the store must show every sale whose number the child saw as
//! committed, whole; no partial sale; stock equal to the ledger; receipt numbers without gaps;
//! every sale exactly one invoice with its XML; invoice numbers and MCCQT counters without gaps.
//!
//! Runs as its own program (harness = false): started with `--child DIR SEED` it is the
//! child; otherwise it is the test.

use chrono::Utc;
use ocop_pos::core::cart::{Cart, Discount};
use ocop_pos::core::clock::local_year;
use ocop_pos::core::einvoice::InvoiceSettings;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::store::Store;
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

/// The child: rings up random sales and prints each receipt number once its commit returned.
fn sell_forever(dir: &Path, seed: u64) -> ! {
    let mut store = Store::open_in(dir).expect("store opens");
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
    store
        .save_invoice_settings(&InvoiceSettings::demo())
        .expect("invoice settings");
    drop(store);
    let mut random = XorShift(0x5eed_0c0b);
    let mut confirmed: Vec<String> = Vec::new();
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
            .sale_by_receipt_no(&format!("{year}-{seq:06}"))
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
            .sale_by_receipt_no(&format!("{year}-{seq:06}"))
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
