//! `ocop-pos einvoice …`: the invoices' way to the tax authority. `status` and `show` read;
//! `send` and `export` change what the queue records, so they take a manager's PIN and are
//! audited. Both run in this process, on the command's own connection: the window (which has
//! its own sender) holds the data folder meanwhile, so the two never send at once.

use super::{ManagerChange, open_existing, refusal};
use crate::config::Config;
use crate::core::audit::AuditAct;
use crate::core::clock::{format_day, format_local, local_date};
use crate::core::report::Period;
use crate::i18n::{
    Lang, day_delivery_text, delivery_state_name, not_configured_text, pass_report_text,
    refusal_text,
};
use crate::send::export::FileExport;
use crate::send::{OutboxAccess, PassEnd, PassOptions, PassReport, Provider, provider_for};
use crate::send::{PassError, send_pass};
use crate::store::Store;
use chrono::{NaiveDate, Utc};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::Path;

/// A line in Vietnamese, then in English.
fn both(text: impl Fn(Lang) -> String) -> String {
    format!("{}\n{}", text(Lang::Vi), text(Lang::En))
}

/// What waits, since when, where the queue stopped, and today's counts.
pub fn einvoice_status(config: &Config) -> Result<String, String> {
    let store = open_existing(config)?;
    let settings = store.send_settings().map_err(|e| refusal(&e))?;
    let summary = store.delivery_summary().map_err(|e| refusal(&e))?;
    let today = local_date(Utc::now());
    let day = store
        .delivery_in_period(Period::day(today))
        .map_err(|e| refusal(&e))?;
    let mut out = format!(
        "Nhà cung cấp / provider: {}{}\n",
        settings.provider.code(),
        if settings.url.is_empty() {
            String::new()
        } else {
            format!(" ({})", settings.url)
        }
    );
    let invoices = store.invoice_settings().map_err(|e| refusal(&e))?;
    let data_dir = &config.data_dir;
    if let Err(why) = provider_for(&settings, &invoices, data_dir) {
        out += &both(|lang| not_configured_text(&why, lang));
        out += "\n";
    }
    out += &format!(
        "Chưa gửi / unsent: {}{}\n",
        summary.unsent,
        summary.oldest.map_or(String::new(), |oldest| format!(
            " (cũ nhất / oldest {})",
            format_local(oldest)
        ))
    );
    if let Some(blocked) = &summary.blocked {
        out += &both(|lang| {
            format!(
                "{} {} ({}): {}",
                match lang {
                    Lang::Vi => "Dừng ở",
                    Lang::En => "Stopped at",
                },
                blocked.reference,
                blocked.detail,
                refusal_text(&blocked.refusal, lang)
            )
        });
        out += "\n";
    }
    out += &format!("{}: ", format_day(today));
    out += &both(|lang| day_delivery_text(&day, lang));
    Ok(out)
}

/// An invoice: its numbers and total, what the provider knows it by, and each step of its way;
/// with `xml`, its XML exactly as issued (as `invoice show --xml` writes it).
pub fn einvoice_show(
    config: &Config,
    reference: &str,
    xml: Option<&Path>,
) -> Result<String, String> {
    let store = open_existing(config)?;
    let invoice = store
        .einvoice(reference)
        .map_err(|e| refusal(&e))?
        .ok_or_else(|| format!("không có hóa đơn {reference} / there is no invoice {reference}"))?;
    let mut out = format!(
        "{} · {} · {} · {}\n",
        invoice.reference(),
        invoice.numbers.authority_code.as_deref().unwrap_or("—"),
        format_local(invoice.issued_at),
        invoice.total
    );
    match store.invoice_delivery(reference).map_err(|e| refusal(&e))? {
        None => {
            out += "Không gửi (hóa đơn mẫu) / not sent (a demo invoice)\n";
        }
        Some(delivery) => {
            out += &format!(
                "Mã gửi / key: {}\nTrạng thái / state: {} / {}\n",
                delivery.key,
                delivery_state_name(delivery.state, Lang::Vi),
                delivery_state_name(delivery.state, Lang::En)
            );
            for event in &delivery.events {
                out += &format!(
                    "  {} {} / {}: {}\n",
                    format_local(event.at),
                    delivery_state_name(event.state, Lang::Vi),
                    delivery_state_name(event.state, Lang::En),
                    event.detail
                );
                if let Some(why) = &event.refusal {
                    out += &format!(
                        "    {}\n    {}\n",
                        refusal_text(why, Lang::Vi),
                        refusal_text(why, Lang::En)
                    );
                }
            }
        }
    }
    if let Some(xml) = xml {
        write_stored_xml(&store, reference, xml)?;
        out += &xml.display().to_string();
    }
    Ok(out.trim_end().to_string())
}

/// Writes an invoice's XML exactly as stored with it.
pub(crate) fn write_stored_xml(store: &Store, reference: &str, path: &Path) -> Result<(), String> {
    let text = store
        .einvoice_xml(reference)
        .map_err(|e| refusal(&e))?
        .ok_or_else(|| format!("không có hóa đơn {reference} / there is no invoice {reference}"))?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A progress bar on the terminal for a pass of some size.
fn progress_bar() -> (ProgressBar, impl FnMut(usize, usize)) {
    let bar = ProgressBar::hidden();
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} hóa đơn / invoices")
            .expect("a fixed template"),
    );
    let shown = bar.clone();
    let progress = move |done: usize, total: usize| {
        if done == 0 && total > 0 {
            shown.set_draw_target(ProgressDrawTarget::stderr());
            shown.set_length(total as u64);
        }
        shown.set_position(done as u64);
    };
    (bar, progress)
}

/// Runs a pass with a progress bar; the report, audited as `act` with `subject`.
fn audited_pass(
    change: &mut ManagerChange,
    provider: &mut dyn Provider,
    options: PassOptions,
    act: AuditAct,
    subject: &str,
) -> Result<String, String> {
    let before = change
        .store
        .delivery_summary()
        .map_err(|e| refusal(&e))?
        .unsent;
    let access = OutboxAccess::new(change.store.path());
    let (bar, mut progress) = progress_bar();
    let passed = send_pass(&access, provider, options, &mut progress);
    bar.finish_and_clear();
    let report: PassReport = passed.map_err(|error| match error {
        PassError::Store(error) => refusal(&error),
        PassError::Stopped => "stopped".to_string(),
    })?;
    let after = format!("{} → {}", report.handed_over, pass_end_code(&report.end));
    change.audit(act, subject, &before.to_string(), &after)?;
    let said = both(|lang| pass_report_text(&report, lang));
    match report.end {
        PassEnd::Emptied => Ok(said),
        // Scripts see that something is left to do.
        PassEnd::Blocked(_) | PassEnd::Failed(_) => Err(said),
    }
}

fn pass_end_code(end: &PassEnd) -> String {
    match end {
        PassEnd::Emptied => "ok".into(),
        PassEnd::Blocked(blocked) => format!("{} {}", blocked.reference, blocked.refusal.code()),
        PassEnd::Failed(_) => "failed".into(),
    }
}

/// Sends now through the provider of the settings, the invoice the queue stopped at too.
pub fn einvoice_send(change: &mut ManagerChange, config: &Config) -> Result<String, String> {
    let settings = change.store.send_settings().map_err(|e| refusal(&e))?;
    let invoices = change.store.invoice_settings().map_err(|e| refusal(&e))?;
    let mut provider = provider_for(&settings, &invoices, &config.data_dir)
        .map_err(|why| both(|lang| not_configured_text(&why, lang)))?;
    let options = PassOptions {
        retry_refused: true,
        day: None,
        verdicts: true,
    };
    audited_pass(
        change,
        provider.as_mut(),
        options,
        AuditAct::SendEinvoices,
        settings.provider.code(),
    )
}

/// Writes a day's unsent invoices into `dir` as upload files (each invoice's XML and a
/// message-206 package) and records them as exported.
pub fn einvoice_export(
    change: &mut ManagerChange,
    day: NaiveDate,
    dir: &Path,
) -> Result<String, String> {
    let settings = change.store.send_settings().map_err(|e| refusal(&e))?;
    let invoices = change.store.invoice_settings().map_err(|e| refusal(&e))?;
    let mut export = FileExport::new(dir.to_path_buf(), &settings, &invoices);
    let options = PassOptions {
        retry_refused: true,
        day: Some(day),
        verdicts: false,
    };
    let subject = format!("{day} {}", dir.display());
    let said = audited_pass(
        change,
        &mut export,
        options,
        AuditAct::ExportEinvoices,
        &subject,
    )?;
    Ok(format!("{said}\n{}", dir.display()))
}
