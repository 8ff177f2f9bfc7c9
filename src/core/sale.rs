//! A sale as committed: what the receipt and every later report are built from.

use crate::core::cart::{Cart, CartError, CartLine, PricedLine};
use crate::core::einvoice::{EInvoice, InvoiceBuyer};
use crate::core::money::Money;
use crate::core::payment::{PaymentError, Tender, settle};
use crate::core::vat::{VatBucket, VatRate};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One line of a committed sale, with its price, VAT rate and discounts as they were.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleLine {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub producer: String,
    pub stars: Option<u8>,
    pub unit: String,
    pub quantity: Decimal,
    pub unit_price: Money,
    pub vat: VatRate,
    pub gross: Money,
    pub line_discount: Money,
    pub order_discount: Money,
    pub total: Money,
    /// The basket (index into the sale's `baskets`) this line is part of, if any.
    pub basket: Option<usize>,
}

/// A gift basket as sold: one line on the receipt, its contents beneath it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleBasket {
    pub name: String,
    /// The template's SKU, empty for a basket built at the counter.
    pub sku: String,
    pub count: Decimal,
    /// Price of one basket.
    pub unit_price: Money,
    /// The contents' shelf prices, per basket: the price differs by a discount or mark-up.
    pub components_value: Money,
    pub gross: Money,
    pub discount: Money,
    pub total: Money,
}

/// Everything a sale needs before it gets a number: built from the cart and the tenders,
/// checked, and handed to the store to commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleDraft {
    /// The number of the cart the sale was rung up in (the transfer note names it).
    #[serde(default)]
    pub cart_no: Option<String>,
    pub cashier: String,
    pub lines: Vec<SaleLine>,
    pub baskets: Vec<SaleBasket>,
    pub gross: Money,
    pub discounts: Money,
    pub total: Money,
    pub vat: Vec<VatBucket>,
    pub tenders: Vec<Tender>,
    pub change: Money,
    /// The buyer the invoice names, when the customer asked for one.
    #[serde(default)]
    pub buyer: Option<InvoiceBuyer>,
}

/// A sale once its transaction is durable: it has a number and a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleRecord {
    /// The row id here; 0 for a sale sold at another counter (it has no row in `sales`).
    pub id: i64,
    pub receipt_no: String,
    pub sold_at: DateTime<Utc>,
    pub draft: SaleDraft,
    pub invoice: SaleInvoice,
    /// The counter (node) that sold it, when that is not this one: a sale known here by sync.
    #[serde(default)]
    pub counter: Option<String>,
}

/// The sale's cash-register invoice, as issued with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SaleInvoice {
    /// Sold before the program made invoices: the receipt stays as it was.
    Before,
    /// Sold while the shop's invoice registration was not filled in: no invoice was made.
    NotRegistered,
    Issued(Box<EInvoice>),
}

impl SaleInvoice {
    pub fn issued(&self) -> Option<&EInvoice> {
        match self {
            SaleInvoice::Issued(invoice) => Some(invoice),
            SaleInvoice::Before | SaleInvoice::NotRegistered => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftError {
    Cart(CartError),
    Payment(PaymentError),
}

impl SaleDraft {
    /// Prices the cart and checks the tenders; a draft exists only for a cart that can be paid.
    pub fn new(cart: &Cart, tenders: Vec<Tender>, cashier: &str) -> Result<SaleDraft, DraftError> {
        if cart.is_empty() {
            return Err(DraftError::Payment(PaymentError::EmptyCart));
        }
        let totals = cart.totals();
        let change = settle(totals.total, &tenders).map_err(DraftError::Payment)?;
        let mut lines = Vec::new();
        let mut baskets = Vec::new();
        for (line, priced) in cart.lines.iter().zip(&totals.lines) {
            if line.is_basket() {
                baskets.push(SaleBasket {
                    name: line.name.clone(),
                    sku: line.sku.clone(),
                    count: line.quantity,
                    unit_price: line.unit_price,
                    components_value: line.components_value(),
                    gross: priced.gross,
                    discount: priced.line_discount + priced.order_discount,
                    total: priced.total,
                });
                lines.extend(basket_lines(line, priced, baskets.len() - 1));
            } else {
                lines.push(SaleLine {
                    product_id: line.product_id,
                    sku: line.sku.clone(),
                    name: line.name.clone(),
                    producer: line.producer.clone(),
                    stars: line.stars,
                    unit: line.unit.clone(),
                    quantity: line.quantity,
                    unit_price: line.unit_price,
                    vat: line.vat,
                    gross: priced.gross,
                    line_discount: priced.line_discount,
                    order_discount: priced.order_discount,
                    total: priced.total,
                    basket: None,
                });
            }
        }
        Ok(SaleDraft {
            cart_no: cart.number.clone(),
            cashier: cashier.to_string(),
            lines,
            baskets,
            gross: totals.gross,
            discounts: totals.discounts(),
            total: totals.total,
            vat: totals.vat,
            tenders,
            change,
            buyer: cart.buyer.clone(),
        })
    }

    /// The same sale, its invoice made out to `buyer` (None: to a consumer).
    pub fn with_buyer(self, buyer: Option<InvoiceBuyer>) -> SaleDraft {
        SaleDraft { buyer, ..self }
    }
}

/// A basket's components as sale lines: each takes its share of the basket line's total and
/// discounts (spread by shelf value), so stock, VAT and reports see real products and every
/// figure still adds up to the basket's.
fn basket_lines(line: &CartLine, priced: &PricedLine, basket: usize) -> Vec<SaleLine> {
    let totals = line.basket_shares(priced.total);
    let line_discounts = line.basket_shares(priced.line_discount);
    let order_discounts = line.basket_shares(priced.order_discount);
    line.components
        .iter()
        .zip(totals)
        .zip(line_discounts.into_iter().zip(order_discounts))
        .map(
            |((component, total), (line_discount, order_discount))| SaleLine {
                product_id: component.product_id,
                sku: component.sku.clone(),
                name: component.name.clone(),
                producer: component.producer.clone(),
                stars: component.stars,
                unit: component.unit.clone(),
                quantity: component.quantity * line.quantity,
                unit_price: component.unit_price,
                vat: component.vat,
                gross: total + line_discount + order_discount,
                line_discount,
                order_discount,
                total,
                basket: Some(basket),
            },
        )
        .collect()
}
