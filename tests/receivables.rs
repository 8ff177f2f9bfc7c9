//! Deposits, deliveries and payments always reconcile (property test on a real SQLite file):
//! after any mix of orders, deposits, partial deliveries, cancellations, sales on account and
//! payments, each customer's balance is its invoices less its payments less its unused
//! deposits, the stock reserved is what open orders still have to deliver, every statement
//! closes on the balance, and the chains verify. Also: aging by due day, a statement of a
//! period, the cached settled amounts, and tampering with a customer's records is found.

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{DEMO_PRODUCTS, product, shop_time};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::customer::{CreditTerms, Customer, PersonDraft};
use ocop_pos::core::einvoice::InvoiceSettings;
use ocop_pos::core::invoice::Buyer;
use ocop_pos::core::money::Money;
use ocop_pos::core::order::{OrderDraft, OrderError, OrderLine};
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::receivable::AgeBucket;
use ocop_pos::core::report::Period;
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::store::{Store, StoreError};
use proptest::prelude::*;
use rusqlite::Connection;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use tempfile::TempDir;

const DUE: (i32, u32, u32) = (2027, 1, 20);

struct Shop {
    dir: TempDir,
    store: Store,
    customers: Vec<Customer>,
    /// What one unit of each orderable thing holds (product id → quantity), and a line for it.
    items: Vec<(OrderLine, Vec<(i64, Decimal)>)>,
}

fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
    store
        .seed_demo_gift_packs(include_str!("../assets/demo_giftpacks.csv"), shop_time())
        .unwrap();
    store
        .save_invoice_settings(&InvoiceSettings::demo())
        .unwrap();
    let mut customers = Vec::new();
    for (name, tax_code) in [
        ("Công ty TNHH Biển Xanh", "0100233488"),
        ("Ngân hàng Kiên Long chi nhánh Rạch Giá", "1700197787"),
    ] {
        store
            .save_buyer(
                &Buyer {
                    id: 0,
                    name: name.into(),
                    tax_code: tax_code.into(),
                    address: "Rạch Giá, An Giang".into(),
                    email: String::new(),
                    contact: String::new(),
                },
                shop_time(),
            )
            .unwrap();
        let company = store.company(tax_code, shop_time()).unwrap().unwrap();
        store
            .set_credit_terms(
                company.id,
                CreditTerms {
                    limit: Money(20_000_000),
                    days: 30,
                },
                "Hùng",
                shop_time(),
            )
            .unwrap();
        customers.push(store.customer(company.id).unwrap());
    }
    customers.push(
        store
            .save_person(
                &PersonDraft {
                    name: "Lê Văn An".into(),
                    phone: "0912345678".into(),
                    consent_given: true,
                    ..PersonDraft::default()
                },
                None,
                "Lan",
                shop_time(),
            )
            .unwrap(),
    );
    let due = NaiveDate::from_ymd_opt(DUE.0, DUE.1, DUE.2).unwrap();
    let mut items = Vec::new();
    for pack in store.gift_packs(shop_time()).unwrap() {
        let line = OrderLine::basket(
            &pack.name,
            &pack.sku,
            Some(pack.id),
            &pack.components(),
            Decimal::ONE,
            pack.price(),
            due,
        );
        let contents = pack.items.iter().map(|(p, q)| (p.id, *q)).collect();
        items.push((line, contents));
    }
    for barcode in ["8930101000123", "8930100000025"] {
        let product = product(&store, barcode);
        let line = OrderLine::product(&product, Decimal::ONE, product.price, due);
        items.push((line, vec![(product.id, Decimal::ONE)]));
    }
    Shop {
        dir,
        store,
        customers,
        items,
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// Customer, lines (item, count, price in thousands), deposit asked in tenths of the total.
    Order(usize, Vec<(usize, u8, u16)>),
    /// Order, amount as a share (in percent, up to 120 %) of the room left for deposits.
    Deposit(usize, u8, bool),
    /// Order, per line a share (percent, up to 120 %) of what is left; how the rest is paid.
    Deliver(usize, Vec<u8>, u8),
    /// Order; the unused deposit paid back in cash or by transfer.
    Cancel(usize, bool),
    /// A counter sale on account: customer, baskets.
    OnAccount(usize, u8),
    /// Customer, share (percent, up to 120 %) of what it owes; oldest first or newest first.
    Pay(usize, u8, bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..3usize, prop::collection::vec((0..4usize, 1..8u8, 100..1500u16), 1..4))
            .prop_map(|(c, lines)| Op::Order(c, lines)),
        2 => (0..6usize, 0..121u8, any::<bool>()).prop_map(|(o, s, t)| Op::Deposit(o, s, t)),
        4 => (0..6usize, prop::collection::vec(0..121u8, 1..4), 0..3u8)
            .prop_map(|(o, s, m)| Op::Deliver(o, s, m)),
        1 => (0..6usize, any::<bool>()).prop_map(|(o, t)| Op::Cancel(o, t)),
        2 => (0..3usize, 1..4u8).prop_map(|(c, n)| Op::OnAccount(c, n)),
        2 => (0..3usize, 0..121u8, any::<bool>()).prop_map(|(c, s, o)| Op::Pay(c, s, o)),
    ]
}

/// A plain model of what happened, kept apart from the store's own sums.
#[derive(Default)]
struct Model {
    /// Per customer: invoices, payments (at the counter, from deposits, on account), deposits
    /// received, deposits paid back.
    invoices: HashMap<i64, Money>,
    payments: HashMap<i64, Money>,
    deposits: HashMap<i64, Money>,
    refunds: HashMap<i64, Money>,
    /// Per customer, what is open on account per receipt, in sale order.
    open: HashMap<i64, Vec<(String, Money)>>,
    orders: Vec<ModelOrder>,
}

struct ModelOrder {
    id: i64,
    customer: i64,
    open: bool,
    /// Item, ordered, delivered, price.
    lines: Vec<(usize, Decimal, Decimal, Money)>,
    unused_deposit: Money,
}

impl ModelOrder {
    fn left_value(&self) -> Money {
        self.lines
            .iter()
            .map(|(_, ordered, delivered, price)| {
                Money::from_decimal(price.to_decimal() * (ordered - delivered)).unwrap()
            })
            .sum()
    }
}

impl Model {
    fn add(map: &mut HashMap<i64, Money>, customer: i64, amount: Money) {
        *map.entry(customer).or_default() += amount;
    }

    fn get(map: &HashMap<i64, Money>, customer: i64) -> Money {
        map.get(&customer).copied().unwrap_or_default()
    }

    fn unused_deposits(&self, customer: i64) -> Money {
        self.orders
            .iter()
            .filter(|o| o.customer == customer)
            .map(|o| o.unused_deposit)
            .sum()
    }

    fn owed(&self, customer: i64) -> Money {
        self.open
            .get(&customer)
            .map_or(Money::ZERO, |open| open.iter().map(|(_, m)| *m).sum())
    }

    fn reserved(&self, shop: &Shop) -> BTreeMap<i64, Decimal> {
        let mut reserved = BTreeMap::new();
        for order in self.orders.iter().filter(|o| o.open) {
            for (item, ordered, delivered, _) in &order.lines {
                for (product, quantity) in &shop.items[*item].1 {
                    *reserved.entry(*product).or_insert(Decimal::ZERO) +=
                        quantity * (ordered - delivered);
                }
            }
        }
        reserved.retain(|_, q| !q.is_zero());
        reserved
    }
}

fn refused(result: Result<impl std::fmt::Debug, StoreError>) -> OrderError {
    match result {
        Err(StoreError::Order(error)) => error,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn share(amount: Money, percent: u8) -> Money {
    Money(amount.0 * i64::from(percent) / 100)
}

fn run(ops: &[Op]) {
    let mut shop = shop();
    let mut model = Model::default();
    let mut now = shop_time();
    for op in ops {
        now += Duration::hours(7);
        apply(&mut shop, &mut model, op, now);
        check(&shop, &model, now);
    }
    shop.store.verify_chains(now).unwrap();
    assert!(shop.store.unacknowledged_breaks().unwrap().is_empty());
}

fn apply(shop: &mut Shop, model: &mut Model, op: &Op, now: DateTime<Utc>) {
    let store = &mut shop.store;
    match op {
        Op::Order(customer, lines) => {
            let customer = shop.customers[*customer].id;
            let lines: Vec<(usize, Decimal, Money)> = lines
                .iter()
                .map(|(item, count, price)| {
                    (
                        *item,
                        Decimal::from(*count),
                        Money(i64::from(*price) * 1000),
                    )
                })
                .collect();
            let draft = OrderDraft {
                customer_id: customer,
                lines: lines
                    .iter()
                    .map(|(item, count, price)| {
                        let mut line = shop.items[*item].0.clone();
                        line.quantity = *count;
                        line.unit_price = *price;
                        line
                    })
                    .collect(),
                ..OrderDraft::default()
            };
            let order = store.create_order(&draft, "Lan", now).unwrap();
            model.orders.push(ModelOrder {
                id: order.id,
                customer,
                open: true,
                lines: lines
                    .into_iter()
                    .map(|(i, c, p)| (i, c, Decimal::ZERO, p))
                    .collect(),
                unused_deposit: Money::ZERO,
            });
        }
        Op::Deposit(order, percent, transfer) => {
            let Some(order) = model.orders.get_mut(*order) else {
                return;
            };
            let room = order.left_value() - order.unused_deposit;
            let amount = share(room, *percent).max(Money(1_000));
            let method = if *transfer {
                PaymentMethod::Transfer
            } else {
                PaymentMethod::Cash
            };
            let result = store.take_deposit(order.id, method, amount, "", "Lan", now);
            if !order.open {
                assert!(matches!(refused(result), OrderError::NotOpen(_)));
            } else if amount > room {
                assert_eq!(refused(result), OrderError::DepositAboveLeft(room));
            } else {
                result.unwrap();
                order.unused_deposit += amount;
                Model::add(&mut model.deposits, order.customer, amount);
            }
        }
        Op::Deliver(order, shares, method) => {
            let Some(order) = model.orders.get_mut(*order) else {
                return;
            };
            let quantities: Vec<(usize, Decimal)> = order
                .lines
                .iter()
                .zip(shares.iter().chain(std::iter::repeat(&0)))
                .enumerate()
                .map(|(index, ((_, ordered, delivered, _), percent))| {
                    let left = ordered - delivered;
                    (
                        index,
                        (left * Decimal::from(*percent) / Decimal::from(100)).round(),
                    )
                })
                .collect();
            let method = [
                PaymentMethod::Cash,
                PaymentMethod::Transfer,
                PaymentMethod::OnAccount,
            ][usize::from(*method)];
            let is_company = shop.customers[..2].iter().any(|c| c.id == order.customer);
            let total: Money = quantities
                .iter()
                .map(|(index, q)| {
                    Money::from_decimal(order.lines[*index].3.to_decimal() * q).unwrap()
                })
                .sum();
            let from_deposit = order.unused_deposit.min(total);
            let rest = total - from_deposit;
            let result = store.deliver_order(
                order.id,
                &quantities,
                "Mai",
                method,
                None,
                "Lan",
                Some("Hùng"),
                now,
            );
            if !order.open {
                assert!(matches!(refused(result), OrderError::NotOpen(_)));
                return;
            }
            if let Some((index, q)) = quantities
                .iter()
                .find(|(index, q)| *q > order.lines[*index].1 - order.lines[*index].2)
            {
                let left = order.lines[*index].1 - order.lines[*index].2;
                let _ = q;
                assert_eq!(
                    refused(result),
                    OrderError::MoreThanLeft {
                        line: index + 1,
                        left
                    }
                );
                return;
            }
            if total == Money::ZERO {
                assert_eq!(refused(result), OrderError::NothingToDeliver);
                return;
            }
            if method == PaymentMethod::OnAccount && rest > Money::ZERO && !is_company {
                assert_eq!(refused(result), OrderError::OnAccountCompaniesOnly);
                return;
            }
            let delivery = result.unwrap();
            assert_eq!(delivery.sale.draft.total, total);
            for (index, q) in &quantities {
                order.lines[*index].2 += q;
            }
            order.unused_deposit -= from_deposit;
            if order.lines.iter().all(|(_, o, d, _)| o == d) {
                order.open = false;
            }
            Model::add(&mut model.invoices, order.customer, total);
            if method == PaymentMethod::OnAccount {
                Model::add(&mut model.payments, order.customer, from_deposit);
                if rest > Money::ZERO {
                    model
                        .open
                        .entry(order.customer)
                        .or_default()
                        .push((delivery.sale.receipt_no.clone(), rest));
                }
            } else {
                Model::add(&mut model.payments, order.customer, total);
            }
        }
        Op::Cancel(order, transfer) => {
            let Some(order) = model.orders.get_mut(*order) else {
                return;
            };
            let method = if *transfer {
                PaymentMethod::Transfer
            } else {
                PaymentMethod::Cash
            };
            let result = store.cancel_order(order.id, "Khách hủy", method, "Hùng", now);
            if !order.open {
                assert!(matches!(refused(result), OrderError::NotOpen(_)));
                return;
            }
            let (_, refund) = result.unwrap();
            assert_eq!(
                refund.map_or(Money::ZERO, |r| r.amount),
                order.unused_deposit
            );
            Model::add(&mut model.refunds, order.customer, order.unused_deposit);
            order.unused_deposit = Money::ZERO;
            order.open = false;
        }
        Op::OnAccount(customer, baskets) => {
            let customer = &shop.customers[*customer];
            let pack = store.gift_packs(now).unwrap().remove(1);
            let mut cart = Cart::default();
            for _ in 0..*baskets {
                cart.add_basket(pack.cart_line()).unwrap();
            }
            cart.buyer = Some(customer.invoice_buyer().unwrap_or(
                ocop_pos::core::einvoice::InvoiceBuyer::Person {
                    name: customer.name.clone(),
                    id_number: String::new(),
                    phone: customer.phone.clone(),
                    address: String::new(),
                },
            ));
            let total = cart.totals().total;
            let draft = SaleDraft::new(
                &cart,
                vec![Tender {
                    method: PaymentMethod::OnAccount,
                    amount: total,
                    reference: None,
                }],
                "Lan",
            )
            .unwrap();
            let result = store.commit_sale_approving_credit(&draft, "Hùng", now);
            if customer.tax_code.is_empty() {
                assert_eq!(refused(result), OrderError::OnAccountCompaniesOnly);
                return;
            }
            let sale = result.unwrap();
            Model::add(&mut model.invoices, customer.id, total);
            model
                .open
                .entry(customer.id)
                .or_default()
                .push((sale.receipt_no, total));
        }
        Op::Pay(customer, percent, oldest) => {
            let customer = shop.customers[*customer].id;
            let owed = model.owed(customer);
            let amount = share(owed, *percent).max(Money(1_000));
            // Newest first when chosen, so the choice is not what the default would do.
            let mut chosen = Vec::new();
            let mut left = amount;
            for (receipt_no, open) in model.open.get(&customer).into_iter().flatten().rev() {
                let part = (*open).min(left);
                if part > Money::ZERO {
                    chosen.push((receipt_no.clone(), part));
                    left -= part;
                }
            }
            let result = store.receive_account_payment(
                customer,
                PaymentMethod::Transfer,
                amount,
                "",
                (!*oldest).then_some(chosen.as_slice()),
                "Lan",
                now,
            );
            if amount > owed {
                assert!(matches!(
                    refused(result),
                    OrderError::PaymentAboveOpen(_) | OrderError::AllocationNotPayment { .. }
                ));
                return;
            }
            result.unwrap();
            Model::add(&mut model.payments, customer, amount);
            let open = model.open.entry(customer).or_default();
            if *oldest {
                let mut left = amount;
                for (_, m) in open.iter_mut() {
                    let part = (*m).min(left);
                    *m -= part;
                    left -= part;
                }
            } else {
                for (receipt_no, part) in chosen {
                    if let Some((_, m)) = open.iter_mut().find(|(r, _)| *r == receipt_no) {
                        *m -= part;
                    }
                }
            }
            open.retain(|(_, m)| *m > Money::ZERO);
        }
    }
}

fn check(shop: &Shop, model: &Model, now: DateTime<Utc>) {
    let store = &shop.store;
    for customer in &shop.customers {
        let id = customer.id;
        let expected = Model::get(&model.invoices, id)
            - Model::get(&model.payments, id)
            - model.unused_deposits(id);
        let balance = store.customer_balance(id).unwrap();
        assert_eq!(balance.balance(), expected, "balance of {}", customer.name);
        assert_eq!(balance.unused_deposits, model.unused_deposits(id));
        let open: Vec<(String, Money)> = store
            .open_invoices(id)
            .unwrap()
            .into_iter()
            .map(|i| (i.receipt_no, i.open))
            .collect();
        assert_eq!(open, model.open.get(&id).cloned().unwrap_or_default());
        // The statement from the first day to now closes on the balance, and its open invoices
        // less its deposits are that balance too.
        let statement = store
            .account_statement(
                id,
                Period {
                    from: shop_time().date_naive(),
                    to: ocop_pos::core::clock::local_date(now),
                },
            )
            .unwrap();
        assert_eq!(statement.opening, Money::ZERO);
        assert_eq!(statement.closing(), expected);
        let open_total: Money = statement.open.iter().map(|i| i.open).sum();
        assert_eq!(open_total - statement.unused_deposits, expected);
    }
    let reserved: BTreeMap<i64, Decimal> = store.reserved_stock().unwrap().into_iter().collect();
    assert_eq!(reserved, model.reserved(shop));
    let db = Connection::open(shop.dir.path().join(ocop_pos::store::DATABASE_FILE)).unwrap();
    let (cached, allocated): (i64, i64) = db
        .query_row(
            "SELECT (SELECT coalesce(sum(paid_on_account), 0) FROM customer_sales),
                    (SELECT coalesce(sum(amount), 0) FROM payment_allocations)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        cached, allocated,
        "the settled cache equals the allocations"
    );
    // Deposits counted once: received less paid back, over the whole time.
    let total_deposits: Money = model.deposits.values().copied().sum::<Money>()
        - model.refunds.values().copied().sum::<Money>();
    let summary = store
        .day_summary(Period {
            from: shop_time().date_naive(),
            to: ocop_pos::core::clock::local_date(now),
        })
        .unwrap();
    assert_eq!(
        summary.customer_money.deposits_taken() - summary.customer_money.deposits_paid_back(),
        total_deposits
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn deposits_deliveries_and_payments_always_reconcile(ops in prop::collection::vec(op(), 1..25)) {
        run(&ops);
    }
}

#[test]
fn aging_counts_from_each_invoices_due_day() {
    let mut shop = shop();
    let company = shop.customers[0].clone();
    let pack = shop.store.gift_packs(shop_time()).unwrap().remove(1);
    let sell = |store: &mut Store, at: DateTime<Utc>| {
        let mut cart = Cart::default();
        cart.add_basket(pack.cart_line()).unwrap();
        cart.buyer = company.invoice_buyer();
        let total = cart.totals().total;
        let draft = SaleDraft::new(
            &cart,
            vec![Tender {
                method: PaymentMethod::OnAccount,
                amount: total,
                reference: None,
            }],
            "Lan",
        )
        .unwrap();
        store.commit_sale(&draft, at).unwrap();
        total
    };
    // Sold on account 100, 50 and 10 days before the day looked at, with 30 days to pay.
    let today = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    let days_ago = |days: i64| {
        (today - Duration::days(days))
            .and_hms_opt(3, 0, 0)
            .unwrap()
            .and_utc()
    };
    let price = sell(&mut shop.store, days_ago(100));
    sell(&mut shop.store, days_ago(50));
    sell(&mut shop.store, days_ago(45));
    sell(&mut shop.store, days_ago(10));
    let aging = shop.store.aging(today).unwrap();
    assert_eq!(aging.len(), 1);
    let row = &aging[0];
    assert_eq!(row.tax_code, company.tax_code);
    // Due 70, 20, 15 days ago and in 20 days.
    assert_eq!(row.buckets, [price, price + price, Money::ZERO, price]);
    assert_eq!(row.overdue(), price + price + price);
    let open = shop.store.open_invoices(company.id).unwrap();
    assert_eq!(
        open.iter()
            .map(|i| AgeBucket::of(i.due_on, today))
            .collect::<Vec<_>>(),
        [
            AgeBucket::Over60,
            AgeBucket::Days1To30,
            AgeBucket::Days1To30,
            AgeBucket::Current
        ]
    );
    // A payment of the oldest takes it off the aging.
    shop.store
        .receive_account_payment(
            company.id,
            PaymentMethod::Transfer,
            price,
            "",
            None,
            "Lan",
            days_ago(0),
        )
        .unwrap();
    assert_eq!(
        shop.store.aging(today).unwrap()[0].buckets,
        [price, price + price, Money::ZERO, Money::ZERO]
    );
}

#[test]
fn a_changed_customer_record_breaks_its_chain() {
    let mut shop = shop();
    let company = shop.customers[0].clone();
    let pack = shop.store.gift_packs(shop_time()).unwrap().remove(1);
    let mut cart = Cart::default();
    cart.add_basket(pack.cart_line()).unwrap();
    cart.buyer = company.invoice_buyer();
    let total = cart.totals().total;
    let draft = SaleDraft::new(
        &cart,
        vec![Tender {
            method: PaymentMethod::OnAccount,
            amount: total,
            reference: None,
        }],
        "Lan",
    )
    .unwrap();
    shop.store.commit_sale(&draft, shop_time()).unwrap();
    shop.store
        .receive_account_payment(
            company.id,
            PaymentMethod::Cash,
            Money(100_000),
            "",
            None,
            "Lan",
            shop_time(),
        )
        .unwrap();
    let path = shop.dir.path().join(ocop_pos::store::DATABASE_FILE);
    drop(shop.store);
    {
        let db = Connection::open(&path).unwrap();
        // Whoever owes it is moved to the other company, and a payment made larger.
        db.execute_batch(
            "DROP TRIGGER customer_sales_no_update;
             UPDATE customer_sales SET customer_id = customer_id + 1;
             DROP TRIGGER customer_payments_no_update;
             UPDATE customer_payments SET amount = amount * 10;",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let checks = store.verify_chains(shop_time()).unwrap();
    let broken: Vec<_> = checks
        .iter()
        .filter(|c| c.broken.is_some())
        .map(|c| c.kind)
        .collect();
    assert!(
        broken.contains(&ocop_pos::core::chain::ChainKind::CustomerSale),
        "{checks:?}"
    );
    assert!(
        broken.contains(&ocop_pos::core::chain::ChainKind::CustomerPayment),
        "{checks:?}"
    );
}
