//! The checkout screen: scan, search, cart, discounts, park, pay and complete.

use crate::core::barcode::{BarcodeError, ScanCode, looks_like_barcode, parse_scan};
use crate::core::cart::{
    Cart, CartLine, Component, format_quantity, parse_discount, parse_quantity,
};
use crate::core::catalog::{Product, SearchIndex, stars_text};
use crate::core::clock::SHOP_TIME_ZONE;
use crate::core::einvoice::InvoiceBuyer;
use crate::core::giftpack::GiftPack;
use crate::core::money::{Money, parse_amount};
use crate::core::payment::{PaymentError, PaymentMethod, Tender, quick_cash_amounts};
use crate::core::sale::{SaleDraft, SaleRecord};
use crate::core::staff::GatedAct;
use crate::core::vietqr::dynamic_payload;
use crate::documents::Document;
use crate::i18n::{Label, Lang, Notice, method_name};
use crate::store::ParkedCart;
use crate::ui::buyer_form::{self, BuyerForm, Outcome};
use crate::ui::invoice_form::{self, InvoiceForm};
use crate::ui::keys::Command;
use crate::ui::refund_form::{self, RefundForm};
use crate::ui::theme;
use crate::ui::{Action, Context, notice_band};
use iced::widget::{
    Column, button, column, container, qr_code, row, rule, scrollable, space, text, text_input,
};
use iced::{Alignment, Color, Element, Fill, FillPortion, Length};
use rust_decimal::Decimal;

/// The scan and search field: focused after every action.
pub const SCAN_INPUT: &str = "scan";
/// The one field of whichever panel is open (quantity, discount, tender, receipt number).
pub const PANEL_INPUT: &str = "panel";
/// Search results shown at once; the list is for picking, not browsing.
const RESULT_LIMIT: usize = 12;
const QUICK_KEY_COUNT: usize = 8;

#[derive(Debug, Clone)]
pub enum Message {
    ScanChanged(String),
    ScanSubmitted,
    PickResult(usize),
    SelectLine(usize),
    PanelInputChanged(String),
    PanelSubmitted,
    Command(Command),
    ChooseMethod(PaymentMethod),
    QuickCash(Money),
    RemoveTender(usize),
    Complete,
    Resume(i64),
    PickPack(usize),
    Invoice(invoice_form::Message),
    Refund(refund_form::Message),
    Buyer(buyer_form::Message),
}

enum Panel {
    Search,
    Quantity(String),
    LineDiscount(String),
    OrderDiscount(String),
    Pay(Box<Payment>),
    Parked(Vec<ParkedCart>, usize),
    Reprint(String),
    ConfirmCancel,
    /// The price of the basket built at the counter.
    BasketPrice(String),
    Invoice(Box<InvoiceForm>),
    Refund(Box<RefundForm>),
    /// Ctrl+B: the buyer the next sale's invoice names.
    Buyer(Box<BuyerForm>),
}

struct Payment {
    method: PaymentMethod,
    input: String,
    tenders: Vec<Tender>,
    transfer_qr: Option<TransferQr>,
}

/// The VietQR shown for a transfer.
struct TransferQr {
    amount: Money,
    payload: String,
    /// Bank BIN, account and holder, printed under the code for a customer who types instead.
    account_line: String,
    picture: qr_code::Data,
}

/// The last completed sale stays on screen until the next scan.
struct LastSale {
    receipt_no: String,
    total: Money,
    change: Money,
}

pub struct Checkout {
    catalogue: Vec<Product>,
    index: SearchIndex,
    quick_keys: Vec<usize>,
    packs: Vec<GiftPack>,
    cart: Cart,
    /// A basket being built at the counter: scans go into it instead of the cart.
    building: Option<Vec<Component>>,
    selected: Option<usize>,
    scan: String,
    /// Text submitted from the scan field since it was last drawn. A scanner types the next
    /// code right after Enter; iced hands those keys to the field as it was before the Enter,
    /// so the values it reports begin with this text, which is not part of the new code.
    submitted_burst: Option<String>,
    results: Vec<usize>,
    result_cursor: usize,
    panel: Panel,
    notice: Option<Notice>,
    last_sale: Option<LastSale>,
    /// The buyer the customer asked the invoice to name (None: a consumer).
    buyer: Option<InvoiceBuyer>,
}

impl Checkout {
    /// A checkout over a catalogue, with the cart that was open when the program last stopped.
    pub fn new(catalogue: Vec<Product>, packs: Vec<GiftPack>, cart: Cart) -> Checkout {
        let index = SearchIndex::build(&catalogue);
        let quick_keys = (0..catalogue.len().min(QUICK_KEY_COUNT)).collect();
        let selected = cart.lines.len().checked_sub(1);
        Checkout {
            catalogue,
            index,
            quick_keys,
            packs,
            cart,
            building: None,
            selected,
            scan: String::new(),
            submitted_burst: None,
            results: Vec::new(),
            result_cursor: 0,
            panel: Panel::Search,
            notice: None,
            last_sale: None,
            buyer: None,
        }
    }

    /// Takes the catalogue and gift packs as the back office just changed them; the cart
    /// keeps its lines as they were rung up.
    pub fn replace_catalogue(&mut self, catalogue: Vec<Product>, packs: Vec<GiftPack>) {
        self.index = SearchIndex::build(&catalogue);
        self.quick_keys = (0..catalogue.len().min(QUICK_KEY_COUNT)).collect();
        self.catalogue = catalogue;
        self.packs = packs;
        self.results.clear();
        self.result_cursor = 0;
    }

    pub fn cart(&self) -> &Cart {
        &self.cart
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The field that should hold the keyboard focus now.
    pub fn focused_input(&self) -> Option<&'static str> {
        match &self.panel {
            Panel::Search => Some(SCAN_INPUT),
            Panel::Quantity(_)
            | Panel::LineDiscount(_)
            | Panel::OrderDiscount(_)
            | Panel::Pay(_)
            | Panel::Reprint(_)
            | Panel::BasketPrice(_) => Some(PANEL_INPUT),
            Panel::Invoice(form) => form.focused_input(),
            Panel::Buyer(form) => form.focused_input(),
            Panel::Refund(_) => Some(refund_form::RECEIPT_INPUT),
            Panel::Parked(..) | Panel::ConfirmCancel => None,
        }
    }

    /// Typing only edits a field; every other message may move the focus.
    pub fn is_typing(message: &Message) -> bool {
        match message {
            Message::Refund(message) => RefundForm::is_typing(message),
            Message::Invoice(message) => InvoiceForm::is_typing(message),
            Message::Buyer(message) => BuyerForm::is_typing(message),
            _ => matches!(
                message,
                Message::ScanChanged(_) | Message::PanelInputChanged(_)
            ),
        }
    }

    pub fn update(&mut self, message: Message, context: &mut Context<'_>) -> Action {
        match message {
            Message::ScanChanged(value) => self.scan_changed(value, context),
            Message::ScanSubmitted => return self.scan_submitted(context),
            Message::PickResult(position) => self.add_product(position, Decimal::ONE, context),
            Message::SelectLine(index) => {
                self.selected = Some(index);
                self.panel = Panel::Search;
            }
            Message::PanelInputChanged(value) => self.panel_input_changed(value, context),
            Message::PanelSubmitted => return self.panel_submitted(context),
            Message::Command(command) => return self.command(command, context),
            Message::ChooseMethod(method) => self.choose_method(method, context),
            Message::QuickCash(amount) => {
                if let Panel::Pay(payment) = &mut self.panel {
                    payment.method = PaymentMethod::Cash;
                    payment.input = amount.dong().to_string();
                    payment.transfer_qr = None;
                }
                return self.panel_submitted(context);
            }
            Message::RemoveTender(index) => {
                if let Panel::Pay(payment) = &mut self.panel
                    && index < payment.tenders.len()
                {
                    payment.tenders.remove(index);
                }
                self.refresh_transfer_qr(context);
            }
            Message::Complete => return self.complete(context),
            Message::Resume(id) => self.resume(id, context),
            Message::PickPack(index) => {
                // Read again for the same reason as a product: its contents' prices now.
                let barcode = self.packs.get(index).map(|pack| pack.barcode.clone());
                match barcode.map(|code| context.store.gift_pack_by_barcode(&code, context.now)) {
                    Some(Ok(Some(pack))) => {
                        self.add_pack(&pack, context);
                        self.packs[index] = pack;
                    }
                    Some(Err(error)) => self.notice = Some(Notice::from_store_error(&error)),
                    _ => {}
                }
            }
            Message::Refund(message) => {
                if let Panel::Refund(form) = &mut self.panel {
                    let (notice, action) = form.update(message, context);
                    if notice.is_some() {
                        self.notice = notice;
                    }
                    return action;
                }
            }
            Message::Buyer(message) => {
                if let Panel::Buyer(form) = &mut self.panel {
                    match form.update(message, context.store, context.now) {
                        Outcome::Stay => {}
                        Outcome::Notice(notice) => self.notice = Some(notice),
                        Outcome::Done(buyer) => {
                            let name = buyer
                                .as_ref()
                                .map_or(crate::core::einvoice::CONSUMER.to_string(), |b| {
                                    b.name().to_string()
                                });
                            self.notice = Some(Notice::BuyerSet(name));
                            self.buyer = buyer;
                            self.panel = Panel::Search;
                        }
                    }
                }
            }
            Message::Invoice(message) => {
                if let Panel::Invoice(form) = &mut self.panel {
                    let (notice, action) = form.update(message, context);
                    if notice.is_some() {
                        self.notice = notice;
                    }
                    if matches!(action, Action::Produce(_)) {
                        self.panel = Panel::Search;
                    }
                    return action;
                }
            }
        }
        Action::None
    }

    fn scan_changed(&mut self, mut value: String, context: &mut Context<'_>) {
        if let Some(stale) = &self.submitted_burst {
            match value.strip_prefix(stale.as_str()) {
                Some(fresh) if !fresh.is_empty() => value = fresh.to_string(),
                _ => self.submitted_burst = None,
            }
        }
        // "+" or "-" typed into an empty field raise or lower the selected line's quantity.
        if self.scan.is_empty() && (value == "+" || value == "-") {
            self.step_quantity(if value == "+" { 1 } else { -1 }, context);
            return;
        }
        self.scan = value;
        self.result_cursor = 0;
        let query = self.scan_query();
        self.results = if looks_like_barcode(query) {
            Vec::new()
        } else {
            self.index.search(query, RESULT_LIMIT)
        };
    }

    /// The scan field without a leading quantity (`3*…`).
    fn scan_query(&self) -> &str {
        self.scan
            .split_once('*')
            .map_or(self.scan.as_str(), |(_, rest)| rest)
            .trim()
    }

    fn scan_submitted(&mut self, context: &mut Context<'_>) -> Action {
        let submitted = self.scan.clone();
        self.submit_scan(context);
        if self.scan.is_empty() {
            // Until the field is drawn again, what it reports still begins with this text.
            let burst = self.submitted_burst.take().unwrap_or_default();
            self.submitted_burst = Some(burst + &submitted);
        }
        Action::None
    }

    fn submit_scan(&mut self, context: &mut Context<'_>) {
        let (quantity, query) = match self.scan.split_once('*') {
            Some((quantity, rest)) => match parse_quantity(quantity) {
                Ok(q) => (q, rest.trim().to_string()),
                Err(_) => {
                    self.notice = Some(Notice::QuantityNotANumber(quantity.trim().to_string()));
                    return;
                }
            },
            None => (Decimal::ONE, self.scan.trim().to_string()),
        };
        if query.is_empty() {
            return;
        }
        if looks_like_barcode(&query) {
            // The next scan starts afresh even after a refusal; the notice names the code.
            self.scan.clear();
            self.scan_code(&query, quantity, context);
        } else if let Some(&position) = self.results.get(self.result_cursor) {
            self.add_product(position, quantity, context);
        } else {
            self.notice = Some(Notice::NothingFound(query));
        }
    }

    fn scan_code(&mut self, code: &str, quantity: Decimal, context: &mut Context<'_>) {
        let found = match parse_scan(code) {
            Err(BarcodeError::BadCheckDigit { expected }) => {
                self.notice = Some(Notice::BadCheckDigit {
                    code: code.to_string(),
                    expected,
                });
                return;
            }
            Err(BarcodeError::NotABarcode) => {
                self.notice = Some(Notice::UnknownBarcode(code.to_string()));
                return;
            }
            Ok(ScanCode::Product(code)) => {
                match context.store.product_by_barcode(&code, context.now) {
                    Ok(None) => match context.store.gift_pack_by_barcode(&code, context.now) {
                        Ok(Some(pack)) => {
                            self.add_pack(&pack, context);
                            return;
                        }
                        Ok(None) => Ok(Err(Notice::UnknownBarcode(code))),
                        Err(error) => Err(error),
                    },
                    found => {
                        found.map(|p| p.map(|p| (p, None)).ok_or(Notice::UnknownBarcode(code)))
                    }
                }
            }
            Ok(ScanCode::Weighed { plu, quantity }) => {
                context.store.product_by_plu(plu, context.now).map(|p| {
                    p.map(|p| (p, Some(Err(quantity))))
                        .ok_or(Notice::UnknownPlu(plu))
                })
            }
            Ok(ScanCode::Priced { plu, price }) => {
                context.store.product_by_plu(plu, context.now).map(|p| {
                    p.map(|p| (p, Some(Ok(price))))
                        .ok_or(Notice::UnknownPlu(plu))
                })
            }
        };
        let (product, label) = match found {
            Ok(Ok(found)) => found,
            Ok(Err(notice)) => {
                self.notice = Some(notice);
                return;
            }
            Err(error) => {
                self.notice = Some(Notice::from_store_error(&error));
                return;
            }
        };
        match label {
            None => self.take_product(&product, quantity, context),
            Some(Err(weight)) => self.take_product(&product, weight, context),
            Some(Ok(price)) if self.building.is_none() => {
                let added = self.cart.add_priced_label(&product, price);
                self.after_add(added, &product.name, context);
            }
            // A price label scanned into a basket: the weight it stands for.
            Some(Ok(price)) => {
                let weight = (price.to_decimal() / product.price.to_decimal())
                    .round_dp(crate::core::cart::QUANTITY_DECIMALS);
                self.take_product(&product, weight, context);
            }
        }
    }

    /// A product picked from the search results or the quick keys. It is read again at this
    /// moment: the list was loaded at start, and a price or VAT rate may have changed since
    /// (the 8 % rate ends at midnight on 31 Dec 2026).
    fn add_product(&mut self, position: usize, quantity: Decimal, context: &mut Context<'_>) {
        let Some(listed) = self.catalogue.get(position) else {
            return;
        };
        match context.store.product_by_id(listed.id, context.now) {
            Ok(Some(product)) => {
                self.catalogue[position] = product.clone();
                self.take_product(&product, quantity, context);
            }
            Ok(None) => self.notice = Some(Notice::NothingFound(listed.name.clone())),
            Err(error) => self.notice = Some(Notice::from_store_error(&error)),
        }
    }

    /// A product goes into the basket being built, or else into the cart.
    fn take_product(&mut self, product: &Product, quantity: Decimal, context: &mut Context<'_>) {
        let Some(items) = &mut self.building else {
            let added = self.cart.add_product(product, quantity);
            self.after_add(added, &product.name, context);
            // The sale still goes through (unless the shop blocks it): the shelf may hold
            // more than the books, but the cashier should look.
            if let Ok(index) = added
                && self.cart.lines[index].quantity > product.stock
            {
                self.notice = Some(Notice::StockShort(vec![product.name.clone()]));
            }
            return;
        };
        match items.iter_mut().find(|c| c.product_id == product.id) {
            Some(item) => item.quantity += quantity,
            None => items.push(Component::from_product(product, quantity)),
        }
        self.scan.clear();
        self.results.clear();
        self.notice = Some(Notice::Added {
            name: product.name.clone(),
        });
    }

    /// A gift-pack template rung up as one basket; short components are named at once.
    fn add_pack(&mut self, pack: &GiftPack, context: &mut Context<'_>) {
        let added = self.cart.add_basket(pack.cart_line());
        self.after_add(added, &pack.name, context);
        let Ok(index) = added else {
            return;
        };
        let short: Vec<String> = pack
            .short_items(self.cart.lines[index].quantity)
            .iter()
            .map(|p| p.name.clone())
            .collect();
        if !short.is_empty() {
            self.notice = Some(Notice::StockShort(short));
        }
    }

    /// Ctrl+G: start a basket; with items in it, set its price; empty, stop.
    fn build_basket(&mut self) {
        match &self.building {
            None => {
                self.building = Some(Vec::new());
                self.panel = Panel::Search;
                self.notice = Some(Notice::BasketStarted);
            }
            Some(items) if items.is_empty() => self.building = None,
            Some(items) => {
                let value: Money = items.iter().map(Component::shelf_value).sum();
                self.panel = Panel::BasketPrice(value.dong().to_string());
            }
        }
    }

    fn close_basket(&mut self, input: &str, context: &mut Context<'_>) -> Result<(), Notice> {
        let price = parse_amount(input).map_err(Notice::Amount)?;
        let items = self.building.clone().unwrap_or_default();
        let name = format!("Giỏ quà ({} món)", items.len());
        let added = self
            .cart
            .add_basket(CartLine::basket(&name, "", items, price));
        if added.is_ok() {
            self.building = None;
        }
        self.after_add(added, &name, context);
        match &self.notice {
            Some(Notice::Cart(error)) => Err(Notice::Cart(*error)),
            _ => Ok(()),
        }
    }

    fn after_add(
        &mut self,
        added: Result<usize, crate::core::cart::CartError>,
        name: &str,
        context: &mut Context<'_>,
    ) {
        match added {
            Ok(index) => {
                self.selected = Some(index);
                self.scan.clear();
                self.results.clear();
                self.last_sale = None;
                self.notice = Some(Notice::Added {
                    name: name.to_string(),
                });
                self.save_cart(context);
            }
            Err(error) => self.notice = Some(Notice::Cart(error)),
        }
    }

    /// Saves the cart after every change; a failure is told but the cart stays on screen.
    fn save_cart(&mut self, context: &mut Context<'_>) {
        if let Err(error) = context.store.save_open_cart(&self.cart, context.now) {
            self.notice = Some(Notice::from_store_error(&error));
        }
    }

    fn step_quantity(&mut self, step: i64, context: &mut Context<'_>) {
        let Some(index) = self.selected_line() else {
            return;
        };
        let quantity = self.cart.lines[index].quantity + Decimal::from(step);
        match self.cart.set_quantity(index, quantity) {
            Ok(()) => self.save_cart(context),
            Err(error) => self.notice = Some(Notice::Cart(error)),
        }
    }

    fn selected_line(&mut self) -> Option<usize> {
        match self.selected.filter(|&i| i < self.cart.lines.len()) {
            Some(index) => Some(index),
            None => {
                self.notice = Some(Notice::NoLineSelected);
                None
            }
        }
    }

    fn command(&mut self, command: Command, context: &mut Context<'_>) -> Action {
        if let Panel::Pay(_) = self.panel {
            let method = match command {
                Command::Search => Some(PaymentMethod::Cash),
                Command::Quantity => Some(PaymentMethod::Transfer),
                Command::LineDiscount => Some(PaymentMethod::Card),
                _ => None,
            };
            if let Some(method) = method {
                self.choose_method(method, context);
                return Action::None;
            }
        }
        match command {
            Command::Search => self.panel = Panel::Search,
            Command::Quantity => {
                if let Some(index) = self.selected_line() {
                    let current = format_quantity(self.cart.lines[index].quantity);
                    self.panel = Panel::Quantity(current);
                }
            }
            Command::LineDiscount => {
                if self.selected_line().is_some() {
                    self.panel = Panel::LineDiscount(String::new());
                }
            }
            Command::OrderDiscount if !self.cart.is_empty() => {
                self.panel = Panel::OrderDiscount(String::new());
            }
            Command::Park => self.park(context),
            Command::Parked => match context.store.parked_carts() {
                Ok(parked) => self.panel = Panel::Parked(parked, 0),
                Err(error) => self.notice = Some(Notice::from_store_error(&error)),
            },
            Command::RemoveLine => {
                if let Some(index) = self.selected_line() {
                    if !context.permits(GatedAct::VoidLine, 0) {
                        return Action::NeedsApproval(GatedAct::VoidLine);
                    }
                    self.remove_line(index, context);
                }
            }
            Command::CancelCart if !self.cart.is_empty() => self.panel = Panel::ConfirmCancel,
            Command::Pay => self.open_payment(),
            Command::ExactCash => return self.pay_exact_cash(context),
            Command::Reprint => self.panel = Panel::Reprint(String::new()),
            Command::Cancel => self.cancel(),
            Command::Basket => self.build_basket(),
            Command::Invoice => {
                let receipt_no = self
                    .last_sale
                    .as_ref()
                    .map_or("", |s| s.receipt_no.as_str());
                let (form, notice) = InvoiceForm::for_sale(receipt_no, context);
                self.notice = notice.or(self.notice.take());
                self.panel = Panel::Invoice(Box::new(form));
            }
            Command::Buyer => {
                self.panel = Panel::Buyer(Box::new(BuyerForm::new(self.buyer.as_ref())));
            }
            Command::GiftSlip => return self.gift_slip(context),
            Command::Refund => self.panel = Panel::Refund(Box::default()),
            Command::Confirm => return self.confirm(context),
            Command::Up => self.move_cursor(-1),
            Command::Down => self.move_cursor(1),
            Command::OrderDiscount
            | Command::CancelCart
            | Command::Language
            | Command::Show(_)
            | Command::NextField
            | Command::SwitchUser
            | Command::PreviousField => {}
        }
        Action::None
    }

    fn cancel(&mut self) {
        match self.panel {
            Panel::Search if self.scan.is_empty() && self.building.is_some() => {
                self.building = None;
                self.notice = Some(Notice::BasketDropped);
            }
            Panel::Search => {
                self.scan.clear();
                self.results.clear();
            }
            _ => self.panel = Panel::Search,
        }
    }

    /// Ctrl+P: the recipient's slip (contents and producers, no prices) of the last sale.
    fn gift_slip(&mut self, context: &mut Context<'_>) -> Action {
        let Some(last) = &self.last_sale else {
            self.notice = Some(Notice::NoSaleYet);
            return Action::None;
        };
        match context.store.sale_by_receipt_no(&last.receipt_no) {
            Ok(Some(sale)) => Action::Produce(Document::GiftSlip(Box::new(sale))),
            Ok(None) => Action::None,
            Err(error) => {
                self.notice = Some(Notice::from_store_error(&error));
                Action::None
            }
        }
    }

    fn confirm(&mut self, context: &mut Context<'_>) -> Action {
        match &self.panel {
            Panel::Parked(parked, cursor) => {
                if let Some(id) = parked.get(*cursor).map(|p| p.id) {
                    self.resume(id, context);
                }
            }
            Panel::ConfirmCancel => {
                if !context.permits(GatedAct::CancelCart, 0) {
                    return Action::NeedsApproval(GatedAct::CancelCart);
                }
                let description = format!("{} dòng", self.cart.lines.len());
                let total = self.cart.totals().total;
                if self.record_void(true, &description, total, context)
                    && self.record_audit(
                        GatedAct::CancelCart,
                        &description,
                        &total.to_string(),
                        "0",
                        context,
                    )
                {
                    self.cart = Cart::default();
                    self.selected = None;
                    self.panel = Panel::Search;
                    self.notice = Some(Notice::CartCleared);
                    self.save_cart(context);
                }
            }
            _ => {}
        }
        Action::None
    }

    /// Takes a rung-up line out of the cart, leaving a void record for the Z-report and an
    /// audit row first.
    fn remove_line(&mut self, index: usize, context: &mut Context<'_>) {
        let line = &self.cart.lines[index];
        let description = format!("{} × {}", line.name, format_quantity(line.quantity));
        let amount = self.cart.totals().lines[index].total;
        if !self.record_void(false, &description, amount, context)
            || !self.record_audit(
                GatedAct::VoidLine,
                &description,
                &amount.to_string(),
                "0",
                context,
            )
        {
            return;
        }
        let _ = self.cart.remove_line(index);
        self.selected = index
            .min(self.cart.lines.len())
            .checked_sub(1)
            .or((!self.cart.is_empty()).then_some(0));
        self.save_cart(context);
    }

    /// True once the audit row is written; otherwise the notice says why and nothing changes.
    fn record_audit(
        &mut self,
        act: GatedAct,
        subject: &str,
        before: &str,
        after: &str,
        context: &mut Context<'_>,
    ) -> bool {
        match context.audit(act, subject, before, after) {
            Ok(()) => true,
            Err(error) => {
                self.notice = Some(Notice::from_store_error(&error));
                false
            }
        }
    }

    /// True once the void is on record; otherwise the notice says why and nothing changes.
    fn record_void(
        &mut self,
        whole_cart: bool,
        description: &str,
        amount: Money,
        context: &mut Context<'_>,
    ) -> bool {
        match context.store.record_void(
            whole_cart,
            description,
            amount,
            &context.staff.name,
            context.now,
        ) {
            Ok(()) => true,
            Err(error) => {
                self.notice = Some(Notice::from_store_error(&error));
                false
            }
        }
    }

    fn move_cursor(&mut self, step: isize) {
        let moved = |current: usize, len: usize| {
            current
                .saturating_add_signed(step)
                .min(len.saturating_sub(1))
        };
        match &mut self.panel {
            Panel::Parked(parked, cursor) => *cursor = moved(*cursor, parked.len()),
            Panel::Search if !self.results.is_empty() => {
                self.result_cursor = moved(self.result_cursor, self.results.len());
            }
            Panel::Search if !self.cart.is_empty() => {
                let current = self.selected.unwrap_or(self.cart.lines.len());
                self.selected = Some(moved(current, self.cart.lines.len()));
            }
            _ => {}
        }
    }

    fn park(&mut self, context: &mut Context<'_>) {
        if self.cart.is_empty() {
            self.notice = Some(Notice::NothingToPark);
            return;
        }
        let label = self
            .cart
            .lines
            .first()
            .map(|l| l.name.clone())
            .unwrap_or_default();
        match context
            .store
            .park_cart(&self.cart, &label, &context.staff.name, context.now)
        {
            Ok(_) => {
                self.cart = Cart::default();
                self.selected = None;
                self.panel = Panel::Search;
                self.notice = Some(Notice::Parked);
            }
            Err(error) => self.notice = Some(Notice::from_store_error(&error)),
        }
    }

    fn resume(&mut self, id: i64, context: &mut Context<'_>) {
        match context
            .store
            .resume_parked_cart(id, &self.cart, &context.staff.name, context.now)
        {
            Ok(cart) => {
                self.selected = cart.lines.len().checked_sub(1);
                self.cart = cart;
                self.panel = Panel::Search;
                self.notice = Some(Notice::Resumed);
            }
            Err(error) => self.notice = Some(Notice::from_store_error(&error)),
        }
    }

    fn panel_input_changed(&mut self, value: String, context: &mut Context<'_>) {
        match &mut self.panel {
            Panel::Quantity(input)
            | Panel::LineDiscount(input)
            | Panel::OrderDiscount(input)
            | Panel::Reprint(input)
            | Panel::BasketPrice(input) => *input = value,
            Panel::Pay(payment) => payment.input = value,
            Panel::Search
            | Panel::Parked(..)
            | Panel::ConfirmCancel
            | Panel::Invoice(_)
            | Panel::Buyer(_)
            | Panel::Refund(_) => {}
        }
        self.refresh_transfer_qr(context);
    }

    fn panel_submitted(&mut self, context: &mut Context<'_>) -> Action {
        let outcome = match &self.panel {
            Panel::Quantity(input) => self.apply_quantity(&input.clone()),
            Panel::LineDiscount(input) => {
                let input = input.clone();
                return self.discount(&input, true, context);
            }
            Panel::OrderDiscount(input) => {
                let input = input.clone();
                return self.discount(&input, false, context);
            }
            Panel::Reprint(input) => return self.reprint(&input.clone(), context),
            Panel::BasketPrice(input) => {
                let input = input.clone();
                self.close_basket(&input, context)
            }
            Panel::Pay(_) => return self.take_tender(context),
            Panel::Search
            | Panel::Parked(..)
            | Panel::ConfirmCancel
            | Panel::Invoice(_)
            | Panel::Buyer(_)
            | Panel::Refund(_) => return Action::None,
        };
        match outcome {
            Ok(()) => {
                self.panel = Panel::Search;
                self.notice = None;
                self.save_cart(context);
            }
            Err(notice) => self.notice = Some(notice),
        }
        Action::None
    }

    fn apply_quantity(&mut self, input: &str) -> Result<(), Notice> {
        let index = self.selected.ok_or(Notice::NoLineSelected)?;
        let quantity =
            parse_quantity(input).map_err(|_| Notice::QuantityNotANumber(input.to_string()))?;
        self.cart
            .set_quantity(index, quantity)
            .map_err(Notice::Cart)
    }

    /// A discount on the selected line or the order. Above the store's limit a cashier needs a
    /// manager, and the discount goes in the audit log.
    fn discount(&mut self, input: &str, on_line: bool, context: &mut Context<'_>) -> Action {
        let outcome = (|| {
            let discount = parse_discount(input).map_err(Notice::Amount)?;
            let totals = self.cart.totals();
            let (subject, base) = if on_line {
                let index = self.selected.ok_or(Notice::NoLineSelected)?;
                (
                    self.cart.lines[index].name.clone(),
                    totals.lines[index].gross,
                )
            } else {
                ("đơn hàng".to_string(), totals.gross - totals.line_discounts)
            };
            let above_limit = discount.exceeds(base, context.discount_limit_pct);
            if above_limit && !context.permits(GatedAct::DiscountAboveLimit, 0) {
                return Ok(Some(GatedAct::DiscountAboveLimit));
            }
            if on_line {
                let index = self.selected.ok_or(Notice::NoLineSelected)?;
                self.cart.set_line_discount(index, discount)
            } else {
                self.cart.set_order_discount(discount)
            }
            .map_err(Notice::Cart)?;
            if above_limit {
                let after = format!("-{}", discount.amount_on(base));
                context
                    .audit(
                        GatedAct::DiscountAboveLimit,
                        &subject,
                        &base.to_string(),
                        &after,
                    )
                    .map_err(|e| Notice::from_store_error(&e))?;
            }
            Ok(None)
        })();
        match outcome {
            Ok(Some(act)) => Action::NeedsApproval(act),
            Ok(None) => {
                self.panel = Panel::Search;
                self.notice = None;
                self.save_cart(context);
                Action::None
            }
            Err(notice) => {
                self.notice = Some(notice);
                Action::None
            }
        }
    }

    /// A copy of a past receipt: the first one is free, a cashier needs a manager for more.
    fn reprint(&mut self, input: &str, context: &mut Context<'_>) -> Action {
        match context.store.sale_by_receipt_no(input) {
            Ok(Some(sale)) => {
                let copies = match context
                    .store
                    .audit_count(GatedAct::Reprint, &sale.receipt_no)
                {
                    Ok(copies) => copies,
                    Err(error) => {
                        self.notice = Some(Notice::from_store_error(&error));
                        return Action::None;
                    }
                };
                if !context.permits(GatedAct::Reprint, copies) {
                    return Action::NeedsApproval(GatedAct::Reprint);
                }
                let copy_no = format!("{}", copies + 1);
                if let Err(error) = context.audit(GatedAct::Reprint, &sale.receipt_no, "", &copy_no)
                {
                    self.notice = Some(Notice::from_store_error(&error));
                    return Action::None;
                }
                self.panel = Panel::Search;
                Action::Produce(Document::Receipt {
                    sale: Box::new(sale),
                    copy: true,
                })
            }
            Ok(None) => {
                self.notice = Some(Notice::ReceiptNotFound(input.trim().to_string()));
                Action::None
            }
            Err(error) => {
                self.notice = Some(Notice::from_store_error(&error));
                Action::None
            }
        }
    }

    fn open_payment(&mut self) {
        if self.cart.is_empty() {
            self.notice = Some(Notice::Payment(PaymentError::EmptyCart));
            return;
        }
        if !matches!(self.panel, Panel::Pay(_)) {
            self.panel = Panel::Pay(Box::new(Payment {
                method: PaymentMethod::Cash,
                input: String::new(),
                tenders: Vec::new(),
                transfer_qr: None,
            }));
        }
    }

    fn choose_method(&mut self, method: PaymentMethod, context: &mut Context<'_>) {
        if let Panel::Pay(payment) = &mut self.panel {
            payment.method = method;
        }
        self.refresh_transfer_qr(context);
    }

    fn remaining(&self, tenders: &[Tender]) -> Money {
        let paid: Money = tenders.iter().map(|t| t.amount).sum();
        (self.cart.totals().total - paid).max(Money::ZERO)
    }

    /// Keeps the VietQR in step with the amount a transfer is for: what is typed, or else all
    /// that is still due.
    fn refresh_transfer_qr(&mut self, context: &Context<'_>) {
        let Panel::Pay(payment) = &self.panel else {
            return;
        };
        let amount = parse_amount(&payment.input)
            .ok()
            .filter(|a| *a > Money::ZERO)
            .unwrap_or_else(|| self.remaining(&payment.tenders));
        let wanted = (payment.method == PaymentMethod::Transfer && amount > Money::ZERO)
            .then(|| context.shop.bank_account())
            .flatten();
        let purpose = format!(
            "OCOP {}",
            context
                .now
                .with_timezone(&SHOP_TIME_ZONE)
                .format("%d%m %H%M")
        );
        let Panel::Pay(payment) = &mut self.panel else {
            return;
        };
        payment.transfer_qr = wanted.and_then(|account| {
            if payment
                .transfer_qr
                .as_ref()
                .is_some_and(|qr| qr.amount == amount)
            {
                return payment.transfer_qr.take();
            }
            let payload = dynamic_payload(&account, amount, &purpose);
            let picture = qr_code::Data::new(payload.as_bytes()).ok()?;
            Some(TransferQr {
                amount,
                payload,
                account_line: format!(
                    "{} · {} · {}",
                    account.bin, account.account_number, account.account_name
                ),
                picture,
            })
        });
    }

    /// Enter in the pay panel: take the typed amount (or all that is due) by the chosen
    /// method; once the tenders cover the total, complete the sale.
    fn take_tender(&mut self, context: &mut Context<'_>) -> Action {
        let Panel::Pay(payment) = &self.panel else {
            return Action::None;
        };
        let remaining = self.remaining(&payment.tenders);
        if remaining == Money::ZERO && payment.input.trim().is_empty() {
            return self.complete(context);
        }
        let amount = if payment.input.trim().is_empty() {
            remaining
        } else {
            match parse_amount(&payment.input) {
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
        let reference = payment
            .transfer_qr
            .as_ref()
            .filter(|_| payment.method == PaymentMethod::Transfer)
            .map(|qr| qr.payload.clone());
        let tender = Tender {
            method: payment.method,
            amount,
            reference,
        };
        let covered = amount >= remaining;
        if let Panel::Pay(payment) = &mut self.panel {
            payment.tenders.push(tender);
            payment.input.clear();
            payment.method = PaymentMethod::Cash;
            payment.transfer_qr = None;
        }
        if covered {
            self.complete(context)
        } else {
            Action::None
        }
    }

    fn pay_exact_cash(&mut self, context: &mut Context<'_>) -> Action {
        self.open_payment();
        let Panel::Pay(payment) = &mut self.panel else {
            return Action::None;
        };
        payment.method = PaymentMethod::Cash;
        payment.input.clear();
        payment.transfer_qr = None;
        self.take_tender(context)
    }

    /// Commits the sale. Only a durable commit empties the cart; any refusal keeps the cart
    /// and the tenders taken so far exactly as they were.
    fn complete(&mut self, context: &mut Context<'_>) -> Action {
        let tenders = match &self.panel {
            Panel::Pay(payment) => payment.tenders.clone(),
            _ => Vec::new(),
        };
        let draft = match SaleDraft::new(&self.cart, tenders, &context.staff.name)
            .map(|draft| draft.with_buyer(self.buyer.clone()))
        {
            Ok(draft) => draft,
            Err(error) => {
                self.notice = Some(Notice::from_draft_error(error));
                return Action::None;
            }
        };
        match context.store.commit_sale(&draft, context.now) {
            Ok(sale) => {
                self.last_sale = Some(LastSale {
                    receipt_no: sale.receipt_no.clone(),
                    total: sale.draft.total,
                    change: sale.draft.change,
                });
                self.notice = Some(Notice::SaleCompleted {
                    receipt_no: sale.receipt_no.clone(),
                    change: sale.draft.change,
                });
                self.cart = Cart::default();
                self.selected = None;
                self.panel = Panel::Search;
                self.buyer = None;
                self.refresh_stock(&sale);
                Action::Produce(Document::Receipt {
                    sale: Box::new(sale),
                    copy: false,
                })
            }
            Err(error) => {
                self.notice = Some(Notice::from_store_error(&error));
                Action::None
            }
        }
    }

    /// Lowers the on-screen stock of what was just sold, as the ledger did.
    fn refresh_stock(&mut self, sale: &SaleRecord) {
        for line in &sale.draft.lines {
            if let Some(product) = self.catalogue.iter_mut().find(|p| p.id == line.product_id) {
                product.stock -= line.quantity;
            }
        }
    }

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
            Panel::Quantity(input) => {
                prompt_view(lang, Label::QuantityPrompt, Label::QuantityPrompt, input)
            }
            Panel::LineDiscount(input) => {
                prompt_view(lang, Label::LineDiscountPrompt, Label::DiscountHint, input)
            }
            Panel::OrderDiscount(input) => {
                prompt_view(lang, Label::OrderDiscountPrompt, Label::DiscountHint, input)
            }
            Panel::Reprint(input) => {
                prompt_view(lang, Label::ReprintPrompt, Label::ReceiptNumberHint, input)
            }
            Panel::Pay(payment) => self.pay_view(lang, payment),
            Panel::Parked(parked, cursor) => parked_view(lang, parked, *cursor),
            Panel::BasketPrice(input) => prompt_view(
                lang,
                Label::BasketPricePrompt,
                Label::BasketPriceHint,
                input,
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
                .chain(self.quick_keys.iter().map(|&position| {
                    let product = &self.catalogue[position];
                    key(
                        &product.name,
                        product.price,
                        Message::PickResult(position),
                        false,
                    )
                }))
                .collect();
            let mut keys = keys.into_iter();
            let mut grid = Vec::new();
            while let Some(first) = keys.next() {
                let pair: Vec<Element<'a, Message>> =
                    std::iter::once(first).chain(keys.next()).collect();
                grid.push(row(pair).spacing(theme::SPACE).into());
            }
            column![
                text(Label::QuickKeys.text(lang)).font(theme::BOLD),
                scrollable(Column::with_children(grid).spacing(theme::SPACE))
                    .spacing(theme::SPACE)
                    .height(Fill),
            ]
            .spacing(theme::SPACE)
            .into()
        } else {
            let results = self.results.iter().enumerate().map(|(i, &position)| {
                let product = &self.catalogue[position];
                let body = row![
                    column![
                        text(&product.name),
                        row![
                            text(stars_text(product.stars))
                                .size(theme::SMALL)
                                .style(theme::stars),
                            text(format!(
                                "{} · {} · {}: {} {}",
                                product.sku,
                                product.producer,
                                Label::InStock.text(lang),
                                format_quantity(product.stock),
                                product.unit
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
                .align_y(Alignment::Center);
                button(
                    container(body)
                        .padding([4, 8])
                        .style(theme::row_style(false, i == self.result_cursor)),
                )
                .padding(0)
                .style(theme::row_button)
                .on_press(Message::PickResult(position))
                .into()
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
        let secondary = column![
            row![
                action_button(Label::ParkButton.text(lang), Command::Park),
                action_button(Label::ParkedButton.text(lang), Command::Parked),
                action_button(Label::ReprintButton.text(lang), Command::Reprint),
                action_button(Label::RefundButton.text(lang), Command::Refund),
            ]
            .spacing(theme::SPACE),
            row![
                action_button(Label::BasketButton.text(lang), Command::Basket),
                action_button(Label::BuyerButton.text(lang), Command::Buyer),
                action_button(Label::InvoiceButton.text(lang), Command::Invoice),
                action_button(Label::GiftSlipButton.text(lang), Command::GiftSlip),
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
        let Some(items) = &self.building else {
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
        let paid: Money = payment.tenders.iter().map(|t| t.amount).sum();
        let remaining = (total - paid).max(Money::ZERO);
        let change = (paid - total).max(Money::ZERO);
        let methods = row(PaymentMethod::ALL.into_iter().map(|method| {
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
        let input = text_input(Label::TenderHint.text(lang), &payment.input)
            .id(PANEL_INPUT)
            .on_input(Message::PanelInputChanged)
            .on_submit(Message::PanelSubmitted)
            .size(theme::AMOUNT)
            .padding(10);
        let method_detail: Element<'_, Message> = match payment.method {
            PaymentMethod::Cash if remaining == Money::ZERO => space().into(),
            PaymentMethod::Cash => {
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
                row![exact]
                    .extend(notes)
                    .spacing(theme::SPACE)
                    .wrap()
                    .into()
            }
            PaymentMethod::Transfer => match &payment.transfer_qr {
                Some(qr) => column![
                    text(Label::ScanToPay.text(lang)).font(theme::BOLD),
                    container(qr_code(&qr.picture).cell_size(4).style(|_| qr_code::Style {
                        cell: Color::BLACK,
                        background: Color::WHITE,
                    }))
                    .padding(8)
                    .style(|_| container::background(Color::WHITE)),
                    text(qr.amount.to_string())
                        .size(theme::AMOUNT)
                        .font(theme::BOLD),
                    text(&qr.account_line).size(theme::SMALL),
                    text(Label::TransferConfirm.text(lang)).size(theme::SMALL),
                ]
                .spacing(4)
                .align_x(Alignment::Center)
                .width(Fill)
                .into(),
                None => text(Label::NoBankAccount.text(lang)).into(),
            },
            PaymentMethod::Card => space().into(),
        };
        let tenders = payment.tenders.iter().enumerate().map(|(i, tender)| {
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
        .on_press(Message::Complete);
        // Complete stays in sight below the scrolling part, however many tenders there are.
        column![
            scrollable(
                column![
                    figures,
                    methods,
                    input,
                    text(Label::TenderHelp.text(lang))
                        .size(theme::SMALL)
                        .style(theme::muted),
                    method_detail,
                    Column::with_children(tenders).spacing(4),
                ]
                .spacing(theme::SPACE),
            )
            .spacing(theme::SPACE)
            .height(Fill),
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
