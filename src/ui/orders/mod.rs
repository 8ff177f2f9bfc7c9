//! The Orders screen (Đơn hàng), for cashiers and managers: open orders by delivery day with
//! their deposits, deliveries and cancellation; taking a new order; customers; receivables.
//!
//! Split by panel: `list` the orders and what is done to one, `form` a new order, `customers`
//! the customer records, `accounts` what companies owe. Acts a cashier may not do alone
//! (cancelling, credit terms, erasing a person's data, selling over the credit limit) ask for
//! a manager's PIN through [`Outcome::Approve`].

mod accounts;
mod customers;
mod form;
mod list;

use crate::core::money::{Money, parse_amount};
use crate::core::payment::PaymentMethod;
use crate::core::receivable::cash_loses_vat_deduction;
use crate::core::staff::GatedAct;
use crate::documents::Document;
use crate::i18n::{Lang, Notice, OrderLabel, OrderNotice};
use crate::store::{Store, StoreResult};
use crate::ui::{Context, notice_band, theme};
use chrono::{DateTime, Utc};
use iced::widget::{Row, button, column, container, row, text, text_input};
use iced::{Alignment, Element, Fill, Length};

pub use accounts::Message as AccountsMessage;
pub use customers::Message as CustomersMessage;
pub use form::Message as FormMessage;
pub use list::Message as ListMessage;

/// The field the list's filter takes a day in, focused when the screen opens.
pub const DUE_INPUT: &str = "orders-due";
pub use form::KEY_INPUT;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Orders,
    NewOrder,
    Customers,
    Accounts,
}

#[derive(Debug, Clone)]
pub enum Message {
    Show(Panel),
    List(list::Message),
    Form(form::Message),
    Customers(customers::Message),
    Accounts(accounts::Message),
}

/// What the window should do after an update.
#[derive(Debug)]
pub enum Outcome {
    Stay,
    /// Write (and print) these documents, made from what was just committed.
    Print(Vec<Document>),
    /// A manager's PIN first; then the same message again.
    Approve(GatedAct),
}

pub struct Orders {
    panel: Panel,
    notice: Option<Notice>,
    list: list::OrderList,
    form: form::OrderForm,
    customers: customers::CustomersPanel,
    accounts: accounts::AccountsPanel,
    /// Something left the shelves (a delivery): the counter reads its stock again.
    stock_changed: bool,
}

impl Orders {
    /// Tells, in this screen's notice band, what the window learnt meanwhile (a document
    /// saved or printed): the band is already there, so no other line is taken for it.
    pub fn tell(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    pub fn new(store: &mut Store, now: DateTime<Utc>) -> StoreResult<Orders> {
        Ok(Orders {
            panel: Panel::Orders,
            notice: None,
            list: list::OrderList::new(store)?,
            form: form::OrderForm::new(store, now)?,
            customers: customers::CustomersPanel::new(store, now)?,
            accounts: accounts::AccountsPanel::new(store, now)?,
            stock_changed: false,
        })
    }

    pub fn panel(&self) -> Panel {
        self.panel
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The orders listed, for tests and the command line's twin.
    pub fn orders(&self) -> &[crate::core::order::Order] {
        self.list.orders()
    }

    /// The order open on the right, if any.
    pub fn selected(&self) -> Option<&crate::core::order::Order> {
        self.list.selected()
    }

    /// True once after a delivery: the counter's stock is read again.
    pub fn take_stock_changed(&mut self) -> bool {
        std::mem::take(&mut self.stock_changed)
    }

    pub fn focused_input(&self) -> Option<&'static str> {
        match self.panel {
            Panel::Orders => Some(DUE_INPUT),
            Panel::NewOrder => Some(form::KEY_INPUT),
            Panel::Customers => Some(customers::SEARCH_INPUT),
            Panel::Accounts => None,
        }
    }

    /// A keystroke in a field keeps the focus where it is.
    pub fn is_typing(message: &Message) -> bool {
        match message {
            Message::List(message) => list::is_typing(message),
            Message::Form(message) => form::is_typing(message),
            Message::Customers(message) => customers::is_typing(message),
            Message::Accounts(message) => accounts::is_typing(message),
            Message::Show(_) => false,
        }
    }

    pub fn update(&mut self, message: Message, context: &mut Context<'_>) -> Outcome {
        let (notice, outcome) = match message {
            Message::Show(panel) => {
                self.panel = panel;
                self.notice = None;
                let reread = match panel {
                    Panel::Orders => self.list.reread(context.store),
                    Panel::NewOrder => self.form.reread(context.store, context.now),
                    Panel::Customers => self.customers.reread(context.store, context.now),
                    Panel::Accounts => self.accounts.reread(context.store, context.now),
                };
                (
                    reread.err().map(|e| Notice::from_store_error(&e)),
                    Outcome::Stay,
                )
            }
            Message::List(message) => {
                let done = self.list.update(message, context);
                if self.list.take_delivered() {
                    self.stock_changed = true;
                }
                (done.notice, done.outcome)
            }
            Message::Form(message) => {
                let done = self.form.update(message, context);
                if let Some(order_id) = self.form.take_saved() {
                    self.panel = Panel::Orders;
                    if let Err(error) = self.list.show_order(context.store, order_id) {
                        self.notice = Some(Notice::from_store_error(&error));
                    }
                }
                (done.notice, done.outcome)
            }
            Message::Customers(message) => {
                let done = self.customers.update(message, context);
                (done.notice, done.outcome)
            }
            Message::Accounts(message) => {
                let done = self.accounts.update(message, context);
                (done.notice, done.outcome)
            }
        };
        if notice.is_some() {
            self.notice = notice;
        }
        outcome
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let tab = |label: OrderLabel, panel: Panel| {
            button(text(label.text(lang)).font(theme::BOLD))
                .padding([8, 16])
                .style(if self.panel == panel {
                    button::primary
                } else {
                    button::secondary
                })
                .on_press(Message::Show(panel))
        };
        let panels = row![
            text(OrderLabel::Tab.text(lang))
                .size(theme::HEADING)
                .font(theme::BOLD)
                .width(Fill),
            tab(OrderLabel::PanelOrders, Panel::Orders),
            tab(OrderLabel::PanelNewOrder, Panel::NewOrder),
            tab(OrderLabel::PanelCustomers, Panel::Customers),
            tab(OrderLabel::PanelAccounts, Panel::Accounts),
        ]
        .spacing(theme::SPACE)
        .align_y(Alignment::Center);
        let body = match self.panel {
            Panel::Orders => self.list.view(lang).map(Message::List),
            Panel::NewOrder => self.form.view(lang).map(Message::Form),
            Panel::Customers => self.customers.view(lang).map(Message::Customers),
            Panel::Accounts => self.accounts.view(lang).map(Message::Accounts),
        };
        container(
            column![
                panels,
                notice_band(self.notice.as_ref(), lang, theme::TEXT),
                body
            ]
            .spacing(theme::SPACE),
        )
        .padding(theme::PAD)
        .width(Fill)
        .height(Fill)
        .into()
    }
}

/// What a panel's update did.
struct Done {
    notice: Option<Notice>,
    outcome: Outcome,
}

impl Done {
    fn stay() -> Done {
        Done {
            notice: None,
            outcome: Outcome::Stay,
        }
    }

    fn told(notice: Notice) -> Done {
        Done {
            notice: Some(notice),
            outcome: Outcome::Stay,
        }
    }

    fn refused(error: &crate::store::StoreError) -> Done {
        Done::told(Notice::from_store_error(error))
    }
}

fn order_notice(notice: OrderNotice) -> Notice {
    Notice::Orders(notice)
}

/// An amount typed in a field; empty is nothing.
fn typed_amount(text: &str) -> Result<Money, Notice> {
    if text.trim().is_empty() {
        return Ok(Money::ZERO);
    }
    parse_amount(text).map_err(Notice::Amount)
}

/// The warning a company buying `day_total` today gets when it pays in cash (Decree 181).
fn cash_warning(day_total: Money, method: PaymentMethod) -> Option<Notice> {
    let cash = if method == PaymentMethod::Cash {
        day_total
    } else {
        Money::ZERO
    };
    cash_loses_vat_deduction(day_total, cash)
        .then(|| order_notice(OrderNotice::CashLosesDeduction(day_total)))
}

/// At the counter: the warning when what the cart takes of a product (`taking`) reaches into
/// the stock open orders reserve.
pub fn reserved_warning(
    store: &Store,
    product: &crate::core::catalog::Product,
    taking: rust_decimal::Decimal,
) -> Option<Notice> {
    let reserved = store.reserved_of(product.id).ok()?;
    (reserved > rust_decimal::Decimal::ZERO && taking > product.stock - reserved).then(|| {
        order_notice(OrderNotice::IntoReserved {
            name: product.name.clone(),
            stock: product.stock,
            reserved,
        })
    })
}

/// At the counter: the warning for a company that buys `total` now, with what it bought today,
/// from 5,000,000 đ (it should not pay in cash).
pub fn company_cash_warning(
    store: &Store,
    buyer: Option<&crate::core::einvoice::InvoiceBuyer>,
    total: Money,
    now: DateTime<Utc>,
) -> Option<Notice> {
    let Some(crate::core::einvoice::InvoiceBuyer::Company(buyer)) = buyer else {
        return None;
    };
    let earlier = match store.find_company(&buyer.tax_code).ok()? {
        Some(customer) if customer.id > 0 => store
            .day_purchases(customer.id, crate::core::clock::local_date(now))
            .ok()?,
        _ => Money::ZERO,
    };
    cash_warning(earlier + total, PaymentMethod::Cash)
}

/// A field with its label above it.
fn field<'a, M: Clone + 'a>(
    label: OrderLabel,
    lang: Lang,
    value: &'a str,
    on_input: impl Fn(String) -> M + 'a,
) -> iced::widget::Column<'a, M> {
    column![
        text(label.text(lang))
            .size(theme::SMALL)
            .style(theme::muted),
        text_input(label.text(lang), value)
            .on_input(on_input)
            .padding(6)
    ]
    .spacing(2)
}

/// Buttons for payment methods, the chosen one highlighted.
fn methods<'a, M: Clone + 'a>(
    lang: Lang,
    chosen: PaymentMethod,
    offered: &[PaymentMethod],
    on_press: impl Fn(PaymentMethod) -> M,
) -> Row<'a, M> {
    offered.iter().fold(row![].spacing(4), |buttons, &method| {
        let label = match method {
            PaymentMethod::Cash => OrderLabel::Cash,
            PaymentMethod::Transfer => OrderLabel::Transfer,
            PaymentMethod::Card => OrderLabel::CardPayment,
            PaymentMethod::OnAccount | PaymentMethod::Deposit => OrderLabel::OnAccount,
        };
        buttons.push(
            button(text(label.text(lang)).size(theme::SMALL).center())
                .width(Fill)
                .style(if method == chosen {
                    button::primary
                } else {
                    button::secondary
                })
                .on_press(on_press(method)),
        )
    })
}

/// A column heading.
fn head<'a, M: 'a>(label: OrderLabel, lang: Lang, portion: u16) -> Element<'a, M> {
    text(label.text(lang))
        .font(theme::BOLD)
        .size(theme::SMALL)
        .width(Length::FillPortion(portion))
        .into()
}

/// An amount, right-aligned in its column.
fn amount<'a, M: 'a>(money: Money, portion: u16) -> Element<'a, M> {
    text(money.to_string())
        .size(theme::SMALL)
        .align_x(iced::alignment::Horizontal::Right)
        .width(Length::FillPortion(portion))
        .into()
}

/// A button that does an act of the panel.
fn act<'a, M: Clone + 'a>(label: OrderLabel, lang: Lang, message: M) -> button::Button<'a, M> {
    button(text(label.text(lang)).font(theme::BOLD).center())
        .height(theme::BUTTON_HEIGHT)
        .padding([8, 12])
        .on_press(message)
}
