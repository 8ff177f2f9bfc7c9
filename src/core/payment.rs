//! Tenders and the rules that decide whether they settle a sale.

use crate::core::money::{MAX_AMOUNT, Money};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentMethod {
    Cash,
    /// Bank transfer by VietQR, confirmed by hand: there is no offline way to check it.
    Transfer,
    Card,
    /// A delivery paid from the deposit taken on its order (money received before: not
    /// money taken that day).
    Deposit,
    /// Sold on account (công nợ): the company pays later, by transfer or cash.
    OnAccount,
}

impl PaymentMethod {
    /// The ways money is handed over at the counter, in the order they are shown and summed.
    /// A deposit applied and a sale on account are tenders too, but no money that day.
    pub const ALL: [PaymentMethod; 3] = [
        PaymentMethod::Cash,
        PaymentMethod::Transfer,
        PaymentMethod::Card,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::Card => "card",
            PaymentMethod::Deposit => "deposit",
            PaymentMethod::OnAccount => "account",
        }
    }

    pub fn from_code(code: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL
            .into_iter()
            .chain([PaymentMethod::Deposit, PaymentMethod::OnAccount])
            .find(|m| m.code() == code)
    }

    /// True for money handed over now: cash, a transfer, a card.
    pub fn is_money(self) -> bool {
        PaymentMethod::ALL.contains(&self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tender {
    pub method: PaymentMethod,
    pub amount: Money,
    /// For transfers: the VietQR payload shown to the customer.
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentError {
    /// Tenders add up to less than the total; carries what is still due.
    Short(Money),
    /// Card and transfer give no change: they may not add up to more than the total.
    NonCashOverpaid,
    NotPositive,
    AmountTooLarge,
    EmptyCart,
}

/// Checks the tenders against the total and returns the change, which comes out of cash only.
pub fn settle(total: Money, tenders: &[Tender]) -> Result<Money, PaymentError> {
    if total <= Money::ZERO {
        return Err(PaymentError::EmptyCart);
    }
    for tender in tenders {
        if tender.amount <= Money::ZERO {
            return Err(PaymentError::NotPositive);
        }
        if tender.amount > MAX_AMOUNT {
            return Err(PaymentError::AmountTooLarge);
        }
    }
    let paid: Money = tenders.iter().map(|t| t.amount).sum();
    if paid < total {
        return Err(PaymentError::Short(total - paid));
    }
    let non_cash: Money = tenders
        .iter()
        .filter(|t| t.method != PaymentMethod::Cash)
        .map(|t| t.amount)
        .sum();
    if non_cash > total {
        return Err(PaymentError::NonCashOverpaid);
    }
    Ok(paid - total)
}

/// Amounts offered as quick buttons beside "exact": what is due rounded up to each common
/// note, when that is more than is due.
pub fn quick_cash_amounts(due: Money) -> Vec<Money> {
    const NOTES: [i64; 4] = [10_000, 50_000, 100_000, 500_000];
    let mut amounts: Vec<Money> = NOTES
        .iter()
        .map(|&note| Money(((due.0 + note - 1) / note).max(1) * note))
        .filter(|&m| m > due)
        .collect();
    amounts.sort();
    amounts.dedup();
    amounts.truncate(4);
    amounts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cash(amount: i64) -> Tender {
        Tender {
            method: PaymentMethod::Cash,
            amount: Money(amount),
            reference: None,
        }
    }

    fn card(amount: i64) -> Tender {
        Tender {
            method: PaymentMethod::Card,
            amount: Money(amount),
            reference: None,
        }
    }

    #[test]
    fn change_comes_from_cash() {
        assert_eq!(settle(Money(165_000), &[cash(200_000)]), Ok(Money(35_000)));
        assert_eq!(
            settle(Money(165_000), &[card(100_000), cash(70_000)]),
            Ok(Money(5_000))
        );
        assert_eq!(settle(Money(165_000), &[cash(165_000)]), Ok(Money::ZERO));
    }

    #[test]
    fn refuses_short_and_overpaid_card() {
        assert_eq!(
            settle(Money(165_000), &[cash(100_000)]),
            Err(PaymentError::Short(Money(65_000)))
        );
        assert_eq!(
            settle(Money(165_000), &[card(200_000)]),
            Err(PaymentError::NonCashOverpaid)
        );
        assert_eq!(
            settle(Money(165_000), &[cash(0)]),
            Err(PaymentError::NotPositive)
        );
        assert_eq!(
            settle(Money::ZERO, &[cash(10)]),
            Err(PaymentError::EmptyCart)
        );
    }

    #[test]
    fn quick_amounts_cover_the_total() {
        assert_eq!(
            quick_cash_amounts(Money(165_000)),
            vec![Money(170_000), Money(200_000), Money(500_000)]
        );
        assert_eq!(
            quick_cash_amounts(Money(1_234_000)),
            vec![
                Money(1_240_000),
                Money(1_250_000),
                Money(1_300_000),
                Money(1_500_000)
            ]
        );
        // A round amount is paid exact; no larger note combination is suggested.
        assert!(quick_cash_amounts(Money(500_000)).is_empty());
    }
}
