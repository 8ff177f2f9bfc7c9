//! `ocop-pos products import|export` and `producers import|export`: the catalogue as CSV.

use super::{both_languages, lock_refusal};
use crate::config::Config;
use crate::core::inventory::InventoryError;
use crate::documents::{producers_csv, products_csv};
use crate::i18n::Notice;
use crate::lock::DataLock;
use crate::store::{ImportMode, ImportOutcome, StoreError};
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

/// Checks a CSV file and imports it all or nothing; `dry_run` only tells what would change.
/// Every bad line is named with its reason.
pub fn import_catalogue(
    config: &Config,
    catalogue: Catalogue,
    file: &Path,
    dry_run: bool,
) -> Result<String, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        refusal(&StoreError::Inventory(InventoryError::Unreadable(
            "UTF-8".to_string(),
        )))
    })?;
    // Importing changes what the window has loaded: refused while it is open.
    let _lock = if dry_run {
        None
    } else {
        Some(DataLock::acquire(&config.data_dir).map_err(lock_refusal)?)
    };
    let mut store = config.open_store().map_err(|e| e.to_string())?;
    let mode = if dry_run {
        ImportMode::Preview
    } else {
        ImportMode::Commit
    };
    let outcome = match catalogue {
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
            let outcome =
                store.import_products(&text, mode, Utc::now(), super::COMMAND_LINE, &mut progress);
            bar.finish_and_clear();
            outcome
        }
        Catalogue::Producers => store.import_producers(&text, mode),
    }
    .map_err(|e| refusal(&e))?;
    Ok(summary(&outcome, dry_run))
}

/// Writes the catalogue in the format import reads (UTF-8 with BOM, for Excel).
pub fn export_catalogue(
    config: &Config,
    catalogue: Catalogue,
    file: &Path,
) -> Result<String, String> {
    let store = config.open_store().map_err(|e| e.to_string())?;
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

/// The counts in both languages; a dry run also lists what it would create (+) and change (~).
fn summary(outcome: &ImportOutcome, dry_run: bool) -> String {
    let mut out = both_languages(&Notice::CatalogueImported {
        created: outcome.created.len(),
        changed: outcome.changed.len(),
        unchanged: outcome.unchanged,
        dry_run,
    });
    if dry_run {
        for key in &outcome.created {
            out += &format!("\n+ {key}");
        }
        for key in &outcome.changed {
            out += &format!("\n~ {key}");
        }
    }
    out
}
