//! Receiving a delivery from a producer: pick the producer, scan or search the products, type
//! quantities, costs, lots and expiry days, then post everything in one transaction and print
//! the receiving note.

use super::{Catalogue, Outcome, ScanField, ScanMessage, cell, heads, labelled, parse_date};
use crate::core::cart::{format_quantity, parse_quantity};
use crate::core::clock::format_local;
use crate::core::inventory::ReceiptLine;
use crate::core::money::{Money, parse_amount};
use crate::core::receiving::Receiving as PostedNote;
use crate::documents::Document;
use crate::i18n::{Label, Lang, Notice, OfficeNotice};
use crate::store::{Store, StoreResult};
use crate::ui::{Context, theme};
use iced::widget::{
    button, column, container, pick_list, row, scrollable, space, text, text_input,
};
use iced::{Alignment, Element, Fill, FillPortion, Length};
use rust_decimal::Decimal;

/// The scan / search field of the receiving panel.
pub const RECEIVING_SCAN_INPUT: &str = "receiving-scan";
/// The producer's delivery note number.
pub const DELIVERY_NOTE_INPUT: &str = "receiving-delivery-note";

/// The typed cells of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceivingField {
    Quantity,
    Cost,
    Lot,
    Expiry,
}

impl ReceivingField {
    /// The id of this cell on line `index` (0 is the first line).
    pub fn id(self, index: usize) -> String {
        let name = match self {
            ReceivingField::Quantity => "quantity",
            ReceivingField::Cost => "cost",
            ReceivingField::Lot => "lot",
            ReceivingField::Expiry => "expiry",
        };
        format!("receiving-{name}-{index}")
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Producer(String),
    DeliveryNote(String),
    Scan(ScanMessage),
    Edit(usize, ReceivingField, String),
    Remove(usize),
    Post,
    /// Print a posted note again, by its number.
    Reprint(String),
}

#[derive(Debug, Clone)]
struct Line {
    product_id: i64,
    sku: String,
    name: String,
    unit: String,
    /// The product's own producer.
    producer: String,
    quantity: String,
    cost: String,
    lot: String,
    expiry: String,
}

impl Line {
    fn cell_mut(&mut self, field: ReceivingField) -> &mut String {
        match field {
            ReceivingField::Quantity => &mut self.quantity,
            ReceivingField::Cost => &mut self.cost,
            ReceivingField::Lot => &mut self.lot,
            ReceivingField::Expiry => &mut self.expiry,
        }
    }

    /// The line as the store takes it, or why it cannot be (naming the product).
    fn receipt_line(&self) -> Result<ReceiptLine, Notice> {
        let bad = |field: Label, text: &str| Notice::BadLineValue {
            sku: self.sku.clone(),
            field,
            text: text.to_string(),
        };
        let quantity = parse_quantity(&self.quantity)
            .ok()
            .filter(|quantity| *quantity > Decimal::ZERO)
            .ok_or_else(|| bad(Label::Quantity, &self.quantity))?;
        let unit_cost =
            parse_amount(&self.cost).map_err(|_| bad(Label::InvUnitCost, &self.cost))?;
        Ok(ReceiptLine {
            product_id: self.product_id,
            quantity,
            unit_cost,
            lot: self.lot.clone(),
            expires_on: parse_date(&self.expiry)?,
        })
    }

    /// Quantity × cost, when both are typed right.
    fn amount(&self) -> Option<Money> {
        let quantity = parse_quantity(&self.quantity).ok()?;
        let cost = parse_amount(&self.cost).ok()?;
        Money::from_decimal((quantity * cost.to_decimal()).round())
    }
}

/// The column of a line's remove button.
const REMOVE_WIDTH: Length = Length::Fixed(36.0);
/// Posted notes listed under the one being entered, for a reprint.
const RECENT_NOTES: usize = 5;

#[derive(Debug, Default)]
pub struct Receiving {
    producer: Option<String>,
    delivery_note: String,
    scan: ScanField,
    lines: Vec<Line>,
    /// Post was pressed once over lines of other producers: the next press posts. Any change
    /// to the note asks again.
    others_confirmed: bool,
    /// The last notes posted, newest first: read-only, printable again.
    recent: Vec<PostedNote>,
}

impl Receiving {
    /// An empty note, with the last ones posted listed beneath.
    pub fn new(store: &Store) -> StoreResult<Receiving> {
        Ok(Receiving {
            recent: store.recent_receivings(RECENT_NOTES)?,
            ..Receiving::default()
        })
    }

    pub fn update(
        &mut self,
        message: Message,
        catalogue: &Catalogue,
        context: &mut Context<'_>,
    ) -> Result<Outcome, Notice> {
        if !matches!(message, Message::Post | Message::Reprint(_)) {
            self.others_confirmed = false;
        }
        match message {
            Message::Producer(name) => self.producer = Some(name),
            Message::DeliveryNote(value) => self.delivery_note = value,
            Message::Scan(scan) => {
                if let Some(position) =
                    self.scan
                        .update(scan, catalogue, context.store, context.now)?
                {
                    self.add(catalogue, position);
                }
            }
            Message::Edit(index, field, value) => {
                if let Some(line) = self.lines.get_mut(index) {
                    *line.cell_mut(field) = value;
                }
            }
            Message::Remove(index) => {
                if index < self.lines.len() {
                    self.lines.remove(index);
                }
            }
            Message::Post => return self.post(catalogue, context),
            Message::Reprint(number) => {
                let note = context
                    .store
                    .receiving(&number)
                    .map_err(|error| Notice::from_store_error(&error))?
                    .ok_or(Notice::ReceiptNotFound(number))?;
                return Ok(Outcome {
                    document: Some(Document::ReceivingNote(Box::new(note))),
                    ..Outcome::default()
                });
            }
        }
        Ok(Outcome::default())
    }

    /// Drops the producer picked if it was renamed meanwhile: the note must name one that is.
    pub fn forget_missing_producer(&mut self, catalogue: &Catalogue) {
        if let Some(name) = &self.producer
            && !catalogue.producers.iter().any(|(_, p)| &p.name == name)
        {
            self.producer = None;
        }
    }

    /// A scanned product: one more of it if already on the note, else a new line of one.
    ///
    /// The first product scanned names the producer, unless one was picked: a delivery
    /// usually comes from the maker of what it holds.
    fn add(&mut self, catalogue: &Catalogue, position: usize) {
        let product = catalogue.list.row(position);
        if self.producer.is_none() {
            self.producer = Some(product.producer.to_string());
        }
        if let Some(line) = self
            .lines
            .iter_mut()
            .find(|line| line.product_id == product.product_id)
            && let Ok(quantity) = parse_quantity(&line.quantity)
        {
            line.quantity = format_quantity(quantity + Decimal::ONE);
            return;
        }
        self.lines.push(Line {
            product_id: product.product_id,
            sku: product.sku().to_string(),
            name: product.name().to_string(),
            unit: product.unit.to_string(),
            producer: product.producer.to_string(),
            quantity: "1".into(),
            cost: String::new(),
            lot: String::new(),
            expiry: String::new(),
        });
    }

    fn post(
        &mut self,
        catalogue: &Catalogue,
        context: &mut Context<'_>,
    ) -> Result<Outcome, Notice> {
        let producer_id = catalogue
            .producers
            .iter()
            .find(|(_, producer)| Some(&producer.name) == self.producer.as_ref())
            .map(|(id, _)| *id)
            .ok_or(Notice::ProducerRequired)?;
        if self.lines.is_empty() {
            return Err(Notice::NothingToPost);
        }
        let lines = self
            .lines
            .iter()
            .map(Line::receipt_line)
            .collect::<Result<Vec<_>, _>>()?;
        let producer = self.producer.clone().unwrap_or_default();
        let others: Vec<String> = self
            .lines
            .iter()
            .filter(|line| line.producer != producer)
            .map(|line| format!("{} ({})", line.sku, line.producer))
            .collect();
        if !others.is_empty() && !self.others_confirmed {
            self.others_confirmed = true;
            return Err(Notice::Office(OfficeNotice::ConfirmOtherProducers {
                producer,
                others,
            }));
        }
        let posted = context
            .store
            .receive_stock(
                producer_id,
                &lines,
                &self.delivery_note,
                context.now,
                context.actor(),
            )
            .map_err(|error| Notice::from_store_error(&error))?;
        // Posted, the note is done: the next delivery starts on a clean one. The list of
        // recent notes is only a convenience: failing to read it must not leave the posted
        // note on screen to be posted twice.
        *self = Receiving {
            recent: context
                .store
                .recent_receivings(RECENT_NOTES)
                .unwrap_or_default(),
            ..Receiving::default()
        };
        // Only the products received changed.
        let received = lines.iter().map(|line| line.product_id).collect();
        let notice = Notice::StockReceived {
            number: posted.number.clone(),
            lines: posted.lines.len(),
        };
        Ok(Outcome {
            document: Some(Document::ReceivingNote(Box::new(posted))),
            ..Outcome::changed_products(notice, received)
        })
    }

    pub fn view<'a>(&'a self, catalogue: &'a Catalogue, lang: Lang) -> Element<'a, Message> {
        let columns = [
            (Label::InvSku, Length::FillPortion(2)),
            (Label::InvName, Length::FillPortion(6)),
            (Label::InvUnit, Length::FillPortion(2)),
            (Label::Quantity, Length::FillPortion(2)),
            (Label::InvUnitCost, Length::FillPortion(3)),
            (Label::InvLot, Length::FillPortion(3)),
            (Label::InvExpiry, Length::FillPortion(3)),
            (Label::InvAmount, Length::FillPortion(3)),
        ];
        let widths = columns.map(|(_, width)| width);
        let header = row![
            labelled(
                Label::InvProducer,
                lang,
                pick_list(
                    catalogue.producer_names(),
                    self.producer.clone(),
                    Message::Producer
                )
                .placeholder(Label::InvPickProducer.text(lang))
                .width(Fill)
            )
            .width(FillPortion(3)),
            labelled(
                Label::InvDeliveryNote,
                lang,
                text_input("", &self.delivery_note)
                    .id(DELIVERY_NOTE_INPUT)
                    .on_input(Message::DeliveryNote)
                    .padding(5)
            )
            .width(FillPortion(2)),
        ]
        .spacing(theme::SPACE);
        let scan = self
            .scan
            .view(RECEIVING_SCAN_INPUT, Label::InvScanToAdd, lang)
            .map(Message::Scan);
        let head_row = heads(&columns, lang).push(container(text("")).width(REMOVE_WIDTH));
        let input = |index: usize, field: ReceivingField, value: &'a str, width: Length| {
            text_input("", value)
                .id(field.id(index))
                .on_input(move |value| Message::Edit(index, field, value))
                .padding(4)
                .size(theme::SMALL)
                .width(width)
        };
        let lines = column(self.lines.iter().enumerate().map(|(index, line)| {
            row![
                cell(line.sku.clone(), widths[0]),
                cell(
                    if Some(&line.producer) == self.producer.as_ref() {
                        line.name.clone()
                    } else {
                        format!("{} [{}]", line.name, line.producer)
                    },
                    widths[1]
                ),
                cell(line.unit.clone(), widths[2]),
                input(index, ReceivingField::Quantity, &line.quantity, widths[3]),
                input(index, ReceivingField::Cost, &line.cost, widths[4]),
                input(index, ReceivingField::Lot, &line.lot, widths[5]),
                input(index, ReceivingField::Expiry, &line.expiry, widths[6]),
                cell(
                    line.amount()
                        .map_or("—".into(), |amount| amount.to_string()),
                    widths[7]
                ),
                button(text("✕").size(theme::SMALL))
                    .style(button::secondary)
                    .width(REMOVE_WIDTH)
                    .on_press(Message::Remove(index)),
            ]
            .spacing(4)
            .align_y(Alignment::Center)
            .into()
        }))
        .spacing(4);
        let total: Money = self.lines.iter().filter_map(Line::amount).sum();
        column![
            header,
            scan,
            container(scrollable(column![head_row, lines].spacing(6)).height(Fill))
                .padding(theme::PAD)
                .style(theme::panel)
                .height(Fill),
            row![
                text(format!(
                    "{}: {}",
                    Label::InvReceivingTotal.text(lang),
                    total
                ))
                .font(theme::BOLD)
                .width(Fill),
                button(text(Label::InvPost.text(lang)))
                    .style(button::success)
                    .on_press(Message::Post),
            ]
            .align_y(Alignment::Center),
            recent_view(&self.recent, lang),
        ]
        .spacing(theme::SPACE)
        .into()
    }
}

/// The last notes posted, each with its reprint button.
fn recent_view(recent: &[PostedNote], lang: Lang) -> Element<'_, Message> {
    if recent.is_empty() {
        return space().height(0).into();
    }
    let w = Length::FillPortion;
    let rows = recent.iter().map(|note| {
        row![
            cell(note.number.clone(), w(2)),
            cell(format_local(note.at), w(2)),
            cell(note.producer.clone(), w(4)),
            cell(note.delivery_note_no.clone(), w(2)),
            cell(note.total_cost().to_string(), w(2)),
            button(text(Label::InvReprint.text(lang)).size(theme::SMALL))
                .style(button::secondary)
                .padding([2, 8])
                .on_press(Message::Reprint(note.number.clone())),
        ]
        .spacing(4)
        .align_y(Alignment::Center)
        .into()
    });
    column![text(Label::InvRecentNotes.text(lang)).font(theme::BOLD)]
        .push(column(rows).spacing(2))
        .spacing(4)
        .into()
}
