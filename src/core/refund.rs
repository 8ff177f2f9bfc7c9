//! Giving money back for part or all of a sale.

use crate::core::einvoice::EInvoice;
use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use crate::core::vat::VatBucket;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One sale line to give back, and how much of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundItem {
    /// The line's position in the sale (0 is the first line).
    pub line_no: usize,
    pub quantity: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRequest {
    pub receipt_no: String,
    pub items: Vec<RefundItem>,
    pub method: PaymentMethod,
    /// Back on the shelf, or written off (damaged).
    pub restock: bool,
    pub reason: String,
    pub cashier: String,
    /// The manager who approved it (a cashier needs one; a manager refunding alone is her own).
    #[serde(default)]
    pub approver: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundError {
    NoSuchSale,
    NoSuchLine(usize),
    NothingToRefund,
    QuantityNotPositive,
    /// More than was sold and not yet refunded: carries what is left.
    MoreThanSold {
        line_no: usize,
        left: Decimal,
    },
    /// No cash session is open and the policy opens none: a refund, like a sale, is paid
    /// from (and counted in) a session.
    NoOpenSession,
}

/// The money for giving back `quantity` of a line: its share of what the customer paid for the
/// line; the last part refunded takes what is left, so a line refunded in pieces gives back
/// exactly its total.
pub fn refund_amount(
    line_total: Money,
    sold: Decimal,
    already_quantity: Decimal,
    already_amount: Money,
    quantity: Decimal,
) -> Money {
    if already_quantity + quantity >= sold {
        return line_total - already_amount;
    }
    Money::from_decimal(line_total.to_decimal() * quantity / sold).unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundLine {
    pub line_no: usize,
    pub name: String,
    pub quantity: Decimal,
    pub amount: Money,
}

/// A refund once committed: its own numbered document pointing at the sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRecord {
    pub id: i64,
    pub refund_no: String,
    pub receipt_no: String,
    pub refunded_at: DateTime<Utc>,
    pub cashier: String,
    #[serde(default)]
    pub approver: Option<String>,
    pub method: PaymentMethod,
    pub restock: bool,
    pub reason: String,
    pub lines: Vec<RefundLine>,
    pub total: Money,
    pub vat: Vec<VatBucket>,
    /// The adjustment invoice the refund made (none for a sale sold without an invoice).
    #[serde(default)]
    pub adjustment: Option<EInvoice>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_add_up_to_the_line() {
        let total = Money(100_000);
        let three = Decimal::from(3);
        let first = refund_amount(total, three, Decimal::ZERO, Money::ZERO, Decimal::ONE);
        let second = refund_amount(total, three, Decimal::ONE, first, Decimal::ONE);
        let last = refund_amount(total, three, Decimal::from(2), first + second, Decimal::ONE);
        assert_eq!((first, second), (Money(33_333), Money(33_333)));
        assert_eq!(first + second + last, total);
    }
}
