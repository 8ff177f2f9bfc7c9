//! A new order: the customer (found by tax code or phone, or recorded here — a person only
//! with their consent), the lines (gift-pack templates, baskets put together for the order,
//! products) at agreed prices with their delivery days and card messages, where to deliver and
//! the deposit asked. Saving prints the confirmation.

use super::{Done, Outcome, act, field, head, order_notice, typed_amount};
use crate::core::cart::{Component, format_quantity, parse_quantity};
use crate::core::clock::{format_day, local_date};
use crate::core::customer::{Customer, CustomerKind, PersonDraft};
use crate::core::giftpack::GiftPack;
use crate::core::invoice::Buyer;
use crate::core::money::Money;
use crate::core::order::{LineKind, OrderDraft, OrderLine};
use crate::documents::Document;
use crate::i18n::{Lang, Notice, OrderLabel, OrderNotice};
use crate::store::{Store, StoreResult};
use crate::ui::{Context, theme, typed_day};
use chrono::{DateTime, Duration, Utc};
use iced::widget::{
    Column, button, checkbox, column, container, row, rule, scrollable, text, text_input,
};
use iced::{Alignment, Element, Fill, Length};
use rust_decimal::Decimal;

pub const KEY_INPUT: &str = "order-customer-key";
pub const CODE_INPUT: &str = "order-product-code";

#[derive(Debug, Clone)]
pub enum Message {
    KeyChanged(String),
    FindCustomer,
    Kind(CustomerKind),
    NameChanged(String),
    AddressChanged(String),
    EmailChanged(String),
    ContactPersonChanged(String),
    IdNumberChanged(String),
    Consent(bool),
    SaveCustomer,
    AddTemplate(usize),
    CodeChanged(String),
    AddProduct,
    StartBasket,
    BasketNameChanged(String),
    CloseBasket,
    Quantity(usize, String),
    Price(usize, String),
    Due(usize, String),
    Card(usize, String),
    RemoveLine(usize),
    DefaultDue(String),
    DeliveryAddress(String),
    Contact(String),
    Notes(String),
    Deposit(String),
    Save,
}

pub fn is_typing(message: &Message) -> bool {
    matches!(
        message,
        Message::KeyChanged(_)
            | Message::NameChanged(_)
            | Message::AddressChanged(_)
            | Message::EmailChanged(_)
            | Message::ContactPersonChanged(_)
            | Message::IdNumberChanged(_)
            | Message::CodeChanged(_)
            | Message::BasketNameChanged(_)
            | Message::Quantity(..)
            | Message::Price(..)
            | Message::Due(..)
            | Message::Card(..)
            | Message::DefaultDue(_)
            | Message::DeliveryAddress(_)
            | Message::Contact(_)
            | Message::Notes(_)
            | Message::Deposit(_)
    )
}

/// A line as typed: what it holds, and its fields.
struct LineDraft {
    line: OrderLine,
    quantity: String,
    price: String,
    due: String,
    card: String,
}

pub struct OrderForm {
    key: String,
    kind: CustomerKind,
    customer: Option<Customer>,
    name: String,
    address: String,
    email: String,
    contact_person: String,
    id_number: String,
    consent: bool,
    packs: Vec<GiftPack>,
    code: String,
    /// A basket being put together for the order: its name and contents.
    basket: Option<(String, Vec<Component>)>,
    lines: Vec<LineDraft>,
    default_due: String,
    delivery_address: String,
    contact: String,
    notes: String,
    deposit: String,
    saved: Option<i64>,
}

impl OrderForm {
    pub fn new(store: &mut Store, now: DateTime<Utc>) -> StoreResult<OrderForm> {
        Ok(OrderForm {
            key: String::new(),
            kind: CustomerKind::Company,
            customer: None,
            name: String::new(),
            address: String::new(),
            email: String::new(),
            contact_person: String::new(),
            id_number: String::new(),
            consent: false,
            packs: store.gift_packs(now)?,
            code: String::new(),
            basket: None,
            lines: Vec::new(),
            default_due: format_day(local_date(now) + Duration::days(7)),
            delivery_address: String::new(),
            contact: String::new(),
            notes: String::new(),
            deposit: String::new(),
            saved: None,
        })
    }

    /// The templates as they are now (prices change; a product is read from the store when
    /// added, priced then: the form never holds the catalogue).
    pub fn reread(&mut self, store: &mut Store, now: DateTime<Utc>) -> StoreResult<()> {
        self.packs = store.gift_packs(now)?;
        Ok(())
    }

    /// The order just saved, once.
    pub fn take_saved(&mut self) -> Option<i64> {
        self.saved.take()
    }

    pub fn update(&mut self, message: Message, context: &mut Context<'_>) -> Done {
        match message {
            Message::KeyChanged(text) => self.key = text,
            Message::FindCustomer => return self.find_customer(context),
            Message::Kind(kind) => self.kind = kind,
            Message::NameChanged(text) => self.name = text,
            Message::AddressChanged(text) => self.address = text,
            Message::EmailChanged(text) => self.email = text,
            Message::ContactPersonChanged(text) => self.contact_person = text,
            Message::IdNumberChanged(text) => self.id_number = text,
            Message::Consent(given) => self.consent = given,
            Message::SaveCustomer => return self.save_customer(context),
            Message::AddTemplate(index) => {
                if let Some(pack) = self.packs.get(index) {
                    let line = OrderLine::basket(
                        &pack.name,
                        &pack.sku,
                        Some(pack.id),
                        &pack.components(),
                        Decimal::ONE,
                        pack.price(),
                        local_date(context.now),
                    );
                    self.push_line(line);
                }
            }
            Message::CodeChanged(text) => self.code = text,
            Message::AddProduct => return self.add_product(context),
            Message::StartBasket => {
                let name = OrderLabel::CustomBasket.text(Lang::Vi).to_string();
                self.basket = Some((name, Vec::new()));
            }
            Message::BasketNameChanged(text) => {
                if let Some((name, _)) = &mut self.basket {
                    *name = text;
                }
            }
            Message::CloseBasket => {
                if let Some((name, components)) = self.basket.take()
                    && !components.is_empty()
                {
                    let value: Money = components.iter().map(Component::shelf_value).sum();
                    let line = OrderLine::basket(
                        name.trim(),
                        "",
                        None,
                        &components,
                        Decimal::ONE,
                        value,
                        local_date(context.now),
                    );
                    self.push_line(line);
                }
            }
            Message::Quantity(index, text) => self.edit(index, |l| l.quantity = text),
            Message::Price(index, text) => self.edit(index, |l| l.price = text),
            Message::Due(index, text) => self.edit(index, |l| l.due = text),
            Message::Card(index, text) => self.edit(index, |l| l.card = text),
            Message::RemoveLine(index) => {
                if index < self.lines.len() {
                    self.lines.remove(index);
                }
            }
            Message::DefaultDue(text) => self.default_due = text,
            Message::DeliveryAddress(text) => self.delivery_address = text,
            Message::Contact(text) => self.contact = text,
            Message::Notes(text) => self.notes = text,
            Message::Deposit(text) => self.deposit = text,
            Message::Save => return self.save(context),
        }
        Done::stay()
    }

    fn edit(&mut self, index: usize, change: impl FnOnce(&mut LineDraft)) {
        if let Some(line) = self.lines.get_mut(index) {
            change(line);
        }
    }

    fn push_line(&mut self, line: OrderLine) {
        self.lines.push(LineDraft {
            quantity: format_quantity(line.quantity),
            price: line.unit_price.dong().to_string(),
            due: self.default_due.clone(),
            card: String::new(),
            line,
        });
    }

    fn found(&mut self, customer: Customer) {
        if self.delivery_address.trim().is_empty() {
            self.delivery_address = customer.address.clone();
        }
        if self.contact.trim().is_empty() {
            self.contact = match customer.kind {
                CustomerKind::Company => customer.contact.clone(),
                CustomerKind::Person => format!("{} {}", customer.name, customer.phone),
            };
        }
        self.kind = customer.kind;
        self.customer = Some(customer);
    }

    /// A tax code or a phone, whichever kind is picked: a known customer is found either way
    /// (and the kind follows it); an unknown one is typed as the kind picked.
    fn find_customer(&mut self, context: &mut Context<'_>) -> Done {
        match context.store.find_customer(&self.key, context.now) {
            Ok(Some(customer)) => {
                self.found(customer);
                Done::stay()
            }
            Ok(None) => {
                self.customer = None;
                Done::told(order_notice(OrderNotice::NotFound(
                    self.key.trim().to_string(),
                )))
            }
            Err(error) => Done::refused(&error),
        }
    }

    fn save_customer(&mut self, context: &mut Context<'_>) -> Done {
        let saved = match self.kind {
            CustomerKind::Company => {
                let buyer = Buyer {
                    id: 0,
                    name: self.name.clone(),
                    tax_code: self.key.clone(),
                    address: self.address.clone(),
                    email: self.email.clone(),
                    contact: self.contact_person.clone(),
                };
                context
                    .store
                    .save_buyer(&buyer, context.now)
                    .and_then(|buyer| context.store.company(&buyer.tax_code, context.now))
                    .and_then(|found| found.ok_or(crate::store::StoreError::NotFound))
            }
            CustomerKind::Person => context.store.save_person(
                &PersonDraft {
                    name: self.name.clone(),
                    phone: self.key.clone(),
                    id_number: self.id_number.clone(),
                    address: self.address.clone(),
                    notes: String::new(),
                    consent_given: self.consent,
                },
                None,
                &context.staff.name,
                context.now,
            ),
        };
        match saved {
            Ok(customer) => {
                let name = customer.name.clone();
                self.found(customer);
                Done::told(order_notice(OrderNotice::CustomerSaved(name)))
            }
            Err(error) => Done::refused(&error),
        }
    }

    fn add_product(&mut self, context: &mut Context<'_>) -> Done {
        let code = self.code.trim().to_string();
        let found = context
            .store
            .product_by_sku(&code, context.now)
            .and_then(|product| match product {
                Some(product) => Ok(Some(product)),
                None => context.store.product_by_barcode(&code, context.now),
            });
        let found = match found {
            Ok(found) => found,
            Err(error) => return Done::refused(&error),
        };
        let Some(product) = found else {
            return Done::told(Notice::UnknownBarcode(code));
        };
        self.code.clear();
        match &mut self.basket {
            Some((_, components)) => {
                match components.iter_mut().find(|c| c.product_id == product.id) {
                    Some(component) => component.quantity += Decimal::ONE,
                    None => components.push(Component::from_product(&product, Decimal::ONE)),
                }
            }
            None => {
                let line = OrderLine::product(
                    &product,
                    Decimal::ONE,
                    product.price,
                    local_date(context.now),
                );
                self.push_line(line);
            }
        }
        Done::told(Notice::Added { name: product.name })
    }

    /// The order as typed, each field read; the first that is not right is named.
    fn draft(&self, customer: &Customer) -> Result<OrderDraft, Notice> {
        let lines = self
            .lines
            .iter()
            .map(|draft| {
                let mut line = draft.line.clone();
                line.quantity = parse_quantity(&draft.quantity)
                    .map_err(|_| Notice::QuantityNotANumber(draft.quantity.trim().to_string()))?;
                line.unit_price = typed_amount(&draft.price)?;
                line.due_on = typed_day(&draft.due)?;
                line.card_message = draft.card.trim().to_string();
                Ok(line)
            })
            .collect::<Result<Vec<_>, Notice>>()?;
        Ok(OrderDraft {
            customer_id: customer.id,
            lines,
            delivery_address: self.delivery_address.clone(),
            contact: self.contact.clone(),
            notes: self.notes.clone(),
            deposit_asked: typed_amount(&self.deposit)?,
        })
    }

    fn save(&mut self, context: &mut Context<'_>) -> Done {
        let Some(customer) = &self.customer else {
            return Done::told(order_notice(OrderNotice::NotFound(
                self.key.trim().to_string(),
            )));
        };
        let draft = match self.draft(customer) {
            Ok(draft) => draft,
            Err(notice) => return Done::told(notice),
        };
        match context
            .store
            .create_order(&draft, &context.staff.name, context.now)
        {
            Ok(order) => {
                self.saved = Some(order.id);
                let number = order.number.clone();
                self.lines.clear();
                self.customer = None;
                self.key.clear();
                self.delivery_address.clear();
                self.contact.clear();
                self.notes.clear();
                self.deposit.clear();
                Done {
                    notice: Some(order_notice(OrderNotice::Taken(number))),
                    outcome: Outcome::Print(vec![Document::OrderConfirmation {
                        order: Box::new(order),
                        printed_at: context.now,
                    }]),
                }
            }
            Err(error) => Done::refused(&error),
        }
    }

    /// The total as typed (lines whose fields are not numbers yet count nothing).
    fn total(&self) -> Money {
        self.lines
            .iter()
            .filter_map(|l| {
                let quantity = parse_quantity(&l.quantity).ok()?;
                let price = typed_amount(&l.price).ok()?;
                Money::from_decimal(price.to_decimal() * quantity)
            })
            .sum()
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        row![
            scrollable(self.customer_view(lang).padding(theme::PAD))
                .spacing(theme::SPACE)
                .width(Length::FillPortion(4)),
            container(scrollable(self.lines_view(lang)).spacing(theme::SPACE))
                .padding(theme::PAD)
                .style(theme::panel)
                .width(Length::FillPortion(7))
                .height(Fill),
        ]
        .spacing(theme::SPACE)
        .into()
    }

    fn customer_view(&self, lang: Lang) -> Column<'_, Message> {
        let kind = |label: OrderLabel, kind: CustomerKind| {
            button(text(label.text(lang)).size(theme::SMALL).center())
                .width(Fill)
                .style(if self.kind == kind {
                    button::primary
                } else {
                    button::secondary
                })
                .on_press(Message::Kind(kind))
        };
        let mut view = column![
            text(OrderLabel::Customer.text(lang)).font(theme::BOLD),
            row![
                kind(OrderLabel::Company, CustomerKind::Company),
                kind(OrderLabel::Person, CustomerKind::Person)
            ]
            .spacing(4),
            text_input(OrderLabel::CustomerKey.text(lang), &self.key)
                .id(KEY_INPUT)
                .on_input(Message::KeyChanged)
                .on_submit(Message::FindCustomer)
                .padding(6),
        ]
        .spacing(theme::SPACE);
        match &self.customer {
            Some(customer) => {
                view = view.push(text(customer.label()).font(theme::BOLD));
                if !customer.address.is_empty() {
                    view = view.push(text(&customer.address).size(theme::SMALL));
                }
            }
            None => {
                view = view
                    .push(field(
                        OrderLabel::Name,
                        lang,
                        &self.name,
                        Message::NameChanged,
                    ))
                    .push(field(
                        OrderLabel::Address,
                        lang,
                        &self.address,
                        Message::AddressChanged,
                    ));
                view = match self.kind {
                    CustomerKind::Company => view
                        .push(field(
                            OrderLabel::Email,
                            lang,
                            &self.email,
                            Message::EmailChanged,
                        ))
                        .push(field(
                            OrderLabel::ContactPerson,
                            lang,
                            &self.contact_person,
                            Message::ContactPersonChanged,
                        )),
                    CustomerKind::Person => view
                        .push(field(
                            OrderLabel::IdNumber,
                            lang,
                            &self.id_number,
                            Message::IdNumberChanged,
                        ))
                        .push(
                            checkbox(self.consent)
                                .label(OrderLabel::Consent.text(lang))
                                .on_toggle(Message::Consent)
                                .text_size(theme::SMALL),
                        ),
                };
                view = view.push(
                    button(text(OrderLabel::SaveCustomer.text(lang)).size(theme::SMALL))
                        .style(button::secondary)
                        .on_press(Message::SaveCustomer),
                );
            }
        }
        view.push(rule::horizontal(1))
            .push(field(
                OrderLabel::DeliveryAddress,
                lang,
                &self.delivery_address,
                Message::DeliveryAddress,
            ))
            .push(field(
                OrderLabel::Contact,
                lang,
                &self.contact,
                Message::Contact,
            ))
            .push(field(OrderLabel::Notes, lang, &self.notes, Message::Notes))
            .push(field(
                OrderLabel::DueBy,
                lang,
                &self.default_due,
                Message::DefaultDue,
            ))
            .push(field(
                OrderLabel::DepositAsked,
                lang,
                &self.deposit,
                Message::Deposit,
            ))
    }

    fn lines_view(&self, lang: Lang) -> Column<'_, Message> {
        let templates = self.packs.iter().enumerate().fold(
            row![text(OrderLabel::Template.text(lang)).size(theme::SMALL)]
                .spacing(4)
                .align_y(Alignment::Center),
            |templates, (index, pack)| {
                templates.push(
                    button(text(format!("{} · {}", pack.name, pack.price())).size(theme::SMALL))
                        .style(button::success)
                        .on_press(Message::AddTemplate(index)),
                )
            },
        );
        let basket: Element<'_, Message> = match &self.basket {
            None => button(text(OrderLabel::CustomBasket.text(lang)).size(theme::SMALL))
                .style(button::secondary)
                .on_press(Message::StartBasket)
                .into(),
            Some((name, components)) => column![
                text_input(OrderLabel::BasketName.text(lang), name)
                    .on_input(Message::BasketNameChanged)
                    .padding(6),
                text(
                    components
                        .iter()
                        .map(|c| format!("{} × {}", c.name, format_quantity(c.quantity)))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
                .size(theme::SMALL),
                button(text(OrderLabel::CloseBasket.text(lang)).size(theme::SMALL))
                    .on_press(Message::CloseBasket),
            ]
            .spacing(4)
            .into(),
        };
        let mut view = column![
            templates.wrap(),
            row![
                text_input(OrderLabel::ProductCode.text(lang), &self.code)
                    .id(CODE_INPUT)
                    .on_input(Message::CodeChanged)
                    .on_submit(Message::AddProduct)
                    .padding(6),
                basket,
            ]
            .spacing(theme::SPACE),
            row![
                head(OrderLabel::Item, lang, 24),
                head(OrderLabel::Quantity, lang, 8),
                head(OrderLabel::Price, lang, 12),
                head(OrderLabel::Due, lang, 11),
                head(OrderLabel::Card, lang, 18),
                head(OrderLabel::Remove, lang, 6),
            ]
            .spacing(4),
        ]
        .spacing(theme::SPACE);
        for (index, draft) in self.lines.iter().enumerate() {
            let name = match draft.line.kind {
                LineKind::Basket => format!(
                    "{}\n{}",
                    draft.line.name,
                    draft
                        .line
                        .contents
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                LineKind::Product => draft.line.name.clone(),
            };
            let input = |value: &str, on: fn(usize, String) -> Message| {
                text_input("", value)
                    .on_input(move |text| on(index, text))
                    .padding(4)
                    .size(theme::SMALL)
            };
            view = view.push(
                row![
                    text(name).size(theme::SMALL).width(Length::FillPortion(24)),
                    input(&draft.quantity, Message::Quantity).width(Length::FillPortion(8)),
                    input(&draft.price, Message::Price).width(Length::FillPortion(12)),
                    input(&draft.due, Message::Due).width(Length::FillPortion(11)),
                    input(&draft.card, Message::Card).width(Length::FillPortion(18)),
                    button(text("✕").size(theme::SMALL))
                        .style(button::danger)
                        .on_press(Message::RemoveLine(index))
                        .width(Length::FillPortion(6)),
                ]
                .spacing(4)
                .align_y(Alignment::Center),
            );
        }
        view.push(
            row![
                text(format!(
                    "{}: {}",
                    OrderLabel::Total.text(lang),
                    self.total()
                ))
                .size(theme::AMOUNT)
                .font(theme::BOLD)
                .width(Fill),
                act(OrderLabel::SaveOrder, lang, Message::Save).style(button::success),
            ]
            .align_y(Alignment::Center),
        )
    }
}
