//! Receipt files in the data folder and handing them to the printer.

use crate::core::sale::SaleRecord;
use crate::core::settings::ShopSettings;
use crate::print::{ReceiptOptions, receipt_pdf};
use chrono::Datelike;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `receipts/2026/11/2026-000123.pdf`; a reprint is saved beside it as `…-ban-sao.pdf`.
pub fn receipt_path(data_dir: &Path, sale: &SaleRecord, copy: bool) -> PathBuf {
    let local = sale
        .sold_at
        .with_timezone(&crate::core::clock::SHOP_TIME_ZONE);
    let suffix = if copy { "-ban-sao" } else { "" };
    data_dir
        .join("receipts")
        .join(format!("{:04}", local.year()))
        .join(format!("{:02}", local.month()))
        .join(format!("{}{suffix}.pdf", sale.receipt_no))
}

/// Builds the receipt PDF of a committed sale and writes it whole (temporary file, then
/// rename), so a crash never leaves half a receipt.
pub fn write_receipt(
    data_dir: &Path,
    shop: &ShopSettings,
    sale: &SaleRecord,
    copy: bool,
) -> io::Result<PathBuf> {
    let path = receipt_path(data_dir, sale, copy);
    let bytes = receipt_pdf(shop, sale, &ReceiptOptions { copy });
    write_whole(&path, &bytes)?;
    Ok(path)
}

pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = path.with_extension("pdf.part");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
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
