//! Customer records: find one by name, phone or tax code; a person's details (kept with their
//! consent) and erasing them on request (a manager); a company's credit limit and payment
//! term (a manager) and what it owes.

use super::{Done, Outcome, act, field, order_notice, typed_amount};
use crate::core::audit::Actor;
use crate::core::clock::format_local;
use crate::core::customer::{CreditTerms, Customer, CustomerKind, PersonDraft};
use crate::core::staff::GatedAct;
use crate::i18n::{Lang, Notice, OrderLabel, OrderNotice};
use crate::store::{CustomerBalance, Store, StoreResult};
use crate::ui::{Context, theme};
use chrono::{DateTime, Utc};
use iced::widget::{
    Column, button, checkbox, column, container, row, rule, scrollable, text, text_input,
};
use iced::{Element, Fill, Length};

pub const SEARCH_INPUT: &str = "customers-search";

#[derive(Debug, Clone)]
pub enum Message {
    QueryChanged(String),
    Select(i64),
    NewPerson,
    NameChanged(String),
    PhoneChanged(String),
    IdNumberChanged(String),
    AddressChanged(String),
    NotesChanged(String),
    Consent(bool),
    SavePerson,
    SaveNotes,
    LimitChanged(String),
    DaysChanged(String),
    SaveTerms,
    Erase,
}

pub fn is_typing(message: &Message) -> bool {
    matches!(
        message,
        Message::QueryChanged(_)
            | Message::NameChanged(_)
            | Message::PhoneChanged(_)
            | Message::IdNumberChanged(_)
            | Message::AddressChanged(_)
            | Message::NotesChanged(_)
            | Message::LimitChanged(_)
            | Message::DaysChanged(_)
    )
}

pub struct CustomersPanel {
    query: String,
    found: Vec<Customer>,
    /// The customer open on the right (None with `editing`: a new person).
    selected: Option<Customer>,
    balance: Option<CustomerBalance>,
    editing: bool,
    person: PersonDraft,
    limit: String,
    days: String,
    /// Erasing asks for a second press.
    erase_armed: bool,
}

impl CustomersPanel {
    pub fn new(store: &mut Store, now: DateTime<Utc>) -> StoreResult<CustomersPanel> {
        let mut panel = CustomersPanel {
            query: String::new(),
            found: Vec::new(),
            selected: None,
            balance: None,
            editing: false,
            person: PersonDraft::default(),
            limit: String::new(),
            days: String::new(),
            erase_armed: false,
        };
        panel.reread(store, now)?;
        Ok(panel)
    }

    pub fn reread(&mut self, store: &mut Store, now: DateTime<Utc>) -> StoreResult<()> {
        self.found = store.search_customers(&self.query, now)?;
        if let Some(selected) = &self.selected {
            let id = selected.id;
            self.open(store.customer(id)?, store)?;
        }
        Ok(())
    }

    fn open(&mut self, customer: Customer, store: &Store) -> StoreResult<()> {
        self.balance = Some(store.customer_balance(customer.id)?);
        self.person = PersonDraft {
            name: customer.name.clone(),
            phone: customer.phone.clone(),
            id_number: customer.id_number.clone(),
            address: customer.address.clone(),
            notes: customer.notes.clone(),
            consent_given: customer.consent.is_some(),
        };
        self.limit = customer.terms.limit.dong().to_string();
        self.days = customer.terms.days.to_string();
        self.editing = customer.kind == CustomerKind::Person && !customer.erased;
        self.erase_armed = false;
        self.selected = Some(customer);
        Ok(())
    }

    pub fn update(&mut self, message: Message, context: &mut Context<'_>) -> Done {
        match message {
            Message::QueryChanged(text) => {
                self.query = text;
                if let Err(error) = self.reread(context.store, context.now) {
                    return Done::refused(&error);
                }
            }
            Message::Select(id) => {
                let opened = context
                    .store
                    .customer(id)
                    .and_then(|customer| self.open(customer, context.store));
                if let Err(error) = opened {
                    return Done::refused(&error);
                }
            }
            Message::NewPerson => {
                self.selected = None;
                self.balance = None;
                self.editing = true;
                self.person = PersonDraft::default();
            }
            Message::NameChanged(text) => self.person.name = text,
            Message::PhoneChanged(text) => self.person.phone = text,
            Message::IdNumberChanged(text) => self.person.id_number = text,
            Message::AddressChanged(text) => self.person.address = text,
            Message::NotesChanged(text) => self.person.notes = text,
            Message::Consent(given) => self.person.consent_given = given,
            Message::SavePerson => {
                let existing = self.selected.as_ref().map(|c| c.id);
                let saved = context
                    .store
                    .save_person(&self.person, existing, &context.staff.name, context.now)
                    .and_then(|customer| {
                        let name = customer.name.clone();
                        self.open(customer, context.store)?;
                        self.reread(context.store, context.now)?;
                        Ok(name)
                    });
                return match saved {
                    Ok(name) => Done::told(order_notice(OrderNotice::CustomerSaved(name))),
                    Err(error) => Done::refused(&error),
                };
            }
            Message::SaveNotes => {
                let Some(customer) = &self.selected else {
                    return Done::stay();
                };
                let name = customer.name.clone();
                return match context
                    .store
                    .save_company_notes(customer.id, &self.person.notes)
                {
                    Ok(()) => Done::told(order_notice(OrderNotice::CustomerSaved(name))),
                    Err(error) => Done::refused(&error),
                };
            }
            Message::LimitChanged(text) => self.limit = text,
            Message::DaysChanged(text) => self.days = text,
            Message::SaveTerms => return self.save_terms(context),
            Message::Erase => return self.erase(context),
        }
        Done::stay()
    }

    fn save_terms(&mut self, context: &mut Context<'_>) -> Done {
        let Some(customer) = self.selected.clone() else {
            return Done::stay();
        };
        let limit = match typed_amount(&self.limit) {
            Ok(limit) => limit,
            Err(notice) => return Done::told(notice),
        };
        let Ok(days) = self.days.trim().parse::<u32>() else {
            return Done::told(Notice::QuantityNotANumber(self.days.trim().to_string()));
        };
        if !context.permits(GatedAct::CreditTerms, 0) {
            return Done {
                notice: None,
                outcome: Outcome::Approve(GatedAct::CreditTerms),
            };
        }
        let by = Actor::of(context.staff, context.approver);
        let saved = context
            .store
            .set_credit_terms(customer.id, CreditTerms { limit, days }, by, context.now)
            .and_then(|()| {
                let customer = context.store.customer(customer.id)?;
                self.open(customer, context.store)
            });
        match saved {
            Ok(()) => Done::told(order_notice(OrderNotice::TermsSaved(customer.name))),
            Err(error) => Done::refused(&error),
        }
    }

    fn erase(&mut self, context: &mut Context<'_>) -> Done {
        let Some(customer) = self.selected.clone() else {
            return Done::stay();
        };
        if !self.erase_armed {
            self.erase_armed = true;
            return Done::told(order_notice(OrderNotice::PressAgainToErase));
        }
        if !context.permits(GatedAct::EraseCustomer, 0) {
            return Done {
                notice: None,
                outcome: Outcome::Approve(GatedAct::EraseCustomer),
            };
        }
        let by = Actor::of(context.staff, context.approver);
        let erased = context
            .store
            .erase_person(customer.id, by, context.now)
            .and_then(|()| {
                self.selected = None;
                self.editing = false;
                self.reread(context.store, context.now)
            });
        match erased {
            Ok(()) => Done::told(order_notice(OrderNotice::CustomerErased)),
            Err(error) => Done::refused(&error),
        }
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let rows = self.found.iter().map(|customer| {
            let selected = self.selected.as_ref().is_some_and(|s| s.id == customer.id);
            let kind = match customer.kind {
                CustomerKind::Company => OrderLabel::Company,
                CustomerKind::Person => OrderLabel::Person,
            };
            button(
                container(
                    row![
                        text(customer.label())
                            .size(theme::SMALL)
                            .width(Length::FillPortion(4)),
                        text(kind.text(lang))
                            .size(theme::SMALL)
                            .width(Length::FillPortion(1)),
                    ]
                    .spacing(theme::SPACE),
                )
                .padding(4)
                .style(theme::row_style(selected, false)),
            )
            .style(theme::row_button)
            .padding(0)
            .on_press(Message::Select(customer.id))
            .into()
        });
        let list = column![
            row![
                text_input(OrderLabel::Search.text(lang), &self.query)
                    .id(SEARCH_INPUT)
                    .on_input(Message::QueryChanged)
                    .padding(6),
                button(text(OrderLabel::NewPerson.text(lang)).size(theme::SMALL))
                    .style(button::secondary)
                    .on_press(Message::NewPerson),
            ]
            .spacing(theme::SPACE),
            scrollable(Column::with_children(rows).spacing(2)).spacing(theme::SPACE),
        ]
        .spacing(theme::SPACE)
        .width(Length::FillPortion(5));
        row![
            list,
            container(scrollable(self.detail(lang)).spacing(theme::SPACE))
                .padding(theme::PAD)
                .style(theme::panel)
                .width(Length::FillPortion(5))
                .height(Fill),
        ]
        .spacing(theme::SPACE)
        .into()
    }

    fn detail(&self, lang: Lang) -> Column<'_, Message> {
        let mut detail = column![].spacing(theme::SPACE);
        if let Some(customer) = &self.selected {
            detail = detail.push(text(customer.label()).font(theme::BOLD));
            if let Some(balance) = &self.balance {
                detail = detail.push(
                    text(format!(
                        "{}: {} · {}: {}",
                        OrderLabel::Owed.text(lang),
                        balance.owed_on_account,
                        OrderLabel::UnusedDeposit.text(lang),
                        balance.unused_deposits
                    ))
                    .size(theme::SMALL),
                );
            }
            if let Some(consent) = &customer.consent {
                detail = detail.push(
                    text(format!(
                        "{}: {} ({})",
                        OrderLabel::ConsentRecorded.text(lang),
                        format_local(consent.at),
                        consent.recorded_by
                    ))
                    .size(theme::SMALL)
                    .style(theme::muted),
                );
            }
            if customer.erased {
                detail = detail.push(text(OrderLabel::Erased.text(lang)).style(theme::muted));
            }
            if customer.kind == CustomerKind::Company {
                detail = detail
                    .push(text(&customer.address).size(theme::SMALL))
                    .push(field(
                        OrderLabel::Notes,
                        lang,
                        &self.person.notes,
                        Message::NotesChanged,
                    ))
                    .push(
                        button(text(OrderLabel::SaveCustomer.text(lang)).size(theme::SMALL))
                            .style(button::secondary)
                            .on_press(Message::SaveNotes),
                    )
                    .push(rule::horizontal(1))
                    .push(field(
                        OrderLabel::CreditLimit,
                        lang,
                        &self.limit,
                        Message::LimitChanged,
                    ))
                    .push(field(
                        OrderLabel::TermDays,
                        lang,
                        &self.days,
                        Message::DaysChanged,
                    ))
                    .push(act(OrderLabel::SaveTerms, lang, Message::SaveTerms));
            }
        }
        if self.editing {
            detail = detail
                .push(field(
                    OrderLabel::Name,
                    lang,
                    &self.person.name,
                    Message::NameChanged,
                ))
                .push(field(
                    OrderLabel::Phone,
                    lang,
                    &self.person.phone,
                    Message::PhoneChanged,
                ))
                .push(field(
                    OrderLabel::IdNumber,
                    lang,
                    &self.person.id_number,
                    Message::IdNumberChanged,
                ))
                .push(field(
                    OrderLabel::Address,
                    lang,
                    &self.person.address,
                    Message::AddressChanged,
                ))
                .push(field(
                    OrderLabel::Notes,
                    lang,
                    &self.person.notes,
                    Message::NotesChanged,
                ))
                .push(
                    checkbox(self.person.consent_given)
                        .label(OrderLabel::Consent.text(lang))
                        .on_toggle(Message::Consent)
                        .text_size(theme::SMALL),
                )
                .push(act(OrderLabel::SaveCustomer, lang, Message::SavePerson));
            if self.selected.is_some() {
                detail = detail
                    .push(rule::horizontal(1))
                    .push(act(OrderLabel::Erase, lang, Message::Erase).style(button::danger));
            }
        }
        detail
    }
}
