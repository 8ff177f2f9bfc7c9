//! `ocop-pos products import|export` and `producers import|export`: the catalogue as CSV.

use super::{ManagerChange, both_languages, open_existing};
use crate::config::Config;
use crate::core::inventory::InventoryError;
use crate::documents::{producers_csv, products_csv};
use crate::i18n::Notice;
use crate::store::{ImportMode, ImportOutcome, Store, StoreError};
use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;

/// Files shorter than this import in a blink: no progress bar.
const ROWS_WORTH_A_PROGRESS_BAR: usize = 5_000;

/// Which catalogue file a command reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Catalogue {
    Products,
    Producers,
}

/// The CSV file's text; refused when it is not UTF-8.
pub(crate) fn read_csv(file: &Path) -> Result<String, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    String::from_utf8(bytes).map_err(|_| {
        refusal(&StoreError::Inventory(InventoryError::Unreadable(
            "UTF-8".to_string(),
        )))
    })
}

/// Checks a CSV file and tells what importing it would create (+) and change (~), or every bad
/// line with its reason. Changes nothing, so it needs no PIN and works while the window runs.
pub fn preview_catalogue(
    config: &Config,
    catalogue: Catalogue,
    file: &Path,
) -> Result<String, String> {
    let text = read_csv(file)?;
    let mut store = open_existing(config)?;
    let outcome = import(&mut store, catalogue, &text, ImportMode::Preview, "")?;
    Ok(summary(&outcome, true))
}

/// Imports a checked CSV file's `text` all or nothing (every bad line is named), audited by
/// the store in the import's own transaction: each product or producer created or changed,
/// each price change and each opening stock set has a row of its own.
pub fn import_catalogue(
    change: &mut ManagerChange,
    catalogue: Catalogue,
    text: &str,
) -> Result<String, String> {
    let manager = change.manager.name.clone();
    let outcome = import(
        &mut change.store,
        catalogue,
        text,
        ImportMode::Commit,
        &manager,
    )?;
    Ok(summary(&outcome, false))
}

fn import(
    store: &mut Store,
    catalogue: Catalogue,
    text: &str,
    mode: ImportMode,
    by: &str,
) -> Result<ImportOutcome, String> {
    match catalogue {
        Catalogue::Products => {
            let bar = ProgressBar::hidden();
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len}").expect("a fixed template"),
            );
            let mut progress = |done: usize, rows: usize| {
                if done == 1 && rows >= ROWS_WORTH_A_PROGRESS_BAR {
                    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                    bar.set_length(rows as u64);
                }
                bar.set_position(done as u64);
            };
            let outcome = store.import_products(text, mode, Utc::now(), by, &mut progress);
            bar.finish_and_clear();
            outcome
        }
        Catalogue::Producers => store.import_producers(text, mode, Utc::now(), by),
    }
    .map_err(|e| refusal(&e))
}

/// Writes the catalogue in the format import reads (UTF-8 with BOM, for Excel).
pub fn export_catalogue(
    config: &Config,
    catalogue: Catalogue,
    file: &Path,
) -> Result<String, String> {
    let store = open_existing(config)?;
    let (rows, text) = match catalogue {
        Catalogue::Products => {
            let products = store.export_products(Utc::now()).map_err(|e| refusal(&e))?;
            (products.len(), products_csv(&products))
        }
        Catalogue::Producers => {
            let producers: Vec<_> = store
                .producer_drafts()
                .map_err(|e| refusal(&e))?
                .into_iter()
                .map(|(_, draft)| draft)
                .collect();
            (producers.len(), producers_csv(&producers))
        }
    };
    std::fs::write(file, text).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(both_languages(&Notice::CatalogueExported {
        rows,
        file: file.display().to_string(),
    }))
}

fn refusal(error: &StoreError) -> String {
    both_languages(&Notice::from_store_error(error))
}

/// Lines of a dry run listed at most; a larger file is summed up by the counts.
const PREVIEW_LINES: usize = 50;

/// The counts in both languages; a dry run also lists what it would create (+), change (~,
/// each field old → new) and set as opening stock (=), the first [`PREVIEW_LINES`] of them.
fn summary(outcome: &ImportOutcome, dry_run: bool) -> String {
    let mut out = both_languages(&Notice::CatalogueImported {
        created: outcome.created.len(),
        changed: outcome.changed.len(),
        unchanged: outcome.unchanged,
        dry_run,
    });
    if dry_run {
        for line in outcome.preview_lines().take(PREVIEW_LINES) {
            out += &format!("\n{line}");
        }
        let more = outcome.preview_len().saturating_sub(PREVIEW_LINES);
        if more > 0 {
            out += &format!("\n… (+{more})");
        }
    }
    out
}
