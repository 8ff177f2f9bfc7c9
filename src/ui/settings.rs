//! The managers' Settings screen: the shop's details, the VietQR account, the printer, the
//! counter's policies and the backups, each checked with its reason beside it, saved together
//! with one audit row per setting changed. On the demo store it also turns the folder into an
//! empty real store, the demo kept aside.

use crate::core::audit::Actor;
use crate::core::settings::Setting;
use crate::i18n::{Label, Lang, Notice};
use crate::store::{Store, StoreResult};
use crate::ui::setting_fields::SettingFields;
use crate::ui::{Context, notice_band, theme};
use iced::widget::{Column, button, column, container, row, scrollable, text};
use iced::{Element, Fill, Length};

const SHOP: [Setting; 7] = [
    Setting::ShopName,
    Setting::Address,
    Setting::Commune,
    Setting::Province,
    Setting::TaxCode,
    Setting::Phone,
    Setting::ReceiptFooter,
];
const PRINTER: [Setting; 5] = [
    Setting::Printer,
    Setting::PrinterDots,
    Setting::PrintCommand,
    Setting::LabelPrinter,
    Setting::LabelSize,
];
const BANK: [Setting; 3] = [
    Setting::BankBin,
    Setting::BankAccount,
    Setting::BankAccountName,
];
const POLICIES: [Setting; 5] = [
    Setting::DiscountLimitPct,
    Setting::VoidLimit,
    Setting::IdleLockMinutes,
    Setting::NegativeStock,
    Setting::SessionPolicy,
];
const BACKUPS: [Setting; 2] = [Setting::BackupKeep, Setting::BackupSecondDir];

#[derive(Debug, Clone)]
pub enum Message {
    Changed(Setting, String),
    Save,
    /// Back to the settings in force.
    Revert,
    /// The demo store only: the first press asks, the second sets the demo aside.
    MakeReal,
    ConfirmMakeReal,
    /// The test page, to the printer as typed in the form (saved or not).
    TestPrint,
    /// The customer display window, opened (or brought back) on the second screen.
    OpenCustomerDisplay,
}

/// The form's fields; on a counter other than the catalogue node the store's settings are
/// read-only, as they come from that node.
fn fields_of(
    values: std::collections::BTreeMap<Setting, String>,
    node: &crate::store::node::NodeIdentity,
) -> SettingFields {
    SettingFields::new(values).with_store_settings_locked(!node.writes_catalogue())
}

/// What the Settings screen asks the window to do beyond saving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Print the test page on this printer (`printer`, `printer_dots` as in the form).
    TestPrint {
        printer: String,
        dots: String,
    },
    OpenCustomerDisplay,
}

pub struct Settings {
    fields: SettingFields,
    is_demo: bool,
    confirming_make_real: bool,
    /// Set when settings were saved: the counter reads them again.
    saved: bool,
    /// Set when the sending settings were among them: the sender tries again at once.
    sending_changed: bool,
    /// Set when the manager confirmed turning the demo into a real store.
    make_real: bool,
    request: Option<Request>,
    notice: Option<Notice>,
    /// This folder as a node of its store (changed with `ocop-pos node set`).
    node: crate::store::node::NodeIdentity,
}

impl Settings {
    /// Tells, in this screen's notice band, what the window learnt meanwhile (a document
    /// saved or printed): the band is already there, so no other line is taken for it.
    pub fn tell(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    pub fn new(store: &Store) -> StoreResult<Settings> {
        let node = store.node_identity()?;
        Ok(Settings {
            fields: fields_of(store.settings_values()?, &node),
            is_demo: store.is_demo_store()?,
            confirming_make_real: false,
            saved: false,
            sending_changed: false,
            make_real: false,
            request: None,
            notice: None,
            node,
        })
    }

    /// True once after settings were saved.
    pub fn take_saved(&mut self) -> bool {
        std::mem::take(&mut self.saved)
    }

    /// True once after sending settings were saved.
    pub fn take_sending_changed(&mut self) -> bool {
        std::mem::take(&mut self.sending_changed)
    }

    /// What the screen asked for since the last call.
    pub fn take_request(&mut self) -> Option<Request> {
        self.request.take()
    }

    /// True once after the manager confirmed making the demo a real store.
    pub fn take_make_real(&mut self) -> bool {
        std::mem::take(&mut self.make_real)
    }

    pub fn update(&mut self, message: Message, context: &mut Context<'_>) {
        match message {
            Message::Changed(setting, value) => self.fields.set(setting, value),
            Message::Revert => match context.store.settings_values() {
                Ok(values) => {
                    self.fields = fields_of(values, &self.node);
                    self.notice = None;
                }
                Err(error) => self.notice = Some(Notice::from_store_error(&error)),
            },
            Message::Save => {
                let by = Actor::of(context.staff, context.approver);
                let values = self.fields.values().clone();
                let sending_before = context.store.send_settings();
                match context.store.change_settings(&values, by, context.now) {
                    Ok(0) => self.notice = Some(Notice::NothingChanged),
                    Ok(count) => {
                        self.saved = true;
                        self.sending_changed =
                            sending_before.ok() != context.store.send_settings().ok();
                        self.notice = Some(Notice::SettingsSaved(count));
                        // Shown as kept: trimmed, the holder in capitals.
                        if let Ok(values) = context.store.settings_values() {
                            self.fields = fields_of(values, &self.node);
                        }
                    }
                    Err(crate::store::StoreError::Settings(refusals)) => {
                        self.fields.refuse(&refusals);
                        self.notice = Some(Notice::SettingsRefused(refusals));
                    }
                    Err(error) => self.notice = Some(Notice::from_store_error(&error)),
                }
            }
            Message::MakeReal if self.is_demo => {
                self.confirming_make_real = true;
                self.notice = Some(Notice::ConfirmMakeReal);
            }
            Message::MakeReal => {}
            Message::ConfirmMakeReal if self.confirming_make_real => self.make_real = true,
            Message::ConfirmMakeReal => {}
            Message::TestPrint => {
                self.request = Some(Request::TestPrint {
                    printer: self.fields.value(Setting::Printer).to_string(),
                    dots: self.fields.value(Setting::PrinterDots).to_string(),
                });
            }
            Message::OpenCustomerDisplay => self.request = Some(Request::OpenCustomerDisplay),
        }
    }

    /// Esc: drops a pending confirmation.
    pub fn cancel(&mut self) {
        if self.confirming_make_real {
            self.confirming_make_real = false;
            self.notice = None;
        }
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let fields = &self.fields;
        let group = |heading, settings: &[Setting]| {
            fields.group(heading, settings, lang, Message::Changed, Message::Save)
        };
        let buttons = row![
            button(text(Label::SettingsSave.text(lang)).font(theme::BOLD))
                .padding([8, 16])
                .on_press(Message::Save),
            button(text(Label::SettingsRevert.text(lang)))
                .padding([8, 16])
                .style(button::secondary)
                .on_press(Message::Revert),
        ]
        .spacing(theme::SPACE);
        let columns = row![
            column![
                group(Label::SetupShop, &SHOP),
                self.invoice_section(lang),
                group(Label::SettingsSending, &Setting::SEND),
            ]
            .spacing(theme::SPACE * 3.0)
            .width(Length::FillPortion(4)),
            column![
                group(Label::SetupBank, &BANK),
                fields.qr_check(lang),
                group(Label::SettingsPrinter, &PRINTER),
                row![
                    button(text(Label::TestPrint.text(lang)))
                        .padding([8, 16])
                        .on_press(Message::TestPrint),
                    button(text(Label::OpenCustomerDisplay.text(lang)))
                        .padding([8, 16])
                        .style(button::secondary)
                        .on_press(Message::OpenCustomerDisplay),
                ]
                .spacing(theme::SPACE),
            ]
            .spacing(theme::SPACE)
            .width(Length::FillPortion(3)),
            // A demo store's way out first, where a manager about to go live sees it.
            Column::new()
                .push(self.is_demo.then(|| self.make_real_section(lang)))
                .push(group(Label::SettingsPolicies, &POLICIES))
                .push(group(Label::SettingsBackups, &BACKUPS))
                .push(self.node_section(lang))
                .spacing(theme::SPACE * 3.0)
                .width(Length::FillPortion(3)),
        ]
        .spacing(f32::from(theme::PAD) * 2.0);
        container(
            column![row![
                text(Label::SettingsTitle.text(lang))
                    .size(theme::HEADING)
                    .font(theme::BOLD)
                    .width(Fill),
                buttons,
            ],]
            .push(self.follows_note(lang))
            .push(notice_band(self.notice.as_ref(), lang, theme::TEXT))
            .push(scrollable(columns))
            .spacing(theme::SPACE),
        )
        .padding(theme::PAD)
        .into()
    }

    /// The cash-register invoice registration: until it is filled in, the counter sells but
    /// no sale is an invoice.
    fn invoice_section(&self, lang: Lang) -> Column<'_, Message> {
        self.fields.group(
            Label::SettingsInvoice,
            &Setting::INVOICE,
            lang,
            Message::Changed,
            Message::Save,
        )
    }

    /// Which node of which store this folder is; read only here, as a change renames every
    /// event the node writes from then on.
    fn node_section(&self, lang: Lang) -> Element<'_, Message> {
        let node = &self.node;
        let vi = lang == Lang::Vi;
        let line = |vi_label: &str, en_label: &str, value: &str| {
            text(format!("{}: {value}", if vi { vi_label } else { en_label })).size(theme::SMALL)
        };
        let help = if vi {
            "Đổi bằng lệnh: ocop-pos node set --store … --code … --catalogue …"
        } else {
            "Change with: ocop-pos node set --store … --code … --catalogue …"
        };
        column![
            text(if vi {
                "Máy trong cửa hàng"
            } else {
                "Node of the store"
            })
            .font(theme::BOLD),
            line("Mã cửa hàng", "Store id", &node.store),
            line("Mã máy", "Node code", &node.node),
            line("Máy danh mục", "Catalogue node", &node.catalogue_node),
            line("Lần chạy", "Incarnation", &node.incarnation),
            text(help).size(theme::SMALL),
        ]
        .spacing(theme::SPACE / 2.0)
        .into()
    }

    /// On a counter, at the top: the store's details are read from the catalogue node's
    /// events, so their fields here are read-only.
    fn follows_note(&self, lang: Lang) -> Option<Element<'_, Message>> {
        let node = &self.node;
        if node.writes_catalogue() {
            return None;
        }
        let catalogue = &node.catalogue_node;
        Some(
            text(if lang == Lang::Vi {
                format!(
                    "Thông tin cửa hàng, hóa đơn, chính sách và nhân viên do máy {catalogue} \
                     đặt và đến khi đồng bộ; ở đây chỉ sửa được cài đặt riêng của quầy (máy in, \
                     sao lưu, ký hiệu hóa đơn của quầy, mật khẩu gửi hóa đơn)."
                )
            } else {
                format!(
                    "The store's details, invoicing, policies and staff are set on node \
                     {catalogue} and arrive by sync; here only this counter's own settings \
                     change (printers, backups, its invoice series letters, sending passwords)."
                )
            })
            .size(theme::SMALL)
            .style(theme::muted)
            .into(),
        )
    }

    fn make_real_section(&self, lang: Lang) -> Element<'_, Message> {
        let press = if self.confirming_make_real {
            button(text(Label::MakeRealConfirm.text(lang)).font(theme::BOLD))
                .style(button::danger)
                .on_press(Message::ConfirmMakeReal)
        } else {
            button(text(Label::MakeRealButton.text(lang)))
                .style(button::secondary)
                .on_press(Message::MakeReal)
        };
        column![
            text(Label::MakeRealTitle.text(lang)).font(theme::BOLD),
            text(Label::MakeRealHelp.text(lang)).size(theme::SMALL),
            press.padding([8, 16]),
        ]
        .spacing(theme::SPACE)
        .into()
    }
}
