//! The gift-pack invoice form: the buyer (found by tax code or entered once) and the sale.

use crate::core::invoice::Buyer;
use crate::documents::Document;
use crate::i18n::{Label, Lang, Notice};
use crate::ui::{Action, Context, theme};
use iced::widget::{button, column, scrollable, text, text_input};
use iced::{Element, Fill};

/// The tax-code field, focused when the form opens.
pub const TAX_CODE_INPUT: &str = "invoice-tax-code";

#[derive(Debug, Clone, Copy)]
pub enum Field {
    ReceiptNo,
    TaxCode,
    Name,
    Address,
    Email,
    Contact,
}

impl Field {
    /// The widget id of the field's input.
    pub fn id(self) -> &'static str {
        match self {
            Field::ReceiptNo => "invoice-receipt-no",
            Field::TaxCode => TAX_CODE_INPUT,
            Field::Name => "invoice-name",
            Field::Address => "invoice-address",
            Field::Email => "invoice-email",
            Field::Contact => "invoice-contact",
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Edit(Field, String),
    /// Enter in the tax-code field: fill in a known buyer.
    LookUp,
    Issue,
}

#[derive(Debug, Clone, Default)]
pub struct InvoiceForm {
    receipt_no: String,
    buyer: Buyer,
}

impl InvoiceForm {
    pub fn for_sale(receipt_no: &str) -> InvoiceForm {
        InvoiceForm {
            receipt_no: receipt_no.to_string(),
            buyer: Buyer::default(),
        }
    }

    /// Changes the form; returns a notice to show, and what the parent must do.
    pub fn update(
        &mut self,
        message: Message,
        context: &mut Context<'_>,
    ) -> (Option<Notice>, Action) {
        match message {
            Message::Edit(field, value) => {
                let target = match field {
                    Field::ReceiptNo => &mut self.receipt_no,
                    Field::TaxCode => &mut self.buyer.tax_code,
                    Field::Name => &mut self.buyer.name,
                    Field::Address => &mut self.buyer.address,
                    Field::Email => &mut self.buyer.email,
                    Field::Contact => &mut self.buyer.contact,
                };
                *target = value;
                (None, Action::None)
            }
            Message::LookUp => match context.store.buyer(&self.buyer.tax_code) {
                Ok(Some(known)) => {
                    self.buyer = known;
                    (None, Action::None)
                }
                Ok(None) => (None, Action::None),
                Err(error) => (Some(Notice::from_store_error(&error)), Action::None),
            },
            Message::Issue => {
                let issued = context
                    .store
                    .save_buyer(&self.buyer, context.now)
                    .and_then(|buyer| {
                        context.store.issue_invoice(
                            &self.receipt_no,
                            &buyer.tax_code,
                            &context.staff.name,
                            None,
                            context.now,
                        )
                    });
                match issued {
                    Ok(invoice) => (
                        Some(Notice::InvoiceIssued(invoice.reference())),
                        Action::Produce(Document::Invoice {
                            invoice: Box::new(invoice),
                            copy: false,
                        }),
                    ),
                    Err(error) => (Some(Notice::from_store_error(&error)), Action::None),
                }
            }
        }
    }

    pub fn view<'a>(&'a self, lang: Lang) -> Element<'a, Message> {
        let input = |label: Label, value: &str, field: Field| {
            text_input(label.text(lang), value)
                .id(field.id())
                .on_input(move |v| Message::Edit(field, v))
                .padding(8)
        };
        // A caption above each field: the placeholder is gone once something is typed.
        let captioned = |label: Label, input: iced::widget::TextInput<'a, Message>| {
            column![
                text(label.text(lang))
                    .size(theme::SMALL)
                    .style(theme::muted),
                input
            ]
            .spacing(2)
        };
        let fields = column![
            captioned(
                Label::ReceiptNumberHint,
                input(Label::ReceiptNumberHint, &self.receipt_no, Field::ReceiptNo)
            ),
            captioned(
                Label::BuyerTaxCode,
                input(Label::BuyerTaxCode, &self.buyer.tax_code, Field::TaxCode)
                    .on_submit(Message::LookUp)
            ),
            captioned(
                Label::BuyerName,
                input(Label::BuyerName, &self.buyer.name, Field::Name)
            ),
            captioned(
                Label::BuyerAddress,
                input(Label::BuyerAddress, &self.buyer.address, Field::Address)
            ),
            captioned(
                Label::BuyerEmail,
                input(Label::BuyerEmail, &self.buyer.email, Field::Email)
            ),
            captioned(
                Label::BuyerContact,
                // Enter in the last field issues the invoice.
                input(Label::BuyerContact, &self.buyer.contact, Field::Contact)
                    .on_submit(Message::Issue)
            ),
        ]
        .spacing(theme::SPACE);
        // The fields scroll on a small screen; the button to issue stays in sight.
        column![
            text(Label::InvoiceTitle.text(lang))
                .size(theme::HEADING)
                .font(theme::BOLD),
            scrollable(fields).spacing(theme::SPACE).height(Fill),
            button(text(Label::IssueInvoice.text(lang)).center())
                .width(Fill)
                .height(theme::BUTTON_HEIGHT)
                .style(button::success)
                .on_press(Message::Issue),
        ]
        .spacing(theme::SPACE)
        .into()
    }
}
