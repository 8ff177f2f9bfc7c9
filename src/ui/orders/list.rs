//! The orders by delivery day, and what is done to the one picked: print its confirmation,
//! take a deposit, deliver all or part, print a delivery note again, cancel it (a manager).

use super::{
    Done, Outcome, act, amount, cash_warning, field, head, methods, order_notice, typed_amount,
};
use crate::core::audit::Actor;
use crate::core::cart::{format_quantity, parse_quantity};
use crate::core::clock::{format_day, format_local, local_date};
use crate::core::money::{MAX_AMOUNT, Money};
use crate::core::order::{Order, OrderError, OrderStatus};
use crate::core::payment::PaymentMethod;
use crate::core::staff::GatedAct;
use crate::documents::Document;
use crate::i18n::orders::{customer_name, status_name};
use crate::i18n::{Lang, Notice, OrderLabel, OrderNotice};
use crate::store::{OrderFilter, Store, StoreError, StoreResult};
use crate::ui::{Context, theme, typed_day};
use chrono::{DateTime, Utc};
use iced::widget::{
    Column, button, checkbox, column, container, row, rule, scrollable, text, text_input,
};
use iced::{Alignment, Element, Fill, Length};
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
pub enum Message {
    OnlyOpen(bool),
    DueChanged(String),
    Filter,
    Select(i64),
    PrintConfirmation,
    PrintPacking,
    DepositChanged(String),
    DepositMethod(PaymentMethod),
    DepositReference(String),
    TakeDeposit,
    QuantityChanged(usize, String),
    ReceiverChanged(String),
    DeliveryMethod(PaymentMethod),
    DeliveryReference(String),
    Deliver,
    ReprintNote(i64),
    ReasonChanged(String),
    RefundMethod(PaymentMethod),
    Cancel,
}

pub fn is_typing(message: &Message) -> bool {
    matches!(
        message,
        Message::DueChanged(_)
            | Message::DepositChanged(_)
            | Message::DepositReference(_)
            | Message::QuantityChanged(..)
            | Message::ReceiverChanged(_)
            | Message::DeliveryReference(_)
            | Message::ReasonChanged(_)
    )
}

pub struct OrderList {
    open_only: bool,
    due_by: String,
    orders: Vec<Order>,
    selected: Option<i64>,
    deposit: String,
    deposit_method: PaymentMethod,
    deposit_reference: String,
    /// What to deliver now of each line, as typed.
    quantities: Vec<String>,
    receiver: String,
    delivery_method: PaymentMethod,
    delivery_reference: String,
    reason: String,
    refund_method: PaymentMethod,
    /// What the selected order's customer bought today (the ≥ 5 m đ cash rule adds it up).
    bought_today: Money,
    delivered: bool,
}

impl OrderList {
    pub fn new(store: &mut Store) -> StoreResult<OrderList> {
        let mut list = OrderList {
            open_only: true,
            due_by: String::new(),
            orders: Vec::new(),
            selected: None,
            deposit: String::new(),
            deposit_method: PaymentMethod::Transfer,
            deposit_reference: String::new(),
            quantities: Vec::new(),
            receiver: String::new(),
            delivery_method: PaymentMethod::Transfer,
            delivery_reference: String::new(),
            reason: String::new(),
            refund_method: PaymentMethod::Transfer,
            bought_today: Money::ZERO,
            delivered: false,
        };
        list.reread(store)?;
        Ok(list)
    }

    pub fn orders(&self) -> &[Order] {
        &self.orders
    }

    pub fn selected(&self) -> Option<&Order> {
        let id = self.selected?;
        self.orders.iter().find(|o| o.id == id)
    }

    /// True once after a delivery.
    pub fn take_delivered(&mut self) -> bool {
        std::mem::take(&mut self.delivered)
    }

    /// Reads the orders again, the filter as it stands (no day, or a bad one: every due day).
    pub fn reread(&mut self, store: &Store) -> StoreResult<()> {
        self.orders = store.orders(OrderFilter {
            open_only: self.open_only,
            due_by: typed_day(&self.due_by).ok(),
            customer_id: None,
        })?;
        if let Some(id) = self.selected
            && !self.orders.iter().any(|o| o.id == id)
        {
            // The selected order is still shown, whatever the filter.
            self.orders.push(store.order_by_id(id)?);
        }
        self.refresh_forms(store)
    }

    /// Selects an order (just taken, say) and shows it.
    pub fn show_order(&mut self, store: &Store, order_id: i64) -> StoreResult<()> {
        self.selected = Some(order_id);
        self.reread(store)
    }

    /// The forms of the selected order, filled from it: the deposit still asked, what is left
    /// of each line, the receiver named on the order.
    fn refresh_forms(&mut self, store: &Store) -> StoreResult<()> {
        let Some(order) = self.selected().cloned() else {
            return Ok(());
        };
        let asked = (order.deposit_asked - order.deposits_received).max(Money::ZERO);
        self.deposit = if asked > Money::ZERO {
            asked.dong().to_string()
        } else {
            String::new()
        };
        self.quantities = order
            .lines
            .iter()
            .map(|l| format_quantity(l.left()))
            .collect();
        self.receiver = order.contact.clone();
        self.reason.clear();
        self.bought_today = if order.customer.id > 0 {
            store.day_purchases(order.customer.id, local_date(Utc::now()))?
        } else {
            Money::ZERO
        };
        Ok(())
    }

    pub fn update(&mut self, message: Message, context: &mut Context<'_>) -> Done {
        match message {
            Message::OnlyOpen(open) => {
                self.open_only = open;
                return self.reread_done(context.store);
            }
            Message::DueChanged(text) => self.due_by = text,
            Message::Filter => {
                if let Err(notice) = self.packing_day(context.now) {
                    return Done::told(notice);
                }
                return self.reread_done(context.store);
            }
            Message::Select(id) => {
                self.selected = Some(id);
                return self.reread_done(context.store);
            }
            Message::PrintConfirmation => {
                if let Some(order) = self.selected() {
                    return Done {
                        notice: None,
                        outcome: Outcome::Print(vec![Document::OrderConfirmation {
                            order: Box::new(order.clone()),
                            printed_at: context.now,
                        }]),
                    };
                }
            }
            Message::PrintPacking => return self.print_packing(context),
            Message::DepositChanged(text) => self.deposit = text,
            Message::DepositMethod(method) => self.deposit_method = method,
            Message::DepositReference(text) => self.deposit_reference = text,
            Message::TakeDeposit => return self.take_deposit(context),
            Message::QuantityChanged(index, text) => {
                if let Some(quantity) = self.quantities.get_mut(index) {
                    *quantity = text;
                }
            }
            Message::ReceiverChanged(text) => self.receiver = text,
            Message::DeliveryMethod(method) => self.delivery_method = method,
            Message::DeliveryReference(text) => self.delivery_reference = text,
            Message::Deliver => return self.deliver(context),
            Message::ReprintNote(delivery_no) => {
                let Some(order) = self.selected() else {
                    return Done::stay();
                };
                return match context.store.delivery(&order.number, delivery_no) {
                    Ok(Some(delivery)) => Done {
                        notice: None,
                        outcome: Outcome::Print(vec![Document::DeliveryNote(Box::new(delivery))]),
                    },
                    Ok(None) => Done::stay(),
                    Err(error) => Done::refused(&error),
                };
            }
            Message::ReasonChanged(text) => self.reason = text,
            Message::RefundMethod(method) => self.refund_method = method,
            Message::Cancel => return self.cancel(context),
        }
        Done::stay()
    }

    fn reread_done(&mut self, store: &Store) -> Done {
        match self.reread(store) {
            Ok(()) => Done::stay(),
            Err(error) => Done::refused(&error),
        }
    }

    fn print_packing(&mut self, context: &mut Context<'_>) -> Done {
        let day = match self.packing_day(context.now) {
            Ok(day) => day,
            Err(notice) => return Done::told(notice),
        };
        match context.store.packing_list(day) {
            Ok(list) => Done {
                notice: None,
                outcome: Outcome::Print(vec![Document::PackingList {
                    list: Box::new(list),
                    printed_at: context.now,
                }]),
            },
            Err(error) => Done::refused(&error),
        }
    }

    /// The day typed in the filter; none typed, today.
    fn packing_day(&self, now: DateTime<Utc>) -> Result<chrono::NaiveDate, Notice> {
        if self.due_by.trim().is_empty() {
            Ok(local_date(now))
        } else {
            typed_day(&self.due_by)
        }
    }

    fn take_deposit(&mut self, context: &mut Context<'_>) -> Done {
        let Some(order) = self.selected().cloned() else {
            return Done::stay();
        };
        let amount = match typed_amount(&self.deposit) {
            Ok(amount) if amount > Money::ZERO => amount,
            Ok(_) => {
                return Done::told(order_notice(OrderNotice::Refused(
                    OrderError::AmountNotPositive,
                )));
            }
            Err(notice) => return Done::told(notice),
        };
        let taken = context.store.take_deposit(
            order.id,
            self.deposit_method,
            amount,
            &self.deposit_reference,
            &context.staff.name,
            context.now,
        );
        match taken {
            Ok(payment) => {
                let notice = cash_warning(order.total(), payment.method).unwrap_or_else(|| {
                    order_notice(OrderNotice::DepositTaken {
                        number: payment.number.clone(),
                        amount: payment.amount,
                    })
                });
                self.deposit_reference.clear();
                let reread = self.reread(context.store).err();
                Done {
                    notice: Some(reread.map_or(notice, |e| Notice::from_store_error(&e))),
                    outcome: Outcome::Print(vec![Document::CustomerPayment(Box::new(payment))]),
                }
            }
            Err(error) => Done::refused(&error),
        }
    }

    /// What is to be delivered now, by line; a quantity that is not a number is named.
    fn typed_quantities(&self) -> Result<Vec<(usize, Decimal)>, Notice> {
        self.quantities
            .iter()
            .enumerate()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(index, text)| {
                parse_quantity(text)
                    .map(|q| (index, q))
                    .map_err(|_| Notice::QuantityNotANumber(text.trim().to_string()))
            })
            .collect()
    }

    /// The value of the delivery as typed, at the agreed prices.
    fn delivery_value(&self, order: &Order) -> Money {
        self.typed_quantities()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(index, quantity)| {
                let line = order.lines.get(index)?;
                Money::from_decimal(line.unit_price.to_decimal() * quantity)
            })
            .sum::<Money>()
            .min(MAX_AMOUNT)
    }

    fn deliver(&mut self, context: &mut Context<'_>) -> Done {
        let Some(order) = self.selected().cloned() else {
            return Done::stay();
        };
        let quantities = match self.typed_quantities() {
            Ok(quantities) => quantities,
            Err(notice) => return Done::told(notice),
        };
        // A manager's own act, or one a manager approved, may go over the credit limit.
        let approver = context
            .permits(GatedAct::OverCreditLimit, 0)
            .then(|| context.approver.unwrap_or(context.staff).name.clone());
        let reference = Some(self.delivery_reference.trim().to_string()).filter(|r| !r.is_empty());
        let delivered = context.store.deliver_order(
            order.id,
            &quantities,
            &self.receiver,
            self.delivery_method,
            reference,
            &context.staff.name,
            approver.as_deref(),
            context.now,
        );
        match delivered {
            Ok(delivery) => {
                self.delivered = true;
                self.delivery_reference.clear();
                let cash: Money = delivery
                    .sale
                    .draft
                    .tenders
                    .iter()
                    .filter(|t| t.method == PaymentMethod::Cash)
                    .map(|t| t.amount)
                    .sum();
                let day_total = self.bought_today + delivery.sale.draft.total;
                let warning = (cash > Money::ZERO)
                    .then(|| cash_warning(day_total, PaymentMethod::Cash))
                    .flatten();
                let notice = warning.unwrap_or_else(|| {
                    order_notice(OrderNotice::Delivered {
                        delivery: delivery.number(),
                        receipt_no: delivery.sale.receipt_no.clone(),
                    })
                });
                let receipt = Document::Receipt {
                    sale: Box::new(delivery.sale.clone()),
                    copy: false,
                };
                let reread = self.reread(context.store).err();
                Done {
                    notice: Some(reread.map_or(notice, |e| Notice::from_store_error(&e))),
                    outcome: Outcome::Print(vec![
                        Document::DeliveryNote(Box::new(delivery)),
                        receipt,
                    ]),
                }
            }
            Err(StoreError::Order(OrderError::OverCreditLimit { .. })) if approver.is_none() => {
                Done {
                    notice: None,
                    outcome: Outcome::Approve(GatedAct::OverCreditLimit),
                }
            }
            Err(error) => Done::refused(&error),
        }
    }

    fn cancel(&mut self, context: &mut Context<'_>) -> Done {
        let Some(order) = self.selected().cloned() else {
            return Done::stay();
        };
        if self.reason.trim().is_empty() {
            return Done::told(order_notice(OrderNotice::Refused(
                OrderError::ReasonRequired,
            )));
        }
        if !context.permits(GatedAct::CancelOrder, 0) {
            return Done {
                notice: None,
                outcome: Outcome::Approve(GatedAct::CancelOrder),
            };
        }
        let by = Actor::of(context.staff, context.approver);
        match context.store.cancel_order(
            order.id,
            &self.reason,
            self.refund_method,
            by,
            context.now,
        ) {
            Ok((cancelled, refund)) => {
                let notice = order_notice(OrderNotice::Cancelled {
                    number: cancelled.number.clone(),
                    refund: refund.as_ref().map_or(Money::ZERO, |r| r.amount),
                });
                let reread = self.reread(context.store).err();
                Done {
                    notice: Some(reread.map_or(notice, |e| Notice::from_store_error(&e))),
                    outcome: Outcome::Print(
                        refund
                            .map(|r| Document::CustomerPayment(Box::new(r)))
                            .into_iter()
                            .collect(),
                    ),
                }
            }
            Err(error) => Done::refused(&error),
        }
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let filter = row![
            checkbox(self.open_only)
                .label(OrderLabel::OnlyOpen.text(lang))
                .on_toggle(Message::OnlyOpen)
                .text_size(theme::SMALL),
            text_input(OrderLabel::DueBy.text(lang), &self.due_by)
                .id(super::DUE_INPUT)
                .on_input(Message::DueChanged)
                .on_submit(Message::Filter)
                .padding(6)
                .width(250),
            button(text(OrderLabel::PrintPacking.text(lang)).size(theme::SMALL))
                .style(button::secondary)
                .on_press(Message::PrintPacking),
        ]
        .spacing(theme::SPACE)
        .align_y(Alignment::Center);
        let header = row![
            head(OrderLabel::Number, lang, 15),
            head(OrderLabel::NextDue, lang, 11),
            head(OrderLabel::Customer, lang, 24),
            head(OrderLabel::Total, lang, 14),
            head(OrderLabel::LeftToDeliver, lang, 14),
            head(OrderLabel::Status, lang, 11),
        ]
        .spacing(theme::SPACE);
        let rows = self.orders.iter().map(|order| {
            let due = order.next_due().map_or_else(|| "—".to_string(), format_day);
            let line = row![
                text(&order.number)
                    .size(theme::SMALL)
                    .width(Length::FillPortion(15)),
                text(due).size(theme::SMALL).width(Length::FillPortion(11)),
                text(customer_name(&order.customer, lang))
                    .size(theme::SMALL)
                    .width(Length::FillPortion(24)),
                amount(order.total(), 14),
                amount(order.left_value(), 14),
                text(status_name(order.status, lang))
                    .size(theme::SMALL)
                    .width(Length::FillPortion(11)),
            ]
            .spacing(theme::SPACE);
            let selected = self.selected == Some(order.id);
            button(
                container(line)
                    .padding(4)
                    .style(theme::row_style(selected, false)),
            )
            .style(theme::row_button)
            .padding(0)
            .on_press(Message::Select(order.id))
            .into()
        });
        let list: Element<'_, Message> = if self.orders.is_empty() {
            text(OrderLabel::NoOrders.text(lang)).into()
        } else {
            scrollable(Column::with_children(rows).spacing(2))
                .spacing(theme::SPACE)
                .into()
        };
        let detail: Element<'_, Message> = match self.selected() {
            Some(order) => scrollable(self.detail(order, lang))
                .spacing(theme::SPACE)
                .into(),
            None => text(OrderLabel::PickAnOrder.text(lang)).into(),
        };
        row![
            column![filter, header, list]
                .spacing(theme::SPACE)
                .width(Length::FillPortion(11)),
            container(detail)
                .padding(theme::PAD)
                .style(theme::panel)
                .width(Length::FillPortion(9))
                .height(Fill),
        ]
        .spacing(theme::SPACE)
        .into()
    }

    fn detail<'a>(&'a self, order: &'a Order, lang: Lang) -> Column<'a, Message> {
        let small = |s: String| text(s).size(theme::SMALL);
        let mut detail = column![
            text(format!(
                "{} · {}",
                order.number,
                if order.customer.erased {
                    customer_name(&order.customer, lang)
                } else {
                    order.customer.label()
                }
            ))
            .font(theme::BOLD),
            small(format!(
                "{} · {}: {}",
                status_name(order.status, lang),
                OrderLabel::DeliveryAddress.text(lang),
                order.delivery_address
            )),
            small(format!(
                "{}: {}",
                OrderLabel::Contact.text(lang),
                order.contact
            )),
        ]
        .spacing(4);
        if !order.notes.is_empty() {
            detail = detail.push(small(format!(
                "{}: {}",
                OrderLabel::Notes.text(lang),
                order.notes
            )));
        }
        detail = detail.push(
            row![
                head(OrderLabel::Item, lang, 26),
                head(OrderLabel::Ordered, lang, 9),
                head(OrderLabel::Delivered, lang, 10),
                head(OrderLabel::Due, lang, 11),
                head(OrderLabel::DeliverNow, lang, 10),
            ]
            .spacing(4),
        );
        for (index, line) in order.lines.iter().enumerate() {
            let mut name = format!("{}\n{}", line.name, line.unit_price);
            if !line.card_message.is_empty() {
                name.push_str(&format!("\n“{}”", line.card_message));
            }
            let now: Element<'_, Message> = if order.is_open() && !line.left().is_zero() {
                text_input("0", self.quantities.get(index).map_or("", String::as_str))
                    .on_input(move |text| Message::QuantityChanged(index, text))
                    .padding(4)
                    .size(theme::SMALL)
                    .width(Length::FillPortion(10))
                    .into()
            } else {
                small(String::new()).width(Length::FillPortion(10)).into()
            };
            detail = detail.push(
                row![
                    small(name).width(Length::FillPortion(26)),
                    small(format_quantity(line.quantity)).width(Length::FillPortion(9)),
                    small(format_quantity(line.delivered)).width(Length::FillPortion(10)),
                    small(format_day(line.due_on)).width(Length::FillPortion(11)),
                    now,
                ]
                .spacing(4)
                .align_y(Alignment::Center),
            );
        }
        let money = |label: OrderLabel, value: Money| {
            row![
                small(label.text(lang).to_string()).width(Fill),
                amount(value, 1)
            ]
        };
        detail = detail
            .push(rule::horizontal(1))
            .push(money(OrderLabel::Total, order.total()))
            .push(money(OrderLabel::DepositAsked, order.deposit_asked))
            .push(money(OrderLabel::DepositReceived, order.deposits_received))
            .push(money(OrderLabel::DepositApplied, order.deposits_applied))
            .push(money(OrderLabel::DepositRefunded, order.deposits_refunded))
            .push(money(OrderLabel::UnusedDeposit, order.unused_deposit()))
            .push(money(OrderLabel::LeftToDeliver, order.left_value()));
        if !order.deliveries.is_empty() {
            detail = detail.push(text(OrderLabel::Deliveries.text(lang)).font(theme::BOLD));
            for delivery in &order.deliveries {
                detail = detail.push(
                    row![
                        small(format!(
                            "{}/{} · {} · {} · {}",
                            order.number,
                            delivery.delivery_no,
                            format_local(delivery.at),
                            delivery.invoice.as_deref().unwrap_or(&delivery.receipt_no),
                            delivery.total
                        ))
                        .width(Fill),
                        button(text(OrderLabel::ReprintNote.text(lang)).size(theme::SMALL))
                            .style(button::secondary)
                            .on_press(Message::ReprintNote(delivery.delivery_no)),
                    ]
                    .align_y(Alignment::Center),
                );
            }
        }
        detail = detail.push(
            button(text(OrderLabel::PrintConfirmation.text(lang)).size(theme::SMALL))
                .style(button::secondary)
                .on_press(Message::PrintConfirmation),
        );
        if order.status != OrderStatus::Open {
            return detail;
        }
        detail
            .push(rule::horizontal(1))
            .push(self.delivery_form(order, lang))
            .push(rule::horizontal(1))
            .push(self.deposit_form(order, lang))
            .push(rule::horizontal(1))
            .push(self.cancel_form(lang))
    }

    fn delivery_form<'a>(&'a self, order: &'a Order, lang: Lang) -> Column<'a, Message> {
        let value = self.delivery_value(order);
        let from_deposit = order.unused_deposit().min(value);
        let mut form = column![
            text(OrderLabel::DeliverTitle.text(lang)).font(theme::BOLD),
            text(format!(
                "{}: {value} · {}: {from_deposit} · {}: {}",
                OrderLabel::DeliverNow.text(lang),
                OrderLabel::DepositApplied.text(lang),
                OrderLabel::Balance.text(lang),
                value - from_deposit
            ))
            .size(theme::SMALL),
            field(
                OrderLabel::Receiver,
                lang,
                &self.receiver,
                Message::ReceiverChanged
            ),
            text(OrderLabel::RestPaidBy.text(lang))
                .size(theme::SMALL)
                .style(theme::muted),
            methods(
                lang,
                self.delivery_method,
                &[
                    PaymentMethod::Cash,
                    PaymentMethod::Transfer,
                    PaymentMethod::Card,
                    PaymentMethod::OnAccount,
                ],
                Message::DeliveryMethod
            ),
            field(
                OrderLabel::Reference,
                lang,
                &self.delivery_reference,
                Message::DeliveryReference
            ),
        ]
        .spacing(4);
        if self.delivery_method == PaymentMethod::Cash
            && let Some(warning) = cash_warning(self.bought_today + value, PaymentMethod::Cash)
        {
            form = form.push(
                text(warning.text(lang))
                    .size(theme::SMALL)
                    .style(theme::danger),
            );
        }
        form.push(act(OrderLabel::Deliver, lang, Message::Deliver).style(button::success))
    }

    fn deposit_form<'a>(&'a self, order: &'a Order, lang: Lang) -> Column<'a, Message> {
        let mut form = column![
            text(OrderLabel::TakeDeposit.text(lang)).font(theme::BOLD),
            field(
                OrderLabel::Amount,
                lang,
                &self.deposit,
                Message::DepositChanged
            ),
            methods(
                lang,
                self.deposit_method,
                &PaymentMethod::ALL,
                Message::DepositMethod
            ),
            field(
                OrderLabel::Reference,
                lang,
                &self.deposit_reference,
                Message::DepositReference
            ),
        ]
        .spacing(4);
        if let Some(warning) = cash_warning(order.total(), self.deposit_method) {
            form = form.push(
                text(warning.text(lang))
                    .size(theme::SMALL)
                    .style(theme::danger),
            );
        }
        form.push(act(OrderLabel::TakeDeposit, lang, Message::TakeDeposit))
    }

    fn cancel_form(&self, lang: Lang) -> Column<'_, Message> {
        column![
            text(OrderLabel::CancelTitle.text(lang)).font(theme::BOLD),
            field(
                OrderLabel::Reason,
                lang,
                &self.reason,
                Message::ReasonChanged
            ),
            text(OrderLabel::RefundBy.text(lang))
                .size(theme::SMALL)
                .style(theme::muted),
            methods(
                lang,
                self.refund_method,
                &[PaymentMethod::Cash, PaymentMethod::Transfer],
                Message::RefundMethod
            ),
            act(OrderLabel::CancelOrder, lang, Message::Cancel).style(button::danger),
        ]
        .spacing(4)
    }
}
