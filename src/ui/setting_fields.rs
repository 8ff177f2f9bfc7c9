//! The fields of the shop's settings, shared by the first-run setup and the Settings screen:
//! each setting's text field (or list), its refusal beneath it, and the VietQR check.

use crate::core::money::Money;
use crate::core::settings::{Setting, SettingError, SettingScope};
use crate::core::vietqr::{BankAccount, bank_name, dynamic_payload};
use crate::i18n::{
    Label, Lang, setting_choice_name, setting_error_text, setting_example, setting_name,
};
use crate::ui::{Choice, theme};
use iced::widget::{Column, column, container, pick_list, qr_code, text, text_input};
use iced::{Color, Element, Fill};
use std::collections::BTreeMap;

/// The amount of the VietQR check: small enough to send to oneself as a real test.
const CHECK_AMOUNT: Money = Money(2_000);

/// The id of a setting's text field.
pub fn input_id(setting: Setting) -> String {
    format!("setting-{setting:?}")
}

/// The values being edited, the refusals of the last try, and the VietQR drawn from them.
pub struct SettingFields {
    values: BTreeMap<Setting, String>,
    refusals: BTreeMap<Setting, SettingError>,
    qr: Option<(qr_code::Data, String)>,
    /// On a counter that is not the store's catalogue node the store's settings arrive by
    /// sync: they are shown there, not edited.
    store_settings_locked: bool,
}

impl SettingFields {
    pub fn new(values: BTreeMap<Setting, String>) -> SettingFields {
        let mut fields = SettingFields {
            values,
            refusals: BTreeMap::new(),
            qr: None,
            store_settings_locked: false,
        };
        fields.redraw_qr();
        fields
    }

    /// The same fields, the store's own shown read-only when `locked`.
    pub fn with_store_settings_locked(mut self, locked: bool) -> SettingFields {
        self.store_settings_locked = locked;
        self
    }

    pub fn values(&self) -> &BTreeMap<Setting, String> {
        &self.values
    }

    pub fn value(&self, setting: Setting) -> &str {
        self.values.get(&setting).map_or("", String::as_str)
    }

    pub fn set(&mut self, setting: Setting, value: String) {
        self.refusals.remove(&setting);
        self.values.insert(setting, value);
        if matches!(
            setting,
            Setting::BankBin | Setting::BankAccount | Setting::BankAccountName
        ) {
            self.redraw_qr();
        }
    }

    /// Shows each refusal under its field (and forgets the earlier ones).
    pub fn refuse(&mut self, refusals: &[(Setting, SettingError)]) {
        self.refusals = refusals.iter().cloned().collect();
    }

    pub fn clear_refusals(&mut self) {
        self.refusals.clear();
    }

    /// The VietQR check, drawn whenever the three bank fields are each right.
    fn redraw_qr(&mut self) {
        let checked = |setting: Setting| setting.check(self.value(setting)).ok();
        self.qr = match (
            checked(Setting::BankBin),
            checked(Setting::BankAccount),
            checked(Setting::BankAccountName),
        ) {
            (Some(bin), Some(account_number), Some(account_name))
                if !bin.is_empty() && !account_number.is_empty() && !account_name.is_empty() =>
            {
                let account = BankAccount {
                    bin,
                    account_number,
                    account_name,
                };
                let payload = dynamic_payload(&account, CHECK_AMOUNT, "Thu VietQR");
                qr_code::Data::new(payload.as_bytes()).ok().map(|picture| {
                    let line = format!(
                        "{} · {} · {}",
                        bank_name(&account.bin).unwrap_or(&account.bin),
                        account.account_number,
                        account.account_name
                    );
                    (picture, line)
                })
            }
            _ => None,
        };
    }

    /// A setting's field with its name above and its refusal (or the bank's name) beneath.
    pub fn field<'a, M: Clone + 'a>(
        &'a self,
        setting: Setting,
        lang: Lang,
        on_change: impl Fn(Setting, String) -> M + 'a,
        on_submit: M,
    ) -> Element<'a, M> {
        let value = self.value(setting);
        let locked = self.store_settings_locked && setting.scope() == SettingScope::Store;
        let input: Element<'a, M> = match setting.choices() {
            // A text field with no input handler: shown as disabled, its text still readable.
            _ if locked => text_input(
                "",
                setting
                    .choices()
                    .map_or(value, |_| setting_choice_name(value, lang)),
            )
            .id(input_id(setting))
            .secure(setting.is_secret())
            .padding(6)
            .into(),
            Some(codes) => {
                let choices: Vec<Choice<String>> = codes
                    .iter()
                    .map(|code| Choice {
                        value: Some(code.to_string()),
                        name: setting_choice_name(code, lang).to_string(),
                    })
                    .collect();
                let chosen = choices
                    .iter()
                    .find(|c| c.value.as_deref() == Some(value))
                    .cloned();
                pick_list(choices, chosen, move |choice: Choice<String>| {
                    on_change(setting, choice.value.unwrap_or_default())
                })
                .padding(6)
                .width(Fill)
                .into()
            }
            None => text_input(setting_example(setting, lang), value)
                .id(input_id(setting))
                .secure(setting.is_secret())
                .on_input(move |typed| on_change(setting, typed))
                .on_submit(on_submit)
                .padding(6)
                .into(),
        };
        let below: Option<Element<'a, M>> = match self.refusals.get(&setting) {
            Some(error) => Some(
                text(setting_error_text(error, lang))
                    .size(theme::SMALL)
                    .style(text::danger)
                    .into(),
            ),
            None if setting == Setting::BankBin && value.trim().len() == 6 => Some(
                text(bank_name(value.trim()).unwrap_or(Label::UnknownBin.text(lang)))
                    .size(theme::SMALL)
                    .into(),
            ),
            None => None,
        };
        column![text(setting_name(setting, lang)).size(theme::SMALL), input]
            .push(below)
            .spacing(2)
            .into()
    }

    /// Several fields under a heading.
    pub fn group<'a, M: Clone + 'a>(
        &'a self,
        heading: Label,
        settings: &[Setting],
        lang: Lang,
        on_change: impl Fn(Setting, String) -> M + Clone + 'a,
        on_submit: M,
    ) -> Column<'a, M> {
        settings.iter().fold(
            column![text(heading.text(lang)).font(theme::BOLD)].spacing(theme::SPACE),
            |group, setting| {
                group.push(self.field(*setting, lang, on_change.clone(), on_submit.clone()))
            },
        )
    }

    /// The VietQR drawn from the bank fields, to scan with a banking app before going live.
    pub fn qr_check<'a, M: 'a>(&'a self, lang: Lang) -> Element<'a, M> {
        let Some((picture, line)) = &self.qr else {
            return column![].into();
        };
        column![
            text(Label::VietQrPreview.text(lang)).font(theme::BOLD),
            container(qr_code(picture).cell_size(3).style(|_| qr_code::Style {
                cell: Color::BLACK,
                background: Color::WHITE,
            }))
            .padding(6)
            .style(|_| container::background(Color::WHITE)),
            text(line).size(theme::SMALL),
            text(Label::VietQrPreviewHint.text(lang)).size(theme::SMALL),
        ]
        .spacing(4)
        .into()
    }
}
