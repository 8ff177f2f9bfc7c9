//! `printer test` and `labels`: the counter's printers from the command line. Both only read
//! the store; a label sheet is written where asked, or printed on the label printer.

use crate::config::Config;
use crate::core::clock::start_of_local_day;
use crate::core::label::{LabelChoice, ShelfLabel, choose};
use crate::i18n::{Lang, print_failure_text};
use crate::print::{label_roll, label_sheets};
use crate::printer::{PrinterTarget, print_rasters, print_test_page, send_to_pdf_command};
use chrono::{Duration, Utc};
use std::path::Path;

/// The test page to the receipt printer, or its PDF to `pdf` only.
pub fn printer_test(config: &Config, pdf: Option<&Path>) -> Result<String, String> {
    let store = super::open_existing(config)?;
    let shop = store.shop_settings().map_err(|e| e.to_string())?;
    let now = Utc::now();
    if let Some(path) = pdf {
        let page =
            crate::print::test_page(&shop, crate::print::Roll::of_dots(shop.printer_dots()), now);
        std::fs::write(path, page.pdf()).map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok(path.display().to_string());
    }
    let fallback = config.data_dir.join("reports").join("trang-in-thu.pdf");
    print_test_page(&shop, now, &fallback).map_err(|failure| {
        format!(
            "{} / {}",
            print_failure_text(&failure, Lang::Vi),
            print_failure_text(&failure, Lang::En)
        )
    })
}

/// Labels for the products `choice` names: an A4 sheet PDF at `pdf`, or the label printer
/// (an A4 sheet PDF handed to the print command when it is `pdf`). A price change's labels
/// carry the price of that day.
pub fn print_labels(
    config: &Config,
    choice: LabelChoice,
    pdf: Option<&Path>,
) -> Result<String, String> {
    let store = super::open_existing(config)?;
    let shop = store.shop_settings().map_err(|e| e.to_string())?;
    let now = Utc::now();
    let at = match &choice {
        LabelChoice::PriceChangesOn(day) => start_of_local_day(*day),
        _ => now,
    };
    let catalogue = store.catalogue(at).map_err(|e| e.to_string())?;
    let before = match &choice {
        LabelChoice::PriceChangesOn(_) => store
            .catalogue(at - Duration::milliseconds(1))
            .map_err(|e| e.to_string())?,
        _ => Vec::new(),
    };
    let labels: Vec<ShelfLabel> = choose(&choice, &catalogue, &before)
        .into_iter()
        .map(ShelfLabel::of)
        .collect();
    if labels.is_empty() {
        return Ok("Không có sản phẩm nào cần tem / no product needs a label".to_string());
    }
    let count = labels.len();
    let target = PrinterTarget::parse(&shop.label_printer)
        .ok_or_else(|| format!("label_printer: {}", shop.label_printer))?;
    match (pdf, target) {
        (Some(path), _) => {
            std::fs::write(path, label_sheets(&shop, &labels, now).pdf())
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(format!("{count} tem / labels: {}", path.display()))
        }
        (None, PrinterTarget::Pdf) => {
            let path = config
                .data_dir
                .join("reports")
                .join(format!("tem-gia-{}.pdf", now.format("%Y%m%d-%H%M%S")));
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
            }
            std::fs::write(&path, label_sheets(&shop, &labels, now).pdf())
                .map_err(|e| e.to_string())?;
            send_to_pdf_command(&shop, &path).map_err(|f| print_failure_text(&f, Lang::Vi))?;
            Ok(format!("{count} tem / labels: {}", path.display()))
        }
        (None, target) => {
            let rasters = label_roll(&shop, &labels, shop.label_size(), now).rasters();
            print_rasters(&target, &rasters, false)
                .map_err(|f| print_failure_text(&f, Lang::Vi))?;
            Ok(format!("{count} tem / labels → {}", target.describe()))
        }
    }
}
