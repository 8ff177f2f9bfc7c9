//! The first run of a real store: its details (printed on every receipt, used for VietQR),
//! its printer, then its first manager with the PIN typed twice. Nothing is kept until all of
//! it is right; then it is kept in one go and the manager is signed in.

use crate::core::einvoice::InvoiceSettings;
use crate::core::settings::{Setting, SettingError, ShopSettings, check_changes};
use crate::core::staff::StaffMember;
use crate::i18n::{Label, Lang, Notice};
use crate::store::Store;
use crate::ui::setting_fields::{SettingFields, input_id};
use crate::ui::{notice_band, theme};
use chrono::{DateTime, Utc};
use iced::widget::{button, column, container, row, scrollable, text, text_input};
use iced::{Element, Fill, Length};
use std::collections::BTreeMap;

/// The first manager's name field.
pub const NAME_INPUT: &str = "first-manager-name";
/// The first manager's PIN, and the same PIN again.
pub const PIN_INPUT: &str = "first-manager-pin";
pub const PIN_AGAIN_INPUT: &str = "first-manager-pin-again";

/// The shop's details the setup asks, column by column.
const SHOP: [Setting; 6] = [
    Setting::ShopName,
    Setting::Address,
    Setting::Commune,
    Setting::Province,
    Setting::TaxCode,
    Setting::Phone,
];
const BANK: [Setting; 3] = [
    Setting::BankBin,
    Setting::BankAccount,
    Setting::BankAccountName,
];
const PRINTER: [Setting; 1] = [Setting::PrintCommand];
/// Asked at setup although blank is a valid setting later: a receipt needs a place.
const REQUIRED_AT_SETUP: [Setting; 3] = [Setting::ShopName, Setting::Commune, Setting::Province];

#[derive(Debug, Clone)]
pub enum Message {
    Changed(Setting, String),
    NameChanged(String),
    PinChanged(String),
    PinAgainChanged(String),
    Submit,
}

pub struct Setup {
    fields: SettingFields,
    name: String,
    pin: String,
    pin_again: String,
    notice: Option<Notice>,
}

impl Default for Setup {
    fn default() -> Setup {
        let registration = InvoiceSettings::default();
        let values = SHOP
            .iter()
            .chain(&BANK)
            .chain(&PRINTER)
            .map(|setting| (*setting, String::new()))
            // The cash-register invoice registration: filled in when the shop has registered,
            // or later on the Settings screen.
            .chain(Setting::INVOICE.iter().map(|setting| {
                let Setting::Invoice(field) = setting else {
                    unreachable!("the registration's fields")
                };
                (*setting, registration.field(field).unwrap_or_default())
            }))
            .collect();
        Setup {
            fields: SettingFields::new(values),
            name: String::new(),
            pin: String::new(),
            pin_again: String::new(),
            notice: None,
        }
    }
}

impl Setup {
    /// The field focused when the form shows: the shop's name.
    pub fn first_input() -> String {
        input_id(Setting::ShopName)
    }

    /// Handles a keystroke or the final press; gives the first manager once the store is set up.
    pub fn update(
        &mut self,
        message: Message,
        store: &mut Store,
        now: DateTime<Utc>,
    ) -> Option<StaffMember> {
        match message {
            Message::Changed(setting, value) => self.fields.set(setting, value),
            Message::NameChanged(name) => self.name = name,
            Message::PinChanged(pin) => self.pin = digits(&pin),
            Message::PinAgainChanged(pin) => self.pin_again = digits(&pin),
            Message::Submit => return self.submit(store, now),
        }
        None
    }

    fn submit(&mut self, store: &mut Store, now: DateTime<Utc>) -> Option<StaffMember> {
        let checked = match check_changes(&BTreeMap::new(), self.fields.values()) {
            Ok(checked) => checked,
            Err(refusals) => return self.refuse(refusals),
        };
        let missing: Vec<(Setting, SettingError)> = REQUIRED_AT_SETUP
            .iter()
            .filter(|setting| checked.get(setting).is_none_or(String::is_empty))
            .map(|setting| (*setting, SettingError::Required))
            .collect();
        if !missing.is_empty() {
            return self.refuse(missing);
        }
        self.fields.clear_refusals();
        let (pin, pin_again) = (
            std::mem::take(&mut self.pin),
            std::mem::take(&mut self.pin_again),
        );
        if pin != pin_again {
            self.notice = Some(Notice::PinsDiffer);
            return None;
        }
        let shop = checked
            .iter()
            .filter_map(|(setting, value)| Some((setting.shop_field()?, value)))
            .try_fold(ShopSettings::default(), |shop, (field, value)| {
                shop.with_field(field, value)
            })
            .expect("checked values are accepted");
        // The registration's fields left empty keep their defaults, to be filled in later.
        let registration = checked
            .iter()
            .filter_map(|(setting, value)| match setting {
                Setting::Invoice(field) if !value.is_empty() => Some((*field, value)),
                _ => None,
            })
            .try_fold(
                InvoiceSettings::default(),
                |registration, (field, value)| registration.with_field(field, value),
            )
            .expect("checked values are accepted");
        match store.set_up_store(&shop, &registration, &self.name, &pin, now) {
            Ok(manager) => Some(manager),
            Err(error) => {
                self.notice = Some(Notice::from_store_error(&error));
                None
            }
        }
    }

    /// Shows what is wrong; the PINs are typed again after any refusal.
    fn refuse(&mut self, refusals: Vec<(Setting, SettingError)>) -> Option<StaffMember> {
        self.pin.clear();
        self.pin_again.clear();
        self.fields.refuse(&refusals);
        self.notice = Some(Notice::SettingsRefused(refusals));
        None
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let fields = &self.fields;
        let group = |heading, settings: &[Setting]| {
            fields.group(heading, settings, lang, Message::Changed, Message::Submit)
        };
        let pin = |id: &'static str, hint: Label, value: &str, on_input: fn(String) -> Message| {
            text_input(hint.text(lang), value)
                .id(id)
                .secure(true)
                .on_input(on_input)
                .on_submit(Message::Submit)
                .padding(6)
        };
        let manager = column![
            text(Label::SetupManager.text(lang)).font(theme::BOLD),
            text(Label::ManagerName.text(lang)).size(theme::SMALL),
            text_input(Label::ManagerName.text(lang), &self.name)
                .id(NAME_INPUT)
                .on_input(Message::NameChanged)
                .on_submit(Message::Submit)
                .padding(6),
            text(Label::PinRule.text(lang)).size(theme::SMALL),
            pin(PIN_INPUT, Label::PinHint, &self.pin, Message::PinChanged),
            pin(
                PIN_AGAIN_INPUT,
                Label::PinAgainHint,
                &self.pin_again,
                Message::PinAgainChanged
            ),
            button(text(Label::SetupFinish.text(lang)).font(theme::BOLD))
                .padding([10, 20])
                .on_press(Message::Submit),
        ]
        .spacing(theme::SPACE);
        let columns = row![
            column![
                group(Label::SetupShop, &SHOP),
                text(Label::SetupInvoiceHelp.text(lang)).size(theme::SMALL),
                group(Label::SettingsInvoice, &Setting::INVOICE),
            ]
            .spacing(theme::SPACE)
            .width(Length::FillPortion(4)),
            column![group(Label::SetupBank, &BANK), fields.qr_check(lang)]
                .spacing(theme::SPACE)
                .width(Length::FillPortion(3)),
            column![group(Label::SetupPrinter, &PRINTER), manager]
                .spacing(theme::SPACE * 3.0)
                .width(Length::FillPortion(3)),
        ]
        .spacing(f32::from(theme::PAD) * 2.0);
        container(
            column![
                text(Label::SetupTitle.text(lang))
                    .size(theme::HEADING)
                    .font(theme::BOLD),
                text(Label::SetupIntro.text(lang)).size(theme::SMALL),
                notice_band(self.notice.as_ref(), lang, theme::TEXT),
                scrollable(columns),
            ]
            .spacing(theme::SPACE),
        )
        .padding(theme::PAD * 2)
        .width(Fill)
        .into()
    }
}

/// What a PIN field keeps of what was typed: digits, at most 8.
pub fn digits(typed: &str) -> String {
    typed.chars().filter(char::is_ascii_digit).take(8).collect()
}
