//! The open cart and its pricing: line and order discounts, totals and VAT per rate.
//!
//! Every change goes through [`Cart::apply`], which tries the change on a copy and keeps it only
//! if the whole cart is still valid, so a refused input never leaves the cart half-changed.

use crate::core::catalog::Product;
use crate::core::einvoice::InvoiceBuyer;
use crate::core::money::{MAX_AMOUNT, Money};
use crate::core::payment::Tender;
use crate::core::vat::{VatBucket, VatRate, vat_breakdown};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// No single line may ask for more than this many units or kilograms: beyond it the input is a
/// slip of the finger (a barcode typed into the quantity box, say).
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);
/// Weighed quantities are kept to the gram.
pub const QUANTITY_DECIMALS: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Discount {
    #[default]
    None,
    Amount(Money),
    /// A percentage, 0–100.
    Percent(Decimal),
}

impl Discount {
    /// True when the discount is more than `limit_pct` percent of `base`.
    pub fn exceeds(&self, base: Money, limit_pct: Decimal) -> bool {
        self.amount_on(base).to_decimal() * Decimal::from(100) > base.to_decimal() * limit_pct
    }

    /// The discount in đồng on a given base, rounded to the nearest đồng.
    pub fn amount_on(&self, base: Money) -> Money {
        match self {
            Discount::None => Money::ZERO,
            Discount::Amount(amount) => *amount,
            Discount::Percent(p) => Money::from_decimal(base.to_decimal() * p / Decimal::from(100))
                .unwrap_or(MAX_AMOUNT),
        }
    }
}

/// One product inside a gift basket, per basket, at its shelf price when the basket was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub producer: String,
    pub stars: Option<u8>,
    pub unit: String,
    pub quantity: Decimal,
    pub unit_price: Money,
    pub vat: VatRate,
}

impl Component {
    pub fn from_product(product: &Product, quantity: Decimal) -> Component {
        Component {
            product_id: product.id,
            sku: product.sku.clone(),
            name: product.name.clone(),
            producer: product.producer.to_string(),
            stars: product.stars,
            unit: product.unit.to_string(),
            quantity,
            unit_price: product.price,
            vat: product.vat,
        }
    }

    /// What the component would cost on its own, VAT included.
    pub fn shelf_value(&self) -> Money {
        Money::from_decimal(self.unit_price.to_decimal() * self.quantity).unwrap_or(MAX_AMOUNT)
    }
}

/// A product in the cart, with its price and VAT rate as they were when it was rung up — or a
/// gift basket: then `components` lists what one basket holds, `unit_price` is the basket's
/// price and `quantity` the number of baskets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub producer: String,
    pub stars: Option<u8>,
    pub unit: String,
    pub sold_by_weight: bool,
    pub unit_price: Money,
    pub vat: VatRate,
    pub quantity: Decimal,
    /// The amount printed on a price-embedded scale label; it is the line's gross as it is.
    pub label_amount: Option<Money>,
    pub discount: Discount,
    /// The manager who allowed a discount above the cashier's limit (or gave it).
    #[serde(default)]
    pub discount_approved_by: Option<String>,
    /// A basket's contents (empty for a product). A basket's `vat` means nothing: each
    /// component carries its own rate.
    #[serde(default)]
    pub components: Vec<Component>,
}

impl CartLine {
    pub fn from_product(product: &Product, quantity: Decimal) -> CartLine {
        CartLine {
            product_id: product.id,
            sku: product.sku.clone(),
            name: product.name.clone(),
            producer: product.producer.to_string(),
            stars: product.stars,
            unit: product.unit.to_string(),
            sold_by_weight: product.sold_by_weight,
            unit_price: product.price,
            vat: product.vat,
            quantity,
            label_amount: None,
            discount: Discount::None,
            discount_approved_by: None,
            components: Vec::new(),
        }
    }

    /// A gift basket of `components` sold at `price` each.
    pub fn basket(name: &str, sku: &str, components: Vec<Component>, price: Money) -> CartLine {
        CartLine {
            product_id: 0,
            sku: sku.to_string(),
            name: name.to_string(),
            producer: String::new(),
            stars: None,
            unit: "giỏ".to_string(),
            sold_by_weight: false,
            unit_price: price,
            vat: VatRate::NotSubject,
            quantity: Decimal::ONE,
            label_amount: None,
            discount: Discount::None,
            discount_approved_by: None,
            components,
        }
    }

    /// A basket put together at the counter and priced by the cashier. Below what its contents
    /// cost on the shelf, the difference is a discount on the line, so it shows as one on the
    /// receipt and goes through the same limit as any discount; above, it is the basket's price.
    pub fn counter_basket(name: &str, components: Vec<Component>, price: Money) -> CartLine {
        let value: Money = components.iter().map(Component::shelf_value).sum();
        let mut line = CartLine::basket(name, "", components, price.max(value));
        if price < value {
            line.discount = Discount::Amount(value - price);
        }
        line
    }

    pub fn is_basket(&self) -> bool {
        !self.components.is_empty()
    }

    /// For a basket: its components' shelf prices added up, per basket.
    pub fn components_value(&self) -> Money {
        self.components.iter().map(Component::shelf_value).sum()
    }

    /// Spreads an amount of this basket line over its components by their shelf value, to the
    /// đồng (largest remainder), so each share carries its component's VAT rate.
    pub fn basket_shares(&self, amount: Money) -> Vec<Money> {
        let weights: Vec<Money> = self.components.iter().map(Component::shelf_value).collect();
        allocate(amount, &weights)
    }

    /// The line's VAT-inclusive `amount` by rate: one rate for a product, the components'
    /// rates for a basket.
    pub fn amount_by_rate(&self, amount: Money) -> Vec<(VatRate, Money)> {
        if self.is_basket() {
            self.components
                .iter()
                .map(|c| c.vat)
                .zip(self.basket_shares(amount))
                .collect()
        } else {
            vec![(self.vat, amount)]
        }
    }

    /// Price × quantity, VAT included, before any discount.
    pub fn gross(&self) -> Money {
        self.label_amount.unwrap_or_else(|| {
            Money::from_decimal(self.unit_price.to_decimal() * self.quantity).unwrap_or(MAX_AMOUNT)
        })
    }
}

/// Everything on the counter for one customer. It is saved whole on every change, so a crash,
/// Esc or a closed window loses nothing: the lines, the basket being built, and the money
/// already taken.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Cart {
    /// `GH26-AA-000123`: given by the store when the cart is first saved; the transfer note and
    /// the records of voids and discounts carry it, and the sale keeps it.
    #[serde(default)]
    pub number: Option<String>,
    pub lines: Vec<CartLine>,
    pub order_discount: Discount,
    #[serde(default)]
    pub order_discount_approved_by: Option<String>,
    /// A gift basket being put together: scans go into it until it is priced.
    #[serde(default)]
    pub building: Option<Vec<Component>>,
    /// Money the customer has handed over (or the bank/terminal confirmed) for this cart.
    #[serde(default)]
    pub tenders: Vec<Tender>,
    /// The buyer the customer asked the invoice to name (None: a consumer).
    #[serde(default)]
    pub buyer: Option<InvoiceBuyer>,
}

/// Why a change to the cart was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CartError {
    NoSuchLine,
    QuantityNotPositive,
    QuantityTooLarge,
    QuantityNotWhole,
    QuantityTooPrecise,
    DiscountAboveLine,
    DiscountAboveOrder,
    PercentOutOfRange,
    AmountTooLarge,
    /// A basket's price must be more than zero.
    PriceNotPositive,
}

/// A line with its money worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    pub gross: Money,
    pub line_discount: Money,
    /// This line's share of the order discount.
    pub order_discount: Money,
    /// What the customer pays for the line, VAT included.
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartTotals {
    pub lines: Vec<PricedLine>,
    /// Sum of line gross before discounts.
    pub gross: Money,
    pub line_discounts: Money,
    pub order_discount: Money,
    pub total: Money,
    pub vat: Vec<VatBucket>,
    /// Units of counted items plus one per weighed line.
    pub item_count: Decimal,
}

impl CartTotals {
    pub fn vat_total(&self) -> Money {
        self.vat.iter().map(|b| b.vat).sum()
    }

    pub fn discounts(&self) -> Money {
        self.line_discounts + self.order_discount
    }
}

impl Cart {
    /// No lines rung up (a basket may still be in the making, or money taken).
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// True when there is nothing at all to keep: no lines, no basket, no money, no discount.
    pub fn is_blank(&self) -> bool {
        self.lines.is_empty()
            && self.building.is_none()
            && self.tenders.is_empty()
            && self.order_discount == Discount::None
            && self.buyer.is_none()
    }

    /// What the tenders taken so far add up to.
    pub fn paid(&self) -> Money {
        self.tenders.iter().map(|t| t.amount).sum()
    }

    /// What is still due after the tenders taken so far.
    pub fn remaining(&self) -> Money {
        (self.totals().total - self.paid()).max(Money::ZERO)
    }

    /// True when some discount is above `limit_pct` of what it applies to and no manager
    /// allowed it: a quantity lowered under an amount discount makes it a larger share.
    pub fn has_unapproved_discount_above(&self, limit_pct: Decimal) -> bool {
        let totals = self.totals();
        let lines = self.lines.iter().zip(&totals.lines).any(|(line, priced)| {
            line.discount_approved_by.is_none() && line.discount.exceeds(priced.gross, limit_pct)
        });
        let after_lines = totals.gross - totals.line_discounts;
        lines
            || (self.order_discount_approved_by.is_none()
                && self.order_discount.exceeds(after_lines, limit_pct))
    }

    /// Marks every discount above `limit_pct` as allowed by `manager`.
    pub fn approve_discounts_above(&mut self, limit_pct: Decimal, manager: &str) {
        let totals = self.totals();
        for (line, priced) in self.lines.iter_mut().zip(&totals.lines) {
            if line.discount.exceeds(priced.gross, limit_pct) {
                line.discount_approved_by = Some(manager.to_string());
            }
        }
        if self
            .order_discount
            .exceeds(totals.gross - totals.line_discounts, limit_pct)
        {
            self.order_discount_approved_by = Some(manager.to_string());
        }
    }

    /// Tries `change` on a copy; keeps it only if the cart is still valid afterwards.
    pub fn apply(
        &mut self,
        change: impl FnOnce(&mut Cart) -> Result<(), CartError>,
    ) -> Result<(), CartError> {
        let mut next = self.clone();
        change(&mut next)?;
        next.validate()?;
        *self = next;
        Ok(())
    }

    /// Adds a product; a counted product already in the cart (with no discount) gets its
    /// quantity raised instead of a second line. Returns the index of the line.
    pub fn add_product(
        &mut self,
        product: &Product,
        quantity: Decimal,
    ) -> Result<usize, CartError> {
        let existing = self.lines.iter().position(|l| {
            l.product_id == product.id
                && !l.sold_by_weight
                && l.label_amount.is_none()
                && l.discount == Discount::None
                && l.unit_price == product.price
        });
        let mut index = self.lines.len();
        self.apply(|cart| {
            match existing {
                Some(i) => {
                    cart.lines[i].quantity += quantity;
                    index = i;
                }
                None => cart.lines.push(CartLine::from_product(product, quantity)),
            }
            Ok(())
        })?;
        Ok(index)
    }

    /// Adds a weighed product from a scale label that embeds its price.
    /// Adds a gift basket; the same basket (same template, price and contents) already in
    /// the cart with no discount gets one more instead of a second line.
    pub fn add_basket(&mut self, basket: CartLine) -> Result<usize, CartError> {
        let existing = self.lines.iter().position(|l| {
            l.is_basket()
                && !l.sku.is_empty()
                && l.sku == basket.sku
                && l.unit_price == basket.unit_price
                && l.components == basket.components
                && l.discount == Discount::None
        });
        let mut index = self.lines.len();
        self.apply(|cart| {
            match existing {
                Some(i) => {
                    cart.lines[i].quantity += Decimal::ONE;
                    index = i;
                }
                None => cart.lines.push(basket),
            }
            Ok(())
        })?;
        Ok(index)
    }

    pub fn add_priced_label(
        &mut self,
        product: &Product,
        price: Money,
    ) -> Result<usize, CartError> {
        if product.price <= Money::ZERO {
            return Err(CartError::QuantityNotPositive);
        }
        let quantity = (price.to_decimal() / product.price.to_decimal())
            .round_dp(QUANTITY_DECIMALS)
            .max(Decimal::new(1, QUANTITY_DECIMALS));
        self.apply(|cart| {
            let mut line = CartLine::from_product(product, quantity);
            line.label_amount = Some(price);
            cart.lines.push(line);
            Ok(())
        })?;
        Ok(self.lines.len() - 1)
    }

    pub fn set_quantity(&mut self, index: usize, quantity: Decimal) -> Result<(), CartError> {
        self.apply(|cart| {
            let line = cart.lines.get_mut(index).ok_or(CartError::NoSuchLine)?;
            line.quantity = quantity;
            line.label_amount = None;
            Ok(())
        })
    }

    /// A new discount on a line; an approval given for the old one does not carry over.
    pub fn set_line_discount(&mut self, index: usize, discount: Discount) -> Result<(), CartError> {
        self.apply(|cart| {
            let line = cart.lines.get_mut(index).ok_or(CartError::NoSuchLine)?;
            line.discount = discount;
            line.discount_approved_by = None;
            Ok(())
        })
    }

    pub fn set_order_discount(&mut self, discount: Discount) -> Result<(), CartError> {
        self.apply(|cart| {
            cart.order_discount = discount;
            cart.order_discount_approved_by = None;
            Ok(())
        })
    }

    /// Takes a line out; refused when what is left cannot carry the order discount.
    pub fn remove_line(&mut self, index: usize) -> Result<(), CartError> {
        self.apply(|cart| {
            if index >= cart.lines.len() {
                return Err(CartError::NoSuchLine);
            }
            cart.lines.remove(index);
            Ok(())
        })
    }

    fn validate(&self) -> Result<(), CartError> {
        for line in &self.lines {
            validate_quantity(line.quantity, line.sold_by_weight)?;
            if line.is_basket() && line.unit_price <= Money::ZERO {
                return Err(CartError::PriceNotPositive);
            }
            validate_discount(line.discount)?;
            let gross = line.gross();
            if !gross.is_within_limit() {
                return Err(CartError::AmountTooLarge);
            }
            if line.discount.amount_on(gross) > gross {
                return Err(CartError::DiscountAboveLine);
            }
        }
        validate_discount(self.order_discount)?;
        let totals = self.totals();
        if totals.gross > MAX_AMOUNT {
            return Err(CartError::AmountTooLarge);
        }
        if totals.total < Money::ZERO {
            return Err(CartError::DiscountAboveOrder);
        }
        Ok(())
    }

    /// Prices every line and the order. The order discount is spread over the lines in
    /// proportion to what is left of each (largest remainder), so line totals add up to the
    /// order total to the đồng and VAT per rate is computed on what was really paid.
    pub fn totals(&self) -> CartTotals {
        let mut lines: Vec<PricedLine> = self
            .lines
            .iter()
            .map(|line| {
                let gross = line.gross();
                let line_discount = line.discount.amount_on(gross);
                PricedLine {
                    gross,
                    line_discount,
                    order_discount: Money::ZERO,
                    total: gross - line_discount,
                }
            })
            .collect();
        let after_lines: Money = lines.iter().map(|l| l.total).sum();
        let order_discount = self.order_discount.amount_on(after_lines);
        let weights: Vec<Money> = lines.iter().map(|l| l.total).collect();
        for (line, share) in lines
            .iter_mut()
            .zip(allocate(order_discount.min(after_lines), &weights))
        {
            line.order_discount = share;
            line.total -= share;
        }
        let vat = vat_breakdown(
            self.lines
                .iter()
                .zip(&lines)
                .flat_map(|(l, p)| l.amount_by_rate(p.total)),
        );
        CartTotals {
            gross: lines.iter().map(|l| l.gross).sum(),
            line_discounts: lines.iter().map(|l| l.line_discount).sum(),
            order_discount,
            total: after_lines - order_discount,
            vat,
            item_count: self
                .lines
                .iter()
                .map(|l| {
                    if l.sold_by_weight {
                        Decimal::ONE
                    } else {
                        l.quantity
                    }
                })
                .sum(),
            lines,
        }
    }
}

/// Splits `amount` over `weights` in proportion, largest remainder first, so the shares add up
/// to `amount` exactly and none exceeds its weight.
pub fn allocate(amount: Money, weights: &[Money]) -> Vec<Money> {
    let total: i128 = weights.iter().map(|w| i128::from(w.0.max(0))).sum();
    if total == 0 || amount == Money::ZERO {
        return vec![Money::ZERO; weights.len()];
    }
    let amount = i128::from(amount.0);
    let mut shares: Vec<i128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = amount * i128::from(w.0.max(0));
        shares.push(exact / total);
        remainders.push((exact % total, i));
    }
    let mut left = amount - shares.iter().sum::<i128>();
    // Largest remainder first; ties go to the earlier line so the result is deterministic.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares.into_iter().map(|s| Money(s as i64)).collect()
}

fn validate_quantity(quantity: Decimal, sold_by_weight: bool) -> Result<(), CartError> {
    if quantity <= Decimal::ZERO {
        return Err(CartError::QuantityNotPositive);
    }
    if quantity > MAX_QUANTITY {
        return Err(CartError::QuantityTooLarge);
    }
    if !sold_by_weight && !quantity.fract().is_zero() {
        return Err(CartError::QuantityNotWhole);
    }
    if quantity.normalize().scale() > QUANTITY_DECIMALS {
        return Err(CartError::QuantityTooPrecise);
    }
    Ok(())
}

fn validate_discount(discount: Discount) -> Result<(), CartError> {
    match discount {
        Discount::Percent(p) if p < Decimal::ZERO || p > Decimal::from(100) => {
            Err(CartError::PercentOutOfRange)
        }
        Discount::Amount(a) if a < Money::ZERO => Err(CartError::DiscountAboveLine),
        Discount::Amount(a) if !a.is_within_limit() => Err(CartError::AmountTooLarge),
        _ => Ok(()),
    }
}

/// Why a typed quantity was refused before it reached the cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuantityInputError {
    NotANumber,
}

/// Reads a typed quantity: `3`, `1,5` or `1.5` (Vietnamese write a decimal comma).
pub fn parse_quantity(input: &str) -> Result<Decimal, QuantityInputError> {
    let normalised = input.trim().replace(',', ".");
    if normalised.is_empty() || normalised.len() > 20 {
        return Err(QuantityInputError::NotANumber);
    }
    normalised
        .parse::<Decimal>()
        .map_err(|_| QuantityInputError::NotANumber)
}

/// Reads a typed discount: `10%` is a percentage, anything else an amount in đồng.
pub fn parse_discount(input: &str) -> Result<Discount, crate::core::money::AmountError> {
    let text = input.trim();
    if text.is_empty() || text == "0" {
        return Ok(Discount::None);
    }
    if let Some(percent) = text.strip_suffix('%') {
        let p = parse_quantity(percent).map_err(|_| crate::core::money::AmountError::NotANumber)?;
        if p < Decimal::ZERO {
            return Err(crate::core::money::AmountError::Negative);
        }
        return Ok(Discount::Percent(p));
    }
    crate::core::money::parse_amount(text).map(Discount::Amount)
}

/// `1,5` for one and a half: quantities shown the Vietnamese way, without trailing zeros.
pub fn format_quantity(quantity: Decimal) -> String {
    quantity.normalize().to_string().replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(price: i64, sold_by_weight: bool) -> Product {
        Product {
            id: 7,
            sku: "KG007".into(),
            barcode: None,
            plu: None,
            name: "Tiêu chín".into(),
            producer: "Thanh Quốc".into(),
            ocop_group: "Thực phẩm".into(),
            stars: Some(4),
            unit: if sold_by_weight { "kg" } else { "hũ" }.into(),
            sold_by_weight,
            price: Money(price),
            vat: VatRate::from_code("8").unwrap(),
            stock: Decimal::from(10),
        }
    }

    fn one_line_cart() -> Cart {
        let mut cart = Cart::default();
        cart.add_product(&product(70_000, false), Decimal::from(2))
            .unwrap();
        cart
    }

    #[test]
    fn scanning_again_raises_the_quantity() {
        let mut cart = one_line_cart();
        assert_eq!(
            cart.add_product(&product(70_000, false), Decimal::ONE),
            Ok(0)
        );
        assert_eq!(cart.lines.len(), 1);
        assert_eq!(cart.lines[0].quantity, Decimal::from(3));
    }

    #[test]
    fn refused_changes_leave_the_cart_as_it_was() {
        let mut cart = one_line_cart();
        let before = cart.clone();
        let refusals = [
            (
                cart.set_quantity(0, Decimal::ZERO),
                CartError::QuantityNotPositive,
            ),
            (
                cart.set_quantity(0, Decimal::from(-1)),
                CartError::QuantityNotPositive,
            ),
            (
                cart.set_quantity(0, Decimal::from(10_001)),
                CartError::QuantityTooLarge,
            ),
            (
                cart.set_quantity(0, Decimal::new(15, 1)),
                CartError::QuantityNotWhole,
            ),
            (cart.set_quantity(3, Decimal::ONE), CartError::NoSuchLine),
            (
                cart.set_line_discount(0, Discount::Amount(Money(140_001))),
                CartError::DiscountAboveLine,
            ),
            (
                cart.set_line_discount(0, Discount::Percent(Decimal::from(101))),
                CartError::PercentOutOfRange,
            ),
            (
                cart.set_order_discount(Discount::Amount(Money(140_001))),
                CartError::DiscountAboveOrder,
            ),
        ];
        for (result, expected) in refusals {
            assert_eq!(result, Err(expected));
        }
        assert_eq!(cart, before);
    }

    #[test]
    fn amounts_beyond_the_limit_are_refused() {
        let mut cart = Cart::default();
        let dear = product(500_000_000, false);
        assert_eq!(
            cart.add_product(&dear, Decimal::from(2_001)),
            Err(CartError::AmountTooLarge)
        );
        assert!(cart.is_empty());
        cart.add_product(&dear, Decimal::from(2_000)).unwrap();
        assert_eq!(cart.totals().total, MAX_AMOUNT);
    }

    #[test]
    fn weighed_quantities_go_to_the_gram() {
        let mut cart = Cart::default();
        cart.add_product(&product(70_000, true), Decimal::new(1250, 3))
            .unwrap();
        assert_eq!(cart.totals().total, Money(87_500));
        assert_eq!(
            cart.set_quantity(0, Decimal::new(12505, 4)),
            Err(CartError::QuantityTooPrecise)
        );
    }

    #[test]
    fn order_discount_is_spread_over_lines_and_rates() {
        let mut cart = one_line_cart();
        let mut rice = product(185_000, false);
        rice.id = 11;
        rice.vat = VatRate::from_code("5").unwrap();
        cart.add_product(&rice, Decimal::ONE).unwrap();
        cart.set_order_discount(Discount::Amount(Money(32_500)))
            .unwrap();
        let totals = cart.totals();
        assert_eq!(totals.total, Money(292_500));
        assert_eq!(totals.lines[0].order_discount, Money(14_000));
        assert_eq!(totals.lines[1].order_discount, Money(18_500));
        let per_rate: Money = totals.vat.iter().map(|b| b.gross).sum();
        assert_eq!(per_rate, totals.total);
    }

    #[test]
    fn typed_quantities_and_discounts() {
        assert_eq!(parse_quantity("1,5"), Ok(Decimal::new(15, 1)));
        assert_eq!(parse_quantity(" 2 "), Ok(Decimal::from(2)));
        assert!(parse_quantity("hai").is_err());
        assert_eq!(
            parse_discount("10%"),
            Ok(Discount::Percent(Decimal::from(10)))
        );
        assert_eq!(
            parse_discount("20.000"),
            Ok(Discount::Amount(Money(20_000)))
        );
        assert_eq!(parse_discount(""), Ok(Discount::None));
        assert!(parse_discount("-5%").is_err());
        assert_eq!(format_quantity(Decimal::new(1250, 3)), "1,25");
    }
}
