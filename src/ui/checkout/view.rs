//! Drawing the checkout: the cart, the side panel of the moment, the totals band.

use super::pay::Payment;
use super::{Checkout, Message, PANEL_INPUT, Panel, SCAN_INPUT};
use crate::core::cart::{CartLine, Component, format_quantity};
use crate::core::catalog::{Product, stars_text};
use crate::core::clock::SHOP_TIME_ZONE;
use crate::core::giftpack::GiftPack;
use crate::core::money::Money;
use crate::core::payment::{PaymentMethod, Tender, quick_cash_amounts};
use crate::i18n::{Label, Lang, OfficeText, method_name};
use crate::store::ParkedCart;
use crate::ui::keys::Command;
use crate::ui::{notice_band, theme};
use iced::widget::{
    Column, button, column, container, qr_code, row, rule, scrollable, space, text, text_input,
};
use iced::{Alignment, Color, Element, Fill, FillPortion, Length};
use rust_decimal::Decimal;

impl Checkout {
    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let body = row![
            container(self.cart_view(lang))
                .width(FillPortion(6))
                .height(Fill),
            container(self.side_view(lang))
                .width(FillPortion(4))
                .height(Fill),
        ]
        .spacing(theme::SPACE)
        .height(Fill);
        column![body, self.notice_view(lang), self.totals_band(lang)]
            .spacing(theme::SPACE)
            .padding(theme::PAD)
            .into()
    }

    fn cart_view(&self, lang: Lang) -> Element<'_, Message> {
        let header = row![
            text(Label::Product.text(lang))
                .font(theme::BOLD)
                .width(FillPortion(10)),
            text(Label::Quantity.text(lang))
                .font(theme::BOLD)
                .width(FillPortion(3))
                .align_x(Alignment::End),
            text(Label::UnitPrice.text(lang))
                .font(theme::BOLD)
                .width(FillPortion(4))
                .align_x(Alignment::End),
            text(Label::Discount.text(lang))
                .font(theme::BOLD)
                .width(FillPortion(3))
                .align_x(Alignment::End),
            text(Label::LineTotal.text(lang))
                .font(theme::BOLD)
                .width(FillPortion(4))
                .align_x(Alignment::End),
        ]
        .spacing(theme::SPACE)
        .padding([4, 8]);
        let content: Element<'_, Message> =
            if self.cart.is_empty() {
                container(
                    text(Label::EmptyCart.text(lang))
                        .size(theme::HEADING)
                        .style(theme::muted),
                )
                .center(Fill)
                .into()
            } else {
                let totals = self.cart.totals();
                let lines = self.cart.lines.iter().zip(&totals.lines).enumerate().map(
                    |(i, (line, priced))| {
                        let selected = self.selected == Some(i);
                        let name = row![
                            text(&line.name).size(theme::TEXT),
                            text(stars_text(line.stars)).style(theme::stars),
                        ]
                        .spacing(6);
                        let details = column![name, line_details(line, lang)];
                        let discount = priced.line_discount + priced.order_discount;
                        let cells = row![
                            details.width(FillPortion(10)),
                            column![
                                text(format_quantity(line.quantity)).size(theme::HEADING),
                                text(&line.unit).size(theme::SMALL).style(theme::muted),
                            ]
                            .width(FillPortion(3))
                            .align_x(Alignment::End),
                            text(line.unit_price.to_string())
                                .width(FillPortion(4))
                                .align_x(Alignment::End),
                            text(if discount > Money::ZERO {
                                format!("-{discount}")
                            } else {
                                String::new()
                            })
                            .width(FillPortion(3))
                            .align_x(Alignment::End),
                            text(priced.total.to_string())
                                .font(theme::BOLD)
                                .width(FillPortion(4))
                                .align_x(Alignment::End),
                        ]
                        .spacing(theme::SPACE)
                        .align_y(Alignment::Center);
                        button(
                            container(cells)
                                .padding([6, 8])
                                .style(theme::row_style(selected, false)),
                        )
                        .padding(0)
                        .style(theme::row_button)
                        .on_press(Message::SelectLine(i))
                        .into()
                    },
                );
                scrollable(Column::with_children(lines).spacing(2))
                    .spacing(theme::SPACE)
                    .height(Fill)
                    .into()
            };
        let actions = row![
            action_button(Label::QuantityButton.text(lang), Command::Quantity),
            action_button(Label::LineDiscountButton.text(lang), Command::LineDiscount),
            action_button(
                Label::OrderDiscountButton.text(lang),
                Command::OrderDiscount
            ),
            action_button(Label::RemoveButton.text(lang), Command::RemoveLine),
            action_button(Label::CancelCartButton.text(lang), Command::CancelCart),
        ]
        .spacing(theme::SPACE);
        container(column![header, rule::horizontal(1), content, actions].spacing(theme::SPACE))
            .padding(theme::PAD)
            .style(theme::panel)
            .height(Fill)
            .into()
    }

    fn side_view(&self, lang: Lang) -> Element<'_, Message> {
        let content: Element<'_, Message> = match &self.panel {
            Panel::Search => self.search_view(lang),
            Panel::Quantity(field) => prompt_view(
                lang,
                Label::QuantityPrompt,
                Label::QuantityPrompt,
                &field.text,
            ),
            Panel::LineDiscount(field) => prompt_view(
                lang,
                Label::LineDiscountPrompt,
                Label::DiscountHint,
                &field.text,
            ),
            Panel::OrderDiscount(field) => prompt_view(
                lang,
                Label::OrderDiscountPrompt,
                Label::DiscountHint,
                &field.text,
            ),
            Panel::Reprint(field) => prompt_view(
                lang,
                Label::ReprintPrompt,
                Label::ReceiptNumberHint,
                &field.text,
            ),
            Panel::Pay(payment) => self.pay_view(lang, payment),
            Panel::Parked(parked, cursor) => parked_view(lang, parked, *cursor),
            Panel::BasketPrice(field) => prompt_view(
                lang,
                Label::BasketPricePrompt,
                Label::BasketPriceHint,
                &field.text,
            ),
            Panel::Invoice(form) => form.view(lang).map(Message::Invoice),
            Panel::Refund(form) => form.view(lang).map(Message::Refund),
            Panel::Buyer(form) => column![
                text(Label::BuyerTitle.text(lang))
                    .size(theme::HEADING)
                    .font(theme::BOLD),
                form.view(lang, Label::SetBuyer).map(Message::Buyer)
            ]
            .spacing(theme::SPACE)
            .into(),
            Panel::ConfirmCancel => column![
                text(Label::ConfirmCancelCart.text(lang)).size(theme::HEADING),
                row![
                    action_button(Label::ConfirmButton.text(lang), Command::Confirm),
                    action_button(Label::EscBack.text(lang), Command::Cancel),
                ]
                .spacing(theme::SPACE),
            ]
            .spacing(theme::SPACE * 2.0)
            .into(),
        };
        container(content)
            .padding(theme::PAD)
            .style(theme::panel)
            .height(Fill)
            .width(Fill)
            .into()
    }

    fn search_view<'a>(&'a self, lang: Lang) -> Element<'a, Message> {
        let input = text_input(Label::ScanHint.text(lang), &self.scan)
            .id(SCAN_INPUT)
            .on_input(Message::ScanChanged)
            .on_submit(Message::ScanSubmitted)
            .size(theme::HEADING)
            .padding(10);
        let listing: Element<'_, Message> = if self.results.is_empty() {
            let key = |name: &'a str, price: Money, message: Message, pack: bool| {
                button(
                    column![
                        text(name).size(theme::SMALL),
                        text(price.to_string()).size(theme::SMALL).font(theme::BOLD),
                    ]
                    .spacing(2),
                )
                .width(Fill)
                .height(Length::Fixed(64.0))
                .style(if pack {
                    button::success
                } else {
                    button::secondary
                })
                .on_press(message)
                .into()
            };
            // Gift packs first: in the Tết season they are most of the trade.
            let keys: Vec<Element<'a, Message>> = self
                .packs
                .iter()
                .enumerate()
                .map(|(i, pack)| key(&pack.name, pack.price(), Message::PickPack(i), true))
                .chain(self.quick_keys.iter().filter_map(|&position| {
                    let product = self.listed_at(position)?;
                    Some(key(
                        &product.name,
                        product.price,
                        Message::PickResult(position),
                        false,
                    ))
                }))
                .collect();
            let mut keys = keys.into_iter();
            let mut grid = Vec::new();
            while let Some(first) = keys.next() {
                let pair: Vec<Element<'a, Message>> =
                    std::iter::once(first).chain(keys.next()).collect();
                grid.push(row(pair).spacing(theme::SPACE).into());
            }
            // A new real store has nothing to sell yet: say where products come from.
            let keys: Element<'a, Message> = if grid.is_empty() {
                text(Label::NoProductsYet.text(lang))
                    .style(theme::muted)
                    .into()
            } else {
                scrollable(Column::with_children(grid).spacing(theme::SPACE))
                    .spacing(theme::SPACE)
                    .height(Fill)
                    .into()
            };
            column![text(Label::QuickKeys.text(lang)).font(theme::BOLD), keys]
                .spacing(theme::SPACE)
                .into()
        } else {
            let results = self
                .results
                .iter()
                .enumerate()
                .filter_map(|(i, &position)| {
                    // Past the products, a gift pack.
                    let body = match position.checked_sub(self.products.len()) {
                        Some(pack) => pack_result(&self.packs[pack], lang),
                        None => {
                            let product = self.listed_at(position)?;
                            product_result(product, self.reserved.get(&product.id).copied(), lang)
                        }
                    };
                    Some(
                        button(
                            container(body)
                                .padding([4, 8])
                                .style(theme::row_style(false, i == self.result_cursor)),
                        )
                        .padding(0)
                        .style(theme::row_button)
                        .on_press(Message::PickResult(position))
                        .into(),
                    )
                });
            column![
                text(Label::SearchResults.text(lang)).font(theme::BOLD),
                scrollable(Column::with_children(results).spacing(2))
                    .spacing(theme::SPACE)
                    .height(Fill),
            ]
            .spacing(theme::SPACE)
            .into()
        };
        // Always a container (empty between sales): see `notice_band` on why.
        let last_sale = match &self.last_sale {
            Some(sale) => container(
                column![
                    text(format!(
                        "{} {}",
                        Label::LastSale.text(lang),
                        sale.receipt_no
                    ))
                    .font(theme::BOLD),
                    text(format!("{}: {}", Label::Total.text(lang), sale.total)),
                    text(format!("{}: {}", Label::Change.text(lang), sale.change))
                        .size(theme::AMOUNT)
                        .font(theme::BOLD),
                ]
                .spacing(4),
            )
            .padding(theme::PAD)
            .width(Fill)
            .style(theme::notice(crate::i18n::Level::Success)),
            None => container(space().height(0)),
        };
        // Three to a row: four labels with their shortcuts do not fit beside the cart.
        let secondary = column![
            row![
                action_button(Label::ParkButton.text(lang), Command::Park),
                action_button(Label::ParkedButton.text(lang), Command::Parked),
                action_button(Label::ReprintButton.text(lang), Command::Reprint),
            ]
            .spacing(theme::SPACE),
            row![
                action_button(Label::RefundButton.text(lang), Command::Refund),
                action_button(Label::InvoiceButton.text(lang), Command::Invoice),
                action_button(Label::GiftSlipButton.text(lang), Command::GiftSlip),
            ]
            .spacing(theme::SPACE),
            row![
                action_button(Label::BasketButton.text(lang), Command::Basket),
                action_button(Label::BuyerButton.text(lang), Command::Buyer),
            ]
            .spacing(theme::SPACE),
        ]
        .spacing(theme::SPACE);
        column![
            input,
            self.building_view(lang),
            last_sale,
            container(listing).height(Fill),
            secondary
        ]
        .spacing(theme::SPACE)
        .into()
    }

    /// The basket being built: what is in it so far. Always a container (see `notice_band`).
    fn building_view(&self, lang: Lang) -> Element<'_, Message> {
        let Some(items) = &self.cart.building else {
            return container(space().height(0)).into();
        };
        let value: Money = items.iter().map(Component::shelf_value).sum();
        let contents = items.iter().map(|item| {
            text(format!(
                "• {} × {}",
                item.name,
                format_quantity(item.quantity)
            ))
            .size(theme::SMALL)
            .into()
        });
        container(
            column![
                text(Label::Building.text(lang))
                    .size(theme::SMALL)
                    .font(theme::BOLD),
                Column::with_children(contents).spacing(2),
                text(format!("{}: {value}", Label::ContentsValue.text(lang))).size(theme::SMALL),
            ]
            .spacing(4),
        )
        .padding(theme::PAD)
        .width(Fill)
        .style(theme::notice(crate::i18n::Level::Warning))
        .into()
    }

    fn pay_view<'a>(&'a self, lang: Lang, payment: &'a Payment) -> Element<'a, Message> {
        let total = self.cart.totals().total;
        let paid = self.cart.paid();
        let remaining = self.cart.remaining();
        let change = (paid - total).max(Money::ZERO);
        let methods = row(self.offered_methods().into_iter().map(|method| {
            button(text(method_name(method, lang)).center())
                .height(theme::BUTTON_HEIGHT)
                .width(Fill)
                .style(if method == payment.method {
                    button::primary
                } else {
                    button::secondary
                })
                .on_press(Message::ChooseMethod(method))
                .into()
        }))
        .spacing(theme::SPACE);
        // While a card or transfer waits for its answer, the question takes the field's place:
        // Enter answers it, and cannot type a new amount by mistake.
        let entry: Element<'_, Message> = match &payment.unconfirmed {
            Some(tender) => confirm_tender_view(lang, tender),
            None => column![
                text_input(Label::TenderHint.text(lang), &payment.input)
                    .id(PANEL_INPUT)
                    .on_input(Message::PanelInputChanged)
                    .on_submit(Message::PanelSubmitted)
                    .size(theme::AMOUNT)
                    .padding(10),
                text(Label::TenderHelp.text(lang))
                    .size(theme::SMALL)
                    .style(theme::muted),
            ]
            .spacing(theme::SPACE)
            .into(),
        };
        // The quick-cash buttons stay in sight under the scrolling part, with Complete, when
        // a band above the screen takes some of its height. A container either way, so the
        // widgets keep their state as the method changes.
        let quick_cash: Element<'_, Message> = match payment.method {
            PaymentMethod::Cash if payment.unconfirmed.is_none() && remaining > Money::ZERO => {
                let exact = button(text(Label::ExactCashButton.text(lang)))
                    .height(theme::BUTTON_HEIGHT)
                    .style(button::secondary)
                    .on_press(Message::QuickCash(remaining));
                let notes = quick_cash_amounts(remaining).into_iter().map(|amount| {
                    button(text(amount.to_string()))
                        .height(theme::BUTTON_HEIGHT)
                        .style(button::secondary)
                        .on_press(Message::QuickCash(amount))
                        .into()
                });
                container(row![exact].extend(notes).spacing(theme::SPACE).wrap()).into()
            }
            _ => container(space().height(0)).into(),
        };
        let method_detail: Element<'_, Message> = match payment.method {
            _ if payment.unconfirmed.is_some() && payment.method != PaymentMethod::Transfer => {
                space().into()
            }
            PaymentMethod::Cash => space().into(),
            PaymentMethod::Transfer => match &payment.transfer_qr {
                // The code beside its words: the panel keeps its height on a 768-pixel screen.
                Some(qr) => row![
                    container(qr_code(&qr.picture).cell_size(3).style(|_| qr_code::Style {
                        cell: Color::BLACK,
                        background: Color::WHITE,
                    }))
                    .padding(6)
                    .style(|_| container::background(Color::WHITE)),
                    column![
                        text(Label::ScanToPay.text(lang)).font(theme::BOLD),
                        text(qr.amount.to_string())
                            .size(theme::AMOUNT)
                            .font(theme::BOLD),
                        text(&qr.account_line).size(theme::SMALL),
                        text(format!(
                            "{}: {}",
                            Label::TransferNote.text(lang),
                            qr.purpose
                        ))
                        .size(theme::SMALL)
                        .font(theme::BOLD),
                        text(Label::TransferConfirm.text(lang))
                            .size(theme::SMALL)
                            .style(theme::muted),
                    ]
                    .spacing(4)
                    .width(Fill),
                ]
                .spacing(theme::SPACE)
                .align_y(Alignment::Center)
                .into(),
                None => text(Label::NoBankAccount.text(lang)).into(),
            },
            PaymentMethod::Card | PaymentMethod::Deposit | PaymentMethod::OnAccount => {
                space().into()
            }
        };
        let tenders = self.cart.tenders.iter().enumerate().map(|(i, tender)| {
            row![
                text(method_name(tender.method, lang)).width(Fill),
                text(tender.amount.to_string()),
                button(text("✕"))
                    .style(button::text)
                    .on_press(Message::RemoveTender(i)),
            ]
            .spacing(theme::SPACE)
            .align_y(Alignment::Center)
            .into()
        });
        let figures = column![
            amount_row(Label::AmountDue.text(lang), total, theme::TOTAL),
            amount_row(Label::Paid.text(lang), paid, theme::AMOUNT),
            if change > Money::ZERO {
                amount_row(Label::Change.text(lang), change, theme::AMOUNT)
            } else {
                amount_row(Label::Remaining.text(lang), remaining, theme::AMOUNT)
            },
        ]
        .spacing(4);
        let complete = button(
            text(Label::CompleteButton.text(lang))
                .size(theme::HEADING)
                .center(),
        )
        .height(theme::BUTTON_HEIGHT + 8.0)
        .width(Fill)
        .style(button::success)
        // While a card or transfer waits for its answer, Enter answers it: nothing completes.
        .on_press_maybe((!payment.awaits_confirmation()).then_some(Message::Complete));
        // Complete stays in sight below the scrolling part, however many tenders there are.
        column![
            scrollable(
                column![
                    figures,
                    methods,
                    entry,
                    method_detail,
                    Column::with_children(tenders).spacing(4),
                ]
                .spacing(theme::SPACE),
            )
            .spacing(theme::SPACE)
            .height(Fill),
            quick_cash,
            complete,
            action_button(Label::EscBack.text(lang), Command::Cancel),
        ]
        .spacing(theme::SPACE)
        .into()
    }

    fn notice_view(&self, lang: Lang) -> Element<'_, Message> {
        match &self.notice {
            Some(notice) => notice_band(Some(notice), lang, theme::TEXT),
            // Empty, it keeps its height so the totals below do not jump with each message.
            None => space().height(36).into(),
        }
    }

    fn totals_band(&self, lang: Lang) -> Element<'_, Message> {
        let totals = self.cart.totals();
        let figure = |label: Label, value: String| {
            column![
                text(label.text(lang))
                    .size(theme::SMALL)
                    .style(theme::muted),
                text(value).size(theme::AMOUNT),
            ]
            .spacing(2)
        };
        let pay = button(
            text(Label::PayButton.text(lang))
                .size(theme::HEADING)
                .center(),
        )
        .height(theme::BUTTON_HEIGHT + 12.0)
        .width(Length::Fixed(220.0))
        .style(button::success)
        .on_press(Message::Command(Command::Pay));
        container(
            row![
                figure(Label::Items, format_quantity(totals.item_count)),
                figure(Label::Discounts, totals.discounts().to_string()),
                figure(Label::VatIncluded, totals.vat_total().to_string()),
                self.paid_figures(lang),
                space::horizontal(),
                column![
                    text(Label::Total.text(lang))
                        .size(theme::SMALL)
                        .style(theme::muted),
                    text(totals.total.to_string())
                        .size(theme::TOTAL)
                        .font(theme::BOLD),
                ]
                .align_x(Alignment::End),
                pay,
            ]
            .spacing(theme::SPACE * 3.0)
            .align_y(Alignment::Center),
        )
        .padding(theme::PAD)
        .style(theme::panel)
        .into()
    }

    /// Beside the totals, once money was taken: what is paid and what is still due, so the
    /// cashier sees the tenders kept with the cart.
    fn paid_figures(&self, lang: Lang) -> Element<'_, Message> {
        if self.cart.tenders.is_empty() {
            return container(space().width(0)).into();
        }
        row![
            column![
                text(Label::Paid.text(lang))
                    .size(theme::SMALL)
                    .style(theme::muted),
                text(self.cart.paid().to_string()).size(theme::AMOUNT),
            ]
            .spacing(2),
            column![
                text(Label::Remaining.text(lang))
                    .size(theme::SMALL)
                    .style(theme::muted),
                text(self.cart.remaining().to_string())
                    .size(theme::AMOUNT)
                    .font(theme::BOLD),
            ]
            .spacing(2),
        ]
        .spacing(theme::SPACE * 3.0)
        .into()
    }
}

/// The question a card or transfer answers before it counts.
fn confirm_tender_view(lang: Lang, tender: &Tender) -> Element<'_, Message> {
    let (question, yes) = match tender.method {
        PaymentMethod::Card => (Label::CardApprovedQuestion, Label::CardApprovedYes),
        _ => (Label::TransferReceivedQuestion, Label::TransferReceivedYes),
    };
    column![
        text(question.text(lang)).size(theme::HEADING),
        text(tender.amount.to_string())
            .size(theme::TOTAL)
            .font(theme::BOLD),
        row![
            button(text(yes.text(lang)).center())
                .height(theme::BUTTON_HEIGHT)
                .width(Fill)
                .style(button::success)
                .on_press(Message::ConfirmTender),
            action_button(Label::NotYet.text(lang), Command::Cancel),
        ]
        .spacing(theme::SPACE),
    ]
    .spacing(theme::SPACE)
    .into()
}

/// Under a cart line's name: the producer, or a basket's contents and its shelf value.
fn line_details(line: &CartLine, lang: Lang) -> Element<'_, Message> {
    if !line.is_basket() {
        return text(&line.producer)
            .size(theme::SMALL)
            .style(theme::muted)
            .into();
    }
    let contents = line.components.iter().map(|c| {
        text(format!("• {} × {}", c.name, format_quantity(c.quantity)))
            .size(theme::SMALL)
            .style(theme::muted)
            .into()
    });
    column![
        Column::with_children(contents),
        text(format!(
            "{}: {}/giỏ",
            Label::ContentsValue.text(lang),
            line.components_value()
        ))
        .size(theme::SMALL)
        .style(theme::muted),
    ]
    .into()
}

fn action_button(label: &str, command: Command) -> Element<'_, Message> {
    button(text(label).size(theme::SMALL).center())
        .height(theme::BUTTON_HEIGHT)
        .style(button::secondary)
        .on_press(Message::Command(command))
        .into()
}

fn amount_row(label: &str, amount: Money, size: f32) -> Element<'_, Message> {
    row![
        text(label).width(Fill),
        text(amount.to_string()).size(size).font(theme::BOLD),
    ]
    .align_y(Alignment::Center)
    .into()
}

fn prompt_view<'a>(lang: Lang, title: Label, hint: Label, input: &'a str) -> Element<'a, Message> {
    column![
        text(title.text(lang))
            .size(theme::HEADING)
            .font(theme::BOLD),
        text_input(hint.text(lang), input)
            .id(PANEL_INPUT)
            .on_input(Message::PanelInputChanged)
            .on_submit(Message::PanelSubmitted)
            .size(theme::AMOUNT)
            .padding(10),
        text(hint.text(lang)).size(theme::SMALL).style(theme::muted),
        action_button(Label::EscBack.text(lang), Command::Cancel),
    ]
    .spacing(theme::SPACE)
    .into()
}

fn parked_view(lang: Lang, parked: &[ParkedCart], cursor: usize) -> Element<'_, Message> {
    let rows = parked.iter().enumerate().map(|(i, cart)| {
        let when = cart
            .parked_at
            .with_timezone(&SHOP_TIME_ZONE)
            .format("%H:%M");
        button(
            container(
                row![
                    column![
                        text(format!("{when} · {}", cart.label)),
                        text(format!("{} · {}", cart.line_count, cart.cashier))
                            .size(theme::SMALL)
                            .style(theme::muted),
                    ]
                    .width(Fill),
                    text(cart.total.to_string()).font(theme::BOLD),
                ]
                .align_y(Alignment::Center)
                .spacing(theme::SPACE),
            )
            .padding([6, 8])
            .style(theme::row_style(false, i == cursor)),
        )
        .padding(0)
        .style(theme::row_button)
        .on_press(Message::Resume(cart.id))
        .into()
    });
    let list: Element<'_, Message> = if parked.is_empty() {
        text(Label::NoParkedCarts.text(lang))
            .style(theme::muted)
            .into()
    } else {
        scrollable(Column::with_children(rows).spacing(2))
            .spacing(theme::SPACE)
            .height(Fill)
            .into()
    };
    column![
        text(Label::ParkedCarts.text(lang))
            .size(theme::HEADING)
            .font(theme::BOLD),
        list,
        action_button(Label::EscBack.text(lang), Command::Cancel),
    ]
    .spacing(theme::SPACE)
    .into()
}

/// A product among the search results: name, stars, SKU, producer, stock and price.
fn product_result<'a>(
    product: &'a Product,
    reserved: Option<Decimal>,
    lang: Lang,
) -> Element<'a, Message> {
    row![
        column![
            text(&product.name),
            row![
                text(stars_text(product.stars))
                    .size(theme::SMALL)
                    .style(theme::stars),
                text(format!(
                    "{} · {} · {}: {} {}{}",
                    product.sku,
                    product.producer,
                    Label::InStock.text(lang),
                    format_quantity(product.stock),
                    product.unit,
                    reserved
                        .map(|reserved| format!(
                            " ({} {})",
                            format_quantity(reserved),
                            crate::i18n::OrderLabel::Reserved.text(lang)
                        ))
                        .unwrap_or_default()
                ))
                .size(theme::SMALL)
                .style(theme::muted),
            ]
            .spacing(6),
        ]
        .width(Fill),
        text(product.price.to_string()).font(theme::BOLD),
    ]
    .spacing(theme::SPACE)
    .align_y(Alignment::Center)
    .into()
}

/// A gift pack among the search results: its name, SKU and price.
fn pack_result<'a>(pack: &'a GiftPack, lang: Lang) -> Element<'a, Message> {
    row![
        column![
            text(&pack.name),
            text(format!(
                "{} · {}",
                pack.sku,
                OfficeText::GiftPackResult.text(lang)
            ))
            .size(theme::SMALL)
            .style(theme::muted),
        ]
        .width(Fill),
        text(pack.price().to_string()).font(theme::BOLD),
    ]
    .spacing(theme::SPACE)
    .align_y(Alignment::Center)
    .into()
}
