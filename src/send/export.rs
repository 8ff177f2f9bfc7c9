//! Upload files for a provider's web portal, for shops that send by hand: each batch (one day,
//! one series) goes into the day's folder as each invoice's XML exactly as issued and one
//! message package (`TDiep`, message 206, or its own message for invoices without the tax
//! authority's code) holding them all. Every file is written whole under a temporary name and
//! then renamed, so a half-written file never looks like an export.

use super::{Batch, Provider, RemoteStatus, SendError};
use crate::core::delivery::{
    DeliveryState, PackageHeader, SendSettings, message_package, message_type, outgoing_invoice,
};
use crate::core::einvoice::{InvoiceSettings, Registration};
use std::path::{Path, PathBuf};

/// A day's invoices of one series rarely pass this; more make a second package.
const MAX_BATCH: usize = 5_000;

/// Where upload files go when the settings name no folder.
pub const DEFAULT_EXPORT_DIR: &str = "einvoice-export";

/// The folder of the settings, else `einvoice-export/` in the data folder.
pub fn export_dir(settings: &SendSettings, data_dir: &Path) -> PathBuf {
    if settings.export_dir.is_empty() {
        data_dir.join(DEFAULT_EXPORT_DIR)
    } else {
        PathBuf::from(&settings.export_dir)
    }
}

pub struct FileExport {
    dir: PathBuf,
    xml_version: String,
    sender_code: String,
    tax_code: String,
}

impl FileExport {
    pub fn new(dir: PathBuf, settings: &SendSettings, invoices: &InvoiceSettings) -> FileExport {
        let sender_code = if settings.sender_code.is_empty() {
            invoices.seller_tax_code.clone()
        } else {
            settings.sender_code.clone()
        };
        FileExport {
            dir,
            xml_version: invoices.xml_version.clone(),
            sender_code,
            tax_code: invoices.seller_tax_code.clone(),
        }
    }
}

/// Writes `bytes` to `path` whole: a temporary file, flushed, then renamed over any earlier
/// export of the same invoices (the same content).
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let partial = path.with_extension("xml.partial");
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, path)
}

impl Provider for FileExport {
    fn max_batch(&self) -> usize {
        MAX_BATCH
    }

    fn send_batch(&mut self, batch: &Batch<'_>) -> Result<Vec<(String, String)>, SendError> {
        let (Some(first), Some(last)) = (batch.invoices.first(), batch.invoices.last()) else {
            return Ok(Vec::new());
        };
        let registration = if batch.series.starts_with('K') {
            Registration::WithoutCode
        } else {
            Registration::WithCode
        };
        let folder = self.dir.join(format!("hoa-don-{}", batch.local_date));
        let failed =
            |e: std::io::Error| SendError::NotDelivered(format!("{}: {e}", folder.display()));
        std::fs::create_dir_all(&folder).map_err(failed)?;
        let issued: Vec<_> = batch
            .invoices
            .iter()
            .map(|invoice| outgoing_invoice(&invoice.xml, |rate| self.vat_code(rate)))
            .collect();
        for (invoice, xml) in batch.invoices.iter().zip(&issued) {
            let file = folder.join(format!("{}.xml", invoice.reference()));
            let whole = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{xml}");
            write_whole(&file, whole.as_bytes()).map_err(failed)?;
        }
        let header = PackageHeader {
            xml_version: &self.xml_version,
            sender_code: &self.sender_code,
            tax_code: &self.tax_code,
            registration,
        };
        let keys: Vec<&str> = batch.invoices.iter().map(|i| i.key.as_str()).collect();
        let bodies: Vec<&str> = issued.iter().map(|xml| xml.as_ref()).collect();
        let package = folder.join(format!(
            "TDiep-{}-{}{}-{:08}-{:08}.xml",
            message_type(registration),
            batch.template,
            batch.series,
            first.number,
            last.number
        ));
        write_whole(
            &package,
            message_package(&header, &keys, &bodies).as_bytes(),
        )
        .map_err(failed)?;
        let shown = package.display().to_string();
        Ok(batch
            .invoices
            .iter()
            .map(|invoice| (invoice.key.clone(), shown.clone()))
            .collect())
    }

    /// A file says nothing back.
    fn fetch_status(&mut self, _keys: &[&str]) -> Result<Vec<RemoteStatus>, SendError> {
        Ok(Vec::new())
    }

    fn hands_over_as(&self) -> DeliveryState {
        DeliveryState::Exported
    }
}
