//! Taking the money: tenders by cash, transfer (VietQR) and card, the question a card or a
//! transfer must answer before it counts, and taking a tender back.
//!
//! Tenders live in the cart, so they are saved with it: Esc, a crash or a closed window never
//! loses money the customer handed over. A sale completes only when the tenders cover it.

use super::{Checkout, Panel};
use crate::core::einvoice::InvoiceBuyer;
use crate::core::money::{Money, parse_amount};
use crate::core::payment::{PaymentError, PaymentMethod, Tender};
use crate::core::staff::GatedAct;
use crate::core::vietqr::dynamic_payload;
use crate::i18n::{Notice, OrderNotice};
use crate::store::CartEvent;
use crate::ui::{Action, Context};
use iced::widget::qr_code;

/// The pay panel's state; the tenders themselves are in the cart.
pub(super) struct Payment {
    pub(super) method: PaymentMethod,
    pub(super) input: String,
    pub(super) transfer_qr: Option<TransferQr>,
    /// A card or transfer tender waiting for the cashier's "yes, the terminal approved" or
    /// "yes, the money arrived".
    pub(super) unconfirmed: Option<Tender>,
}

/// The VietQR shown for a transfer.
pub(super) struct TransferQr {
    pub(super) amount: Money,
    /// The transfer note: the cart's number, so the bank statement line finds the sale.
    pub(super) purpose: String,
    /// Bank BIN, account and holder, printed under the code for a customer who types instead.
    pub(super) account_line: String,
    pub(super) picture: qr_code::Data,
}

impl Payment {
    fn new() -> Payment {
        Payment {
            method: PaymentMethod::Cash,
            input: String::new(),
            transfer_qr: None,
            unconfirmed: None,
        }
    }

    pub(super) fn awaits_confirmation(&self) -> bool {
        self.unconfirmed.is_some()
    }

    /// "No, not approved": the tender is not taken; the amount comes back to be changed.
    pub(super) fn decline(&mut self) {
        if let Some(tender) = self.unconfirmed.take() {
            self.input = tender.amount.dong().to_string();
        }
    }
}

/// The transfer note for a cart: ASCII, within the 25 characters VietQR allows.
pub fn transfer_note(cart_no: Option<&str>) -> String {
    match cart_no {
        Some(number) => format!("OCOP {number}"),
        None => "OCOP".to_string(),
    }
}

impl Checkout {
    pub(super) fn open_payment(&mut self, context: &mut Context<'_>) {
        if self.cart.is_empty() {
            self.notice = Some(Notice::Payment(PaymentError::EmptyCart));
            return;
        }
        if !matches!(self.panel, Panel::Pay(_)) {
            self.panel = Panel::Pay(Box::new(Payment::new()));
            // A company buying from 5,000,000 đ today is told before it pays in cash.
            if let Some(warning) = crate::ui::orders::company_cash_warning(
                context.store,
                self.cart.buyer.as_ref(),
                self.cart.totals().total,
                context.now,
            ) {
                self.notice = Some(warning);
            }
        }
        self.refresh_transfer_qr(context);
    }

    /// The tenders offered: cash, transfer and card, and on account when a company is the
    /// buyer.
    pub(super) fn offered_methods(&self) -> Vec<PaymentMethod> {
        let company = matches!(self.cart.buyer, Some(InvoiceBuyer::Company(_)));
        PaymentMethod::ALL
            .into_iter()
            .chain(company.then_some(PaymentMethod::OnAccount))
            .collect()
    }

    /// F5 in the pay panel: what is still due goes on the company's account, and the sale
    /// completes (beyond the credit limit a manager approves it there).
    pub(super) fn put_on_account(&mut self, context: &mut Context<'_>) -> Action {
        if !matches!(self.panel, Panel::Pay(_)) {
            return Action::None;
        }
        if !matches!(self.cart.buyer, Some(InvoiceBuyer::Company(_))) {
            self.notice = Some(Notice::Orders(OrderNotice::CompanyBuyerFirst));
            return Action::None;
        }
        let remaining = self.cart.remaining();
        if remaining == Money::ZERO {
            return self.complete(context);
        }
        let tender = Tender {
            method: PaymentMethod::OnAccount,
            amount: remaining,
            reference: None,
        };
        let action = self.record_tender(tender, context);
        // Refused (over the credit limit, say): nothing is on account until the sale is
        // committed, so the cart keeps only the money handed over.
        if self
            .cart
            .tenders
            .last()
            .is_some_and(|t| t.method == PaymentMethod::OnAccount)
        {
            let mut back = self.cart.clone();
            back.tenders.pop();
            match context.store.save_open_cart(&mut back, context.now) {
                Ok(()) => self.cart = back,
                Err(error) => self.notice = Some(Notice::from_store_error(&error)),
            }
        }
        action
    }

    pub(super) fn choose_method(&mut self, method: PaymentMethod, context: &mut Context<'_>) {
        if let Panel::Pay(payment) = &mut self.panel {
            payment.decline();
            payment.method = method;
            self.notice = None;
        }
        self.refresh_transfer_qr(context);
    }

    /// Keeps the VietQR in step with the amount a transfer is for: what is typed, or else all
    /// that is still due.
    pub(super) fn refresh_transfer_qr(&mut self, context: &Context<'_>) {
        let remaining = self.cart.remaining();
        let purpose = transfer_note(self.cart.number.as_deref());
        let Panel::Pay(payment) = &mut self.panel else {
            return;
        };
        let amount = parse_amount(&payment.input)
            .ok()
            .filter(|a| *a > Money::ZERO)
            .unwrap_or(remaining);
        let wanted = (payment.method == PaymentMethod::Transfer && amount > Money::ZERO)
            .then(|| context.shop.bank_account())
            .flatten();
        payment.transfer_qr = wanted.and_then(|account| {
            if payment
                .transfer_qr
                .as_ref()
                .is_some_and(|qr| qr.amount == amount && qr.purpose == purpose)
            {
                return payment.transfer_qr.take();
            }
            let payload = dynamic_payload(&account, amount, &purpose);
            let picture = qr_code::Data::new(payload.as_bytes()).ok()?;
            Some(TransferQr {
                amount,
                purpose: purpose.clone(),
                account_line: format!(
                    "{} · {} · {}",
                    account.bin, account.account_number, account.account_name
                ),
                picture,
            })
        });
    }

    /// Enter in the pay panel. Cash: the typed amount is what the customer handed over; an
    /// empty field with something still due is refused (F10 or the exact-cash button say
    /// "exact" on purpose). Card or transfer: the typed amount, or all that is due, is asked
    /// about first. With nothing due, Enter completes.
    pub(super) fn take_tender(&mut self, context: &mut Context<'_>) -> Action {
        let remaining = self.cart.remaining();
        let Panel::Pay(payment) = &mut self.panel else {
            return Action::None;
        };
        if payment.awaits_confirmation() {
            return self.confirm_tender(context);
        }
        let typed = payment.input.trim();
        let amount = if typed.is_empty() {
            if remaining == Money::ZERO {
                return self.complete(context);
            }
            if payment.method == PaymentMethod::Cash {
                self.notice = Some(Notice::TypeCashReceived(remaining));
                return Action::None;
            }
            remaining
        } else {
            match parse_amount(typed) {
                Ok(amount) => amount,
                Err(error) => {
                    self.notice = Some(Notice::Amount(error));
                    return Action::None;
                }
            }
        };
        if amount <= Money::ZERO {
            self.notice = Some(Notice::Payment(PaymentError::NotPositive));
            return Action::None;
        }
        if payment.method != PaymentMethod::Cash && amount > remaining {
            self.notice = Some(Notice::Payment(PaymentError::NonCashOverpaid));
            return Action::None;
        }
        let reference = (payment.method == PaymentMethod::Transfer)
            .then(|| transfer_note(self.cart.number.as_deref()));
        let tender = Tender {
            method: payment.method,
            amount,
            reference,
        };
        if tender.method == PaymentMethod::Cash {
            return self.record_tender(tender, context);
        }
        payment.input.clear();
        payment.unconfirmed = Some(tender);
        self.notice = None;
        Action::None
    }

    /// The cashier answered yes: the card or transfer tender counts.
    pub(super) fn confirm_tender(&mut self, context: &mut Context<'_>) -> Action {
        let Panel::Pay(payment) = &mut self.panel else {
            return Action::None;
        };
        match payment.unconfirmed.take() {
            Some(tender) => self.record_tender(tender, context),
            None => Action::None,
        }
    }

    /// A quick-cash button: the customer handed over exactly this. Not while a card or
    /// transfer waits for its answer (the buttons are not shown then): that tender's amount
    /// was the rest before the cash, and confirming it after would take too much.
    pub(super) fn take_cash(&mut self, amount: Money, context: &mut Context<'_>) -> Action {
        if !matches!(&self.panel, Panel::Pay(payment) if !payment.awaits_confirmation()) {
            return Action::None;
        }
        let tender = Tender {
            method: PaymentMethod::Cash,
            amount,
            reference: None,
        };
        self.record_tender(tender, context)
    }

    /// F10: the rest in cash, exact, and complete.
    pub(super) fn pay_exact_cash(&mut self, context: &mut Context<'_>) -> Action {
        self.open_payment(context);
        let remaining = self.cart.remaining();
        let Panel::Pay(payment) = &mut self.panel else {
            return Action::None;
        };
        payment.unconfirmed = None;
        if remaining == Money::ZERO {
            return self.complete(context);
        }
        self.take_cash(remaining, context)
    }

    /// Saves a tender with the cart; once the tenders cover the total, completes the sale.
    fn record_tender(&mut self, tender: Tender, context: &mut Context<'_>) -> Action {
        let mut after = self.cart.clone();
        after.tenders.push(tender);
        if let Err(error) = context.store.save_open_cart(&mut after, context.now) {
            self.notice = Some(Notice::from_store_error(&error));
            return Action::None;
        }
        self.cart = after;
        if let Panel::Pay(payment) = &mut self.panel {
            payment.input.clear();
            payment.method = PaymentMethod::Cash;
            payment.transfer_qr = None;
        }
        if self.cart.remaining() == Money::ZERO {
            return self.complete(context);
        }
        self.notice = None;
        self.refresh_transfer_qr(context);
        Action::None
    }

    /// ✕ beside a tender: cash goes back to the customer's hand (audited); a card or transfer
    /// the bank confirmed must be reversed there, so a manager approves taking it back.
    pub(super) fn remove_tender(&mut self, index: usize, context: &mut Context<'_>) -> Action {
        let Some(tender) = self.cart.tenders.get(index).cloned() else {
            return Action::None;
        };
        // Nothing was paid on account: taking it back needs no one.
        let through_a_bank = matches!(tender.method, PaymentMethod::Transfer | PaymentMethod::Card);
        if through_a_bank && !context.permits(GatedAct::RemoveTender, 0) {
            return Action::NeedsApproval(GatedAct::RemoveTender);
        }
        let mut after = self.cart.clone();
        after.tenders.remove(index);
        let saved = context.store.save_cart_change(
            &mut after,
            &CartEvent::TenderRemoved(tender.clone()),
            Some(context.staff),
            context.approver,
            context.now,
        );
        match saved {
            Ok(()) => {
                self.cart = after;
                self.notice = Some(Notice::TenderTakenBack(tender.amount));
                self.refresh_transfer_qr(context);
            }
            Err(error) => self.notice = Some(Notice::from_store_error(&error)),
        }
        Action::None
    }
}
