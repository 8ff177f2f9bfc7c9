//! Manager commands that need no window. `main` reads the command line with [`Cli`] and hands
//! the command to [`run`]; nothing here knows the window.
//!
//! Commands that only read (lists, reports, exports, backups) run as they are. Commands that
//! change data take a [`ManagerChange`]: the data folder's lock, the store, and the manager
//! whose PIN was typed; each writes the audit row the same act writes in the window.

mod args;
mod einvoice;
mod events;
mod hardware;
mod hub;
mod invoice;
mod node;
mod orders;
mod pin;
mod products;
mod report;
mod staff;
mod till_sim;

pub use args::{
    BuyerCommand, CatalogueCommand, Cli, Command, CorrectedBuyer, EinvoiceCommand, EventsCommand,
    HubCommand, HubReportCommand, HubUrl, INVOICE_KEY_PREFIX, InvoiceCommand, LabelsArgs,
    MethodArg, NodeCommand, PackCommand, PackContents, PrinterCommand, ReceiptCommand, ReplaceArgs,
    ReportCommand, RoleArg, SEND_KEY_PREFIX, SettingsCommand, StaffCommand, TillSimArgs,
    date as parse_date, subcommand_paths,
};
pub use einvoice::{einvoice_export, einvoice_send, einvoice_show, einvoice_status};
pub use events::{export_events, import_events};
pub use hardware::{print_labels, printer_test};
pub use hub::{hub_alerts, hub_init, hub_report_day, hub_report_producer, hub_url, sync_once};
pub use invoice::{
    add_buyer, add_gift_pack, adjust_invoice, edit_gift_pack, list_buyers, list_gift_packs,
    replace_invoice, set_gift_pack_active, show_invoice,
};
pub use node::{NodeChange, set_node, show_node};
pub use orders::{list_orders, receivables, statement};
pub use pin::{ManagerChange, PinSource, approve, open_existing};
pub use products::{Catalogue, export_catalogue, import_catalogue, preview_catalogue};
pub use report::{list_producers, report_day, report_producer};
pub use staff::{
    add_staff, disable_staff, enable_staff, list_staff, reset_staff_pin, set_staff_role,
};
pub use till_sim::{FAST_SYNC, HUB_STATUS_PREFIX, SOLD_PREFIX, SimRandom, TillSimPlan, till_sim};

use crate::config::Config;
use crate::core::audit::AuditAct;
use crate::core::delivery::SendSettings;
use crate::core::einvoice::{InvoiceBuyer, InvoiceSettings};
use crate::core::giftpack::PackPricing;
use crate::core::invoice::Buyer;
use crate::core::report::Period;
use crate::core::settings::{Setting, check_hub_url, hub_url_shown};
use crate::documents::Document;
use crate::i18n::{CommandNotice, Lang, Notice, chain_break_text, chain_kind_name};
use crate::lock::{DataLock, LockError};
use crate::store::backup::{
    back_up, backups_dir, list_backups, parse_keep, restore_backup, restore_loss,
};
use crate::store::{
    AUTO_OPEN_SESSIONS, BLOCK_NEGATIVE_STOCK, BuyerCorrectionRequest, DISCOUNT_LIMIT_SETTING,
    HUB_URL_SETTING, IDLE_LOCK_SETTING, NEGATIVE_STOCK_SETTING, REQUIRE_OPEN_SESSION,
    SESSION_POLICY_SETTING, Store, StoreError, VOID_LIMIT_SETTING, WARN_ON_NEGATIVE_STOCK,
    manager_in_file,
};
use chrono::Utc;
use pin::{pin_refused, told};
use rust_decimal::Decimal;
use std::io::Write;
use std::path::{Path, PathBuf};

impl Cli {
    /// The data folder and whether a new one gets the demo (the window's choice).
    pub fn config(&self) -> Config {
        Config::new(self.data_dir.clone(), !self.no_demo)
    }
}

/// Runs a command on the data folder of `config`; returns what to print. `out` gets what must
/// be said before a PIN is asked (what a restore would lose).
pub fn run(
    command: Command,
    config: &Config,
    pins: &mut PinSource,
    out: &mut dyn Write,
) -> Result<String, String> {
    let change = |pins: &mut PinSource| ManagerChange::begin(config, pins);
    match command {
        Command::Receipt(ReceiptCommand::Reprint { number, pdf }) => {
            reprint_receipt(&mut change(pins)?, config, &number, pdf.as_deref())
                .map(|path| path.display().to_string())
        }
        Command::Settings { set: None } => show_settings(config),
        Command::Settings {
            set: Some(SettingsCommand::Set { key, value }),
        } => {
            let mut change = change(pins)?;
            let value = secret_value(&key, value, pins)?;
            set_setting(&mut change, &key, &value)
        }
        Command::Backup { to } => back_up_by_hand(config, to.as_deref()),
        Command::Backups => show_backups(config),
        Command::Restore { file } => restore(config, pins, out, &file),
        Command::Producers { file: None } => list_producers(config),
        Command::Producers { file: Some(file) } => {
            catalogue(config, pins, Catalogue::Producers, file)
        }
        Command::Products(file) => catalogue(config, pins, Catalogue::Products, file),
        Command::Pack(PackCommand::Add { sku, contents }) => {
            let (pricing, items) = pack_contents(&contents);
            add_gift_pack(&mut change(pins)?, &sku, &contents.name, pricing, items)
        }
        Command::Pack(PackCommand::Edit { sku, contents }) => {
            let (pricing, items) = pack_contents(&contents);
            edit_gift_pack(&mut change(pins)?, &sku, &contents.name, pricing, items)
        }
        Command::Pack(PackCommand::Deactivate { sku }) => {
            set_gift_pack_active(&mut change(pins)?, &sku, false)
        }
        Command::Pack(PackCommand::Activate { sku }) => {
            set_gift_pack_active(&mut change(pins)?, &sku, true)
        }
        Command::Packs => list_gift_packs(config),
        Command::Staff { add: None } => list_staff(config),
        Command::Staff {
            add: Some(StaffCommand::Add { name, role }),
        } => add_staff(config, pins, &name, role.into()),
        Command::Staff {
            add: Some(StaffCommand::Disable { name }),
        } => disable_staff(&mut change(pins)?, &name),
        Command::Staff {
            add: Some(StaffCommand::Enable { name }),
        } => enable_staff(&mut change(pins)?, &name),
        Command::Staff {
            add: Some(StaffCommand::Role { name, role }),
        } => set_staff_role(&mut change(pins)?, &name, role.into()),
        Command::Staff {
            add: Some(StaffCommand::ResetPin { name }),
        } => reset_staff_pin(&mut change(pins)?, pins, &name),
        Command::Verify => verify(config),
        Command::Node(NodeCommand::Show) => show_node(config),
        Command::Node(NodeCommand::Set {
            store,
            code,
            catalogue,
            invoice_series,
        }) => set_node(
            &mut change(pins)?,
            NodeChange {
                store: store.as_deref(),
                code: code.as_deref(),
                catalogue_node: catalogue.as_deref(),
                invoice_series_per_node: invoice_series.map(|series| series == "node"),
            },
        ),
        Command::Events(EventsCommand::Export { since, file }) => {
            export_events(config, since, &file)
        }
        Command::Events(EventsCommand::Import { file }) => import_events(&mut change(pins)?, &file),
        Command::Orders { open, due } => list_orders(config, open, due),
        Command::Receivables => receivables(config),
        Command::Statement {
            customer,
            from,
            to,
            pdf,
        } => statement(config, &customer, Period { from, to }, &pdf),
        Command::Buyer(BuyerCommand::Add {
            tax_code,
            name,
            address,
            email,
            contact,
        }) => {
            let buyer = Buyer {
                id: 0,
                tax_code,
                name,
                address,
                email,
                contact,
            };
            add_buyer(&mut change(pins)?, &buyer)
        }
        Command::Buyers { query } => list_buyers(config, query.as_deref().unwrap_or_default()),
        Command::Invoice(InvoiceCommand::Show { number, pdf, xml }) => {
            show_invoice(config, &number, &pdf, xml.as_deref())
        }
        Command::Invoice(InvoiceCommand::Replace(replace)) => {
            let ReplaceArgs {
                number,
                reason,
                agreement,
                buyer,
                pdf,
            } = *replace;
            let request = BuyerCorrectionRequest {
                buyer: corrected_buyer(buyer),
                reason,
                agreement,
                by: String::new(),
            };
            replace_invoice(
                &mut change(pins)?,
                config,
                &number,
                &request,
                pdf.as_deref(),
            )
        }
        Command::Invoice(InvoiceCommand::Adjust {
            number,
            items,
            reason,
            method,
            no_restock,
        }) => adjust_invoice(
            &mut change(pins)?,
            &number,
            &items,
            &reason,
            method.into(),
            !no_restock,
        ),
        Command::Einvoice(EinvoiceCommand::Status) => einvoice_status(config),
        Command::Einvoice(EinvoiceCommand::Send) => einvoice_send(&mut change(pins)?, config),
        Command::Einvoice(EinvoiceCommand::Export { date, dir }) => {
            einvoice_export(&mut change(pins)?, date, &dir)
        }
        Command::Einvoice(EinvoiceCommand::Show { number, xml }) => {
            einvoice_show(config, &number, xml.as_deref())
        }
        Command::Printer(PrinterCommand::Test { pdf }) => printer_test(config, pdf.as_deref()),
        Command::Labels(labels) => {
            let pdf = labels.pdf.clone();
            print_labels(config, labels.choice(), pdf.as_deref())
        }
        Command::Report(ReportCommand::Day { date, pdf, csv }) => {
            report_day(config, date, pdf.as_deref(), csv.as_deref())
        }
        Command::Sync {
            once: _,
            hub: HubUrl { url },
        } => sync_once(config, url),
        Command::TillSim(args) => {
            let mut change = change(pins)?;
            let url = hub_url(config, args.hub.url.clone())?;
            till_sim(&mut change, &url, &args.plan(), out)
        }
        Command::Hub(HubCommand::Init(HubUrl { url })) => hub_init(&hub_url(config, url)?),
        Command::Hub(HubCommand::Alerts(HubUrl { url })) => hub_alerts(&hub_url(config, url)?),
        Command::Hub(HubCommand::Report(HubReportCommand::Day {
            date,
            hub: HubUrl { url },
        })) => hub_report_day(&hub_url(config, url)?, date),
        Command::Hub(HubCommand::Report(HubReportCommand::Producer {
            producer,
            from,
            to,
            hub: HubUrl { url },
        })) => hub_report_producer(&hub_url(config, url)?, &producer, from, to),
        Command::Report(ReportCommand::Producer {
            producer,
            from,
            to,
            pdf,
            csv,
        }) => report_producer(
            config,
            producer,
            Period { from, to },
            pdf.as_deref(),
            csv.as_deref(),
        ),
    }
}

/// A password given as `-` is asked for (at the terminal without echo, or the next line of
/// `--pin-stdin`), so it never sits in the shell's history.
fn secret_value(key: &str, value: String, pins: &mut PinSource) -> Result<String, String> {
    let secret = key
        .strip_prefix(SEND_KEY_PREFIX)
        .is_some_and(SendSettings::is_secret);
    if secret && value == "-" {
        pins.read(&CommandNotice::SecretPrompt(key.to_string()))
    } else {
        Ok(value)
    }
}

/// The buyer a correction names, as its options say.
fn corrected_buyer(buyer: CorrectedBuyer) -> Option<InvoiceBuyer> {
    let CorrectedBuyer {
        tax_code,
        cccd,
        phone,
        passport,
        consumer,
        name,
        address,
        email,
        contact,
    } = buyer;
    if consumer {
        return None;
    }
    Some(match (tax_code, passport) {
        (Some(tax_code), _) => InvoiceBuyer::Company(Buyer {
            id: 0,
            tax_code,
            name,
            address,
            email,
            contact,
        }),
        (None, Some(passport)) => InvoiceBuyer::Foreigner {
            name,
            passport,
            address,
        },
        (None, None) => InvoiceBuyer::Person {
            name,
            id_number: cccd.unwrap_or_default(),
            phone: phone.unwrap_or_default(),
            address,
        },
    })
}

/// `products|producers import|export`: a dry run and an export only read; an import changes
/// the catalogue (the file is read before the PIN is asked).
fn catalogue(
    config: &Config,
    pins: &mut PinSource,
    catalogue: Catalogue,
    command: CatalogueCommand,
) -> Result<String, String> {
    match command {
        CatalogueCommand::Export { file } => export_catalogue(config, catalogue, &file),
        CatalogueCommand::Import {
            file,
            dry_run: true,
        } => preview_catalogue(config, catalogue, &file),
        CatalogueCommand::Import {
            file,
            dry_run: false,
        } => {
            let text = products::read_csv(&file)?;
            let mut change = ManagerChange::begin(config, pins)?;
            import_catalogue(&mut change, catalogue, &text)
        }
    }
}

fn pack_contents(contents: &PackContents) -> (PackPricing, &[(String, Decimal)]) {
    let pricing = match (contents.price.price, contents.price.discount) {
        (Some(price), _) => PackPricing::Fixed(price),
        // clap lets exactly one of the two through.
        (None, discount) => PackPricing::LessThanContents(discount.unwrap_or_default()),
    };
    (pricing, &contents.items)
}

pub(crate) fn refusal(error: &StoreError) -> String {
    both_languages(&Notice::from_store_error(error))
}

/// Writes a copy of a past receipt, audited as a reprint (like the window's F11); returns
/// where it went.
pub fn reprint_receipt(
    change: &mut ManagerChange,
    config: &Config,
    receipt_no: &str,
    pdf: Option<&Path>,
) -> Result<PathBuf, String> {
    let sale = change
        .store
        .sale_by_receipt_no(receipt_no)
        .map_err(|e| refusal(&e))?
        .ok_or_else(|| {
            format!(
                "Máy này không có hóa đơn số {receipt_no}; nếu bán ở quầy khác, hãy đồng bộ \
                 trước / this counter does not know receipt {receipt_no}; if it was sold at \
                 another counter, sync first"
            )
        })?;
    let copies = change
        .store
        .audit_count(AuditAct::Reprint, &sale.receipt_no)
        .map_err(|e| refusal(&e))?;
    change.audit(
        AuditAct::Reprint,
        &sale.receipt_no,
        "",
        &(copies + 1).to_string(),
    )?;
    let shop = change.store.shop_settings().map_err(|e| refusal(&e))?;
    Document::Receipt {
        sale: Box::new(sale),
        copy: true,
    }
    .write(&config.data_dir, &shop, pdf)
    .map_err(|e| e.to_string())
}

/// Every setting `settings set` takes, with its value now, in the order `settings` shows them.
fn settings_now(store: &Store) -> Result<Vec<(String, String)>, String> {
    let shop = store.shop_settings().map_err(|e| refusal(&e))?;
    let serde_json::Value::Object(fields) =
        serde_json::to_value(&shop).map_err(|e| e.to_string())?
    else {
        unreachable!("ShopSettings serialises as an object");
    };
    let mut settings: Vec<(String, String)> = fields
        .into_iter()
        .map(|(key, value)| (key, value.as_str().unwrap_or_default().to_string()))
        .collect();
    let read = |result: Result<Option<String>, StoreError>| result.map_err(|e| refusal(&e));
    let backups = store.backup_policy().map_err(|e| refusal(&e))?;
    let second_dir = backups.second_dir.map(|dir| dir.display().to_string());
    settings.extend([
        (
            "idle_lock_minutes".to_string(),
            store
                .idle_lock_minutes()
                .map_err(|e| refusal(&e))?
                .to_string(),
        ),
        (
            "discount_limit_pct".to_string(),
            store
                .discount_limit_pct()
                .map_err(|e| refusal(&e))?
                .to_string(),
        ),
        (
            "void_limit".to_string(),
            store
                .cashier_limits()
                .map_err(|e| refusal(&e))?
                .void_amount
                .dong()
                .to_string(),
        ),
        (
            "session_policy".to_string(),
            read(store.setting(SESSION_POLICY_SETTING))?
                .unwrap_or_else(|| REQUIRE_OPEN_SESSION.to_string()),
        ),
        (
            "negative_stock".to_string(),
            read(store.setting(NEGATIVE_STOCK_SETTING))?
                .unwrap_or_else(|| WARN_ON_NEGATIVE_STOCK.to_string()),
        ),
        (
            "hub_url".to_string(),
            hub_url_shown(&read(store.setting(HUB_URL_SETTING))?.unwrap_or_default()),
        ),
        ("backup_keep".to_string(), backups.keep.to_string()),
        (
            "backup_second_dir".to_string(),
            second_dir.unwrap_or_default(),
        ),
    ]);
    let invoices = store.invoice_settings().map_err(|e| refusal(&e))?;
    settings.extend(InvoiceSettings::FIELDS.into_iter().map(|field| {
        (
            format!("{INVOICE_KEY_PREFIX}{field}"),
            invoices.field(field).unwrap_or_default(),
        )
    }));
    // Passwords only as set or not: never printed, nor written in the audit log.
    let sending = store.send_settings().map_err(|e| refusal(&e))?;
    settings.extend(SendSettings::FIELDS.into_iter().map(|field| {
        (
            format!("{SEND_KEY_PREFIX}{field}"),
            sending.shown(field).unwrap_or_default(),
        )
    }));
    Ok(settings)
}

/// The settings as `key = value` lines, and whether this is the demo or a real store.
pub fn show_settings(config: &Config) -> Result<String, String> {
    let store = open_existing(config)?;
    let mut out = String::new();
    for (key, value) in settings_now(&store)? {
        out += &format!("{key} = {value}\n");
    }
    let invoices = store.invoice_settings().map_err(|e| refusal(&e))?;
    out += &format!(
        "{INVOICE_KEY_PREFIX}status = {}\n",
        both_languages(&Notice::InvoiceRegistration(invoices.status())).replace('\n', " / ")
    );
    let kind = store.store_kind().map_err(|e| refusal(&e))?;
    out += &format!("store_kind = {}\n", kind.code());
    Ok(out)
}

/// Changes one setting after checking it, audited with its value before and after. Refused
/// while the window is open: it would not see the change, and could overwrite it.
pub fn set_setting(change: &mut ManagerChange, key: &str, value: &str) -> Result<String, String> {
    let value_of = |store: &Store| -> Result<String, String> {
        Ok(settings_now(store)?
            .into_iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
            .unwrap_or_default())
    };
    let before = value_of(&change.store)?;
    store_setting(&mut change.store, key, value)?;
    let after = value_of(&change.store)?;
    change.audit(AuditAct::SettingChanged, key, &before, &after)?;
    Ok(told(&CommandNotice::SettingChanged {
        key: key.to_string(),
        value: after,
    }))
}

fn store_setting(store: &mut Store, key: &str, value: &str) -> Result<(), String> {
    if let Some(field) = key.strip_prefix("backup_") {
        return set_backup_setting(store, field, value);
    }
    if let Some(field) = key.strip_prefix(SEND_KEY_PREFIX)
        && let Some(field) = SendSettings::FIELDS.into_iter().find(|f| *f == field)
    {
        let changed = store
            .send_settings()
            .map_err(|e| refusal(&e))?
            .with_field(field, value)
            .map_err(|e| e.to_string())?;
        return store
            .set_setting(
                &crate::store::setting_key(Setting::Send(field)),
                &changed.field(field).unwrap_or_default(),
            )
            .map_err(|e| refusal(&e));
    }
    if let Some(field) = key.strip_prefix(INVOICE_KEY_PREFIX) {
        let changed = store
            .invoice_settings()
            .map_err(|e| refusal(&e))?
            .with_field(field, value)
            .map_err(|e| e.to_string())?;
        return store
            .save_invoice_settings(&changed)
            .map_err(|e| refusal(&e));
    }
    if key == "hub_url" {
        let url = check_hub_url(value).map_err(|e| format!("hub_url: {e}"))?;
        return store
            .set_setting(HUB_URL_SETTING, &url)
            .map_err(|e| refusal(&e));
    }
    if key == "void_limit" {
        let amount = crate::core::money::parse_amount(value)
            .map_err(|e| format!("void_limit: {}", both_languages(&Notice::Amount(e))))?;
        return store
            .set_setting(VOID_LIMIT_SETTING, &amount.dong().to_string())
            .map_err(|e| refusal(&e));
    }
    let staff_setting = match key {
        "idle_lock_minutes" => Some(IDLE_LOCK_SETTING),
        "discount_limit_pct" => Some(DISCOUNT_LIMIT_SETTING),
        _ => None,
    };
    if let Some(setting) = staff_setting {
        let number: Decimal = value
            .trim()
            .parse()
            .ok()
            .filter(|n: &Decimal| *n >= Decimal::ZERO)
            .ok_or_else(|| format!("{key}: cần một số không âm / needs a number, 0 or more"))?;
        return store
            .set_setting(setting, &number.normalize().to_string())
            .map_err(|e| refusal(&e));
    }
    if key == "session_policy" {
        let policy = value.trim();
        if policy != AUTO_OPEN_SESSIONS && policy != REQUIRE_OPEN_SESSION {
            return Err(format!(
                "session_policy là “{REQUIRE_OPEN_SESSION}” hoặc “{AUTO_OPEN_SESSIONS}” / is “{REQUIRE_OPEN_SESSION}” or “{AUTO_OPEN_SESSIONS}”"
            ));
        }
        return store
            .set_setting(SESSION_POLICY_SETTING, policy)
            .map_err(|e| refusal(&e));
    }
    if key == "negative_stock" {
        let policy = value.trim();
        if policy != WARN_ON_NEGATIVE_STOCK && policy != BLOCK_NEGATIVE_STOCK {
            return Err(format!(
                "negative_stock là “{WARN_ON_NEGATIVE_STOCK}” hoặc “{BLOCK_NEGATIVE_STOCK}” / is “{WARN_ON_NEGATIVE_STOCK}” or “{BLOCK_NEGATIVE_STOCK}”"
            ));
        }
        return store
            .set_setting(NEGATIVE_STOCK_SETTING, policy)
            .map_err(|e| refusal(&e));
    }
    let shop = store.shop_settings().map_err(|e| refusal(&e))?;
    let changed = shop.with_field(key, value).map_err(|e| e.to_string())?;
    store.save_shop_settings(&changed).map_err(|e| refusal(&e))
}

fn set_backup_setting(store: &Store, field: &str, value: &str) -> Result<(), String> {
    let mut policy = store.backup_policy().map_err(|e| e.to_string())?;
    match field {
        "keep" => {
            policy.keep = parse_keep(value)
                .ok_or("backup_keep: một số nguyên từ 1 trở lên / a whole number from 1 up")?
        }
        "second_dir" => {
            let dir = value.trim();
            policy.second_dir = (!dir.is_empty()).then(|| PathBuf::from(dir));
        }
        _ => return Err(format!("unknown setting backup_{field}")),
    }
    store.save_backup_policy(&policy).map_err(|e| e.to_string())
}

/// A notice in Vietnamese, then in English: commands have no language switch.
pub(crate) fn both_languages(notice: &Notice) -> String {
    format!("{}\n{}", notice.text(Lang::Vi), notice.text(Lang::En))
}

pub(crate) fn lock_refusal(error: LockError) -> String {
    match error {
        LockError::InUse { holder } => both_languages(&Notice::DataInUse(holder)),
        LockError::Io(error) => error.to_string(),
    }
}

/// Takes a verified backup now, as the app does daily: into the data folder's `backups/`, the
/// second folder of the settings, and `to`. An online copy: the window may stay open.
pub fn back_up_by_hand(config: &Config, to: Option<&Path>) -> Result<String, String> {
    let policy = open_existing(config)?
        .backup_policy()
        .map_err(|e| both_languages(&Notice::BackupFailed(e.to_string())))?;
    let report = back_up(&config.data_dir, &policy, to, Utc::now())
        .map_err(|e| both_languages(&Notice::BackupFailed(e.to_string())))?;
    let mut out = both_languages(&Notice::BackupTaken(
        report.backup.path.display().to_string(),
    ));
    for copy in &report.copies {
        out += &format!("\n+ {}", copy.display());
    }
    for removed in &report.removed {
        out += &format!("\n- {}", removed.display());
    }
    for (folder, error) in &report.warnings {
        out += "\n";
        out += &both_languages(&Notice::BackupWarning {
            folder: folder.display().to_string(),
            error: error.to_string(),
        });
    }
    Ok(out)
}

/// One line per backup, newest first: local time, size, sales, last receipt, file.
pub fn show_backups(config: &Config) -> Result<String, String> {
    let backups = list_backups(&backups_dir(&config.data_dir)).map_err(|e| e.to_string())?;
    let mut out = String::new();
    for backup in backups {
        let contents = match &backup.contents {
            Ok(contents) => format!(
                "{:>7} đơn/sales  {:<11}",
                contents.sales,
                contents.last_receipt_no.as_deref().unwrap_or("—")
            ),
            Err(error) => {
                both_languages(&Notice::BackupUnreadable(error.clone())).replace('\n', " / ")
            }
        };
        out += &format!(
            "{}  {:>12} B  {contents}  {}\n",
            crate::core::clock::format_local(backup.taken_at),
            backup.size,
            backup.path.display()
        );
    }
    Ok(out)
}

/// Replaces the data folder's database with a backup, keeping the current one aside. Says
/// first what the restore takes out of the store (the numbers issued since the backup), then
/// asks for a manager's PIN. Refused while the window (or another command) holds the folder.
///
/// The PIN is checked against the store being replaced; when there is none to check against
/// (no store yet, a damaged one, or one without a manager), against the backup's managers.
pub fn restore(
    config: &Config,
    pins: &mut PinSource,
    out: &mut dyn Write,
    file: &Path,
) -> Result<String, String> {
    let lock = DataLock::acquire(&config.data_dir).map_err(lock_refusal)?;
    let failed = |error: String| both_languages(&Notice::RestoreFailed(error));
    let lost = restore_loss(&config.data_dir, file).map_err(|e| failed(e.to_string()))?;
    let _ = writeln!(out, "{}", told(&CommandNotice::RestoreLoses(lost)));
    let current = match config.has_store().then(|| Store::open_in(&config.data_dir)) {
        None | Some(Err(StoreError::DamagedFile(_))) => None,
        Some(Err(error)) => return Err(refusal(&error)),
        Some(Ok(store)) => Some(store).filter(|store| store.has_manager().unwrap_or(false)),
    };
    let manager = match current {
        Some(mut store) => approve(&mut store, pins)?,
        None => {
            let pin = pins.read(&CommandNotice::ManagerPinPrompt)?;
            manager_in_file(file, &pin)
                .map_err(|e| failed(e.to_string()))?
                .ok_or_else(|| pin_refused(crate::store::SignInError::NotAManager))?
        }
    };
    let report = restore_backup(&config.data_dir, file, &lock, &manager, None, Utc::now())
        .map_err(|e| failed(e.to_string()))?;
    Ok(both_languages(&Notice::Restored {
        backup: file.display().to_string(),
        set_aside: report.set_aside.map(|path| path.display().to_string()),
    }))
}

/// Checks every record of every hash chain: one line per chain (records checked, its head),
/// then each break not acknowledged. An error when there is one, so scripts see it.
pub fn verify(config: &Config) -> Result<String, String> {
    let mut store = open_existing(config)?;
    let checks = store.verify_chains(Utc::now()).map_err(|e| refusal(&e))?;
    let mut out = String::new();
    for check in &checks {
        let head = check.head.map_or("—".to_string(), |head| {
            format!("#{} {}", head.position, head.short_hash())
        });
        let state = if check.broken.is_some() {
            "HỎNG / BROKEN"
        } else {
            "OK"
        };
        out.push_str(&format!(
            "{} / {}: {} đã kiểm / checked, đầu chuỗi / head {head}: {state}\n",
            chain_kind_name(check.kind, Lang::Vi),
            chain_kind_name(check.kind, Lang::En),
            check.checked,
        ));
    }
    let breaks = store.unacknowledged_breaks().map_err(|e| refusal(&e))?;
    if breaks.is_empty() {
        return Ok(out.trim_end().to_string());
    }
    for stored in &breaks {
        out.push_str(&format!(
            "\n{}\n{}\n",
            chain_break_text(&stored.chain_break, Lang::Vi),
            chain_break_text(&stored.chain_break, Lang::En)
        ));
    }
    out.push_str(
        "\nKhông bán được cho đến khi quản lý xác nhận trong cửa sổ chương trình.\n\
         No sale until a manager acknowledges it in the window.",
    );
    Err(out)
}
