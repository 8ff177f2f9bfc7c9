//! PDF documents: pure functions from finished records to bytes. Nothing here reads the
//! database, so printing the same record twice gives the same file.

mod document;
mod font;
mod layout;
mod receipt;

pub use receipt::{ReceiptOptions, receipt_pdf};
