//! Turning a laid-out page into PDF bytes that depend only on the document's own data.
//!
//! printpdf stamps every file with a random `/ID`; a reprint must be the same file, so the
//! identifier and the dates are set from the record instead.

use crate::print::font::add_fonts;
use chrono::{DateTime, Utc};
use printpdf::{OffsetDateTime, PdfDocument, PdfPage, PdfSaveOptions};

const PRODUCER: &str = "OCOP POS";

/// What a document says about itself, beside its page.
pub struct DocumentInfo {
    pub title: String,
    /// When the record was made; printed as the PDF's creation and modification date.
    pub created: DateTime<Utc>,
    /// Stands for the record in the file identifier, e.g. the tax code and document number.
    pub identifier: String,
}

pub fn save(page: PdfPage, info: &DocumentInfo) -> Vec<u8> {
    let mut doc = PdfDocument::new(&info.title);
    add_fonts(&mut doc);
    let created = OffsetDateTime::from_unix_timestamp(info.created.timestamp())
        .expect("a sale's time is a valid timestamp");
    let metadata = &mut doc.metadata.info;
    metadata.creation_date = created;
    metadata.modification_date = created;
    metadata.metadata_date = created;
    metadata.creator = PRODUCER.to_string();
    metadata.producer = PRODUCER.to_string();
    metadata.identifier = info.identifier.clone();
    doc.pages = vec![page];

    // Subsetting only happens with printpdf's `text_layout` feature; without it this flag is
    // ignored and the whole 750 KB font is embedded.
    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut pdf = doc.to_lopdf_document(&options, &mut Vec::new());
    if let Ok(ids) = pdf.trailer.get_mut(b"ID").and_then(|id| id.as_array_mut()) {
        for id in ids {
            if let Ok(bytes) = id.as_str_mut() {
                *bytes = info.identifier.as_bytes().to_vec();
            }
        }
    }
    pdf.compress();
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes)
        .expect("writing a PDF to memory cannot fail");
    bytes
}
