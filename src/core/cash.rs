//! The cash drawer: shifts (cash sessions), counting by note, over and short.

use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use crate::core::vat::VatBucket;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Vietnamese đồng notes, smallest first.
pub const NOTES: [i64; 10] = [
    500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000,
];

/// How many of each note are in the drawer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteCount(BTreeMap<i64, u32>);

impl NoteCount {
    /// Sets the count of one note; only real notes are accepted.
    pub fn set(&mut self, note: i64, count: u32) -> Result<(), CashError> {
        if !NOTES.contains(&note) {
            return Err(CashError::NotANote(note));
        }
        if count == 0 {
            self.0.remove(&note);
        } else {
            self.0.insert(note, count);
        }
        Ok(())
    }

    pub fn count(&self, note: i64) -> u32 {
        self.0.get(&note).copied().unwrap_or(0)
    }

    pub fn total(&self) -> Money {
        self.0
            .iter()
            .map(|(note, count)| Money(note * i64::from(*count)))
            .sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CashError {
    NotANote(i64),
    /// Counted and expected differ: the closing needs a note saying why.
    NoteRequired {
        difference: Money,
    },
    NoOpenSession,
    AlreadyOpen,
    AlreadyClosed,
    NotPositive,
    ReasonRequired,
}

/// Counted minus expected: positive is over, negative is short. A difference needs a note.
pub fn check_close(expected: Money, counted: Money, note: &str) -> Result<Money, CashError> {
    let difference = counted - expected;
    if difference != Money::ZERO && note.trim().is_empty() {
        return Err(CashError::NoteRequired { difference });
    }
    Ok(difference)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CashMoveKind {
    In,
    Out,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashMove {
    pub kind: CashMoveKind,
    pub amount: Money,
    pub reason: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashSession {
    pub id: i64,
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    pub opening_float: Money,
    pub closing: Option<SessionClosing>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClosing {
    pub z_number: String,
    pub closed_at: DateTime<Utc>,
    pub closed_by: String,
    pub counts: NoteCount,
    pub counted: Money,
    pub expected: Money,
    pub note: String,
}

impl SessionClosing {
    pub fn difference(&self) -> Money {
        self.counted - self.expected
    }
}

/// What went through a session, as the Z-report prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionFigures {
    pub sales_count: i64,
    pub gross: Money,
    pub discounts: Money,
    pub sales_total: Money,
    /// Takings by method: cash net of change, each less the refunds paid that way.
    pub takings: Vec<(PaymentMethod, Money)>,
    pub vat: Vec<VatBucket>,
    pub refunds_count: i64,
    pub refunds: Money,
    pub voids_count: i64,
    pub voids: Money,
    pub moves: Vec<CashMove>,
    pub cash_sales: Money,
    pub cash_refunds: Money,
    /// Deposits and payments on account taken in the session (cash of them goes in the drawer).
    #[serde(default)]
    pub customer_money: crate::core::report::CustomerMoney,
}

impl SessionFigures {
    /// Float + cash taken − cash refunded + cash in − cash out + cash deposits and payments on
    /// account − deposits paid back in cash.
    pub fn expected_cash(&self, opening_float: Money) -> Money {
        let moved: Money = self
            .moves
            .iter()
            .map(|m| match m.kind {
                CashMoveKind::In => m.amount,
                CashMoveKind::Out => -m.amount,
            })
            .sum();
        opening_float + self.cash_sales - self.cash_refunds + moved + self.customer_money.cash()
    }
}

/// A closed session with its figures: the Z-report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZReport {
    pub session: CashSession,
    pub figures: SessionFigures,
    /// The head of every hash chain when the session closed (none while it is open).
    pub chain_heads: Vec<crate::core::chain::ChainHead>,
    /// The close's day's cash-register invoices, sent and unsent, as the close found them
    /// (none for closes made before invoices were sent).
    pub einvoices: Option<(chrono::NaiveDate, crate::core::delivery::DayDelivery)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_note() {
        let mut count = NoteCount::default();
        count.set(500_000, 3).unwrap();
        count.set(2_000, 4).unwrap();
        count.set(500, 1).unwrap();
        assert_eq!(count.total(), Money(1_508_500));
        assert_eq!(count.set(300, 1), Err(CashError::NotANote(300)));
        count.set(2_000, 0).unwrap();
        assert_eq!(count.total(), Money(1_500_500));
    }

    #[test]
    fn over_and_short_need_a_note() {
        assert_eq!(check_close(Money(1_000), Money(1_000), ""), Ok(Money::ZERO));
        assert_eq!(
            check_close(Money(1_000), Money(500), " "),
            Err(CashError::NoteRequired {
                difference: Money(-500)
            })
        );
        assert_eq!(
            check_close(Money(1_000), Money(1_500), "khách gửi lại"),
            Ok(Money(500))
        );
    }
}
