//! VAT rates and the split of VAT-inclusive amounts into pre-VAT amount and VAT.

use crate::core::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A VAT rate as printed on documents. `NotSubject` is "KCT" (không chịu thuế).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum VatRate {
    NotSubject,
    Percent(Decimal),
}

impl VatRate {
    /// The rates Vietnamese law uses today: KCT, 0, 5, 8 and 10 %.
    pub fn allowed() -> [VatRate; 5] {
        [
            VatRate::NotSubject,
            VatRate::Percent(Decimal::ZERO),
            VatRate::Percent(Decimal::from(5)),
            VatRate::Percent(Decimal::from(8)),
            VatRate::Percent(Decimal::from(10)),
        ]
    }

    /// The stored code: `KCT` or the percent as written (`8`, `10`).
    pub fn code(&self) -> String {
        match self {
            VatRate::NotSubject => "KCT".to_string(),
            VatRate::Percent(p) => p.normalize().to_string(),
        }
    }

    /// Reads a stored or typed code; only the allowed rates pass.
    pub fn from_code(code: &str) -> Option<VatRate> {
        let code = code.trim().trim_end_matches('%').trim();
        let rate = if code.eq_ignore_ascii_case("KCT") {
            VatRate::NotSubject
        } else {
            VatRate::Percent(code.parse::<Decimal>().ok()?.normalize())
        };
        VatRate::allowed().contains(&rate).then_some(rate)
    }

    fn percent(&self) -> Decimal {
        match self {
            VatRate::NotSubject => Decimal::ZERO,
            VatRate::Percent(p) => *p,
        }
    }

    /// Splits a VAT-inclusive amount: pre-VAT = round(gross × 100 / (100 + rate)),
    /// VAT = gross − pre-VAT, so the two always add up to the gross.
    pub fn split(&self, gross: Money) -> VatSplit {
        let hundred = Decimal::from(100);
        let pre_vat =
            Money::from_decimal(gross.to_decimal() * hundred / (hundred + self.percent()))
                .expect("amounts within the till's limit fit in i64");
        VatSplit {
            gross,
            pre_vat,
            vat: gross - pre_vat,
        }
    }
}

impl fmt::Display for VatRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VatRate::NotSubject => write!(f, "KCT"),
            VatRate::Percent(p) => write!(f, "{}%", p.normalize()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatSplit {
    pub gross: Money,
    pub pre_vat: Money,
    pub vat: Money,
}

/// One rate's share of a document: the sum of its lines' gross, split once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatBucket {
    pub rate: VatRate,
    pub gross: Money,
    pub pre_vat: Money,
    pub vat: Money,
}

/// Groups VAT-inclusive line amounts by rate and splits each group's sum. Splitting the sum
/// (not each line) is what keeps the printed per-rate figures adding up to the total.
pub fn vat_breakdown(lines: impl IntoIterator<Item = (VatRate, Money)>) -> Vec<VatBucket> {
    let mut per_rate: BTreeMap<VatRate, Money> = BTreeMap::new();
    for (rate, gross) in lines {
        *per_rate.entry(rate).or_default() += gross;
    }
    per_rate
        .into_iter()
        .map(|(rate, gross)| {
            let split = rate.split(gross);
            VatBucket {
                rate,
                gross,
                pre_vat: split.pre_vat,
                vat: split.vat,
            }
        })
        .collect()
}

/// Per-rate figures of sales less those of refunds, rate by rate (rates absent from both drop out).
pub fn net_of_refunds(sales: &[VatBucket], refunds: &[VatBucket]) -> Vec<VatBucket> {
    let mut per_rate: BTreeMap<VatRate, VatBucket> = BTreeMap::new();
    let zero = |rate| VatBucket {
        rate,
        gross: Money::ZERO,
        pre_vat: Money::ZERO,
        vat: Money::ZERO,
    };
    for (bucket, sign) in sales
        .iter()
        .map(|b| (b, 1))
        .chain(refunds.iter().map(|b| (b, -1)))
    {
        let entry = per_rate
            .entry(bucket.rate)
            .or_insert_with(|| zero(bucket.rate));
        entry.gross += Money(sign * bucket.gross.0);
        entry.pre_vat += Money(sign * bucket.pre_vat.0);
        entry.vat += Money(sign * bucket.vat.0);
    }
    per_rate.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_vat_inclusive_prices() {
        let eight = VatRate::from_code("8").unwrap();
        let split = eight.split(Money(165_000));
        assert_eq!(split.pre_vat, Money(152_778));
        assert_eq!(split.vat, Money(12_222));
        let kct = VatRate::NotSubject.split(Money(70_000));
        assert_eq!((kct.pre_vat, kct.vat), (Money(70_000), Money(0)));
    }

    #[test]
    fn codes_round_trip_and_refuse_unknown_rates() {
        for rate in VatRate::allowed() {
            assert_eq!(VatRate::from_code(&rate.code()), Some(rate));
        }
        assert_eq!(VatRate::from_code("8%"), VatRate::from_code("8"));
        assert_eq!(VatRate::from_code("7"), None);
        assert_eq!(VatRate::from_code("x"), None);
    }

    #[test]
    fn breakdown_groups_by_rate() {
        let five = VatRate::from_code("5").unwrap();
        let eight = VatRate::from_code("8").unwrap();
        let buckets = vat_breakdown([(eight, Money(100)), (five, Money(200)), (eight, Money(50))]);
        assert_eq!(buckets.len(), 2);
        let total: Money = buckets.iter().map(|b| b.gross).sum();
        assert_eq!(total, Money(350));
        for b in buckets {
            assert_eq!(b.pre_vat + b.vat, b.gross);
        }
    }
}
