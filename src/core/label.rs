//! Shelf labels: which products get one, and what a label says (listing prices on the shelf
//! is compulsory). Pure: the store gives the catalogue, `print` draws the labels.

use crate::core::barcode::is_valid_ean13;
use crate::core::catalog::Product;
use crate::core::fold::fold;
use crate::core::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Which products to label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelChoice {
    /// These SKUs, in this order.
    Skus(Vec<String>),
    /// Every product of a producer (by name, accents and case aside).
    Producer(String),
    /// Every product of an OCOP group (by name, accents and case aside).
    Group(String),
    /// Every product whose VAT-inclusive price on this day differs from the day before: a
    /// price change, or a VAT change that moves the price (1 Jan 2027, 8 % back to 10 %).
    PriceChangesOn(NaiveDate),
    All,
}

/// What one shelf label says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShelfLabel {
    pub sku: String,
    pub name: String,
    /// OCOP stars, only while the product's certificate is valid (the catalogue says so).
    pub stars: Option<u8>,
    pub unit: String,
    /// VAT-inclusive, per unit (per kg for weighed goods).
    pub price: Money,
    /// The price per kilogram: a weighed product's own price, or a pack's worked out from the
    /// weight in its unit (`túi 5kg`, `gói 100g`).
    pub per_kg: Option<Money>,
    /// The EAN-13 printed as bars, when the product has a valid one.
    pub barcode: Option<String>,
}

impl ShelfLabel {
    pub fn of(product: &Product) -> ShelfLabel {
        let per_kg = if product.sold_by_weight {
            Some(product.price)
        } else {
            grams_in(&product.unit).map(|grams| {
                let per_kg = Decimal::from(product.price.dong()) * Decimal::from(1000) / grams;
                Money(per_kg.round().try_into().unwrap_or(i64::MAX))
            })
        };
        ShelfLabel {
            sku: product.sku.clone(),
            name: product.name.clone(),
            stars: product.stars,
            unit: if product.sold_by_weight {
                "kg".to_string()
            } else {
                product.unit.to_string()
            },
            price: product.price,
            per_kg,
            barcode: product.barcode.clone().filter(|code| is_valid_ean13(code)),
        }
    }
}

/// The weight a unit names (`túi 5kg` → 5000, `gói 100g` → 100, `hũ 250 gr` → 250).
fn grams_in(unit: &str) -> Option<Decimal> {
    let unit = unit.to_lowercase().replace(',', ".");
    let words: Vec<&str> = unit.split_whitespace().collect();
    words.iter().enumerate().find_map(|(index, word)| {
        // "5kg" in one word, or "5" then "kg".
        let split = word
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(word.len());
        let (number, rest) = word.split_at(split);
        let rest = if rest.is_empty() {
            words.get(index + 1).copied().unwrap_or("")
        } else {
            rest
        };
        let amount: Decimal = number
            .parse()
            .ok()
            .filter(|n: &Decimal| *n > Decimal::ZERO)?;
        match rest {
            "kg" => Some(amount * Decimal::from(1000)),
            "g" | "gr" | "gram" => Some(amount),
            _ => None,
        }
    })
}

/// The products `choice` names, in catalogue order (or in the order given, for SKUs); for a
/// price change, `before` is the catalogue just before the day and `catalogue` the one of the
/// day.
pub fn choose<'a>(
    choice: &LabelChoice,
    catalogue: &'a [Product],
    before: &[Product],
) -> Vec<&'a Product> {
    let same = |a: &str, b: &str| fold(a).trim() == fold(b).trim();
    match choice {
        LabelChoice::Skus(skus) => skus
            .iter()
            .filter_map(|sku| catalogue.iter().find(|p| p.sku.eq_ignore_ascii_case(sku)))
            .collect(),
        LabelChoice::Producer(name) => catalogue
            .iter()
            .filter(|p| same(&p.producer, name))
            .collect(),
        LabelChoice::Group(name) => catalogue
            .iter()
            .filter(|p| same(&p.ocop_group, name))
            .collect(),
        LabelChoice::PriceChangesOn(_) => catalogue
            .iter()
            .filter(|p| {
                before
                    .iter()
                    .find(|b| b.id == p.id)
                    .is_none_or(|b| b.price != p.price)
            })
            .collect(),
        LabelChoice::All => catalogue.iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weight_in_a_unit_gives_the_price_per_kg() {
        assert_eq!(grams_in("túi 5kg"), Some(Decimal::from(5000)));
        assert_eq!(grams_in("gói 100g"), Some(Decimal::from(100)));
        assert_eq!(grams_in("hũ 250 gr"), Some(Decimal::from(250)));
        assert_eq!(grams_in("túi 0,5 kg"), Some(Decimal::from(500)));
        assert_eq!(grams_in("chai 500ml"), None);
        assert_eq!(grams_in("hộp"), None);
    }
}
