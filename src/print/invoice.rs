//! The VAT invoice (hóa đơn GTGT) on A4. Work in progress.

use crate::core::invoice::Invoice;
use crate::core::settings::ShopSettings;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InvoiceOptions {
    /// A reprint: marked "BẢN SAO", otherwise the same document.
    pub copy: bool,
}

pub fn invoice_pdf(_shop: &ShopSettings, _invoice: &Invoice, _options: &InvoiceOptions) -> Vec<u8> {
    todo!("invoice PDF in progress")
}
