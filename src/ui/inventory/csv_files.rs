//! The catalogue as CSV files: export products or producers to the data folder, and import a
//! file all or nothing — first a preview of what would be created and changed (or every bad
//! line with its reason), then the import of exactly the file previewed.

use super::Outcome;
use crate::core::clock::local_date;
use crate::core::inventory::InventoryError;
use crate::documents::Document;
use crate::i18n::{Label, Lang, Notice, OfficeText};
use crate::store::{ImportMode, ImportOutcome, Store, StoreError};
use crate::ui::{Context, theme};
use chrono::{DateTime, Utc};
use iced::widget::{
    button, column, container, pick_list, progress_bar, row, scrollable, text, text_input,
};
use iced::{Alignment, Element, Fill};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The file path field.
pub const CSV_PATH_INPUT: &str = "csv-path";

/// Lines of a preview listed by SKU or name; the counts cover the rest.
const KEYS_LISTED: usize = 500;

/// Which catalogue file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    Products,
    Producers,
}

impl Sheet {
    fn label(self) -> Label {
        match self {
            Sheet::Products => Label::InvProducts,
            Sheet::Producers => Label::InvProducers,
        }
    }
}

/// A sheet under its name on screen, for the pick list.
#[derive(Debug, Clone, PartialEq)]
struct Named(Sheet, &'static str);

impl fmt::Display for Named {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.1)
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Sheet(Sheet),
    Path(String),
    Preview,
    Import,
    Export,
    /// How far a check or an import running off the window's thread has got: rows done, rows.
    Progress(usize, usize),
    /// The check or the import finished — or why it came to nothing.
    Finished(Result<Done, Notice>),
    /// Stop the check or the import running: nothing is kept.
    Cancel,
    /// Open the system's file dialog.
    Browse,
    /// What the file dialog gave (None: closed without a choice): previewed at once.
    Picked(Option<String>),
}

/// What a job off the window's thread came to.
#[derive(Debug, Clone)]
pub enum Done {
    /// The file checked: what importing it would do.
    Previewed(Arc<Previewed>),
    /// The file checked and refused: every bad line with its reason.
    Refused(Notice),
    Imported(Imported),
    /// The sheet read for export: the CSV file to write.
    Exported(Box<Document>),
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Imported {
    sheet: Sheet,
    created: usize,
    changed: usize,
    unchanged: usize,
    /// The products created or changed (none for producers): their rows alone are read again.
    products: Vec<i64>,
}

/// What a job does with the file.
#[derive(Debug)]
enum Work {
    /// Reads the file and imports it without keeping anything: the preview.
    Check { path: String },
    /// Imports the text previewed, for good.
    Import { text: Arc<str> },
    /// Reads the sheet to export (300,000 products take seconds and hundreds of megabytes
    /// while read: not on the window's thread); the window writes the file.
    Export,
}

/// A file checked or imported off the window's thread, on a connection of its own to the
/// store: 100,000 rows take seconds (13 s for the command line's import, BENCHMARKS.md).
#[derive(Debug)]
pub struct CsvJob {
    sheet: Sheet,
    work: Work,
    store_path: PathBuf,
    by: String,
    at: DateTime<Utc>,
    cancel: Arc<AtomicBool>,
}

impl CsvJob {
    /// Checks or imports the file, telling `progress` how far it got; `Finished`'s value. The
    /// import is one transaction: stopped or failed, it keeps nothing.
    pub fn run(self, progress: &mut dyn FnMut(usize, usize)) -> Result<Done, Notice> {
        let stored = |error| Notice::from_store_error(&error);
        let mut store = Store::open(&self.store_path).map_err(stored)?;
        let (text, mode) = match &self.work {
            Work::Check { path } => (Arc::from(read_utf8(path)?), ImportMode::Preview),
            Work::Import { text } => (text.clone(), ImportMode::Commit),
            Work::Export => return self.export(&store, progress).map_err(stored),
        };
        let (at, by) = (self.at, self.by.as_str());
        let result = match self.sheet {
            Sheet::Products => {
                store.import_products_cancellable(&text, mode, at, by, progress, &self.cancel)
            }
            Sheet::Producers => {
                store.import_producers_cancellable(&text, mode, at, by, progress, &self.cancel)
            }
        };
        let cancelled = matches!(
            result,
            Err(StoreError::Inventory(InventoryError::ImportCancelled))
        );
        match (mode, result) {
            (_, Err(error)) if cancelled => Err(stored(error)),
            (ImportMode::Preview, Err(error)) => Ok(Done::Refused(stored(error))),
            (ImportMode::Preview, Ok(outcome)) => Ok(Done::Previewed(Arc::new(Previewed {
                sheet: self.sheet,
                text,
                outcome,
            }))),
            (ImportMode::Commit, Err(error)) => Err(stored(error)),
            (ImportMode::Commit, Ok(outcome)) => Ok(Done::Imported(Imported {
                sheet: self.sheet,
                created: outcome.created.len(),
                changed: outcome.changed.len(),
                unchanged: outcome.unchanged,
                products: match self.sheet {
                    Sheet::Products => store
                        .product_ids(&[outcome.created, outcome.changed].concat())
                        .map_err(stored)?,
                    Sheet::Producers => Vec::new(),
                },
            })),
        }
    }
}

impl CsvJob {
    /// The sheet as its CSV document, read on the job's own connection.
    fn export(
        &self,
        store: &Store,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Done, StoreError> {
        let day = local_date(self.at);
        let document = match self.sheet {
            Sheet::Products => Document::ProductsCsv {
                products: store.export_products_cancellable(self.at, progress, &self.cancel)?,
                day,
            },
            Sheet::Producers => Document::ProducersCsv {
                producers: store
                    .producer_drafts()?
                    .into_iter()
                    .map(|(_, draft)| draft)
                    .collect(),
                day,
            },
        };
        Ok(Done::Exported(Box::new(document)))
    }
}

/// What a job off the window's thread is doing, for its progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Doing {
    Checking,
    Importing,
    Exporting,
}

/// A job under way: how far it got, and the switch that stops it.
#[derive(Debug)]
struct Running {
    doing: Doing,
    done: usize,
    rows: usize,
    cancel: Arc<AtomicBool>,
}

/// A file checked and ready to import, with what importing it would do.
#[derive(Debug)]
pub struct Previewed {
    sheet: Sheet,
    text: Arc<str>,
    outcome: ImportOutcome,
}

#[derive(Debug)]
pub struct CsvFiles {
    sheet: Sheet,
    path: String,
    previewed: Option<Arc<Previewed>>,
    /// Why the file cannot be imported (every bad line), shown in place of a preview.
    refusal: Option<Notice>,
    /// A check or an import running off the window's thread.
    running: Option<Running>,
    /// A check or an import asked for, until the window starts it.
    job: Option<CsvJob>,
    /// The file dialog asked for, until the window opens it.
    browse: bool,
}

impl Default for CsvFiles {
    fn default() -> CsvFiles {
        CsvFiles {
            sheet: Sheet::Products,
            path: String::new(),
            previewed: None,
            refusal: None,
            running: None,
            job: None,
            browse: false,
        }
    }
}

impl CsvFiles {
    pub fn update(
        &mut self,
        message: Message,
        context: &mut Context<'_>,
    ) -> Result<Outcome, Notice> {
        match message {
            // One job at a time, on the file and sheet it started with.
            Message::Sheet(_)
            | Message::Path(_)
            | Message::Preview
            | Message::Import
            | Message::Export
            | Message::Browse
            | Message::Picked(_)
                if self.running.is_some() => {}
            Message::Sheet(sheet) => {
                self.sheet = sheet;
                self.previewed = None;
                self.refusal = None;
            }
            Message::Path(path) => {
                self.path = path;
                self.previewed = None;
                self.refusal = None;
            }
            Message::Preview => {
                self.previewed = None;
                self.refusal = None;
                let path = self.path.trim().to_string();
                // How many rows is known once the file is read.
                self.start(self.sheet, Work::Check { path }, 0, context);
            }
            Message::Import => {
                let Some(previewed) = self.previewed.take() else {
                    return Err(Notice::PreviewFirst);
                };
                let outcome = &previewed.outcome;
                let rows = outcome.created.len() + outcome.changed.len() + outcome.unchanged;
                let text = previewed.text.clone();
                self.start(previewed.sheet, Work::Import { text }, rows, context);
            }
            Message::Progress(done, rows) => {
                if let Some(running) = &mut self.running {
                    (running.done, running.rows) = (done, rows);
                }
            }
            Message::Browse => self.browse = true,
            Message::Picked(None) => {}
            Message::Picked(Some(path)) => {
                self.path = path;
                return self.update(Message::Preview, context);
            }
            Message::Cancel => {
                if let Some(running) = &self.running {
                    running.cancel.store(true, Ordering::Relaxed);
                }
            }
            Message::Finished(result) => {
                self.running = None;
                match result? {
                    Done::Previewed(previewed) => self.previewed = Some(previewed),
                    Done::Refused(refusal) => self.refusal = Some(refusal),
                    Done::Exported(document) => {
                        return Ok(Outcome {
                            document: Some(*document),
                            ..Outcome::default()
                        });
                    }
                    Done::Imported(imported) => {
                        let notice = Notice::CatalogueImported {
                            created: imported.created,
                            changed: imported.changed,
                            unchanged: imported.unchanged,
                            dry_run: false,
                        };
                        return Ok(match imported.sheet {
                            // Producers are known by name: an import changes no product's row.
                            Sheet::Producers => Outcome::changed_producers(notice, Vec::new()),
                            Sheet::Products => Outcome::changed_products(notice, imported.products),
                        });
                    }
                }
            }
            // How many rows is not known until they are read.
            Message::Export => self.start(self.sheet, Work::Export, 0, context),
        }
        Ok(Outcome::default())
    }

    /// Hands `work` to the window to run off its thread, and shows its progress meanwhile.
    fn start(&mut self, sheet: Sheet, work: Work, rows: usize, context: &Context<'_>) {
        let cancel = Arc::new(AtomicBool::new(false));
        self.running = Some(Running {
            doing: match work {
                Work::Check { .. } => Doing::Checking,
                Work::Import { .. } => Doing::Importing,
                Work::Export => Doing::Exporting,
            },
            done: 0,
            rows,
            cancel: cancel.clone(),
        });
        self.job = Some(CsvJob {
            sheet,
            work,
            store_path: context.store.path().to_path_buf(),
            by: context.staff.name.clone(),
            at: context.now,
            cancel,
        });
    }

    /// Whether the file dialog was asked for (once): the window opens it.
    pub fn take_browse(&mut self) -> bool {
        std::mem::take(&mut self.browse)
    }

    /// The check or import asked for, for the window to start off its thread.
    pub fn take_job(&mut self) -> Option<CsvJob> {
        self.job.take()
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let sheets = [Sheet::Products, Sheet::Producers]
            .map(|sheet| Named(sheet, sheet.label().text(lang)))
            .to_vec();
        let chosen = sheets.iter().find(|named| named.0 == self.sheet).cloned();
        // While a job runs, the file and the sheet stay those it started with.
        let idle = self.running.is_none();
        let controls = row![
            pick_list(sheets, chosen, |named: Named| Message::Sheet(named.0)),
            text_input(Label::InvCsvPathHint.text(lang), &self.path)
                .id(CSV_PATH_INPUT)
                .on_input_maybe(idle.then_some(Message::Path))
                .on_submit_maybe(idle.then_some(Message::Preview))
                .padding(6)
                .width(Fill),
            button(text(OfficeText::ChooseFile.text(lang)))
                .style(button::secondary)
                .on_press_maybe(idle.then_some(Message::Browse)),
            button(text(Label::InvCsvPreview.text(lang)))
                .style(button::secondary)
                .on_press_maybe(idle.then_some(Message::Preview)),
            button(text(Label::InvCsvImport.text(lang)))
                .style(button::success)
                .on_press_maybe(self.previewed.as_ref().map(|_| Message::Import)),
            button(text(Label::InvCsvExport.text(lang)))
                .on_press_maybe(idle.then_some(Message::Export)),
        ]
        .spacing(theme::SPACE)
        .align_y(Alignment::Center);
        let body: Element<'_, Message> = match (&self.running, &self.previewed, &self.refusal) {
            (Some(running), _, _) => running_view(running, lang),
            (None, Some(previewed), _) => preview_view(&previewed.outcome, lang),
            (None, None, Some(refusal)) => text(refusal.text(lang)).style(theme::danger).into(),
            (None, None, None) => text(Label::InvCsvHelp.text(lang))
                .style(theme::muted)
                .into(),
        };
        column![
            controls,
            container(scrollable(body).height(Fill).width(Fill))
                .padding(theme::PAD)
                .style(theme::panel)
                .height(Fill),
        ]
        .spacing(theme::SPACE)
        .into()
    }
}

/// A check, an import or an export under way: a progress bar with the rows done, and the
/// button that stops it.
fn running_view(running: &Running, lang: Lang) -> Element<'_, Message> {
    let (done, rows) = (running.done, running.rows);
    let (doing, stop) = match running.doing {
        Doing::Importing => (OfficeText::Importing, OfficeText::StopImport),
        Doing::Checking => (OfficeText::Checking, OfficeText::StopCheck),
        Doing::Exporting => (OfficeText::Exporting, OfficeText::StopExport),
    };
    // Until the rows are counted (an export, the start of a check) there is nothing to count.
    let said = if rows == 0 {
        doing.text(lang).to_string()
    } else {
        format!("{} {done} / {rows}", doing.text(lang))
    };
    column![
        text(said).font(theme::BOLD),
        progress_bar(0.0..=rows.max(1) as f32, done as f32),
        button(text(stop.text(lang)))
            .style(button::danger)
            .on_press(Message::Cancel),
    ]
    .spacing(theme::SPACE)
    .into()
}

fn preview_view(outcome: &ImportOutcome, lang: Lang) -> Element<'_, Message> {
    let counts = Notice::CatalogueImported {
        created: outcome.created.len(),
        changed: outcome.changed.len(),
        unchanged: outcome.unchanged,
        dry_run: true,
    };
    let keys = outcome
        .preview_lines()
        .take(KEYS_LISTED)
        .map(|line| text(line).size(theme::SMALL).into());
    let more = outcome.preview_len().saturating_sub(KEYS_LISTED);
    column![
        text(counts.text(lang)).font(theme::BOLD),
        column(keys).spacing(2),
        text(if more > 0 {
            format!("… (+{more})")
        } else {
            String::new()
        })
        .size(theme::SMALL)
        .style(theme::muted),
    ]
    .spacing(theme::SPACE)
    .into()
}

/// The file's text; a file that is not UTF-8 is refused as the command line refuses it.
fn read_utf8(path: &str) -> Result<String, Notice> {
    let bytes = std::fs::read(path).map_err(|error| Notice::FileUnreadable {
        path: path.to_string(),
        error: error.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|_| Notice::NotUtf8(path.to_string()))
}
