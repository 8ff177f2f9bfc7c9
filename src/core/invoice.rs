//! Company buyers, and the A4 VAT invoices (`C26TAA`) made before every sale became a
//! cash-register invoice: kept so they stay readable and reprintable.

use crate::core::einvoice::{InvoiceBuyer, InvoiceBuyerError};
use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use crate::core::vat::{VatBucket, VatRate};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A company (or person) an invoice is made out to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Buyer {
    pub id: i64,
    pub name: String,
    /// 10 digits, or 10 digits + "-" + 3 for a branch.
    pub tax_code: String,
    pub address: String,
    pub email: String,
    pub contact: String,
}

impl Buyer {
    /// Checks what an invoice needs of a company buyer: the rules of [`InvoiceBuyer`].
    pub fn validate(&self) -> Result<(), InvoiceBuyerError> {
        InvoiceBuyer::Company(self.clone()).checked().map(drop)
    }
}

/// One row of an invoice: a product (a gift pack is listed by its components) with its price
/// and amount before VAT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub name: String,
    pub unit: String,
    pub quantity: Decimal,
    /// Amount before VAT over quantity, to the hundredth of a đồng (as printed).
    pub unit_price: Decimal,
    /// Amount before VAT: the rows of a rate add up to that rate's amount before VAT.
    pub amount: Money,
    pub vat: VatRate,
}

/// A cancellation: the invoice stays as issued; this record says it no longer counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub at: DateTime<Utc>,
    pub reason: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: i64,
    /// Mẫu số: 1 for a VAT invoice.
    pub template_symbol: String,
    /// Ký hiệu, e.g. `C26TAA`.
    pub symbol: String,
    /// Số hóa đơn: restarts at 1 each year, no gaps.
    pub number: i64,
    pub issued_at: DateTime<Utc>,
    pub receipt_no: String,
    pub buyer: Buyer,
    pub lines: Vec<InvoiceLine>,
    pub vat: Vec<VatBucket>,
    pub payment_methods: Vec<PaymentMethod>,
    pub issued_by: String,
    /// The invoice this one replaces, by symbol and number.
    pub replaces: Option<String>,
    pub cancellation: Option<Cancellation>,
}

impl Invoice {
    /// `C26TAA-00000012`: how invoices are named in messages and file names.
    pub fn reference(&self) -> String {
        format!("{}-{:08}", self.symbol, self.number)
    }

    pub fn total_before_vat(&self) -> Money {
        self.vat.iter().map(|b| b.pre_vat).sum()
    }

    pub fn total_vat(&self) -> Money {
        self.vat.iter().map(|b| b.vat).sum()
    }

    pub fn total(&self) -> Money {
        self.vat.iter().map(|b| b.gross).sum()
    }
}
