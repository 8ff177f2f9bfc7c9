//! What the shop paid for its goods: the moving-average cost of a product, replayed over its
//! stock ledger, and the gross margin it gives.

use crate::core::money::{MAX_AMOUNT, Money};
use rust_decimal::Decimal;

/// The moving-average cost of one product as its ledger is replayed in order.
///
/// A receipt with a cost moves the average: (stock × average + quantity × cost) ÷ (stock +
/// quantity); when the shelf held nothing (or less than nothing, a sale ahead of its delivery),
/// the delivery's cost is the new average. Everything else (sales, refunds put back, counts,
/// adjustments, receipts without a cost) moves the stock at the average and leaves it alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MovingAverage {
    stock: Decimal,
    unit_cost: Option<Decimal>,
}

impl MovingAverage {
    /// A delivery of `quantity` (> 0) at `unit_cost` đồng a unit (None: not known).
    pub fn receive(&mut self, quantity: Decimal, unit_cost: Option<Money>) {
        if let Some(cost) = unit_cost {
            let cost = cost.to_decimal();
            self.unit_cost = Some(match self.unit_cost {
                Some(average) if self.stock > Decimal::ZERO => {
                    (self.stock * average + quantity * cost) / (self.stock + quantity)
                }
                _ => cost,
            });
        }
        self.stock += quantity;
    }

    /// Any other movement: `quantity` in (positive) or out (negative) at the average.
    pub fn move_stock(&mut self, quantity: Decimal) {
        self.stock += quantity;
    }

    /// The average cost of one unit now; None before any delivery with a cost.
    pub fn unit_cost(&self) -> Option<Decimal> {
        self.unit_cost
    }
}

/// `quantity` at `unit_cost` a unit, to the nearest đồng (None: cost not known, counted 0).
pub fn cost_of(quantity: Decimal, unit_cost: Option<Decimal>) -> Money {
    unit_cost
        .map(|cost| Money::from_decimal(cost * quantity).unwrap_or(MAX_AMOUNT))
        .unwrap_or(Money::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_on_stock_averages_and_sales_leave_the_average_alone() {
        let mut average = MovingAverage::default();
        assert_eq!(average.unit_cost(), None);
        average.receive(Decimal::from(10), Some(Money(100)));
        average.move_stock(Decimal::from(-4));
        assert_eq!(average.unit_cost(), Some(Decimal::from(100)));
        // 6 at 100 and 2 at 140: 880 over 8.
        average.receive(Decimal::from(2), Some(Money(140)));
        assert_eq!(average.unit_cost(), Some(Decimal::from(110)));
        assert_eq!(
            cost_of(Decimal::new(15, 1), average.unit_cost()),
            Money(165)
        );
    }

    #[test]
    fn a_delivery_onto_an_empty_or_negative_shelf_sets_the_average() {
        let mut average = MovingAverage::default();
        average.receive(Decimal::from(1), Some(Money(100)));
        average.move_stock(Decimal::from(-3));
        average.receive(Decimal::from(5), Some(Money(70)));
        assert_eq!(average.unit_cost(), Some(Decimal::from(70)));
        // A delivery without a cost keeps the average.
        average.receive(Decimal::from(5), None);
        assert_eq!(average.unit_cost(), Some(Decimal::from(70)));
        assert_eq!(cost_of(Decimal::ONE, None), Money::ZERO);
    }
}
