//! On the daily screen: the sale behind a line of the shop's bank statement, found by the
//! transfer's amount. The line's note names the cart (`OCOP GH26-AA-000123`); the list shows it
//! beside each receipt, so the two are matched at a glance.

use crate::core::clock::format_local;
use crate::core::money::{Money, parse_amount};
use crate::i18n::{Label, Lang, Notice};
use crate::store::{Store, TransferMatch};
use crate::ui::theme;
use iced::widget::{Column, button, column, container, row, scrollable, text, text_input};
use iced::{Alignment, Element, Fill, Length};

/// The amount field.
pub const AMOUNT_INPUT: &str = "transfer-amount";

#[derive(Debug, Clone)]
pub enum Message {
    AmountChanged(String),
    Search,
}

#[derive(Default)]
pub struct TransferSearch {
    amount: String,
    /// The amount searched and what it found; none before a search.
    found: Option<(Money, Vec<TransferMatch>)>,
}

impl TransferSearch {
    /// Handles a message; a refusal comes back as the notice to show.
    pub fn update(&mut self, message: Message, store: &Store) -> Option<Notice> {
        match message {
            Message::AmountChanged(value) => self.amount = value,
            Message::Search => {
                let amount = match parse_amount(&self.amount) {
                    Ok(amount) => amount,
                    Err(error) => return Some(Notice::Amount(error)),
                };
                match store.transfers_of_amount(amount) {
                    Ok(matches) => self.found = Some((amount, matches)),
                    Err(error) => return Some(Notice::from_store_error(&error)),
                }
            }
        }
        None
    }

    /// The sales found, newest first.
    pub fn matches(&self) -> &[TransferMatch] {
        self.found.as_ref().map_or(&[], |(_, matches)| matches)
    }

    /// The panel; `open` is the message that opens a sale by its receipt number.
    pub fn view<'a, M: Clone + 'a>(
        &'a self,
        lang: Lang,
        wrap: impl Fn(Message) -> M + Copy + 'a,
        open: impl Fn(String) -> M + 'a,
    ) -> Element<'a, M> {
        let field = row![
            text_input(Label::TransferAmountHint.text(lang), &self.amount)
                .id(AMOUNT_INPUT)
                .on_input(move |value| wrap(Message::AmountChanged(value)))
                .on_submit(wrap(Message::Search))
                .padding(6)
                .width(Fill),
            button(text(Label::Find.text(lang)).size(theme::SMALL))
                .style(button::secondary)
                .on_press(wrap(Message::Search)),
        ]
        .spacing(theme::SPACE)
        .align_y(Alignment::Center);
        let results: Element<'a, M> = match &self.found {
            None => column![].into(),
            Some((amount, matches)) if matches.is_empty() => {
                text(Notice::NoTransferOf(*amount).text(lang))
                    .size(theme::SMALL)
                    .style(theme::muted)
                    .into()
            }
            Some((_, matches)) => scrollable(
                Column::with_children(matches.iter().map(|found| {
                    let note = found
                        .reference
                        .as_deref()
                        .filter(|note| !note.starts_with("000201"))
                        .or(found.cart_no.as_deref())
                        .unwrap_or_default();
                    button(
                        row![
                            text(&found.receipt_no).width(Fill),
                            text(format_local(found.sold_at)).size(theme::SMALL),
                            text(note).size(theme::SMALL).style(theme::muted),
                        ]
                        .spacing(theme::SPACE),
                    )
                    .style(button::text)
                    .on_press(open(found.receipt_no.clone()))
                    .into()
                }))
                .spacing(2),
            )
            // A few lines in sight; the period's sales keep the rest of the column.
            .height(Length::Shrink)
            .into(),
        };
        container(
            column![
                text(Label::TransferSearchTitle.text(lang)).font(theme::BOLD),
                field,
                container(results).max_height(160),
            ]
            .spacing(theme::SPACE),
        )
        .padding(theme::PAD)
        .style(theme::panel)
        .into()
    }
}
