//! The buyer an invoice names, asked only when the customer wants one (Ctrl+B or F1 at the
//! counter, and in the invoice form to correct one): a company by tax code (found in the buyer
//! records), a person by CCCD or phone (a customer on record found by phone), a foreigner by
//! passport, or nobody — "Bán cho người tiêu dùng".

use crate::core::einvoice::{InvoiceBuyer, InvoiceBuyerError};
use crate::core::invoice::Buyer;
use crate::i18n::{Label, Lang, Notice};
use crate::store::Store;
use chrono::{DateTime, Utc};
use iced::widget::{Column, button, column, row, text, text_input};
use iced::{Element, Fill};

use crate::ui::theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Consumer,
    Company,
    Person,
    Foreigner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    TaxCode,
    Name,
    Address,
    Email,
    Contact,
    IdNumber,
    Phone,
    Passport,
}

impl Field {
    /// The widget id of the field's input.
    pub fn id(self) -> &'static str {
        match self {
            Field::TaxCode => "buyer-tax-code",
            Field::Name => "buyer-name",
            Field::Address => "buyer-address",
            Field::Email => "buyer-email",
            Field::Contact => "buyer-contact",
            Field::IdNumber => "buyer-id-number",
            Field::Phone => "buyer-phone",
            Field::Passport => "buyer-passport",
        }
    }

    fn label(self) -> Label {
        match self {
            Field::TaxCode => Label::BuyerTaxCode,
            Field::Name => Label::BuyerName,
            Field::Address => Label::BuyerAddress,
            Field::Email => Label::BuyerEmail,
            Field::Contact => Label::BuyerContact,
            Field::IdNumber => Label::BuyerIdNumber,
            Field::Phone => Label::BuyerPhone,
            Field::Passport => Label::BuyerPassport,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Kind(Kind),
    Edit(Field, String),
    /// Enter in the tax-code field: fill in a known company; in the phone field, a known
    /// person.
    LookUp,
    /// Take the buyer (the parent decides what for).
    Submit,
}

/// What the form's owner should do after a message.
pub enum Outcome {
    Stay,
    Notice(Notice),
    /// The buyer, checked (None: a consumer who gave no details).
    Done(Option<InvoiceBuyer>),
}

#[derive(Debug, Clone)]
pub struct BuyerForm {
    kind: Kind,
    company: Buyer,
    name: String,
    address: String,
    id_number: String,
    phone: String,
    passport: String,
}

impl BuyerForm {
    /// The form showing `current` (what the sale's invoice names now).
    pub fn new(current: Option<&InvoiceBuyer>) -> BuyerForm {
        let mut form = BuyerForm {
            kind: Kind::Company,
            company: Buyer::default(),
            name: String::new(),
            address: String::new(),
            id_number: String::new(),
            phone: String::new(),
            passport: String::new(),
        };
        match current.cloned() {
            None => {}
            Some(InvoiceBuyer::Company(buyer)) => form.company = buyer,
            Some(InvoiceBuyer::Person {
                name,
                id_number,
                phone,
                address,
            }) => {
                form = BuyerForm {
                    kind: Kind::Person,
                    name,
                    id_number,
                    phone,
                    address,
                    ..form
                }
            }
            Some(InvoiceBuyer::Foreigner {
                name,
                passport,
                address,
            }) => {
                form = BuyerForm {
                    kind: Kind::Foreigner,
                    name,
                    passport,
                    address,
                    ..form
                }
            }
        }
        form
    }

    /// The field that takes the keyboard when the form shows.
    pub fn focused_input(&self) -> Option<&'static str> {
        self.fields().first().map(|field| field.id())
    }

    fn fields(&self) -> &'static [Field] {
        match self.kind {
            Kind::Consumer => &[],
            Kind::Company => &[
                Field::TaxCode,
                Field::Name,
                Field::Address,
                Field::Email,
                Field::Contact,
            ],
            Kind::Person => &[Field::IdNumber, Field::Phone, Field::Name, Field::Address],
            Kind::Foreigner => &[Field::Passport, Field::Name, Field::Address],
        }
    }

    fn value(&self, field: Field) -> &str {
        match (self.kind, field) {
            (_, Field::TaxCode) => &self.company.tax_code,
            (Kind::Company, Field::Name) => &self.company.name,
            (Kind::Company, Field::Address) => &self.company.address,
            (_, Field::Email) => &self.company.email,
            (_, Field::Contact) => &self.company.contact,
            (_, Field::Name) => &self.name,
            (_, Field::Address) => &self.address,
            (_, Field::IdNumber) => &self.id_number,
            (_, Field::Phone) => &self.phone,
            (_, Field::Passport) => &self.passport,
        }
    }

    fn value_mut(&mut self, field: Field) -> &mut String {
        match (self.kind, field) {
            (_, Field::TaxCode) => &mut self.company.tax_code,
            (Kind::Company, Field::Name) => &mut self.company.name,
            (Kind::Company, Field::Address) => &mut self.company.address,
            (_, Field::Email) => &mut self.company.email,
            (_, Field::Contact) => &mut self.company.contact,
            (_, Field::Name) => &mut self.name,
            (_, Field::Address) => &mut self.address,
            (_, Field::IdNumber) => &mut self.id_number,
            (_, Field::Phone) => &mut self.phone,
            (_, Field::Passport) => &mut self.passport,
        }
    }

    /// The buyer as typed, not yet checked.
    pub fn typed(&self) -> Option<InvoiceBuyer> {
        match self.kind {
            Kind::Consumer => None,
            Kind::Company => Some(InvoiceBuyer::Company(self.company.clone())),
            Kind::Person => Some(InvoiceBuyer::Person {
                name: self.name.clone(),
                id_number: self.id_number.clone(),
                phone: self.phone.clone(),
                address: self.address.clone(),
            }),
            Kind::Foreigner => Some(InvoiceBuyer::Foreigner {
                name: self.name.clone(),
                passport: self.passport.clone(),
                address: self.address.clone(),
            }),
        }
    }

    /// The buyer, checked.
    pub fn buyer(&self) -> Result<Option<InvoiceBuyer>, InvoiceBuyerError> {
        self.typed().as_ref().map(InvoiceBuyer::checked).transpose()
    }

    pub fn is_typing(message: &Message) -> bool {
        matches!(message, Message::Edit(..))
    }

    /// Changes the form. A company's details typed for the first time go into the buyer
    /// records, so its tax code finds them next time.
    pub fn update(&mut self, message: Message, store: &mut Store, now: DateTime<Utc>) -> Outcome {
        match message {
            Message::Kind(kind) => self.kind = kind,
            Message::Edit(field, value) => *self.value_mut(field) = value,
            // A person on record is found by phone; a second Enter (or an unknown phone)
            // takes the buyer as typed.
            Message::LookUp if self.kind == Kind::Person => match store.person(&self.phone) {
                Ok(Some(known)) if known.name != self.name => {
                    self.name = known.name;
                    self.id_number = known.id_number;
                    self.address = known.address;
                }
                Ok(_) => return self.update(Message::Submit, store, now),
                Err(error) => return Outcome::Notice(Notice::from_store_error(&error)),
            },
            Message::LookUp => match store.buyer(&self.company.tax_code) {
                Ok(Some(known)) => self.company = known,
                Ok(None) => {}
                Err(error) => return Outcome::Notice(Notice::from_store_error(&error)),
            },
            Message::Submit => {
                return match self.buyer() {
                    Err(error) => Outcome::Notice(Notice::InvoiceBuyer(error)),
                    Ok(Some(InvoiceBuyer::Company(company))) => {
                        match store.save_buyer(&company, now) {
                            Ok(_) => Outcome::Done(Some(InvoiceBuyer::Company(company))),
                            Err(error) => Outcome::Notice(Notice::from_store_error(&error)),
                        }
                    }
                    Ok(buyer) => Outcome::Done(buyer),
                };
            }
        }
        Outcome::Stay
    }

    /// The kind buttons and the fields of the chosen kind; `submit` labels the button.
    pub fn view<'a>(&'a self, lang: Lang, submit: Label) -> Element<'a, Message> {
        let kinds = [
            (Kind::Consumer, Label::BuyerConsumer),
            (Kind::Company, Label::BuyerCompany),
            (Kind::Person, Label::BuyerPerson),
            (Kind::Foreigner, Label::BuyerForeigner),
        ]
        .into_iter()
        .fold(row![].spacing(4), |kinds, (kind, label)| {
            let style = if kind == self.kind {
                button::primary
            } else {
                button::secondary
            };
            kinds.push(
                button(text(label.text(lang)).size(theme::SMALL).center())
                    .width(Fill)
                    .style(style)
                    .on_press(Message::Kind(kind)),
            )
        });
        let mut fields = Column::new().spacing(theme::SPACE);
        for &field in self.fields() {
            let mut input = text_input(field.label().text(lang), self.value(field))
                .id(field.id())
                .on_input(move |value| Message::Edit(field, value))
                .padding(8);
            input = if field == Field::TaxCode || field == Field::Phone {
                input.on_submit(Message::LookUp)
            } else {
                input.on_submit(Message::Submit)
            };
            fields = fields.push(
                column![
                    text(field.label().text(lang))
                        .size(theme::SMALL)
                        .style(theme::muted),
                    input
                ]
                .spacing(2),
            );
        }
        if self.kind == Kind::Consumer {
            fields = fields.push(text(crate::core::einvoice::CONSUMER));
        }
        column![
            kinds,
            fields,
            button(text(submit.text(lang)).center())
                .width(Fill)
                .height(theme::BUTTON_HEIGHT)
                .style(button::success)
                .on_press(Message::Submit),
        ]
        .spacing(theme::SPACE)
        .into()
    }
}
