//! Gift-pack invoices (hóa đơn GTGT): buyers, lines before VAT, VAT per rate, numbering.

use crate::core::cart::allocate;
use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use crate::core::sale::SaleDraft;
use crate::core::settings::is_valid_tax_code;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuyerError {
    NameRequired,
    BadTaxCode,
    AddressRequired,
}

impl Buyer {
    /// Checks what an invoice needs of its buyer.
    pub fn validate(&self) -> Result<(), BuyerError> {
        if self.name.trim().is_empty() {
            return Err(BuyerError::NameRequired);
        }
        if !is_valid_tax_code(self.tax_code.trim()) {
            return Err(BuyerError::BadTaxCode);
        }
        if self.address.trim().is_empty() {
            return Err(BuyerError::AddressRequired);
        }
        Ok(())
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

/// The invoice rows of a sale: one per product (a basket's components one by one), each rate's
/// amount before VAT spread over its rows by what the customer paid for them, so the rows add
/// up to each rate's figure exactly and the rates to the sale's total.
pub fn invoice_lines(sale: &SaleDraft) -> Vec<InvoiceLine> {
    let mut amounts = vec![Money::ZERO; sale.lines.len()];
    for bucket in &sale.vat {
        let of_rate: Vec<usize> = (0..sale.lines.len())
            .filter(|&i| sale.lines[i].vat == bucket.rate)
            .collect();
        let weights: Vec<Money> = of_rate.iter().map(|&i| sale.lines[i].total).collect();
        for (i, amount) in of_rate.into_iter().zip(allocate(bucket.pre_vat, &weights)) {
            amounts[i] = amount;
        }
    }
    sale.lines
        .iter()
        .zip(amounts)
        .map(|(line, amount)| InvoiceLine {
            name: line.name.clone(),
            unit: line.unit.clone(),
            quantity: line.quantity,
            unit_price: (amount.to_decimal() / line.quantity).round_dp(2),
            amount,
            vat: line.vat,
        })
        .collect()
}
