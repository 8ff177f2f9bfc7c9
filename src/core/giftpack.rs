//! Gift-pack templates: baskets of OCOP products with packaging, sold as one line.

use crate::core::cart::{CartLine, Component};
use crate::core::catalog::Product;
use crate::core::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a template is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PackPricing {
    /// The pack sells at this price whatever its contents cost.
    Fixed(Money),
    /// The contents' shelf prices added up, less this much.
    LessThanContents(Money),
}

/// Why a gift-pack template was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GiftPackError {
    NameRequired,
    NoItems,
    PriceNotPositive,
    QuantityNotPositive(String),
    NoSuchProduct(String),
    SkuTaken(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GiftPack {
    pub id: i64,
    pub sku: String,
    pub barcode: String,
    pub name: String,
    pub pricing: PackPricing,
    /// Products (packaging included: a basket or a box is an ordinary product) and how many
    /// of each go into one pack, at their current prices.
    pub items: Vec<(Product, Decimal)>,
}

impl GiftPack {
    pub fn components(&self) -> Vec<Component> {
        self.items
            .iter()
            .map(|(product, quantity)| Component::from_product(product, *quantity))
            .collect()
    }

    pub fn contents_value(&self) -> Money {
        self.components().iter().map(Component::shelf_value).sum()
    }

    pub fn price(&self) -> Money {
        match self.pricing {
            PackPricing::Fixed(price) => price,
            PackPricing::LessThanContents(discount) => self.contents_value() - discount,
        }
    }

    /// One pack as a cart line.
    pub fn cart_line(&self) -> CartLine {
        CartLine::basket(&self.name, &self.sku, self.components(), self.price())
    }

    /// The components whose stock is below what `count` packs need: the cashier sees which.
    pub fn short_items(&self, count: Decimal) -> Vec<&Product> {
        self.items
            .iter()
            .filter(|(product, quantity)| product.stock < *quantity * count)
            .map(|(product, _)| product)
            .collect()
    }
}
