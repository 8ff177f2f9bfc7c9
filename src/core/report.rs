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

/// An amount (and a quantity where it means something) under a label. Products counted in
/// units and products sold by weight are added apart: kilograms never add to bottles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub label: String,
    /// Units of the products counted in units.
    pub quantity: Decimal,
    /// Kilograms of the products sold by weight.
    #[serde(default)]
    pub weight: Decimal,
    pub amount: Money,
}

impl Tally {
    /// `12`, `1,5 kg` or `12 + 1,5 kg`: units and kilograms side by side, never summed.
    pub fn quantity_text(&self) -> String {
        let units = crate::core::cart::format_quantity(self.quantity);
        let kilograms = format!("{} kg", crate::core::cart::format_quantity(self.weight));
        match (self.quantity.is_zero(), self.weight.is_zero()) {
            (false, true) | (true, true) => units,
            (true, false) => kilograms,
            (false, false) => format!("{units} + {kilograms}"),
        }
    }
}

/// Net sales under a label, what those goods cost at their moving-average cost, and the gross
/// margin between them. `uncosted` is the part of `sales` whose goods have no known cost (never
/// received with one); their cost counts as 0, so the margin there is overstated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Margin {
    pub label: String,
    pub sales: Money,
    pub cost: Money,
    pub uncosted: Money,
}

impl Margin {
    pub fn margin(&self) -> Money {
        self.sales - self.cost
    }

    /// The margin as a percent of sales, one decimal; None without sales.
    pub fn percent(&self) -> Option<Decimal> {
        if self.sales == Money::ZERO {
            return None;
        }
        Some(
            (self.margin().to_decimal() * Decimal::from(100) / self.sales.to_decimal()).round_dp(1),
        )
    }
}

/// A period's gross margin in total and broken down; each breakdown adds up to the total.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Margins {
    pub total: Margin,
    /// By product (SKU · name), largest margin first.
    pub by_product: Vec<Margin>,
    pub by_producer: Vec<Margin>,
    pub by_group: Vec<Margin>,
    /// By local day (`dd/mm/yyyy`), in date order.
    pub by_day: Vec<Margin>,
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
    /// Gross margin at moving-average cost.
    #[serde(default)]
    pub margins: Margins,
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

/// A sale in the day's list, or a refund paid out that day (numbered `TH…`, its total
/// negative, `refund_of` naming the receipt it gives back part of).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleHeader {
    pub receipt_no: String,
    pub sold_at: chrono::DateTime<chrono::Utc>,
    pub cashier: String,
    pub total: Money,
    #[serde(default)]
    pub refund_of: Option<String>,
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
    /// The line's goods at their moving-average cost when sold (0 when not known).
    #[serde(default)]
    pub cost: Money,
    /// On a refund row (numbered `TH…`, every amount and quantity negative): the receipt it
    /// gives back part of. None on a sale row.
    #[serde(default)]
    pub refund_of: Option<String>,
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

/// What the shop received of one product from a producer over a period, at cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedLine {
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub quantity: Decimal,
    /// Each delivery's quantity × unit cost, to the đồng as on its receiving note, summed.
    pub cost: Money,
}

/// What the showroom owes a producer for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerStatement {
    pub producer: ProducerRef,
    pub period: Period,
    pub lines: Vec<StatementLine>,
    /// The goods the producer delivered in the period (posted receiving notes), at cost.
    #[serde(default)]
    pub received: Vec<ReceivedLine>,
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

    /// The goods received in the period at their cost.
    pub fn received_cost(&self) -> Money {
        self.received.iter().map(|line| line.cost).sum()
    }

    /// On consignment the shop owes the net sales less its commission; a producer the shop
    /// buys from outright is owed what it delivered, at cost (its goods' retail sales are the
    /// shop's own).
    pub fn payable(&self) -> Money {
        if self.producer.consignment {
            self.net() - self.commission()
        } else {
            self.received_cost()
        }
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
            received: vec![ReceivedLine {
                sku: "KG001".into(),
                name: "Nước mắm".into(),
                unit: "chai".into(),
                quantity: Decimal::from(10),
                cost: Money(1_200_000),
            }],
        };
        assert_eq!(statement.net(), Money(330_000));
        assert_eq!(statement.commission(), Money(41_250));
        assert_eq!(statement.payable(), Money(288_750));
    }

    #[test]
    fn an_outright_producer_is_owed_its_deliveries_at_cost() {
        let mut statement = ProducerStatement {
            producer: ProducerRef {
                id: 1,
                name: "CTCP".into(),
                consignment: false,
                commission_pct: Decimal::ZERO,
            },
            period: Period::day(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()),
            lines: vec![StatementLine {
                sku: "KG001".into(),
                name: "Nước mắm".into(),
                unit: "chai".into(),
                sold: Decimal::from(3),
                sales: Money(495_000),
                returned: Decimal::ZERO,
                refunds: Money::ZERO,
            }],
            received: Vec::new(),
        };
        assert_eq!(statement.payable(), Money::ZERO);
        statement.received.push(ReceivedLine {
            sku: "KG001".into(),
            name: "Nước mắm".into(),
            unit: "chai".into(),
            quantity: Decimal::from(12),
            cost: Money(1_440_000),
        });
        assert_eq!(statement.payable(), Money(1_440_000));
    }
}
