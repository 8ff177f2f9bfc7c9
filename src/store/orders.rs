//! Orders: taking one, its deposits, delivering it (each delivery a sale with its own invoice),
//! cancelling it, the stock its open lines reserve, and the day's packing list.

use super::catalog::product_at;
use super::chain::first_unacknowledged_break;
use super::customers::{read_customer, refused};
use super::numbering::next_node_number;
use super::receivables::{
    DeliveryLink, insert_customer_payment, link_customer_sale, read_customer_payment,
};
use super::sales::{LeftOut, insert_sale};
use super::staff::insert_audit;
use super::{Store, StoreError, StoreResult, from_milli, parse_timestamp, timestamp, to_milli};
use crate::core::audit::{Actor, AuditAct};
use crate::core::catalog::Product;
use crate::core::clock::{local_date, local_year};
use crate::core::customer::CustomerError;
use crate::core::money::Money;
use crate::core::order::{
    Content, DeliveredLine, Delivery, DeliveryRef, LineKind, Order, OrderDraft, OrderError,
    OrderLine, OrderStatus, PackingList, delivery_tenders,
};
use crate::core::payment::PaymentMethod;
use crate::core::receivable::{CustomerPayment, PaymentKind};
use crate::core::sale::SaleDraft;
use crate::core::staff::AuditChange;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The counter series of orders (`DH2026-000001`).
pub(crate) const ORDER_SERIES: &str = "order";

/// Which orders to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// Only orders still open.
    pub open_only: bool,
    /// Only orders with something left to deliver due on or before this day.
    pub due_by: Option<NaiveDate>,
    pub customer_id: Option<i64>,
}

fn parse_day(text: &str) -> StoreResult<NaiveDate> {
    text.parse()
        .map_err(|e| StoreError::Corrupt(format!("day {text:?}: {e}")))
}

fn read_lines(conn: &Connection, order_id: i64) -> StoreResult<Vec<OrderLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.line_no, l.kind, l.pack_id, l.sku, l.name, l.unit, l.sold_by_weight,
                l.quantity_milli, l.unit_price, l.due_on, l.card_message,
                coalesce((SELECT sum(d.quantity_milli) FROM delivery_lines d
                            JOIN customer_sales cs ON cs.id = d.customer_sale_id
                           WHERE cs.order_id = l.order_id AND d.line_no = l.line_no), 0)
           FROM order_lines l WHERE l.order_id = ?1 ORDER BY l.line_no",
    )?;
    let rows = stmt
        .query_map([order_id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<i64>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, bool>(6)?,
                row.get::<_, i64>(7)?,
                row.get::<_, i64>(8)?,
                row.get::<_, String>(9)?,
                row.get::<_, String>(10)?,
                row.get::<_, i64>(11)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut contents = conn.prepare_cached(
        "SELECT product_id, sku, name, unit, quantity_milli FROM order_line_contents
          WHERE order_id = ?1 AND line_no = ?2 ORDER BY position",
    )?;
    rows.into_iter()
        .map(|row| {
            let (
                line_no,
                kind,
                pack_id,
                sku,
                name,
                unit,
                weighed,
                quantity,
                price,
                due,
                card,
                delivered,
            ) = row;
            let contents = contents
                .query_map(params![order_id, line_no], |row| {
                    Ok(Content {
                        product_id: row.get(0)?,
                        sku: row.get(1)?,
                        name: row.get(2)?,
                        unit: row.get(3)?,
                        quantity: from_milli(row.get(4)?),
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(OrderLine {
                kind: if kind == "basket" {
                    LineKind::Basket
                } else {
                    LineKind::Product
                },
                pack_id,
                sku,
                name,
                unit,
                sold_by_weight: weighed,
                quantity: from_milli(quantity),
                unit_price: Money(price),
                due_on: parse_day(&due)?,
                card_message: card,
                contents,
                delivered: from_milli(delivered),
            })
        })
        .collect()
}

pub(crate) fn read_order(conn: &Connection, order_id: i64) -> StoreResult<Order> {
    let row = conn
        .prepare_cached(
            "SELECT number, customer_id, created_at, created_by, delivery_address, contact, notes,
                    deposit_asked, status, closed_at, cancel_reason
               FROM orders WHERE id = ?1",
        )?
        .query_row([order_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, i64>(7)?,
                row.get::<_, String>(8)?,
                row.get::<_, Option<String>>(9)?,
                row.get::<_, String>(10)?,
            ))
        })
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let (
        number,
        customer_id,
        created_at,
        created_by,
        address,
        contact,
        notes,
        asked,
        status,
        closed,
        reason,
    ) = row;
    let money: (i64, i64, i64) = conn
        .prepare_cached(
            "SELECT coalesce((SELECT sum(amount) FROM customer_payments
                               WHERE order_id = ?1 AND kind = 'deposit'), 0),
                    coalesce((SELECT sum(amount) FROM customer_payments
                               WHERE order_id = ?1 AND kind = 'deposit_refund'), 0),
                    coalesce((SELECT sum(p.amount) FROM payments p
                                JOIN customer_sales cs ON cs.sale_id = p.sale_id
                               WHERE cs.order_id = ?1 AND p.method = 'deposit'), 0)",
        )?
        .query_row([order_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT cs.delivery_no, s.receipt_no,
                (SELECT e.template || e.series || '-' || printf('%08d', e.number) FROM einvoices e
                  WHERE e.sale_id = s.id AND e.kind = 'original'),
                s.sold_at, s.total, cs.receiver
           FROM customer_sales cs JOIN sales s ON s.id = cs.sale_id
          WHERE cs.order_id = ?1 ORDER BY cs.delivery_no",
    )?;
    let deliveries = stmt
        .query_map([order_id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?
        .map(|row| {
            let (delivery_no, receipt_no, invoice, at, total, receiver) = row?;
            Ok(DeliveryRef {
                delivery_no,
                receipt_no,
                invoice,
                at: parse_timestamp(&at)?,
                total: Money(total),
                receiver,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Order {
        id: order_id,
        number,
        customer: read_customer(conn, customer_id)?,
        created_at: parse_timestamp(&created_at)?,
        created_by,
        delivery_address: address,
        contact,
        notes,
        deposit_asked: Money(asked),
        status: OrderStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("order status {status:?}")))?,
        closed_at: closed.as_deref().map(parse_timestamp).transpose()?,
        cancel_reason: reason,
        lines: read_lines(conn, order_id)?,
        deposits_received: Money(money.0),
        deposits_refunded: Money(money.1),
        deposits_applied: Money(money.2),
        deliveries,
    })
}

fn order_id(conn: &Connection, number: &str) -> StoreResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM orders WHERE number = ?1")?
        .query_row([number.trim()], |row| row.get(0))
        .optional()?)
}

fn open_order(conn: &Connection, order_id: i64) -> StoreResult<Order> {
    let order = read_order(conn, order_id)?;
    if !order.is_open() {
        return Err(refused(OrderError::NotOpen(order.status)));
    }
    Ok(order)
}

/// Stock reserved by open orders: per product, what their lines still to deliver take.
const RESERVED: &str = "
    SELECT c.product_id, sum(c.quantity_milli * (l.quantity_milli - coalesce(d.delivered, 0)))
      FROM orders o
      JOIN order_lines l ON l.order_id = o.id
      JOIN order_line_contents c ON c.order_id = l.order_id AND c.line_no = l.line_no
      LEFT JOIN (SELECT cs.order_id, dl.line_no, sum(dl.quantity_milli) AS delivered
                   FROM delivery_lines dl JOIN customer_sales cs ON cs.id = dl.customer_sale_id
                  WHERE cs.order_id IN (SELECT id FROM orders WHERE status = 'open')
                  GROUP BY cs.order_id, dl.line_no) d
        ON d.order_id = l.order_id AND d.line_no = l.line_no
     WHERE o.status = 'open'";

/// Thousandths times thousandths, as an exact quantity.
fn from_micro(product: i64) -> Decimal {
    Decimal::new(product, 6).normalize()
}

impl Store {
    /// Takes an order (`DH2026-000001`): its lines as agreed, each with what one unit holds,
    /// in one transaction. Its stock is reserved from then on.
    pub fn create_order(
        &mut self,
        draft: &OrderDraft,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Order> {
        draft.check(local_date(at)).map_err(refused)?;
        let tx = self.conn.transaction()?;
        let customer = read_customer(&tx, draft.customer_id)?;
        if customer.erased {
            return Err(refused(CustomerError::Erased));
        }
        let year = local_year(at);
        let (_, number) = next_node_number(&tx, ORDER_SERIES, year)?;
        tx.execute(
            "INSERT INTO orders (number, customer_id, created_at, created_by, delivery_address,
                                 contact, notes, deposit_asked)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                number,
                draft.customer_id,
                timestamp(at),
                by,
                draft.delivery_address.trim(),
                draft.contact.trim(),
                draft.notes.trim(),
                draft.deposit_asked.dong(),
            ],
        )?;
        let order_id = tx.last_insert_rowid();
        let doc = serde_json::json!({
            "uid": super::sync::uid_of(&tx, "orders", order_id)?, "number": number,
            "customer": super::sync::uid_of(&tx, "customers", draft.customer_id)?,
            "deposit_asked": draft.deposit_asked.dong(),
        });
        super::sync::record_event(&tx, "order", doc, at)?;
        for (index, line) in draft.lines.iter().enumerate() {
            let line_no = index as i64 + 1;
            tx.prepare_cached(
                "INSERT INTO order_lines (order_id, line_no, kind, pack_id, sku, name, unit,
                                          sold_by_weight, quantity_milli, unit_price, due_on,
                                          card_message)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                order_id,
                line_no,
                match line.kind {
                    LineKind::Product => "product",
                    LineKind::Basket => "basket",
                },
                line.pack_id,
                line.sku,
                line.name,
                line.unit,
                line.sold_by_weight,
                to_milli(line.quantity),
                line.unit_price.dong(),
                line.due_on.to_string(),
                line.card_message.trim(),
            ])?;
            for (position, content) in line.contents.iter().enumerate() {
                tx.prepare_cached(
                    "INSERT INTO order_line_contents (order_id, line_no, position, product_id,
                                                      sku, name, unit, quantity_milli)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    order_id,
                    line_no,
                    position as i64,
                    content.product_id,
                    content.sku,
                    content.name,
                    content.unit,
                    to_milli(content.quantity),
                ])?;
            }
        }
        let order = read_order(&tx, order_id)?;
        tx.commit()?;
        Ok(order)
    }

    pub fn order(&self, number: &str) -> StoreResult<Option<Order>> {
        order_id(&self.conn, number)?
            .map(|id| read_order(&self.conn, id))
            .transpose()
    }

    pub fn order_by_id(&self, id: i64) -> StoreResult<Order> {
        read_order(&self.conn, id)
    }

    /// Orders by the day their next line is due (finished ones last, newest first).
    pub fn orders(&self, filter: OrderFilter) -> StoreResult<Vec<Order>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT o.id FROM orders o
              WHERE (?1 = 0 OR o.status = 'open')
                AND (?2 IS NULL OR o.customer_id = ?2)
                AND (?3 IS NULL OR EXISTS (SELECT 1 FROM order_lines l
                                            WHERE l.order_id = o.id AND l.due_on <= ?3))
              ORDER BY o.id",
        )?;
        let ids: Vec<i64> = stmt
            .query_map(
                params![
                    filter.open_only,
                    filter.customer_id,
                    filter.due_by.map(|d| d.to_string())
                ],
                |row| row.get(0),
            )?
            .collect::<Result<_, _>>()?;
        let mut orders = ids
            .into_iter()
            .map(|id| read_order(&self.conn, id))
            .collect::<StoreResult<Vec<_>>>()?;
        if let Some(day) = filter.due_by {
            orders.retain(|o| {
                o.lines
                    .iter()
                    .any(|l| l.due_on <= day && (l.left() > Decimal::ZERO || !o.is_open()))
            });
        }
        orders.sort_by(|a, b| {
            (!a.is_open(), a.next_due(), &a.number).cmp(&(!b.is_open(), b.next_due(), &b.number))
        });
        Ok(orders)
    }

    /// A deposit on an open order (`DC2026-000001`): no more than what is still to deliver
    /// less the deposit already held.
    pub fn take_deposit(
        &mut self,
        order_id: i64,
        method: PaymentMethod,
        amount: Money,
        reference: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<CustomerPayment> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let order = open_order(&tx, order_id)?;
        if amount > order.deposit_room() {
            return Err(refused(OrderError::DepositAboveLeft(order.deposit_room())));
        }
        let id = insert_customer_payment(
            &tx,
            PaymentKind::Deposit,
            order.customer.id,
            Some(order_id),
            method,
            amount,
            reference,
            Actor::from(by),
            &[],
            at,
        )?;
        let payment = read_customer_payment(&tx, id)?;
        tx.commit()?;
        Ok(payment)
    }

    /// Cancels an open order (a manager's act, audited): what was not delivered is released,
    /// what was delivered stays sold, and the unused deposit is paid back by `refund_method`
    /// (`PC2026-000001`), in one transaction.
    pub fn cancel_order<'a>(
        &mut self,
        order_id: i64,
        reason: &str,
        refund_method: PaymentMethod,
        by: impl Into<Actor<'a>>,
        at: DateTime<Utc>,
    ) -> StoreResult<(Order, Option<CustomerPayment>)> {
        let by = by.into();
        if reason.trim().is_empty() {
            return Err(refused(OrderError::ReasonRequired));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let order = open_order(&tx, order_id)?;
        let unused = order.unused_deposit();
        let refund = if unused > Money::ZERO {
            Some(insert_customer_payment(
                &tx,
                PaymentKind::DepositRefund,
                order.customer.id,
                Some(order_id),
                refund_method,
                unused,
                "",
                by,
                &[],
                at,
            )?)
        } else {
            None
        };
        tx.execute(
            "UPDATE orders SET status = 'cancelled', closed_at = ?2, cancel_reason = ?3
              WHERE id = ?1",
            params![order_id, timestamp(at), reason.trim()],
        )?;
        insert_audit(
            &tx,
            by,
            AuditAct::CancelOrder,
            &AuditChange {
                subject: &order.number,
                before: &format!("còn giao {}; cọc {unused}", order.left_value()),
                after: reason.trim(),
            },
            at,
        )?;
        let refund = refund
            .map(|id| read_customer_payment(&tx, id))
            .transpose()?;
        let order = read_order(&tx, order_id)?;
        tx.commit()?;
        Ok((order, refund))
    }

    /// Delivers `quantities` (line index, how many) of an open order: one sale with its own
    /// invoice (naming the customer), its stock out, paid from the unused deposit first and the
    /// rest by `method` — on account for a company within its credit (beyond it only with
    /// `credit_approver`). The order is delivered once nothing is left. One transaction.
    #[allow(clippy::too_many_arguments)]
    pub fn deliver_order(
        &mut self,
        order_id: i64,
        quantities: &[(usize, Decimal)],
        receiver: &str,
        method: PaymentMethod,
        reference: Option<String>,
        by: &str,
        credit_approver: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<Delivery> {
        if !method.is_money() && method != PaymentMethod::OnAccount {
            return Err(refused(OrderError::RestNotPayable));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(open) = first_unacknowledged_break(&tx)? {
            return Err(StoreError::ChainBroken(Box::new(open.chain_break)));
        }
        let order = open_order(&tx, order_id)?;
        let mut products: HashMap<i64, Product> = HashMap::new();
        for content in order.lines.iter().flat_map(|l| &l.contents) {
            if let Some(product) = product_at(&tx, content.product_id, at)? {
                products.insert(product.id, product);
            }
        }
        let mut cart = order
            .delivery_cart(quantities, |id| products.get(&id).cloned())
            .map_err(refused)?;
        cart.buyer = order.customer.invoice_buyer();
        let tenders = delivery_tenders(
            cart.totals().total,
            order.unused_deposit(),
            method,
            reference,
        );
        let draft = SaleDraft::new(&cart, tenders, by).map_err(|e| refused(OrderError::Sale(e)))?;
        let sale = insert_sale(&tx, &draft, at, LeftOut::Nothing)?;
        let delivery_no = order.deliveries.len() as i64 + 1;
        let lines: Vec<(i64, Decimal)> = quantities
            .iter()
            .filter(|(_, q)| !q.is_zero())
            .map(|&(index, q)| (index as i64 + 1, q))
            .collect();
        link_customer_sale(
            &tx,
            &sale,
            Some(order.customer.id),
            Some(&DeliveryLink {
                order_id,
                delivery_no,
                receiver,
                lines: lines.clone(),
            }),
            credit_approver,
            at,
        )?;
        let mut after = read_order(&tx, order_id)?;
        if after.lines.iter().all(|l| l.left().is_zero()) {
            tx.execute(
                "UPDATE orders SET status = 'delivered', closed_at = ?2 WHERE id = ?1",
                params![order_id, timestamp(at)],
            )?;
            after = read_order(&tx, order_id)?;
        }
        tx.commit()?;
        let delivered = lines
            .iter()
            .map(|&(line_no, now)| {
                let line = &after.lines[line_no as usize - 1];
                DeliveredLine {
                    name: line.name.clone(),
                    unit: line.unit.clone(),
                    card_message: line.card_message.clone(),
                    ordered: line.quantity,
                    now,
                    left: line.left(),
                }
            })
            .collect();
        Ok(Delivery {
            order: after,
            delivery_no,
            sale,
            receiver: receiver.trim().to_string(),
            lines: delivered,
        })
    }

    /// A past delivery, for its note printed again: the order as it stands now, the sale as
    /// it was, and what that delivery took.
    pub fn delivery(&self, order_number: &str, delivery_no: i64) -> StoreResult<Option<Delivery>> {
        let Some(order_id) = order_id(&self.conn, order_number)? else {
            return Ok(None);
        };
        let found: Option<(i64, String, String)> = self
            .conn
            .prepare_cached(
                "SELECT cs.id, s.receipt_no, cs.receiver FROM customer_sales cs
                   JOIN sales s ON s.id = cs.sale_id
                  WHERE cs.order_id = ?1 AND cs.delivery_no = ?2",
            )?
            .query_row(params![order_id, delivery_no], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()?;
        let Some((link, receipt_no, receiver)) = found else {
            return Ok(None);
        };
        let order = read_order(&self.conn, order_id)?;
        let sale = self
            .sale_by_receipt_no(&receipt_no)?
            .ok_or(StoreError::NotFound)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT line_no, quantity_milli FROM delivery_lines WHERE customer_sale_id = ?1
              ORDER BY line_no",
        )?;
        let taken: Vec<(i64, i64)> = stmt
            .query_map([link], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        // What was left just after that delivery: less what later deliveries took.
        let mut stmt = self.conn.prepare_cached(
            "SELECT coalesce(sum(d.quantity_milli), 0) FROM delivery_lines d
               JOIN customer_sales cs ON cs.id = d.customer_sale_id
              WHERE cs.order_id = ?1 AND cs.delivery_no > ?2 AND d.line_no = ?3",
        )?;
        let lines = taken
            .into_iter()
            .map(|(line_no, now)| {
                let later: i64 =
                    stmt.query_row(params![order_id, delivery_no, line_no], |row| row.get(0))?;
                let line = &order.lines[line_no as usize - 1];
                Ok(DeliveredLine {
                    name: line.name.clone(),
                    unit: line.unit.clone(),
                    card_message: line.card_message.clone(),
                    ordered: line.quantity,
                    now: from_milli(now),
                    left: line.left() + from_milli(later),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Some(Delivery {
            order,
            delivery_no,
            sale,
            receiver,
            lines,
        }))
    }

    /// Stock reserved by open orders, per product.
    pub fn reserved_stock(&self) -> StoreResult<HashMap<i64, Decimal>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{RESERVED} GROUP BY c.product_id"))?;
        let rows = stmt.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)))?;
        rows.map(|row| {
            let (product, reserved) = row?;
            Ok((product, from_micro(reserved)))
        })
        .filter(|row| !matches!(row, Ok((_, reserved)) if reserved.is_zero()))
        .collect()
    }

    /// Stock of one product reserved by open orders.
    pub fn reserved_of(&self, product_id: i64) -> StoreResult<Decimal> {
        let reserved: Option<i64> = self
            .conn
            .prepare_cached(&format!("{RESERVED} AND c.product_id = ?1"))?
            .query_row([product_id], |row| row.get(1))?;
        Ok(from_micro(reserved.unwrap_or(0)))
    }

    /// What must be packed on `day`: the open orders' lines due by then and not delivered,
    /// and every product they take, added up.
    pub fn packing_list(&self, day: NaiveDate) -> StoreResult<PackingList> {
        let orders = self.orders(OrderFilter {
            open_only: true,
            due_by: Some(day),
            customer_id: None,
        })?;
        Ok(PackingList::for_day(day, &orders))
    }
}
