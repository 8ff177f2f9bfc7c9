//! The window: a top bar and the screens. The only code that knows iced.

pub mod audit;
pub mod backups;
pub mod buyer_form;
pub mod checkout;
pub mod customer_display;
pub mod daily;
pub mod inventory;
pub mod invoice_form;
pub mod keys;
pub mod orders;
pub mod refund_form;
pub mod setting_fields;
pub mod settings;
pub mod setup;
pub mod sign_in;
pub mod staff;
pub mod theme;
pub mod transfer_search;

use crate::config::Config;
use crate::core::audit::{Actor, AuditAct};
use crate::core::clock::SHOP_TIME_ZONE;
use crate::core::delivery::{Band, QueueSummary, band};
use crate::core::reduction::CashierLimits;
use crate::core::settings::ShopSettings;
use crate::core::staff::{AuditChange, GatedAct, StaffMember};
use crate::documents::Document;
use crate::hub::node::StoreOpenedBySync;
use crate::hub::report::Alert;
use crate::hub::worker::{SyncStatus, SyncTiming, SyncWorker};
use crate::i18n::{Label, Lang, Level, Notice, SendNotice, band_text};
use crate::lock::DataLock;
use crate::printer::{PrintFailure, open_drawer, print_document, print_test_page};
use crate::send::{SendOutcome, Worker, WorkerState};
use crate::store::{HUB_ALERTS_SEEN_SETTING, HUB_URL_SETTING, Store, StoreResult, StoredBreak};
use audit::Audit;
use backups::{Backups, Unavailable};
use checkout::Checkout;
use chrono::{DateTime, Utc};
use customer_display::CustomerDisplay;
use daily::Daily;
use iced::futures::channel::{mpsc, oneshot};
use iced::widget::{center, column, container, opaque, operation, row, stack, text};
use iced::{Color, Element, Event, Fill, Subscription, Task, Theme, event, keyboard, window};
use inventory::Inventory;
use keys::Command;
use settings::Settings;
use setup::Setup;
use sign_in::PinPad;
use staff::Staff;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::time::Duration;

/// Settings key of the language the counter was last used in.
const LANGUAGE_SETTING: &str = "ui.lang";

/// What a screen needs from outside itself to act on a message.
pub struct Context<'a> {
    pub store: &'a mut Store,
    pub shop: &'a ShopSettings,
    /// The person signed in: the cashier on receipts, the actor in the audit log.
    pub staff: &'a StaffMember,
    /// The manager who approved the act being retried, if any.
    pub approver: Option<&'a StaffMember>,
    /// How far a cashier lowers a sale alone; beyond it a manager approves.
    pub limits: CashierLimits,
    pub now: DateTime<Utc>,
}

impl<'a> Context<'a> {
    /// The context of an act done now by `staff`, with `approver`'s approval if any.
    pub fn new(
        store: &'a mut Store,
        shop: &'a ShopSettings,
        staff: &'a StaffMember,
        approver: Option<&'a StaffMember>,
        limits: CashierLimits,
    ) -> Context<'a> {
        Context {
            store,
            shop,
            staff,
            approver,
            limits,
            now: Utc::now(),
        }
    }

    /// True when the person may do `act` now: a manager, or a cashier with an approval.
    pub fn permits(&self, act: GatedAct, done_before: i64) -> bool {
        !act.needs_approval(self.staff.role, done_before) || self.approver.is_some()
    }

    /// Who acts, and who approved, as store operations audit them.
    pub fn actor(&self) -> Actor<'a> {
        let (staff, approver): (&'a StaffMember, _) = (self.staff, self.approver);
        Actor {
            name: &staff.name,
            approver: approver.map(|manager| manager.name.as_str()),
        }
    }

    /// The audit row of an act just done that is not itself a store operation.
    pub fn audit(
        &mut self,
        act: AuditAct,
        subject: &str,
        before: &str,
        after: &str,
    ) -> StoreResult<()> {
        let change = AuditChange {
            subject,
            before,
            after,
        };
        let by = self.actor();
        self.store.record_audit(by, act, &change, self.now)
    }
}

/// An entry of a pick list: a value, or `None` for "all", under its name on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice<T> {
    pub value: Option<T>,
    pub name: String,
}

impl<T> std::fmt::Display for Choice<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// What a screen asks its parent to do after an update.
#[derive(Debug)]
pub enum Action {
    None,
    /// Write (and print, if printable) a document built from committed records.
    Produce(Document),
    /// The act needs a manager's PIN: ask, then send the same message again.
    NeedsApproval(GatedAct),
}

/// The screens, as the top bar's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Checkout,
    Daily,
    Backups,
    Audit,
    Inventory,
    Settings,
    Staff,
    /// Orders, customers and receivables: for cashiers and managers alike.
    Orders,
}

#[derive(Debug, Clone)]
pub enum Message {
    Show(Tab),
    Checkout(checkout::Message),
    Daily(daily::Message),
    Audit(audit::Message),
    Inventory(inventory::Message),
    Command(Command),
    Tick(DateTime<Utc>),
    Backups(backups::Message),
    Pad(sign_in::Message),
    Setup(setup::Message),
    Settings(settings::Message),
    Staff(staff::Message),
    Orders(orders::Message),
    DocumentDone(DocumentOutcome),
    /// The document that did not print, sent to the printer again.
    PrintAgain,
    /// "Mở két": the cash drawer opened without a sale (a cashier needs a manager's PIN).
    OpenDrawer,
    DrawerDone(Result<(), PrintFailure>),
    /// The test page went (to the printer named) or did not.
    TestPrintDone(Result<String, PrintFailure>),
    /// Opens the customer display window, or brings it back.
    OpenCustomerDisplay,
    /// A window was closed: the customer display goes; the main window ends the program.
    WindowClosed(window::Id),
    /// A manager acknowledges the first break of the hash chains shown on the band.
    AcknowledgeBreak,
    /// The unsent band's button: send the invoices now.
    SendNow,
    /// How sending now went.
    Sent(SendOutcome),
    /// How the sending before a day's close went: the close goes on.
    SentBeforeClose(SendOutcome),
    /// The inventory's catalogue, read and sorted on another thread after a manager signed in.
    CataloguePrepared(inventory::PreparedCatalogue),
    /// A manager opens (true) or closes the list of the hub's alerts for this store.
    HubAlerts(bool),
}

/// The inventory's catalogue made ready before the screen first opens, so that opening it
/// never reads 300,000 products on the window's thread.
enum CataloguePrep {
    /// Nothing under way: the screen is open, or nobody who may open it signed in.
    Idle,
    /// Asked for; the flag is up once the work started (a task the runtime never ran, as in
    /// a test, leaves it down and the screen reads the catalogue itself).
    Asked(Arc<AtomicBool>),
    Ready(Box<inventory::Catalogue>),
}

/// What the PIN pad (or the first-run setup) stands in front of.
enum Gate {
    /// A store with nobody on its staff: its details and first manager first.
    SetUp(Setup),
    SignIn(PinPad),
    /// A manager's approval, and the message to send again once it is given.
    Approve(PinPad, Retry),
}

/// A message held while a manager approves it.
#[derive(Debug, Clone)]
enum Retry {
    Checkout(checkout::Message),
    Orders(orders::Message),
    Show(Tab),
    AcknowledgeBreak,
    OpenDrawer,
}

/// The open store and everything the counter works with.
struct Session {
    store: Store,
    shop: ShopSettings,
    /// Who is signed in; nobody until the first PIN.
    staff: Option<StaffMember>,
    /// The PIN pad, while it shows.
    gate: Option<Gate>,
    /// The manager who opened a manager's screen for a cashier, while it is shown.
    screen_approver: Option<StaffMember>,
    tab: Tab,
    last_activity: DateTime<Utc>,
    /// Settings `staff.discount_limit_pct` and `staff.void_limit`.
    limits: CashierLimits,
    data_dir: PathBuf,
    checkout: Checkout,
    /// The daily screen while it is shown; built afresh each time it opens.
    daily: Option<Daily>,
    /// The audit screen while it is shown; built afresh each time it opens.
    audit: Option<Audit>,
    /// The inventory screen once opened: kept while other screens show, so a delivery or a
    /// count being entered survives; dropped when the store closes.
    inventory: Option<Inventory>,
    /// Its catalogue, until the screen first opens.
    catalogue_prep: CataloguePrep,
    /// The Settings and Staff screens while shown; built afresh each time they open.
    settings: Option<Settings>,
    staff_screen: Option<Staff>,
    /// The Orders screen once opened: kept while other screens show, so an order being taken
    /// survives a trip to the counter.
    orders: Option<orders::Orders>,
    receipt_notice: Option<Notice>,
    /// The last document that was saved but did not print, and where it was saved: the
    /// notice band offers to print it again.
    unprinted: Option<(Box<Document>, PathBuf)>,
    /// Breaks of the hash chains no manager has acknowledged: while there is one, the store
    /// refuses to sell and every screen says why.
    chain_breaks: Vec<StoredBreak>,
    /// The thread that sends invoices to the tax authority (none until started).
    sender: Option<Worker>,
    /// The thread that syncs with the province hub, when the setting `hub_url` names one
    /// (started with the sender).
    hub_sync: Option<SyncWorker>,
    /// The hub's alerts a manager opened over the screen, each with the name of the product it
    /// is about when this node knows it.
    hub_alerts_shown: Option<Vec<(Alert, Option<String>)>>,
    /// The newest hub alert a manager has opened the list on: the top bar counts those after.
    hub_alerts_seen: i64,
    /// The invoices not sent yet, as last read (on the clock's tick).
    unsent: QueueSummary,
    /// A day's close waits for the invoices to be sent first.
    closing_after_send: bool,
}

/// The manager's screens that act through a [`Context`].
enum ManagerScreen<'a> {
    Daily(&'a mut Daily),
    Audit(&'a mut Audit),
    Inventory(&'a mut Inventory),
    Settings(&'a mut Settings),
    Staff(&'a mut Staff),
}

impl Session {
    /// Whether the one signed in runs the store (the hub's alerts are theirs to read).
    fn manager_signed_in(&self) -> bool {
        self.staff
            .as_ref()
            .is_some_and(|staff| !GatedAct::DailyClose.needs_approval(staff.role, 0))
    }

    /// Whether the screen shown has a notice band of its own (the manager's screens).
    fn has_own_band(&self) -> bool {
        match self.tab {
            Tab::Daily => self.daily.is_some(),
            Tab::Audit => self.audit.is_some(),
            Tab::Inventory => self.inventory.is_some(),
            Tab::Settings => self.settings.is_some(),
            Tab::Staff => self.staff_screen.is_some(),
            Tab::Orders => self.orders.is_some(),
            Tab::Checkout | Tab::Backups => false,
        }
    }

    /// Tells what the window learnt meanwhile (a document saved, a test page printed): in the
    /// band of the screen shown when it has one, else in the band under the top bar — so a
    /// manager's screen keeps one notice line, not two.
    fn tell(&mut self, notice: Notice) {
        if !self.has_own_band() {
            self.receipt_notice = Some(notice);
            return;
        }
        let shown = match self.tab {
            Tab::Daily => self.daily.as_mut().map(|screen| screen.tell(notice)),
            Tab::Audit => self.audit.as_mut().map(|screen| screen.tell(notice)),
            Tab::Inventory => self.inventory.as_mut().map(|screen| screen.tell(notice)),
            Tab::Settings => self.settings.as_mut().map(|screen| screen.tell(notice)),
            Tab::Staff => self.staff_screen.as_mut().map(|screen| screen.tell(notice)),
            Tab::Orders => self.orders.as_mut().map(|screen| screen.tell(notice)),
            Tab::Checkout | Tab::Backups => None,
        };
        debug_assert!(shown.is_some(), "the screen has its own band");
    }

    /// The manager's screen `tab` shows, if open, with the context of an act on it: who is
    /// signed in and the manager who opened the screen for a cashier.
    fn manager_screen(&mut self, tab: Tab) -> Option<(ManagerScreen<'_>, Context<'_>)> {
        let Session {
            store,
            shop,
            staff,
            screen_approver,
            limits,
            daily,
            audit,
            inventory,
            settings,
            staff_screen,
            ..
        } = self;
        let screen = match tab {
            Tab::Daily => ManagerScreen::Daily(daily.as_mut()?),
            Tab::Audit => ManagerScreen::Audit(audit.as_mut()?),
            Tab::Inventory => ManagerScreen::Inventory(inventory.as_mut()?),
            Tab::Settings => ManagerScreen::Settings(settings.as_mut()?),
            Tab::Staff => ManagerScreen::Staff(staff_screen.as_mut()?),
            Tab::Checkout | Tab::Backups | Tab::Orders => return None,
        };
        let context = Context::new(
            store,
            shop,
            staff.as_ref()?,
            screen_approver.as_ref(),
            *limits,
        );
        Some((screen, context))
    }

    /// Writes (and prints) a document a screen asked for, off the UI thread. A document comes
    /// from a sale, a refund or a correction: its invoice is queued, and the sender is told.
    fn produce(&self, document: Document) -> Task<Message> {
        if let Some(sender) = &self.sender {
            sender.wake();
        }
        produce(document, self.data_dir.clone(), self.shop.clone())
    }

    /// Reads the unsent invoices again (a failed read keeps the last figures: the band is a
    /// reminder, not a record).
    fn read_unsent(&mut self) {
        if let Ok(summary) = self.store.delivery_summary() {
            self.unsent = summary;
        }
    }

    /// Reads the shop's details and the cashier's limits again where the hub's worker may
    /// have brought the store's from its catalogue node (a failed read keeps those in use).
    fn follow_store_details(&mut self) {
        if self.hub_sync.is_none() {
            return;
        }
        if let (Ok(shop), Ok(limits)) = (self.store.shop_settings(), self.store.cashier_limits()) {
            self.shop = shop;
            self.limits = limits;
        }
    }
}

pub struct App {
    lang: Lang,
    now: DateTime<Utc>,
    config: Config,
    session: Result<Session, Unavailable>,
    backups: Backups,
    /// Invoices are sent by a thread of the window's (started by `boot`; tests start it when
    /// they need it): it is started again with each store the window opens.
    sending: bool,
    /// The counter's window, once the runtime opened it.
    main_window: Option<window::Id>,
    /// The customer display's window and what it shows, while it is open.
    customer: Option<(window::Id, CustomerDisplay)>,
}

impl App {
    /// Opens the store of the configured data folder and the checkout on it. A store that
    /// cannot be opened gives a window that says why, instead of a silent exit.
    pub fn new(config: &Config) -> App {
        // The folder's lock first: a second copy must not even open the database.
        let (lock, session) = match DataLock::acquire(&config.data_dir) {
            Ok(lock) => (
                Some(Arc::new(lock)),
                open_session(config).map_err(Unavailable::from),
            ),
            Err(error) => (None, Err(Unavailable::from(error))),
        };
        let policy = backup_policy(&session);
        let lang = session
            .as_ref()
            .ok()
            .and_then(|s| s.store.setting(LANGUAGE_SETTING).ok().flatten())
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default();
        App {
            lang,
            now: Utc::now(),
            config: config.clone(),
            session,
            backups: Backups::new(config.data_dir.clone(), lock, policy),
            sending: false,
            main_window: None,
            customer: None,
        }
    }

    pub fn boot(config: &Config) -> (App, Task<Message>) {
        let mut app = App::new(config);
        app.start_sending();
        let backups = app
            .backups
            .start(app.session.is_ok(), Utc::now())
            .map(Message::Backups);
        let focus = app.focus_task();
        (app, Task::batch([focus, backups]))
    }

    /// Starts the thread that sends invoices to the tax authority, now and for every store the
    /// window opens later. A store closed (for a restore) stops its thread first.
    pub fn start_sending(&mut self) {
        self.sending = true;
        self.start_sender();
    }

    fn start_sender(&mut self) {
        if !self.sending {
            return;
        }
        if let Ok(session) = &mut self.session {
            session.sender = Some(Worker::start(
                session.store.path().to_path_buf(),
                session.data_dir.clone(),
            ));
            session.hub_sync = start_hub_sync(&session.store);
            session.hub_alerts_seen = session
                .store
                .setting(HUB_ALERTS_SEEN_SETTING)
                .ok()
                .flatten()
                .and_then(|seen| seen.parse().ok())
                .unwrap_or(0);
            session.read_unsent();
        }
    }

    /// What the sender's thread is doing, when it runs.
    pub fn sender_state(&self) -> Option<WorkerState> {
        self.session
            .as_ref()
            .ok()?
            .sender
            .as_ref()
            .map(Worker::state)
    }

    /// Where syncing with the province hub stands, when the store has a hub.
    pub fn hub_status(&self) -> Option<SyncStatus> {
        Some(self.session.as_ref().ok()?.hub_sync.as_ref()?.status())
    }

    /// The store's newest alerts at the hub, for a manager signed in (none for anyone else,
    /// or without a hub).
    pub fn hub_alerts(&self) -> Vec<Alert> {
        match &self.session {
            Ok(session) if session.manager_signed_in() => session
                .hub_sync
                .as_ref()
                .map(SyncWorker::alerts)
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// How many of [`App::hub_alerts`] came since a manager last opened them.
    pub fn unseen_hub_alerts(&self) -> usize {
        let seen = self.session.as_ref().map_or(0, |s| s.hub_alerts_seen);
        self.hub_alerts().iter().filter(|a| a.id > seen).count()
    }

    /// Opens the list of hub alerts over the screen (or closes it), and counts them as seen.
    fn show_hub_alerts(&mut self, open: bool) -> Task<Message> {
        let alerts = self.hub_alerts();
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        if !open || alerts.is_empty() {
            session.hub_alerts_shown = None;
            return Task::none();
        }
        let oversold: Vec<&str> = alerts
            .iter()
            .filter(|alert| alert.is_about_product())
            .filter_map(|alert| alert.subject.as_deref())
            .collect();
        // Without the names the list still says everything else: not worth refusing it.
        let names = session
            .store
            .product_names_by_uid(&oversold)
            .unwrap_or_default();
        let newest = alerts.iter().map(|alert| alert.id).max().unwrap_or(0);
        if newest > session.hub_alerts_seen {
            session.hub_alerts_seen = newest;
            // Failing to remember only means the same alerts are counted again next time.
            let _ = session
                .store
                .set_setting(HUB_ALERTS_SEEN_SETTING, &newest.to_string());
        }
        session.hub_alerts_shown = Some(
            alerts
                .into_iter()
                .map(|alert| {
                    let name = alert
                        .subject
                        .as_ref()
                        .filter(|_| alert.is_about_product())
                        .and_then(|uid| names.get(uid).cloned());
                    (alert, name)
                })
                .collect(),
        );
        Task::none()
    }

    /// The band shown while invoices are unsent, as of the last tick.
    pub fn unsent_band(&self) -> Option<Band> {
        let session = self.session.as_ref().ok()?;
        band(&session.unsent, self.now)
    }

    /// The backups screen (list, backup by hand, restore).
    pub fn backups(&self) -> &Backups {
        &self.backups
    }

    /// Takes a backup now, off the UI thread: call it when a cash session closes.
    pub fn back_up_now(&mut self) -> Task<Message> {
        self.backups.back_up_now(Utc::now()).map(Message::Backups)
    }

    fn update_backups(&mut self, message: backups::Message) -> Task<Message> {
        // A backup that failed (or missed its second folder) is told on the counter too:
        // nobody may be looking at the backups screen.
        if let backups::Message::Finished {
            notice: Some(notice),
            ..
        } = &message
            && notice.level() != Level::Success
            && let Ok(session) = &mut self.session
        {
            session.receipt_notice = Some(notice.clone());
        }
        match self.backups.update(message) {
            backups::Action::None => Task::none(),
            backups::Action::Run(task) => task.map(Message::Backups),
            backups::Action::CloseStoreAndRestore(backup) => {
                let by = self.restorer();
                // Dropping the session closes the store: its file is about to be replaced.
                self.session = Err(Unavailable::Restoring);
                self.backups
                    .restore(backup, by, Utc::now())
                    .map(Message::Backups)
            }
            backups::Action::ReopenStore => {
                self.session = open_session(&self.config).map_err(Unavailable::from);
                self.backups.set_policy(backup_policy(&self.session));
                self.start_sender();
                self.focus_task()
            }
        }
    }

    /// Who restores a backup, for the audit log: whoever is signed in (with the manager who
    /// opened the screen for a cashier); a damaged store is restored before anyone can sign in.
    fn restorer(&self) -> backups::Restorer {
        let session = self.session.as_ref().ok();
        let actor = session.and_then(|s| s.staff.clone());
        backups::Restorer {
            actor: actor.unwrap_or_else(|| StaffMember {
                id: 0,
                name: Label::NobodySignedIn.text(Lang::Vi).to_string(),
                role: crate::core::staff::Role::Cashier,
            }),
            approver: session.and_then(|s| s.screen_approver.clone()),
        }
    }

    pub fn title(&self) -> String {
        match &self.session {
            Ok(session) => format!("OCOP POS · {}", session.shop.shop_name),
            Err(_) => "OCOP POS".to_string(),
        }
    }

    pub fn theme(&self) -> Theme {
        theme::theme()
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The daily screen, while it is shown.
    pub fn daily(&self) -> Option<&Daily> {
        self.session.as_ref().ok().and_then(|s| s.daily.as_ref())
    }

    /// The inventory screen, once opened.
    pub fn inventory(&self) -> Option<&Inventory> {
        self.session
            .as_ref()
            .ok()
            .and_then(|s| s.inventory.as_ref())
    }

    /// What the band under the top bar tells.
    pub fn notice(&self) -> Option<&Notice> {
        self.session.as_ref().ok()?.receipt_notice.as_ref()
    }

    /// The checkout screen, when the store opened.
    pub fn checkout(&self) -> Option<&Checkout> {
        self.session.as_ref().ok().map(|s| &s.checkout)
    }

    pub fn store(&self) -> Option<&Store> {
        self.session.as_ref().ok().map(|s| &s.store)
    }

    /// Who is signed in.
    pub fn staff(&self) -> Option<&StaffMember> {
        self.session.as_ref().ok().and_then(|s| s.staff.as_ref())
    }

    /// True while the PIN pad shows.
    fn gated(&self) -> bool {
        self.session.as_ref().is_ok_and(|s| s.gate.is_some())
    }

    /// The breaks of the hash chains not acknowledged yet (selling stops while there is one).
    pub fn chain_breaks(&self) -> &[StoredBreak] {
        self.session
            .as_ref()
            .map_or(&[], |session| session.chain_breaks.as_slice())
    }

    /// The act a manager is being asked to approve, while the PIN pad asks.
    pub fn pending_approval(&self) -> Option<GatedAct> {
        match self.session.as_ref().ok()?.gate.as_ref()? {
            Gate::Approve(pad, _) => match pad.purpose() {
                sign_in::Purpose::Approve(act) => Some(*act),
                _ => None,
            },
            Gate::SignIn(_) | Gate::SetUp(_) => None,
        }
    }

    /// The first-run setup, while it shows.
    pub fn setup(&self) -> Option<&Setup> {
        match self.session.as_ref().ok()?.gate.as_ref()? {
            Gate::SetUp(setup) => Some(setup),
            _ => None,
        }
    }

    /// The PIN pad, while it shows.
    pub fn pin_pad(&self) -> Option<&PinPad> {
        match self.session.as_ref().ok()?.gate.as_ref()? {
            Gate::SignIn(pad) | Gate::Approve(pad, _) => Some(pad),
            Gate::SetUp(_) => None,
        }
    }

    /// The Orders screen, once opened.
    pub fn orders(&self) -> Option<&orders::Orders> {
        self.session.as_ref().ok().and_then(|s| s.orders.as_ref())
    }

    /// The Staff screen, while it is shown.
    pub fn staff_screen(&self) -> Option<&Staff> {
        self.session
            .as_ref()
            .ok()
            .and_then(|s| s.staff_screen.as_ref())
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        let task = self.handle(message);
        if let (Some((_, display)), Ok(session)) = (&mut self.customer, &self.session) {
            display.follow(&session.checkout, &session.shop);
        }
        task
    }

    /// Opens the customer display in a window of its own (on the second monitor the system
    /// places it on), or leaves the one open as it is.
    pub fn open_customer_display(&mut self) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        if self.customer.is_some() {
            return Task::none();
        }
        let mut display = match CustomerDisplay::new(&session.store, Utc::now(), &session.data_dir)
        {
            Ok(display) => display,
            Err(error) => {
                session.tell(Notice::from_store_error(&error));
                return Task::none();
            }
        };
        display.follow(&session.checkout, &session.shop);
        let (id, open) = window::open(window::Settings {
            size: iced::Size::new(1024.0, 768.0),
            ..window::Settings::default()
        });
        self.customer = Some((id, display));
        open.discard()
    }

    /// The customer display as it shows now, while it is open.
    pub fn customer_view(&self) -> Option<Element<'_, Message>> {
        let (_, display) = self.customer.as_ref()?;
        let session = self.session.as_ref().ok()?;
        Some(display.view(&session.checkout, &session.shop))
    }

    /// A window's view: the customer display in its window, the counter in the other.
    pub fn window_view(&self, id: window::Id) -> Element<'_, Message> {
        match &self.customer {
            Some((open, _)) if *open == id => self
                .customer_view()
                .unwrap_or_else(|| iced::widget::space().into()),
            _ => self.view(),
        }
    }

    /// A window's title.
    pub fn window_title(&self, id: window::Id) -> String {
        match &self.customer {
            Some((open, _)) if *open == id => "OCOP POS · Khách hàng".to_string(),
            _ => self.title(),
        }
    }

    fn handle(&mut self, message: Message) -> Task<Message> {
        if let Ok(session) = &mut self.session
            && !matches!(
                message,
                Message::Tick(_)
                    | Message::DocumentDone(_)
                    | Message::DrawerDone(_)
                    | Message::TestPrintDone(_)
                    | Message::WindowClosed(_)
                    | Message::Backups(_)
            )
        {
            session.last_activity = Utc::now();
            if session.gate.is_some()
                && !matches!(
                    message,
                    Message::Pad(_)
                        | Message::Setup(_)
                        | Message::Command(
                            Command::Language
                                | Command::Cancel
                                | Command::NextField
                                | Command::Up
                                | Command::Down
                        )
                )
            {
                // Behind the PIN pad nothing else is touched.
                return Task::none();
            }
        }
        match message {
            Message::Tick(now) => {
                self.now = now;
                if let Ok(session) = &mut self.session {
                    session.read_unsent();
                    session.follow_store_details();
                }
                if let (Some((_, display)), Ok(session)) = (&mut self.customer, &self.session) {
                    display.next_slide(&session.store, now);
                }
                let lock = self.lock_when_idle(now);
                if self.session.is_ok() {
                    Task::batch([lock, self.backups.tick(now).map(Message::Backups)])
                } else {
                    lock
                }
            }
            Message::Backups(message) => self.update_backups(message),
            Message::Command(Command::Language) => {
                self.lang = self.lang.toggled();
                if let Ok(session) = &self.session {
                    // The choice is a convenience: failing to remember it is not worth a message.
                    let _ = session
                        .store
                        .set_setting(LANGUAGE_SETTING, self.lang.code());
                }
                Task::none()
            }
            Message::Pad(message) => self.update_pad(message),
            Message::Setup(message) => self.update_setup(message),
            Message::Command(Command::Up) if self.gated() => {
                self.update_pad(sign_in::Message::Move(-1))
            }
            Message::Command(Command::Down) if self.gated() => {
                self.update_pad(sign_in::Message::Move(1))
            }
            Message::HubAlerts(open) => self.show_hub_alerts(open),
            Message::Command(Command::Cancel)
                if self
                    .session
                    .as_ref()
                    .is_ok_and(|s| s.hub_alerts_shown.is_some()) =>
            {
                self.show_hub_alerts(false)
            }
            Message::Command(Command::Cancel) if self.pending_approval().is_some() => {
                if let Ok(session) = &mut self.session {
                    session.gate = None;
                }
                self.focus_task()
            }
            Message::Command(Command::Cancel) if self.tab() == Tab::Settings => {
                if let Ok(Session {
                    settings: Some(settings),
                    ..
                }) = &mut self.session
                {
                    settings.cancel();
                }
                Task::none()
            }
            Message::Command(Command::SwitchUser) => self.lock(),
            Message::Command(Command::Show(tab)) | Message::Show(tab) => self.show(tab, None),
            Message::Command(Command::NextField) => operation::focus_next(),
            Message::Command(Command::PreviousField) => operation::focus_previous(),
            Message::Command(command) if self.on_checkout() => {
                self.update_checkout(checkout::Message::Command(command), None)
            }
            Message::Command(_) => Task::none(),
            Message::Checkout(message) => self.update_checkout(message, None),
            Message::Daily(message) => self.update_daily(message),
            Message::Audit(message) => self.update_audit(message),
            Message::Inventory(message) => self.update_inventory(message),
            Message::CataloguePrepared(prepared) => self.catalogue_prepared(prepared),
            Message::Settings(message) => self.update_settings(message),
            Message::Staff(message) => self.update_staff(message),
            Message::Orders(message) => self.update_orders(message, None),
            Message::DocumentDone(outcome) => {
                if let Ok(session) = &mut self.session {
                    let notice = outcome.notice();
                    session.unprinted = match outcome {
                        DocumentOutcome::NotPrinted(path, _, document) => Some((document, path)),
                        _ => None,
                    };
                    // A print that failed is told under the top bar, beside its retry.
                    if session.unprinted.is_some() {
                        session.receipt_notice = Some(notice);
                    } else {
                        session.tell(notice);
                    }
                }
                Task::none()
            }
            Message::PrintAgain => {
                let Ok(session) = &mut self.session else {
                    return Task::none();
                };
                let Some((document, path)) = session.unprinted.take() else {
                    return Task::none();
                };
                let shop = session.shop.clone();
                off_ui_thread(move || print_outcome(*document, &shop, path))
                    .map(Message::DocumentDone)
            }
            Message::OpenDrawer => self.open_drawer(None),
            Message::TestPrintDone(result) => {
                if let Ok(session) = &mut self.session {
                    session.tell(match result {
                        Ok(printer) => Notice::TestPagePrinted(printer),
                        Err(failure) => Notice::PrinterFailed(failure),
                    });
                }
                Task::none()
            }
            Message::OpenCustomerDisplay => self.open_customer_display(),
            Message::WindowClosed(id) if Some(id) == self.main_window => iced::exit(),
            Message::WindowClosed(id) => {
                if self.customer.as_ref().is_some_and(|(open, _)| *open == id) {
                    self.customer = None;
                }
                Task::none()
            }
            Message::DrawerDone(result) => {
                if let Ok(session) = &mut self.session {
                    session.receipt_notice = Some(match result {
                        Ok(()) => Notice::DrawerOpened,
                        Err(failure) => Notice::PrinterFailed(failure),
                    });
                }
                Task::none()
            }
            Message::AcknowledgeBreak => self.acknowledge_break(None),
            Message::SendNow => {
                let Ok(session) = &mut self.session else {
                    return Task::none();
                };
                let Some(sender) = &session.sender else {
                    return Task::none();
                };
                session.receipt_notice = Some(Notice::Sending(SendNotice::Asked));
                sent_now(sender).map(Message::Sent)
            }
            Message::Sent(outcome) => {
                if let Ok(session) = &mut self.session {
                    session.read_unsent();
                    session.receipt_notice = Some(Notice::Sending(SendNotice::Outcome(outcome)));
                }
                Task::none()
            }
            Message::SentBeforeClose(outcome) => {
                let Ok(session) = &mut self.session else {
                    return Task::none();
                };
                session.read_unsent();
                session.receipt_notice = Some(Notice::Sending(SendNotice::Outcome(outcome)));
                let close = self.update_daily(daily::Message::CloseSession);
                if let Ok(session) = &mut self.session {
                    session.closing_after_send = false;
                }
                close
            }
        }
    }

    /// A manager acknowledges the first break shown (a cashier asks a manager's PIN first).
    /// The chains are checked again at once: a later break is shown, and stops selling, in
    /// its turn.
    fn acknowledge_break(&mut self, approver: Option<StaffMember>) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let (Some(staff), Some(first)) = (&session.staff, session.chain_breaks.first()) else {
            return Task::none();
        };
        if GatedAct::AcknowledgeBreak.needs_approval(staff.role, 0) && approver.is_none() {
            return self.ask_approval(GatedAct::AcknowledgeBreak, Retry::AcknowledgeBreak);
        }
        let by = Actor {
            name: &staff.name,
            approver: approver.as_ref().map(|manager| manager.name.as_str()),
        };
        let now = Utc::now();
        let description = crate::i18n::chain_break_text(&first.chain_break, Lang::Vi);
        let acknowledged = session
            .store
            .acknowledge_chain_break(first.id, &description, by, now)
            .and_then(|()| session.store.verify_new_records(now))
            .and_then(|_| session.store.unacknowledged_breaks());
        session.receipt_notice = Some(match acknowledged {
            Ok(breaks) => {
                session.chain_breaks = breaks;
                Notice::BreakAcknowledged
            }
            Err(error) => Notice::from_store_error(&error),
        });
        self.focus_task()
    }

    /// "Mở két": the drawer's pulse sent to the receipt printer, audited as a no-sale
    /// opening with the manager who approved it for a cashier.
    fn open_drawer(&mut self, approver: Option<StaffMember>) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let Some(staff) = &session.staff else {
            return Task::none();
        };
        if GatedAct::OpenDrawer.needs_approval(staff.role, 0) && approver.is_none() {
            return self.ask_approval(GatedAct::OpenDrawer, Retry::OpenDrawer);
        }
        let opened = AuditChange {
            subject: "",
            before: "",
            after: "",
        };
        let by = Actor::of(staff, approver.as_ref());
        if let Err(error) =
            session
                .store
                .record_audit(by, AuditAct::OpenDrawer, &opened, Utc::now())
        {
            session.receipt_notice = Some(Notice::from_store_error(&error));
            return Task::none();
        }
        let shop = session.shop.clone();
        let pulse = off_ui_thread(move || open_drawer(&shop)).map(Message::DrawerDone);
        Task::batch([pulse, self.focus_task()])
    }

    /// The screen shown.
    pub fn tab(&self) -> Tab {
        self.session.as_ref().map_or(Tab::Checkout, |s| s.tab)
    }

    fn on_checkout(&self) -> bool {
        self.tab() == Tab::Checkout
    }

    fn show(&mut self, tab: Tab, approver: Option<StaffMember>) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        // The manager's screens: a cashier needs a manager's PIN to open them, and opening
        // one is audited as what it is.
        let gate = match tab {
            Tab::Checkout => None,
            Tab::Daily => Some((GatedAct::DailyClose, AuditAct::OpenDailyScreen)),
            Tab::Backups => Some((GatedAct::Settings, AuditAct::OpenBackupsScreen)),
            Tab::Audit => Some((GatedAct::Settings, AuditAct::OpenAuditLog)),
            Tab::Inventory => Some((GatedAct::Inventory, AuditAct::OpenInventoryScreen)),
            Tab::Settings => Some((GatedAct::Settings, AuditAct::OpenSettingsScreen)),
            Tab::Staff => Some((GatedAct::Settings, AuditAct::OpenStaffScreen)),
            Tab::Orders => None,
        };
        if let (Some((gate, act)), Some(staff)) = (gate, &session.staff) {
            if gate.needs_approval(staff.role, 0) && approver.is_none() {
                return self.ask_approval(gate, Retry::Show(tab));
            }
            let by = Actor {
                name: &staff.name,
                approver: approver.as_ref().map(|manager| manager.name.as_str()),
            };
            let opened = AuditChange {
                subject: "",
                before: "",
                after: "",
            };
            if let Err(error) = session.store.record_audit(by, act, &opened, Utc::now()) {
                session.receipt_notice = Some(Notice::from_store_error(&error));
                return Task::none();
            }
        }
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        session.screen_approver = approver;
        session.tab = tab;
        // What the last screen told (a receipt printed, say) is no news on the next one.
        session.receipt_notice = None;
        session.audit = match tab {
            Tab::Audit => match Audit::new(&session.store) {
                Ok(audit) => Some(audit),
                Err(error) => {
                    session.receipt_notice = Some(Notice::from_store_error(&error));
                    None
                }
            },
            _ => None,
        };
        session.settings = match tab {
            Tab::Settings => match Settings::new(&session.store) {
                Ok(settings) => Some(settings),
                Err(error) => {
                    session.receipt_notice = Some(Notice::from_store_error(&error));
                    None
                }
            },
            _ => None,
        };
        session.staff_screen = match tab {
            Tab::Staff => match Staff::new(&session.store) {
                Ok(staff) => Some(staff),
                Err(error) => {
                    session.receipt_notice = Some(Notice::from_store_error(&error));
                    None
                }
            },
            _ => None,
        };
        // The inventory screen is kept while other screens show: a delivery or a count being
        // entered survives a trip to the counter. Back on it, what it lists is read afresh.
        if tab == Tab::Inventory {
            let opened = match session.inventory.take() {
                // A failed re-read keeps what is being entered, with the lists as they were.
                Some(mut inventory) => {
                    if let Err(error) = inventory.catch_up(&session.store, Utc::now()) {
                        session.receipt_notice = Some(Notice::from_store_error(&error));
                    }
                    Ok(Some(inventory))
                }
                None => match std::mem::replace(&mut session.catalogue_prep, CataloguePrep::Idle) {
                    CataloguePrep::Ready(catalogue) => {
                        Inventory::prepared(&session.store, *catalogue).map(Some)
                    }
                    // Still being read: the screen says so and fills in when it is ready.
                    CataloguePrep::Asked(started) if started.load(AtomicOrdering::SeqCst) => {
                        session.catalogue_prep = CataloguePrep::Asked(started);
                        Ok(None)
                    }
                    CataloguePrep::Asked(_) | CataloguePrep::Idle => {
                        Inventory::new(&session.store).map(Some)
                    }
                },
            };
            session.inventory = opened.unwrap_or_else(|error| {
                session.receipt_notice = Some(Notice::from_store_error(&error));
                None
            });
        }
        if tab == Tab::Orders {
            let now = Utc::now();
            let opened = match session.orders.take() {
                Some(mut orders) => {
                    let panel = orders.panel();
                    let mut context = Context::new(
                        &mut session.store,
                        &session.shop,
                        session
                            .staff
                            .as_ref()
                            .expect("a screen is shown to someone"),
                        None,
                        session.limits,
                    );
                    orders.update(orders::Message::Show(panel), &mut context);
                    Ok(orders)
                }
                None => orders::Orders::new(&mut session.store, now),
            };
            session.orders = match opened {
                Ok(orders) => Some(orders),
                Err(error) => {
                    session.receipt_notice = Some(Notice::from_store_error(&error));
                    None
                }
            };
        }
        session.daily = match tab {
            Tab::Checkout
            | Tab::Backups
            | Tab::Audit
            | Tab::Inventory
            | Tab::Settings
            | Tab::Staff
            | Tab::Orders => None,
            Tab::Daily => {
                match Daily::new(&session.store, crate::core::clock::local_date(Utc::now())) {
                    Ok(daily) => Some(daily),
                    Err(error) => {
                        session.receipt_notice = Some(Notice::from_store_error(&error));
                        None
                    }
                }
            }
        };
        self.focus_task()
    }

    fn update_daily(&mut self, message: daily::Message) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        // Closing the day, once confirmed, sends the invoices first: the sender's thread tries
        // (each call under its time-out) while the window goes on, and the close follows.
        if matches!(message, daily::Message::CloseSession)
            && session
                .daily
                .as_ref()
                .is_some_and(|daily| daily.close_is_asked())
            && !session.closing_after_send
            && let Some(sender) = &session.sender
        {
            session.closing_after_send = true;
            session.receipt_notice = Some(Notice::Sending(SendNotice::BeforeClose));
            return sent_now(sender).map(Message::SentBeforeClose);
        }
        let Some((ManagerScreen::Daily(daily), mut context)) = session.manager_screen(Tab::Daily)
        else {
            return Task::none();
        };
        match daily.update(message, &mut context) {
            Action::None | Action::NeedsApproval(_) => Task::none(),
            Action::Produce(document) => {
                // A closed session is also the moment for a backup.
                let closed_session = matches!(document, Document::ZReport(_));
                let print = session.produce(document);
                if closed_session {
                    Task::batch([print, self.back_up_now()])
                } else {
                    print
                }
            }
        }
    }

    fn update_audit(&mut self, message: audit::Message) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let Some((ManagerScreen::Audit(audit), mut context)) = session.manager_screen(Tab::Audit)
        else {
            return Task::none();
        };
        match audit.update(message, &mut context) {
            Action::Produce(document) => session.produce(document),
            Action::None | Action::NeedsApproval(_) => Task::none(),
        }
    }

    fn update_settings(&mut self, message: settings::Message) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let Some((ManagerScreen::Settings(settings), mut context)) =
            session.manager_screen(Tab::Settings)
        else {
            return Task::none();
        };
        settings.update(message, &mut context);
        let (saved, make_real) = (settings.take_saved(), settings.take_make_real());
        let sending_changed = settings.take_sending_changed();
        let request = settings.take_request();
        let (by, approver) = (context.staff.clone(), context.approver.cloned());
        // A fix of the sending settings is tried at once (a refused invoice too).
        if sending_changed && let Some(sender) = &session.sender {
            sender.settings_changed();
        }
        if saved {
            // Receipts, discounts and backups follow the new settings at once.
            match (
                session.store.shop_settings(),
                session.store.cashier_limits(),
            ) {
                (Ok(shop), Ok(limits)) => {
                    session.shop = shop;
                    session.limits = limits;
                }
                (Err(error), _) | (_, Err(error)) => {
                    session.receipt_notice = Some(Notice::from_store_error(&error));
                }
            }
            self.backups.set_policy(backup_policy(&self.session));
        }
        if make_real {
            return self.make_real_store(&by, approver.as_ref());
        }
        match request {
            Some(settings::Request::OpenCustomerDisplay) => self.open_customer_display(),
            Some(settings::Request::TestPrint { printer, dots }) => {
                let Ok(session) = &mut self.session else {
                    return Task::none();
                };
                let shop = session
                    .shop
                    .with_field("printer", &printer)
                    .and_then(|shop| shop.with_field("printer_dots", &dots));
                let Ok(shop) = shop else {
                    session.receipt_notice =
                        Some(Notice::PrinterFailed(PrintFailure::BadSetting(printer)));
                    return Task::none();
                };
                let pdf = session.data_dir.join("reports").join("trang-in-thu.pdf");
                off_ui_thread(move || print_test_page(&shop, Utc::now(), &pdf))
                    .map(Message::TestPrintDone)
            }
            None => Task::none(),
        }
    }

    /// The demo store becomes an empty real store: the demo's database, documents and backups
    /// are kept aside in their own folder, a new store opens in their place (marked real,
    /// with the act in its audit log) and shows the first-run setup.
    fn make_real_store(
        &mut self,
        by: &StaffMember,
        approver: Option<&StaffMember>,
    ) -> Task<Message> {
        if self.backups.is_busy() {
            if let Ok(session) = &mut self.session {
                session.receipt_notice = Some(Notice::WaitForBackup);
            }
            return Task::none();
        }
        // The store must be closed before its file moves.
        self.session = Err(Unavailable::Restoring);
        let now = Utc::now();
        let kept = self.backups.set_demo_aside(now);
        if kept.is_ok() {
            // Never the demo again in this folder, whatever started the window.
            self.config.seed_demo = false;
        }
        self.session = open_session(&self.config).map_err(Unavailable::from);
        self.backups.set_policy(backup_policy(&self.session));
        self.start_sender();
        if let Ok(session) = &mut self.session {
            let actor = Actor::of(by, approver);
            session.receipt_notice = Some(match kept {
                Ok(folder) => {
                    let folder = folder.display().to_string();
                    match session.store.mark_real_store(actor, &folder, now) {
                        Ok(()) => Notice::DemoKeptAside(folder),
                        Err(error) => Notice::from_store_error(&error),
                    }
                }
                Err(notice) => notice,
            });
        }
        let first_backup = self
            .backups
            .start(self.session.is_ok(), now)
            .map(Message::Backups);
        Task::batch([first_backup, self.focus_task()])
    }

    fn update_staff(&mut self, message: staff::Message) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let Some((ManagerScreen::Staff(staff), mut context)) = session.manager_screen(Tab::Staff)
        else {
            return Task::none();
        };
        let typing = Staff::is_typing(&message);
        staff.update(message, &mut context);
        if typing {
            Task::none()
        } else {
            self.focus_task()
        }
    }

    /// The Orders screen acts for whoever is signed in; a cashier's act that needs a manager
    /// (cancelling, credit terms, erasing, over the credit limit) asks for a PIN and comes back
    /// here with the manager as `approver`. What a delivery took from stock reaches the counter.
    fn update_orders(
        &mut self,
        message: orders::Message,
        approver: Option<StaffMember>,
    ) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let (Some(staff), Some(screen)) = (&session.staff, &mut session.orders) else {
            return Task::none();
        };
        let typing = orders::Orders::is_typing(&message);
        let retry = message.clone();
        let mut context = Context::new(
            &mut session.store,
            &session.shop,
            staff,
            approver.as_ref(),
            session.limits,
        );
        let outcome = screen.update(message, &mut context);
        // An order taken, delivered or cancelled changes what the counter shows as reserved
        // (a keystroke in a field changes nothing).
        if !typing {
            match session.store.reserved_stock() {
                Ok(reserved) => session.checkout.set_reserved(reserved),
                Err(error) => session.receipt_notice = Some(Notice::from_store_error(&error)),
            }
        }
        let stock_changed = screen.take_stock_changed();
        if stock_changed {
            let now = Utc::now();
            if let Err(error) = session.checkout.read_catalogue(&session.store, now) {
                session.receipt_notice = Some(Notice::from_store_error(&error));
            }
        }
        let print = match outcome {
            orders::Outcome::Stay => Task::none(),
            orders::Outcome::Print(documents) => Task::batch(
                documents
                    .into_iter()
                    .map(|document| session.produce(document)),
            ),
            orders::Outcome::Approve(act) => return self.ask_approval(act, Retry::Orders(retry)),
        };
        if typing {
            print
        } else {
            Task::batch([print, self.focus_task()])
        }
    }

    fn update_setup(&mut self, message: setup::Message) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let Some(Gate::SetUp(setup)) = &mut session.gate else {
            return Task::none();
        };
        // A keystroke stays in its field: the form is focused once, when it shows.
        let Some(manager) = setup.update(message, &mut session.store, Utc::now()) else {
            return Task::none();
        };
        session.gate = None;
        session.receipt_notice = Some(Notice::StoreSetUp(manager.name.clone()));
        session.staff = Some(manager);
        match session.store.shop_settings() {
            Ok(shop) => session.shop = shop,
            Err(error) => session.receipt_notice = Some(Notice::from_store_error(&error)),
        }
        self.focus_task()
    }

    /// Once someone who may open the inventory screen without asking signs in: its catalogue
    /// is read and sorted on another thread, ready for the screen's first opening.
    fn prepare_catalogue(&mut self) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let may_open = session
            .staff
            .as_ref()
            .is_some_and(|staff| !GatedAct::Inventory.needs_approval(staff.role, 0));
        if !may_open
            || session.inventory.is_some()
            || !matches!(session.catalogue_prep, CataloguePrep::Idle)
        {
            return Task::none();
        }
        let started = Arc::new(AtomicBool::new(false));
        session.catalogue_prep = CataloguePrep::Asked(started.clone());
        let store_path = session.store.path().to_path_buf();
        Task::future(async move { started.store(true, AtomicOrdering::SeqCst) })
            .then(move |()| {
                let store_path = store_path.clone();
                off_ui_thread(move || inventory::Catalogue::prepare(&store_path))
            })
            .map(|prepared| Message::CataloguePrepared(inventory::PreparedCatalogue::new(prepared)))
    }

    /// The catalogue prepared on another thread: the screen opens on it if it is waiting,
    /// else it is kept for the first opening.
    fn catalogue_prepared(&mut self, prepared: inventory::PreparedCatalogue) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let asked = matches!(session.catalogue_prep, CataloguePrep::Asked(_));
        let Some(prepared) = prepared
            .take()
            .filter(|_| asked && session.inventory.is_none())
        else {
            return Task::none();
        };
        session.catalogue_prep = CataloguePrep::Idle;
        let waiting = session.tab == Tab::Inventory;
        let opened = match prepared {
            Ok(catalogue) if !waiting => {
                session.catalogue_prep = CataloguePrep::Ready(Box::new(catalogue));
                return Task::none();
            }
            // The first opening reads the catalogue itself.
            Err(_) if !waiting => return Task::none(),
            Ok(catalogue) => Inventory::prepared(&session.store, catalogue),
            Err(_) => Inventory::new(&session.store),
        };
        match opened {
            Ok(inventory) => session.inventory = Some(inventory),
            Err(error) => session.receipt_notice = Some(Notice::from_store_error(&error)),
        }
        self.focus_task()
    }

    fn update_inventory(&mut self, message: inventory::Message) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let Some((ManagerScreen::Inventory(inventory), mut context)) =
            session.manager_screen(Tab::Inventory)
        else {
            return Task::none();
        };
        let switched_panel = matches!(message, inventory::Message::Show(_));
        let action = inventory.update(message, &mut context);
        let import = inventory
            .take_csv_job()
            .map_or_else(Task::none, run_csv_job);
        let browse = if inventory.take_file_dialog() {
            Task::perform(pick_csv_file(), |path| {
                Message::Inventory(inventory::Message::Csv(inventory::CsvMessage::Picked(path)))
            })
        } else {
            Task::none()
        };
        let change = inventory.take_catalogue_change();
        let changed = change.is_some();
        let scroll = if inventory.take_scroll_reset() {
            operation::snap_to(inventory::LIST, operation::RelativeOffset::START)
        } else {
            Task::none()
        };
        // New products, prices and stock reach the counter at once: only those changed when
        // that is known.
        if let Some(change) = change {
            let now = Utc::now();
            let read = match change {
                inventory::CatalogueChange::Products(ids) => {
                    session.checkout.update_products(&session.store, now, &ids)
                }
                inventory::CatalogueChange::Everything => {
                    session.checkout.read_catalogue(&session.store, now)
                }
            };
            if let Err(error) = read {
                session.receipt_notice = Some(Notice::from_store_error(&error));
            }
        }
        let print = match action {
            Action::Produce(document) => session.produce(document),
            Action::None | Action::NeedsApproval(_) => Task::none(),
        };
        // After a post the next delivery or count starts at the scan field.
        let focus = if switched_panel || changed {
            self.focus_task()
        } else {
            Task::none()
        };
        Task::batch([scroll, print, focus, import, browse])
    }

    fn update_checkout(
        &mut self,
        message: checkout::Message,
        approver: Option<StaffMember>,
    ) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let Some(staff) = &session.staff else {
            return Task::none();
        };
        let refocus = !Checkout::is_typing(&message);
        let retry = message.clone();
        let mut context = Context::new(
            &mut session.store,
            &session.shop,
            staff,
            approver.as_ref(),
            session.limits,
        );
        let action = session.checkout.update(message, &mut context);
        session.receipt_notice = None;
        // A break found since this window started (by `ocop-pos verify`) refused the sale:
        // the band shows it, with the manager's button.
        if matches!(session.checkout.notice(), Some(Notice::ChainBroken(_)))
            && let Ok(breaks) = session.store.unacknowledged_breaks()
        {
            session.chain_breaks = breaks;
        }
        let print = match action {
            Action::None => Task::none(),
            Action::NeedsApproval(act) => return self.ask_approval(act, Retry::Checkout(retry)),
            Action::Produce(document) => session.produce(document),
        };
        if refocus {
            Task::batch([print, self.focus_task()])
        } else {
            print
        }
    }

    /// Shows the PIN pad for a manager's approval of `act`; `retry` is sent again once given.
    fn ask_approval(&mut self, act: GatedAct, retry: Retry) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        match PinPad::new(sign_in::Purpose::Approve(act), &session.store) {
            Ok(pad) => session.gate = Some(Gate::Approve(pad, retry)),
            Err(error) => session.receipt_notice = Some(Notice::from_store_error(&error)),
        }
        self.focus_task()
    }

    fn update_pad(&mut self, message: sign_in::Message) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let pad = match &mut session.gate {
            Some(Gate::SignIn(pad) | Gate::Approve(pad, _)) => pad,
            Some(Gate::SetUp(_)) | None => return Task::none(),
        };
        let typing = PinPad::is_typing(&message);
        let Some(member) = pad.update(message, &mut session.store, Utc::now()) else {
            return if typing {
                Task::none()
            } else {
                self.focus_task()
            };
        };
        match session.gate.take() {
            Some(Gate::Approve(_, Retry::Checkout(message))) => {
                let task = self.update_checkout(message, Some(member));
                Task::batch([task, self.focus_task()])
            }
            Some(Gate::Approve(_, Retry::Show(tab))) => self.show(tab, Some(member)),
            Some(Gate::Approve(_, Retry::Orders(message))) => {
                let task = self.update_orders(message, Some(member));
                Task::batch([task, self.focus_task()])
            }
            Some(Gate::Approve(_, Retry::AcknowledgeBreak)) => self.acknowledge_break(Some(member)),
            Some(Gate::Approve(_, Retry::OpenDrawer)) => self.open_drawer(Some(member)),
            Some(Gate::SignIn(_) | Gate::SetUp(_)) | None => {
                session.staff = Some(member);
                Task::batch([self.focus_task(), self.prepare_catalogue()])
            }
        }
    }

    /// Ctrl+L, or the idle time passed: the PIN pad covers the screen, nobody chosen (the
    /// next person picks their own name); the cart stays.
    fn lock(&mut self) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        if matches!(session.gate, Some(Gate::SetUp(_))) {
            return Task::none();
        }
        match PinPad::new(sign_in::Purpose::SignIn, &session.store) {
            Ok(pad) => session.gate = Some(Gate::SignIn(pad)),
            Err(error) => session.receipt_notice = Some(Notice::from_store_error(&error)),
        }
        session.screen_approver = None;
        session.hub_alerts_shown = None;
        session.daily = None;
        session.audit = None;
        session.settings = None;
        session.staff_screen = None;
        session.tab = Tab::Checkout;
        self.focus_task()
    }

    /// Locks once the idle time has passed; the task focuses the PIN field, so a PIN typed on
    /// the locked screen is not lost.
    fn lock_when_idle(&mut self, now: DateTime<Utc>) -> Task<Message> {
        let Ok(session) = &self.session else {
            return Task::none();
        };
        let idle = now - session.last_activity;
        // Unreadable settings lock sooner rather than never.
        let minutes = session.store.idle_lock_minutes().unwrap_or(1);
        if session.gate.is_none() && minutes > 0 && idle > chrono::Duration::minutes(minutes) {
            self.lock()
        } else {
            Task::none()
        }
    }

    fn focus_task(&self) -> Task<Message> {
        let gate = self.session.as_ref().ok().and_then(|s| s.gate.as_ref());
        let field = match (gate, self.tab()) {
            (Some(Gate::SetUp(_)), _) => return operation::focus(Setup::first_input()),
            (Some(Gate::SignIn(pad) | Gate::Approve(pad, _)), _) => Some(pad.focused_input()),
            (None, Tab::Settings) => None,
            (None, Tab::Staff) => self.staff_screen().map(Staff::focused_input),
            (None, Tab::Orders) => self.orders().and_then(orders::Orders::focused_input),
            (None, Tab::Daily) => Some(daily::DATE_INPUT),
            (None, Tab::Backups | Tab::Audit) => None,
            (None, Tab::Inventory) => self.inventory().and_then(Inventory::focused_input),
            (None, Tab::Checkout) => self.checkout().and_then(Checkout::focused_input),
        };
        match field {
            // A panel's field opens with a value to replace (the quantity, the basket's price,
            // the tender): focused with it all selected, typing replaces it.
            Some(checkout::PANEL_INPUT) => operation::focus(checkout::PANEL_INPUT)
                .chain(operation::select_all(checkout::PANEL_INPUT)),
            // A lookup that found nothing stays selected: the next scan replaces it.
            Some(checkout::SCAN_INPUT)
                if self.checkout().is_some_and(Checkout::scan_to_replace) =>
            {
                operation::focus(checkout::SCAN_INPUT)
                    .chain(operation::select_all(checkout::SCAN_INPUT))
            }
            Some(id) => operation::focus(id),
            None => Task::none(),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        Subscription::batch([
            event::listen_with(on_event),
            Subscription::run(clock),
            window::close_events().map(Message::WindowClosed),
        ])
    }

    pub fn view(&self) -> Element<'_, Message> {
        let session = match &self.session {
            Ok(session) => session,
            Err(why) => {
                return self
                    .backups
                    .unavailable_view(why, self.lang)
                    .map(Message::Backups);
            }
        };
        let local = self.now.with_timezone(&SHOP_TIME_ZONE);
        let signed_in = session.staff.is_some() && !matches!(session.gate, Some(Gate::SignIn(_)));
        let tabs = signed_in.then(|| {
            row![
                tab_button(
                    Label::Checkout.text(self.lang),
                    "Ctrl+1",
                    Tab::Checkout,
                    session.tab
                ),
                tab_button(
                    Label::Daily.text(self.lang),
                    "Ctrl+2",
                    Tab::Daily,
                    session.tab
                ),
                tab_button(
                    Label::BackupsTab.text(self.lang),
                    "Ctrl+3",
                    Tab::Backups,
                    session.tab
                ),
                tab_button(
                    Label::AuditTab.text(self.lang),
                    "Ctrl+4",
                    Tab::Audit,
                    session.tab
                ),
                tab_button(
                    Label::InventoryTitle.text(self.lang),
                    "Ctrl+5",
                    Tab::Inventory,
                    session.tab
                ),
                tab_button(
                    Label::SettingsTab.text(self.lang),
                    "Ctrl+6",
                    Tab::Settings,
                    session.tab
                ),
                tab_button(
                    Label::StaffTab.text(self.lang),
                    "Ctrl+7",
                    Tab::Staff,
                    session.tab
                ),
                tab_button(
                    crate::i18n::OrderLabel::Tab.text(self.lang),
                    "Ctrl+8",
                    Tab::Orders,
                    session.tab
                ),
                // The name is on the button that switches user.
                iced::widget::button(
                    text(format!(
                        "{} · {}",
                        session.staff.as_ref().map_or("", |s| s.name.as_str()),
                        Label::SwitchUser.text(self.lang)
                    ))
                    .font(theme::BOLD)
                    .size(theme::SMALL)
                    .wrapping(text::Wrapping::None)
                )
                .padding([4, 8])
                .style(iced::widget::button::secondary)
                .on_press(Message::Command(Command::SwitchUser)),
                iced::widget::button(
                    text(Label::OpenDrawer.text(self.lang))
                        .size(theme::SMALL)
                        .wrapping(text::Wrapping::None)
                )
                .padding([4, 8])
                .style(iced::widget::button::secondary)
                .on_press(Message::OpenDrawer),
            ]
            .spacing(2)
            .align_y(iced::Alignment::Center)
        });
        let top = container(
            row![
                // Signed in, the tabs need the room (the window's title names the shop);
                // one line, clipped: a long shop name must not make the bar taller.
                container(
                    text(if signed_in {
                        ""
                    } else {
                        session.shop.shop_name.as_str()
                    })
                    .font(theme::BOLD)
                    .size(theme::SMALL)
                    .wrapping(text::Wrapping::None)
                )
                .width(Fill)
                .clip(true),
                tabs,
                self.hub_status()
                    .map(|status| hub_light(&status, self.lang, self.now)),
                signed_in.then(|| self.hub_alerts_button()).flatten(),
                text(local.format("%H:%M").to_string())
                    .size(theme::SMALL)
                    .wrapping(text::Wrapping::None),
                iced::widget::button(
                    text(Label::LanguageSwitch.text(self.lang))
                        .size(theme::SMALL)
                        .wrapping(text::Wrapping::None)
                )
                .padding([4, 8])
                .style(iced::widget::button::secondary)
                .on_press(Message::Command(Command::Language)),
            ]
            .spacing(6)
            .align_y(iced::Alignment::Center),
        )
        .padding([6, 8])
        .width(Fill)
        .style(theme::top_bar);
        // A manager's screen tells in its own band: this one takes no room there unless it has
        // something to say (an error opening the screen, a print to try again).
        let receipt: Element<'_, Message> = match (&session.receipt_notice, session.has_own_band())
        {
            (None, true) => container(iced::widget::space().height(0)).into(),
            (notice, _) => notice_band(notice.as_ref(), self.lang, theme::SMALL),
        };
        // Beside a print failure, its retry; a row either way, so the widgets keep their state.
        let retry: Element<'_, Message> = match (&session.unprinted, &session.receipt_notice) {
            (Some(_), Some(Notice::PrintFailed { .. })) => {
                iced::widget::button(text(Label::PrintAgain.text(self.lang)).size(theme::SMALL))
                    .padding([4, 12])
                    .on_press(Message::PrintAgain)
                    .into()
            }
            _ => iced::widget::space().width(0).into(),
        };
        let receipt = column![
            row![receipt, retry].align_y(iced::Alignment::Center),
            self.chain_band(session, signed_in),
            self.unsent_band_view(session, signed_in)
        ];
        match &session.gate {
            Some(Gate::SignIn(pad)) => {
                return column![top, center(pad.view(self.lang).map(Message::Pad))].into();
            }
            Some(Gate::SetUp(setup)) => {
                return column![top, receipt, setup.view(self.lang).map(Message::Setup)].into();
            }
            _ => {}
        }
        let screen = match (
            session.tab,
            &session.daily,
            &session.audit,
            &session.inventory,
        ) {
            (Tab::Daily, Some(daily), ..) => daily.view(self.lang).map(Message::Daily),
            (Tab::Audit, _, Some(audit), _) => audit.view(self.lang).map(Message::Audit),
            (Tab::Backups, ..) => self.backups.view(self.lang).map(Message::Backups),
            (Tab::Inventory, .., Some(inventory)) => {
                inventory.view(self.lang).map(Message::Inventory)
            }
            (Tab::Inventory, .., None)
                if matches!(session.catalogue_prep, CataloguePrep::Asked(_)) =>
            {
                center(text(Label::InventoryLoading.text(self.lang)).style(theme::muted)).into()
            }
            _ => match (session.tab, &session.settings, &session.staff_screen) {
                (Tab::Settings, Some(settings), _) => {
                    settings.view(self.lang).map(Message::Settings)
                }
                (Tab::Staff, _, Some(staff)) => staff.view(self.lang).map(Message::Staff),
                _ if session.tab == Tab::Orders && session.orders.is_some() => session
                    .orders
                    .as_ref()
                    .map(|orders| orders.view(self.lang).map(Message::Orders))
                    .expect("checked just above"),
                _ => session.checkout.view(self.lang).map(Message::Checkout),
            },
        };
        let screen: Element<'_, Message> =
            match &session.gate {
                // The approval floats over the screen it is for; Esc takes it away.
                Some(Gate::Approve(pad, _)) => stack![
                    screen,
                    opaque(center(pad.view(self.lang).map(Message::Pad)).style(|_| {
                        container::background(iced::Color::from_rgba8(0, 0, 0, 0.45))
                    }))
                ]
                .into(),
                _ => match &session.hub_alerts_shown {
                    Some(alerts) => stack![
                        screen,
                        opaque(center(hub_alerts_list(alerts, self.lang)).style(|_| {
                            container::background(iced::Color::from_rgba8(0, 0, 0, 0.45))
                        }))
                    ]
                    .into(),
                    None => screen,
                },
            };
        column![top, receipt, screen].into()
    }
}

impl App {
    /// Beside the hub's light, for a manager when the hub has alerts for this store: how many
    /// are new, and the way to read them.
    fn hub_alerts_button(&self) -> Option<Element<'_, Message>> {
        if self.hub_alerts().is_empty() {
            return None;
        }
        let unseen = self.unseen_hub_alerts();
        let label = if unseen > 0 {
            format!("⚠ {unseen}")
        } else {
            "⚠".to_string()
        };
        Some(
            iced::widget::button(
                text(label)
                    .size(theme::SMALL)
                    .wrapping(text::Wrapping::None),
            )
            .padding([4, 8])
            // One width, new or seen, so the tabs beside it do not move when they are read.
            .width(56)
            .style(if unseen > 0 {
                iced::widget::button::danger
            } else {
                iced::widget::button::secondary
            })
            .on_press(Message::HubAlerts(true))
            .into(),
        )
    }

    /// The red band of the first break not acknowledged, with the manager's button; a
    /// container even when there is none, so the widgets after it keep their state.
    fn chain_band<'a>(&self, session: &'a Session, signed_in: bool) -> Element<'a, Message> {
        let Some(first) = session.chain_breaks.first().filter(|_| signed_in) else {
            return container(iced::widget::space().height(0)).into();
        };
        let more = session.chain_breaks.len() - 1;
        container(
            row![
                text(Notice::ChainBroken(Box::new(first.chain_break.clone())).text(self.lang))
                    .size(theme::SMALL)
                    .width(Fill),
                text(if more > 0 {
                    format!("+{more}")
                } else {
                    String::new()
                })
                .size(theme::SMALL),
                iced::widget::button(
                    text(Label::AcknowledgeBreak.text(self.lang)).size(theme::SMALL)
                )
                .style(iced::widget::button::danger)
                .on_press(Message::AcknowledgeBreak),
            ]
            .spacing(theme::SPACE)
            .align_y(iced::Alignment::Center),
        )
        .padding([6, 12])
        .width(Fill)
        .style(theme::notice(Level::Error))
        .into()
    }
}

impl App {
    /// The band of invoices not yet sent to the tax authority: how many, the oldest one's age,
    /// why (stopped at a refusal, the provider out of reach, none chosen), with a button to
    /// send now; red once a day's invoices are still unsent at 22:00. A container even when
    /// there is none, so the widgets after it keep their state.
    fn unsent_band_view<'a>(&self, session: &'a Session, signed_in: bool) -> Element<'a, Message> {
        let shown = band(&session.unsent, self.now).filter(|_| signed_in);
        let Some(band) = shown else {
            return container(iced::widget::space().height(0)).into();
        };
        let activity = session
            .sender
            .as_ref()
            .map(|sender| sender.state().activity)
            .unwrap_or_default();
        let level = if band.late || band.blocked.is_some() {
            Level::Error
        } else {
            Level::Warning
        };
        let button = session.sender.as_ref().map(|_| {
            iced::widget::button(text(Label::SendNow.text(self.lang)).size(theme::SMALL))
                .on_press(Message::SendNow)
        });
        container(
            row![
                text(band_text(&band, &activity, self.lang))
                    .size(theme::SMALL)
                    .width(Fill),
            ]
            .push(button)
            .spacing(theme::SPACE)
            .align_y(iced::Alignment::Center),
        )
        .padding([6, 12])
        .width(Fill)
        .style(theme::notice(level))
        .into()
    }
}

/// Asks the sender's thread to send now; the task brings back how it went (the window never
/// waits for it).
fn sent_now(sender: &Worker) -> Task<SendOutcome> {
    let (done, outcome) = oneshot::channel();
    sender.send_now(move |outcome| {
        let _ = done.send(outcome);
    });
    Task::perform(
        async move {
            outcome
                .await
                .unwrap_or_else(|_| SendOutcome::Failed("the sender stopped".into()))
        },
        |outcome| outcome,
    )
}

/// A day typed in a field, or the notice that it is not one.
pub fn typed_day(input: &str) -> Result<chrono::NaiveDate, Notice> {
    crate::core::clock::parse_typed_day(input).ok_or_else(|| Notice::NotADate(input.to_string()))
}

/// The band that tells what happened, in its colour. It is a container even when there is
/// nothing to tell: an absent child would shift the widgets after it, and they would lose
/// their state — the scan field its focus, so the next scan's keys would go nowhere. Empty,
/// it keeps the height of a one-line notice, so a notice appearing moves no button under it.
pub fn notice_band<'a, M: 'a>(notice: Option<&Notice>, lang: Lang, size: f32) -> Element<'a, M> {
    match notice {
        Some(notice) => container(text(notice.text(lang)).size(size))
            .padding([6, 12])
            .width(Fill)
            .style(theme::notice(notice.level())),
        None => container(text(" ").size(size)).padding([6, 12]).width(Fill),
    }
    .into()
}

/// A tab of the top bar, highlighted when it is the screen shown.
fn tab_button<'a>(label: &'a str, shortcut: &'a str, tab: Tab, shown: Tab) -> Element<'a, Message> {
    let active = tab == shown;
    // The shortcut under the name, smaller: eight tabs, the user and the language still fit
    // one 1366 px bar.
    iced::widget::button(
        column![
            text(label)
                .font(theme::BOLD)
                .size(theme::SMALL)
                .wrapping(text::Wrapping::None),
            text(shortcut).size(theme::TINY),
        ]
        .align_x(iced::Alignment::Center),
    )
    .padding([2, 6])
    .style(move |theme, status| theme::tab(theme, status, active))
    .on_press(Message::Show(tab))
    .into()
}

/// The store's backup settings; the defaults while no store is open (or the settings are
/// unreadable: backups matter more than the exact count kept).
fn backup_policy(session: &Result<Session, Unavailable>) -> crate::store::backup::BackupPolicy {
    session
        .as_ref()
        .ok()
        .and_then(|session| session.store.backup_policy().ok())
        .unwrap_or_default()
}

fn open_session(config: &Config) -> Result<Session, crate::store::StoreError> {
    let mut store = config.open_store()?;
    // Read after opening: a first start seeds prices effective from that moment.
    let now = Utc::now();
    let shop = store.shop_settings()?;
    let limits = store.cashier_limits()?;
    // Nobody on the staff yet: a new real store, set up before anything else.
    let gate = if store.staff()?.is_empty() {
        Gate::SetUp(Setup::default())
    } else {
        Gate::SignIn(PinPad::new(sign_in::Purpose::SignIn, &store)?)
    };
    // What was added to the hash chains since they were last verified (a full check is
    // `ocop-pos verify`): a break found stops selling until a manager acknowledges it.
    store.verify_new_records(now)?;
    let chain_breaks = store.unacknowledged_breaks()?;
    let cart = store.load_open_cart()?;
    let mut checkout = Checkout::open(&store, now, cart)?;
    checkout.set_reserved(store.reserved_stock()?);
    checkout.set_sold_lately(store.sold_lately(now)?);
    Ok(Session {
        store,
        shop,
        staff: None,
        gate: Some(gate),
        screen_approver: None,
        tab: Tab::Checkout,
        last_activity: now,
        limits,
        data_dir: config.data_dir.clone(),
        checkout,
        daily: None,
        audit: None,
        inventory: None,
        catalogue_prep: CataloguePrep::Idle,
        settings: None,
        staff_screen: None,
        orders: None,
        receipt_notice: None,
        unprinted: None,
        chain_breaks,
        sender: None,
        hub_sync: None,
        hub_alerts_shown: None,
        hub_alerts_seen: 0,
        unsent: QueueSummary::default(),
        closing_after_send: false,
    })
}

/// Keys become commands whether or not a field has focus (F-keys and Esc are never typing).
fn on_event(event: Event, status: event::Status, _window: window::Id) -> Option<Message> {
    let Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }) = event else {
        return None;
    };
    keys::shortcut(&key, modifiers, status == event::Status::Captured).map(Message::Command)
}

/// How producing a document went: the file first, then the printer.
#[derive(Debug, Clone)]
pub enum DocumentOutcome {
    Printed(PathBuf),
    Saved(PathBuf),
    /// Saved, but the printer did not print it: the document is kept to print again.
    NotPrinted(PathBuf, PrintFailure, Box<Document>),
    NotSaved(String),
}

impl DocumentOutcome {
    fn notice(&self) -> Notice {
        let shown = |path: &PathBuf| path.display().to_string();
        match self {
            DocumentOutcome::Printed(path) => Notice::DocumentPrinted(shown(path)),
            DocumentOutcome::Saved(path) => Notice::DocumentSaved(shown(path)),
            DocumentOutcome::NotPrinted(path, failure, _) => Notice::PrintFailed {
                path: shown(path),
                failure: failure.clone(),
            },
            DocumentOutcome::NotSaved(error) => Notice::DocumentFailed(error.clone()),
        }
    }
}

/// Writes a document (and prints it if it is printable) on a worker thread: the counter never
/// waits for a disk or a printer. Documents are built from committed records only.
fn produce(document: Document, data_dir: PathBuf, shop: ShopSettings) -> Task<Message> {
    off_ui_thread(move || match document.write(&data_dir, &shop, None) {
        Err(error) => DocumentOutcome::NotSaved(error.to_string()),
        Ok(path) if !document.is_printable() => DocumentOutcome::Saved(path),
        Ok(path) => print_outcome(document, &shop, path),
    })
    .map(Message::DocumentDone)
}

/// Prints a saved document where the settings say, and tells how it went.
fn print_outcome(document: Document, shop: &ShopSettings, path: PathBuf) -> DocumentOutcome {
    match print_document(&document, shop, &path) {
        Ok(()) => DocumentOutcome::Printed(path),
        Err(failure) => DocumentOutcome::NotPrinted(path, failure, Box::new(document)),
    }
}

/// Runs `work` on a thread of its own and gives its result. The thread starts when the task
/// first runs, not when it is made: a test that drops the task does nothing.
fn off_ui_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Task<T> {
    Task::future(async move {
        let (done, result) = oneshot::channel();
        std::thread::spawn(move || {
            let _ = done.send(work());
        });
        result.await
    })
    // A thread that panicked gives nothing: there is nothing to tell beyond what it printed.
    .then(|result| match result {
        Ok(value) => Task::done(value),
        Err(_) => Task::none(),
    })
}

/// The system's file dialog (through the desktop portal), for a CSV file; None when closed
/// without a choice or when the desktop offers no dialog (the typed path still works).
async fn pick_csv_file() -> Option<String> {
    rfd::AsyncFileDialog::new()
        .add_filter("CSV", &["csv"])
        .pick_file()
        .await
        .map(|file| file.path().display().to_string())
}

/// Runs a CSV check or import on a thread of its own (and its own connection to the store),
/// its progress and its end sent back to the CSV panel; the window stays responsive meanwhile.
/// The thread starts when the runtime first polls the task; the channel holds a few messages,
/// so the job never runs far ahead of the panel (a Stop pressed on seeing the bar move stops
/// it within a few steps).
fn run_csv_job(job: inventory::CsvJob) -> Task<Message> {
    use iced::futures::SinkExt;
    let csv = |message| Message::Inventory(inventory::Message::Csv(message));
    Task::run(
        iced::stream::channel(1, async move |mut sender| {
            std::thread::spawn(move || {
                let mut send = |message| {
                    // The window gone, nobody listens: the job runs on to its end regardless.
                    let _ = iced::futures::executor::block_on(sender.send(csv(message)));
                };
                // A hundred steps: enough to move the bar, not enough to flood the window.
                let result = job.run(&mut |done, rows| {
                    if done == rows || done.is_multiple_of((rows / 100).max(1)) {
                        send(inventory::CsvMessage::Progress(done, rows));
                    }
                });
                send(inventory::CsvMessage::Finished(result));
            });
        }),
        |message| message,
    )
}

/// The top bar's clock: a tick every few seconds from a small thread.
fn clock() -> mpsc::Receiver<Message> {
    let (mut sender, receiver) = mpsc::channel(1);
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(5));
            if let Err(error) = sender.try_send(Message::Tick(Utc::now()))
                && error.is_disconnected()
            {
                break;
            }
        }
    });
    receiver
}

/// Runs the window until it is closed, with the customer display beside it when asked
/// (`--customer-display`; the Settings screen opens it too). The cart is saved on every
/// change, so closing the window (or losing power) never loses it.
pub fn run(config: Config, customer_display: bool) -> iced::Result {
    // A daemon, not an application: it has more than one window; closing the counter's ends it.
    iced::daemon(
        move || {
            let (mut app, started) = App::boot(&config);
            let (id, open) = window::open(window::Settings {
                size: iced::Size::new(1366.0, 768.0),
                ..window::Settings::default()
            });
            app.main_window = Some(id);
            let display = if customer_display {
                app.open_customer_display()
            } else {
                Task::none()
            };
            (app, Task::batch([open.discard(), started, display]))
        },
        App::update,
        App::window_view,
    )
    .title(App::window_title)
    .theme(|app: &App, _| Some(app.theme()))
    .subscription(App::subscription)
    .font(theme::REGULAR)
    .font(theme::BOLD_BYTES)
    .default_font(theme::FONT)
    .run()
}

/// The sync worker of the store's hub, when `hub_url` names one, on a connection of its own
/// that its thread opens (a store it cannot open shows as offline, with the reason).
fn start_hub_sync(store: &Store) -> Option<SyncWorker> {
    let url = store.setting(HUB_URL_SETTING).ok().flatten()?;
    if url.trim().is_empty() {
        return None;
    }
    let identity = store.node_identity().ok()?;
    Some(SyncWorker::spawn(
        url,
        identity.store.clone(),
        identity.origin(),
        StoreOpenedBySync::new(store.path().to_path_buf()),
        SyncTiming::default(),
    ))
}

/// The top bar's light for the province hub: a coloured dot, and while the hub is away or
/// refuses this counter, what waits or why (the whole of it on hovering).
fn hub_light<'a>(status: &SyncStatus, lang: Lang, now: DateTime<Utc>) -> Element<'a, Message> {
    let at = |time: &DateTime<Utc>| time.with_timezone(&SHOP_TIME_ZONE).format("%H:%M");
    let vi = lang == Lang::Vi;
    let (colour, short, whole) = match status {
        SyncStatus::Starting => (
            Color::from_rgb8(0xd1, 0xd5, 0xdb),
            String::new(),
            if vi {
                "Đang kết nối máy chủ tỉnh…".to_string()
            } else {
                "Connecting to the hub…".to_string()
            },
        ),
        SyncStatus::Online { at: synced } => (
            Color::from_rgb8(0x4a, 0xde, 0x80),
            String::new(),
            if vi {
                format!("Máy chủ tỉnh: đã đồng bộ lúc {}", at(synced))
            } else {
                format!("Hub: in sync at {}", at(synced))
            },
        ),
        SyncStatus::Offline { since, unsent, why } => {
            let minutes = (now - *since).num_minutes().max(0);
            (
                Color::from_rgb8(0xfb, 0xbf, 0x24),
                if vi {
                    format!("{unsent} chờ gửi")
                } else {
                    format!("{unsent} unsent")
                },
                if vi {
                    format!(
                        "Mất kết nối máy chủ tỉnh từ {} ({minutes} phút) · {unsent} chứng từ chờ gửi · vẫn bán bình thường\n{why}",
                        at(since)
                    )
                } else {
                    format!(
                        "Hub offline since {} ({minutes} min) · {unsent} documents waiting · selling goes on\n{why}",
                        at(since)
                    )
                },
            )
        }
        SyncStatus::Blocked { why } => (
            Color::from_rgb8(0xf8, 0x71, 0x71),
            if vi {
                "bị chặn".to_string()
            } else {
                "blocked".to_string()
            },
            if vi {
                format!("Máy chủ tỉnh từ chối máy này (cần quản lý xử lý): {why}")
            } else {
                format!("The hub refuses this counter (a manager must sort it out): {why}")
            },
        ),
    };
    let light = row![
        text("●").size(theme::TEXT).color(colour),
        text(short).size(theme::TINY).wrapping(text::Wrapping::None),
    ]
    .spacing(2)
    .align_y(iced::Alignment::Center);
    iced::widget::tooltip(
        light,
        container(text(whole).size(theme::SMALL))
            .padding(6)
            .style(container::rounded_box),
        iced::widget::tooltip::Position::Bottom,
    )
    .into()
}

/// The hub's alerts for this store, newest first, floating over the screen until closed.
fn hub_alerts_list<'a>(alerts: &'a [(Alert, Option<String>)], lang: Lang) -> Element<'a, Message> {
    let vi = lang == Lang::Vi;
    let rows = alerts.iter().map(|(alert, product)| {
        let about = product
            .as_deref()
            .or(alert.subject.as_deref())
            .unwrap_or("");
        let node = alert.node().unwrap_or("");
        column![
            row![
                text(
                    alert
                        .raised_at
                        .with_timezone(&SHOP_TIME_ZONE)
                        .format("%d/%m %H:%M")
                        .to_string()
                )
                .size(theme::SMALL)
                .style(theme::muted),
                text(alert.what(lang)).size(theme::SMALL).font(theme::BOLD),
                text(if node.is_empty() {
                    String::new()
                } else if vi {
                    format!("máy {node}")
                } else {
                    format!("node {node}")
                })
                .size(theme::SMALL),
            ]
            .spacing(10),
            text(format!("{about}  {}", alert.describe(lang))).size(theme::SMALL),
        ]
        .spacing(2)
        .into()
    });
    container(
        column![
            text(if vi {
                "Cảnh báo từ máy chủ tỉnh"
            } else {
                "Alerts from the province hub"
            })
            .size(theme::TEXT)
            .font(theme::BOLD),
            iced::widget::scrollable(column(rows).spacing(8)).height(iced::Length::Shrink),
            iced::widget::button(text(if vi { "Đóng (Esc)" } else { "Close (Esc)" }))
                .style(iced::widget::button::secondary)
                .on_press(Message::HubAlerts(false)),
        ]
        .spacing(12),
    )
    .padding(16)
    .max_width(720)
    .max_height(560)
    .style(container::rounded_box)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_notice_band_still_takes_its_place_in_a_column() {
        // A void child is dropped by `column!`, shifting (and resetting) the widgets after it.
        let empty: Element<'_, ()> = notice_band(None, Lang::Vi, theme::TEXT);
        assert!(!empty.as_widget().size_hint().is_void());
        let absent: Element<'_, ()> = Option::<Element<'_, ()>>::None.into();
        assert!(absent.as_widget().size_hint().is_void());
    }
}
