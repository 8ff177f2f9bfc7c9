//! The command line as clap reads it: every subcommand with its own `--help`, and errors that
//! name the argument that is wrong or missing.
//!
//! Adding a subcommand: a variant (with its arguments and a one-line help) in [`Command`] or in
//! the enum of its noun, one arm in [`super::run`] that calls its function, and a sample in
//! `tests/command_line.rs` (which fails until there is one). A function that changes data
//! takes a [`ManagerChange`](super::ManagerChange) — the arm gets it with `change(pins)?` — so
//! it cannot run without a manager's PIN, and it writes its audit row through it.

use crate::core::cart::parse_quantity;
use crate::core::delivery::SendSettings;
use crate::core::einvoice::InvoiceSettings;
use crate::core::money::{Money, parse_amount};
use crate::core::payment::PaymentMethod;
use crate::core::settings::ShopSettings;
use crate::core::staff::Role;
use chrono::NaiveDate;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;
use std::ffi::OsString;
use std::path::PathBuf;

const DATA_FOLDER_HELP: &str = "\
Thư mục dữ liệu / the data folder: --data-dir, else $OCOP_POS_DATA_DIR, else the user data \
folder (~/.local/share/ocop-pos on Linux).
Lệnh thay đổi dữ liệu hỏi mã PIN của quản lý (không hiện khi gõ) / commands that change data \
ask for a manager's PIN at the terminal (not shown as typed); --pin-stdin reads it from standard \
input instead, one PIN a line.";

/// `settings set invoice_seller_name …`: the cash-register invoice registration's keys.
pub const INVOICE_KEY_PREFIX: &str = "invoice_";
/// `settings set send_provider vnpt`: the sending settings' keys.
pub const SEND_KEY_PREFIX: &str = "send_";

/// OCOP POS — bán hàng cho điểm giới thiệu sản phẩm OCOP / point of sale for OCOP showrooms.
/// Without a command: opens the checkout window.
#[derive(Debug, Parser)]
#[command(name = "ocop-pos", version, after_help = DATA_FOLDER_HELP)]
pub struct Cli {
    /// Thư mục dữ liệu / the data folder
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Cửa sổ: thư mục mới có cửa hàng thật, trống, không phải cửa hàng mẫu / the window: a new
    /// data folder gets an empty real store instead of the demo
    #[arg(long, global = true)]
    pub no_demo: bool,
    /// Đọc mã PIN từ đầu vào chuẩn, mỗi mã một dòng / read PINs from standard input, one a line
    /// (for scripts): the manager's PIN, then for `staff add` the new PIN twice
    #[arg(long, global = true)]
    pub pin_stdin: bool,
    /// Cửa sổ: mở kèm màn hình cho khách / the window: open the customer display beside it
    #[arg(long)]
    pub customer_display: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Hóa đơn bán lẻ / receipts
    #[command(subcommand)]
    Receipt(ReceiptCommand),
    /// Xem cài đặt; `settings set` đổi một mục / show the shop's settings; `settings set` changes one
    Settings {
        #[command(subcommand)]
        set: Option<SettingsCommand>,
    },
    /// Sao lưu ngay (được khi cửa sổ đang mở) / take a verified backup now (also while the window runs)
    Backup {
        /// Thêm một bản vào thư mục này / also copy it into this folder (never pruned)
        #[arg(long, value_name = "FOLDER")]
        to: Option<PathBuf>,
    },
    /// Các bản sao lưu / the backups: time, size, sales, last receipt
    Backups,
    /// Khôi phục một bản sao lưu (đóng cửa sổ trước) / replace the data with a backup (close the window first)
    Restore {
        /// Tệp sao lưu / the backup file
        file: PathBuf,
    },
    /// Nhà sản xuất, kèm số dùng cho báo cáo / the producers with their numbers; import or export them
    Producers {
        #[command(subcommand)]
        file: Option<CatalogueCommand>,
    },
    /// Nhập hoặc xuất danh mục sản phẩm / import or export the products as CSV
    #[command(subcommand)]
    Products(CatalogueCommand),
    /// Giỏ quà mẫu / gift-pack templates
    #[command(subcommand)]
    Pack(PackCommand),
    /// Các giỏ quà mẫu / the gift-pack templates with their barcodes and prices
    Packs,
    /// Ai được đăng nhập; `staff add` thêm người / who may sign in; `staff add` adds someone
    Staff {
        #[command(subcommand)]
        add: Option<StaffCommand>,
    },
    /// Người mua (doanh nghiệp) / company buyers
    #[command(subcommand)]
    Buyer(BuyerCommand),
    /// Tìm người mua / the buyers whose name or tax code contains QUERY
    Buyers { query: Option<String> },
    /// Hóa đơn điện tử: bản sao, thay thế, điều chỉnh / cash-register invoices: copies,
    /// replacements, adjustments
    #[command(subcommand)]
    Invoice(InvoiceCommand),
    /// Hóa đơn điện tử gửi cơ quan thuế / cash-register invoices on their way to the tax
    /// authority: status, send now, upload files, one invoice's way
    #[command(subcommand)]
    Einvoice(EinvoiceCommand),
    /// Báo cáo / reports
    #[command(subcommand)]
    Report(ReportCommand),
    /// Máy chủ tỉnh (PostgreSQL): khởi tạo, cảnh báo, báo cáo mọi cửa hàng / the province hub
    /// (PostgreSQL): set it up, its alerts, figures across all stores
    #[command(subcommand)]
    Hub(HubCommand),
    /// Gửi chứng từ của máy này lên máy chủ tỉnh và nhận của các máy khác, một lần / push
    /// this node's documents to the province hub and pull the other nodes' once (the window
    /// does this by itself while it runs)
    Sync {
        /// Một lần rồi thôi / one pass, then stop
        #[arg(long, required = true)]
        once: bool,
        #[command(flatten)]
        hub: HubUrl,
    },
    /// Quầy mô phỏng không cửa sổ: bán giỏ hàng ngẫu nhiên và đồng bộ với máy chủ tỉnh (thử
    /// nhiều quầy trên một máy) / a simulated till without a window: sells random baskets while
    /// the sync worker runs (to try several counters on one machine)
    TillSim(TillSimArgs),
    /// Đơn đặt hàng theo ngày giao / orders by the day their next line is due
    Orders {
        /// Chỉ đơn đang mở / only orders still open
        #[arg(long)]
        open: bool,
        /// Chỉ đơn có hàng phải giao đến ngày này / only orders with something to deliver by this day
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        due: Option<NaiveDate>,
    },
    /// Công nợ theo tuổi nợ / what each company owes on account, by age
    Receivables,
    /// Bảng đối chiếu công nợ của một doanh nghiệp (PDF) / a company's statement for a period
    Statement {
        /// Mã số thuế / the company's tax code
        #[arg(long, value_name = "TAX_CODE")]
        customer: String,
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        from: NaiveDate,
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        to: NaiveDate,
        /// Ghi vào tệp này / write it to this file
        #[arg(long, value_name = "FILE")]
        pdf: PathBuf,
    },
    /// Máy in hóa đơn / the receipt printer
    #[command(subcommand)]
    Printer(PrinterCommand),
    /// In tem giá kệ / shelf labels: to the label printer (setting label_printer), or --pdf
    Labels(LabelsArgs),
    /// Kiểm tra chuỗi chứng từ / check every record of every hash chain; names the first one
    /// changed, deleted or added outside the program (exit code 1 while a break is not
    /// acknowledged)
    Verify,
    /// Máy này trong cửa hàng: mã cửa hàng, mã máy, máy danh mục / this data folder as a node
    /// of its store: store id, node code, catalogue node
    #[command(subcommand)]
    Node(NodeCommand),
    /// Trao đổi chứng từ giữa các máy bằng tệp (USB) / exchange documents between the
    /// store's nodes by file (a USB stick)
    #[command(subcommand)]
    Events(EventsCommand),
}

#[derive(Debug, Subcommand)]
pub enum NodeCommand {
    /// Xem mã cửa hàng, mã máy, lần chạy / show the store id, node code and incarnation
    Show,
    /// Đổi mã cửa hàng, mã máy hoặc máy danh mục (cần PIN quản lý) / change the store id, the
    /// node's code or the catalogue node (a manager's PIN)
    Set {
        /// Mã cửa hàng, giống nhau trên mọi máy / the store id, the same on every node
        #[arg(long, value_name = "STORE")]
        store: Option<String>,
        /// Hai chữ in hoa, riêng cho mỗi máy / two capital letters, one node's own, e.g. AB
        #[arg(long, value_name = "AB")]
        code: Option<String>,
        /// Máy được sửa danh mục / the node that edits the catalogue
        #[arg(long, value_name = "AA")]
        catalogue: Option<String>,
        /// Ký hiệu hóa đơn: `node` mỗi máy một dãy theo mã máy (C26MAB), `registered` mọi máy
        /// dùng hai chữ đã đăng ký / invoice series: `node` gives each node its own (C26MAB),
        /// `registered` keeps the registered letters on every node
        #[arg(long, value_name = "node|registered", value_parser = ["node", "registered"])]
        invoice_series: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Ghi sự kiện của máy này sau số N ra tệp / write this node's events after N to FILE
    Export {
        /// Số sự kiện cuối mà máy kia đã có (0: tất cả) / the last event the others hold (0: all)
        #[arg(long, default_value_t = 0)]
        since: i64,
        file: PathBuf,
    },
    /// Nhận sự kiện của máy khác từ tệp (cần PIN quản lý) / apply other nodes' events from FILE
    /// (a manager's PIN)
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum PrinterCommand {
    /// In trang thử: mọi chữ cái tiếng Việt, ₫, ★, mã QR / print the test page: every
    /// Vietnamese letter, ₫, ★ and a QR code, on the printer the setting `printer` names
    Test {
        /// Chỉ ghi tệp PDF này / only write the page to this PDF
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
    },
}

/// Which products get a label (one choice), and where the labels go.
#[derive(Debug, Args)]
#[group(skip)]
#[command(group = clap::ArgGroup::new("which").required(true).multiple(false))]
pub struct LabelsArgs {
    /// Mã sản phẩm (lặp lại được) / a product's SKU (may repeat)
    #[arg(long = "sku", value_name = "SKU", group = "which")]
    pub skus: Vec<String>,
    /// Mọi sản phẩm của nhà sản xuất này / every product of this producer
    #[arg(long, value_name = "NAME", group = "which")]
    pub producer: Option<String>,
    /// Mọi sản phẩm của nhóm OCOP này / every product of this OCOP group
    #[arg(long, value_name = "GROUP", group = "which")]
    pub group: Option<String>,
    /// Sản phẩm đổi giá (đã gồm VAT) vào ngày này, tem in giá mới / products whose
    /// VAT-inclusive price changes on this day, labelled with the new price
    #[arg(long, value_parser = date, value_name = "YYYY-MM-DD", group = "which")]
    pub price_change: Option<NaiveDate>,
    /// Mọi sản phẩm đang bán / every product on sale
    #[arg(long, group = "which")]
    pub all: bool,
    /// Ghi tờ tem A4 (3 × 8) vào tệp này / write an A4 label sheet (3 × 8) to this file
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
}

impl LabelsArgs {
    pub fn choice(self) -> crate::core::label::LabelChoice {
        use crate::core::label::LabelChoice;
        match self {
            LabelsArgs {
                producer: Some(name),
                ..
            } => LabelChoice::Producer(name),
            LabelsArgs {
                group: Some(name), ..
            } => LabelChoice::Group(name),
            LabelsArgs {
                price_change: Some(day),
                ..
            } => LabelChoice::PriceChangesOn(day),
            LabelsArgs { all: true, .. } => LabelChoice::All,
            LabelsArgs { skus, .. } => LabelChoice::Skus(skus),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ReceiptCommand {
    /// In lại bản sao (BẢN SAO) / write a copy, marked BẢN SAO (needs a manager's PIN, audited)
    Reprint {
        /// Số hóa đơn / the receipt number, e.g. 2026-AA-000001
        number: String,
        /// Ghi vào tệp này / write it to this file
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Đổi một cài đặt / change one setting, e.g. `settings set print_command "lp -d XP80"`
    Set {
        /// shop_name address tax_code phone bank_bin bank_account bank_account_name
        /// receipt_footer print_command idle_lock_minutes discount_limit_pct void_limit
        /// session_policy negative_stock backup_keep backup_second_dir, and the invoice
        /// registration's invoice_seller_name invoice_seller_address invoice_seller_tax_code
        /// invoice_vat_method invoice_store_code invoice_store_name invoice_registration
        /// invoice_series_letters invoice_authority_code invoice_xml_version invoice_lookup_url,
        /// and sending's send_provider send_url send_account send_account_password
        /// send_username send_password send_timeout_seconds send_sender_code send_export_dir
        /// (a password given as `-` is asked for without showing it)
        #[arg(value_parser = setting_key)]
        key: String,
        value: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// Nhập tệp CSV, tất cả hoặc không / import a UTF-8 CSV all or nothing (every bad line named)
    Import {
        file: PathBuf,
        /// Chỉ xem trước: tạo (+), sửa (~) / only tell what would be created (+) or changed (~)
        #[arg(long)]
        dry_run: bool,
    },
    /// Xuất CSV (có BOM, Excel đọc được) / write every row as CSV with BOM, for Excel and re-import
    Export { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Tạo giỏ quà mẫu / a new template with its own barcode
    Add {
        #[arg(long)]
        sku: String,
        #[command(flatten)]
        contents: PackContents,
    },
    /// Đổi tên, giá, thành phần (SKU và mã vạch giữ nguyên) / new name, price and contents
    /// for later sales; its SKU and barcode stay
    Edit {
        sku: String,
        #[command(flatten)]
        contents: PackContents,
    },
    /// Ngừng bán / take a template off sale (it no longer scans)
    Deactivate { sku: String },
    /// Bán lại / put a template back on sale
    Activate { sku: String },
}

/// A template's name, price and contents.
#[derive(Debug, Args)]
pub struct PackContents {
    #[arg(long)]
    pub name: String,
    #[command(flatten)]
    pub price: PackPrice,
    /// Một thành phần, SKU:SỐ LƯỢNG / one item, SKU:QUANTITY (1 when left out); packaging is
    /// an item too
    #[arg(long = "item", value_name = "SKU:QTY", required = true, value_parser = pack_item)]
    pub items: Vec<(String, Decimal)>,
}

/// A fixed price, or the contents' shelf prices less a discount.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct PackPrice {
    /// Giá cố định / a fixed price
    #[arg(long, value_parser = amount)]
    pub price: Option<Money>,
    /// Giảm so với giá các thành phần / off the contents' shelf prices
    #[arg(long, value_parser = amount)]
    pub discount: Option<Money>,
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Thêm người; mã PIN được hỏi hai lần / add someone; their PIN (4–8 digits) is asked twice
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Khóa: không đăng nhập, không duyệt được nữa / disable: the person may no longer sign in
    /// or approve (their name stays in the records)
    Disable { name: String },
    /// Mở lại người đã khóa / re-enable a disabled person
    Enable { name: String },
    /// Đổi vai trò / change a person's role
    Role {
        name: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Đặt lại mã PIN (hỏi hai lần) / a new PIN for someone, asked twice
    ResetPin { name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Cashier,
    Manager,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Cashier => Role::Cashier,
            RoleArg::Manager => Role::Manager,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum BuyerCommand {
    /// Thêm (hoặc sửa) người mua / add a company buyer, or update the one with that tax code
    Add {
        #[arg(long, value_name = "MST")]
        tax_code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        address: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        contact: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum InvoiceCommand {
    /// Bản sao A4 (BẢN SAO), kèm XML nếu muốn / an A4 copy of an invoice, marked BẢN SAO, and
    /// its XML (NUMBER: 1C26MAA-00000012, C26MAA-12, its MCCQT; or an older C26TAA-00000012)
    Show {
        number: String,
        #[arg(long, value_name = "FILE")]
        pdf: PathBuf,
        #[arg(long, value_name = "FILE")]
        xml: Option<PathBuf>,
    },
    /// Sửa người mua: hóa đơn thay thế, hoặc thông báo 04/SS-HĐĐT khi chỉ sai tên/địa chỉ /
    /// correct an invoice's buyer: a replacement invoice, or a 04/SS-HĐĐT notice when only the
    /// name or address was wrong under the right tax code
    Replace(Box<ReplaceArgs>),
    /// Điều chỉnh khi khách trả hàng: hoàn tiền và lập hóa đơn điều chỉnh / goods given back:
    /// refunds QTY of invoice line LINE (1, 2…) and makes the adjustment invoice
    Adjust {
        number: String,
        /// LINE:QTY, một lần cho mỗi dòng / once per line
        #[arg(long = "item", value_name = "LINE:QTY", required = true, value_parser = pack_item)]
        items: Vec<(String, Decimal)>,
        #[arg(long)]
        reason: String,
        /// Trả tiền bằng / how the money goes back
        #[arg(long, value_enum, default_value = "cash")]
        method: MethodArg,
        /// Hàng hỏng, không nhập lại kho / damaged: not back on the shelf
        #[arg(long)]
        no_restock: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum EinvoiceCommand {
    /// Chưa gửi bao nhiêu, cũ nhất, dừng ở đâu và vì sao / how many are unsent, the oldest,
    /// where the queue stopped and why, today's counts
    Status,
    /// Gửi ngay qua nhà cung cấp, cả hóa đơn bị từ chối lần trước (cần PIN quản lý) / send
    /// now through the provider of the settings, the refused one again too (a manager's PIN)
    Send,
    /// Ghi hóa đơn chưa gửi của một ngày ra tệp XML để tải lên cổng nhà cung cấp / write a
    /// day's unsent invoices into DIR as upload files (each invoice and a message-206
    /// package) and mark them exported (a manager's PIN)
    Export {
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
        dir: PathBuf,
    },
    /// Một hóa đơn và đường gửi của nó; --xml ghi XML đã lập / an invoice and each step of its
    /// way to the tax authority; --xml writes its XML as issued (NUMBER: 1C26MAA-00000012,
    /// C26MAA-12 or its MCCQT)
    Show {
        number: String,
        #[arg(long, value_name = "FILE")]
        xml: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ReplaceArgs {
    pub number: String,
    /// Lý do / why
    #[arg(long)]
    pub reason: String,
    /// Số văn bản thỏa thuận (người mua là doanh nghiệp) / the written agreement's reference
    /// (required for a company buyer)
    #[arg(long, default_value = "")]
    pub agreement: String,
    #[command(flatten)]
    pub buyer: CorrectedBuyer,
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
}

/// The buyer an invoice should have named: a company by tax code (the buyer records fill in
/// the rest), a person by CCCD or phone, a foreigner by passport, or a consumer.
#[derive(Debug, Args)]
#[group(required = true, multiple = true)]
pub struct CorrectedBuyer {
    #[arg(long, value_name = "MST", group = "who")]
    pub tax_code: Option<String>,
    #[arg(long, value_name = "12 DIGITS", group = "who")]
    pub cccd: Option<String>,
    #[arg(long, group = "who")]
    pub phone: Option<String>,
    #[arg(long, group = "who")]
    pub passport: Option<String>,
    /// Người tiêu dùng không lấy thông tin / a consumer who gives no details
    #[arg(long, group = "who")]
    pub consumer: bool,
    #[arg(long, default_value = "")]
    pub name: String,
    #[arg(long, default_value = "")]
    pub address: String,
    #[arg(long, default_value = "")]
    pub email: String,
    #[arg(long, default_value = "")]
    pub contact: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    Cash,
    Transfer,
    Card,
}

impl From<MethodArg> for PaymentMethod {
    fn from(method: MethodArg) -> PaymentMethod {
        match method {
            MethodArg::Cash => PaymentMethod::Cash,
            MethodArg::Transfer => PaymentMethod::Transfer,
            MethodArg::Card => PaymentMethod::Card,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Số liệu trong ngày / the day's figures; --pdf the A4 report, --csv the sale lines
    Day {
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
    /// Bảng kê nhà cung cấp / what was sold of a producer's goods, commission, amount payable
    Producer {
        /// Số nhà cung cấp (xem `ocop-pos producers`) / the producer's number
        #[arg(long, value_name = "ID")]
        producer: i64,
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        from: NaiveDate,
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        to: NaiveDate,
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
}

/// `ocop-pos till-sim`'s arguments.
#[derive(Debug, Args)]
pub struct TillSimArgs {
    /// Số hóa đơn bán rồi dừng (0: chỉ đồng bộ) / sales to make, then stop (0: only sync)
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub sales: u64,
    /// Nghỉ giữa hai hóa đơn, mili giây / milliseconds between two sales
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    pub pace_ms: u64,
    /// Dừng bán khi tệp này xuất hiện / stop selling as soon as this file exists
    #[arg(long, value_name = "FILE")]
    pub stop_file: Option<PathBuf>,
    /// Hạt giống ngẫu nhiên, để lặp lại cùng các giỏ / the random seed, to sell the same
    /// baskets again (default: a new one, printed in the audit row)
    #[arg(long, value_name = "SEED")]
    pub seed: Option<u64>,
    /// Đồng bộ nhanh (mỗi 0,3 s, thử lại trong 2 s, bỏ đường truyền chết sau 5 s) để thử trên
    /// một máy / sync every 0.3 s, retry within 2 s and give a dead link up after 5 s (tests on
    /// one machine) instead of the window's timing
    #[arg(long)]
    pub fast_sync: bool,
    /// Sau khi bán xong, thử gửi hết trong bao nhiêu giây / after selling, how many seconds the
    /// last push-then-pull may keep retrying
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub drain_secs: u64,
    #[command(flatten)]
    pub hub: HubUrl,
}

/// `--url`, else the data folder's setting `hub_url`.
#[derive(Debug, Args)]
pub struct HubUrl {
    /// Địa chỉ máy chủ tỉnh / the hub: postgres://USER:PASSWORD@HOST:PORT/DATABASE (default:
    /// the setting hub_url)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum HubCommand {
    /// Tạo hoặc nâng cấp cơ sở dữ liệu của máy chủ tỉnh / create or upgrade the hub's schema
    Init(HubUrl),
    /// Cảnh báo: bán âm kho, trả quá số đã bán, máy bị chặn, lệch đồng hồ, kiểm kê trùng chứng
    /// từ đến muộn / alerts: oversell, over-refund, a blocked node, clock skew, a second
    /// catalogue writer, a count overlapping a late document
    Alerts(HubUrl),
    /// Báo cáo toàn tỉnh / figures across all stores
    #[command(subcommand)]
    Report(HubReportCommand),
}

#[derive(Debug, Subcommand)]
pub enum HubReportCommand {
    /// Số liệu một ngày của mọi cửa hàng / one day's figures of every store and producer
    Day {
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
        #[command(flatten)]
        hub: HubUrl,
    },
    /// Hàng của một nhà cung cấp bán ở mọi cửa hàng / a producer's goods sold in every store
    Producer {
        /// Mã nhà cung cấp (uid) / the producer's uid
        #[arg(long, value_name = "UID")]
        producer: String,
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        from: NaiveDate,
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        to: NaiveDate,
        #[command(flatten)]
        hub: HubUrl,
    },
}

impl Cli {
    /// Reads the command line (with the program's name first); a date range that ends before
    /// it starts is refused like any other bad argument.
    pub fn parse_checked<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let cli = Cli::try_parse_from(args)?;
        let period = match &cli.command {
            Some(Command::Report(ReportCommand::Producer { from, to, .. })) => {
                Some((["report", "producer"].as_slice(), from, to))
            }
            Some(Command::Statement { from, to, .. }) => Some((["statement"].as_slice(), from, to)),
            Some(Command::Hub(HubCommand::Report(HubReportCommand::Producer {
                from, to, ..
            }))) => Some((["hub", "report", "producer"].as_slice(), from, to)),
            _ => None,
        };
        if let Some((path, from, to)) = period
            && from > to
        {
            let mut command = Cli::command();
            command.build();
            let subcommand = path
                .iter()
                .try_fold(&mut command, |command, name| {
                    command.find_subcommand_mut(name)
                })
                .expect("the command's path names subcommands");
            return Err(subcommand.error(
                clap::error::ErrorKind::ArgumentConflict,
                format!(
                    "--from {from} sau --to {to}: khoảng ngày phải bắt đầu trước khi kết thúc / \
                     --from {from} is after --to {to}: a period must start before it ends"
                ),
            ));
        }
        Ok(cli)
    }
}

/// Every subcommand that runs on its own, as the words that name it (`["pack", "add"]`):
/// what tests iterate over, so a new subcommand cannot be forgotten.
pub fn subcommand_paths() -> Vec<Vec<String>> {
    fn walk(command: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        for sub in command.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let mut words = path.to_vec();
            words.push(sub.get_name().to_string());
            if !sub.is_subcommand_required_set() || !sub.has_subcommands() {
                out.push(words.clone());
            }
            walk(sub, &words, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), &[], &mut out);
    out
}

/// Settings that are not the shop's details: policies and backups.
pub const POLICY_SETTINGS: [&str; 8] = [
    "idle_lock_minutes",
    "discount_limit_pct",
    "void_limit",
    "session_policy",
    "negative_stock",
    "backup_keep",
    "backup_second_dir",
    "hub_url",
];

fn setting_key(key: &str) -> Result<String, String> {
    let invoice_key = key
        .strip_prefix(INVOICE_KEY_PREFIX)
        .is_some_and(|field| InvoiceSettings::FIELDS.contains(&field));
    let send_key = key
        .strip_prefix(SEND_KEY_PREFIX)
        .is_some_and(|field| SendSettings::FIELDS.contains(&field));
    if ShopSettings::KEYS.contains(&key)
        || POLICY_SETTINGS.contains(&key)
        || invoice_key
        || send_key
    {
        Ok(key.to_string())
    } else {
        let invoice_keys: Vec<String> = InvoiceSettings::FIELDS
            .iter()
            .map(|field| format!("{INVOICE_KEY_PREFIX}{field}"))
            .chain(
                SendSettings::FIELDS
                    .iter()
                    .map(|field| format!("{SEND_KEY_PREFIX}{field}")),
            )
            .collect();
        let known: Vec<&str> = ShopSettings::KEYS
            .into_iter()
            .chain(POLICY_SETTINGS)
            .chain(invoice_keys.iter().map(String::as_str))
            .collect();
        Err(format!(
            "không có cài đặt này / no such setting (known: {})",
            known.join(", ")
        ))
    }
}

/// `KG001:2` → the SKU and the quantity per pack (1 when left out).
fn pack_item(text: &str) -> Result<(String, Decimal), String> {
    let (sku, quantity) = text.split_once(':').unwrap_or((text, "1"));
    let quantity = parse_quantity(quantity)
        .map_err(|_| "số lượng không phải số / the quantity is not a number".to_string())?;
    Ok((sku.trim().to_string(), quantity))
}

fn amount(text: &str) -> Result<Money, String> {
    parse_amount(text).map_err(|_| "không phải số tiền / not an amount".to_string())
}

/// Reads `YYYY-MM-DD` (what the command line takes) or `dd/mm/yyyy` (what the screen shows).
pub fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y"))
        .map_err(|_| "không phải ngày (YYYY-MM-DD) / not a date (YYYY-MM-DD)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Cli, clap::Error> {
        Cli::parse_checked(std::iter::once("ocop-pos").chain(line.split_whitespace()))
    }

    #[test]
    fn the_clap_definition_is_sound() {
        Cli::command().debug_assert();
    }

    #[test]
    fn reads_the_window_and_commands_with_global_options_anywhere() {
        let cli = parse("--data-dir /tmp/shop --no-demo").unwrap();
        assert!(cli.command.is_none() && cli.no_demo);
        assert_eq!(cli.data_dir, Some(PathBuf::from("/tmp/shop")));
        let cli =
            parse("receipt reprint 2026-AA-000001 --pdf /tmp/r.pdf --data-dir /tmp/shop").unwrap();
        assert_eq!(cli.data_dir, Some(PathBuf::from("/tmp/shop")));
        assert!(matches!(
            cli.command,
            Some(Command::Receipt(ReceiptCommand::Reprint { number, pdf: Some(_) }))
                if number == "2026-AA-000001"
        ));
        let cli = parse("pack edit GP003 --name Hộp --discount 10000 --item KG028:2 --item KG041")
            .unwrap();
        let Some(Command::Pack(PackCommand::Edit { sku, contents })) = cli.command else {
            panic!("not a pack edit");
        };
        assert_eq!(sku, "GP003");
        assert_eq!(contents.price.discount, Some(Money(10_000)));
        assert_eq!(
            contents.items,
            vec![
                ("KG028".to_string(), Decimal::from(2)),
                ("KG041".to_string(), Decimal::ONE)
            ]
        );
        assert!(parse("producers").is_ok() && parse("producers import p.csv --dry-run").is_ok());
        assert!(parse("settings").is_ok() && parse("staff").is_ok() && parse("buyers").is_ok());
    }

    #[test]
    fn errors_name_the_argument_not_the_whole_usage() {
        let said = |line: &str| parse(line).unwrap_err().to_string();
        let missing = said("report day");
        assert!(missing.contains("--date"), "{missing}");
        assert!(
            !missing.contains("pack add"),
            "only this command's usage: {missing}"
        );
        let bad = said("report day --date 31/02/2026");
        assert!(
            bad.contains("--date") && bad.contains("not a date"),
            "{bad}"
        );
        let price = said("pack edit GP003 --name Hộp --item KG028");
        assert!(
            price.contains("--price") && price.contains("--discount"),
            "{price}"
        );
        let both = said("pack edit GP003 --name Hộp --price 1 --discount 2 --item KG028");
        assert!(
            both.contains("--discount") && both.contains("--price"),
            "{both}"
        );
        let item = said("pack add --sku GP9 --name Hộp --price 1 --item KG028:two");
        assert!(
            item.contains("--item") && item.contains("quantity"),
            "{item}"
        );
        let role = said("staff add --name Hoa --role boss");
        assert!(
            role.contains("--role") && role.contains("cashier"),
            "{role}"
        );
        let key = said("settings set colour blue");
        assert!(key.contains("<KEY>") && key.contains("shop_name"), "{key}");
        let pin = said("staff add --name Hoa --role cashier --pin 3333");
        assert!(pin.contains("--pin"), "a PIN is never an argument: {pin}");
        let unknown = said("sell everything");
        assert!(unknown.contains("sell"), "{unknown}");
    }

    #[test]
    fn a_period_that_ends_before_it_starts_is_refused() {
        let refused =
            parse("report producer --producer 3 --from 2026-11-30 --to 2026-11-01").unwrap_err();
        assert_eq!(refused.kind(), clap::error::ErrorKind::ArgumentConflict);
        let said = refused.to_string();
        assert!(
            said.contains("--from 2026-11-30 is after --to 2026-11-01"),
            "{said}"
        );
        assert!(said.contains("report producer"), "its own usage: {said}");
        assert!(parse("report producer --producer 3 --from 2026-11-01 --to 2026-11-01").is_ok());
    }

    #[test]
    fn every_subcommand_is_listed() {
        let paths = subcommand_paths();
        for expected in [
            vec!["settings"],
            vec!["settings", "set"],
            vec!["producers"],
            vec!["producers", "import"],
            vec!["products", "export"],
            vec!["pack", "activate"],
            vec!["report", "producer"],
        ] {
            assert!(paths.contains(&expected.iter().map(|w| w.to_string()).collect()));
        }
        assert!(
            !paths.contains(&vec!["products".to_string()]),
            "products needs a verb"
        );
    }
}
