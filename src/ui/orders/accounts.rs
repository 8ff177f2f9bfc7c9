//! Receivables (công nợ): what every company owes by age; a company's open invoices; a payment
//! received (transfer, cash, card) set against them oldest first or as chosen invoice by
//! invoice, with its slip; the company's statement for a period.

use super::{
    Done, Outcome, act, amount, cash_warning, field, head, methods, order_notice, typed_amount,
};
use crate::core::clock::{format_day, local_date};
use crate::core::customer::Customer;
use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use crate::core::receivable::{AgeBucket, AgingRow, OpenInvoice};
use crate::core::report::Period;
use crate::documents::Document;
use crate::i18n::{Lang, Notice, OrderLabel, OrderNotice};
use crate::store::{Store, StoreResult};
use crate::ui::{Context, theme, typed_day};
use chrono::{DateTime, Datelike, Utc};
use iced::widget::{Column, button, column, container, row, rule, scrollable, text, text_input};
use iced::{Alignment, Element, Fill, Length};

#[derive(Debug, Clone)]
pub enum Message {
    Select(i64),
    PartChanged(usize, String),
    AmountChanged(String),
    Method(PaymentMethod),
    ReferenceChanged(String),
    ReceiveOldestFirst,
    ReceiveChosen,
    FromChanged(String),
    ToChanged(String),
    PrintStatement,
}

pub fn is_typing(message: &Message) -> bool {
    matches!(
        message,
        Message::PartChanged(..)
            | Message::AmountChanged(_)
            | Message::ReferenceChanged(_)
            | Message::FromChanged(_)
            | Message::ToChanged(_)
    )
}

pub struct AccountsPanel {
    today: chrono::NaiveDate,
    aging: Vec<AgingRow>,
    selected: Option<Customer>,
    open: Vec<OpenInvoice>,
    /// What to set against each open invoice, as typed (for a payment as chosen).
    parts: Vec<String>,
    amount: String,
    method: PaymentMethod,
    reference: String,
    from: String,
    to: String,
}

impl AccountsPanel {
    pub fn new(store: &mut Store, now: DateTime<Utc>) -> StoreResult<AccountsPanel> {
        let today = local_date(now);
        let mut panel = AccountsPanel {
            today,
            aging: Vec::new(),
            selected: None,
            open: Vec::new(),
            parts: Vec::new(),
            amount: String::new(),
            method: PaymentMethod::Transfer,
            reference: String::new(),
            from: format_day(today.with_day(1).unwrap_or(today)),
            to: format_day(today),
        };
        panel.reread(store, now)?;
        Ok(panel)
    }

    pub fn reread(&mut self, store: &mut Store, now: DateTime<Utc>) -> StoreResult<()> {
        self.today = local_date(now);
        self.aging = store.aging(self.today)?;
        if let Some(customer) = &self.selected {
            let id = customer.id;
            self.select(store, id)?;
        }
        Ok(())
    }

    fn select(&mut self, store: &Store, customer_id: i64) -> StoreResult<()> {
        self.selected = Some(store.customer(customer_id)?);
        self.open = store.open_invoices(customer_id)?;
        self.parts = vec![String::new(); self.open.len()];
        let owed: Money = self.open.iter().map(|i| i.open).sum();
        self.amount = if owed > Money::ZERO {
            owed.dong().to_string()
        } else {
            String::new()
        };
        Ok(())
    }

    pub fn update(&mut self, message: Message, context: &mut Context<'_>) -> Done {
        match message {
            Message::Select(id) => {
                if let Err(error) = self.select(context.store, id) {
                    return Done::refused(&error);
                }
            }
            Message::PartChanged(index, text) => {
                if let Some(part) = self.parts.get_mut(index) {
                    *part = text;
                }
            }
            Message::AmountChanged(text) => self.amount = text,
            Message::Method(method) => self.method = method,
            Message::ReferenceChanged(text) => self.reference = text,
            Message::ReceiveOldestFirst => return self.receive(context, false),
            Message::ReceiveChosen => return self.receive(context, true),
            Message::FromChanged(text) => self.from = text,
            Message::ToChanged(text) => self.to = text,
            Message::PrintStatement => return self.print_statement(context),
        }
        Done::stay()
    }

    fn receive(&mut self, context: &mut Context<'_>, chosen: bool) -> Done {
        let Some(customer) = self.selected.clone() else {
            return Done::stay();
        };
        let amount = match typed_amount(&self.amount) {
            Ok(amount) => amount,
            Err(notice) => return Done::told(notice),
        };
        let parts = if chosen {
            let parts: Result<Vec<(String, Money)>, Notice> = self
                .open
                .iter()
                .zip(&self.parts)
                .map(|(invoice, part)| Ok((invoice.receipt_no.clone(), typed_amount(part)?)))
                .collect();
            match parts {
                Ok(parts) => Some(parts),
                Err(notice) => return Done::told(notice),
            }
        } else {
            None
        };
        let received = context.store.receive_account_payment(
            customer.id,
            self.method,
            amount,
            &self.reference,
            parts.as_deref(),
            &context.staff.name,
            context.now,
        );
        match received {
            Ok(payment) => {
                self.reference.clear();
                let notice = cash_warning(payment.amount, payment.method).unwrap_or_else(|| {
                    order_notice(OrderNotice::PaymentReceived {
                        number: payment.number.clone(),
                        amount: payment.amount,
                    })
                });
                let reread = self.reread(context.store, context.now).err();
                Done {
                    notice: Some(reread.map_or(notice, |e| Notice::from_store_error(&e))),
                    outcome: Outcome::Print(vec![Document::CustomerPayment(Box::new(payment))]),
                }
            }
            Err(error) => Done::refused(&error),
        }
    }

    fn print_statement(&mut self, context: &mut Context<'_>) -> Done {
        let Some(customer) = &self.selected else {
            return Done::stay();
        };
        let period = match (typed_day(&self.from), typed_day(&self.to)) {
            (Ok(from), Ok(to)) => Period { from, to },
            (Err(notice), _) | (_, Err(notice)) => return Done::told(notice),
        };
        match context.store.account_statement(customer.id, period) {
            Ok(statement) => Done {
                notice: None,
                outcome: Outcome::Print(vec![Document::AccountStatement {
                    statement: Box::new(statement),
                    printed_at: context.now,
                }]),
            },
            Err(error) => Done::refused(&error),
        }
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let header = row![
            head(OrderLabel::Customer, lang, 22),
            head(OrderLabel::Current, lang, 12),
            head(OrderLabel::Days1To30, lang, 12),
            head(OrderLabel::Days31To60, lang, 12),
            head(OrderLabel::Over60, lang, 12),
            head(OrderLabel::Owed, lang, 14),
            head(OrderLabel::Limit, lang, 14),
        ]
        .spacing(4);
        let rows = self.aging.iter().map(|aging| {
            let selected = self
                .selected
                .as_ref()
                .is_some_and(|c| c.id == aging.customer_id);
            let mut line = row![
                text(&aging.name)
                    .size(theme::SMALL)
                    .width(Length::FillPortion(22))
            ]
            .spacing(4);
            for bucket in aging.buckets {
                line = line.push(amount(bucket, 12));
            }
            line = line
                .push(amount(aging.total(), 14))
                .push(amount(aging.limit, 14));
            button(
                container(line)
                    .padding(4)
                    .style(theme::row_style(selected, false)),
            )
            .style(theme::row_button)
            .padding(0)
            .on_press(Message::Select(aging.customer_id))
            .into()
        });
        let list: Element<'_, Message> = if self.aging.is_empty() {
            text(OrderLabel::NothingOwed.text(lang)).into()
        } else {
            scrollable(Column::with_children(rows).spacing(2))
                .spacing(theme::SPACE)
                .into()
        };
        row![
            column![header, list]
                .spacing(theme::SPACE)
                .width(Length::FillPortion(3)),
            container(scrollable(self.detail(lang)).spacing(theme::SPACE))
                .padding(theme::PAD)
                .style(theme::panel)
                .width(Length::FillPortion(2))
                .height(Fill),
        ]
        .spacing(theme::SPACE)
        .into()
    }

    fn detail(&self, lang: Lang) -> Column<'_, Message> {
        let Some(customer) = &self.selected else {
            return column![text(OrderLabel::PickACompany.text(lang))];
        };
        let owed: Money = self.open.iter().map(|i| i.open).sum();
        let mut detail = column![
            text(customer.label()).font(theme::BOLD),
            text(format!("{}: {owed}", OrderLabel::Owed.text(lang))).size(theme::AMOUNT),
            text(OrderLabel::OpenInvoices.text(lang)).font(theme::BOLD),
            row![
                head(OrderLabel::Invoice, lang, 26),
                head(OrderLabel::DueOn, lang, 13),
                head(OrderLabel::OpenAmount, lang, 14),
                head(OrderLabel::PayThis, lang, 14),
            ]
            .spacing(4),
        ]
        .spacing(4);
        for (index, invoice) in self.open.iter().enumerate() {
            let late = AgeBucket::of(invoice.due_on, self.today) != AgeBucket::Current;
            let due = text(format_day(invoice.due_on)).size(theme::SMALL);
            detail = detail.push(
                row![
                    text(invoice.invoice.as_deref().unwrap_or(&invoice.receipt_no))
                        .size(theme::SMALL)
                        .width(Length::FillPortion(26)),
                    if late { due.style(theme::danger) } else { due }
                        .width(Length::FillPortion(13)),
                    amount(invoice.open, 14),
                    text_input("", self.parts.get(index).map_or("", String::as_str))
                        .on_input(move |text| Message::PartChanged(index, text))
                        .padding(4)
                        .size(theme::SMALL)
                        .width(Length::FillPortion(14)),
                ]
                .spacing(4)
                .align_y(Alignment::Center),
            );
        }
        let mut payment = column![
            rule::horizontal(1),
            field(
                OrderLabel::Amount,
                lang,
                &self.amount,
                Message::AmountChanged
            ),
            methods(lang, self.method, &PaymentMethod::ALL, Message::Method),
            field(
                OrderLabel::Reference,
                lang,
                &self.reference,
                Message::ReferenceChanged
            ),
        ]
        .spacing(4);
        if let Some(warning) = typed_amount(&self.amount)
            .ok()
            .and_then(|amount| cash_warning(amount, self.method))
        {
            payment = payment.push(
                text(warning.text(lang))
                    .size(theme::SMALL)
                    .style(theme::danger),
            );
        }
        detail
            .push(payment)
            .push(
                row![
                    act(
                        OrderLabel::ReceiveOldestFirst,
                        lang,
                        Message::ReceiveOldestFirst
                    )
                    .style(button::success),
                    act(OrderLabel::ReceiveChosen, lang, Message::ReceiveChosen)
                        .style(button::secondary),
                ]
                .spacing(theme::SPACE),
            )
            .push(rule::horizontal(1))
            .push(
                row![
                    field(OrderLabel::From, lang, &self.from, Message::FromChanged),
                    field(OrderLabel::To, lang, &self.to, Message::ToChanged),
                ]
                .spacing(theme::SPACE),
            )
            .push(
                act(OrderLabel::PrintStatement, lang, Message::PrintStatement)
                    .style(button::secondary),
            )
    }
}
