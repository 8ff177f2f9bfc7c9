//! Pre-orders (đơn đặt hàng): what a customer ordered at agreed prices for delivery on given
//! days, the deposit asked, what was delivered, and what each delivery sells.

use crate::core::cart::{Cart, CartLine, Component};
use crate::core::catalog::Product;
use crate::core::customer::Customer;
use crate::core::money::{MAX_AMOUNT, Money};
use crate::core::payment::{PaymentMethod, Tender};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What one unit of an order line holds: a product holds itself, a basket its components
/// (packaging included), as agreed when the order was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub unit: String,
    /// Per unit of the line (per basket).
    pub quantity: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineKind {
    Product,
    /// A gift basket: from a template (`pack_id`) or put together for this order.
    Basket,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub kind: LineKind,
    /// The template a basket was taken from (None: put together for the order, or a product).
    pub pack_id: Option<i64>,
    pub sku: String,
    pub name: String,
    pub unit: String,
    /// Weighed products are ordered to the gram; anything else in whole units.
    pub sold_by_weight: bool,
    pub quantity: Decimal,
    /// The agreed price of one unit, VAT included.
    pub unit_price: Money,
    pub due_on: NaiveDate,
    /// The message on the card that goes with each basket of the line.
    pub card_message: String,
    pub contents: Vec<Content>,
    /// How much of the line was delivered so far.
    pub delivered: Decimal,
}

impl OrderLine {
    /// A product at an agreed price.
    pub fn product(
        product: &Product,
        quantity: Decimal,
        unit_price: Money,
        due_on: NaiveDate,
    ) -> OrderLine {
        OrderLine {
            kind: LineKind::Product,
            pack_id: None,
            sku: product.sku.clone(),
            name: product.name.clone(),
            unit: product.unit.to_string(),
            sold_by_weight: product.sold_by_weight,
            quantity,
            unit_price,
            due_on,
            card_message: String::new(),
            contents: vec![Content {
                product_id: product.id,
                sku: product.sku.clone(),
                name: product.name.clone(),
                unit: product.unit.to_string(),
                quantity: Decimal::ONE,
            }],
            delivered: Decimal::ZERO,
        }
    }

    /// Baskets of `components` (a template's, or put together for the order).
    pub fn basket(
        name: &str,
        sku: &str,
        pack_id: Option<i64>,
        components: &[Component],
        quantity: Decimal,
        unit_price: Money,
        due_on: NaiveDate,
    ) -> OrderLine {
        OrderLine {
            kind: LineKind::Basket,
            pack_id,
            sku: sku.to_string(),
            name: name.to_string(),
            unit: "giỏ".to_string(),
            sold_by_weight: false,
            quantity,
            unit_price,
            due_on,
            card_message: String::new(),
            contents: components
                .iter()
                .map(|c| Content {
                    product_id: c.product_id,
                    sku: c.sku.clone(),
                    name: c.name.clone(),
                    unit: c.unit.clone(),
                    quantity: c.quantity,
                })
                .collect(),
            delivered: Decimal::ZERO,
        }
    }

    pub fn amount(&self) -> Money {
        amount_of(self.unit_price, self.quantity)
    }

    /// What is still to be delivered.
    pub fn left(&self) -> Decimal {
        (self.quantity - self.delivered).max(Decimal::ZERO)
    }

    /// The product a product line sells.
    pub fn product_id(&self) -> Option<i64> {
        match self.kind {
            LineKind::Product => self.contents.first().map(|c| c.product_id),
            LineKind::Basket => None,
        }
    }
}

fn amount_of(price: Money, quantity: Decimal) -> Money {
    Money::from_decimal(price.to_decimal() * quantity).unwrap_or(MAX_AMOUNT)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    Open,
    /// Every line delivered.
    Delivered,
    /// Cancelled by a manager: what was not delivered was released, the unused deposit paid back.
    Cancelled,
}

impl OrderStatus {
    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::Open => "open",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<OrderStatus> {
        [
            OrderStatus::Open,
            OrderStatus::Delivered,
            OrderStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// An order as taken, before it has a number.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderDraft {
    pub customer_id: i64,
    pub lines: Vec<OrderLine>,
    pub delivery_address: String,
    /// Who receives the goods, and how to reach them.
    pub contact: String,
    pub notes: String,
    pub deposit_asked: Money,
}

impl OrderDraft {
    pub fn total(&self) -> Money {
        self.lines.iter().map(OrderLine::amount).sum()
    }

    /// Checks the order as it is taken on `today`.
    pub fn check(&self, today: NaiveDate) -> Result<(), OrderError> {
        if self.lines.is_empty() {
            return Err(OrderError::NoLines);
        }
        for (index, line) in self.lines.iter().enumerate() {
            let line_no = index + 1;
            if line.quantity <= Decimal::ZERO || line.quantity > crate::core::cart::MAX_QUANTITY {
                return Err(OrderError::QuantityNotValid(line_no));
            }
            if !line.sold_by_weight && !line.quantity.fract().is_zero()
                || line.quantity.normalize().scale() > crate::core::cart::QUANTITY_DECIMALS
            {
                return Err(OrderError::QuantityNotValid(line_no));
            }
            if line.unit_price <= Money::ZERO || !line.amount().is_within_limit() {
                return Err(OrderError::PriceNotValid(line_no));
            }
            if line.contents.is_empty() || line.contents.iter().any(|c| c.quantity <= Decimal::ZERO)
            {
                return Err(OrderError::EmptyBasket(line_no));
            }
            if line.due_on < today {
                return Err(OrderError::DueInThePast(line_no));
            }
        }
        if self.deposit_asked < Money::ZERO || self.deposit_asked > self.total() {
            return Err(OrderError::DepositAboveTotal(self.total()));
        }
        Ok(())
    }
}

/// A delivery of an order, as its sale and its note show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRef {
    /// 1 for the order's first delivery.
    pub delivery_no: i64,
    pub receipt_no: String,
    /// The sale's e-invoice (`1C26MAA-00000012`), when one was made.
    pub invoice: Option<String>,
    pub at: DateTime<Utc>,
    pub total: Money,
    pub receiver: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: i64,
    /// `DH2026-000001`
    pub number: String,
    pub customer: Customer,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub delivery_address: String,
    pub contact: String,
    pub notes: String,
    pub deposit_asked: Money,
    pub status: OrderStatus,
    pub closed_at: Option<DateTime<Utc>>,
    pub cancel_reason: String,
    pub lines: Vec<OrderLine>,
    pub deposits_received: Money,
    pub deposits_refunded: Money,
    /// Deposits applied to the deliveries' invoices.
    pub deposits_applied: Money,
    pub deliveries: Vec<DeliveryRef>,
}

impl Order {
    pub fn total(&self) -> Money {
        self.lines.iter().map(OrderLine::amount).sum()
    }

    /// What the deliveries so far were sold for.
    pub fn delivered_total(&self) -> Money {
        self.deliveries.iter().map(|d| d.total).sum()
    }

    /// The deposit taken and not yet applied to a delivery or paid back.
    pub fn unused_deposit(&self) -> Money {
        self.deposits_received - self.deposits_refunded - self.deposits_applied
    }

    /// What is still to be delivered, at the agreed prices.
    pub fn left_value(&self) -> Money {
        self.lines
            .iter()
            .map(|l| amount_of(l.unit_price, l.left()))
            .sum()
    }

    /// The most a further deposit may be: the value still to deliver less the unused deposit.
    pub fn deposit_room(&self) -> Money {
        (self.left_value() - self.unused_deposit()).max(Money::ZERO)
    }

    /// The earliest day a line still to deliver is due.
    pub fn next_due(&self) -> Option<NaiveDate> {
        self.lines
            .iter()
            .filter(|l| l.left() > Decimal::ZERO)
            .map(|l| l.due_on)
            .min()
    }

    pub fn is_open(&self) -> bool {
        self.status == OrderStatus::Open
    }

    /// The cart a delivery of `quantities` (line index, how many) sells: each line at its
    /// agreed price; a basket's components read now (`product`), so its price is spread over
    /// them by today's shelf prices and each carries the VAT rate in force at delivery.
    pub fn delivery_cart(
        &self,
        quantities: &[(usize, Decimal)],
        product: impl Fn(i64) -> Option<Product>,
    ) -> Result<Cart, OrderError> {
        if !self.is_open() {
            return Err(OrderError::NotOpen(self.status));
        }
        let mut cart = Cart::default();
        let mut taken = std::collections::BTreeSet::new();
        for &(index, quantity) in quantities.iter().filter(|(_, q)| !q.is_zero()) {
            let line = self
                .lines
                .get(index)
                .ok_or(OrderError::NoSuchLine(index + 1))?;
            // A line named twice would take its rest twice over.
            if !taken.insert(index)
                || quantity < Decimal::ZERO
                || !line.sold_by_weight && !quantity.fract().is_zero()
                || quantity.normalize().scale() > crate::core::cart::QUANTITY_DECIMALS
            {
                return Err(OrderError::QuantityNotValid(index + 1));
            }
            if quantity > line.left() {
                return Err(OrderError::MoreThanLeft {
                    line: index + 1,
                    left: line.left(),
                });
            }
            let missing = |c: &Content| OrderError::ProductGone(c.sku.clone());
            let cart_line = match line.kind {
                LineKind::Product => {
                    let content = &line.contents[0];
                    let product = product(content.product_id).ok_or_else(|| missing(content))?;
                    let mut cart_line = CartLine::from_product(&product, quantity);
                    cart_line.unit_price = line.unit_price;
                    cart_line
                }
                LineKind::Basket => {
                    let components = line
                        .contents
                        .iter()
                        .map(|c| {
                            product(c.product_id)
                                .map(|p| Component::from_product(&p, c.quantity))
                                .ok_or_else(|| missing(c))
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    let mut cart_line =
                        CartLine::basket(&line.name, &line.sku, components, line.unit_price);
                    cart_line.quantity = quantity;
                    cart_line
                }
            };
            cart.lines.push(cart_line);
        }
        if cart.lines.is_empty() {
            return Err(OrderError::NothingToDeliver);
        }
        Ok(cart)
    }
}

/// How a delivery worth `total` is paid: the unused deposit first, the rest by `method`
/// (cash, transfer, card, or on account).
pub fn delivery_tenders(
    total: Money,
    unused_deposit: Money,
    method: PaymentMethod,
    reference: Option<String>,
) -> Vec<Tender> {
    let from_deposit = unused_deposit.min(total).max(Money::ZERO);
    let rest = total - from_deposit;
    let mut tenders = Vec::new();
    if from_deposit > Money::ZERO {
        tenders.push(Tender {
            method: PaymentMethod::Deposit,
            amount: from_deposit,
            reference: None,
        });
    }
    if rest > Money::ZERO {
        tenders.push(Tender {
            method,
            amount: rest,
            reference,
        });
    }
    tenders
}

/// A line of a delivery note: what was delivered now of an order line, and what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveredLine {
    pub name: String,
    pub unit: String,
    pub card_message: String,
    pub ordered: Decimal,
    pub now: Decimal,
    /// Left to deliver after this delivery.
    pub left: Decimal,
}

/// A delivery as its note (phiếu giao hàng) shows it: the order as it stands after it, the
/// sale it was (with its invoice), who received it, and what it took of each line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub order: Order,
    pub delivery_no: i64,
    pub sale: crate::core::sale::SaleRecord,
    pub receiver: String,
    pub lines: Vec<DeliveredLine>,
}

impl Delivery {
    /// `DH2026-000001/2`: the order's number and the delivery's.
    pub fn number(&self) -> String {
        format!("{}/{}", self.order.number, self.delivery_no)
    }
}

/// One product to pick for a day's orders, all orders together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackingItem {
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub quantity: Decimal,
}

/// A line to pack for one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackingLine {
    pub order_number: String,
    pub customer: String,
    pub name: String,
    pub quantity: Decimal,
    pub due_on: NaiveDate,
    pub card_message: String,
}

/// What must be packed on a day: every line of the open orders due that day or before and
/// not delivered yet, and every product they take, added up across the orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackingList {
    pub day: NaiveDate,
    pub lines: Vec<PackingLine>,
    pub items: Vec<PackingItem>,
}

impl PackingList {
    pub fn for_day(day: NaiveDate, orders: &[Order]) -> PackingList {
        let mut lines = Vec::new();
        let mut items: BTreeMap<(String, String, String), Decimal> = BTreeMap::new();
        for order in orders.iter().filter(|o| o.is_open()) {
            for line in &order.lines {
                let left = line.left();
                if left.is_zero() || line.due_on > day {
                    continue;
                }
                lines.push(PackingLine {
                    order_number: order.number.clone(),
                    customer: order.customer.name.clone(),
                    name: line.name.clone(),
                    quantity: left,
                    due_on: line.due_on,
                    card_message: line.card_message.clone(),
                });
                for content in &line.contents {
                    *items
                        .entry((
                            content.sku.clone(),
                            content.name.clone(),
                            content.unit.clone(),
                        ))
                        .or_default() += content.quantity * left;
                }
            }
        }
        PackingList {
            day,
            lines,
            items: items
                .into_iter()
                .map(|((sku, name, unit), quantity)| PackingItem {
                    sku,
                    name,
                    unit,
                    quantity: quantity.normalize(),
                })
                .collect(),
        }
    }
}

/// Why an order, a deposit, a delivery or a payment on account was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderError {
    Customer(crate::core::customer::CustomerError),
    NoLines,
    /// Line N: a quantity that is not a number of units above zero (or of grams, weighed).
    QuantityNotValid(usize),
    PriceNotValid(usize),
    EmptyBasket(usize),
    DueInThePast(usize),
    DepositAboveTotal(Money),
    NoSuchOrder(String),
    NoSuchLine(usize),
    NotOpen(OrderStatus),
    NothingToDeliver,
    MoreThanLeft {
        line: usize,
        left: Decimal,
    },
    /// A product the order names is no longer sold.
    ProductGone(String),
    AmountNotPositive,
    /// A deposit beyond what is still to be delivered (less the deposit already held).
    DepositAboveLeft(Money),
    /// A sale on account names no company.
    OnAccountCompaniesOnly,
    /// The company would owe more than its limit: a manager may approve.
    OverCreditLimit {
        limit: Money,
        owed: Money,
        asked: Money,
    },
    /// A payment larger than what the company owes on account.
    PaymentAboveOpen(Money),
    /// An invoice chosen to pay is not one of the company's open ones, or is paid beyond
    /// what is open on it.
    NotOpenInvoice(String),
    /// The amounts chosen per invoice do not add up to the payment.
    AllocationNotPayment {
        payment: Money,
        allocated: Money,
    },
    ReasonRequired,
    /// Deposits and payments on account are money: cash, transfer or card.
    NotMoney,
    /// A sale is paid from a deposit only as a delivery of its order.
    DepositNeedsOrder,
    /// The delivery's sale cannot be made (an amount beyond the limits, say).
    Sale(crate::core::sale::DraftError),
    /// What a delivery's deposit does not cover is paid in money or on account, never from a
    /// deposit that is not there.
    RestNotPayable,
    /// A refund of a sale still owed on account gives back no more than was paid on it: the
    /// drawer would pay out money the company never paid.
    RefundBeyondPaid {
        owed: Money,
        most: Money,
    },
}

impl From<crate::core::customer::CustomerError> for OrderError {
    fn from(error: crate::core::customer::CustomerError) -> OrderError {
        OrderError::Customer(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::customer::{CreditTerms, CustomerKind};
    use crate::core::vat::VatRate;

    fn product(id: i64, price: i64, rate: &str) -> Product {
        Product {
            id,
            sku: format!("KG{id:03}"),
            barcode: None,
            plu: None,
            name: format!("Sản phẩm {id}"),
            producer: "HTX".into(),
            ocop_group: "Thực phẩm".into(),
            stars: Some(4),
            unit: "hũ".into(),
            sold_by_weight: false,
            price: Money(price),
            vat: VatRate::from_code(rate).unwrap(),
            stock: Decimal::from(100),
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 1, d).unwrap()
    }

    fn order(lines: Vec<OrderLine>) -> Order {
        Order {
            id: 1,
            number: "DH2026-000001".into(),
            customer: Customer {
                id: 1,
                kind: CustomerKind::Company,
                name: "Công ty A".into(),
                phone: String::new(),
                id_number: String::new(),
                tax_code: "0100233488".into(),
                address: "Rạch Giá".into(),
                email: String::new(),
                contact: String::new(),
                notes: String::new(),
                consent: None,
                terms: CreditTerms::default(),
                erased: false,
            },
            created_at: chrono::Utc::now(),
            created_by: "Lan".into(),
            delivery_address: String::new(),
            contact: String::new(),
            notes: String::new(),
            deposit_asked: Money::ZERO,
            status: OrderStatus::Open,
            closed_at: None,
            cancel_reason: String::new(),
            lines,
            deposits_received: Money::ZERO,
            deposits_refunded: Money::ZERO,
            deposits_applied: Money::ZERO,
            deliveries: Vec::new(),
        }
    }

    fn basket_line(count: i64) -> OrderLine {
        let components = [
            Component::from_product(&product(1, 165_000, "8"), Decimal::ONE),
            Component::from_product(&product(2, 185_000, "5"), Decimal::from(2)),
        ];
        OrderLine::basket(
            "Giỏ Tết",
            "GP001",
            Some(1),
            &components,
            Decimal::from(count),
            Money(500_000),
            day(20),
        )
    }

    #[test]
    fn a_delivery_sells_baskets_at_the_agreed_price_with_todays_rates() {
        let order = order(vec![basket_line(30)]);
        // On delivery day the 8 % rate is 10 %.
        let cart = order
            .delivery_cart(&[(0, Decimal::from(20))], |id| {
                Some(product(
                    id,
                    if id == 1 { 170_000 } else { 185_000 },
                    if id == 1 { "10" } else { "5" },
                ))
            })
            .unwrap();
        let totals = cart.totals();
        assert_eq!(totals.total, Money(10_000_000));
        assert_eq!(
            cart.lines[0].components[0].vat,
            VatRate::from_code("10").unwrap()
        );
        let per_rate: Money = totals.vat.iter().map(|b| b.gross).sum();
        assert_eq!(per_rate, totals.total);
    }

    #[test]
    fn a_delivery_takes_no_more_than_is_left() {
        let mut order = order(vec![basket_line(30)]);
        order.lines[0].delivered = Decimal::from(20);
        let any = |id| Some(product(id, 100_000, "8"));
        assert_eq!(
            order.delivery_cart(&[(0, Decimal::from(11))], any),
            Err(OrderError::MoreThanLeft {
                line: 1,
                left: Decimal::from(10)
            })
        );
        assert_eq!(
            order.delivery_cart(&[(0, Decimal::ZERO)], any),
            Err(OrderError::NothingToDeliver)
        );
        assert_eq!(
            order.delivery_cart(&[(0, Decimal::new(5, 1))], any),
            Err(OrderError::QuantityNotValid(1))
        );
        assert_eq!(
            order.delivery_cart(&[(0, Decimal::from(6)), (0, Decimal::from(4))], any),
            Err(OrderError::QuantityNotValid(1)),
            "a line named twice"
        );
        assert_eq!(
            order.delivery_cart(&[(0, Decimal::from(10))], |_| None),
            Err(OrderError::ProductGone("KG001".into()))
        );
        order.status = OrderStatus::Cancelled;
        assert_eq!(
            order.delivery_cart(&[(0, Decimal::ONE)], any),
            Err(OrderError::NotOpen(OrderStatus::Cancelled))
        );
    }

    #[test]
    fn the_deposit_pays_first_then_the_method() {
        let tenders = delivery_tenders(
            Money(10_000_000),
            Money(3_000_000),
            PaymentMethod::OnAccount,
            None,
        );
        assert_eq!(tenders.len(), 2);
        assert_eq!(
            (tenders[0].method, tenders[0].amount),
            (PaymentMethod::Deposit, Money(3_000_000))
        );
        assert_eq!(
            (tenders[1].method, tenders[1].amount),
            (PaymentMethod::OnAccount, Money(7_000_000))
        );
        let covered = delivery_tenders(
            Money(2_000_000),
            Money(3_000_000),
            PaymentMethod::Cash,
            None,
        );
        assert_eq!(covered.len(), 1);
        assert_eq!(
            (covered[0].method, covered[0].amount),
            (PaymentMethod::Deposit, Money(2_000_000))
        );
    }

    #[test]
    fn an_order_is_checked_before_it_is_taken() {
        let draft = OrderDraft {
            customer_id: 1,
            lines: vec![basket_line(30)],
            deposit_asked: Money(4_500_000),
            ..OrderDraft::default()
        };
        assert_eq!(draft.check(day(10)), Ok(()));
        assert_eq!(draft.check(day(21)), Err(OrderError::DueInThePast(1)));
        let mut over = draft.clone();
        over.deposit_asked = Money(15_000_001);
        assert_eq!(
            over.check(day(10)),
            Err(OrderError::DepositAboveTotal(Money(15_000_000)))
        );
        let mut half = draft.clone();
        half.lines[0].quantity = Decimal::new(15, 1);
        assert_eq!(half.check(day(10)), Err(OrderError::QuantityNotValid(1)));
        assert_eq!(
            OrderDraft::default().check(day(10)),
            Err(OrderError::NoLines)
        );
    }

    #[test]
    fn the_packing_list_adds_up_components_across_orders() {
        let mut first = order(vec![basket_line(30)]);
        first.lines[0].delivered = Decimal::from(20);
        let mut second = order(vec![
            basket_line(5),
            OrderLine::product(
                &product(2, 185_000, "5"),
                Decimal::from(3),
                Money(180_000),
                day(25),
            ),
        ]);
        second.number = "DH2026-000002".into();
        let list = PackingList::for_day(day(20), &[first, second]);
        // 10 + 5 baskets due on the 20th; the loose product is due on the 25th.
        assert_eq!(list.lines.len(), 2);
        let quantity = |sku: &str| list.items.iter().find(|i| i.sku == sku).map(|i| i.quantity);
        assert_eq!(quantity("KG001"), Some(Decimal::from(15)));
        assert_eq!(quantity("KG002"), Some(Decimal::from(30)));
    }
}
