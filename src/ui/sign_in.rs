//! The PIN pad: signing in and a manager's approval on the spot. It asks who first: nobody is
//! chosen when it shows (unless one person is all the staff), and a wrong PIN counts against
//! the person chosen, never against someone else. Keyboard first (digits and Enter) and big enough for a finger.

use crate::core::staff::{GatedAct, Role, StaffMember};
use crate::i18n::{Label, Lang, Notice, act_name};
use crate::store::{Store, StoreError};
use crate::ui::{notice_band, theme};
use chrono::{DateTime, Utc};
use iced::widget::{Column, button, column, container, row, text, text_input};
use iced::{Alignment, Element, Fill, Length};

/// The PIN field, focused whenever the pad shows.
pub const PIN_INPUT: &str = "pin";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    SignIn,
    Approve(GatedAct),
}

#[derive(Debug, Clone)]
pub enum Message {
    Pick(usize),
    /// ↑ ↓: the person above or below.
    Move(isize),
    PinChanged(String),
    Digit(char),
    Backspace,
    Submit,
}

pub struct PinPad {
    purpose: Purpose,
    /// The active staff (managers only for an approval).
    staff: Vec<StaffMember>,
    /// Who is signing in or approving: nobody until a name is picked.
    selected: Option<usize>,
    pin: String,
    notice: Option<Notice>,
}

impl PinPad {
    /// A pad for `purpose`, with nobody chosen: everyone active to sign in, the active
    /// managers to approve. Signing in to a store of one person chooses her at once: no one
    /// else's tries can be used up, and a new store's first manager just types the PIN. (An
    /// approval never does: a cashier's own PIN typed there would cost the manager a try.)
    pub fn new(purpose: Purpose, store: &Store) -> Result<PinPad, StoreError> {
        let staff: Vec<StaffMember> = store
            .staff()?
            .into_iter()
            .filter(|m| !matches!(purpose, Purpose::Approve(_)) || m.role == Role::Manager)
            .collect();
        let selected = (purpose == Purpose::SignIn && staff.len() == 1).then_some(0);
        Ok(PinPad {
            purpose,
            selected,
            staff,
            pin: String::new(),
            notice: None,
        })
    }

    pub fn purpose(&self) -> &Purpose {
        &self.purpose
    }

    /// The person chosen, if any.
    pub fn chosen(&self) -> Option<&StaffMember> {
        self.selected.and_then(|index| self.staff.get(index))
    }

    /// The names the pad offers, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.staff.iter().map(|m| m.name.as_str())
    }

    pub fn focused_input(&self) -> &'static str {
        PIN_INPUT
    }

    /// True for a message that only types into the PIN field: the field keeps its focus.
    pub fn is_typing(message: &Message) -> bool {
        matches!(message, Message::PinChanged(_))
    }

    /// Handles a key or a tap; returns the person once their PIN is right.
    pub fn update(
        &mut self,
        message: Message,
        store: &mut Store,
        now: DateTime<Utc>,
    ) -> Option<StaffMember> {
        match message {
            // A PIN typed before the name stays: the person chosen is who it is tried for.
            Message::Pick(index) if index < self.staff.len() => {
                self.selected = Some(index);
                self.notice = None;
            }
            Message::Pick(_) => {}
            Message::Move(step) if !self.staff.is_empty() => {
                let last = self.staff.len() - 1;
                self.selected = Some(match self.selected {
                    None if step < 0 => last,
                    None => 0,
                    Some(index) => index.saturating_add_signed(step).min(last),
                });
                self.notice = None;
            }
            Message::Move(_) => {}
            Message::PinChanged(pin) => {
                self.pin = pin.chars().filter(char::is_ascii_digit).take(8).collect()
            }
            Message::Digit(digit) if self.pin.len() < 8 => self.pin.push(digit),
            Message::Digit(_) => {}
            Message::Backspace => {
                self.pin.pop();
            }
            Message::Submit => return self.submit(store, now),
        }
        None
    }

    fn submit(&mut self, store: &mut Store, now: DateTime<Utc>) -> Option<StaffMember> {
        let Some(member) = self.chosen() else {
            // Nobody chosen: no one's tries are used; the PIN waits for the name.
            self.notice = Some(Notice::PickYourName);
            return None;
        };
        let id = member.id;
        let pin = std::mem::take(&mut self.pin);
        let result = match &self.purpose {
            Purpose::SignIn => store.sign_in(id, &pin, now),
            Purpose::Approve(_) => store.approve(id, &pin, now),
        };
        match result {
            Ok(member) => Some(member),
            Err(error) => {
                self.notice = Some(Notice::from_store_error(&error));
                None
            }
        }
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let title = match &self.purpose {
            Purpose::SignIn => Label::SignInTitle.text(lang).to_string(),
            Purpose::Approve(act) => format!(
                "{}: {}",
                Label::ApprovalTitle.text(lang),
                act_name(*act, lang)
            ),
        };
        let people = self.staff.iter().enumerate().map(|(index, member)| {
            button(text(&member.name).center())
                .width(Fill)
                .height(theme::BUTTON_HEIGHT)
                .style(if Some(index) == self.selected {
                    button::primary
                } else {
                    button::secondary
                })
                .on_press(Message::Pick(index))
                .into()
        });
        let who = Column::with_children(people).spacing(theme::SPACE);
        let key = |label: &'static str, message: Message| {
            button(text(label).size(theme::HEADING).center())
                .width(Length::Fixed(88.0))
                .height(Length::Fixed(48.0))
                .style(button::secondary)
                .on_press(message)
        };
        let digits = |keys: [char; 3]| {
            row(keys
                .map(|d| key(DIGIT_LABELS[d as usize - '0' as usize], Message::Digit(d)).into()))
            .spacing(theme::SPACE)
        };
        let pad = column![
            digits(['1', '2', '3']),
            digits(['4', '5', '6']),
            digits(['7', '8', '9']),
            row![
                key("⌫", Message::Backspace),
                key(DIGIT_LABELS[0], Message::Digit('0')),
                key("OK", Message::Submit)
            ]
            .spacing(theme::SPACE),
        ]
        .spacing(theme::SPACE);
        container(
            column![
                text(title).size(theme::HEADING).font(theme::BOLD),
                who,
                text_input(Label::PinHint.text(lang), &self.pin)
                    .id(PIN_INPUT)
                    .secure(true)
                    .on_input(Message::PinChanged)
                    .on_submit(Message::Submit)
                    .padding(10)
                    .size(theme::AMOUNT),
                pad,
                notice_band(self.notice.as_ref(), lang, theme::TEXT),
            ]
            .spacing(theme::SPACE)
            .align_x(Alignment::Center)
            .width(Length::Fixed(320.0)),
        )
        .padding(theme::PAD * 2)
        .style(theme::panel)
        .into()
    }
}

const DIGIT_LABELS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
