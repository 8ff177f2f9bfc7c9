//! The PIN pad: signing in, a manager's approval on the spot, and the first manager of a new
//! store. Keyboard first (digits and Enter) and big enough for a finger.

use crate::core::staff::{GatedAct, Role, StaffMember, is_valid_pin};
use crate::i18n::{Label, Lang, Notice, act_name};
use crate::store::{SignInError, Store, StoreError};
use crate::ui::{notice_band, theme};
use chrono::{DateTime, Utc};
use iced::widget::{Column, button, column, container, row, text, text_input};
use iced::{Alignment, Element, Fill, Length};

/// The PIN field, focused whenever the pad shows.
pub const PIN_INPUT: &str = "pin";
/// The name field of a new store's first manager.
pub const NAME_INPUT: &str = "first-manager-name";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    SignIn,
    Approve(GatedAct),
    /// A new store has nobody yet: its first manager is made here.
    FirstManager,
}

#[derive(Debug, Clone)]
pub enum Message {
    Pick(usize),
    /// ↑ ↓: the person above or below.
    Move(isize),
    PinChanged(String),
    Digit(char),
    Backspace,
    NameChanged(String),
    Submit,
}

pub struct PinPad {
    purpose: Purpose,
    staff: Vec<StaffMember>,
    selected: usize,
    pin: String,
    name: String,
    notice: Option<Notice>,
}

impl PinPad {
    /// A pad for `purpose`: everyone to sign in (the last person first), managers to approve.
    pub fn new(
        purpose: Purpose,
        store: &Store,
        preselect: Option<&StaffMember>,
    ) -> Result<PinPad, StoreError> {
        let staff: Vec<StaffMember> = store
            .staff()?
            .into_iter()
            .filter(|m| !matches!(purpose, Purpose::Approve(_)) || m.role == Role::Manager)
            .collect();
        let selected = preselect
            .and_then(|p| staff.iter().position(|m| m.id == p.id))
            .unwrap_or(0);
        let purpose = if staff.is_empty() && purpose == Purpose::SignIn {
            Purpose::FirstManager
        } else {
            purpose
        };
        Ok(PinPad {
            purpose,
            staff,
            selected,
            pin: String::new(),
            name: String::new(),
            notice: None,
        })
    }

    pub fn purpose(&self) -> &Purpose {
        &self.purpose
    }

    pub fn focused_input(&self) -> &'static str {
        if self.purpose == Purpose::FirstManager && self.name.trim().is_empty() {
            NAME_INPUT
        } else {
            PIN_INPUT
        }
    }

    /// Handles a key or a tap; returns the person once their PIN is right.
    pub fn update(
        &mut self,
        message: Message,
        store: &mut Store,
        now: DateTime<Utc>,
    ) -> Option<StaffMember> {
        match message {
            Message::Pick(index) if index < self.staff.len() => {
                self.selected = index;
                self.pin.clear();
            }
            Message::Pick(_) => {}
            Message::Move(step) if !self.staff.is_empty() => {
                self.selected = self
                    .selected
                    .saturating_add_signed(step)
                    .min(self.staff.len() - 1);
                self.pin.clear();
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
            Message::NameChanged(name) => self.name = name,
            Message::Submit => return self.submit(store, now),
        }
        None
    }

    fn submit(&mut self, store: &mut Store, now: DateTime<Utc>) -> Option<StaffMember> {
        let pin = std::mem::take(&mut self.pin);
        let result = match &self.purpose {
            Purpose::FirstManager => {
                if self.name.trim().is_empty() || !is_valid_pin(&pin) {
                    Err(StoreError::SignIn(SignInError::BadPin))
                } else {
                    store.create_staff(&self.name, Role::Manager, &pin, now)
                }
            }
            Purpose::SignIn => match self.staff.get(self.selected) {
                Some(member) => store.sign_in(member.id, &pin, now),
                None => Err(StoreError::SignIn(SignInError::NoSuchStaff)),
            },
            Purpose::Approve(_) => match self.staff.get(self.selected) {
                Some(member) => store.approve(member.id, &pin, now),
                None => Err(StoreError::SignIn(SignInError::NotAManager)),
            },
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
            Purpose::FirstManager => Label::FirstManagerTitle.text(lang).to_string(),
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
                .style(if index == self.selected {
                    button::primary
                } else {
                    button::secondary
                })
                .on_press(Message::Pick(index))
                .into()
        });
        let who: Element<'_, Message> = if self.purpose == Purpose::FirstManager {
            text_input(Label::ManagerName.text(lang), &self.name)
                .id(NAME_INPUT)
                .on_input(Message::NameChanged)
                .padding(10)
                .size(theme::HEADING)
                .into()
        } else {
            Column::with_children(people).spacing(theme::SPACE).into()
        };
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
