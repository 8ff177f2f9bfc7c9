//! Receivables (công nợ): sales on account, the payments that settle them, deposits taken on
//! orders, how old what is owed is, and a company's statement.
//!
//! A customer's balance is what its invoices came to, less what it paid (at the counter, from
//! deposits applied, on account), less the deposits it paid that are not used yet. Positive:
//! the customer owes the shop.

use crate::core::customer::Customer;
use crate::core::money::Money;
use crate::core::order::OrderError;
use crate::core::payment::PaymentMethod;
use crate::core::report::Period;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A company's purchases of one day from the shop, added up, from which paying in cash loses
/// it the VAT deduction (Decree 181/2025, since 1 Jul 2025).
pub const NON_CASH_THRESHOLD: Money = Money(5_000_000);

/// True when a purchase of `day_total` (the company's purchases that day, this one included)
/// is paid partly in cash: the buyer cannot deduct its VAT, and should be told.
pub fn cash_loses_vat_deduction(day_total: Money, cash: Money) -> bool {
    day_total >= NON_CASH_THRESHOLD && cash > Money::ZERO
}

/// Money a customer paid outside a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentKind {
    /// A deposit on an order (phiếu thu tiền đặt cọc, `DC2026-000001`).
    Deposit,
    /// An unused deposit paid back when its order was cancelled (phiếu chi, `PC2026-000001`).
    DepositRefund,
    /// A payment on account, settling invoices (phiếu thu, `PT2026-000001`).
    Account,
}

impl PaymentKind {
    /// Its stored name, which is also the name of its number series.
    pub const fn code(self) -> &'static str {
        match self {
            PaymentKind::Deposit => "deposit",
            PaymentKind::DepositRefund => "deposit_refund",
            PaymentKind::Account => "account",
        }
    }

    pub fn from_code(code: &str) -> Option<PaymentKind> {
        [
            PaymentKind::Deposit,
            PaymentKind::DepositRefund,
            PaymentKind::Account,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    /// The letters of its numbers.
    pub fn prefix(self) -> &'static str {
        match self {
            PaymentKind::Deposit => "DC",
            PaymentKind::DepositRefund => "PC",
            PaymentKind::Account => "PT",
        }
    }
}

/// Part of a payment on account set against one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub receipt_no: String,
    pub invoice: Option<String>,
    pub amount: Money,
}

/// A deposit, a deposit paid back, or a payment on account, as its slip shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPayment {
    pub id: i64,
    pub number: String,
    pub kind: PaymentKind,
    pub customer: Customer,
    pub order_number: Option<String>,
    pub at: DateTime<Utc>,
    pub cashier: String,
    pub approver: Option<String>,
    pub method: PaymentMethod,
    pub amount: Money,
    pub reference: String,
    pub allocations: Vec<Allocation>,
}

/// An invoice on account with something still open on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenInvoice {
    pub sale_id: i64,
    pub receipt_no: String,
    pub invoice: Option<String>,
    pub sold_on: NaiveDate,
    pub due_on: NaiveDate,
    pub total: Money,
    /// What was put on account, less what was paid against it since.
    pub open: Money,
}

/// Sets `amount` against the open invoices, oldest first (by sale; `open` comes in that
/// order). Refused when it is more than is open altogether.
pub fn allocate_oldest_first(
    open: &[OpenInvoice],
    amount: Money,
) -> Result<Vec<(i64, Money)>, OrderError> {
    if amount <= Money::ZERO {
        return Err(OrderError::AmountNotPositive);
    }
    let owed: Money = open.iter().map(|i| i.open).sum();
    if amount > owed {
        return Err(OrderError::PaymentAboveOpen(owed));
    }
    let mut left = amount;
    let mut parts = Vec::new();
    for invoice in open {
        if left == Money::ZERO {
            break;
        }
        let part = invoice.open.min(left);
        if part > Money::ZERO {
            parts.push((invoice.sale_id, part));
            left -= part;
        }
    }
    Ok(parts)
}

/// Checks amounts chosen per invoice (by receipt number) against what is open on each and
/// against the payment; returns them by sale.
pub fn allocate_as_chosen(
    open: &[OpenInvoice],
    chosen: &[(String, Money)],
    amount: Money,
) -> Result<Vec<(i64, Money)>, OrderError> {
    if amount <= Money::ZERO {
        return Err(OrderError::AmountNotPositive);
    }
    let mut parts: Vec<(i64, Money)> = Vec::new();
    for (receipt_no, part) in chosen.iter().filter(|(_, part)| *part != Money::ZERO) {
        let invoice = open
            .iter()
            .find(|i| &i.receipt_no == receipt_no || i.invoice.as_ref() == Some(receipt_no))
            .ok_or_else(|| OrderError::NotOpenInvoice(receipt_no.clone()))?;
        let already: Money = parts
            .iter()
            .filter(|(sale, _)| *sale == invoice.sale_id)
            .map(|(_, m)| *m)
            .sum();
        if *part < Money::ZERO || already + *part > invoice.open {
            return Err(OrderError::NotOpenInvoice(receipt_no.clone()));
        }
        match parts.iter_mut().find(|(sale, _)| *sale == invoice.sale_id) {
            Some((_, sum)) => *sum += *part,
            None => parts.push((invoice.sale_id, *part)),
        }
    }
    let allocated: Money = parts.iter().map(|(_, m)| *m).sum();
    if allocated != amount {
        return Err(OrderError::AllocationNotPayment {
            payment: amount,
            allocated,
        });
    }
    Ok(parts)
}

/// How far past its due day what is open on an invoice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AgeBucket {
    /// Not due yet, or due today.
    Current,
    Days1To30,
    Days31To60,
    Over60,
}

impl AgeBucket {
    pub const ALL: [AgeBucket; 4] = [
        AgeBucket::Current,
        AgeBucket::Days1To30,
        AgeBucket::Days31To60,
        AgeBucket::Over60,
    ];

    pub fn of(due_on: NaiveDate, today: NaiveDate) -> AgeBucket {
        match (today - due_on).num_days() {
            ..=0 => AgeBucket::Current,
            1..=30 => AgeBucket::Days1To30,
            31..=60 => AgeBucket::Days31To60,
            _ => AgeBucket::Over60,
        }
    }
}

/// What a company owes on account, by age, with its terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgingRow {
    pub customer_id: i64,
    pub name: String,
    pub tax_code: String,
    pub limit: Money,
    pub days: u32,
    /// Open amounts by [`AgeBucket`], in its order.
    pub buckets: [Money; 4],
}

impl AgingRow {
    pub fn total(&self) -> Money {
        self.buckets.iter().copied().sum()
    }

    pub fn overdue(&self) -> Money {
        self.total() - self.buckets[0]
    }
}

/// One line of a statement: a document and what it did to the balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementEntry {
    pub at: DateTime<Utc>,
    /// `1C26MAA-00000012`, `2026-000045`, `DC2026-000001`, `PT2026-000003`…
    pub document: String,
    pub description: String,
    /// What the customer came to owe (an invoice, a deposit paid back).
    pub debit: Money,
    /// What the customer paid (at the counter, a deposit, on account).
    pub credit: Money,
}

/// A customer's account over a period: the balance before it, every document in it, and the
/// balance after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountStatement {
    pub customer: Customer,
    pub period: Period,
    pub opening: Money,
    pub entries: Vec<StatementEntry>,
    /// What is open on account at the end of the period, invoice by invoice, with its age then.
    pub open: Vec<OpenInvoice>,
    /// Deposits held on open orders at the end of the period.
    pub unused_deposits: Money,
}

impl AccountStatement {
    pub fn debits(&self) -> Money {
        self.entries.iter().map(|e| e.debit).sum()
    }

    pub fn credits(&self) -> Money {
        self.entries.iter().map(|e| e.credit).sum()
    }

    pub fn closing(&self) -> Money {
        self.opening + self.debits() - self.credits()
    }

    /// The balance after each entry, in order.
    pub fn running(&self) -> Vec<Money> {
        self.entries
            .iter()
            .scan(self.opening, |balance, entry| {
                *balance += entry.debit - entry.credit;
                Some(*balance)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoice(sale_id: i64, open: i64) -> OpenInvoice {
        let day = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        OpenInvoice {
            sale_id,
            receipt_no: format!("2027-{sale_id:06}"),
            invoice: None,
            sold_on: day,
            due_on: day,
            total: Money(open),
            open: Money(open),
        }
    }

    #[test]
    fn payments_go_to_the_oldest_invoice_first() {
        let open = [invoice(1, 300), invoice(2, 500), invoice(3, 200)];
        assert_eq!(
            allocate_oldest_first(&open, Money(600)),
            Ok(vec![(1, Money(300)), (2, Money(300))])
        );
        assert_eq!(
            allocate_oldest_first(&open, Money(1_001)),
            Err(OrderError::PaymentAboveOpen(Money(1_000)))
        );
        assert_eq!(
            allocate_oldest_first(&open, Money::ZERO),
            Err(OrderError::AmountNotPositive)
        );
    }

    #[test]
    fn chosen_amounts_must_fit_their_invoices_and_add_up() {
        let open = [invoice(1, 300), invoice(2, 500)];
        let chosen = |parts: &[(i64, i64)]| -> Vec<(String, Money)> {
            parts
                .iter()
                .map(|(sale, amount)| (format!("2027-{sale:06}"), Money(*amount)))
                .collect()
        };
        assert_eq!(
            allocate_as_chosen(&open, &chosen(&[(2, 500), (1, 100)]), Money(600)),
            Ok(vec![(2, Money(500)), (1, Money(100))])
        );
        assert_eq!(
            allocate_as_chosen(&open, &chosen(&[(2, 501)]), Money(501)),
            Err(OrderError::NotOpenInvoice("2027-000002".into()))
        );
        assert_eq!(
            allocate_as_chosen(&open, &chosen(&[(2, 300), (2, 300)]), Money(600)),
            Err(OrderError::NotOpenInvoice("2027-000002".into()))
        );
        assert_eq!(
            allocate_as_chosen(&open, &chosen(&[(9, 1)]), Money(1)),
            Err(OrderError::NotOpenInvoice("2027-000009".into()))
        );
        assert_eq!(
            allocate_as_chosen(&open, &chosen(&[(1, 100)]), Money(200)),
            Err(OrderError::AllocationNotPayment {
                payment: Money(200),
                allocated: Money(100)
            })
        );
    }

    #[test]
    fn ages_count_from_the_due_day() {
        let due = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
        let at = |days| due + chrono::Duration::days(days);
        assert_eq!(AgeBucket::of(due, at(-5)), AgeBucket::Current);
        assert_eq!(AgeBucket::of(due, at(0)), AgeBucket::Current);
        assert_eq!(AgeBucket::of(due, at(1)), AgeBucket::Days1To30);
        assert_eq!(AgeBucket::of(due, at(30)), AgeBucket::Days1To30);
        assert_eq!(AgeBucket::of(due, at(31)), AgeBucket::Days31To60);
        assert_eq!(AgeBucket::of(due, at(60)), AgeBucket::Days31To60);
        assert_eq!(AgeBucket::of(due, at(61)), AgeBucket::Over60);
    }

    #[test]
    fn cash_from_five_million_a_day_loses_the_deduction() {
        assert!(!cash_loses_vat_deduction(
            Money(4_999_999),
            Money(4_999_999)
        ));
        assert!(cash_loses_vat_deduction(Money(5_000_000), Money(1)));
        assert!(!cash_loses_vat_deduction(Money(9_000_000), Money::ZERO));
    }
}
