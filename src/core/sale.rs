//! A sale as committed: what the receipt and every later report are built from.

use crate::core::cart::{Cart, CartError};
use crate::core::money::Money;
use crate::core::payment::{PaymentError, Tender, settle};
use crate::core::vat::{VatBucket, VatRate};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One line of a committed sale, with its price, VAT rate and discounts as they were.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleLine {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub producer: String,
    pub stars: Option<u8>,
    pub unit: String,
    pub quantity: Decimal,
    pub unit_price: Money,
    pub vat: VatRate,
    pub gross: Money,
    pub line_discount: Money,
    pub order_discount: Money,
    pub total: Money,
}

/// Everything a sale needs before it gets a number: built from the cart and the tenders,
/// checked, and handed to the store to commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleDraft {
    pub cashier: String,
    pub lines: Vec<SaleLine>,
    pub gross: Money,
    pub discounts: Money,
    pub total: Money,
    pub vat: Vec<VatBucket>,
    pub tenders: Vec<Tender>,
    pub change: Money,
}

/// A sale once its transaction is durable: it has a number and a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleRecord {
    pub id: i64,
    pub receipt_no: String,
    pub sold_at: DateTime<Utc>,
    pub draft: SaleDraft,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftError {
    Cart(CartError),
    Payment(PaymentError),
}

impl SaleDraft {
    /// Prices the cart and checks the tenders; a draft exists only for a cart that can be paid.
    pub fn new(cart: &Cart, tenders: Vec<Tender>, cashier: &str) -> Result<SaleDraft, DraftError> {
        if cart.is_empty() {
            return Err(DraftError::Payment(PaymentError::EmptyCart));
        }
        let totals = cart.totals();
        let change = settle(totals.total, &tenders).map_err(DraftError::Payment)?;
        let lines = cart
            .lines
            .iter()
            .zip(&totals.lines)
            .map(|(line, priced)| SaleLine {
                product_id: line.product_id,
                sku: line.sku.clone(),
                name: line.name.clone(),
                producer: line.producer.clone(),
                stars: line.stars,
                unit: line.unit.clone(),
                quantity: line.quantity,
                unit_price: line.unit_price,
                vat: line.vat,
                gross: priced.gross,
                line_discount: priced.line_discount,
                order_discount: priced.order_discount,
                total: priced.total,
            })
            .collect();
        Ok(SaleDraft {
            cashier: cashier.to_string(),
            lines,
            gross: totals.gross,
            discounts: totals.discounts(),
            total: totals.total,
            vat: totals.vat,
            tenders,
            change,
        })
    }
}
