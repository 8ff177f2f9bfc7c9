//! The receiving note (phiếu nhập kho): a delivery from a producer as it was posted to stock,
//! under its own yearly number, with what each line cost.

use crate::core::money::{MAX_AMOUNT, Money};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

/// A posted delivery, read back from the store. The producer's name and tax code and each
/// line's SKU, name and unit are as they were when it was posted, so a reprint never changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receiving {
    /// `PN2026-000001`: year and sequence, gapless within the year.
    pub number: String,
    pub producer: String,
    /// Empty when the producer has none.
    pub producer_tax_code: String,
    /// The producer's own delivery note number, empty when there was none.
    pub delivery_note_no: String,
    pub at: DateTime<Utc>,
    pub by: String,
    pub lines: Vec<ReceivingLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivingLine {
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub quantity: Decimal,
    pub unit_cost: Money,
    pub lot: String,
    pub expires_on: Option<NaiveDate>,
    /// The product's own producer when it is not the one the note is from; empty when it is.
    pub producer: String,
}

impl ReceivingLine {
    /// Quantity × unit cost, to the nearest đồng.
    pub fn total_cost(&self) -> Money {
        Money::from_decimal(self.unit_cost.to_decimal() * self.quantity).unwrap_or(MAX_AMOUNT)
    }
}

impl Receiving {
    /// The lines grouped by producer: the note's own producer's first (under an empty name),
    /// then each other producer's, in the order they first appear.
    pub fn lines_by_producer(&self) -> Vec<(&str, Vec<&ReceivingLine>)> {
        let mut groups: Vec<(&str, Vec<&ReceivingLine>)> = vec![("", Vec::new())];
        for line in &self.lines {
            match groups
                .iter_mut()
                .find(|(producer, _)| *producer == line.producer)
            {
                Some((_, lines)) => lines.push(line),
                None => groups.push((&line.producer, vec![line])),
            }
        }
        groups.retain(|(_, lines)| !lines.is_empty());
        groups
    }

    /// The lines' costs added up: the note's total agrees with its rows.
    pub fn total_cost(&self) -> Money {
        self.lines.iter().map(ReceivingLine::total_cost).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: Decimal, unit_cost: i64) -> ReceivingLine {
        ReceivingLine {
            sku: "KG014".into(),
            name: "Xoài cát Hòa Lộc".into(),
            unit: "kg".into(),
            quantity,
            unit_cost: Money(unit_cost),
            lot: String::new(),
            expires_on: None,
            producer: String::new(),
        }
    }

    #[test]
    fn a_line_costs_its_quantity_times_its_unit_cost_to_the_dong() {
        assert_eq!(
            line(Decimal::new(1255, 3), 70_000).total_cost(),
            Money(87_850)
        );
        assert_eq!(
            line(Decimal::new(333, 3), 10_001).total_cost(),
            Money(3_330)
        );
        // Half a đồng rounds away from zero.
        assert_eq!(line(Decimal::new(5, 1), 3).total_cost(), Money(2));
    }

    #[test]
    fn the_total_is_the_sum_of_the_rounded_lines() {
        let receiving = Receiving {
            number: "PN2026-AA-000007".into(),
            producer: "HTX".into(),
            producer_tax_code: String::new(),
            delivery_note_no: String::new(),
            at: DateTime::UNIX_EPOCH,
            by: "Hùng".into(),
            lines: vec![line(Decimal::new(5, 1), 3), line(Decimal::new(5, 1), 3)],
        };
        assert_eq!(receiving.total_cost(), Money(4));
    }
}
