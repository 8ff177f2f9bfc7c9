//! Money in whole đồng. VND has no minor unit, so every amount is an integer.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// The largest amount the till accepts anywhere (10^12 đ): beyond it the input is a typo.
pub const MAX_AMOUNT: Money = Money(1_000_000_000_000);

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn dong(self) -> i64 {
        self.0
    }

    /// Rounds an exact decimal amount to the nearest đồng, halves away from zero.
    pub fn from_decimal(amount: Decimal) -> Option<Money> {
        amount
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .to_i64()
            .map(Money)
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::from(self.0)
    }

    pub fn is_within_limit(self) -> bool {
        self.0.abs() <= MAX_AMOUNT.0
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

/// `1.250.000 ₫`: dots between thousands, the sign of the đồng after a space.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad` so that width and alignment (`{:>20}`) work in text reports.
        f.pad(&format!("{} ₫", group_thousands(self.0)))
    }
}

/// `1250000` → `1.250.000`, keeping a leading minus.
pub fn group_thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// Why a typed amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    NotANumber,
    Negative,
    TooLarge,
}

/// Reads an amount as a cashier types it: `1250000`, `1.250.000`, `1 250 000`, `1,250,000`,
/// or with a `k` suffix for thousands (`50k`). Decimals are refused: there is no part of a đồng.
pub fn parse_amount(input: &str) -> Result<Money, AmountError> {
    let trimmed = input.trim().trim_end_matches('₫').trim();
    if trimmed.starts_with('-') {
        return Err(AmountError::Negative);
    }
    let (body, factor) = match trimmed.strip_suffix(['k', 'K']) {
        Some(rest) => (rest, 1_000i64),
        None => (trimmed, 1i64),
    };
    let digits: String = body
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(AmountError::NotANumber);
    }
    if digits.len() > 15 {
        return Err(AmountError::TooLarge);
    }
    let value: i64 = digits.parse().map_err(|_| AmountError::NotANumber)?;
    let amount = Money(value.checked_mul(factor).ok_or(AmountError::TooLarge)?);
    if amount > MAX_AMOUNT {
        return Err(AmountError::TooLarge);
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_dots_and_dong_sign() {
        assert_eq!(Money(1_250_000).to_string(), "1.250.000 ₫");
        assert_eq!(Money(0).to_string(), "0 ₫");
        assert_eq!(Money(999).to_string(), "999 ₫");
        assert_eq!(Money(1000).to_string(), "1.000 ₫");
        assert_eq!(Money(-50_000).to_string(), "-50.000 ₫");
    }

    #[test]
    fn parses_what_a_cashier_types() {
        assert_eq!(parse_amount("1250000"), Ok(Money(1_250_000)));
        assert_eq!(parse_amount("1.250.000"), Ok(Money(1_250_000)));
        assert_eq!(parse_amount(" 500 000 ₫"), Ok(Money(500_000)));
        assert_eq!(parse_amount("50k"), Ok(Money(50_000)));
        assert_eq!(parse_amount("abc"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount(""), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("-5"), Err(AmountError::Negative));
        assert_eq!(parse_amount("1000000000001"), Err(AmountError::TooLarge));
        assert_eq!(parse_amount("1000000000000"), Ok(MAX_AMOUNT));
        assert_eq!(
            parse_amount("99999999999999999999"),
            Err(AmountError::TooLarge)
        );
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(Money::from_decimal(Decimal::new(15, 1)), Some(Money(2)));
        assert_eq!(Money::from_decimal(Decimal::new(14, 1)), Some(Money(1)));
        assert_eq!(Money::from_decimal(Decimal::new(-15, 1)), Some(Money(-2)));
    }
}
