//! The managers' Staff screen: everyone who may use the till, with their role and whether they
//! may sign in; add a person, disable or re-enable one, change a role, reset a forgotten PIN
//! (each PIN typed twice). Every act is audited by the store with who did it.

use crate::core::audit::Actor;
use crate::core::staff::{Role, StaffMember};
use crate::i18n::{Label, Lang, Notice};
use crate::store::{StaffAccount, Store, StoreResult};
use crate::ui::setup::digits;
use crate::ui::{Context, notice_band, theme};
use iced::widget::{button, column, container, row, scrollable, space, text, text_input};
use iced::{Alignment, Element, Fill, Length};

/// The new person's name, and the PIN fields of the side panel.
pub const NAME_INPUT: &str = "staff-name";
pub const PIN_INPUT: &str = "staff-pin";
pub const PIN_AGAIN_INPUT: &str = "staff-pin-again";

#[derive(Debug, Clone)]
pub enum Message {
    NameChanged(String),
    RolePicked(Role),
    PinChanged(String),
    PinAgainChanged(String),
    /// Adds the person, or sets the new PIN, as the panel asks.
    Submit,
    Disable(i64),
    Enable(i64),
    SetRole(i64, Role),
    /// Opens the panel for a new PIN for this person.
    ResetPin(i64),
    /// Back to adding a person.
    NewPerson,
}

/// What the side panel does.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Panel {
    Add,
    ResetPin(StaffMember),
}

pub struct Staff {
    accounts: Vec<StaffAccount>,
    panel: Panel,
    name: String,
    role: Role,
    pin: String,
    pin_again: String,
    notice: Option<Notice>,
}

impl Staff {
    /// Tells, in this screen's notice band, what the window learnt meanwhile (a document
    /// saved or printed): the band is already there, so no other line is taken for it.
    pub fn tell(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    pub fn new(store: &Store) -> StoreResult<Staff> {
        Ok(Staff {
            accounts: store.staff_accounts()?,
            panel: Panel::Add,
            name: String::new(),
            role: Role::Cashier,
            pin: String::new(),
            pin_again: String::new(),
            notice: None,
        })
    }

    /// The field to focus: the name of a new person until it is typed, then the PIN (after
    /// a refused PIN only the PINs are typed again).
    pub fn focused_input(&self) -> &'static str {
        match self.panel {
            Panel::Add if self.name.trim().is_empty() => NAME_INPUT,
            Panel::Add | Panel::ResetPin(_) => PIN_INPUT,
        }
    }

    /// True for a keystroke in a field: the field keeps its focus.
    pub fn is_typing(message: &Message) -> bool {
        matches!(
            message,
            Message::NameChanged(_) | Message::PinChanged(_) | Message::PinAgainChanged(_)
        )
    }

    pub fn update(&mut self, message: Message, context: &mut Context<'_>) {
        let by = Actor::of(context.staff, context.approver);
        let now = context.now;
        let name_of = |accounts: &[StaffAccount], id: i64| {
            accounts
                .iter()
                .find(|a| a.member.id == id)
                .map(|a| a.member.name.clone())
                .unwrap_or_default()
        };
        let result = match message {
            Message::NameChanged(name) => {
                self.name = name;
                return;
            }
            Message::RolePicked(role) => {
                self.role = role;
                return;
            }
            Message::PinChanged(pin) => {
                self.pin = digits(&pin);
                return;
            }
            Message::PinAgainChanged(pin) => {
                self.pin_again = digits(&pin);
                return;
            }
            Message::NewPerson => {
                self.open(Panel::Add);
                return;
            }
            Message::ResetPin(id) => {
                if let Some(account) = self.accounts.iter().find(|a| a.member.id == id) {
                    self.open(Panel::ResetPin(account.member.clone()));
                }
                return;
            }
            Message::Submit => {
                let (pin, again) = (
                    std::mem::take(&mut self.pin),
                    std::mem::take(&mut self.pin_again),
                );
                if pin != again {
                    self.notice = Some(Notice::PinsDiffer);
                    return;
                }
                match &self.panel {
                    Panel::Add => context
                        .store
                        .add_staff(&self.name, self.role, &pin, by, now)
                        .map(|member| member.name),
                    Panel::ResetPin(member) => context
                        .store
                        .reset_staff_pin(member.id, &pin, by, now)
                        .map(|()| member.name.clone()),
                }
            }
            Message::Disable(id) => context
                .store
                .disable_staff(id, by, now)
                .map(|()| name_of(&self.accounts, id)),
            Message::Enable(id) => context
                .store
                .enable_staff(id, by, now)
                .map(|()| name_of(&self.accounts, id)),
            Message::SetRole(id, role) => context
                .store
                .set_staff_role(id, role, by, now)
                .map(|()| name_of(&self.accounts, id)),
        };
        match result.and_then(|name| Ok((name, context.store.staff_accounts()?))) {
            Ok((name, accounts)) => {
                self.accounts = accounts;
                self.open(Panel::Add);
                self.notice = Some(Notice::StaffSaved(name));
            }
            Err(error) => self.notice = Some(Notice::from_store_error(&error)),
        }
    }

    fn open(&mut self, panel: Panel) {
        self.panel = panel;
        self.name.clear();
        self.role = Role::Cashier;
        self.pin.clear();
        self.pin_again.clear();
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let head = |label: Label, width: f32| {
            text(label.text(lang))
                .font(theme::BOLD)
                .size(theme::SMALL)
                .width(Length::FillPortion((width * 10.0) as u16))
        };
        let header = row![
            head(Label::StaffName, 3.0),
            head(Label::StaffRole, 1.2),
            head(Label::StaffStatus, 1.2),
            space().width(Length::FillPortion(45)),
        ]
        .spacing(theme::SPACE);
        let small = |label: Label, message: Message| {
            button(text(label.text(lang)).size(theme::SMALL))
                .style(button::secondary)
                .padding([6, 10])
                .on_press(message)
        };
        let rows = self.accounts.iter().map(|account| {
            let member = &account.member;
            let role = match member.role {
                Role::Manager => Label::RoleManager,
                Role::Cashier => Label::RoleCashier,
            };
            let (status, toggle) = if account.active {
                (
                    Label::StaffActive,
                    small(Label::StaffDisable, Message::Disable(member.id)),
                )
            } else {
                (
                    Label::StaffDisabled,
                    small(Label::StaffEnable, Message::Enable(member.id)),
                )
            };
            let other_role = match member.role {
                Role::Manager => small(
                    Label::StaffMakeCashier,
                    Message::SetRole(member.id, Role::Cashier),
                ),
                Role::Cashier => small(
                    Label::StaffMakeManager,
                    Message::SetRole(member.id, Role::Manager),
                ),
            };
            row![
                text(&member.name).width(Length::FillPortion(30)),
                text(role.text(lang)).width(Length::FillPortion(12)),
                text(status.text(lang)).width(Length::FillPortion(12)),
                row![
                    toggle,
                    other_role,
                    small(Label::StaffResetPin, Message::ResetPin(member.id))
                ]
                .spacing(theme::SPACE)
                .width(Length::FillPortion(45)),
            ]
            .spacing(theme::SPACE)
            .align_y(Alignment::Center)
            .into()
        });
        let list = column![header, scrollable(column(rows).spacing(4))].spacing(theme::SPACE);
        container(
            column![
                text(Label::StaffTitle.text(lang))
                    .size(theme::HEADING)
                    .font(theme::BOLD),
                notice_band(self.notice.as_ref(), lang, theme::TEXT),
                row![
                    container(list).width(Length::FillPortion(7)),
                    container(self.panel_view(lang))
                        .padding(theme::PAD)
                        .style(theme::panel)
                        .width(Length::FillPortion(3)),
                ]
                .spacing(f32::from(theme::PAD) * 2.0),
            ]
            .spacing(theme::SPACE),
        )
        .padding(theme::PAD)
        .width(Fill)
        .into()
    }

    fn panel_view(&self, lang: Lang) -> Element<'_, Message> {
        let pin = |id: &'static str, hint: Label, value: &str, on_input: fn(String) -> Message| {
            text_input(hint.text(lang), value)
                .id(id)
                .secure(true)
                .on_input(on_input)
                .on_submit(Message::Submit)
                .padding(6)
        };
        let pins = column![
            text(Label::PinRule.text(lang)).size(theme::SMALL),
            pin(
                PIN_INPUT,
                Label::StaffNewPin,
                &self.pin,
                Message::PinChanged
            ),
            pin(
                PIN_AGAIN_INPUT,
                Label::PinAgainHint,
                &self.pin_again,
                Message::PinAgainChanged
            ),
        ]
        .spacing(theme::SPACE);
        match &self.panel {
            Panel::Add => {
                let role = |label: Label, role: Role| {
                    button(text(label.text(lang)))
                        .style(if self.role == role {
                            button::primary
                        } else {
                            button::secondary
                        })
                        .on_press(Message::RolePicked(role))
                };
                column![
                    text(Label::StaffAdd.text(lang)).font(theme::BOLD),
                    text_input(Label::StaffName.text(lang), &self.name)
                        .id(NAME_INPUT)
                        .on_input(Message::NameChanged)
                        .on_submit(Message::Submit)
                        .padding(6),
                    row![
                        role(Label::RoleCashier, Role::Cashier),
                        role(Label::RoleManager, Role::Manager)
                    ]
                    .spacing(theme::SPACE),
                    pins,
                    button(text(Label::StaffAdd.text(lang)).font(theme::BOLD))
                        .padding([8, 16])
                        .on_press(Message::Submit),
                ]
                .spacing(theme::SPACE)
                .into()
            }
            Panel::ResetPin(member) => column![
                text(format!("{} {}", Label::StaffPinFor.text(lang), member.name))
                    .font(theme::BOLD),
                pins,
                row![
                    button(text(Label::StaffResetPin.text(lang)).font(theme::BOLD))
                        .padding([8, 16])
                        .on_press(Message::Submit),
                    button(text(Label::InvClose.text(lang)))
                        .style(button::secondary)
                        .padding([8, 16])
                        .on_press(Message::NewPerson),
                ]
                .spacing(theme::SPACE),
            ]
            .spacing(theme::SPACE)
            .into(),
        }
    }
}
