//! The window: a top bar and the screens. The only code that knows iced.

pub mod checkout;
pub mod keys;
pub mod theme;

use crate::config::{CASHIER_SETTING, Config};
use crate::core::clock::SHOP_TIME_ZONE;
use crate::core::sale::SaleRecord;
use crate::core::settings::ShopSettings;
use crate::documents::{send_to_printer, write_receipt};
use crate::i18n::{Label, Lang, Notice};
use crate::store::Store;
use checkout::{Checkout, Counter};
use chrono::{DateTime, Utc};
use iced::futures::channel::{mpsc, oneshot};
use iced::widget::{center, column, container, operation, row, space, text};
use iced::{Element, Event, Fill, Subscription, Task, Theme, event, keyboard, window};
use keys::Command;
use std::path::PathBuf;
use std::time::Duration;

/// Settings key of the language the counter was last used in.
const LANGUAGE_SETTING: &str = "ui.lang";

#[derive(Debug, Clone)]
pub enum Message {
    Checkout(checkout::Message),
    Command(Command),
    Tick(DateTime<Utc>),
    ReceiptDone(ReceiptOutcome),
}

/// The open store and everything the counter works with.
struct Session {
    store: Store,
    shop: ShopSettings,
    cashier: String,
    data_dir: PathBuf,
    checkout: Checkout,
    receipt_notice: Option<Notice>,
}

pub struct App {
    lang: Lang,
    now: DateTime<Utc>,
    session: Result<Session, String>,
}

impl App {
    /// Opens the store of the configured data folder and the checkout on it. A store that
    /// cannot be opened gives a window that says why, instead of a silent exit.
    pub fn new(config: &Config) -> App {
        let session = open_session(config);
        let lang = session
            .as_ref()
            .ok()
            .and_then(|s| s.store.setting(LANGUAGE_SETTING).ok().flatten())
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default();
        App {
            lang,
            now: Utc::now(),
            session: session.map_err(|e| e.to_string()),
        }
    }

    pub fn boot(config: &Config) -> (App, Task<Message>) {
        let app = App::new(config);
        let focus = app.focus_task();
        (app, focus)
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
                Task::none()
            }
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
            Message::Command(command) => self.update_checkout(checkout::Message::Command(command)),
            Message::Checkout(message) => self.update_checkout(message),
            Message::ReceiptDone(outcome) => {
                if let Ok(session) = &mut self.session {
                    session.receipt_notice = Some(outcome.notice());
                }
                Task::none()
            }
        }
    }

    fn update_checkout(&mut self, message: checkout::Message) -> Task<Message> {
        let Ok(session) = &mut self.session else {
            return Task::none();
        };
        let refocus = !Checkout::is_typing(&message);
        let mut counter = Counter {
            store: &mut session.store,
            shop: &session.shop,
            cashier: &session.cashier,
            now: Utc::now(),
        };
        let action = session.checkout.update(message, &mut counter);
        session.receipt_notice = None;
        let print = match action {
            checkout::Action::None => Task::none(),
            checkout::Action::PrintReceipt { sale, copy } => {
                print_receipt(session.data_dir.clone(), session.shop.clone(), *sale, copy)
            }
        };
        if refocus {
            Task::batch([print, self.focus_task()])
        } else {
            print
        }
    }

    fn focus_task(&self) -> Task<Message> {
        match self.checkout().and_then(Checkout::focused_input) {
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
            Err(error) => {
                return center(
                    column![
                        text(Label::StartupFailed.text(self.lang))
                            .size(theme::HEADING)
                            .font(theme::BOLD),
                        text(error.as_str()),
                    ]
                    .spacing(theme::SPACE),
                )
                .into();
            }
        };
        let local = self.now.with_timezone(&SHOP_TIME_ZONE);
        let top = container(
            row![
                text(&session.shop.shop_name)
                    .font(theme::BOLD)
                    .size(theme::TEXT),
                container(text(Label::Checkout.text(self.lang)).font(theme::BOLD))
                    .padding([4, 12])
                    .style(|_| container::background(iced::Color::from_rgba8(255, 255, 255, 0.2))),
                space::horizontal(),
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
        let receipt = session.receipt_notice.as_ref().map(|notice| {
            container(text(notice.text(self.lang)).size(theme::SMALL))
                .padding([4, 12])
                .width(Fill)
                .style(theme::notice(notice.level()))
        });
        column![
            top,
            receipt,
            session.checkout.view(self.lang).map(Message::Checkout)
        ]
        .into()
    }
}

fn open_session(config: &Config) -> Result<Session, crate::store::StoreError> {
    let store = config.open_store()?;
    // Read after opening: a first start seeds prices effective from that moment.
    let now = Utc::now();
    let shop = store.shop_settings()?;
    let cashier = store
        .setting(CASHIER_SETTING)?
        .unwrap_or_else(|| Label::Cashier.text(Lang::Vi).to_string());
    let catalogue = store.catalogue(now)?;
    let cart = store.load_open_cart()?;
    Ok(Session {
        store,
        shop,
        cashier,
        data_dir: config.data_dir.clone(),
        checkout: Checkout::new(catalogue, cart),
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

/// How producing a receipt went: the file first, then the printer.
#[derive(Debug, Clone)]
pub enum ReceiptOutcome {
    Printed(PathBuf),
    SavedNotPrinted(PathBuf, String),
    NotSaved(String),
}

impl ReceiptOutcome {
    fn notice(&self) -> Notice {
        match self {
            ReceiptOutcome::Printed(path) => Notice::ReceiptPrinted(path.display().to_string()),
            ReceiptOutcome::SavedNotPrinted(path, error) => Notice::ReceiptNotPrinted {
                path: path.display().to_string(),
                error: error.clone(),
            },
            ReceiptOutcome::NotSaved(error) => Notice::ReceiptFailed(error.clone()),
        }
    }
}

/// Writes and prints the receipt on a worker thread: the counter never waits for a disk or a
/// printer. Runs only after the sale's commit, so the PDF is built from a durable record.
fn print_receipt(
    data_dir: PathBuf,
    shop: ShopSettings,
    sale: SaleRecord,
    copy: bool,
) -> Task<Message> {
    let (done, result) = oneshot::channel();
    std::thread::spawn(move || {
        let outcome = match write_receipt(&data_dir, &shop, &sale, copy) {
            Err(error) => ReceiptOutcome::NotSaved(error.to_string()),
            Ok(path) => match send_to_printer(&shop.print_command, &path) {
                Ok(()) => ReceiptOutcome::Printed(path),
                Err(error) => ReceiptOutcome::SavedNotPrinted(path, error.to_string()),
            },
        };
        let _ = done.send(outcome);
    });
    Task::perform(
        async move {
            result
                .await
                .unwrap_or_else(|_| ReceiptOutcome::NotSaved("the printing thread stopped".into()))
        },
        Message::ReceiptDone,
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
