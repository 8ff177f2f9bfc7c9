//! Receivables (công nợ): the customer of a sale and what it put on account, payments on
//! account and the invoices they settle, aging, balances and statements.

use super::cash::session_for_sale;
use super::chain::seal;
use super::customers::{audit_subject, read_customer, refused};
use super::numbering::next_node_number;
use super::staff::insert_audit;
use super::sync::{new_uid, record_event};
use super::{Store, StoreError, StoreResult, parse_timestamp, timestamp, to_milli};
use crate::core::audit::{Actor, AuditAct};
use crate::core::chain::ChainKind;
use crate::core::clock::{local_date, local_year};
use crate::core::customer::CustomerKind;
use crate::core::money::Money;
use crate::core::order::OrderError;
use crate::core::payment::PaymentMethod;
use crate::core::receivable::{
    AccountStatement, AgingRow, Allocation, CustomerPayment, OpenInvoice, PaymentKind,
    StatementEntry, allocate_as_chosen, allocate_oldest_first,
};
use crate::core::report::Period;
use crate::core::sale::SaleRecord;
use crate::core::staff::AuditChange;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use rust_decimal::Decimal;

/// A delivery's part of its sale's customer record: the order, which delivery of it, who
/// received the goods, and how much of each order line (by line number) it took.
pub(crate) struct DeliveryLink<'a> {
    pub order_id: i64,
    pub delivery_no: i64,
    pub receiver: &'a str,
    pub lines: Vec<(i64, Decimal)>,
}

/// What a customer owes on account now: put on account, less paid against it.
pub(crate) fn owed_on_account(conn: &Connection, customer_id: i64) -> StoreResult<Money> {
    Ok(Money(
        conn.prepare_cached(
            "SELECT coalesce(sum(on_account - paid_on_account), 0) FROM customer_sales
              WHERE customer_id = ?1 AND on_account > paid_on_account",
        )?
        .query_row([customer_id], |row| row.get(0))?,
    ))
}

/// Records the customer of a sale just written in `tx` (and, for a delivery, its order and
/// lines), chained. A sale put on account needs a company customer, and the company may owe no
/// more than its credit limit unless `credit_approver` (a manager) allowed it — audited. A
/// deposit pays a sale only as a delivery of its order.
pub(crate) fn link_customer_sale(
    tx: &Connection,
    sale: &SaleRecord,
    customer: Option<i64>,
    delivery: Option<&DeliveryLink<'_>>,
    credit_approver: Option<&str>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let paid_by = |method: PaymentMethod| -> Money {
        sale.draft
            .tenders
            .iter()
            .filter(|t| t.method == method)
            .map(|t| t.amount)
            .sum()
    };
    let on_account = paid_by(PaymentMethod::OnAccount);
    if paid_by(PaymentMethod::Deposit) > Money::ZERO && delivery.is_none() {
        return Err(refused(OrderError::DepositNeedsOrder));
    }
    let Some(customer_id) = customer else {
        if on_account > Money::ZERO {
            return Err(refused(OrderError::OnAccountCompaniesOnly));
        }
        return Ok(());
    };
    let customer = read_customer(tx, customer_id)?;
    let due_on = if on_account > Money::ZERO {
        if customer.kind != CustomerKind::Company {
            return Err(refused(OrderError::OnAccountCompaniesOnly));
        }
        let owed = owed_on_account(tx, customer_id)?;
        if owed + on_account > customer.terms.limit {
            let Some(approver) = credit_approver else {
                return Err(refused(OrderError::OverCreditLimit {
                    limit: customer.terms.limit,
                    owed,
                    asked: on_account,
                }));
            };
            insert_audit(
                tx,
                Actor {
                    name: &sale.draft.cashier,
                    approver: Some(approver),
                },
                AuditAct::OverCreditLimit,
                &AuditChange {
                    subject: &format!("{} {}", audit_subject(&customer), sale.receipt_no),
                    before: &format!("{owed} / {}", customer.terms.limit),
                    after: &(owed + on_account).to_string(),
                },
                at,
            )?;
        }
        Some(local_date(at) + Duration::days(customer.terms.days.into()))
    } else {
        None
    };
    tx.prepare_cached(
        "INSERT INTO customer_sales (sale_id, customer_id, order_id, delivery_no, receiver,
                                     on_account, due_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        sale.id,
        customer_id,
        delivery.map(|d| d.order_id),
        delivery.map(|d| d.delivery_no),
        delivery.map_or("", |d| d.receiver.trim()),
        on_account.dong(),
        due_on.map(|day| day.to_string()),
    ])?;
    let link_id = tx.last_insert_rowid();
    for (line_no, quantity) in delivery.map_or(&[][..], |d| &d.lines) {
        tx.prepare_cached(
            "INSERT INTO delivery_lines (customer_sale_id, line_no, quantity_milli)
             VALUES (?1, ?2, ?3)",
        )?
        .execute(params![link_id, line_no, to_milli(*quantity)])?;
    }
    seal(tx, ChainKind::CustomerSale, link_id)
}

/// Writes a deposit, a deposit paid back or a payment on account (with its allocations) in
/// the caller's transaction, numbered in its own yearly series and chained; its cash goes into
/// the open cash session.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_customer_payment(
    tx: &Connection,
    kind: PaymentKind,
    customer_id: i64,
    order_id: Option<i64>,
    method: PaymentMethod,
    amount: Money,
    reference: &str,
    by: Actor<'_>,
    allocations: &[(i64, Money)],
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    if !method.is_money() {
        return Err(refused(OrderError::NotMoney));
    }
    if amount <= Money::ZERO || !amount.is_within_limit() {
        return Err(refused(OrderError::AmountNotPositive));
    }
    let year = local_year(at);
    let (_, number) = next_node_number(tx, kind.code(), year)?;
    let session = session_for_sale(tx, by.name, at)?;
    tx.prepare_cached(
        "INSERT INTO customer_payments (number, kind, customer_id, order_id, paid_at, local_date,
                                        cashier, approver, method, amount, reference, session_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        number,
        kind.code(),
        customer_id,
        order_id,
        timestamp(at),
        local_date(at).to_string(),
        by.name,
        by.approver,
        method.code(),
        amount.dong(),
        reference.trim(),
        session,
    ])?;
    let id = tx.last_insert_rowid();
    for (sale_id, part) in allocations {
        tx.prepare_cached(
            "INSERT INTO payment_allocations (payment_id, sale_id, amount) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, sale_id, part.dong()])?;
    }
    seal(tx, ChainKind::CustomerPayment, id)?;
    let doc = serde_json::json!({"uid": new_uid(), "number": number, "kind": kind.code(),
                                 "amount": amount.dong(), "method": method.code()});
    record_event(tx, "customer_payment", doc, at)?;
    Ok(id)
}

pub(crate) fn read_customer_payment(conn: &Connection, id: i64) -> StoreResult<CustomerPayment> {
    let row = conn
        .prepare_cached(
            "SELECT p.number, p.kind, p.customer_id, o.number, p.paid_at, p.cashier, p.approver,
                    p.method, p.amount, p.reference
               FROM customer_payments p LEFT JOIN orders o ON o.id = p.order_id
              WHERE p.id = ?1",
        )?
        .query_row([id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, Option<String>>(6)?,
                row.get::<_, String>(7)?,
                row.get::<_, i64>(8)?,
                row.get::<_, String>(9)?,
            ))
        })?;
    let (number, kind, customer_id, order_number, at, cashier, approver, method, amount, reference) =
        row;
    let mut stmt = conn.prepare_cached(
        "SELECT s.receipt_no,
                (SELECT e.template || e.series || '-' || printf('%08d', e.number) FROM einvoices e
                  WHERE e.sale_id = s.id AND e.kind = 'original'),
                a.amount
           FROM payment_allocations a JOIN sales s ON s.id = a.sale_id
          WHERE a.payment_id = ?1 ORDER BY s.id",
    )?;
    let allocations = stmt
        .query_map([id], |row| {
            Ok(Allocation {
                receipt_no: row.get(0)?,
                invoice: row.get(1)?,
                amount: Money(row.get(2)?),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(CustomerPayment {
        id,
        number,
        kind: PaymentKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("payment kind {kind:?}")))?,
        customer: read_customer(conn, customer_id)?,
        order_number,
        at: parse_timestamp(&at)?,
        cashier,
        approver,
        method: PaymentMethod::from_code(&method)
            .ok_or_else(|| StoreError::Corrupt(format!("payment method {method:?}")))?,
        amount: Money(amount),
        reference,
        allocations,
    })
}

/// The invoice reference of a sale's original e-invoice, as SQL over a sale aliased `s`.
const INVOICE_OF_SALE: &str = "(SELECT e.template || e.series || '-' || printf('%08d', e.number)
                                  FROM einvoices e WHERE e.sale_id = s.id AND e.kind = 'original')";

/// The open invoices of a customer as they stood at the end of `day` (None: now), oldest
/// first: what was put on account, less what payments made by then set against it.
fn open_invoices(
    conn: &Connection,
    customer_id: i64,
    day: Option<NaiveDate>,
) -> StoreResult<Vec<OpenInvoice>> {
    let day = day.map_or_else(|| "9999-12-31".to_string(), |d| d.to_string());
    let sql = format!(
        "SELECT * FROM (
             SELECT s.id, s.receipt_no, {INVOICE_OF_SALE}, s.local_date, cs.due_on, s.total,
                    cs.on_account - coalesce((SELECT sum(a.amount) FROM payment_allocations a
                                                JOIN customer_payments p ON p.id = a.payment_id
                                               WHERE a.sale_id = s.id AND p.local_date <= ?2), 0)
                      AS open
               FROM customer_sales cs JOIN sales s ON s.id = cs.sale_id
              WHERE cs.customer_id = ?1 AND cs.on_account > 0 AND s.local_date <= ?2)
          WHERE open > 0 ORDER BY id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![customer_id, day], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, i64>(5)?,
            row.get::<_, i64>(6)?,
        ))
    })?;
    rows.map(|row| {
        let (sale_id, receipt_no, invoice, sold_on, due_on, total, open) = row?;
        let date = |text: &str| {
            text.parse::<NaiveDate>()
                .map_err(|e| StoreError::Corrupt(format!("day {text:?}: {e}")))
        };
        Ok(OpenInvoice {
            sale_id,
            receipt_no,
            invoice,
            sold_on: date(&sold_on)?,
            due_on: date(&due_on)?,
            total: Money(total),
            open: Money(open),
        })
    })
    .collect()
}

/// Deposits a customer paid on its orders and not yet applied or paid back, at the end of
/// `day` (None: now).
fn unused_deposits(
    conn: &Connection,
    customer_id: i64,
    day: Option<NaiveDate>,
) -> StoreResult<Money> {
    let day = day.map_or_else(|| "9999-12-31".to_string(), |d| d.to_string());
    Ok(Money(
        conn.prepare_cached(
            "SELECT coalesce((SELECT sum(CASE kind WHEN 'deposit' THEN amount ELSE -amount END)
                                FROM customer_payments
                               WHERE customer_id = ?1 AND kind <> 'account' AND local_date <= ?2), 0)
                  - coalesce((SELECT sum(p.amount) FROM payments p
                                JOIN customer_sales cs ON cs.sale_id = p.sale_id
                                JOIN sales s ON s.id = p.sale_id
                               WHERE cs.customer_id = ?1 AND p.method = 'deposit'
                                 AND s.local_date <= ?2), 0)",
        )?
        .query_row(params![customer_id, day], |row| row.get(0))?,
    ))
}

/// A customer's balance before `day`: what its invoices came to less what it paid, and less
/// its deposits (a deposit paid back counts against them).
fn balance_before(conn: &Connection, customer_id: i64, day: NaiveDate) -> StoreResult<Money> {
    Ok(Money(
        conn.prepare_cached(
            "SELECT coalesce((SELECT sum(s.total - s.change_given
                                          - (SELECT coalesce(sum(p.amount), 0) FROM payments p
                                              WHERE p.sale_id = s.id
                                                AND p.method IN ('cash', 'transfer', 'card')))
                                FROM customer_sales cs JOIN sales s ON s.id = cs.sale_id
                               WHERE cs.customer_id = ?1 AND s.local_date < ?2), 0)
                  - coalesce((SELECT sum(CASE kind WHEN 'deposit_refund' THEN -amount ELSE amount END)
                                FROM customer_payments
                               WHERE customer_id = ?1 AND local_date < ?2), 0)",
        )?
        .query_row(params![customer_id, day.to_string()], |row| row.get(0))?,
    ))
}

/// A customer's balance: what it owes on account less its unused deposits. Positive: the
/// customer owes the shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerBalance {
    pub owed_on_account: Money,
    pub unused_deposits: Money,
}

impl CustomerBalance {
    pub fn balance(&self) -> Money {
        self.owed_on_account - self.unused_deposits
    }
}

impl Store {
    /// What `customer_id` owes on account and holds in deposits, now.
    pub fn customer_balance(&self, customer_id: i64) -> StoreResult<CustomerBalance> {
        Ok(CustomerBalance {
            owed_on_account: owed_on_account(&self.conn, customer_id)?,
            unused_deposits: unused_deposits(&self.conn, customer_id, None)?,
        })
    }

    /// A customer's invoices with something open on account, oldest first.
    pub fn open_invoices(&self, customer_id: i64) -> StoreResult<Vec<OpenInvoice>> {
        open_invoices(&self.conn, customer_id, None)
    }

    /// What a customer bought from the shop on `day`, every sale added up (the ≥ 5,000,000 đ
    /// rule counts a company's purchases of one day together).
    pub fn day_purchases(&self, customer_id: i64, day: NaiveDate) -> StoreResult<Money> {
        Ok(Money(
            self.conn
                .prepare_cached(
                    "SELECT coalesce(sum(s.total), 0) FROM customer_sales cs
                       JOIN sales s ON s.id = cs.sale_id
                      WHERE cs.customer_id = ?1 AND s.local_date = ?2",
                )?
                .query_row(params![customer_id, day.to_string()], |row| row.get(0))?,
        ))
    }

    /// A payment on account: `amount` received by `method`, set against the customer's open
    /// invoices oldest first, or as `chosen` (receipt or invoice number, amount). Refused
    /// beyond what is open. One transaction with its numbered slip (`PT2026-000001`).
    #[allow(clippy::too_many_arguments)]
    pub fn receive_account_payment(
        &mut self,
        customer_id: i64,
        method: PaymentMethod,
        amount: Money,
        reference: &str,
        chosen: Option<&[(String, Money)]>,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<CustomerPayment> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let open = open_invoices(&tx, customer_id, None)?;
        let parts = match chosen {
            None => allocate_oldest_first(&open, amount),
            Some(chosen) => allocate_as_chosen(&open, chosen, amount),
        }
        .map_err(refused)?;
        let id = insert_customer_payment(
            &tx,
            PaymentKind::Account,
            customer_id,
            None,
            method,
            amount,
            reference,
            Actor::from(by),
            &parts,
            at,
        )?;
        let payment = read_customer_payment(&tx, id)?;
        tx.commit()?;
        Ok(payment)
    }

    /// A deposit, a deposit paid back or a payment on account by its number.
    pub fn customer_payment(&self, number: &str) -> StoreResult<Option<CustomerPayment>> {
        let id: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM customer_payments WHERE number = ?1")?
            .query_row([number.trim()], |row| row.get(0))
            .optional()?;
        id.map(|id| read_customer_payment(&self.conn, id))
            .transpose()
    }

    /// Every company that owes something on account, by name, with what it owes by age on
    /// `today` (from each invoice's due day) and its terms.
    pub fn aging(&self, today: NaiveDate) -> StoreResult<Vec<AgingRow>> {
        let day = |days: i64| (today - Duration::days(days)).to_string();
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.customer_id, b.name, b.tax_code, c.credit_limit, c.payment_term_days,
                    a.current, a.d30, a.d60, a.older
               FROM (SELECT customer_id,
                            sum(CASE WHEN due_on >= ?1 THEN on_account - paid_on_account ELSE 0 END) AS current,
                            sum(CASE WHEN due_on < ?1 AND due_on >= ?2 THEN on_account - paid_on_account ELSE 0 END) AS d30,
                            sum(CASE WHEN due_on < ?2 AND due_on >= ?3 THEN on_account - paid_on_account ELSE 0 END) AS d60,
                            sum(CASE WHEN due_on < ?3 THEN on_account - paid_on_account ELSE 0 END) AS older
                       FROM customer_sales WHERE on_account > paid_on_account
                      GROUP BY customer_id) a
               JOIN customers c ON c.id = a.customer_id
               JOIN buyers b ON b.id = c.buyer_id
              ORDER BY b.name, a.customer_id",
        )?;
        let rows = stmt.query_map(params![today.to_string(), day(30), day(60)], |row| {
            Ok(AgingRow {
                customer_id: row.get(0)?,
                name: row.get(1)?,
                tax_code: row.get(2)?,
                limit: Money(row.get(3)?),
                days: row.get(4)?,
                buckets: [
                    Money(row.get(5)?),
                    Money(row.get(6)?),
                    Money(row.get(7)?),
                    Money(row.get(8)?),
                ],
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A customer's statement for a period: the balance before it, each invoice (with what was
    /// paid at the counter), deposit, deposit paid back and payment on account in it, in time
    /// order, and what was open at its end.
    pub fn account_statement(
        &self,
        customer_id: i64,
        period: Period,
    ) -> StoreResult<AccountStatement> {
        let customer = read_customer(&self.conn, customer_id)?;
        let opening = balance_before(&self.conn, customer_id, period.from)?;
        let mut entries = Vec::new();
        let sql = format!(
            "SELECT s.sold_at, s.receipt_no, {INVOICE_OF_SALE}, o.number, cs.delivery_no, s.total,
                    s.total - s.change_given - (SELECT coalesce(sum(p.amount), 0) FROM payments p
                                                 WHERE p.sale_id = s.id
                                                   AND p.method IN ('cash', 'transfer', 'card')),
                    (SELECT coalesce(sum(p.amount), 0) FROM payments p
                      WHERE p.sale_id = s.id AND p.method = 'deposit'),
                    cs.on_account
               FROM customer_sales cs JOIN sales s ON s.id = cs.sale_id
               LEFT JOIN orders o ON o.id = cs.order_id
              WHERE cs.customer_id = ?1 AND s.local_date BETWEEN ?2 AND ?3 ORDER BY s.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let sales = stmt.query_map(
            params![customer_id, period.from.to_string(), period.to.to_string()],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<i64>>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, i64>(6)?,
                    row.get::<_, i64>(7)?,
                    row.get::<_, i64>(8)?,
                ))
            },
        )?;
        for sale in sales {
            let (at, receipt_no, invoice, order, delivery_no, total, unpaid, deposit, on_account) =
                sale?;
            let mut description = match (order, delivery_no) {
                (Some(order), Some(n)) => format!("Giao hàng {order}/{n}, HĐ {receipt_no}"),
                _ => format!("Mua hàng, HĐ {receipt_no}"),
            };
            if deposit > 0 {
                description.push_str(&format!("; trừ cọc {}", Money(deposit)));
            }
            if on_account > 0 {
                description.push_str(&format!("; ghi nợ {}", Money(on_account)));
            }
            entries.push(StatementEntry {
                at: parse_timestamp(&at)?,
                document: invoice.unwrap_or(receipt_no),
                description,
                debit: Money(total),
                // What was paid at the counter; a deposit applied was credited when it was paid.
                credit: Money(total - unpaid),
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id FROM customer_payments p
              WHERE p.customer_id = ?1 AND p.local_date BETWEEN ?2 AND ?3 ORDER BY p.id",
        )?;
        let payments: Vec<i64> = stmt
            .query_map(
                params![customer_id, period.from.to_string(), period.to.to_string()],
                |row| row.get(0),
            )?
            .collect::<Result<_, _>>()?;
        for id in payments {
            let payment = read_customer_payment(&self.conn, id)?;
            let order = payment.order_number.clone().unwrap_or_default();
            let (description, debit, credit) = match payment.kind {
                PaymentKind::Deposit => {
                    (format!("Đặt cọc đơn {order}"), Money::ZERO, payment.amount)
                }
                PaymentKind::DepositRefund => (
                    format!("Trả lại tiền cọc đơn {order}"),
                    payment.amount,
                    Money::ZERO,
                ),
                PaymentKind::Account => {
                    let settled: Vec<String> = payment
                        .allocations
                        .iter()
                        .map(|a| a.invoice.clone().unwrap_or_else(|| a.receipt_no.clone()))
                        .collect();
                    (
                        format!("Thanh toán công nợ: {}", settled.join(", ")),
                        Money::ZERO,
                        payment.amount,
                    )
                }
            };
            entries.push(StatementEntry {
                at: payment.at,
                document: payment.number,
                description,
                debit,
                credit,
            });
        }
        entries.sort_by_key(|entry| entry.at);
        Ok(AccountStatement {
            open: open_invoices(&self.conn, customer_id, Some(period.to))?,
            unused_deposits: unused_deposits(&self.conn, customer_id, Some(period.to))?,
            customer,
            period,
            opening,
            entries,
        })
    }
}
