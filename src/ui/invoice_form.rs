//! The invoice form (Ctrl+I, or a sale in the daily screen): a sale's cash-register invoices,
//! the A4 copy of the one in force for a company's accounts, and the correction of its buyer
//! (a replacement invoice, or a 04/SS-HĐĐT notice when only the name or address was wrong).
//! Corrections need a manager. Goods given back are adjusted by a refund (Ctrl+R).

use crate::core::audit::AuditAct;
use crate::core::einvoice::EInvoice;
use crate::core::staff::GatedAct;
use crate::documents::Document;
use crate::i18n::{Label, Lang, Notice};
use crate::store::{BuyerCorrection, BuyerCorrectionRequest};
use crate::ui::buyer_form::{self, BuyerForm, Outcome};
use crate::ui::{Action, Context, theme};
use iced::widget::{Column, button, column, scrollable, text, text_input};
use iced::{Element, Fill};

/// The receipt-number field, focused when the form opens.
pub const RECEIPT_INPUT: &str = "invoice-receipt-no";
const REASON_INPUT: &str = "invoice-reason";
const AGREEMENT_INPUT: &str = "invoice-agreement";

#[derive(Debug, Clone)]
pub enum Message {
    EditReceipt(String),
    /// Enter in the receipt field: show the sale's invoices.
    Load,
    PrintA4,
    Buyer(buyer_form::Message),
    EditReason(String),
    EditAgreement(String),
}

#[derive(Debug, Clone, Default)]
pub struct InvoiceForm {
    receipt_no: String,
    /// The sale's invoices in issue order, once loaded.
    invoices: Vec<EInvoice>,
    buyer: Option<BuyerForm>,
    reason: String,
    agreement: String,
}

impl InvoiceForm {
    /// The form for a sale's invoices, loaded at once.
    pub fn for_sale(receipt_no: &str, context: &mut Context<'_>) -> (InvoiceForm, Option<Notice>) {
        let mut form = InvoiceForm {
            receipt_no: receipt_no.to_string(),
            ..InvoiceForm::default()
        };
        let notice = if receipt_no.is_empty() {
            None
        } else {
            form.load(context)
        };
        (form, notice)
    }

    pub fn focused_input(&self) -> Option<&'static str> {
        match &self.buyer {
            Some(form) => form.focused_input().or(Some(REASON_INPUT)),
            None => Some(RECEIPT_INPUT),
        }
    }

    pub fn is_typing(message: &Message) -> bool {
        match message {
            Message::Buyer(message) => BuyerForm::is_typing(message),
            Message::EditReceipt(_) | Message::EditReason(_) | Message::EditAgreement(_) => true,
            _ => false,
        }
    }

    /// The invoice corrections act on: the last original or replacement.
    fn in_force(&self) -> Option<&EInvoice> {
        self.invoices.iter().rev().find(|invoice| {
            !matches!(
                &invoice.related,
                Some(related) if related.correction == crate::core::einvoice::Correction::Adjusts
            )
        })
    }

    fn load(&mut self, context: &mut Context<'_>) -> Option<Notice> {
        match context.store.einvoices_of_sale(&self.receipt_no) {
            Ok(invoices) if invoices.is_empty() => {
                self.invoices.clear();
                self.buyer = None;
                Some(Notice::NoInvoiceForSale(self.receipt_no.trim().to_string()))
            }
            Ok(invoices) => {
                self.invoices = invoices;
                // Only adjustments (of a sale sold at another counter): nothing to correct here.
                self.buyer = self
                    .in_force()
                    .map(|invoice| BuyerForm::new(invoice.buyer.as_ref()));
                None
            }
            Err(error) => Some(Notice::from_store_error(&error)),
        }
    }

    /// Changes the form; returns a notice to show, and what the parent must do.
    pub fn update(
        &mut self,
        message: Message,
        context: &mut Context<'_>,
    ) -> (Option<Notice>, Action) {
        match message {
            Message::EditReceipt(value) => self.receipt_no = value,
            Message::EditReason(value) => self.reason = value,
            Message::EditAgreement(value) => self.agreement = value,
            Message::Load => return (self.load(context), Action::None),
            Message::PrintA4 => {
                if let Some(invoice) = self.in_force() {
                    return (
                        None,
                        Action::Produce(Document::EInvoice {
                            invoice: Box::new(invoice.clone()),
                            copy: false,
                            replaced_by: None,
                        }),
                    );
                }
            }
            // The buyer form's button issues the correction (after a manager's approval).
            Message::Buyer(buyer_form::Message::Submit) => return self.correct(context),
            Message::Buyer(message) => {
                if let Some(form) = &mut self.buyer
                    && let Outcome::Notice(notice) =
                        form.update(message, context.store, context.now)
                {
                    return (Some(notice), Action::None);
                }
            }
        }
        (None, Action::None)
    }

    /// Corrects the buyer of the invoice in force, once a manager has approved.
    fn correct(&mut self, context: &mut Context<'_>) -> (Option<Notice>, Action) {
        let (Some(invoice), Some(form)) = (self.in_force(), &self.buyer) else {
            return (None, Action::None);
        };
        if !context.permits(GatedAct::CorrectInvoice, 0) {
            return (None, Action::NeedsApproval(GatedAct::CorrectInvoice));
        }
        let reference = invoice.reference();
        let before = invoice.buyer.as_ref().map_or("", |b| b.name()).to_string();
        let request = BuyerCorrectionRequest {
            buyer: form.typed(),
            reason: self.reason.clone(),
            agreement: self.agreement.clone(),
            by: context.staff.name.clone(),
        };
        let corrected = context
            .store
            .correct_invoice_buyer(&reference, &request, context.now);
        let after = request.buyer.as_ref().map_or("", |b| b.name()).to_string();
        let (notice, action) = match corrected {
            Err(error) => return (Some(Notice::from_store_error(&error)), Action::None),
            Ok(BuyerCorrection::Noticed { invoice }) => {
                (Notice::InvoiceNoticed(invoice), Action::None)
            }
            Ok(BuyerCorrection::Replaced(replacement)) => (
                Notice::InvoiceIssued(replacement.reference()),
                Action::Produce(Document::EInvoice {
                    invoice: replacement,
                    copy: false,
                    replaced_by: None,
                }),
            ),
        };
        if let Err(error) = context.audit(AuditAct::CorrectInvoice, &reference, &before, &after) {
            return (Some(Notice::from_store_error(&error)), action);
        }
        self.load(context);
        (Some(notice), action)
    }

    pub fn view<'a>(&'a self, lang: Lang) -> Element<'a, Message> {
        let mut body = Column::new().spacing(theme::SPACE);
        body = body.push(
            text_input(Label::ReceiptNumberHint.text(lang), &self.receipt_no)
                .id(RECEIPT_INPUT)
                .on_input(Message::EditReceipt)
                .on_submit(Message::Load)
                .padding(8),
        );
        for invoice in &self.invoices {
            body = body.push(invoice_summary(invoice, lang));
        }
        if let Some(form) = &self.buyer {
            body = body.push(
                button(text(Label::PrintInvoiceA4.text(lang)).center())
                    .width(Fill)
                    .on_press(Message::PrintA4),
            );
            body = body.push(
                text(Label::CorrectBuyerTitle.text(lang))
                    .font(theme::BOLD)
                    .size(theme::SMALL),
            );
            body = body.push(
                text_input(Label::CorrectionReason.text(lang), &self.reason)
                    .id(REASON_INPUT)
                    .on_input(Message::EditReason)
                    .padding(8),
            );
            body = body.push(
                text_input(Label::CorrectionAgreement.text(lang), &self.agreement)
                    .id(AGREEMENT_INPUT)
                    .on_input(Message::EditAgreement)
                    .padding(8),
            );
            body = body.push(form.view(lang, Label::CorrectBuyer).map(Message::Buyer));
        }
        column![
            text(Label::InvoiceTitle.text(lang))
                .size(theme::HEADING)
                .font(theme::BOLD),
            scrollable(body).spacing(theme::SPACE).height(Fill),
        ]
        .spacing(theme::SPACE)
        .into()
    }
}

/// One invoice in a line or two: symbol and number, MCCQT, buyer, what it corrects.
fn invoice_summary(invoice: &EInvoice, lang: Lang) -> Element<'_, Message> {
    let mut lines = vec![format!("{}  {}", invoice.reference(), invoice.total)];
    if let Some(code) = &invoice.numbers.authority_code {
        lines.push(code.clone());
    }
    lines.push(
        invoice
            .buyer
            .as_ref()
            .map_or(crate::core::einvoice::CONSUMER.to_string(), |b| {
                b.name().to_string()
            }),
    );
    if let Some(related) = &invoice.related {
        lines.push(format!(
            "{} {}-{:08}",
            Label::Corrects.text(lang),
            related.symbol(),
            related.number
        ));
    }
    lines
        .into_iter()
        .fold(Column::new().spacing(2), |column, line| {
            column.push(text(line).size(theme::SMALL))
        })
        .into()
}
