//! Documents in the data folder — receipts, reports, Z-reports, statements, CSV exports — and
//! handing the printable ones to the printer.

use crate::core::cash::ZReport;
use crate::core::clock::SHOP_TIME_ZONE;
use crate::core::einvoice::{EInvoice, invoice_xml};
use crate::core::inventory::{
    PRODUCER_COLUMNS, PRODUCT_COLUMNS, ProducerDraft, ProductDraft, producer_csv_row,
    product_csv_row,
};
use crate::core::invoice::Invoice;
use crate::core::label::ShelfLabel;
use crate::core::money::Money;
use crate::core::order::{Delivery, Order, PackingList};
use crate::core::receivable::{AccountStatement, CustomerPayment};
use crate::core::receiving::Receiving;
use crate::core::refund::RefundRecord;
use crate::core::report::{DaySummary, ExportLine, Period, ProducerStatement};
use crate::core::sale::SaleRecord;
use crate::core::settings::ShopSettings;
use crate::core::staff::AuditEntry;
use crate::print::{
    InvoiceOptions, ReceiptOptions, Roll, RollDocument, account_statement_pdf,
    customer_payment_pdf, day_report_pdf, delivery_note_pdf, einvoice_pdf, gift_slip,
    gift_slip_pdf, invoice_pdf, label_sheets, order_confirmation_pdf, packing_list_pdf,
    producer_statement_pdf, receipt, receipt_pdf, receiving_note_pdf, refund_pdf, refund_slip,
    z_report, z_report_pdf,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

/// Excel opens a UTF-8 CSV with Vietnamese text correctly only when it starts with a BOM.
const UTF8_BOM: &str = "\u{feff}";

/// A document the program writes, from committed records only.
#[derive(Debug, Clone)]
pub enum Document {
    Receipt {
        sale: Box<SaleRecord>,
        copy: bool,
    },
    DayReport {
        summary: Box<DaySummary>,
        previous: Box<DaySummary>,
        week_before: Box<DaySummary>,
        printed_at: DateTime<Utc>,
    },
    ZReport(Box<ZReport>),
    Statement {
        statement: Box<ProducerStatement>,
        printed_at: DateTime<Utc>,
    },
    SalesCsv {
        period: Period,
        lines: Vec<ExportLine>,
    },
    StatementCsv(Box<ProducerStatement>),
    /// A VAT invoice made on A4 before every sale was a cash-register invoice.
    Invoice {
        invoice: Box<Invoice>,
        copy: bool,
    },
    /// The A4 copy of a cash-register invoice (for a company's accounts), or of a replacement
    /// or an adjustment; `replaced_by` names the invoice that replaced it.
    EInvoice {
        invoice: Box<EInvoice>,
        copy: bool,
        replaced_by: Option<String>,
    },
    GiftSlip(Box<SaleRecord>),
    /// The slip of a committed refund, with the sale it gives back part of.
    Refund {
        refund: Box<RefundRecord>,
        sale: Box<SaleRecord>,
    },
    /// The receiving note (phiếu nhập kho) of a posted delivery.
    ReceivingNote(Box<Receiving>),
    /// Audit rows as listed on the audit screen; `period_name` names the file
    /// (`2026-11-26`, or `2026-11-01_2026-11-30` as [`period_name`] gives it).
    AuditCsv {
        entries: Vec<AuditEntry>,
        period_name: String,
    },
    /// The catalogue exported on `day`, in the format import reads back.
    ProductsCsv {
        products: Vec<ProductDraft>,
        day: NaiveDate,
    },
    ProducersCsv {
        producers: Vec<ProducerDraft>,
        day: NaiveDate,
    },
    /// An order's confirmation with the deposit asked, as the order stands at `printed_at`.
    OrderConfirmation {
        order: Box<Order>,
        printed_at: DateTime<Utc>,
    },
    /// The slip of a deposit, of a deposit paid back, or of a payment on account.
    CustomerPayment(Box<CustomerPayment>),
    /// The note of a delivery, for the receiver to sign.
    DeliveryNote(Box<Delivery>),
    PackingList {
        list: Box<PackingList>,
        printed_at: DateTime<Utc>,
    },
    /// A customer's statement of account for a period.
    AccountStatement {
        statement: Box<AccountStatement>,
        printed_at: DateTime<Utc>,
    },
    /// Shelf labels: an A4 sheet PDF, printed on the label printer when one is set.
    Labels {
        labels: Vec<ShelfLabel>,
        printed_at: DateTime<Utc>,
    },
}

/// `orders/YYYY/MM/NAME.pdf`, by the local month of `at`.
fn order_document(data_dir: &Path, at: DateTime<Utc>, name: &str) -> PathBuf {
    let local = at.with_timezone(&SHOP_TIME_ZONE);
    data_dir
        .join("orders")
        .join(format!("{:04}", local.year()))
        .join(format!("{:02}", local.month()))
        .join(format!("{name}.pdf"))
}

/// A period in a file name: `2026-11-26`, or `2026-11-01_2026-11-30`.
pub fn period_name(period: &Period) -> String {
    if period.from == period.to {
        period.from.to_string()
    } else {
        format!("{}_{}", period.from, period.to)
    }
}

impl Document {
    /// Where it goes: `receipts/YYYY/MM/…` for receipts and gift slips, `invoices/YYYY/…` for
    /// invoices, `receivings/YYYY/MM/…` for receiving notes, `reports/…` for everything else.
    pub fn path(&self, data_dir: &Path) -> PathBuf {
        let reports = data_dir.join("reports");
        match self {
            Document::Receipt { sale, copy } => {
                let local = sale.sold_at.with_timezone(&SHOP_TIME_ZONE);
                let suffix = if *copy { "-ban-sao" } else { "" };
                data_dir
                    .join("receipts")
                    .join(format!("{:04}", local.year()))
                    .join(format!("{:02}", local.month()))
                    .join(format!("{}{suffix}.pdf", sale.receipt_no))
            }
            Document::GiftSlip(sale) => {
                let local = sale.sold_at.with_timezone(&SHOP_TIME_ZONE);
                data_dir
                    .join("receipts")
                    .join(format!("{:04}", local.year()))
                    .join(format!("{:02}", local.month()))
                    .join(format!("{}-phieu-qua.pdf", sale.receipt_no))
            }
            Document::Refund { refund, .. } => {
                let local = refund.refunded_at.with_timezone(&SHOP_TIME_ZONE);
                data_dir
                    .join("receipts")
                    .join(format!("{:04}", local.year()))
                    .join(format!("{:02}", local.month()))
                    .join(format!("{}.pdf", refund.refund_no))
            }
            Document::Invoice { invoice, copy } => {
                let year = invoice.issued_at.with_timezone(&SHOP_TIME_ZONE).year();
                let suffix = if *copy { "-ban-sao" } else { "" };
                data_dir
                    .join("invoices")
                    .join(format!("{year:04}"))
                    .join(format!("{}{suffix}.pdf", invoice.reference()))
            }
            Document::EInvoice { invoice, copy, .. } => {
                let year = invoice.issued_at.with_timezone(&SHOP_TIME_ZONE).year();
                let suffix = if *copy { "-ban-sao" } else { "" };
                data_dir
                    .join("invoices")
                    .join(format!("{year:04}"))
                    .join(format!("{}{suffix}.pdf", invoice.reference()))
            }
            Document::ReceivingNote(receiving) => {
                let local = receiving.at.with_timezone(&SHOP_TIME_ZONE);
                data_dir
                    .join("receivings")
                    .join(format!("{:04}", local.year()))
                    .join(format!("{:02}", local.month()))
                    .join(format!("{}.pdf", receiving.number))
            }
            Document::DayReport { summary, .. } => {
                reports.join(format!("doanh-thu-{}.pdf", period_name(&summary.period)))
            }
            Document::ZReport(report) => {
                let number = report.session.closing.as_ref().map_or("Z", |c| &c.z_number);
                reports.join(format!("{number}.pdf"))
            }
            Document::Statement { statement, .. } => reports.join(format!(
                "bang-ke-ncc-{}-{}.pdf",
                statement.producer.id,
                period_name(&statement.period)
            )),
            Document::SalesCsv { period, .. } => {
                reports.join(format!("ban-hang-{}.csv", period_name(period)))
            }
            Document::AuditCsv { period_name, .. } => {
                reports.join(format!("nhat-ky-{period_name}.csv"))
            }
            Document::StatementCsv(statement) => reports.join(format!(
                "bang-ke-ncc-{}-{}.csv",
                statement.producer.id,
                period_name(&statement.period)
            )),
            Document::ProductsCsv { day, .. } => {
                data_dir.join("exports").join(format!("san-pham-{day}.csv"))
            }
            Document::ProducersCsv { day, .. } => data_dir
                .join("exports")
                .join(format!("nha-san-xuat-{day}.csv")),
            Document::OrderConfirmation { order, .. } => {
                order_document(data_dir, order.created_at, &order.number)
            }
            Document::CustomerPayment(payment) => {
                order_document(data_dir, payment.at, &payment.number)
            }
            Document::DeliveryNote(delivery) => order_document(
                data_dir,
                delivery.sale.sold_at,
                &format!("{}-giao-{}", delivery.order.number, delivery.delivery_no),
            ),
            Document::PackingList { list, .. } => {
                reports.join(format!("soan-hang-{}.pdf", list.day))
            }
            Document::AccountStatement { statement, .. } => {
                let customer = &statement.customer;
                let key = if customer.tax_code.is_empty() {
                    format!("KH{:06}", customer.id)
                } else {
                    customer.tax_code.clone()
                };
                reports.join(format!(
                    "cong-no-{key}-{}.pdf",
                    period_name(&statement.period)
                ))
            }
            Document::Labels { printed_at, .. } => reports.join(format!(
                "tem-gia-{}.pdf",
                printed_at
                    .with_timezone(&SHOP_TIME_ZONE)
                    .format("%Y%m%d-%H%M%S")
            )),
        }
    }

    /// PDFs go to the print command; CSV files are only saved.
    pub fn is_printable(&self) -> bool {
        !matches!(
            self,
            Document::SalesCsv { .. }
                | Document::StatementCsv(_)
                | Document::AuditCsv { .. }
                | Document::ProductsCsv { .. }
                | Document::ProducersCsv { .. }
        )
    }

    pub fn bytes(&self, shop: &ShopSettings) -> Vec<u8> {
        match self {
            Document::Receipt { sale, copy } => {
                receipt_pdf(shop, sale, &ReceiptOptions { copy: *copy })
            }
            Document::DayReport {
                summary,
                previous,
                week_before,
                printed_at,
            } => day_report_pdf(shop, summary, previous, week_before, *printed_at),
            Document::ZReport(report) => z_report_pdf(shop, report),
            Document::Statement {
                statement,
                printed_at,
            } => producer_statement_pdf(shop, statement, *printed_at),
            Document::Invoice { invoice, copy } => {
                invoice_pdf(shop, invoice, &InvoiceOptions { copy: *copy })
            }
            Document::EInvoice {
                invoice,
                copy,
                replaced_by,
            } => einvoice_pdf(
                shop,
                invoice,
                &InvoiceOptions { copy: *copy },
                replaced_by.as_deref(),
            ),
            Document::GiftSlip(sale) => gift_slip_pdf(shop, sale),
            Document::Refund { refund, sale } => refund_pdf(shop, refund, sale),
            Document::ReceivingNote(receiving) => receiving_note_pdf(shop, receiving),
            Document::AuditCsv { entries, .. } => audit_csv(entries).into_bytes(),
            Document::SalesCsv { lines, .. } => sales_csv(lines).into_bytes(),
            Document::StatementCsv(statement) => statement_csv(statement).into_bytes(),
            Document::ProductsCsv { products, .. } => products_csv(products).into_bytes(),
            Document::ProducersCsv { producers, .. } => producers_csv(producers).into_bytes(),
            Document::OrderConfirmation { order, printed_at } => {
                order_confirmation_pdf(shop, order, *printed_at)
            }
            Document::CustomerPayment(payment) => customer_payment_pdf(shop, payment),
            Document::DeliveryNote(delivery) => delivery_note_pdf(shop, delivery),
            Document::PackingList { list, printed_at } => packing_list_pdf(shop, list, *printed_at),
            Document::AccountStatement {
                statement,
                printed_at,
            } => account_statement_pdf(shop, statement, *printed_at),
            Document::Labels { labels, printed_at } => {
                label_sheets(shop, labels, *printed_at).pdf()
            }
        }
    }

    /// A roll document (receipt, gift slip, refund slip, Z-report) laid out on `roll` for a
    /// thermal printer; `None` for A4 documents and files, which only a print command takes.
    pub fn on_roll(&self, shop: &ShopSettings, roll: Roll) -> Option<RollDocument> {
        Some(match self {
            Document::Receipt { sale, copy } => {
                receipt(shop, sale, &ReceiptOptions { copy: *copy }, roll)
            }
            Document::GiftSlip(sale) => gift_slip(shop, sale, roll),
            Document::Refund { refund, sale } => refund_slip(shop, refund, sale, roll),
            Document::ZReport(report) => z_report(shop, report, roll),
            _ => return None,
        })
    }

    /// The cash-register invoice a newly made document carries (a sale's receipt, a refund's
    /// adjustment, a replacement), not a copy's.
    fn new_einvoice(&self) -> Option<&EInvoice> {
        match self {
            Document::Receipt { sale, copy: false } => sale.invoice.issued(),
            Document::Refund { refund, .. } => refund.adjustment.as_ref(),
            Document::EInvoice {
                invoice,
                copy: false,
                ..
            } => Some(invoice),
            _ => None,
        }
    }

    /// Writes the document to `path` (default: its place in the data folder) whole, never
    /// over another file: when the name is taken, it goes beside it as `…-2.pdf`, `…-3.pdf`.
    /// The XML of the invoice it carries goes to `invoices/xml/YYYY/MM/1C26MAA-00000123.xml`
    /// (the database keeps the same XML; the file is for people and providers' portals).
    /// Returns where the document went.
    pub fn write(
        &self,
        data_dir: &Path,
        shop: &ShopSettings,
        path: Option<&Path>,
    ) -> io::Result<PathBuf> {
        let path = path.map_or_else(|| self.path(data_dir), Path::to_path_buf);
        let written = write_new(&path, &self.bytes(shop))?;
        if let Some(invoice) = self.new_einvoice() {
            write_new(
                &einvoice_xml_path(data_dir, invoice),
                invoice_xml(invoice).as_bytes(),
            )?;
        }
        Ok(written)
    }
}

/// Where an invoice's XML file goes: by the year and month it was issued.
pub fn einvoice_xml_path(data_dir: &Path, invoice: &EInvoice) -> PathBuf {
    let local = invoice.issued_at.with_timezone(&SHOP_TIME_ZONE);
    data_dir
        .join("invoices")
        .join("xml")
        .join(format!("{:04}", local.year()))
        .join(format!("{:02}", local.month()))
        .join(format!("{}.xml", invoice.reference()))
}

/// Writes a temporary file, then gives it the first free name among `path`, `…-2`, `…-3`: a
/// crash never leaves half a document, and no document is written over another — a receipt
/// handed to a customer stays as it was, even if a restore made its number come round again.
/// The name is claimed with a hard link, which fails rather than replace an existing file;
/// where the file system has no hard links (a FAT stick) an empty file claims it first.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(folder) = folder {
        std::fs::create_dir_all(folder)?;
    }
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = path.with_file_name(format!(
        ".{name}.{}-{}.part",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&temporary, bytes)?;
    let claimed = claim_free_name(path, &temporary);
    let _ = std::fs::remove_file(&temporary);
    claimed
}

fn claim_free_name(path: &Path, temporary: &Path) -> io::Result<PathBuf> {
    for n in 1.. {
        let candidate = beside(path, n);
        let linked = std::fs::hard_link(temporary, &candidate);
        match linked {
            Ok(()) => return Ok(candidate),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(_) => {}
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(_) => {
                std::fs::rename(temporary, &candidate)?;
                return Ok(candidate);
            }
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
    unreachable!("some name is free")
}

/// `path` itself for 1, else `name-N.ext` beside it.
fn beside(path: &Path, n: u32) -> PathBuf {
    if n == 1 {
        return path.to_path_buf();
    }
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let name = match path.extension() {
        Some(extension) => format!("{stem}-{n}.{}", extension.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}

fn csv_text(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).expect("writing to memory");
    for row in rows {
        writer.write_record(&row).expect("writing to memory");
    }
    let bytes = writer.into_inner().expect("writing to memory");
    format!(
        "{UTF8_BOM}{}",
        String::from_utf8(bytes).expect("UTF-8 in, UTF-8 out")
    )
}

/// Amounts in CSV are plain integers of đồng, so spreadsheets can sum them.
fn dong(amount: Money) -> String {
    amount.dong().to_string()
}

/// The sale lines of a period and its refund lines (negative), one row per line, amounts in
/// đồng, each with its cost and margin: the `total` column sums to the period's net sales and
/// the `margin` column to its gross margin.
pub fn sales_csv(lines: &[ExportLine]) -> String {
    csv_text(
        &[
            "receipt_no",
            "sold_at",
            "cashier",
            "sku",
            "name",
            "producer",
            "unit",
            "quantity",
            "unit_price",
            "vat_rate",
            "gross",
            "discount",
            "total",
            "cost",
            "margin",
            "refund_of",
        ],
        lines.iter().map(|line| {
            vec![
                line.receipt_no.clone(),
                line.sold_at
                    .with_timezone(&SHOP_TIME_ZONE)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                line.cashier.clone(),
                line.sku.clone(),
                line.name.clone(),
                line.producer.clone(),
                line.unit.clone(),
                line.quantity.to_string(),
                dong(line.unit_price),
                line.vat_rate.clone(),
                dong(line.gross),
                dong(line.discount),
                dong(line.total),
                dong(line.cost),
                dong(line.total - line.cost),
                line.refund_of.clone().unwrap_or_default(),
            ]
        }),
    )
}

/// Audit rows, newest first as listed: local time, who, who approved, the act's code, what it
/// was done to, and the values before and after.
pub fn audit_csv(entries: &[AuditEntry]) -> String {
    csv_text(
        &[
            "at", "actor", "approver", "act", "subject", "before", "after",
        ],
        entries.iter().map(|entry| {
            vec![
                entry
                    .at
                    .with_timezone(&SHOP_TIME_ZONE)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                entry.actor.clone(),
                entry.approver.clone().unwrap_or_default(),
                entry.act.code().to_string(),
                entry.subject.clone(),
                entry.before.clone(),
                entry.after.clone(),
            ]
        }),
    )
}

/// A producer statement's lines and its totals as the last rows.
pub fn statement_csv(statement: &ProducerStatement) -> String {
    // Bought outright, the producer is owed its deliveries at cost; on consignment, the net
    // sales less the commission.
    let totals = if statement.producer.consignment {
        vec![
            ("net", statement.net()),
            ("commission", statement.commission()),
            ("payable", statement.payable()),
        ]
    } else {
        vec![
            ("net", statement.net()),
            ("received_at_cost", statement.received_cost()),
            ("payable", statement.payable()),
        ]
    };
    csv_text(
        &[
            "sku", "name", "unit", "sold", "sales", "returned", "refunds", "net",
        ],
        statement
            .lines
            .iter()
            .map(|line| {
                vec![
                    line.sku.clone(),
                    line.name.clone(),
                    line.unit.clone(),
                    line.sold.to_string(),
                    dong(line.sales),
                    line.returned.to_string(),
                    dong(line.refunds),
                    dong(line.sales - line.refunds),
                ]
            })
            .chain(totals.into_iter().map(|(label, amount)| {
                let mut row = vec![String::new(); 8];
                row[1] = label.to_string();
                row[7] = dong(amount);
                row
            })),
    )
}

/// The catalogue in the format `ocop-pos products import` reads, so export → import changes
/// nothing.
pub fn products_csv(products: &[ProductDraft]) -> String {
    csv_text(&PRODUCT_COLUMNS, products.iter().map(product_csv_row))
}

/// The producers in the format `ocop-pos producers import` reads.
pub fn producers_csv(producers: &[ProducerDraft]) -> String {
    csv_text(&PRODUCER_COLUMNS, producers.iter().map(producer_csv_row))
}

/// Hands a document to the configured command (`lp`, say) or, when none is set, to the
/// operating system's opener. The command runs detached: the till never waits for a printer.
pub fn send_to_printer(command: &str, path: &Path) -> io::Result<()> {
    let mut words = command.split_whitespace();
    let mut process = match words.next() {
        Some(program) => {
            let mut process = Command::new(program);
            process.args(words);
            process
        }
        None => os_opener(),
    };
    process
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
}

fn os_opener() -> Command {
    if cfg!(target_os = "windows") {
        let mut command = Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else if cfg!(target_os = "macos") {
        Command::new("open")
    } else {
        Command::new("xdg-open")
    }
}
