//! Printed documents: pure functions from finished records to bytes (PDF, and the thermal
//! printer's raster and ESC/POS bytes for roll documents). Nothing here reads the
//! database, so printing the same record twice gives the same file.

mod account;
mod day_report;
mod document;
pub mod escpos;
mod font;
mod gift_slip;
mod invoice;
mod labels;
mod layout;
mod orders;
mod raster;
mod receipt;
mod receiving_note;
mod refund;
mod statement;
mod test_page;
mod z_report;

pub use account::{account_statement_pdf, customer_payment_pdf};
pub use day_report::day_report_pdf;
pub use document::{Roll, RollDocument};
pub use gift_slip::{gift_slip, gift_slip_pdf};
pub use invoice::{InvoiceOptions, einvoice_pdf, invoice_pdf};
pub use labels::{LabelDocument, label_roll, label_sheets};
pub use orders::{delivery_note_pdf, order_confirmation_pdf, packing_list_pdf};
pub use raster::{DOTS_PER_MM, Raster};
pub use receipt::{ReceiptOptions, receipt, receipt_pdf};
pub use receiving_note::receiving_note_pdf;
pub use refund::{refund_pdf, refund_slip};
pub use statement::producer_statement_pdf;
pub use test_page::{VIETNAMESE_LETTERS, test_page};
pub use z_report::{z_report, z_report_pdf};
