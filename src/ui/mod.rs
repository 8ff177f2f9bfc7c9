//! The window: a top bar and the screens. The only code that knows iced.

pub mod backups;
pub mod checkout;
pub mod daily;
pub mod invoice_form;
pub mod keys;
pub mod theme;

use crate::config::{CASHIER_SETTING, Config};
use crate::core::clock::SHOP_TIME_ZONE;
use crate::core::settings::ShopSettings;
use crate::documents::{Document, send_to_printer};
use crate::i18n::{Label, Lang, Notice};
use crate::lock::DataLock;
use crate::store::Store;
use backups::{Backups, Unavailable};
use checkout::Checkout;
use daily::Daily;
use chrono::{DateTime, Utc};
use iced::futures::channel::{mpsc, oneshot};
use iced::widget::{column, container, operation, row, text};
use iced::{Element, Event, Fill, Subscription, Task, Theme, event, keyboard, window};
use keys::Command;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Settings key of the language the counter was last used in.
const LANGUAGE_SETTING: &str = "ui.lang";

/// What a screen needs from outside itself to act on a message.
pub struct Context<'a> {
    pub store: &'a mut Store,
    pub shop: &'a ShopSettings,
    pub cashier: &'a str,
    pub now: DateTime<Utc>,
}

/// What a screen asks its parent to do after an update.
#[derive(Debug)]
pub enum Action {
    None,
    /// Write (and print, if printable) a document built from committed records.
    Produce(Document),
}

/// The screens, as the top bar's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Checkout,
    Daily,
}

#[derive(Debug, Clone)]
pub enum Message {
    Show(Tab),
    Checkout(checkout::Message),
    Daily(daily::Message),
    Command(Command),
    Tick(DateTime<Utc>),
    Backups(backups::Message),
    DocumentDone(DocumentOutcome),
}

/// The open store and everything the counter works with.
struct Session {
    store: Store,
    shop: ShopSettings,
    cashier: String,
    data_dir: PathBuf,
    checkout: Checkout,
    /// The daily screen while it is shown; built afresh each time it opens.
    daily: Option<Daily>,
    receipt_notice: Option<Notice>,
}

pub struct App {
    lang: Lang,
    now: DateTime<Utc>,
    config: Config,
    session: Result<Session, Unavailable>,
    backups: Backups,
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
        }
    }

    pub fn boot(config: &Config) -> (App, Task<Message>) {
        let mut app = App::new(config);
        let backups = app
            .backups
            .start(app.session.is_ok(), Utc::now())
            .map(Message::Backups);
        let focus = app.focus_task();
        (app, Task::batch([focus, backups]))
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
        match self.backups.update(message) {
            backups::Action::None => Task::none(),
            backups::Action::Run(task) => task.map(Message::Backups),
            backups::Action::CloseStoreAndRestore(backup) => {
                // Dropping the session closes the store: its file is about to be replaced.
                self.session = Err(Unavailable::Restoring);
                self.backups
                    .restore(backup, Utc::now())
                    .map(Message::Backups)
            }
            backups::Action::ReopenStore => {
                self.session = open_session(&self.config).map_err(Unavailable::from);
                self.backups.set_policy(backup_policy(&self.session));
                self.focus_task()
            }
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

    /// The checkout screen, when the store opened.
    pub fn checkout(&self) -> Option<&Checkout> {
        self.session.as_ref().ok().map(|s| &s.checkout)
    }

    pub fn store(&self) -> Option<&Store> {
        self.session.as_ref().ok().map(|s| &s.store)
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Tick(now) => {
                self.now = now;
                if self.session.is_ok() {
                    self.backups.tick(now).map(Message::Backups)
                } else {
                    Task::none()
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
            Message::Command(Command::Show(tab)) | Message::Show(tab) => self.show(tab),
            Message::Command(Command::NextField) => operation::focus_next(),
            Message::Command(Command::PreviousField) => operation::focus_previous(),
            Message::Command(command) if self.daily().is_none() => {
                self.update_checkout(checkout::Message::Command(command))
            }
            Message::Command(_) => Task::none(),
            Message::Checkout(message) => self.update_checkout(message),
            Message::Daily(message) => self.update_daily(message),
            Message::DocumentDone(outcome) => {
                if let Ok(session) = &mut self.session {
                    session.receipt_notice = Some(outcome.notice());
                }
                Task::none()
            }
        }
    }

    fn show(&mut self, tab: Tab) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        session.daily = match tab {
            Tab::Checkout => None,
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
        let Some(daily) = &mut session.daily else {
            return Task::none();
        };
        let mut context = Context {
            store: &mut session.store,
            shop: &session.shop,
            cashier: &session.cashier,
            now: Utc::now(),
        };
        match daily.update(message, &mut context) {
            Action::None => Task::none(),
            Action::Produce(document) => {
                produce(document, session.data_dir.clone(), session.shop.clone())
            }
        }
    }

    fn update_checkout(&mut self, message: checkout::Message) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let refocus = !Checkout::is_typing(&message);
        let mut context = Context {
            store: &mut session.store,
            shop: &session.shop,
            cashier: &session.cashier,
            now: Utc::now(),
        };
        let action = session.checkout.update(message, &mut context);
        session.receipt_notice = None;
        let print = match action {
            Action::None => Task::none(),
            Action::Produce(document) => {
                produce(document, session.data_dir.clone(), session.shop.clone())
            }
        };
        if refocus {
            Task::batch([print, self.focus_task()])
        } else {
            print
        }
    }

    fn focus_task(&self) -> Task<Message> {
        let field = match self.daily() {
            Some(_) => Some(daily::DATE_INPUT),
            None => self.checkout().and_then(Checkout::focused_input),
        };
        match field {
            Some(id) => operation::focus(id),
            None => Task::none(),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        Subscription::batch([event::listen_with(on_event), Subscription::run(clock)])
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
        let top = container(
            row![
                text(&session.shop.shop_name)
                    .font(theme::BOLD)
                    .size(theme::SMALL)
                    .width(Fill),
                tab_button(Label::Checkout.text(self.lang), "Ctrl+1", Tab::Checkout, session.daily.is_none()),
                tab_button(Label::Daily.text(self.lang), "Ctrl+2", Tab::Daily, session.daily.is_some()),
                text(format!(
                    "{}: {}",
                    Label::Cashier.text(self.lang),
                    session.cashier
                )),
                text(local.format("%d/%m/%Y %H:%M").to_string()),
                iced::widget::button(
                    text(Label::LanguageSwitch.text(self.lang)).size(theme::SMALL)
                )
                .style(iced::widget::button::secondary)
                .on_press(Message::Command(Command::Language)),
            ]
            .spacing(theme::SPACE * 2.0)
            .align_y(iced::Alignment::Center),
        )
        .padding([6, 12])
        .width(Fill)
        .style(theme::top_bar);
        let receipt = notice_band(session.receipt_notice.as_ref(), self.lang, theme::SMALL);
        let screen = match &session.daily {
            Some(daily) => daily.view(self.lang).map(Message::Daily),
            None => session.checkout.view(self.lang).map(Message::Checkout),
        };
        column![top, receipt, screen].into()
    }
}

/// The band that tells what happened, in its colour. It is a container even when there is
/// nothing to tell: an absent child would shift the widgets after it, and they would lose
/// their state — the scan field its focus, so the next scan's keys would go nowhere.
pub fn notice_band<'a, M: 'a>(notice: Option<&Notice>, lang: Lang, size: f32) -> Element<'a, M> {
    match notice {
        Some(notice) => container(text(notice.text(lang)).size(size))
            .padding([6, 12])
            .width(Fill)
            .style(theme::notice(notice.level())),
        None => container(iced::widget::space().height(0)),
    }
    .into()
}

/// A tab of the top bar, highlighted when it is the screen shown.
fn tab_button<'a>(label: &'a str, shortcut: &'a str, tab: Tab, active: bool) -> Element<'a, Message> {
    iced::widget::button(text(format!("{label} ({shortcut})")).font(theme::BOLD))
        .padding([4, 12])
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
    let (store, check) = config.open_store_checking_meanwhile()?;
    // Read after opening: a first start seeds prices effective from that moment.
    let now = Utc::now();
    let shop = store.shop_settings()?;
    let cashier = store
        .setting(CASHIER_SETTING)?
        .unwrap_or_else(|| Label::Cashier.text(Lang::Vi).to_string());
    let catalogue = store.catalogue(now)?;
    let cart = store.load_open_cart()?;
    let packs = store.gift_packs(now)?;
    let checkout = Checkout::new(catalogue, packs, cart);
    // Nothing is sold from a file that failed its check.
    check.verdict()?;
    Ok(Session {
        store,
        shop,
        cashier,
        data_dir: config.data_dir.clone(),
        checkout,
        daily: None,
        receipt_notice: None,
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
    SavedNotPrinted(PathBuf, String),
    NotSaved(String),
}

impl DocumentOutcome {
    fn notice(&self) -> Notice {
        let shown = |path: &PathBuf| path.display().to_string();
        match self {
            DocumentOutcome::Printed(path) => Notice::DocumentPrinted(shown(path)),
            DocumentOutcome::Saved(path) => Notice::DocumentSaved(shown(path)),
            DocumentOutcome::SavedNotPrinted(path, error) => Notice::DocumentNotPrinted {
                path: shown(path),
                error: error.clone(),
            },
            DocumentOutcome::NotSaved(error) => Notice::DocumentFailed(error.clone()),
        }
    }
}

/// Writes a document (and prints it if it is printable) on a worker thread: the counter never
/// waits for a disk or a printer. Documents are built from committed records only.
fn produce(document: Document, data_dir: PathBuf, shop: ShopSettings) -> Task<Message> {
    // The thread starts when the task first runs, not when it is made: a test that drops the
    // task writes and prints nothing.
    Task::perform(
        async move {
            let (done, result) = oneshot::channel();
            std::thread::spawn(move || {
                let outcome = match document.write(&data_dir, &shop, None) {
                    Err(error) => DocumentOutcome::NotSaved(error.to_string()),
                    Ok(path) if !document.is_printable() => DocumentOutcome::Saved(path),
                    Ok(path) => match send_to_printer(&shop.print_command, &path) {
                        Ok(()) => DocumentOutcome::Printed(path),
                        Err(error) => DocumentOutcome::SavedNotPrinted(path, error.to_string()),
                    },
                };
                let _ = done.send(outcome);
            });
            result
                .await
                .unwrap_or_else(|_| DocumentOutcome::NotSaved("the writing thread stopped".into()))
        },
        Message::DocumentDone,
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

/// Runs the window until it is closed. The cart is saved on every change, so closing the
/// window (or losing power) never loses it.
pub fn run(config: Config) -> iced::Result {
    iced::application(move || App::boot(&config), App::update, App::view)
        .title(App::title)
        .theme(App::theme)
        .subscription(App::subscription)
        .font(theme::REGULAR)
        .font(theme::BOLD_BYTES)
        .default_font(theme::FONT)
        .window_size((1366.0, 768.0))
        .run()
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
