//! Figures over sales and refunds: the daily summary, session figures, producer statements.

use super::{Store, StoreResult, from_milli, parse_timestamp, read_vat_buckets};
use crate::core::catalog::stars_text;
use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use crate::core::report::{
    CustomerMoney, DaySummary, ExportLine, Period, ProducerRef, ProducerStatement, SaleHeader,
    StatementLine, Tally,
};
use crate::core::vat::{VatBucket, net_of_refunds};
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params_from_iter};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

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
/// breakdowns group by (name, producer and stars as they were sold).
struct ProductMoves {
    name: String,
    producer: String,
    stars: Option<u8>,
    group: String,
    quantity_milli: i64,
    amount: i64,
}

/// One pass over the period's lines and refunds, summed per product; the breakdowns by
/// product, producer, stars and group are then added up from these few rows.
fn product_moves(conn: &Connection, period: Period) -> StoreResult<Vec<ProductMoves>> {
    let scope = Scope::Period(period);
    let sql = format!(
        "WITH moves AS (
             SELECT l.sale_id, l.line_no, l.quantity_milli AS q, l.total AS amount
               FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE {sales}
             UNION ALL
             SELECT r.sale_id, rl.line_no, -rl.quantity_milli, -rl.amount
               FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id WHERE {refunds})
         SELECT l.name, l.producer, l.stars, p.ocop_group, sum(m.q), sum(m.amount)
           FROM moves m
           JOIN sale_lines l ON l.sale_id = m.sale_id AND l.line_no = m.line_no
           JOIN products p ON p.id = l.product_id
          GROUP BY l.product_id, l.name, l.producer, l.stars",
        sales = scope.condition("s"),
        refunds = scope.condition("r"),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(scope.params()), |row: &Row<'_>| {
        Ok(ProductMoves {
            name: row.get(0)?,
            producer: row.get(1)?,
            stars: row.get(2)?,
            group: row.get(3)?,
            quantity_milli: row.get(4)?,
            amount: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sums the moves under a label, largest amount first (then by label), at most `limit`.
fn tally_by(
    moves: &[ProductMoves],
    label: impl Fn(&ProductMoves) -> String,
    limit: usize,
) -> Vec<Tally> {
    let mut sums: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for product in moves {
        let sum = sums.entry(label(product)).or_default();
        sum.0 += product.quantity_milli;
        sum.1 += product.amount;
    }
    let mut tallies: Vec<Tally> = sums
        .into_iter()
        .map(|(label, (quantity, amount))| Tally {
            label,
            quantity: from_milli(quantity),
            amount: Money(amount),
        })
        .collect();
    // Stable sort: equal amounts stay in label order.
    tallies.sort_by_key(|tally| std::cmp::Reverse(tally.amount));
    tallies.truncate(limit);
    tallies
}

/// Top products on a day: this many, by amount.
const TOP_PRODUCTS: usize = 10;

impl Store {
    /// Everything the daily screen shows for a period of local days.
    pub fn day_summary(&self, period: Period) -> StoreResult<DaySummary> {
        let scope = Scope::Period(period);
        let moves = product_moves(&self.conn, period)?;
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
        })
    }

    /// The sales of a period, newest first.
    pub fn sales_in_period(&self, period: Period) -> StoreResult<Vec<SaleHeader>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT receipt_no, sold_at, cashier, total FROM sales s
              WHERE s.local_date BETWEEN ?1 AND ?2 ORDER BY s.id DESC",
        )?;
        let rows = stmt.query_map(params_from_iter(Scope::Period(period).params()), |row| {
            Ok((
                row.get(0)?,
                row.get::<_, String>(1)?,
                row.get(2)?,
                row.get(3)?,
            ))
        })?;
        rows.map(|row| {
            let (receipt_no, sold_at, cashier, total) = row?;
            Ok(SaleHeader {
                receipt_no,
                sold_at: parse_timestamp(&sold_at)?,
                cashier,
                total: Money(total),
            })
        })
        .collect()
    }

    /// Every sale line of a period, in receipt order, for the CSV export.
    pub fn sale_lines_in_period(&self, period: Period) -> StoreResult<Vec<ExportLine>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.receipt_no, s.sold_at, s.cashier, l.sku, l.name, l.producer, l.unit,
                    l.quantity_milli, l.unit_price, l.vat_rate, l.gross,
                    l.line_discount + l.order_discount, l.total
               FROM sale_lines l JOIN sales s ON s.id = l.sale_id
              WHERE s.local_date BETWEEN ?1 AND ?2 ORDER BY s.id, l.line_no",
        )?;
        let rows = stmt.query_map(params_from_iter(Scope::Period(period).params()), |row| {
            Ok((
                row.get::<_, String>(1)?,
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
                },
            ))
        })?;
        rows.map(|row| {
            let (sold_at, mut line) = row?;
            line.sold_at = parse_timestamp(&sold_at)?;
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
                   JOIN sale_lines l ON l.sale_id = r.sale_id AND l.line_no = rl.line_no
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
        })
    }
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
