//! Gift-pack templates: the list, and a form to create one, change its contents and price,
//! or take it off the counter. A template keeps its barcode; past sales keep what they sold.

use super::{
    Catalogue, Choice, InView, Outcome, ScanField, ScanMessage, activation_button, beside, cell,
    field, labelled, pick_one_list,
};
use crate::core::cart::{format_quantity, parse_quantity};
use crate::core::giftpack::{GiftPack, PackPricing};
use crate::core::money::{Money, parse_amount};
use crate::i18n::{Label, Lang, Notice};
use crate::store::{Store, StoreResult};
use crate::ui::{Context, theme};
use chrono::{DateTime, Utc};
use iced::widget::{button, column, pick_list, row, scrollable, text, text_input};
use iced::{Alignment, Element, Fill, Length};
use rust_decimal::Decimal;

/// The field that scans or searches a product into the template.
pub const PACK_ITEM_INPUT: &str = "pack-item";
/// The template's SKU, name and price fields.
pub const PACK_SKU_INPUT: &str = "pack-sku";
pub const PACK_NAME_INPUT: &str = "pack-name";
pub const PACK_AMOUNT_INPUT: &str = "pack-amount";

/// The id of the quantity field of the template's line `index`.
pub fn pack_quantity_input(index: usize) -> String {
    format!("pack-quantity-{index}")
}

/// How the form prices the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PricingKind {
    Fixed,
    LessThanContents,
}

#[derive(Debug, Clone)]
pub enum Message {
    Select(String),
    New,
    Sku(String),
    Name(String),
    Pricing(PricingKind),
    Amount(String),
    /// A product scanned, typed or picked into the template.
    Item(ScanMessage),
    Quantity(usize, String),
    Remove(usize),
    Save,
    SetActive(bool),
    /// The list scrolled: its rows in view are built.
    Scrolled(scrollable::Viewport),
}

#[derive(Debug, Clone)]
struct PackLine {
    sku: String,
    name: String,
    price: Option<Money>,
    quantity: String,
}

#[derive(Debug, Clone)]
struct PackForm {
    /// None for a new template.
    existing: Option<(String, bool)>,
    sku: String,
    name: String,
    pricing: PricingKind,
    amount: String,
    lines: Vec<PackLine>,
    item: ScanField,
}

impl PackForm {
    fn of(pack: &GiftPack, active: bool) -> PackForm {
        let (pricing, amount) = match pack.pricing {
            PackPricing::Fixed(price) => (PricingKind::Fixed, price),
            PackPricing::LessThanContents(discount) => (PricingKind::LessThanContents, discount),
        };
        PackForm {
            existing: Some((pack.sku.clone(), active)),
            sku: pack.sku.clone(),
            name: pack.name.clone(),
            pricing,
            amount: amount.dong().to_string(),
            lines: pack
                .items
                .iter()
                .map(|(product, quantity)| PackLine {
                    sku: product.sku.clone(),
                    name: product.name.clone(),
                    price: Some(product.price),
                    quantity: format_quantity(*quantity),
                })
                .collect(),
            item: ScanField::default(),
        }
    }

    fn new_pack() -> PackForm {
        PackForm {
            existing: None,
            sku: String::new(),
            name: String::new(),
            pricing: PricingKind::Fixed,
            amount: String::new(),
            lines: Vec::new(),
            item: ScanField::default(),
        }
    }

    /// One more of a product: a new line of one, or one more on its line.
    fn add(&mut self, catalogue: &Catalogue, position: usize) {
        let product = catalogue.list.row(position);
        match self.lines.iter_mut().find(|line| line.sku == product.sku()) {
            Some(line) => {
                let quantity = parse_quantity(&line.quantity).unwrap_or(Decimal::ZERO);
                line.quantity = format_quantity(quantity + Decimal::ONE);
            }
            None => self.lines.push(PackLine {
                sku: product.sku().to_string(),
                name: product.name().to_string(),
                price: product.price,
                quantity: "1".into(),
            }),
        }
    }

    /// The contents at shelf prices, when every quantity reads.
    fn contents_value(&self) -> Option<Money> {
        self.lines
            .iter()
            .map(|line| {
                let quantity = parse_quantity(&line.quantity).ok()?;
                Money::from_decimal((quantity * line.price?.to_decimal()).round())
            })
            .sum()
    }

    fn pricing(&self) -> Result<PackPricing, Notice> {
        let amount = parse_amount(&self.amount).map_err(Notice::Amount)?;
        Ok(match self.pricing {
            PricingKind::Fixed => PackPricing::Fixed(amount),
            PricingKind::LessThanContents => PackPricing::LessThanContents(amount),
        })
    }

    fn items(&self) -> Result<Vec<(String, Decimal)>, Notice> {
        self.lines
            .iter()
            .map(|line| {
                parse_quantity(&line.quantity)
                    .map(|quantity| (line.sku.clone(), quantity))
                    .map_err(|_| Notice::QuantityNotANumber(line.quantity.clone()))
            })
            .collect()
    }
}

pub struct Packs {
    packs: Vec<(GiftPack, bool)>,
    form: Option<PackForm>,
    in_view: InView,
}

impl Packs {
    pub fn new(store: &Store, now: DateTime<Utc>) -> StoreResult<Packs> {
        Ok(Packs {
            packs: store.all_gift_packs(now)?,
            form: None,
            in_view: InView::default(),
        })
    }

    /// Reads the templates again, keeping the form open.
    pub fn refresh(&mut self, store: &Store, now: DateTime<Utc>) -> StoreResult<()> {
        self.packs = store.all_gift_packs(now)?;
        Ok(())
    }

    pub fn update(
        &mut self,
        message: Message,
        catalogue: &Catalogue,
        context: &mut Context<'_>,
    ) -> Result<Outcome, Notice> {
        if let Message::Scrolled(viewport) = message {
            self.in_view.scrolled(viewport);
            return Ok(Outcome::default());
        }
        if let Message::Select(sku) = &message {
            self.form = self
                .packs
                .iter()
                .find(|(pack, _)| &pack.sku == sku)
                .map(|(pack, active)| PackForm::of(pack, *active));
            return Ok(Outcome::default());
        }
        if let Message::New = message {
            self.form = Some(PackForm::new_pack());
            return Ok(Outcome::default());
        }
        let Some(form) = &mut self.form else {
            return Ok(Outcome::default());
        };
        match message {
            Message::Select(_) | Message::New | Message::Scrolled(_) => {}
            Message::Sku(value) => form.sku = value,
            Message::Name(value) => form.name = value,
            Message::Pricing(kind) => form.pricing = kind,
            Message::Amount(value) => form.amount = value,
            Message::Item(scan) => {
                if let Some(position) =
                    form.item
                        .update(scan, catalogue, context.store, context.now)?
                {
                    form.add(catalogue, position);
                }
            }
            Message::Quantity(index, value) => {
                if let Some(line) = form.lines.get_mut(index) {
                    line.quantity = value;
                }
            }
            Message::Remove(index) => {
                if index < form.lines.len() {
                    form.lines.remove(index);
                }
            }
            Message::Save => {
                let pricing = form.pricing()?;
                let items = form.items()?;
                let stored = |error| Notice::from_store_error(&error);
                let pack = match &form.existing {
                    Some((sku, _)) => context.store.update_gift_pack(
                        sku,
                        &form.name,
                        pricing,
                        &items,
                        context.now,
                    ),
                    None => context.store.create_gift_pack(
                        &form.sku,
                        &form.name,
                        pricing,
                        &items,
                        context.now,
                    ),
                }
                .map_err(stored)?;
                let active = form.existing.as_ref().is_none_or(|(_, active)| *active);
                *form = PackForm::of(&pack, active);
                return Ok(Outcome::changed_packs(Notice::PackSaved(pack.sku)));
            }
            Message::SetActive(active) => {
                let Some((sku, _)) = &form.existing else {
                    return Ok(Outcome::default());
                };
                let sku = sku.clone();
                context
                    .store
                    .set_gift_pack_active(&sku, active)
                    .map_err(|error| Notice::from_store_error(&error))?;
                form.existing = Some((sku.clone(), active));
                return Ok(Outcome::changed_packs(if active {
                    Notice::PackReactivated(sku)
                } else {
                    Notice::PackDeactivated(sku)
                }));
            }
        }
        Ok(Outcome::default())
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let w = |portion| Length::FillPortion(portion);
        let selected = self
            .form
            .as_ref()
            .and_then(|form| form.existing.as_ref().map(|(sku, _)| sku));
        let entries = self.packs.iter().map(|(pack, active)| {
            let status = if *active {
                Label::InvActive
            } else {
                Label::InvInactive
            };
            let cells = vec![
                pack.sku.clone(),
                pack.name.clone(),
                pack.barcode.clone(),
                pack.price().to_string(),
                pack.items.len().to_string(),
                status.text(lang).into(),
            ];
            (
                cells,
                selected == Some(&pack.sku),
                Message::Select(pack.sku.clone()),
            )
        });
        let list = pick_one_list(
            &[
                (Label::InvSku, w(2)),
                (Label::InvName, w(5)),
                (Label::InvBarcode, w(3)),
                (Label::InvPrice, w(3)),
                (Label::InvItems, w(1)),
                (Label::InvStatus, w(2)),
            ],
            entries,
            (self.in_view, Message::Scrolled),
            (Label::InvNewPack, Message::New),
            lang,
        );
        beside(
            list,
            self.form.as_ref().map(|form| form_view(form, lang)),
            Label::InvPickPackHint,
            lang,
        )
    }
}

fn form_view(form: &PackForm, lang: Lang) -> Element<'_, Message> {
    let sku: Element<'_, Message> = match &form.existing {
        Some((sku, _)) => labelled(Label::InvSku, lang, text(sku.clone()).font(theme::BOLD)).into(),
        None => field(
            Label::InvSku,
            PACK_SKU_INPUT,
            &form.sku,
            lang,
            Message::Sku,
            Message::Save,
        ),
    };
    let kinds: Vec<Choice<PricingKind>> = [PricingKind::Fixed, PricingKind::LessThanContents]
        .into_iter()
        .map(|kind| Choice {
            value: Some(kind),
            name: match kind {
                PricingKind::Fixed => Label::InvPackFixed,
                PricingKind::LessThanContents => Label::InvPackLess,
            }
            .text(lang)
            .to_string(),
        })
        .collect();
    let kind = kinds
        .iter()
        .find(|c| c.value == Some(form.pricing))
        .cloned();
    let lines = column(form.lines.iter().enumerate().map(|(index, line)| {
        row![
            cell(line.sku.clone(), Length::FillPortion(2)),
            cell(line.name.clone(), Length::FillPortion(6)),
            text_input("", &line.quantity)
                .id(pack_quantity_input(index))
                .on_input(move |value| Message::Quantity(index, value))
                .padding(4)
                .size(theme::SMALL)
                .width(Length::FillPortion(2)),
            button(text("✕").size(theme::SMALL))
                .style(button::secondary)
                .on_press(Message::Remove(index)),
        ]
        .spacing(4)
        .align_y(Alignment::Center)
        .into()
    }))
    .spacing(4);
    let contents = form.contents_value();
    let price = match (form.pricing(), contents) {
        (Ok(PackPricing::Fixed(price)), _) => Some(price),
        (Ok(PackPricing::LessThanContents(discount)), Some(value)) => Some(value - discount),
        _ => None,
    };
    let summary = match (contents, price) {
        (Some(contents), Some(price)) => Label::InvPackSummary
            .text(lang)
            .replace("{contents}", &contents.to_string())
            .replace("{price}", &price.to_string())
            .replace("{difference}", &(price - contents).to_string()),
        _ => String::new(),
    };
    let mut buttons = row![
        button(text(Label::InvSave.text(lang)))
            .style(button::success)
            .on_press(Message::Save)
    ]
    .spacing(theme::SPACE);
    if let Some((_, active)) = &form.existing {
        buttons = buttons.push(activation_button(*active, lang, Message::SetActive));
    }
    column![
        row![
            sku,
            field(
                Label::InvName,
                PACK_NAME_INPUT,
                &form.name,
                lang,
                Message::Name,
                Message::Save
            )
        ]
        .spacing(theme::SPACE),
        row![
            labelled(
                Label::InvPackPricing,
                lang,
                pick_list(kinds, kind, |c: Choice<PricingKind>| {
                    Message::Pricing(c.value.unwrap_or(PricingKind::Fixed))
                })
                .width(Fill)
            ),
            field(
                Label::InvPackAmount,
                PACK_AMOUNT_INPUT,
                &form.amount,
                lang,
                Message::Amount,
                Message::Save
            ),
        ]
        .spacing(theme::SPACE),
        text(Label::InvPackContents.text(lang)).font(theme::BOLD),
        form.item
            .view(PACK_ITEM_INPUT, Label::InvScanToAdd, lang)
            .map(Message::Item),
        lines,
        text(summary).size(theme::SMALL),
        buttons,
    ]
    .spacing(theme::SPACE)
    .into()
}
