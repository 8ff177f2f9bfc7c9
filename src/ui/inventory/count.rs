//! A stock count: the products of the table's filter with what the ledger expects, the
//! counted quantities typed or scanned (one scan, one more), the variance and its value, and
//! the corrections posted as count movements in one transaction.

use super::{Catalogue, Outcome, ScanField, ScanMessage, cell, heads};
use crate::core::cart::{format_quantity, parse_quantity};
use crate::core::money::Money;
use crate::core::product_list::Filter;
use crate::i18n::{Label, Lang, Notice, OfficeNotice};
use crate::ui::{Context, theme};
use iced::widget::{button, column, container, row, scrollable, text, text_input};
use iced::{Alignment, Element, Fill, Length};
use rust_decimal::Decimal;
use std::collections::HashSet;

/// The scan field of the count.
pub const COUNT_SCAN_INPUT: &str = "count-scan";
/// Lines listed at once; the rest are reached by scanning or a narrower filter.
const LINES_SHOWN: usize = 300;

/// The id of the counted-quantity field of a product's line.
pub fn counted_input(sku: &str) -> String {
    format!("count-{sku}")
}

#[derive(Debug, Clone)]
pub enum Message {
    /// Start again from the products the table's filter selects.
    Start,
    /// A scan, or a product picked: one more of it.
    Scan(ScanMessage),
    Counted(usize, String),
    Post,
}

/// A product of the count. Its SKU, name and unit are the catalogue's (a count of the whole
/// catalogue holds no second copy of them).
#[derive(Debug, Clone)]
struct CountLine {
    product_id: i64,
    price: Option<Money>,
    /// The stock when the count started.
    expected: Decimal,
    /// Empty until counted: an uncounted product is not corrected.
    counted: String,
}

impl CountLine {
    fn counted(&self) -> Option<Decimal> {
        parse_quantity(&self.counted).ok()
    }

    fn variance(&self) -> Option<Decimal> {
        self.counted().map(|counted| counted - self.expected)
    }

    /// The variance at the shelf price, rounded to the đồng.
    fn variance_value(&self) -> Option<Money> {
        let value = self.variance()? * self.price?.to_decimal();
        Money::from_decimal(value.round())
    }
}

#[derive(Debug, Default)]
pub struct StockCount {
    lines: Vec<CountLine>,
    scan: ScanField,
    /// Start was pressed once over counts not posted: a second press throws them away.
    restart_asked: bool,
    /// Post was pressed once (posting cannot be undone): the next press posts.
    post_asked: bool,
}

impl StockCount {
    /// A count of the active products `filter` selects, at their stock now.
    pub fn start(catalogue: &Catalogue, filter: &Filter) -> StockCount {
        let filter = Filter {
            include_inactive: false,
            ..filter.clone()
        };
        let lines = catalogue
            .list
            .select(&filter)
            .into_iter()
            .map(|position| line(catalogue, position))
            .collect();
        StockCount {
            lines,
            scan: ScanField::default(),
            restart_asked: false,
            post_asked: false,
        }
    }

    /// Whether a new count may replace this one: nothing counted yet, or Start pressed a
    /// second time in a row. The first press over counts not posted only warns.
    pub fn may_restart(&mut self) -> bool {
        let counted = self
            .lines
            .iter()
            .any(|line| !line.counted.trim().is_empty());
        let confirmed = std::mem::replace(&mut self.restart_asked, counted);
        !counted || confirmed
    }

    /// Takes the stock and prices just re-read (of `only` these products, when only they
    /// changed): what a line expects is what the ledger says now, as the posted correction
    /// will be worked out against it.
    pub fn refresh(&mut self, catalogue: &Catalogue, only: Option<&[i64]>) {
        if self.lines.is_empty() {
            return;
        }
        let list = &catalogue.list;
        if only.is_none() {
            // Read whole again: a product deleted meanwhile leaves the count.
            self.lines
                .retain(|line| list.position_of(line.product_id).is_some());
        }
        let only: Option<HashSet<i64>> = only.map(|ids| ids.iter().copied().collect());
        for line in &mut self.lines {
            if only
                .as_ref()
                .is_some_and(|ids| !ids.contains(&line.product_id))
            {
                continue;
            }
            if let Some(position) = list.position_of(line.product_id) {
                let row = list.row(position);
                line.expected = row.stock;
                line.price = row.price;
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn update(
        &mut self,
        message: Message,
        catalogue: &Catalogue,
        context: &mut Context<'_>,
    ) -> Result<Outcome, Notice> {
        self.restart_asked = false;
        let post_asked = std::mem::take(&mut self.post_asked);
        match message {
            // Handled by the screen, which knows the table's filter.
            Message::Start => {}
            Message::Scan(scan) => {
                if let Some(position) =
                    self.scan
                        .update(scan, catalogue, context.store, context.now)?
                {
                    self.count_one(catalogue, position);
                }
            }
            Message::Counted(index, value) => {
                if let Some(line) = self.lines.get_mut(index) {
                    line.counted = value;
                }
            }
            Message::Post => return self.post(post_asked, context),
        }
        Ok(Outcome::default())
    }

    /// One more of a scanned product, its line brought to the top where it can be seen.
    fn count_one(&mut self, catalogue: &Catalogue, position: usize) {
        let product_id = catalogue.list.row(position).product_id;
        let index = match self.lines.iter().position(|l| l.product_id == product_id) {
            Some(index) => index,
            None => {
                self.lines.push(line(catalogue, position));
                self.lines.len() - 1
            }
        };
        let mut scanned = self.lines.remove(index);
        let so_far = scanned.counted().unwrap_or(Decimal::ZERO);
        scanned.counted = format_quantity(so_far + Decimal::ONE);
        self.lines.insert(0, scanned);
    }

    /// Posts on the second press: the first checks the lines and asks.
    fn post(&mut self, asked: bool, context: &mut Context<'_>) -> Result<Outcome, Notice> {
        let mut counts = Vec::new();
        for line in self.lines.iter().filter(|l| !l.counted.trim().is_empty()) {
            let counted = line
                .counted()
                .filter(|counted| *counted >= Decimal::ZERO)
                .ok_or_else(|| Notice::QuantityNotANumber(line.counted.clone()))?;
            counts.push((line.product_id, counted));
        }
        if counts.is_empty() {
            return Err(Notice::NothingToPost);
        }
        if !asked {
            self.post_asked = true;
            let lines = self
                .lines
                .iter()
                .filter(|line| line.variance().is_some_and(|v| !v.is_zero()))
                .count();
            return Err(Notice::Office(OfficeNotice::ConfirmPostCount { lines }));
        }
        let variances = context
            .store
            .post_stock_count(&counts, context.now, context.actor())
            .map_err(|error| Notice::from_store_error(&error))?;
        *self = StockCount::default();
        Ok(Outcome {
            // Only the products whose stock was corrected changed.
            touched: Some(variances.iter().map(|v| v.product_id).collect()),
            ..Outcome::changed(Notice::CountPosted {
                counted: counts.len(),
                corrected: variances.len(),
            })
        })
    }

    pub fn view<'a>(&'a self, catalogue: &'a Catalogue, lang: Lang) -> Element<'a, Message> {
        if self.lines.is_empty() {
            return column![
                text(Label::InvCountHint.text(lang)).style(theme::muted),
                button(text(Label::InvStartCount.text(lang))).on_press(Message::Start),
            ]
            .spacing(theme::SPACE)
            .into();
        }
        let columns = [
            (Label::InvSku, Length::FillPortion(2)),
            (Label::InvName, Length::FillPortion(6)),
            (Label::InvUnit, Length::FillPortion(2)),
            (Label::InvExpected, Length::FillPortion(2)),
            (Label::InvCounted, Length::FillPortion(2)),
            (Label::InvVariance, Length::FillPortion(2)),
            (Label::InvVarianceValue, Length::FillPortion(3)),
        ];
        let widths = columns.map(|(_, width)| width);
        let head_row = heads(&columns, lang);
        let lines = column(self.lines.iter().enumerate().take(LINES_SHOWN).filter_map(
            |(index, line)| {
                let product = catalogue
                    .list
                    .row(catalogue.list.position_of(line.product_id)?);
                let variance = line.variance();
                let variance_text =
                    text(variance.map_or(String::new(), format_quantity)).size(theme::SMALL);
                let variance_text = if variance.is_some_and(|v| !v.is_zero()) {
                    variance_text.style(theme::danger).font(theme::BOLD)
                } else {
                    variance_text
                };
                let line = row![
                    cell(product.sku().to_string(), widths[0]),
                    cell(product.name().to_string(), widths[1]),
                    cell(product.unit.to_string(), widths[2]),
                    cell(format_quantity(line.expected), widths[3]),
                    text_input("", &line.counted)
                        .id(counted_input(product.sku()))
                        .on_input(move |value| Message::Counted(index, value))
                        .padding(4)
                        .size(theme::SMALL)
                        .width(widths[4]),
                    container(variance_text).width(widths[5]),
                    cell(
                        line.variance_value()
                            .map_or(String::new(), |value| value.to_string()),
                        widths[6]
                    ),
                ]
                .spacing(4)
                .align_y(Alignment::Center);
                Some(line.into())
            },
        ))
        .spacing(4);
        let counted = self
            .lines
            .iter()
            .filter(|line| line.counted().is_some())
            .count();
        let value: Money = self
            .lines
            .iter()
            .filter_map(CountLine::variance_value)
            .sum();
        let more = self.lines.len().saturating_sub(LINES_SHOWN);
        column![
            self.scan
                .view(COUNT_SCAN_INPUT, Label::InvScanToCount, lang)
                .map(Message::Scan),
            container(scrollable(column![head_row, lines].spacing(6)).height(Fill))
                .padding(theme::PAD)
                .style(theme::panel)
                .height(Fill),
            row![
                text(
                    Label::InvCountSummary
                        .text(lang)
                        .replace("{counted}", &counted.to_string())
                        .replace("{lines}", &self.lines.len().to_string())
                        .replace("{more}", &more.to_string())
                        .replace("{value}", &value.to_string())
                )
                .width(Fill),
                button(text(Label::InvStartCount.text(lang)))
                    .style(button::secondary)
                    .on_press(Message::Start),
                button(text(Label::InvPostCount.text(lang)))
                    .style(button::success)
                    .on_press(Message::Post),
            ]
            .spacing(theme::SPACE)
            .align_y(Alignment::Center),
        ]
        .spacing(theme::SPACE)
        .into()
    }
}

fn line(catalogue: &Catalogue, position: usize) -> CountLine {
    let row = catalogue.list.row(position);
    CountLine {
        product_id: row.product_id,
        price: row.price,
        expected: row.stock,
        counted: String::new(),
    }
}
