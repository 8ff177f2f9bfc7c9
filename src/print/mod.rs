//! PDF documents: pure functions from finished records to bytes. Nothing here reads the
//! database, so printing the same record twice gives the same file.

mod account;
mod day_report;
mod document;
mod font;
mod gift_slip;
mod invoice;
mod layout;
mod orders;
mod receipt;
mod receiving_note;
mod refund;
mod statement;
mod z_report;

pub use account::{account_statement_pdf, customer_payment_pdf};
pub use day_report::day_report_pdf;
pub use gift_slip::gift_slip_pdf;
pub use invoice::{InvoiceOptions, einvoice_pdf, invoice_pdf};
pub use orders::{delivery_note_pdf, order_confirmation_pdf, packing_list_pdf};
pub use receipt::{ReceiptOptions, receipt_pdf};
pub use receiving_note::receiving_note_pdf;
pub use refund::refund_pdf;
pub use statement::producer_statement_pdf;
pub use z_report::z_report_pdf;
