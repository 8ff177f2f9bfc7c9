//! What the manager reads: daily figures and producer statements.

use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use crate::core::vat::VatBucket;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Local calendar days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn day(day: NaiveDate) -> Period {
        Period { from: day, to: day }
    }

    /// The same length of time just before this one.
    pub fn previous(&self) -> Period {
        let days = (self.to - self.from).num_days() + 1;
        Period {
            from: self.from - chrono::Duration::days(days),
            to: self.to - chrono::Duration::days(days),
        }
    }

    /// The same days one week earlier (same weekday last week for a single day).
    pub fn week_before(&self) -> Period {
        Period {
            from: self.from - chrono::Duration::days(7),
            to: self.to - chrono::Duration::days(7),
        }
    }
}

/// An amount (and a quantity where it means something) under a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub label: String,
    pub quantity: Decimal,
    pub amount: Money,
}

/// A period's sales at a glance. Refunds count on the day they are paid out; the breakdowns
/// (hours excepted) are net of them, so each breakdown adds up to `net`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySummary {
    pub period: Period,
    pub sales_count: i64,
    pub gross: Money,
    pub discounts: Money,
    pub sales_total: Money,
    pub refunds_count: i64,
    pub refunds: Money,
    pub net: Money,
    /// Sales VAT less refunded VAT, per rate.
    pub vat: Vec<VatBucket>,
    /// Money taken by method: cash net of change, each less refunds paid that way.
    pub takings: Vec<(PaymentMethod, Money)>,
    /// Sales totals by local hour of the sale.
    pub by_hour: [Money; 24],
    pub top_products: Vec<Tally>,
    pub by_producer: Vec<Tally>,
    pub by_stars: Vec<Tally>,
    pub by_group: Vec<Tally>,
    /// Deposits and payments on account: money received apart from the period's sales.
    #[serde(default)]
    pub customer_money: CustomerMoney,
}

/// Money for orders and accounts, apart from the sales: deposits taken and paid back, payments
/// on account (each by method); and what the sales were paid with that was no money that day —
/// deposits taken before, and what was sold on account. A deposit counts once, when it is
/// taken; the delivery it pays counts as a sale, not again as money.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CustomerMoney {
    pub deposits: Vec<(PaymentMethod, Money)>,
    pub deposit_refunds: Vec<(PaymentMethod, Money)>,
    pub account_payments: Vec<(PaymentMethod, Money)>,
    pub deposits_applied: Money,
    pub sold_on_account: Money,
}

impl CustomerMoney {
    fn total(rows: &[(PaymentMethod, Money)], method: Option<PaymentMethod>) -> Money {
        rows.iter()
            .filter(|(m, _)| method.is_none_or(|method| *m == method))
            .map(|(_, amount)| *amount)
            .sum()
    }

    /// Money received (less paid back) by `method`, or by every method.
    pub fn received(&self, method: Option<PaymentMethod>) -> Money {
        Self::total(&self.deposits, method) - Self::total(&self.deposit_refunds, method)
            + Self::total(&self.account_payments, method)
    }

    pub fn deposits_taken(&self) -> Money {
        Self::total(&self.deposits, None)
    }

    pub fn deposits_paid_back(&self) -> Money {
        Self::total(&self.deposit_refunds, None)
    }

    pub fn paid_on_account(&self) -> Money {
        Self::total(&self.account_payments, None)
    }

    /// What this money did to the cash drawer.
    pub fn cash(&self) -> Money {
        self.received(Some(PaymentMethod::Cash))
    }

    pub fn is_empty(&self) -> bool {
        *self == CustomerMoney::default()
    }
}

impl DaySummary {
    /// Sales total over the number of sales, to the nearest đồng.
    pub fn average_basket(&self) -> Money {
        if self.sales_count == 0 {
            return Money::ZERO;
        }
        Money::from_decimal(self.sales_total.to_decimal() / Decimal::from(self.sales_count))
            .unwrap_or_default()
    }

    pub fn vat_total(&self) -> Money {
        self.vat.iter().map(|b| b.vat).sum()
    }
}

/// A sale in the day's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleHeader {
    pub receipt_no: String,
    pub sold_at: chrono::DateTime<chrono::Utc>,
    pub cashier: String,
    pub total: Money,
}

/// One sale line as exported to CSV for the accountant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportLine {
    pub receipt_no: String,
    pub sold_at: chrono::DateTime<chrono::Utc>,
    pub cashier: String,
    pub sku: String,
    pub name: String,
    pub producer: String,
    pub unit: String,
    pub quantity: Decimal,
    pub unit_price: Money,
    pub vat_rate: String,
    pub gross: Money,
    pub discount: Money,
    pub total: Money,
}

/// One product's part in a producer statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub sold: Decimal,
    pub sales: Money,
    pub returned: Decimal,
    pub refunds: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerRef {
    pub id: i64,
    pub name: String,
    pub consignment: bool,
    /// Percent of net sales the showroom keeps.
    pub commission_pct: Decimal,
}

impl std::fmt::Display for ProducerRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// What the showroom owes a producer for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerStatement {
    pub producer: ProducerRef,
    pub period: Period,
    pub lines: Vec<StatementLine>,
}

impl ProducerStatement {
    pub fn sales(&self) -> Money {
        self.lines.iter().map(|l| l.sales).sum()
    }

    pub fn refunds(&self) -> Money {
        self.lines.iter().map(|l| l.refunds).sum()
    }

    pub fn net(&self) -> Money {
        self.sales() - self.refunds()
    }

    /// The showroom's commission on net sales, to the nearest đồng.
    pub fn commission(&self) -> Money {
        Money::from_decimal(
            self.net().to_decimal() * self.producer.commission_pct / Decimal::from(100),
        )
        .unwrap_or_default()
    }

    pub fn payable(&self) -> Money {
        self.net() - self.commission()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_step_back() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let p = Period::day(day);
        assert_eq!(
            p.previous(),
            Period::day(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap())
        );
        assert_eq!(
            p.week_before(),
            Period::day(NaiveDate::from_ymd_opt(2026, 11, 19).unwrap())
        );
        let week = Period {
            from: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        };
        assert_eq!(
            week.previous().from,
            NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()
        );
    }

    #[test]
    fn commission_and_payable() {
        let statement = ProducerStatement {
            producer: ProducerRef {
                id: 1,
                name: "HTX".into(),
                consignment: true,
                commission_pct: Decimal::new(125, 1),
            },
            period: Period::day(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()),
            lines: vec![StatementLine {
                sku: "KG001".into(),
                name: "Nước mắm".into(),
                unit: "chai".into(),
                sold: Decimal::from(3),
                sales: Money(495_000),
                returned: Decimal::ONE,
                refunds: Money(165_000),
            }],
        };
        assert_eq!(statement.net(), Money(330_000));
        assert_eq!(statement.commission(), Money(41_250));
        assert_eq!(statement.payable(), Money(288_750));
    }
}
