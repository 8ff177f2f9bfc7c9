//! Refunds at the counter: find the sale by its receipt number, choose what comes back and how
//! much of it, back to stock or written off, and how the money goes back.

use crate::core::cart::{format_quantity, parse_quantity};
use crate::core::money::Money;
use crate::core::payment::PaymentMethod;
use crate::core::refund::{RefundItem, RefundRequest};
use crate::core::sale::SaleRecord;
use crate::core::staff::GatedAct;
use crate::documents::Document;
use crate::i18n::{Label, Lang, Notice, method_name};
use crate::store::RefundPrice;
use crate::ui::{Action, Context, theme};
use iced::widget::{Column, button, checkbox, column, row, scrollable, text, text_input};
use iced::{Alignment, Element, Fill, Length};
use rust_decimal::Decimal;

/// The receipt-number field, focused when the form opens.
pub const RECEIPT_INPUT: &str = "refund-receipt";

/// The quantity field of a sale line (`refund-qty-0` for the first line).
pub fn quantity_input_id(line_no: usize) -> String {
    format!("refund-qty-{line_no}")
}

#[derive(Debug, Clone)]
pub enum Message {
    ReceiptChanged(String),
    /// Enter in the receipt field: look the sale up.
    Load,
    QuantityChanged(usize, String),
    Restock(bool),
    Method(PaymentMethod),
    ReasonChanged(String),
    Confirm,
}

/// The sale being refunded, with what is left of each line (quantity and money) and what the
/// typed quantities would give back.
struct Found {
    sale: SaleRecord,
    left: Vec<(Decimal, Money)>,
    quantities: Vec<String>,
    /// The amounts to give back, or why the typed quantities cannot be refunded; none while
    /// nothing is typed.
    price: Option<Result<RefundPrice, Notice>>,
}

pub struct RefundForm {
    receipt_no: String,
    found: Option<Found>,
    restock: bool,
    method: PaymentMethod,
    reason: String,
}

impl Default for RefundForm {
    fn default() -> RefundForm {
        RefundForm {
            receipt_no: String::new(),
            found: None,
            restock: true,
            method: PaymentMethod::Cash,
            reason: String::new(),
        }
    }
}

impl Found {
    /// What the typed quantity of a line gives back, once priced.
    fn line_amount(&self, line_no: usize) -> Option<Money> {
        let Some(Ok(price)) = &self.price else {
            return None;
        };
        price
            .lines
            .iter()
            .find(|(line, _)| *line == line_no)
            .map(|(_, amount)| *amount)
    }

    /// The typed quantities as refund items (blank lines left out).
    fn items(&self) -> Result<Vec<RefundItem>, Notice> {
        let mut items = Vec::new();
        for (line_no, input) in self.quantities.iter().enumerate() {
            if input.trim().is_empty() {
                continue;
            }
            let quantity =
                parse_quantity(input).map_err(|_| Notice::QuantityNotANumber(input.clone()))?;
            items.push(RefundItem { line_no, quantity });
        }
        Ok(items)
    }

    /// Prices the typed quantities again, as the refund will.
    fn reprice(&mut self, context: &Context<'_>) {
        self.price = match self.items() {
            Ok(items) if items.is_empty() => None,
            Ok(items) => {
                let request = RefundRequest {
                    receipt_no: self.sale.receipt_no.clone(),
                    items,
                    method: PaymentMethod::Cash,
                    restock: true,
                    reason: String::new(),
                    cashier: String::new(),
                    approver: None,
                };
                Some(
                    context
                        .store
                        .price_refund(&request)
                        .map_err(|error| Notice::from_store_error(&error)),
                )
            }
            Err(notice) => Some(Err(notice)),
        };
    }
}

impl RefundForm {
    pub fn is_typing(message: &Message) -> bool {
        matches!(
            message,
            Message::ReceiptChanged(_) | Message::QuantityChanged(..) | Message::ReasonChanged(_)
        )
    }

    pub fn update(
        &mut self,
        message: Message,
        context: &mut Context<'_>,
    ) -> (Option<Notice>, Action) {
        match message {
            Message::ReceiptChanged(value) => self.receipt_no = value,
            Message::Load => return (self.load(context).err(), Action::None),
            Message::QuantityChanged(line, value) => {
                if let Some(found) = self.found.as_mut()
                    && let Some(quantity) = found.quantities.get_mut(line)
                {
                    *quantity = value;
                    found.reprice(context);
                }
            }
            Message::Restock(restock) => self.restock = restock,
            Message::Method(method) => self.method = method,
            Message::ReasonChanged(value) => self.reason = value,
            Message::Confirm => return self.confirm(context),
        }
        (None, Action::None)
    }

    fn load(&mut self, context: &mut Context<'_>) -> Result<(), Notice> {
        let receipt_no = self.receipt_no.trim();
        let sale = context
            .store
            .sale_by_receipt_no(receipt_no)
            .map_err(|e| Notice::from_store_error(&e))?
            .ok_or_else(|| Notice::SaleNotKnownHere(receipt_no.to_string()))?;
        let left = context
            .store
            .refundable_lines(&sale.receipt_no)
            .map_err(|e| Notice::from_store_error(&e))?;
        // Money goes back the way it came, unless the cashier chooses otherwise.
        self.method = sale
            .draft
            .tenders
            .first()
            .map_or(PaymentMethod::Cash, |t| t.method);
        self.found = Some(Found {
            quantities: vec![String::new(); left.len()],
            left,
            sale,
            price: None,
        });
        Ok(())
    }

    /// Gives the money back once a manager allowed it. What cannot be refunded (more than is
    /// left, nothing typed) is refused before anyone is asked; the amount was shown before.
    fn confirm(&mut self, context: &mut Context<'_>) -> (Option<Notice>, Action) {
        let Some(found) = &self.found else {
            return (None, Action::None);
        };
        let items = match found.items() {
            Ok(items) => items,
            Err(notice) => return (Some(notice), Action::None),
        };
        let mut request = RefundRequest {
            receipt_no: found.sale.receipt_no.clone(),
            items,
            method: self.method,
            restock: self.restock,
            reason: self.reason.clone(),
            cashier: context.staff.name.clone(),
            approver: None,
        };
        if let Err(error) = context.store.price_refund(&request) {
            return (Some(Notice::from_store_error(&error)), Action::None);
        }
        if !context.permits(GatedAct::Refund, 0) {
            return (None, Action::NeedsApproval(GatedAct::Refund));
        }
        // A manager refunding alone is her own approver.
        request.approver = Some(context.approver.unwrap_or(context.staff).name.clone());
        let refund = match context.store.commit_refund(&request, context.now) {
            Ok(refund) => refund,
            Err(error) => return (Some(Notice::from_store_error(&error)), Action::None),
        };
        let notice = Notice::Refunded {
            refund_no: refund.refund_no.clone(),
            total: refund.total,
        };
        let sale = found.sale.clone();
        *self = RefundForm::default();
        (
            Some(notice),
            Action::Produce(Document::Refund {
                refund: Box::new(refund),
                sale: Box::new(sale),
            }),
        )
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let receipt = text_input(Label::ReceiptNumberHint.text(lang), &self.receipt_no)
            .id(RECEIPT_INPUT)
            .on_input(Message::ReceiptChanged)
            .on_submit(Message::Load)
            .padding(8);
        let mut form = column![
            text(Label::RefundTitle.text(lang))
                .size(theme::HEADING)
                .font(theme::BOLD),
            receipt
        ]
        .spacing(theme::SPACE);
        if let Some(found) = &self.found {
            let lines = found
                .sale
                .draft
                .lines
                .iter()
                .enumerate()
                .map(|(line_no, line)| {
                    row![
                        column![
                            text(&line.name),
                            text(format!(
                                "{}: {} {} · {}{}",
                                Label::RefundLeft.text(lang),
                                format_quantity(found.left[line_no].0),
                                line.unit,
                                found.left[line_no].1,
                                found
                                    .line_amount(line_no)
                                    .map_or(String::new(), |amount| { format!(" → {amount}") })
                            ))
                            .size(theme::SMALL)
                            .style(theme::muted),
                        ]
                        .width(Fill),
                        text_input("0", &found.quantities[line_no])
                            .id(quantity_input_id(line_no))
                            .on_input(move |value| Message::QuantityChanged(line_no, value))
                            .padding(6)
                            .width(Length::Fixed(70.0)),
                    ]
                    .spacing(theme::SPACE)
                    .align_y(Alignment::Center)
                    .into()
                });
            let methods = row(PaymentMethod::ALL.into_iter().map(|method| {
                let name = method_name(method, lang)
                    .split(" (")
                    .next()
                    .unwrap_or_default();
                button(text(name).size(theme::SMALL))
                    .style(if method == self.method {
                        button::primary
                    } else {
                        button::secondary
                    })
                    .on_press(Message::Method(method))
                    .into()
            }))
            .spacing(theme::SPACE);
            form = form
                .push(
                    scrollable(Column::with_children(lines).spacing(6))
                        .spacing(theme::SPACE)
                        .height(Fill),
                )
                .push(
                    checkbox(self.restock)
                        .label(Label::RefundRestock.text(lang))
                        .on_toggle(Message::Restock),
                )
                .push(methods)
                .push(
                    text_input(Label::RefundReason.text(lang), &self.reason)
                        .on_input(Message::ReasonChanged)
                        .padding(6),
                )
                .push(match &found.price {
                    Some(Ok(price)) => text(format!(
                        "{}: {}",
                        Label::RefundAmount.text(lang),
                        price.total
                    ))
                    .size(theme::AMOUNT)
                    .font(theme::BOLD),
                    Some(Err(notice)) => text(notice.text(lang)).style(theme::danger),
                    None => text(""),
                })
                .push(
                    button(text(Label::RefundConfirm.text(lang)).center())
                        .width(Fill)
                        .height(theme::BUTTON_HEIGHT)
                        .style(button::danger)
                        .on_press(Message::Confirm),
                );
        }
        form.into()
    }
}
