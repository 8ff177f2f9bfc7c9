//! Talking to printers: the layer above `store` and `print` that sends bytes out, each job on
//! a thread of its own and under a time-out, so a dead printer costs the caller at most
//! [`TIME_OUT`] and the window never waits on it at all (it calls from a worker thread).
//!
//! Where a roll document goes is the setting `printer`: `pdf` (the PDF is handed to the print
//! command, or to the operating system's opener, as before), or an ESC/POS printer that gets
//! the raster of the same layout: `tcp://HOST:PORT` (a network printer, raw port 9100),
//! `file:/dev/usb/lp0` (a USB or parallel device), or `spooler:NAME` (the operating system's
//! queue, in raw mode). A4 documents always go the PDF way.

use crate::core::payment::PaymentMethod;
pub use crate::core::printer::{PrintFailure, PrinterTarget};
use crate::core::settings::ShopSettings;
use crate::documents::{Document, send_to_printer};
use crate::print::escpos::{JobOptions, drawer_job, print_job};
use crate::print::{Raster, Roll, label_roll, test_page};
use chrono::{DateTime, Utc};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The longest a job may take to reach a printer before it is given up as unreachable.
pub const TIME_OUT: Duration = Duration::from_secs(3);
/// How long a network printer has to answer the paper-status question; one that does not
/// answer at all (some do not) is printed to anyway.
const STATUS_WAIT: Duration = Duration::from_millis(400);
/// `DLE EOT 4`: the real-time status of the paper roll sensor.
const PAPER_STATUS: [u8; 3] = [0x10, 0x04, 4];
/// Bits of the paper status that say the roll is out.
const PAPER_END: u8 = 0x60;
/// Prints a saved document where the settings say: a roll document to the thermal printer as
/// a raster (with the drawer's pulse for a new cash sale's receipt), everything else (and
/// everything when the printer is `pdf`) by handing the PDF at `path` to the print command.
pub fn print_document(
    document: &Document,
    shop: &ShopSettings,
    path: &Path,
) -> Result<(), PrintFailure> {
    if let Document::Labels { labels, printed_at } = document {
        return match PrinterTarget::parse(&shop.label_printer) {
            Some(PrinterTarget::Pdf) => send_to_pdf_command(shop, path),
            Some(target) => {
                let rasters = label_roll(shop, labels, shop.label_size(), *printed_at).rasters();
                print_rasters(&target, &rasters, false)
            }
            None => Err(PrintFailure::BadSetting(shop.label_printer.clone())),
        };
    }
    let target = printer_of(shop)?;
    let roll = Roll::of_dots(shop.printer_dots());
    match (&target, document.on_roll(shop, roll)) {
        (PrinterTarget::Pdf, _) | (_, None) => send_to_pdf_command(shop, path),
        (_, Some(laid_out)) => {
            let options = JobOptions {
                cut: true,
                open_drawer: opens_drawer(document),
            };
            send(&target, &print_job(Some(&laid_out.raster()), options))
        }
    }
}

/// Hands a PDF to the print command (or the operating system's opener).
pub fn send_to_pdf_command(shop: &ShopSettings, path: &Path) -> Result<(), PrintFailure> {
    send_to_printer(&shop.print_command, path)
        .map_err(|error| PrintFailure::Command(error.to_string()))
}

/// A new receipt of a sale paid (partly) in cash: the drawer opens for the change. A copy,
/// or a sale paid by transfer or card, leaves it shut.
pub fn opens_drawer(document: &Document) -> bool {
    matches!(document, Document::Receipt { sale, copy: false }
        if sale.draft.tenders.iter().any(|t| t.method == PaymentMethod::Cash))
}

/// The configured receipt printer.
pub fn printer_of(shop: &ShopSettings) -> Result<PrinterTarget, PrintFailure> {
    PrinterTarget::parse(&shop.printer)
        .ok_or_else(|| PrintFailure::BadSetting(shop.printer.clone()))
}

/// Opens the cash drawer (wired to the receipt printer) without a sale. With no thermal
/// printer there is no drawer to open.
pub fn open_drawer(shop: &ShopSettings) -> Result<(), PrintFailure> {
    match printer_of(shop)? {
        PrinterTarget::Pdf => Err(PrintFailure::NoDrawer),
        target => send(&target, &drawer_job()),
    }
}

/// The test page to the receipt printer; with `pdf`, its PDF is written at `pdf_path` and
/// handed to the print command. Says which printer it went to.
pub fn print_test_page(
    shop: &ShopSettings,
    now: DateTime<Utc>,
    pdf_path: &Path,
) -> Result<String, PrintFailure> {
    let target = printer_of(shop)?;
    let page = test_page(shop, Roll::of_dots(shop.printer_dots()), now);
    match &target {
        PrinterTarget::Pdf => {
            let unwritten = |error: std::io::Error| PrintFailure::Command(error.to_string());
            if let Some(folder) = pdf_path.parent() {
                std::fs::create_dir_all(folder).map_err(unwritten)?;
            }
            std::fs::write(pdf_path, page.pdf()).map_err(unwritten)?;
            send_to_pdf_command(shop, pdf_path)?;
            Ok(pdf_path.display().to_string())
        }
        _ => print_rasters(&target, &[page.raster()], true).map(|()| target.describe()),
    }
}

/// Sends pictures (a test page, labels) to `target`, each cut off after it when `cut`.
pub fn print_rasters(
    target: &PrinterTarget,
    rasters: &[Raster],
    cut: bool,
) -> Result<(), PrintFailure> {
    let bytes: Vec<u8> = rasters
        .iter()
        .flat_map(|raster| {
            print_job(
                Some(raster),
                JobOptions {
                    cut,
                    open_drawer: false,
                },
            )
        })
        .collect();
    send(target, &bytes)
}

/// Sends a job's bytes to a thermal printer on a thread of its own, giving up after
/// [`TIME_OUT`] (the thread, if stuck in the operating system, is left to finish alone).
pub fn send(target: &PrinterTarget, bytes: &[u8]) -> Result<(), PrintFailure> {
    // One deadline for the whole job, copying the bytes included, so a big job under a busy
    // processor still gives up on time.
    let deadline = Instant::now() + TIME_OUT;
    let printer = target.describe();
    let (done, result) = mpsc::channel();
    let (target, bytes) = (target.clone(), bytes.to_vec());
    std::thread::spawn(move || {
        let _ = done.send(deliver(&target, &bytes, deadline));
    });
    let left = deadline.saturating_duration_since(Instant::now());
    result
        .recv_timeout(left + Duration::from_millis(50))
        .unwrap_or(Err(PrintFailure::TimedOut { printer }))
}

fn deliver(target: &PrinterTarget, bytes: &[u8], deadline: Instant) -> Result<(), PrintFailure> {
    let printer = target.describe();
    let unreachable = |error: std::io::Error| match error.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => PrintFailure::TimedOut {
            printer: printer.clone(),
        },
        _ => PrintFailure::Unreachable {
            printer: printer.clone(),
            detail: error.to_string(),
        },
    };
    match target {
        PrinterTarget::Pdf => Ok(()),
        PrinterTarget::Network { host, port } => {
            let mut stream = connect(host, *port, deadline).map_err(unreachable)?;
            if paper_out(&mut stream) {
                return Err(PrintFailure::PaperOut { printer });
            }
            let left = deadline.saturating_duration_since(Instant::now());
            stream
                .set_write_timeout(Some(left.max(Duration::from_millis(1))))
                .map_err(unreachable)?;
            stream.write_all(bytes).map_err(unreachable)?;
            stream.flush().map_err(unreachable)
        }
        PrinterTarget::Device(path) => std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut device| device.write_all(bytes).and_then(|()| device.flush()))
            .map_err(unreachable),
        PrinterTarget::Spooler(name) => {
            spool(name, bytes).map_err(|detail| PrintFailure::Spooler { printer, detail })
        }
    }
}

/// A connection to the first of the host's addresses that answers before the deadline.
fn connect(host: &str, port: u16, deadline: Instant) -> std::io::Result<TcpStream> {
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no address");
    for address in (host, port).to_socket_addrs()? {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        match TcpStream::connect_timeout(&address, left) {
            Ok(stream) => return Ok(stream),
            Err(error) => last = error,
        }
    }
    Err(last)
}

/// Asks the printer whether its roll is out; a printer that does not answer in time is taken
/// to have paper.
fn paper_out(stream: &mut TcpStream) -> bool {
    if stream.write_all(&PAPER_STATUS).is_err()
        || stream.set_read_timeout(Some(STATUS_WAIT)).is_err()
    {
        return false;
    }
    let mut status = [0u8; 1];
    matches!(stream.read(&mut status), Ok(1) if status[0] & PAPER_END != 0)
}

/// Hands the bytes to the operating system's queue untouched: CUPS `lp -o raw` on Linux and
/// macOS; on Windows, a copy in binary mode to the printer's share name.
fn spool(name: &str, bytes: &[u8]) -> Result<(), String> {
    let mut command = if cfg!(target_os = "windows") {
        let file = std::env::temp_dir().join(format!("ocop-pos-{}.prn", std::process::id()));
        std::fs::write(&file, bytes).map_err(|e| e.to_string())?;
        let mut command = Command::new("cmd");
        command
            .args(["/C", "copy", "/b"])
            .arg(&file)
            .arg(format!("\\\\localhost\\{name}"));
        command
    } else {
        let mut command = Command::new("lp");
        command.args(["-d", name, "-o", "raw", "-s"]);
        command
    };
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    if let Some(mut stdin) = child.stdin.take() {
        // Windows' copy reads the file, not its input; `lp` reads the job from its input.
        if !cfg!(target_os = "windows") {
            stdin.write_all(bytes).map_err(|e| e.to_string())?;
        }
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}
