//! A restore never issues a number twice and never writes a document over another, on real
//! SQLite files and real document folders.
//!
//! Random histories of sales, refunds, VAT invoices, receiving notes and Z-closes, each with
//! its document written to the data folder, are backed up part-way; after the restore, the
//! next document of every series takes a number after the highest ever issued — whether the
//! evidence left is everything, only the documents folder, or only the high-water file (the
//! database being replaced is damaged in both) — and what the restore was told to lose is
//! exactly what was issued after the backup.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{DEMO_PRODUCTS, shop_time};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::cash::NoteCount;
use ocop_pos::core::einvoice::{EInvoice, InvoiceBuyer, InvoiceSettings};
use ocop_pos::core::inventory::ReceiptLine;
use ocop_pos::core::invoice::Buyer;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::refund::{RefundItem, RefundRequest};
use ocop_pos::core::sale::SaleRecord;
use ocop_pos::core::staff::{Role, StaffMember};
use ocop_pos::documents::Document;
use ocop_pos::lock::DataLock;
use ocop_pos::store::backup::{BackupPolicy, back_up, restore_backup, restore_loss};
use ocop_pos::store::numbering::{HIGH_WATER_FILE, LostNumbers};
use ocop_pos::store::{
    AUTO_OPEN_SESSIONS, BuyerCorrection, BuyerCorrectionRequest, DATABASE_FILE,
    SESSION_POLICY_SETTING, Store,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const BUYER: &str = "0100233488";
/// The demo registration's series: every sale, adjustment and replacement takes its number.
const EINVOICE: &str = "einvoice:1C26MAA";
const FOLDERS: [&str; 4] = ["receipts", "invoices", "receivings", "reports"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Sale,
    Refund,
    Invoice,
    Receiving,
    CloseSession,
}

/// What the restored store may still know of what came after the backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// The documents folder, the high-water file and the database being replaced.
    All,
    /// Only the documents folder: the high-water file is gone, the database damaged.
    DocumentsOnly,
    /// Only the high-water file: the documents were moved away, the database damaged.
    HighWaterOnly,
}

/// A demo store in use, writing every document to its data folder as the window does.
struct Shop {
    dir: tempfile::TempDir,
    /// Closed (none) while a restore replaces its file.
    store: Option<Store>,
    clock: DateTime<Utc>,
    /// Every number issued, by series.
    issued: BTreeMap<&'static str, BTreeSet<String>>,
    sales: Vec<SaleRecord>,
    refunded: BTreeSet<String>,
    invoiced: BTreeSet<String>,
}

impl Shop {
    fn new() -> Shop {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        store.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
        store
            .set_setting(SESSION_POLICY_SETTING, AUTO_OPEN_SESSIONS)
            .unwrap();
        let buyer = Buyer {
            id: 0,
            tax_code: BUYER.into(),
            name: "Công ty TNHH Du lịch Biển Xanh".into(),
            address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
            email: String::new(),
            contact: String::new(),
        };
        store.save_buyer(&buyer, shop_time()).unwrap();
        store
            .save_invoice_settings(&InvoiceSettings::demo())
            .unwrap();
        Shop {
            dir,
            store: Some(store),
            clock: shop_time(),
            issued: BTreeMap::new(),
            sales: Vec::new(),
            refunded: BTreeSet::new(),
            invoiced: BTreeSet::new(),
        }
    }

    fn db(&mut self) -> &mut Store {
        self.store.as_mut().expect("the store is open")
    }

    fn reopen(&mut self) {
        let store = Store::open_in(self.dir.path()).unwrap();
        self.sales = self
            .sales
            .iter()
            .filter_map(|sale| store.sale_by_receipt_no(&sale.receipt_no).unwrap())
            .collect();
        self.store = Some(store);
    }

    fn tick(&mut self) -> DateTime<Utc> {
        self.clock += Duration::minutes(1);
        self.clock
    }

    /// Writes the document where the window writes it; returns its path.
    fn write(&self, document: Document) -> PathBuf {
        let shop = self.store.as_ref().unwrap().shop_settings().unwrap();
        document.write(self.dir.path(), &shop, None).unwrap()
    }

    fn note(&mut self, series: &'static str, number: String) -> String {
        self.issued
            .entry(series)
            .or_default()
            .insert(number.clone());
        number
    }

    /// Notes the cash-register invoice a document carries.
    fn note_invoice(&mut self, invoice: Option<&EInvoice>) -> Option<(&'static str, String)> {
        let reference = invoice?.reference();
        Some((EINVOICE, self.note(EINVOICE, reference)))
    }

    /// Does the act if the store's state allows it; returns the numbers issued (series and
    /// number) and where its document went.
    fn act(&mut self, act: Act) -> Option<(Vec<(&'static str, String)>, PathBuf)> {
        let at = self.tick();
        match act {
            Act::Sale => {
                let product = self.db().catalogue(at).unwrap().remove(0);
                let mut cart = Cart::default();
                cart.add_product(&product, Decimal::from(2)).unwrap();
                let sale = common::sell_for_exact_cash(self.db(), &cart, at).unwrap();
                let path = self.write(Document::Receipt {
                    sale: Box::new(sale.clone()),
                    copy: false,
                });
                self.sales.push(sale.clone());
                let receipt = ("receipt", self.note("receipt", sale.receipt_no.clone()));
                let invoice = self.note_invoice(sale.invoice.issued());
                Some((std::iter::once(receipt).chain(invoice).collect(), path))
            }
            Act::Refund => {
                let sale = self
                    .sales
                    .iter()
                    .find(|sale| !self.refunded.contains(&sale.receipt_no))?
                    .clone();
                let request = RefundRequest {
                    receipt_no: sale.receipt_no.clone(),
                    items: vec![RefundItem {
                        line_no: 0,
                        quantity: Decimal::ONE,
                    }],
                    method: PaymentMethod::Cash,
                    restock: true,
                    reason: "đổi ý".into(),
                    cashier: "Lan".into(),
                    approver: None,
                };
                let refund = self.db().commit_refund(&request, at).unwrap();
                self.refunded.insert(sale.receipt_no.clone());
                let number = ("refund", self.note("refund", refund.refund_no.clone()));
                let adjustment = self.note_invoice(refund.adjustment.as_ref());
                let path = self.write(Document::Refund {
                    refund: Box::new(refund),
                    sale: Box::new(sale),
                });
                Some((std::iter::once(number).chain(adjustment).collect(), path))
            }
            // A sale's invoice made out again to a company buyer: a replacement, numbered.
            Act::Invoice => {
                let sale = self
                    .sales
                    .iter()
                    .find(|sale| {
                        !self.invoiced.contains(&sale.receipt_no)
                            && !self.refunded.contains(&sale.receipt_no)
                    })?
                    .clone();
                let original = sale.invoice.issued()?.reference();
                let request = BuyerCorrectionRequest {
                    buyer: Some(InvoiceBuyer::Company(Buyer {
                        id: 0,
                        tax_code: BUYER.into(),
                        name: "Công ty TNHH Du lịch Biển Xanh".into(),
                        address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
                        email: String::new(),
                        contact: String::new(),
                    })),
                    reason: "khách cần hóa đơn công ty".into(),
                    agreement: "BB-01/2026".into(),
                    by: "Hùng".into(),
                };
                let BuyerCorrection::Replaced(replacement) = self
                    .db()
                    .correct_invoice_buyer(&original, &request, at)
                    .unwrap()
                else {
                    panic!("a new buyer is a replacement");
                };
                self.invoiced.insert(sale.receipt_no);
                let number = self.note_invoice(Some(&replacement));
                let path = self.write(Document::EInvoice {
                    invoice: replacement,
                    copy: false,
                    replaced_by: None,
                });
                Some((number.into_iter().collect(), path))
            }
            Act::Receiving => {
                let product = self.db().catalogue(at).unwrap().remove(0);
                let producer = self.db().producer_drafts().unwrap()[0].0;
                let line = ReceiptLine {
                    product_id: product.id,
                    quantity: Decimal::from(6),
                    unit_cost: Money(100_000),
                    lot: String::new(),
                    expires_on: None,
                };
                let receiving = self
                    .db()
                    .receive_stock(producer, &[line], "", at, "Hùng")
                    .ok()?;
                let number = self.note("receiving", receiving.number.clone());
                let path = self.write(Document::ReceivingNote(Box::new(receiving)));
                Some((vec![("receiving", number)], path))
            }
            Act::CloseSession => {
                let session = self.db().current_cash_session().unwrap()?;
                let report = self
                    .db()
                    .close_cash_session(session.id, &NoteCount::default(), "kiểm thử", "Hùng", at)
                    .unwrap();
                let number = report.session.closing.as_ref()?.z_number.clone();
                let number = self.note("z", number);
                let path = self.write(Document::ZReport(Box::new(report)));
                Some((vec![("z", number)], path))
            }
        }
    }
}

/// Every file of the documents folders with its bytes.
fn documents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders: Vec<PathBuf> = FOLDERS.iter().map(|f| dir.join(f)).collect();
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Makes the database unreadable as SQLite: its header is gone.
fn damage(database: &Path) {
    let mut bytes = std::fs::read(database).unwrap();
    bytes[..100].fill(0xA5);
    std::fs::write(database, bytes).unwrap();
}

/// The numbers of `issued` not in `kept`, as runs per series like a restore tells them (each
/// series' numbers after a backup are consecutive).
fn expected_loss(
    issued: &BTreeMap<&'static str, BTreeSet<String>>,
    kept: &BTreeMap<&'static str, BTreeSet<String>>,
) -> BTreeMap<String, (i64, String, String)> {
    issued
        .iter()
        .filter_map(|(series, numbers)| {
            let lost: Vec<&String> = numbers
                .iter()
                .filter(|n| !kept.get(series).is_some_and(|k| k.contains(*n)))
                .collect();
            Some((
                series.to_string(),
                (
                    lost.len() as i64,
                    (*lost.first()?).clone(),
                    (*lost.last()?).clone(),
                ),
            ))
        })
        .collect()
}

fn told(lost: &[LostNumbers]) -> BTreeMap<String, (i64, String, String)> {
    lost.iter()
        .map(|run| {
            assert_eq!(run.year, 2026);
            (
                run.series.clone(),
                (run.count, run.first.clone(), run.last.clone()),
            )
        })
        .collect()
}

fn manager() -> StaffMember {
    StaffMember {
        id: 1,
        name: "Trần Văn Hùng".into(),
        role: Role::Manager,
    }
}

fn check_history(before: &[Act], after: &[Act], evidence: Evidence) {
    let mut shop = Shop::new();
    for act in before {
        shop.act(*act);
    }
    let kept = shop.issued.clone();
    let taken_at = shop.tick();
    let backup = back_up(shop.dir.path(), &BackupPolicy::default(), None, taken_at).unwrap();
    for act in after {
        shop.act(*act);
    }
    // The store is closed (the window closes it) before its file is replaced.
    shop.store = None;
    let dir = shop.dir.path().to_path_buf();
    let handed_out = documents(&dir);
    let expected = expected_loss(&shop.issued, &kept);
    match evidence {
        Evidence::All => {}
        Evidence::DocumentsOnly => {
            std::fs::remove_file(dir.join(HIGH_WATER_FILE)).ok();
            damage(&dir.join(DATABASE_FILE));
        }
        Evidence::HighWaterOnly => {
            let elsewhere = tempfile::tempdir().unwrap();
            for folder in FOLDERS {
                if dir.join(folder).exists() {
                    std::fs::rename(dir.join(folder), elsewhere.path().join(folder)).unwrap();
                }
            }
            damage(&dir.join(DATABASE_FILE));
        }
    }
    let lost = restore_loss(&dir, &backup.backup.path).unwrap();
    assert_eq!(told(&lost), expected, "what the restore is told to lose");
    let lock = DataLock::acquire(&dir).unwrap();
    let restored_at = shop.tick();
    let report = restore_backup(
        &dir,
        &backup.backup.path,
        &lock,
        &manager(),
        None,
        restored_at,
    )
    .unwrap();
    drop(lock);
    assert_eq!(report.lost, lost);
    shop.reopen();

    // One more document of every series, each after the highest number ever issued.
    let mut new_paths = Vec::new();
    for act in [
        Act::Sale,
        Act::Refund,
        Act::Invoice,
        Act::Receiving,
        Act::Sale,
        Act::CloseSession,
    ] {
        let highest_before = shop.issued.clone();
        if let Some((numbers, path)) = shop.act(act) {
            for (series, number) in numbers {
                let earlier = highest_before.get(series).cloned().unwrap_or_default();
                assert!(
                    earlier.iter().all(|old| old < &number),
                    "{series} {number} after a restore, issued before: {earlier:?}"
                );
            }
            new_paths.push(path);
        }
    }
    // No document was written over one handed out before the restore.
    let now = documents(&dir);
    for (path, bytes) in &handed_out {
        if evidence != Evidence::HighWaterOnly {
            assert_eq!(now.get(path), Some(bytes), "{} unchanged", path.display());
        }
    }
    for path in new_paths {
        assert!(!handed_out.contains_key(&path), "{} is new", path.display());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn no_number_is_issued_twice_after_a_restore(
        before in prop::collection::vec(act(), 0..8),
        after in prop::collection::vec(act(), 0..8),
        evidence in prop_oneof![
            Just(Evidence::All),
            Just(Evidence::DocumentsOnly),
            Just(Evidence::HighWaterOnly),
        ],
    ) {
        check_history(&before, &after, evidence);
    }
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        3 => Just(Act::Sale),
        1 => Just(Act::Refund),
        1 => Just(Act::Invoice),
        1 => Just(Act::Receiving),
        1 => Just(Act::CloseSession),
    ]
}

/// The reported bug: restore an old backup, sell, and the receipt took 2026-000001 again and
/// overwrote the PDF already handed to a customer.
#[test]
fn a_sale_after_restoring_an_old_backup_takes_a_new_number_and_a_new_file() {
    for evidence in [
        Evidence::All,
        Evidence::DocumentsOnly,
        Evidence::HighWaterOnly,
    ] {
        check_history(&[], &[Act::Sale, Act::Sale, Act::Invoice], evidence);
        check_history(
            &[
                Act::Sale,
                Act::Refund,
                Act::Invoice,
                Act::Receiving,
                Act::CloseSession,
            ],
            &[
                Act::Sale,
                Act::Refund,
                Act::Invoice,
                Act::Receiving,
                Act::CloseSession,
            ],
            evidence,
        );
    }
}

/// A document is never written over another: the second goes beside it.
#[test]
fn a_document_whose_name_is_taken_goes_beside_it() {
    let mut shop = Shop::new();
    let (numbers, path) = shop.act(Act::Sale).unwrap();
    let number = numbers[0].1.clone();
    let first = std::fs::read(&path).unwrap();
    let sale = shop.sales[0].clone();
    let shop_settings = shop.db().shop_settings().unwrap();
    let again = Document::Receipt {
        sale: Box::new(sale.clone()),
        copy: true,
    };
    // A copy asked for at the receipt's own name, twice.
    let beside = again
        .write(shop.dir.path(), &shop_settings, Some(&path))
        .unwrap();
    assert_eq!(beside, path.with_file_name(format!("{number}-2.pdf")));
    let third = again
        .write(shop.dir.path(), &shop_settings, Some(&path))
        .unwrap();
    assert_eq!(third, path.with_file_name(format!("{number}-3.pdf")));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        first,
        "the original as handed out"
    );
    assert_ne!(
        std::fs::read(&beside).unwrap(),
        first,
        "the copy is marked BẢN SAO"
    );
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}
