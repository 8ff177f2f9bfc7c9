//! The checkout screen: scan, search, cart, discounts, park, pay and complete.
//!
//! Split by concern: this file holds the state, scanning and the commands; `reduce` the one
//! rule every act that lowers the sale's worth goes through; `pay` the tenders; `view` the
//! drawing.

mod pay;
mod reduce;
mod view;

use crate::core::audit::AuditAct;
use crate::core::barcode::{BarcodeError, ScanCode, looks_like_barcode, parse_scan};
use crate::core::cart::{Cart, Component, format_quantity, parse_quantity};
use crate::core::catalog::{Product, SearchIndex, Searchable, SoldLately};
use crate::core::einvoice::{CONSUMER, InvoiceBuyer};
use crate::core::giftpack::GiftPack;
use crate::core::money::Money;
use crate::core::order::OrderError;
use crate::core::payment::PaymentMethod;
use crate::core::sale::{SaleDraft, SaleRecord};
use crate::core::staff::GatedAct;
use crate::documents::Document;
use crate::i18n::{Notice, OfficeNotice};
use crate::store::StoreResult;
use crate::store::{ParkedCart, Store, StoreError};
use crate::ui::buyer_form::{self, BuyerForm, Outcome};
use crate::ui::invoice_form::{self, InvoiceForm};
use crate::ui::keys::Command;
use crate::ui::refund_form::{self, RefundForm};
use crate::ui::{Action, Context};
use chrono::{DateTime, Utc};
use pay::Payment;
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

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
    /// The card terminal approved, or the transfer arrived: the tender asked about is taken.
    ConfirmTender,
    RemoveTender(usize),
    Complete,
    Resume(i64),
    PickPack(usize),
    Invoice(invoice_form::Message),
    Refund(refund_form::Message),
    Buyer(buyer_form::Message),
}

/// A panel's one field. A field opened with a value in it (the line's quantity, the basket's
/// shelf value) is replaced by what is typed, not appended to: the focus selects it all, and
/// were the selection lost, the first keystroke still starts afresh.
#[derive(Debug, Clone, Default)]
struct Field {
    text: String,
    prefilled: bool,
}

impl Field {
    fn prefilled(text: String) -> Field {
        Field {
            text,
            prefilled: true,
        }
    }

    fn edit(&mut self, mut value: String) {
        if self.prefilled
            && let Some(typed) = value.strip_prefix(self.text.as_str())
            && !typed.is_empty()
        {
            value = typed.to_string();
        }
        self.prefilled = false;
        self.text = value;
    }
}

enum Panel {
    Search,
    Quantity(Field),
    LineDiscount(Field),
    OrderDiscount(Field),
    Pay(Box<Payment>),
    Parked(Vec<ParkedCart>, usize),
    Reprint(Field),
    ConfirmCancel,
    /// The price of the basket built at the counter.
    BasketPrice(Field),
    Invoice(Box<InvoiceForm>),
    Refund(Box<RefundForm>),
    /// Ctrl+B: the buyer the sale's invoice names (kept with the cart).
    Buyer(Box<BuyerForm>),
}

/// The last completed sale stays on screen until the next scan.
struct LastSale {
    receipt_no: String,
    total: Money,
    change: Money,
}

pub struct Checkout {
    /// The products on sale, by position in the search index (the gift packs after them):
    /// their ids only. The counter keeps a search entry per product, and a whole product only
    /// for those on screen — at 300,000 products a copy of every one cost ~110 MB.
    products: Vec<i64>,
    /// The products the screen lists now (the quick keys, the search results), as last read.
    listed: HashMap<i64, Product>,
    index: SearchIndex,
    quick_keys: Vec<usize>,
    packs: Vec<GiftPack>,
    /// How often each product and pack sold lately: equal search matches rank by it.
    sold_lately: SoldLately,
    /// Everything on the counter, saved on every change: lines, the basket being built, the
    /// tenders taken.
    cart: Cart,
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
    /// Stock open orders reserve, per product: shown beside the stock on hand.
    reserved: std::collections::HashMap<i64, Decimal>,
}

impl Checkout {
    /// The counter over the products on sale and the gift packs as the store holds them now,
    /// with the cart that was open when the program last stopped (its lines, a basket in the
    /// making and the money taken all come back).
    pub fn open(store: &Store, now: DateTime<Utc>, cart: Cart) -> StoreResult<Checkout> {
        let selected = cart.lines.len().checked_sub(1);
        let notice = (!cart.is_blank()).then_some(Notice::CartRestored);
        let mut checkout = Checkout {
            products: Vec::new(),
            listed: HashMap::new(),
            index: SearchIndex::default(),
            quick_keys: Vec::new(),
            packs: Vec::new(),
            sold_lately: SoldLately::default(),
            cart,
            selected,
            scan: String::new(),
            submitted_burst: None,
            results: Vec::new(),
            result_cursor: 0,
            panel: Panel::Search,
            notice,
            last_sale: None,
            reserved: std::collections::HashMap::new(),
        };
        checkout.read_catalogue(store, now)?;
        Ok(checkout)
    }

    /// The stock open orders reserve, as the Orders screen just left it.
    pub fn set_reserved(&mut self, reserved: std::collections::HashMap<i64, Decimal>) {
        self.reserved = reserved;
    }

    /// Reads the products on sale and the gift packs afresh (after the back office changed
    /// many): one product at a time, each leaving its search entry and its id; the cart keeps
    /// its lines as they were rung up.
    pub fn read_catalogue(&mut self, store: &Store, now: DateTime<Utc>) -> StoreResult<()> {
        let packs = store.gift_packs(now)?;
        // The old entries go first: two indexes at once would be the window's peak memory.
        self.index = SearchIndex::default();
        self.products = Vec::new();
        self.listed.clear();
        let count = usize::try_from(store.product_count()?).unwrap_or(0);
        self.index.reserve(count + packs.len());
        self.products.reserve_exact(count);
        let (index, products, listed) = (&mut self.index, &mut self.products, &mut self.listed);
        let sold = &self.sold_lately;
        store.each_on_counter(now, &mut |product| {
            index.extend([Searchable::product(&product, sold.product(product.id))]);
            products.push(product.id);
            if products.len() <= QUICK_KEY_COUNT {
                listed.insert(product.id, product);
            }
        })?;
        self.packs = packs;
        let sold = &self.sold_lately;
        self.index
            .extend(self.packs.iter().map(|pack| pack_searchable(pack, sold)));
        self.quick_keys = (0..self.products.len().min(QUICK_KEY_COUNT)).collect();
        self.results.clear();
        self.result_cursor = 0;
        Ok(())
    }

    /// Takes the products the back office just changed (None: no longer on sale) and the gift
    /// packs: a product changed costs its own search entry, one gone or new a shift of the
    /// entries after it; the index is never built anew (every product's text folded again).
    pub fn update_products(
        &mut self,
        store: &Store,
        now: DateTime<Utc>,
        ids: &[i64],
    ) -> StoreResult<()> {
        let products = store.products_on_counter(ids, now)?;
        let packs = store.gift_packs(now)?;
        // The packs' entries follow the products': off while the products change.
        self.index.truncate(self.products.len());
        // One pass over the products whatever the number changed (an import changes many).
        let order: Vec<i64> = products.iter().map(|(id, _)| *id).collect();
        let mut wanted = order.clone();
        wanted.sort_unstable();
        let mut changed: HashMap<i64, Option<Product>> = products.into_iter().collect();
        let mut gone = HashSet::new();
        for (position, id) in self.products.iter().enumerate() {
            if wanted.binary_search(id).is_err() {
                continue;
            }
            match changed.remove(id) {
                Some(Some(product)) => {
                    self.index.replace(
                        position,
                        Searchable::product(&product, self.sold_lately.product(product.id)),
                    );
                    if let Some(listed) = self.listed.get_mut(id) {
                        *listed = product;
                    }
                }
                Some(None) => {
                    gone.insert(position);
                }
                None => {}
            }
        }
        if !gone.is_empty() {
            self.index.retain(|position| !gone.contains(&position));
            let mut position = 0;
            self.products.retain(|id| {
                position += 1;
                let kept = !gone.contains(&(position - 1));
                if !kept {
                    self.listed.remove(id);
                }
                kept
            });
        }
        // New on the counter, in the order given.
        for id in order {
            if let Some(Some(product)) = changed.remove(&id) {
                self.index.extend([Searchable::product(
                    &product,
                    self.sold_lately.product(product.id),
                )]);
                self.products.push(product.id);
            }
        }
        self.packs = packs;
        let sold = &self.sold_lately;
        self.index
            .extend(self.packs.iter().map(|pack| pack_searchable(pack, sold)));
        self.quick_keys = (0..self.products.len().min(QUICK_KEY_COUNT)).collect();
        self.results.clear();
        self.result_cursor = 0;
        // A product gone from the first few brings another among the quick keys.
        self.read_listed(store, now)
    }

    /// The product at a position of the search index, when the screen lists it.
    fn listed_at(&self, position: usize) -> Option<&Product> {
        self.listed.get(self.products.get(position)?)
    }

    /// The ids of the products the scan field lists for `query`, best first, as it lists them
    /// (gift packs left out).
    pub fn found(&self, query: &str) -> Vec<i64> {
        self.index
            .search(query, RESULT_LIMIT)
            .into_iter()
            .filter_map(|position| self.products.get(position).copied())
            .collect()
    }

    /// Ranks equal search matches by how often they sold lately.
    pub fn set_sold_lately(&mut self, sold_lately: SoldLately) {
        let (products, packs) = (&self.products, &self.packs);
        self.index
            .set_sold_lately(|position| match position.checked_sub(products.len()) {
                Some(pack) => sold_lately.pack(&packs[pack].sku),
                None => sold_lately.product(products[position]),
            });
        self.sold_lately = sold_lately;
    }

    /// Whether the scan field holds a lookup that found nothing: it is shown selected, and
    /// the next scan or keystroke replaces it.
    pub fn scan_to_replace(&self) -> bool {
        !self.scan.is_empty() && self.submitted_burst.as_deref() == Some(self.scan.as_str())
    }

    pub fn cart(&self) -> &Cart {
        &self.cart
    }

    /// The VietQR the pay panel shows for a transfer: its amount and note.
    pub fn transfer_shown(&self) -> Option<(Money, &str)> {
        match &self.panel {
            Panel::Pay(payment) => payment
                .transfer_qr
                .as_ref()
                .map(|qr| (qr.amount, qr.purpose.as_str())),
            _ => None,
        }
    }

    /// The sale just completed, until the next scan: its receipt number, total and change.
    pub fn last_sale(&self) -> Option<(&str, Money, Money)> {
        self.last_sale
            .as_ref()
            .map(|sale| (sale.receipt_no.as_str(), sale.total, sale.change))
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// What the field holding the focus shows now (the scan field, or a panel's one field).
    pub fn field_text(&self) -> Option<&str> {
        match &self.panel {
            Panel::Search => Some(&self.scan),
            Panel::Quantity(field)
            | Panel::LineDiscount(field)
            | Panel::OrderDiscount(field)
            | Panel::Reprint(field)
            | Panel::BasketPrice(field) => Some(&field.text),
            Panel::Pay(payment) if !payment.awaits_confirmation() => Some(&payment.input),
            _ => None,
        }
    }

    /// The field that should hold the keyboard focus now.
    pub fn focused_input(&self) -> Option<&'static str> {
        match &self.panel {
            Panel::Search => Some(SCAN_INPUT),
            // A tender waiting for "approved?" takes Enter as the answer, not as a new amount.
            Panel::Pay(payment) if payment.awaits_confirmation() => None,
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
            Message::ScanChanged(value) => return self.scan_changed(value, context),
            Message::ScanSubmitted => return self.scan_submitted(context),
            Message::PickResult(position) => self.pick(position, Decimal::ONE, context),
            Message::SelectLine(index) => {
                self.selected = Some(index);
                self.panel = Panel::Search;
            }
            Message::PanelInputChanged(value) => self.panel_input_changed(value, context),
            Message::PanelSubmitted => return self.panel_submitted(context),
            Message::Command(command) => return self.command(command, context),
            Message::ChooseMethod(PaymentMethod::OnAccount) => return self.put_on_account(context),
            Message::ChooseMethod(method) => self.choose_method(method, context),
            Message::QuickCash(amount) => return self.take_cash(amount, context),
            Message::ConfirmTender => return self.confirm_tender(context),
            Message::RemoveTender(index) => return self.remove_tender(index, context),
            Message::Complete => return self.complete(context),
            Message::Resume(id) => self.resume(id, context),
            Message::PickPack(index) => self.pick_pack(index, context),
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
                        Outcome::Done(buyer) => return self.set_buyer(buyer, context),
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

    fn scan_changed(&mut self, mut value: String, context: &mut Context<'_>) -> Action {
        if let Some(stale) = &self.submitted_burst {
            match value.strip_prefix(stale.as_str()) {
                Some(fresh) if !fresh.is_empty() => value = fresh.to_string(),
                _ => self.submitted_burst = None,
            }
        }
        // "+" or "-" typed into an empty field raise or lower the selected line's quantity.
        if self.scan.is_empty() && (value == "+" || value == "-") {
            return self.step_quantity(if value == "+" { 1 } else { -1 }, context);
        }
        self.scan = value;
        self.result_cursor = 0;
        let query = self.scan_query();
        self.results = if looks_like_barcode(query) {
            Vec::new()
        } else {
            self.index.search(query, RESULT_LIMIT)
        };
        if let Err(error) = self.read_listed(context.store, context.now) {
            self.notice = Some(Notice::from_store_error(&error));
        }
        Action::None
    }

    /// Reads the products the screen now lists (the quick keys and the search results) that
    /// it does not hold yet, and lets go of the others: a dozen reads by id at most.
    fn read_listed(&mut self, store: &Store, now: DateTime<Utc>) -> StoreResult<()> {
        let shown: Vec<i64> = self
            .quick_keys
            .iter()
            .chain(&self.results)
            .filter_map(|&position| self.products.get(position).copied())
            .collect();
        self.listed.retain(|id, _| shown.contains(id));
        let missing: Vec<i64> = shown
            .into_iter()
            .filter(|id| !self.listed.contains_key(id))
            .collect();
        let read = store.products_on_counter(&missing, now)?;
        self.listed.extend(
            read.into_iter()
                .filter_map(|(id, product)| Some((id, product?))),
        );
        Ok(())
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
            self.pick(position, quantity, context);
        } else {
            self.notice = Some(Notice::NothingFound(query));
            // Shown selected: the next scan replaces the text instead of joining it.
            self.submitted_burst = Some(self.scan.clone());
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
                self.notice = Some(discontinued_or(notice, context.store));
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
            Some(Ok(price)) if self.cart.building.is_none() => {
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

    /// A search result: a product, or past the products a gift pack.
    fn pick(&mut self, position: usize, quantity: Decimal, context: &mut Context<'_>) {
        match position.checked_sub(self.products.len()) {
            Some(pack) => self.pick_pack(pack, context),
            None => self.add_product(position, quantity, context),
        }
    }

    /// A gift pack from the keys or the search results, read again for the same reason as a
    /// product: its contents' prices now.
    fn pick_pack(&mut self, index: usize, context: &mut Context<'_>) {
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

    /// A product picked from the search results or the quick keys. It is read again at this
    /// moment: the list was loaded at start, and a price or VAT rate may have changed since
    /// (the 8 % rate ends at midnight on 31 Dec 2026).
    fn add_product(&mut self, position: usize, quantity: Decimal, context: &mut Context<'_>) {
        let Some(&id) = self.products.get(position) else {
            return;
        };
        match context.store.product_by_id(id, context.now) {
            Ok(Some(product)) => {
                if let Some(listed) = self.listed.get_mut(&id) {
                    *listed = product.clone();
                }
                self.take_product(&product, quantity, context);
            }
            Ok(None) => {
                let name = self.listed.get(&id).map(|p| p.name.clone());
                self.notice = Some(Notice::NothingFound(name.unwrap_or_default()));
            }
            Err(error) => self.notice = Some(Notice::from_store_error(&error)),
        }
    }

    /// A product goes into the basket being built, or else into the cart.
    fn take_product(&mut self, product: &Product, quantity: Decimal, context: &mut Context<'_>) {
        let Some(items) = &mut self.cart.building else {
            let added = self.cart.add_product(product, quantity);
            self.after_add(added, &product.name, context);
            // The sale still goes through (unless the shop blocks it): the shelf may hold
            // more than the books, but the cashier should look.
            if let Ok(index) = added
                && self.cart.lines[index].quantity > product.stock
            {
                self.notice = Some(Notice::StockShort(vec![product.name.clone()]));
            } else if let Ok(index) = added
                && let Some(warning) = crate::ui::orders::reserved_warning(
                    context.store,
                    product,
                    self.cart.lines[index].quantity,
                )
            {
                self.notice = Some(warning);
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
        self.save_cart(context);
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
            return;
        }
        let count = self.cart.lines[index].quantity;
        if let Some(warning) = pack.items.iter().find_map(|(product, quantity)| {
            crate::ui::orders::reserved_warning(context.store, product, *quantity * count)
        }) {
            self.notice = Some(warning);
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

    /// Saves the cart after a change that lowers nothing; a failure is told but the cart stays
    /// on screen.
    fn save_cart(&mut self, context: &mut Context<'_>) {
        if let Err(error) = context.store.save_open_cart(&mut self.cart, context.now) {
            self.notice = Some(Notice::from_store_error(&error));
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
            if command == Command::OrderDiscount {
                return self.put_on_account(context);
            }
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
                    self.panel = Panel::Quantity(Field::prefilled(current));
                }
            }
            Command::LineDiscount => {
                if self.selected_line().is_some() {
                    self.panel = Panel::LineDiscount(Field::default());
                }
            }
            Command::OrderDiscount if !self.cart.is_empty() => {
                self.panel = Panel::OrderDiscount(Field::default());
            }
            Command::Park => self.park(context),
            Command::Parked => match context.store.parked_carts() {
                Ok(parked) => self.panel = Panel::Parked(parked, 0),
                Err(error) => self.notice = Some(Notice::from_store_error(&error)),
            },
            Command::RemoveLine => {
                if let Some(index) = self.selected_line() {
                    return self.remove_line(index, context);
                }
            }
            Command::CancelCart if !self.cart.tenders.is_empty() => {
                self.notice = Some(Notice::TakeBackTendersFirst(self.cart.paid()));
            }
            Command::CancelCart if !self.cart.is_empty() => self.panel = Panel::ConfirmCancel,
            Command::Pay => self.open_payment(context),
            Command::ExactCash => return self.pay_exact_cash(context),
            Command::Reprint => self.panel = Panel::Reprint(Field::default()),
            Command::Cancel => self.cancel(context),
            Command::Basket => self.build_basket(context),
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
                self.panel = Panel::Buyer(Box::new(BuyerForm::new(self.cart.buyer.as_ref())));
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

    /// Esc: a question asked is declined, a panel closes (tenders taken stay with the cart),
    /// the search field clears, and with nothing else to undo a basket in the making is
    /// dropped (its items were never in the sale).
    fn cancel(&mut self, context: &mut Context<'_>) {
        match &mut self.panel {
            Panel::Pay(payment) if payment.awaits_confirmation() => payment.decline(),
            Panel::Search if self.scan.is_empty() && self.cart.building.is_some() => {
                self.cart.building = None;
                self.notice = Some(Notice::BasketDropped);
                self.save_cart(context);
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
                Action::None
            }
            Panel::ConfirmCancel => self.clear_cart(context),
            Panel::Pay(payment) if payment.awaits_confirmation() => self.confirm_tender(context),
            _ => Action::None,
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
        if self.cart.is_blank() {
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
            Panel::Quantity(field)
            | Panel::LineDiscount(field)
            | Panel::OrderDiscount(field)
            | Panel::Reprint(field)
            | Panel::BasketPrice(field) => field.edit(value),
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
        let input = match &self.panel {
            Panel::Quantity(field)
            | Panel::LineDiscount(field)
            | Panel::OrderDiscount(field)
            | Panel::Reprint(field)
            | Panel::BasketPrice(field) => field.text.clone(),
            Panel::Pay(_) => return self.take_tender(context),
            Panel::Search
            | Panel::Parked(..)
            | Panel::ConfirmCancel
            | Panel::Invoice(_)
            | Panel::Buyer(_)
            | Panel::Refund(_) => return Action::None,
        };
        match self.panel {
            Panel::Quantity(_) => self.apply_quantity(&input, context),
            Panel::LineDiscount(_) => self.discount(&input, true, context),
            Panel::OrderDiscount(_) => self.discount(&input, false, context),
            Panel::BasketPrice(_) => self.close_basket(&input, context),
            _ => self.reprint(&input, context),
        }
    }

    /// A copy of a past receipt: the first one is free, a cashier needs a manager for more.
    fn reprint(&mut self, input: &str, context: &mut Context<'_>) -> Action {
        match context.store.sale_by_receipt_no(input) {
            Ok(Some(sale)) => {
                let copies = match context
                    .store
                    .audit_count(AuditAct::Reprint, &sale.receipt_no)
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
                if let Err(error) = context.audit(AuditAct::Reprint, &sale.receipt_no, "", &copy_no)
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
                self.notice = Some(Notice::SaleNotKnownHere(input.trim().to_string()));
                Action::None
            }
            Err(error) => {
                self.notice = Some(Notice::from_store_error(&error));
                Action::None
            }
        }
    }

    /// The buyer the invoice is to name, kept with the cart (so a crash or a park keeps it).
    fn set_buyer(&mut self, buyer: Option<InvoiceBuyer>, context: &mut Context<'_>) -> Action {
        let name = buyer
            .as_ref()
            .map_or(CONSUMER.to_string(), |b| b.name().to_string());
        let mut after = self.cart.clone();
        after.buyer = buyer;
        match context.store.save_open_cart(&mut after, context.now) {
            Ok(()) => {
                self.cart = after;
                self.notice = Some(Notice::BuyerSet(name));
                self.panel = Panel::Search;
            }
            Err(error) => self.notice = Some(Notice::from_store_error(&error)),
        }
        Action::None
    }

    /// Commits the sale with the tenders taken. Only a durable commit empties the cart; any
    /// refusal (tenders short of the total, card above it) keeps the cart and its tenders
    /// exactly as they were. Every way to complete — Enter, the button, F10 — ends here.
    fn complete(&mut self, context: &mut Context<'_>) -> Action {
        let draft = match SaleDraft::new(&self.cart, self.cart.tenders.clone(), &context.staff.name)
        {
            Ok(draft) => draft,
            Err(error) => {
                self.notice = Some(Notice::from_draft_error(error));
                return Action::None;
            }
        };
        // A manager's own sale, or one a manager approved, may go over a company's credit limit.
        let credit_approver = context
            .permits(GatedAct::OverCreditLimit, 0)
            .then(|| context.approver.unwrap_or(context.staff).name.clone());
        let committed = match &credit_approver {
            Some(manager) => {
                context
                    .store
                    .commit_sale_approving_credit(&draft, manager, context.now)
            }
            None => context.store.commit_sale(&draft, context.now),
        };
        match committed {
            Err(error @ StoreError::Order(OrderError::OverCreditLimit { .. }))
                if credit_approver.is_none() =>
            {
                self.notice = Some(Notice::from_store_error(&error));
                Action::NeedsApproval(GatedAct::OverCreditLimit)
            }
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
            if let Some(product) = self.listed.get_mut(&line.product_id) {
                product.stock -= line.quantity;
            }
        }
    }
}

/// A code the counter does not sell: when it belongs to a product or pack taken off the
/// counter, the cashier is told it is no longer sold (ngừng bán), not that it does not exist.
fn discontinued_or(notice: Notice, store: &Store) -> Notice {
    let discontinued = match &notice {
        Notice::UnknownBarcode(code) => store.discontinued_by_barcode(code),
        Notice::UnknownPlu(plu) => store.discontinued_by_plu(*plu),
        _ => Ok(None),
    };
    match discontinued {
        Ok(Some(name)) => Notice::Office(OfficeNotice::Discontinued(name)),
        _ => notice,
    }
}

fn pack_searchable<'a>(pack: &'a GiftPack, sold: &SoldLately) -> Searchable<'a> {
    Searchable {
        name: &pack.name,
        producer: "",
        sku: &pack.sku,
        barcode: Some(&pack.barcode),
        sold_lately: sold.pack(&pack.sku),
    }
}
