//! Products as the counter sees them, and the in-memory search over them.

use crate::core::fold::{fold, matches_all_words};
use crate::core::money::Money;
use crate::core::vat::VatRate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A product with the price and VAT rate in force at the moment it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub sku: String,
    pub barcode: Option<String>,
    /// Price-lookup number printed in scale labels, for products sold by weight.
    pub plu: Option<u32>,
    pub name: String,
    pub producer: String,
    pub ocop_group: String,
    pub stars: Option<u8>,
    pub unit: String,
    pub sold_by_weight: bool,
    /// VAT-inclusive shelf price per unit (per kg for weighed products).
    pub price: Money,
    pub vat: VatRate,
    pub stock: Decimal,
}

/// `★★★★★` for a rating, empty when the product has none.
pub fn stars_text(stars: Option<u8>) -> String {
    "★".repeat(usize::from(stars.unwrap_or(0)))
}

/// Folded name + producer + SKU of every product, scanned per keystroke. A linear scan over
/// pre-folded text stays within a few milliseconds for hundreds of thousands of products.
#[derive(Debug, Default, Clone)]
pub struct SearchIndex {
    entries: Vec<String>,
}

impl SearchIndex {
    pub fn build(products: &[Product]) -> SearchIndex {
        SearchIndex {
            entries: products
                .iter()
                .map(|p| fold(&format!("{} {} {}", p.name, p.producer, p.sku)))
                .collect(),
        }
    }

    /// Positions (into the slice the index was built from) of products matching every word of
    /// the query, at most `limit` of them, in catalogue order.
    pub fn search(&self, query: &str, limit: usize) -> Vec<usize> {
        let folded = fold(query);
        if folded.trim().is_empty() {
            return Vec::new();
        }
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, hay)| matches_all_words(hay, &folded))
            .map(|(i, _)| i)
            .take(limit)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(sku: &str, name: &str, producer: &str) -> Product {
        Product {
            id: 1,
            sku: sku.into(),
            barcode: None,
            plu: None,
            name: name.into(),
            producer: producer.into(),
            ocop_group: "Thực phẩm".into(),
            stars: Some(4),
            unit: "chai".into(),
            sold_by_weight: false,
            price: Money(1000),
            vat: VatRate::NotSubject,
            stock: Decimal::ONE,
        }
    }

    #[test]
    fn finds_by_name_producer_and_sku_without_accents() {
        let products = vec![
            product("KG001", "Nước mắm Phú Quốc Khải Hoàn", "CTCP Khải Hoàn"),
            product("KG011", "Gạo Điền Tín ST25", "CTCP Điền Tín"),
            product("KG030", "Rượu sim rừng", "Cơ sở Hàm Ninh"),
        ];
        let index = SearchIndex::build(&products);
        assert_eq!(index.search("nuoc mam phu quoc", 10), vec![0]);
        assert_eq!(index.search("khai hoan", 10), vec![0]);
        assert_eq!(index.search("dien", 10), vec![1]);
        assert_eq!(index.search("ĐIỀN", 10), vec![1]);
        assert_eq!(index.search("kg0", 2), vec![0, 1]);
        assert_eq!(index.search("   ", 10), Vec::<usize>::new());
        assert!(index.search("tieu", 10).is_empty());
    }

    #[test]
    fn stars_render() {
        assert_eq!(stars_text(Some(3)), "★★★");
        assert_eq!(stars_text(None), "");
    }
}
