//! The managers' inventory screen (Kho): the product table with its side panel, receiving
//! deliveries, stock counts, producers, gift-pack templates and the alerts that need acting on.
//! Each panel reads and writes through the store; after a change only the rows it touched are
//! read again. The first opening takes the catalogue prepared on another thread when there is
//! one (see [`Catalogue::prepare`]).

mod alerts;
mod count;
mod csv_files;
mod packs;
mod producers;
mod products;
mod receiving;

pub use count::{COUNT_SCAN_INPUT, counted_input};
pub use csv_files::{
    CSV_PATH_INPUT, CsvJob, Done as CsvDone, Imported, Message as CsvMessage, Previewed,
    Sheet as CsvSheet,
};
pub use packs::{
    PACK_AMOUNT_INPUT, PACK_ITEM_INPUT, PACK_NAME_INPUT, PACK_SKU_INPUT, pack_quantity_input,
};
pub use producers::ProducerField;
pub use products::{Field, LIST, Message as ProductsMessage, SEARCH_INPUT};
pub use receiving::{DELIVERY_NOTE_INPUT, RECEIVING_SCAN_INPUT, ReceivingField};

use crate::core::clock::start_of_local_day;
use crate::core::fold::fold;
use crate::core::inventory::ProducerDraft;
use crate::core::product_list::{Filter, ProductList, ProductRow};
use crate::documents::Document;
use crate::i18n::{Label, Lang, Notice};
use crate::store::{Store, StoreResult};
use crate::ui::{Action, Choice, Context, notice_band, theme, typed_day};
use chrono::{DateTime, NaiveDate, Utc};
use iced::widget::{button, column, container, row, scrollable, space, text, text_input};
use iced::{Alignment, Element, Fill, FillPortion, Length, Padding};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The parts of the screen, as its own row of tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Products,
    Receiving,
    Count,
    Producers,
    Packs,
    Alerts,
    Csv,
}

impl Panel {
    const ALL: [Panel; 7] = [
        Panel::Products,
        Panel::Receiving,
        Panel::Count,
        Panel::Producers,
        Panel::Packs,
        Panel::Alerts,
        Panel::Csv,
    ];

    fn label(self) -> Label {
        match self {
            Panel::Products => Label::InvProducts,
            Panel::Receiving => Label::InvReceiving,
            Panel::Count => Label::InvCount,
            Panel::Producers => Label::InvProducers,
            Panel::Packs => Label::InvPacks,
            Panel::Alerts => Label::InvAlerts,
            Panel::Csv => Label::InvCsv,
        }
    }
}

/// Products listed under a scan field as its text is typed.
const MATCHES_LISTED: usize = 6;

/// A field that takes a scanned barcode or a typed SKU or name; as a name is typed, the
/// products it matches are listed under it to pick with the mouse.
#[derive(Debug, Clone, Default)]
struct ScanField {
    text: String,
    /// Copies, not positions: the list may be read again (after a change, or on coming back
    /// to the screen) while they are shown.
    matches: Vec<ProductRow>,
}

/// What a person does in a scan field.
#[derive(Debug, Clone)]
pub enum ScanMessage {
    Typed(String),
    /// Enter.
    Submitted,
    /// A product picked from those the typed text matches (its id).
    Picked(i64),
}

impl ScanField {
    /// The product the act names, if any: on Enter the product the text names (a barcode, a
    /// SKU, else the first match) or why there is none; on a pick the product picked. The
    /// field empties either way.
    fn update(
        &mut self,
        message: ScanMessage,
        catalogue: &Catalogue,
        store: &Store,
        now: DateTime<Utc>,
    ) -> Result<Option<usize>, Notice> {
        match message {
            ScanMessage::Typed(value) => {
                self.matches = catalogue.matches(&value);
                self.text = value;
                Ok(None)
            }
            ScanMessage::Submitted => {
                let typed = std::mem::take(&mut self.text);
                self.matches.clear();
                if typed.trim().is_empty() {
                    return Ok(None);
                }
                catalogue
                    .find(store, &typed, now)
                    .map(Some)
                    .ok_or(Notice::NothingFound(typed))
            }
            ScanMessage::Picked(product_id) => {
                self.text.clear();
                self.matches.clear();
                catalogue
                    .list
                    .position_of(product_id)
                    .map(Some)
                    .ok_or_else(|| Notice::from_store_error(&crate::store::StoreError::NotFound))
            }
        }
    }

    fn view(&self, id: &'static str, hint: Label, lang: Lang) -> Element<'_, ScanMessage> {
        let matches = self.matches.iter().map(|product| {
            button(
                text(format!(
                    "{} · {} · {} · {} {}",
                    product.sku(),
                    product.name(),
                    product.producer,
                    crate::core::cart::format_quantity(product.stock),
                    product.unit
                ))
                .size(theme::SMALL),
            )
            .padding([2, 8])
            .style(theme::row_button)
            .on_press(ScanMessage::Picked(product.product_id))
            .into()
        });
        column![
            text_input(hint.text(lang), &self.text)
                .id(id)
                .on_input(ScanMessage::Typed)
                .on_submit(ScanMessage::Submitted)
                .padding(6),
            column(matches),
        ]
        .into()
    }
}

/// Room on the right of a scrolled content, so the scroll bar covers none of it.
const CLEAR_OF_SCROLL_BAR: Padding = Padding {
    top: 0.0,
    right: 14.0,
    bottom: 0.0,
    left: 0.0,
};

#[derive(Debug, Clone)]
pub enum Message {
    Show(Panel),
    Products(products::Message),
    Receiving(receiving::Message),
    Count(count::Message),
    Producers(producers::Message),
    Packs(packs::Message),
    Csv(csv_files::Message),
    /// The low-stock list scrolled: the rows in view are built.
    AlertsScrolled(scrollable::Viewport),
}

/// What the panels work from: every product (inactive too) and every producer, as last read.
pub struct Catalogue {
    pub list: ProductList,
    pub producers: Vec<(i64, ProducerDraft)>,
    /// What the rows were read up to: the ledger's last movement, and the moment (prices
    /// scheduled after it may have taken effect since).
    seen: CatalogueSeen,
}

impl Catalogue {
    fn read(store: &Store, now: DateTime<Utc>) -> StoreResult<Catalogue> {
        Ok(Catalogue {
            seen: CatalogueSeen {
                movement: store.last_stock_movement()?,
                at: now,
            },
            list: ProductList::new(store.product_rows(now)?),
            producers: store.producer_drafts()?,
        })
    }

    /// Reads the catalogue on a connection of its own and sorts it by every column: the work
    /// of the screen's first opening, done on another thread before it (a click on a column
    /// head then never waits for a sort either).
    pub fn prepare(store_path: &Path) -> Result<Catalogue, Notice> {
        let read = || {
            let store = Store::open(store_path)?;
            Catalogue::read(&store, Utc::now())
        };
        let mut catalogue = read().map_err(|error| Notice::from_store_error(&error))?;
        catalogue.list.sort_every_column();
        Ok(catalogue)
    }

    /// The product a scan or typed text names: a barcode, a SKU, else the first active
    /// product whose name or producer has every word typed. Returns its position in the list.
    pub fn find(&self, store: &Store, typed: &str, now: DateTime<Utc>) -> Option<usize> {
        let typed = typed.trim();
        if typed.is_empty() {
            return None;
        }
        if let Ok(Some(product)) = store.product_by_barcode(typed, now)
            && let Some(position) = self.list.position_of(product.id)
        {
            return Some(position);
        }
        let sku = fold(typed);
        if let Some(position) = self
            .list
            .rows()
            .iter()
            .position(|row| row.active && fold(row.sku()) == sku)
        {
            return Some(position);
        }
        self.list
            .select(&Filter {
                text: typed.to_string(),
                ..Filter::default()
            })
            .first()
            .copied()
    }

    /// Active products whose name, producer or SKU has every word typed, for the list under a
    /// scan field; none for digits alone (a barcode being scanned) or a single letter.
    fn matches(&self, typed: &str) -> Vec<ProductRow> {
        let typed = typed.trim();
        if typed.chars().count() < 2 || typed.chars().all(|c| c.is_ascii_digit()) {
            return Vec::new();
        }
        self.list
            .select(&Filter {
                text: typed.to_string(),
                ..Filter::default()
            })
            .into_iter()
            .take(MATCHES_LISTED)
            .map(|position| self.list.row(position).clone())
            .collect()
    }

    fn producer_names(&self) -> Vec<String> {
        self.producers
            .iter()
            .map(|(_, producer)| producer.name.clone())
            .collect()
    }
}

/// A catalogue prepared on another thread, as a message hands it to the window (once).
#[derive(Clone)]
pub struct PreparedCatalogue(Arc<Mutex<Option<Result<Catalogue, Notice>>>>);

impl PreparedCatalogue {
    pub fn new(prepared: Result<Catalogue, Notice>) -> PreparedCatalogue {
        PreparedCatalogue(Arc::new(Mutex::new(Some(prepared))))
    }

    /// The catalogue, or why it could not be read; None once taken.
    pub fn take(&self) -> Option<Result<Catalogue, Notice>> {
        self.0.lock().ok()?.take()
    }
}

impl std::fmt::Debug for PreparedCatalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PreparedCatalogue")
    }
}

#[derive(Debug, Clone, Copy)]
struct CatalogueSeen {
    movement: i64,
    at: DateTime<Utc>,
}

/// What a panel's act came to: a success to tell, whether products or stock changed (the
/// table and the counter's catalogue are then re-read), and a document to produce.
#[derive(Default)]
pub(crate) struct Outcome {
    notice: Option<Notice>,
    changed: bool,
    /// When only these products changed: their rows alone are read again.
    touched: Option<Vec<i64>>,
    /// The producers changed too: their list is read again.
    producers: bool,
    /// A product deleted: its row leaves the table (nothing is read again for it).
    deleted: Option<i64>,
    document: Option<Document>,
}

impl Outcome {
    fn changed(notice: Notice) -> Outcome {
        Outcome {
            notice: Some(notice),
            changed: true,
            touched: None,
            producers: false,
            deleted: None,
            document: None,
        }
    }

    /// A product deleted, nothing else.
    fn deleted_product(notice: Notice, product_id: i64) -> Outcome {
        Outcome {
            deleted: Some(product_id),
            ..Outcome::changed_product(notice, product_id)
        }
    }

    /// Gift packs changed, no product: the table keeps its rows, the counter its products.
    fn changed_packs(notice: Notice) -> Outcome {
        Outcome {
            touched: Some(Vec::new()),
            ..Outcome::changed(notice)
        }
    }

    /// A producer saved, and the products whose rows show its new name.
    fn changed_producers(notice: Notice, products: Vec<i64>) -> Outcome {
        Outcome {
            touched: Some(products),
            producers: true,
            ..Outcome::changed(notice)
        }
    }

    /// One product changed (its details, status or stock), nothing else.
    fn changed_product(notice: Notice, product_id: i64) -> Outcome {
        Outcome::changed_products(notice, vec![product_id])
    }

    /// These products changed (created or changed by an import), nothing else.
    fn changed_products(notice: Notice, products: Vec<i64>) -> Outcome {
        Outcome {
            touched: Some(products),
            ..Outcome::changed(notice)
        }
    }
}

/// What the counter must read again after changes on this screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueChange {
    /// Only these products.
    Products(Vec<i64>),
    /// Anything may have changed (an import, a count, a delivery, a gift pack).
    Everything,
}

impl CatalogueChange {
    fn and(self, touched: Option<Vec<i64>>) -> CatalogueChange {
        match (self, touched) {
            (CatalogueChange::Products(mut ids), Some(more)) => {
                ids.extend(more);
                CatalogueChange::Products(ids)
            }
            _ => CatalogueChange::Everything,
        }
    }
}

pub struct Inventory {
    panel: Panel,
    catalogue: Catalogue,
    products: products::Products,
    receiving: receiving::Receiving,
    count: count::StockCount,
    producers: producers::Producers,
    packs: packs::Packs,
    alerts: alerts::Alerts,
    csv_files: csv_files::CsvFiles,
    notice: Option<Notice>,
    /// Set when products or stock changed, until the counter has re-read its catalogue.
    catalogue_change: Option<CatalogueChange>,
    /// Set when the table's rows changed so that it must scroll back to its top.
    scroll_reset: bool,
}

impl Inventory {
    /// Tells, in this screen's notice band, what the window learnt meanwhile (a document
    /// saved or printed): the band is already there, so no other line is taken for it.
    pub fn tell(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    pub fn new(store: &Store) -> StoreResult<Inventory> {
        let now = Utc::now();
        Inventory::with_catalogue(store, Catalogue::read(store, now)?, now)
    }

    /// The screen over a catalogue prepared earlier on another thread: only what changed
    /// since it was read (sales, scheduled prices taking effect) is read here.
    pub fn prepared(store: &Store, catalogue: Catalogue) -> StoreResult<Inventory> {
        let now = Utc::now();
        let mut inventory = Inventory::with_catalogue(store, catalogue, now)?;
        inventory.catch_up(store, now)?;
        Ok(inventory)
    }

    fn with_catalogue(
        store: &Store,
        catalogue: Catalogue,
        now: DateTime<Utc>,
    ) -> StoreResult<Inventory> {
        let products = products::Products::new(&catalogue);
        let alerts = alerts::Alerts::read(store, &catalogue, now)?;
        Ok(Inventory {
            panel: Panel::Products,
            products,
            receiving: receiving::Receiving::new(store)?,
            count: count::StockCount::default(),
            producers: producers::Producers::default(),
            packs: packs::Packs::new(store, now)?,
            alerts,
            csv_files: csv_files::CsvFiles::default(),
            catalogue,
            notice: None,
            catalogue_change: None,
            scroll_reset: false,
        })
    }

    pub fn panel(&self) -> Panel {
        self.panel
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The rows the table shows, as positions into the catalogue's list.
    pub fn shown(&self) -> &[usize] {
        self.products.shown()
    }

    /// Once after products or stock changed: what the counter must read again.
    pub fn take_catalogue_change(&mut self) -> Option<CatalogueChange> {
        self.catalogue_change.take()
    }

    /// Whether the CSV panel asked for the file dialog (once): the window opens it.
    pub fn take_file_dialog(&mut self) -> bool {
        self.csv_files.take_browse()
    }

    /// A CSV check or import asked for, once: the window runs it off its thread.
    pub fn take_csv_job(&mut self) -> Option<CsvJob> {
        self.csv_files.take_job()
    }

    /// True once after the table's rows changed: it scrolls back to the top.
    pub fn take_scroll_reset(&mut self) -> bool {
        std::mem::take(&mut self.scroll_reset)
    }

    /// The field to type in first on the panel shown.
    pub fn focused_input(&self) -> Option<&'static str> {
        match self.panel {
            Panel::Products => Some(SEARCH_INPUT),
            Panel::Receiving => Some(RECEIVING_SCAN_INPUT),
            Panel::Count => Some(COUNT_SCAN_INPUT),
            Panel::Packs => Some(PACK_ITEM_INPUT),
            Panel::Csv => Some(CSV_PATH_INPUT),
            Panel::Producers | Panel::Alerts => None,
        }
    }

    pub fn update(&mut self, message: Message, context: &mut Context<'_>) -> Action {
        // Scrolling is no act: what the last one told stays on screen.
        if !matches!(
            message,
            Message::Products(products::Message::Scrolled(_))
                | Message::AlertsScrolled(_)
                | Message::Producers(producers::Message::Scrolled(_))
                | Message::Packs(packs::Message::Scrolled(_))
        ) {
            self.notice = None;
        }
        let outcome = match message {
            Message::Show(panel) => {
                self.panel = panel;
                match panel {
                    // The low-stock list is kept up to date with the table; the lots and
                    // certificates depend on the day, so they are read again.
                    Panel::Alerts => self
                        .alerts
                        .update_products(context.store, &self.catalogue, context.now, &[])
                        .map(|()| Outcome::default())
                        .map_err(|error| Notice::from_store_error(&error)),
                    Panel::Count if self.count.is_empty() => {
                        self.count = count::StockCount::start(
                            &self.catalogue,
                            &self.products.filter_in_use(),
                        );
                        Ok(Outcome::default())
                    }
                    _ => Ok(Outcome::default()),
                }
            }
            Message::Products(message) => {
                let outcome = self.products.update(message, &mut self.catalogue, context);
                self.scroll_reset |= self.products.take_scrolled_to_top();
                outcome
            }
            Message::Receiving(message) => self.receiving.update(message, &self.catalogue, context),
            Message::Count(count::Message::Start) => {
                if self.count.may_restart() {
                    self.count =
                        count::StockCount::start(&self.catalogue, &self.products.filter_in_use());
                    Ok(Outcome::default())
                } else {
                    Err(Notice::CountNotPosted)
                }
            }
            Message::Count(message) => self.count.update(message, &self.catalogue, context),
            Message::Producers(message) => self.producers.update(message, &self.catalogue, context),
            Message::Packs(message) => self.packs.update(message, &self.catalogue, context),
            Message::Csv(message) => self.csv_files.update(message, context),
            Message::AlertsScrolled(viewport) => {
                self.alerts.scrolled(viewport);
                Ok(Outcome::default())
            }
        };
        match outcome {
            Ok(outcome) => {
                if outcome.notice.is_some() {
                    self.notice = outcome.notice;
                }
                if let Some(product_id) = outcome.deleted {
                    self.forget_product(product_id);
                }
                if outcome.changed {
                    // So many rows touched (a large import) that one read of the whole
                    // catalogue is cheaper than reading them one by one.
                    let touched = outcome
                        .touched
                        .filter(|ids| !self.catalogue.list.many(ids.len()));
                    let read = match &touched {
                        Some(ids) => self
                            .reread_products(context.store, context.now, ids)
                            .and_then(|()| match outcome.producers {
                                true => self.reread_producers(context.store),
                                false => Ok(()),
                            }),
                        None => self.reread(context.store, context.now),
                    };
                    match read {
                        Ok(()) => {
                            let change = self
                                .catalogue_change
                                .take()
                                .unwrap_or(CatalogueChange::Products(Vec::new()));
                            self.catalogue_change = Some(change.and(touched));
                        }
                        Err(error) => self.notice = Some(Notice::from_store_error(&error)),
                    }
                }
                outcome.document.map_or(Action::None, Action::Produce)
            }
            Err(notice) => {
                self.notice = Some(notice);
                Action::None
            }
        }
    }

    /// Reads the products, producers, gift packs and alerts again: after a change here, or
    /// when the screen is shown again after sales elsewhere. What is being entered stays.
    pub fn reread(&mut self, store: &Store, now: DateTime<Utc>) -> StoreResult<()> {
        let sort = self.catalogue.list.sort();
        let mut catalogue = Catalogue::read(store, now)?;
        catalogue.list.set_sort(sort);
        self.alerts = alerts::Alerts::read(store, &catalogue, now)?;
        self.packs.refresh(store, now)?;
        self.catalogue = catalogue;
        self.products.refilter(&self.catalogue);
        self.count.refresh(&self.catalogue, None);
        self.receiving.forget_missing_producer(&self.catalogue);
        Ok(())
    }

    /// Brings the screen up to date when it is shown again: only the products whose stock
    /// moved (sales, refunds at the counter) or whose scheduled price or VAT rate took effect
    /// since it was read are read again.
    pub fn catch_up(&mut self, store: &Store, now: DateTime<Utc>) -> StoreResult<()> {
        let seen = self.catalogue.seen;
        let ids = store.products_changed_since(seen.movement, seen.at, now)?;
        self.reread_products(store, now, &ids)?;
        self.receiving.forget_missing_producer(&self.catalogue);
        Ok(())
    }

    /// Takes a deleted product's row out of the table and of the lists holding its place,
    /// with no read: the last row moves into its place.
    fn forget_product(&mut self, product_id: i64) {
        if let Some(removed) = self.catalogue.list.remove(product_id) {
            self.products.row_removed(removed);
            self.alerts.row_removed(removed);
        }
        // A count in progress lets it go.
        self.count.refresh(&self.catalogue, None);
    }

    /// Reads the producers again (their rows read by [`Inventory::reread_products`]): a name
    /// no product has any more leaves the table's filter list, and the filter if chosen.
    fn reread_producers(&mut self, store: &Store) -> StoreResult<()> {
        self.catalogue.producers = store.producer_drafts()?;
        self.catalogue.list.forget_unused_names();
        self.products.forget_missing_producer(&self.catalogue);
        self.receiving.forget_missing_producer(&self.catalogue);
        Ok(())
    }

    /// Reads again only the rows of the products a change touched, and what depends on them
    /// (the alerts, the gift packs' prices, a count's expected stock).
    fn reread_products(
        &mut self,
        store: &Store,
        now: DateTime<Utc>,
        ids: &[i64],
    ) -> StoreResult<()> {
        self.catalogue.seen = CatalogueSeen {
            movement: store.last_stock_movement()?,
            at: now,
        };
        let rows = store.product_rows_of(ids, now)?;
        let changed = self.catalogue.list.replace_rows(rows);
        self.alerts
            .update_products(store, &self.catalogue, now, ids)?;
        self.packs.refresh(store, now)?;
        self.products.rows_changed(&self.catalogue, &changed);
        self.count.refresh(&self.catalogue, Some(ids));
        Ok(())
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let tabs = row(Panel::ALL.into_iter().map(|panel| {
            let style = if panel == self.panel {
                button::primary
            } else {
                button::secondary
            };
            button(text(panel.label().text(lang)))
                .style(style)
                .on_press(Message::Show(panel))
                .into()
        }))
        .spacing(theme::SPACE);
        let panel = match self.panel {
            Panel::Products => self
                .products
                .view(&self.catalogue, lang)
                .map(Message::Products),
            Panel::Receiving => self
                .receiving
                .view(&self.catalogue, lang)
                .map(Message::Receiving),
            Panel::Count => self.count.view(&self.catalogue, lang).map(Message::Count),
            Panel::Producers => self
                .producers
                .view(&self.catalogue, lang)
                .map(Message::Producers),
            Panel::Packs => self.packs.view(lang).map(Message::Packs),
            Panel::Alerts => self.alerts.view(&self.catalogue, lang),
            Panel::Csv => self.csv_files.view(lang).map(Message::Csv),
        };
        column![
            row![
                text(Label::InventoryTitle.text(lang))
                    .size(theme::HEADING)
                    .font(theme::BOLD),
                tabs
            ]
            .spacing(theme::SPACE * 3.0)
            .align_y(Alignment::Center),
            notice_band(self.notice.as_ref(), lang, theme::SMALL),
            panel,
        ]
        .spacing(theme::SPACE)
        .padding(theme::PAD)
        .into()
    }
}

/// "All" and each value by its name; and the entry of the value chosen.
fn choices<T: Clone + PartialEq>(
    all: &str,
    values: impl IntoIterator<Item = (T, String)>,
    chosen: &Option<T>,
) -> (Vec<Choice<T>>, Option<Choice<T>>) {
    let list: Vec<Choice<T>> = std::iter::once(Choice {
        value: None,
        name: all.to_string(),
    })
    .chain(values.into_iter().map(|(value, name)| Choice {
        value: Some(value),
        name,
    }))
    .collect();
    let picked = list.iter().find(|choice| &choice.value == chosen).cloned();
    (list, picked)
}

/// A typed day (`31/12/2026`); empty is `None`.
fn parse_date(input: &str) -> Result<Option<NaiveDate>, Notice> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    typed_day(input).map(Some)
}

/// The start of a typed day, or `now` when none was typed.
fn moment(day: Option<NaiveDate>, now: DateTime<Utc>) -> DateTime<Utc> {
    day.map_or(now, start_of_local_day)
}

/// A label over a widget, as the forms lay out every field; as wide as it may be unless told.
fn labelled<'a, M: 'a>(
    label: Label,
    lang: Lang,
    widget: impl Into<Element<'a, M>>,
) -> iced::widget::Column<'a, M> {
    column![text(label.text(lang)).size(theme::SMALL), widget.into()]
        .spacing(2)
        .width(Fill)
}

/// A labelled text field of a form; Enter in it sends `on_submit` (saving the form).
fn field<'a, M: Clone + 'a>(
    label: Label,
    id: &'static str,
    value: &'a str,
    lang: Lang,
    on_input: impl Fn(String) -> M + 'a,
    on_submit: M,
) -> Element<'a, M> {
    labelled(
        label,
        lang,
        text_input("", value)
            .id(id)
            .on_input(on_input)
            .on_submit(on_submit)
            .padding(5)
            .width(Fill),
    )
    .into()
}

/// Takes a product or a template off the counter, or puts it back.
fn activation_button<'a, M: Clone + 'a>(
    active: bool,
    lang: Lang,
    set_active: fn(bool) -> M,
) -> button::Button<'a, M> {
    if active {
        button(text(Label::InvDeactivate.text(lang)))
            .style(button::danger)
            .on_press(set_active(false))
    } else {
        button(text(Label::InvReactivate.text(lang)))
            .style(button::secondary)
            .on_press(set_active(true))
    }
}

/// Entries to pick one from: column heads, a row per entry (a button; the picked one
/// highlighted) and, beneath, the button for a new entry.
fn pick_one_list<'a, M: Clone + 'a>(
    columns: &[(Label, Length)],
    entries: impl ExactSizeIterator<Item = (Vec<String>, bool, M)>,
    (in_view, scrolled): (InView, fn(scrollable::Viewport) -> M),
    new_entry: (Label, M),
    lang: Lang,
) -> Element<'a, M> {
    let widths: Vec<Length> = columns.iter().map(|(_, width)| *width).collect();
    let listed = entries.len();
    let built = in_view.rows(listed, PICK_ROW_HEIGHT);
    let (first, last) = (built.start, built.end);
    let rows = column(
        entries
            .skip(first)
            .take(last - first)
            .map(|(cells, picked, pick)| {
                let cells = cells
                    .into_iter()
                    .zip(&widths)
                    .map(|(value, width)| cell(value, *width));
                button(
                    container(row(cells).spacing(4))
                        .padding([4, 6])
                        .height(PICK_ROW_HEIGHT)
                        .clip(true)
                        .style(theme::row_style(picked, false)),
                )
                .padding(0)
                .style(theme::row_button)
                .on_press(pick)
                .into()
            }),
    );
    let body = column![
        space().height(first as f32 * PICK_ROW_HEIGHT),
        rows,
        space().height((listed - last) as f32 * PICK_ROW_HEIGHT),
    ];
    column![
        heads(columns, lang).padding(Padding {
            left: 6.0,
            right: 6.0 + CLEAR_OF_SCROLL_BAR.right,
            ..Padding::ZERO
        }),
        scrollable(container(body).padding(CLEAR_OF_SCROLL_BAR))
            .on_scroll(scrolled)
            .height(Fill),
        button(text(new_entry.0.text(lang))).on_press(new_entry.1),
    ]
    .spacing(theme::SPACE)
    .width(FillPortion(5))
    .into()
}

/// A row of a list to pick one entry from (producers, gift packs): fixed, so that only the
/// rows in view are built.
const PICK_ROW_HEIGHT: f32 = 30.0;

/// How far a long list is scrolled, so that only the rows in (and just beyond) its viewport
/// are built, spaces standing for the rest: 4,000 producers built whole as rows of text took
/// 40 MB and shaped every name at each frame.
#[derive(Debug, Clone, Copy)]
pub struct InView {
    scroll_top: f32,
    viewport_height: f32,
}

impl Default for InView {
    fn default() -> InView {
        InView {
            scroll_top: 0.0,
            viewport_height: 600.0,
        }
    }
}

impl InView {
    /// Rows built beyond each edge of the viewport, so that a scroll shows no gap before the
    /// next frame.
    const BEYOND: usize = 10;

    pub fn scrolled(&mut self, viewport: scrollable::Viewport) {
        self.scroll_top = viewport.absolute_offset().y;
        self.viewport_height = viewport.bounds().height;
    }

    /// Which of `listed` rows, each `row_height` tall, to build.
    fn rows(self, listed: usize, row_height: f32) -> std::ops::Range<usize> {
        let visible = (self.viewport_height / row_height).ceil() as usize + 2 * Self::BEYOND;
        let first = ((self.scroll_top / row_height) as usize)
            .saturating_sub(Self::BEYOND)
            .min(listed.saturating_sub(visible));
        first..(first + visible).min(listed)
    }
}

/// A list with the form of its selected entry in a panel beside it, or a hint to pick one.
fn beside<'a, M: 'a>(
    list: impl Into<Element<'a, M>>,
    form: Option<Element<'a, M>>,
    hint: Label,
    lang: Lang,
) -> Element<'a, M> {
    let side: Element<'a, M> = match form {
        Some(form) => scrollable(form).height(Fill).into(),
        None => text(hint.text(lang)).style(theme::muted).into(),
    };
    row![
        list.into(),
        container(side)
            .padding(theme::PAD)
            .style(theme::panel)
            .width(FillPortion(4))
            .height(Fill),
    ]
    .spacing(theme::SPACE)
    .into()
}

/// The head row of a table: each column's name at the width its cells take.
fn heads<'a, M: 'a>(columns: &[(Label, Length)], lang: Lang) -> iced::widget::Row<'a, M> {
    row(columns.iter().map(|&(label, width)| {
        container(text(label.text(lang)).size(theme::SMALL).font(theme::BOLD))
            .width(width)
            .into()
    }))
    .spacing(4)
}

/// A cell of a table.
fn cell<'a, M: 'a>(value: String, width: Length) -> Element<'a, M> {
    container(
        text(value)
            .size(theme::SMALL)
            .wrapping(text::Wrapping::None),
    )
    .width(width)
    .clip(true)
    .into()
}
