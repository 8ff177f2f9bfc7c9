//! Producers (OCOP entities): the list, a form for one, and that producer's products with
//! their stock.

use super::{Catalogue, Choice, InView, Outcome, beside, cell, heads, labelled, pick_one_list};
use crate::core::cart::{format_quantity, parse_quantity};
use crate::core::catalog::stars_text;
use crate::core::inventory::{ProducerDraft, ProducerKind};
use crate::i18n::{Label, Lang, Notice, producer_kind_name};
use crate::ui::{Context, theme};
use iced::widget::{button, checkbox, column, pick_list, row, scrollable, text};
use iced::{Alignment, Element, Fill, Length};

/// A producer's products listed under its form; a bigger range is the product table's to
/// show (filtered by producer).
const PRODUCTS_LISTED: usize = 200;

/// The form's text fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProducerField {
    Name,
    Commune,
    Province,
    Contact,
    TaxCode,
    BankAccount,
    Commission,
}

impl ProducerField {
    pub fn id(self) -> &'static str {
        match self {
            ProducerField::Name => "producer-name",
            ProducerField::Commune => "producer-commune",
            ProducerField::Province => "producer-province",
            ProducerField::Contact => "producer-contact",
            ProducerField::TaxCode => "producer-tax-code",
            ProducerField::BankAccount => "producer-bank-account",
            ProducerField::Commission => "producer-commission",
        }
    }

    fn label(self) -> Label {
        match self {
            ProducerField::Name => Label::InvName,
            ProducerField::Commune => Label::InvCommune,
            ProducerField::Province => Label::InvProvince,
            ProducerField::Contact => Label::InvContact,
            ProducerField::TaxCode => Label::InvTaxCode,
            ProducerField::BankAccount => Label::InvBankAccount,
            ProducerField::Commission => Label::InvCommission,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Select(i64),
    New,
    Edit(ProducerField, String),
    Kind(ProducerKind),
    Consignment(bool),
    Save,
    /// The list scrolled: its rows in view are built.
    Scrolled(scrollable::Viewport),
}

#[derive(Debug, Clone)]
struct ProducerForm {
    id: Option<i64>,
    name: String,
    kind: ProducerKind,
    commune: String,
    province: String,
    contact: String,
    tax_code: String,
    bank_account: String,
    consignment: bool,
    commission: String,
}

impl ProducerForm {
    fn of(id: Option<i64>, draft: &ProducerDraft) -> ProducerForm {
        ProducerForm {
            id,
            name: draft.name.clone(),
            kind: draft.kind,
            commune: draft.commune.clone(),
            province: draft.province.clone(),
            contact: draft.contact.clone(),
            tax_code: draft.tax_code.clone(),
            bank_account: draft.bank_account.clone(),
            consignment: draft.consignment.is_some(),
            commission: draft.consignment.map_or(String::new(), format_quantity),
        }
    }

    fn text_mut(&mut self, field: ProducerField) -> &mut String {
        match field {
            ProducerField::Name => &mut self.name,
            ProducerField::Commune => &mut self.commune,
            ProducerField::Province => &mut self.province,
            ProducerField::Contact => &mut self.contact,
            ProducerField::TaxCode => &mut self.tax_code,
            ProducerField::BankAccount => &mut self.bank_account,
            ProducerField::Commission => &mut self.commission,
        }
    }

    fn text(&self, field: ProducerField) -> &str {
        match field {
            ProducerField::Name => &self.name,
            ProducerField::Commune => &self.commune,
            ProducerField::Province => &self.province,
            ProducerField::Contact => &self.contact,
            ProducerField::TaxCode => &self.tax_code,
            ProducerField::BankAccount => &self.bank_account,
            ProducerField::Commission => &self.commission,
        }
    }

    fn draft(&self) -> Result<ProducerDraft, Notice> {
        let consignment = if self.consignment {
            let typed = if self.commission.trim().is_empty() {
                "0"
            } else {
                &self.commission
            };
            Some(
                parse_quantity(typed.trim_end_matches('%'))
                    .map_err(|_| Notice::QuantityNotANumber(self.commission.clone()))?,
            )
        } else {
            None
        };
        Ok(ProducerDraft {
            name: self.name.clone(),
            kind: self.kind,
            commune: self.commune.clone(),
            province: self.province.clone(),
            contact: self.contact.clone(),
            tax_code: self.tax_code.clone(),
            bank_account: self.bank_account.clone(),
            consignment,
        })
    }
}

#[derive(Debug, Default)]
pub struct Producers {
    form: Option<ProducerForm>,
    in_view: InView,
}

impl Producers {
    pub fn update(
        &mut self,
        message: Message,
        catalogue: &Catalogue,
        context: &mut Context<'_>,
    ) -> Result<Outcome, Notice> {
        match message {
            Message::Scrolled(viewport) => self.in_view.scrolled(viewport),
            Message::Select(id) => {
                self.form = catalogue
                    .producers
                    .iter()
                    .find(|(producer_id, _)| *producer_id == id)
                    .map(|(id, draft)| ProducerForm::of(Some(*id), draft));
            }
            Message::New => {
                self.form = Some(ProducerForm::of(
                    None,
                    &ProducerDraft {
                        name: String::new(),
                        kind: ProducerKind::Cooperative,
                        commune: String::new(),
                        province: String::new(),
                        contact: String::new(),
                        tax_code: String::new(),
                        bank_account: String::new(),
                        consignment: None,
                    },
                ));
            }
            Message::Edit(field, value) => {
                if let Some(form) = &mut self.form {
                    *form.text_mut(field) = value;
                }
            }
            Message::Kind(kind) => {
                if let Some(form) = &mut self.form {
                    form.kind = kind;
                }
            }
            Message::Consignment(on) => {
                if let Some(form) = &mut self.form {
                    form.consignment = on;
                }
            }
            Message::Save => {
                let Some(form) = &mut self.form else {
                    return Ok(Outcome::default());
                };
                let draft = form.draft()?;
                let name = draft.name.trim().to_string();
                let renamed_from = catalogue
                    .producers
                    .iter()
                    .find(|(id, _)| Some(*id) == form.id)
                    .map(|(_, before)| before.name.clone())
                    .filter(|before| *before != name);
                let id = context
                    .store
                    .save_producer(form.id, draft)
                    .map_err(|error| Notice::from_store_error(&error))?;
                form.id = Some(id);
                // Only a new name shows in the products' rows: theirs alone are read again.
                let products = renamed_from
                    .map_or_else(Vec::new, |before| catalogue.list.products_of(&before));
                return Ok(Outcome::changed_producers(
                    Notice::ProducerSaved(name),
                    products,
                ));
            }
        }
        Ok(Outcome::default())
    }

    pub fn view<'a>(&'a self, catalogue: &'a Catalogue, lang: Lang) -> Element<'a, Message> {
        let w = Length::FillPortion;
        let selected = self.form.as_ref().and_then(|form| form.id);
        let entries = catalogue.producers.iter().map(|(id, producer)| {
            let cells = vec![
                producer.name.clone(),
                producer_kind_name(producer.kind, lang).into(),
                producer.province.clone(),
                producer.tax_code.clone(),
                producer
                    .consignment
                    .map_or(String::new(), |pct| format!("{} %", format_quantity(pct))),
            ];
            (cells, selected == Some(*id), Message::Select(*id))
        });
        let list = pick_one_list(
            &[
                (Label::InvName, w(5)),
                (Label::InvKind, w(3)),
                (Label::InvProvince, w(3)),
                (Label::InvTaxCode, w(3)),
                (Label::InvConsignment, w(2)),
            ],
            entries,
            (self.in_view, Message::Scrolled),
            (Label::InvNewProducer, Message::New),
            lang,
        );
        beside(
            list,
            self.form
                .as_ref()
                .map(|form| form_view(form, catalogue, lang)),
            Label::InvPickProducerHint,
            lang,
        )
    }
}

fn form_view<'a>(
    form: &'a ProducerForm,
    catalogue: &'a Catalogue,
    lang: Lang,
) -> Element<'a, Message> {
    let input = |field: ProducerField| field_input(field, form.text(field), lang);
    let kinds: Vec<Choice<ProducerKind>> = ProducerKind::ALL
        .into_iter()
        .map(|kind| Choice {
            value: Some(kind),
            name: producer_kind_name(kind, lang).to_string(),
        })
        .collect();
    let kind = kinds.iter().find(|c| c.value == Some(form.kind)).cloned();
    let products = catalogue
        .list
        .rows()
        .iter()
        .filter(|row| form.id.is_some() && row.producer == form.name)
        .take(PRODUCTS_LISTED);
    let columns = [
        (Label::InvSku, Length::FillPortion(2)),
        (Label::InvName, Length::FillPortion(5)),
        (Label::InvStars, Length::FillPortion(2)),
        (Label::InvStock, Length::FillPortion(2)),
    ];
    let widths = columns.map(|(_, width)| width);
    let product_rows = column(products.map(|product| {
        row![
            cell(product.sku().to_string(), widths[0]),
            cell(product.name().to_string(), widths[1]),
            cell(stars_text(product.stars), widths[2]),
            cell(
                format!("{} {}", format_quantity(product.stock), product.unit),
                widths[3]
            ),
        ]
        .spacing(4)
        .into()
    }))
    .spacing(2);
    column![
        input(ProducerField::Name),
        labelled(
            Label::InvKind,
            lang,
            pick_list(kinds, kind, |c: Choice<ProducerKind>| {
                Message::Kind(c.value.unwrap_or(ProducerKind::Cooperative))
            })
            .width(Fill)
        ),
        row![
            input(ProducerField::Commune),
            input(ProducerField::Province)
        ]
        .spacing(theme::SPACE),
        row![input(ProducerField::Contact), input(ProducerField::TaxCode)].spacing(theme::SPACE),
        input(ProducerField::BankAccount),
        row![
            checkbox(form.consignment)
                .label(Label::InvConsignment.text(lang))
                .on_toggle(Message::Consignment),
            input(ProducerField::Commission),
        ]
        .spacing(theme::SPACE)
        .align_y(Alignment::End),
        button(text(Label::InvSave.text(lang)))
            .style(button::success)
            .on_press(Message::Save),
        text(Label::InvProducerProducts.text(lang)).font(theme::BOLD),
        heads(&columns, lang),
        product_rows,
    ]
    .spacing(theme::SPACE)
    .into()
}

fn field_input<'a>(field: ProducerField, value: &'a str, lang: Lang) -> Element<'a, Message> {
    super::field(
        field.label(),
        field.id(),
        value,
        lang,
        move |value| Message::Edit(field, value),
        Message::Save,
    )
}
