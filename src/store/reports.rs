//! Figures over sales and refunds: the daily summary, session figures, producer statements.

use super::inventory::parse_day;
use super::{Store, StoreResult, from_milli, parse_timestamp, read_vat_buckets, timestamp};
use crate::core::catalog::stars_text;
use crate::core::clock::start_of_local_day;
use crate::core::cost::{MovingAverage, cost_of};
use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use crate::core::report::{
    CustomerMoney, DaySummary, ExportLine, Margin, Margins, Period, ProducerRef, ProducerStatement,
    ReceivedLine, SaleHeader, StatementLine, Tally,
};
use crate::core::vat::{VatBucket, net_of_refunds};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params, params_from_iter};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Which sales and refunds a figure covers: one cash session, or local days.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope {
    Session(i64),
    Period(Period),
}

impl Scope {
    /// The condition on a table aliased `alias` that has `session_id` and `local_date`.
    fn condition(&self, alias: &str) -> String {
        match self {
            Scope::Session(_) => format!("{alias}.session_id = ?1"),
            Scope::Period(_) => format!("{alias}.local_date BETWEEN ?1 AND ?2"),
        }
    }

    fn params(&self) -> Vec<Value> {
        match self {
            Scope::Session(id) => vec![Value::Integer(*id)],
            Scope::Period(period) => vec![
                Value::Text(period.from.to_string()),
                Value::Text(period.to.to_string()),
            ],
        }
    }
}

/// Sales count, gross, discounts and total of a scope.
pub(crate) struct SalesTotals {
    pub count: i64,
    pub gross: Money,
    pub discounts: Money,
    pub total: Money,
}

pub(crate) fn sales_totals(conn: &Connection, scope: Scope) -> StoreResult<SalesTotals> {
    let sql = format!(
        "SELECT count(*), coalesce(sum(gross), 0), coalesce(sum(discounts), 0), coalesce(sum(total), 0)
           FROM sales s WHERE {}",
        scope.condition("s")
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(scope.params()), |row| {
            Ok(SalesTotals {
                count: row.get(0)?,
                gross: Money(row.get(1)?),
                discounts: Money(row.get(2)?),
                total: Money(row.get(3)?),
            })
        })?)
}

/// Count and total of the refunds paid out in a scope.
pub(crate) fn refund_totals(conn: &Connection, scope: Scope) -> StoreResult<(i64, Money)> {
    let sql = format!(
        "SELECT count(*), coalesce(sum(total), 0) FROM refunds r WHERE {}",
        scope.condition("r")
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(scope.params()), |row| {
            Ok((row.get(0)?, Money(row.get(1)?)))
        })?)
}

/// Money taken by method: cash net of the change given, each less the refunds paid that way.
/// Every method is listed, in a fixed order.
pub(crate) fn takings(conn: &Connection, scope: Scope) -> StoreResult<Vec<(PaymentMethod, Money)>> {
    let paid_sql = format!(
        "SELECT p.method, sum(p.amount) FROM payments p JOIN sales s ON s.id = p.sale_id
          WHERE {} GROUP BY p.method",
        scope.condition("s")
    );
    let change_sql = format!(
        "SELECT coalesce(sum(change_given), 0) FROM sales s WHERE {}",
        scope.condition("s")
    );
    let refunded_sql = format!(
        "SELECT r.method, sum(r.total) FROM refunds r WHERE {} GROUP BY r.method",
        scope.condition("r")
    );
    let by_method = |sql: &str| -> StoreResult<Vec<(String, i64)>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params_from_iter(scope.params()), |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    let paid = by_method(&paid_sql)?;
    let refunded = by_method(&refunded_sql)?;
    let change: i64 = conn
        .prepare_cached(&change_sql)?
        .query_row(params_from_iter(scope.params()), |row| row.get(0))?;
    let sum_for = |rows: &[(String, i64)], method: PaymentMethod| {
        rows.iter()
            .filter(|(code, _)| code == method.code())
            .map(|(_, amount)| *amount)
            .sum::<i64>()
    };
    Ok(PaymentMethod::ALL
        .into_iter()
        .map(|method| {
            let change = if method == PaymentMethod::Cash {
                change
            } else {
                0
            };
            let amount = sum_for(&paid, method) - change - sum_for(&refunded, method);
            (method, Money(amount))
        })
        .collect())
}

/// Deposits taken and paid back and payments on account in a scope, by method; and what its
/// sales were paid from deposits or put on account.
pub(crate) fn customer_money(conn: &Connection, scope: Scope) -> StoreResult<CustomerMoney> {
    let mut money = CustomerMoney::default();
    let sql = format!(
        "SELECT p.kind, p.method, sum(p.amount) FROM customer_payments p WHERE {}
          GROUP BY p.kind, p.method ORDER BY p.kind, p.method",
        scope.condition("p")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(scope.params()), |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (kind, method, amount) = row?;
        let method = PaymentMethod::from_code(&method)
            .ok_or_else(|| super::StoreError::Corrupt(format!("payment method {method:?}")))?;
        let list = match kind.as_str() {
            "deposit" => &mut money.deposits,
            "deposit_refund" => &mut money.deposit_refunds,
            _ => &mut money.account_payments,
        };
        list.push((method, Money(amount)));
    }
    let sql = format!(
        "SELECT p.method, sum(p.amount) FROM payments p JOIN sales s ON s.id = p.sale_id
          WHERE {} AND p.method IN ('deposit', 'account') GROUP BY p.method",
        scope.condition("s")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(scope.params()), |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (method, amount) = row?;
        if method == PaymentMethod::Deposit.code() {
            money.deposits_applied = Money(amount);
        } else {
            money.sold_on_account = Money(amount);
        }
    }
    Ok(money)
}

/// VAT per rate as printed on the scope's receipts, less the VAT of its refunds.
pub(crate) fn vat_net_of_refunds(conn: &Connection, scope: Scope) -> StoreResult<Vec<VatBucket>> {
    let sales = read_vat_buckets(
        conn,
        &format!(
            "SELECT v.rate, sum(v.gross), sum(v.pre_vat), sum(v.vat)
               FROM sale_vat v JOIN sales s ON s.id = v.sale_id WHERE {} GROUP BY v.rate",
            scope.condition("s")
        ),
        params_from_iter(scope.params()),
    )?;
    let refunds = read_vat_buckets(
        conn,
        &format!(
            "SELECT v.rate, sum(v.gross), sum(v.pre_vat), sum(v.vat)
               FROM refund_vat v JOIN refunds r ON r.id = v.refund_id WHERE {} GROUP BY v.rate",
            scope.condition("r")
        ),
        params_from_iter(scope.params()),
    )?;
    Ok(net_of_refunds(&sales, &refunds))
}

/// What one product sold, less what was refunded, over a period, with the labels the daily
/// breakdowns group by (name, producer and stars as they were sold) and what the goods cost.
struct ProductMoves {
    sku: String,
    name: String,
    producer: String,
    stars: Option<u8>,
    group: String,
    sold_by_weight: bool,
    quantity_milli: i64,
    amount: i64,
    cost: Money,
    uncosted: Money,
}

/// One sale line of a period, or one refund line (quantity and amount negative), with the
/// moving-average cost of its goods.
struct Move {
    day: NaiveDate,
    product_id: i64,
    sku: String,
    name: String,
    producer: String,
    stars: Option<u8>,
    group: String,
    sold_by_weight: bool,
    quantity_milli: i64,
    amount: i64,
    cost: Money,
    costed: bool,
}

/// The period's sale lines and refund lines, each costed at the moving-average cost its product
/// had when the line was sold (a refund gives back the cost of the sale it undoes).
fn period_moves(conn: &Connection, period: Period) -> StoreResult<Vec<Move>> {
    let scope = Scope::Period(period);
    let sql = format!(
        "WITH moves AS (
             SELECT s.local_date AS day, l.sale_id, l.product_id, l.name, l.producer, l.stars,
                    l.sku, l.quantity_milli AS q, l.total AS amount
               FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE {sales}
             UNION ALL
             SELECT r.local_date, l.sale_id, l.product_id, l.name, l.producer, l.stars, l.sku,
                    -rl.quantity_milli, -rl.amount
               FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
               JOIN refund_sale_lines l ON l.refund_id = rl.refund_id AND l.line_no = rl.line_no
              WHERE {refunds})
         SELECT m.day, m.sale_id, m.product_id, m.name, m.producer, m.stars, p.ocop_group,
                p.sold_by_weight, m.q, m.amount, m.sku
           FROM moves m JOIN products p ON p.id = m.product_id",
        sales = scope.condition("s"),
        refunds = scope.condition("r"),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(scope.params()), |row: &Row<'_>| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, Option<i64>>(1)?,
            Move {
                day: NaiveDate::MIN,
                product_id: row.get(2)?,
                sku: row.get(10)?,
                name: row.get(3)?,
                producer: row.get(4)?,
                stars: row.get(5)?,
                group: row.get(6)?,
                sold_by_weight: row.get(7)?,
                quantity_milli: row.get(8)?,
                amount: row.get(9)?,
                cost: Money::ZERO,
                costed: false,
            },
        ))
    })?;
    let rows: Vec<(String, Option<i64>, Move)> = rows.collect::<Result<_, _>>()?;
    let products: BTreeSet<i64> = rows.iter().map(|(_, _, m)| m.product_id).collect();
    let unit_costs = unit_costs_at_sales(conn, &products)?;
    rows.into_iter()
        .map(|(day, sale_id, mut line)| {
            line.day = parse_day(&day)?;
            // A refund of a sale sold at another counter: no cost known here.
            let unit_cost = sale_id
                .and_then(|sale_id| unit_costs.get(&(sale_id, line.product_id)).copied())
                .flatten();
            line.costed = unit_cost.is_some();
            line.cost = cost_of(from_milli(line.quantity_milli), unit_cost);
            Ok(line)
        })
        .collect()
}

/// The moving-average unit cost each of `products` had at each of its sales, keyed by (sale,
/// product), replayed over the products' whole ledgers (None: no cost known then).
fn unit_costs_at_sales(
    conn: &Connection,
    products: &BTreeSet<i64>,
) -> StoreResult<HashMap<(i64, i64), Option<Decimal>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, quantity_milli, unit_cost, sale_id FROM stock_movements
          WHERE product_id = ?1 ORDER BY id",
    )?;
    let mut costs = HashMap::new();
    for &product_id in products {
        let mut average = MovingAverage::default();
        let mut rows = stmt.query([product_id])?;
        while let Some(row) = rows.next()? {
            let kind: String = row.get(0)?;
            let quantity = from_milli(row.get(1)?);
            let sale_id: Option<i64> = row.get(3)?;
            if kind == "receipt" {
                average.receive(quantity, row.get::<_, Option<i64>>(2)?.map(Money));
            } else {
                if let Some(sale_id) = sale_id {
                    costs
                        .entry((sale_id, product_id))
                        .or_insert(average.unit_cost());
                }
                average.move_stock(quantity);
            }
        }
    }
    Ok(costs)
}

/// The moves summed per product; the breakdowns by product, producer, stars and group are then
/// added up from these few rows.
fn product_moves(moves: &[Move]) -> Vec<ProductMoves> {
    let mut products: BTreeMap<(i64, &str, &str, Option<u8>), ProductMoves> = BTreeMap::new();
    for line in moves {
        let key = (
            line.product_id,
            line.name.as_str(),
            line.producer.as_str(),
            line.stars,
        );
        let product = products.entry(key).or_insert_with(|| ProductMoves {
            sku: line.sku.clone(),
            name: line.name.clone(),
            producer: line.producer.clone(),
            stars: line.stars,
            group: line.group.clone(),
            sold_by_weight: line.sold_by_weight,
            quantity_milli: 0,
            amount: 0,
            cost: Money::ZERO,
            uncosted: Money::ZERO,
        });
        product.quantity_milli += line.quantity_milli;
        product.amount += line.amount;
        product.cost += line.cost;
        if !line.costed {
            product.uncosted += Money(line.amount);
        }
    }
    products.into_values().collect()
}

/// Sums the moves under a label, largest amount first (then by label), at most `limit`.
fn tally_by(
    moves: &[ProductMoves],
    label: impl Fn(&ProductMoves) -> String,
    limit: usize,
) -> Vec<Tally> {
    let mut sums: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    for product in moves {
        let sum = sums.entry(label(product)).or_default();
        if product.sold_by_weight {
            sum.1 += product.quantity_milli;
        } else {
            sum.0 += product.quantity_milli;
        }
        sum.2 += product.amount;
    }
    let mut tallies: Vec<Tally> = sums
        .into_iter()
        .map(|(label, (units, grams, amount))| Tally {
            label,
            quantity: from_milli(units),
            weight: from_milli(grams),
            amount: Money(amount),
        })
        .collect();
    // Stable sort: equal amounts stay in label order.
    tallies.sort_by_key(|tally| std::cmp::Reverse(tally.amount));
    tallies.truncate(limit);
    tallies
}

/// Sums sales, cost and uncosted sales under a label, largest margin first (then by label).
fn margins_by<T>(
    items: &[T],
    label: impl Fn(&T) -> String,
    margin: impl Fn(&T) -> Margin,
) -> Vec<Margin> {
    let mut sums: BTreeMap<String, Margin> = BTreeMap::new();
    for item in items {
        let part = margin(item);
        let label = label(item);
        let sum = sums.entry(label.clone()).or_insert_with(|| Margin {
            label,
            ..Margin::default()
        });
        sum.sales += part.sales;
        sum.cost += part.cost;
        sum.uncosted += part.uncosted;
    }
    let mut margins: Vec<Margin> = sums.into_values().collect();
    margins.sort_by_key(|margin| std::cmp::Reverse(margin.margin()));
    margins
}

fn product_margin(product: &ProductMoves) -> Margin {
    Margin {
        label: String::new(),
        sales: Money(product.amount),
        cost: product.cost,
        uncosted: product.uncosted,
    }
}

/// The period's gross margin in total, by product, producer, group and day.
fn margins(moves: &[Move], products: &[ProductMoves]) -> Margins {
    let total = margins_by(products, |_| String::new(), product_margin)
        .pop()
        .unwrap_or_default();
    let mut by_day = margins_by(
        moves,
        |line| line.day.to_string(),
        |line| Margin {
            label: String::new(),
            sales: Money(line.amount),
            cost: line.cost,
            uncosted: if line.costed {
                Money::ZERO
            } else {
                Money(line.amount)
            },
        },
    );
    // ISO dates sort as days; then they are written the Vietnamese way.
    by_day.sort_by(|a, b| a.label.cmp(&b.label));
    for margin in &mut by_day {
        if let Ok(day) = parse_day(&margin.label) {
            margin.label = day.format("%d/%m/%Y").to_string();
        }
    }
    Margins {
        total,
        // By SKU too: two makers' products may share a name.
        by_product: margins_by(
            products,
            |p| format!("{} · {}", p.sku, p.name),
            product_margin,
        ),
        by_producer: margins_by(products, |p| p.producer.clone(), product_margin),
        by_group: margins_by(products, |p| p.group.clone(), product_margin),
        by_day,
    }
}

/// Top products on a day: this many, by amount.
const TOP_PRODUCTS: usize = 10;

impl Store {
    /// Everything the daily screen shows for a period of local days.
    pub fn day_summary(&self, period: Period) -> StoreResult<DaySummary> {
        let scope = Scope::Period(period);
        let lines = period_moves(&self.conn, period)?;
        let moves = product_moves(&lines);
        let sales = sales_totals(&self.conn, scope)?;
        let (refunds_count, refunds) = refund_totals(&self.conn, scope)?;
        let mut by_hour = [Money::ZERO; 24];
        // Vietnam keeps UTC+7 all year: the local hour is the UTC hour plus seven.
        let mut stmt = self.conn.prepare_cached(
            "SELECT (CAST(substr(sold_at, 12, 2) AS INTEGER) + 7) % 24, sum(total)
               FROM sales s WHERE s.local_date BETWEEN ?1 AND ?2 GROUP BY 1",
        )?;
        let hours = stmt.query_map(params_from_iter(scope.params()), |row| {
            Ok((row.get::<_, usize>(0)?, row.get::<_, i64>(1)?))
        })?;
        for hour in hours {
            let (hour, total) = hour?;
            by_hour[hour] = Money(total);
        }
        Ok(DaySummary {
            period,
            sales_count: sales.count,
            gross: sales.gross,
            discounts: sales.discounts,
            sales_total: sales.total,
            refunds_count,
            refunds,
            net: sales.total - refunds,
            vat: vat_net_of_refunds(&self.conn, scope)?,
            takings: takings(&self.conn, scope)?,
            by_hour,
            top_products: tally_by(&moves, |p| p.name.clone(), TOP_PRODUCTS),
            by_producer: tally_by(&moves, |p| p.producer.clone(), usize::MAX),
            by_stars: tally_by(
                &moves,
                |p| {
                    p.stars
                        .map_or_else(|| "—".to_string(), |s| stars_text(Some(s)))
                },
                usize::MAX,
            ),
            by_group: tally_by(&moves, |p| p.group.clone(), usize::MAX),
            customer_money: customer_money(&self.conn, scope)?,
            margins: margins(&lines, &moves),
        })
    }

    /// The sales of a period and the refunds paid out in it (total negative, naming the
    /// receipt they give back part of), newest first.
    pub fn sales_in_period(&self, period: Period) -> StoreResult<Vec<SaleHeader>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT * FROM (
                 SELECT receipt_no, sold_at AS at, cashier, total, NULL AS refund_of
                   FROM sales s WHERE s.local_date BETWEEN ?1 AND ?2
                 UNION ALL
                 SELECT r.refund_no, r.refunded_at, r.cashier, -r.total,
                        coalesce(s.receipt_no, f.receipt_no)
                   FROM refunds r LEFT JOIN sales s ON s.id = r.sale_id
                   LEFT JOIN foreign_sales f ON f.id = r.foreign_sale_id
                  WHERE r.local_date BETWEEN ?1 AND ?2)
              ORDER BY at DESC, receipt_no DESC",
        )?;
        let rows = stmt.query_map(params_from_iter(Scope::Period(period).params()), |row| {
            Ok((
                row.get(0)?,
                row.get::<_, String>(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })?;
        rows.map(|row| {
            let (receipt_no, sold_at, cashier, total, refund_of) = row?;
            Ok(SaleHeader {
                receipt_no,
                sold_at: parse_timestamp(&sold_at)?,
                cashier,
                total: Money(total),
                refund_of,
            })
        })
        .collect()
    }

    /// Every sale line of a period, and every refund line paid out in it (numbered `TH…`, its
    /// quantity and amounts negative), in the order they happened, each with the moving-average
    /// cost of its goods: the rows' totals add up to the period's net sales.
    pub fn sale_lines_in_period(&self, period: Period) -> StoreResult<Vec<ExportLine>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT * FROM (
                 SELECT s.receipt_no, s.sold_at AS at, s.cashier, l.sku, l.name, l.producer, l.unit,
                        l.quantity_milli, l.unit_price, l.vat_rate, l.gross,
                        l.line_discount + l.order_discount, l.total, l.sale_id, l.product_id,
                        NULL AS refund_of, l.line_no
                   FROM sale_lines l JOIN sales s ON s.id = l.sale_id
                  WHERE s.local_date BETWEEN ?1 AND ?2
                 UNION ALL
                 SELECT r.refund_no, r.refunded_at, r.cashier, l.sku, l.name, l.producer, l.unit,
                        -rl.quantity_milli, l.unit_price, l.vat_rate, -rl.amount, 0, -rl.amount,
                        l.sale_id, l.product_id, l.receipt_no, rl.line_no
                   FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
                   JOIN refund_sale_lines l ON l.refund_id = rl.refund_id AND l.line_no = rl.line_no
                  WHERE r.local_date BETWEEN ?1 AND ?2)
              ORDER BY at, receipt_no, line_no",
        )?;
        let rows = stmt.query_map(params_from_iter(Scope::Period(period).params()), |row| {
            Ok((
                row.get::<_, String>(1)?,
                (row.get::<_, Option<i64>>(13)?, row.get::<_, i64>(14)?),
                ExportLine {
                    receipt_no: row.get(0)?,
                    sold_at: chrono::DateTime::UNIX_EPOCH,
                    cashier: row.get(2)?,
                    sku: row.get(3)?,
                    name: row.get(4)?,
                    producer: row.get(5)?,
                    unit: row.get(6)?,
                    quantity: from_milli(row.get(7)?),
                    unit_price: Money(row.get(8)?),
                    vat_rate: row.get(9)?,
                    gross: Money(row.get(10)?),
                    discount: Money(row.get(11)?),
                    total: Money(row.get(12)?),
                    cost: Money::ZERO,
                    refund_of: row.get(15)?,
                },
            ))
        })?;
        let rows: Vec<_> = rows.collect::<Result<_, _>>()?;
        let products: BTreeSet<i64> = rows.iter().map(|(_, (_, product), _)| *product).collect();
        let unit_costs = unit_costs_at_sales(&self.conn, &products)?;
        rows.into_iter()
            .map(|(sold_at, sold, mut line)| {
                line.sold_at = parse_timestamp(&sold_at)?;
                // A refund of a sale sold at another counter: no cost known here.
                let (sale, product) = sold;
                let unit_cost = sale.and_then(|sale| unit_costs.get(&(sale, product)).copied());
                line.cost = cost_of(line.quantity, unit_cost.flatten());
                Ok(line)
            })
            .collect()
    }

    /// Producers, for choosing whose statement to print.
    pub fn producers(&self) -> StoreResult<Vec<ProducerRef>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, consignment, commission_pct FROM producers ORDER BY name",
        )?;
        let rows = stmt.query_map([], producer_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What was sold and refunded of a producer's products over a period.
    pub fn producer_statement(
        &self,
        producer_id: i64,
        period: Period,
    ) -> StoreResult<ProducerStatement> {
        let producer = self.conn.query_row(
            "SELECT id, name, consignment, commission_pct FROM producers WHERE id = ?1",
            [producer_id],
            producer_from_row,
        )?;
        let scope = Scope::Period(period);
        let sql = format!(
            "WITH moves AS (
                 SELECT l.product_id, l.quantity_milli AS sold, l.total AS sales, 0 AS returned, 0 AS refunds
                   FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE {sales}
                 UNION ALL
                 SELECT l.product_id, 0, 0, rl.quantity_milli, rl.amount
                   FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
                   JOIN refund_sale_lines l ON l.refund_id = rl.refund_id AND l.line_no = rl.line_no
                  WHERE {refunds})
             SELECT p.sku, p.name, p.unit, sum(m.sold), sum(m.sales), sum(m.returned), sum(m.refunds)
               FROM moves m JOIN products p ON p.id = m.product_id
              WHERE p.producer_id = ?{next}
              GROUP BY p.id ORDER BY p.sku",
            sales = scope.condition("s"),
            refunds = scope.condition("r"),
            next = scope.params().len() + 1,
        );
        let mut params = scope.params();
        params.push(Value::Integer(producer_id));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let lines = stmt
            .query_map(params_from_iter(params), |row| {
                Ok(StatementLine {
                    sku: row.get(0)?,
                    name: row.get(1)?,
                    unit: row.get(2)?,
                    sold: from_milli(row.get(3)?),
                    sales: Money(row.get(4)?),
                    returned: from_milli(row.get(5)?),
                    refunds: Money(row.get(6)?),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(ProducerStatement {
            producer,
            period,
            lines,
            received: received_from(&self.conn, producer_id, period)?,
        })
    }
}

/// The goods a producer delivered over a period (posted receipts), per product, at cost.
fn received_from(
    conn: &Connection,
    producer_id: i64,
    period: Period,
) -> StoreResult<Vec<ReceivedLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.sku, p.name, p.unit, m.quantity_milli, m.unit_cost
           FROM stock_movements m JOIN products p ON p.id = m.product_id
          WHERE m.kind = 'receipt' AND m.producer_id = ?1
            AND m.created_at >= ?2 AND m.created_at < ?3
          ORDER BY p.sku, m.id",
    )?;
    let rows = stmt.query_map(
        params![
            producer_id,
            timestamp(start_of_local_day(period.from)),
            timestamp(start_of_local_day(period.to + chrono::Duration::days(1)))
        ],
        |row| {
            Ok((
                row.get::<_, i64>(0)?,
                [row.get::<_, String>(1)?, row.get(2)?, row.get(3)?],
                row.get::<_, i64>(4)?,
                row.get::<_, Option<i64>>(5)?,
            ))
        },
    )?;
    let mut received: Vec<(i64, ReceivedLine)> = Vec::new();
    for row in rows {
        let (product_id, [sku, name, unit], quantity, unit_cost) = row?;
        let quantity = from_milli(quantity);
        let cost = cost_of(quantity, unit_cost.map(Decimal::from));
        match received.last_mut() {
            Some((last, line)) if *last == product_id => {
                line.quantity += quantity;
                line.cost += cost;
            }
            _ => received.push((
                product_id,
                ReceivedLine {
                    sku,
                    name,
                    unit,
                    quantity,
                    cost,
                },
            )),
        }
    }
    Ok(received.into_iter().map(|(_, line)| line).collect())
}

fn producer_from_row(row: &Row<'_>) -> rusqlite::Result<ProducerRef> {
    let commission: String = row.get(3)?;
    Ok(ProducerRef {
        id: row.get(0)?,
        name: row.get(1)?,
        consignment: row.get(2)?,
        commission_pct: commission.parse::<Decimal>().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e))
        })?,
    })
}
