//! Backups on screen: the list of backups with a restore button, a backup by hand, the
//! automatic daily backup, and what the window says when the store cannot be used (another
//! copy of the program holds it, or its file is damaged and only a restore helps).
//!
//! Backups and restores run on a worker thread: a backup opens its own connection, so the
//! counter keeps selling; a restore runs while the store is closed.

use crate::core::clock::format_local;
use crate::core::staff::StaffMember;
use crate::i18n::restore_loss_text;
use crate::i18n::{Label, Lang, Notice};
use crate::lock::{DataLock, LockError};
use crate::store::StoreError;
use crate::store::backup::{
    BackupInfo, BackupPolicy, back_up, back_up_if_due, backups_dir, is_due, list_backups,
    newest_backup_time, restore_backup, restore_loss, set_demo_aside,
};
use crate::store::numbering::LostNumbers;
use crate::ui::theme;
use chrono::{DateTime, TimeDelta, Utc};
use iced::futures::channel::oneshot;
use iced::widget::{Column, button, center, column, container, row, scrollable, text};
use iced::{Alignment, Element, Fill, FillPortion, Task};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// After a failed automatic backup, the clock waits this long before trying again.
const RETRY_AFTER: TimeDelta = TimeDelta::hours(1);

/// Why the counter cannot sell.
#[derive(Debug)]
pub enum Unavailable {
    /// Another copy of the program works on the data folder.
    InUse { holder: Option<u32> },
    /// The database file failed its check: it is not used, a restore is offered.
    Damaged(String),
    /// The store could not be opened for another reason, told as it is.
    Failed(String),
    /// A backup is being restored; the store is closed meanwhile.
    Restoring,
}

impl From<StoreError> for Unavailable {
    fn from(error: StoreError) -> Unavailable {
        match error {
            StoreError::DamagedFile(detail) => Unavailable::Damaged(detail),
            other => Unavailable::Failed(other.to_string()),
        }
    }
}

impl From<LockError> for Unavailable {
    fn from(error: LockError) -> Unavailable {
        match error {
            LockError::InUse { holder } => Unavailable::InUse { holder },
            LockError::Io(error) => Unavailable::Failed(error.to_string()),
        }
    }
}

/// The work running in the background; one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Listing,
    BackingUp,
    Restoring,
}

#[derive(Debug, Clone)]
pub enum Message {
    BackUpNow,
    AskRestore(PathBuf),
    /// What restoring the backup asked about would take out of the store (or why that could
    /// not be read).
    LossKnown {
        backup: PathBuf,
        loss: Result<Vec<LostNumbers>, String>,
    },
    ConfirmRestore,
    CancelRestore,
    /// A background job ended: what to tell, and the backups as they are now.
    Finished {
        job: Job,
        notice: Option<Notice>,
        backups: Vec<BackupInfo>,
        newest: Option<DateTime<Utc>>,
    },
}

/// What the screen asks the window to do.
#[derive(Debug)]
pub enum Action {
    None,
    Run(Task<Message>),
    /// Close the store, then call [`Backups::restore`] with this backup.
    CloseStoreAndRestore(PathBuf),
    /// A restore ended (well or not): open the store again.
    ReopenStore,
}

/// The restore asked about, with what it would lose once that is known.
struct RestoreQuestion {
    backup: PathBuf,
    loss: Option<Result<Vec<LostNumbers>, String>>,
}

/// Who restores, for the restored store's audit log: the person signed in and the manager who
/// approved the screen for a cashier.
#[derive(Debug, Clone)]
pub struct Restorer {
    pub actor: StaffMember,
    pub approver: Option<StaffMember>,
}

pub struct Backups {
    data_dir: PathBuf,
    /// The data folder's lock, needed to restore; none when another copy holds the folder.
    lock: Option<Arc<DataLock>>,
    policy: BackupPolicy,
    backups: Vec<BackupInfo>,
    /// When the newest backup in the data folder was taken, for the daily one.
    newest: Option<DateTime<Utc>>,
    job: Option<Job>,
    /// A backup asked for while another job ran (a cash session closed during the daily one).
    backup_queued: bool,
    last_failure: Option<DateTime<Utc>>,
    confirm: Option<RestoreQuestion>,
    notice: Option<Notice>,
}

impl Backups {
    pub fn new(data_dir: PathBuf, lock: Option<Arc<DataLock>>, policy: BackupPolicy) -> Backups {
        Backups {
            data_dir,
            lock,
            policy,
            backups: Vec::new(),
            newest: None,
            job: None,
            backup_queued: false,
            last_failure: None,
            confirm: None,
            notice: None,
        }
    }

    /// The backup settings changed (the store was opened again).
    pub fn set_policy(&mut self, policy: BackupPolicy) {
        self.policy = policy;
    }

    pub fn backups(&self) -> &[BackupInfo] {
        &self.backups
    }

    pub fn job(&self) -> Option<Job> {
        self.job
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The newest backup that could be read: what a damaged store is offered.
    pub fn newest_good(&self) -> Option<&BackupInfo> {
        self.backups.iter().find(|backup| backup.contents.is_ok())
    }

    /// At start: takes the daily backup if it is due (only when the store is fit to sell —
    /// a damaged one would never pass the check), and lists the backups.
    pub fn start(&mut self, store_usable: bool, now: DateTime<Utc>) -> Task<Message> {
        if store_usable {
            self.run_backup(now, false)
        } else {
            self.run(Job::Listing, |_, _| None)
        }
    }

    /// On the window's clock: the daily backup, unless one ran (or failed) recently.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Task<Message> {
        let retry_wait_over = self
            .last_failure
            .is_none_or(|failed_at| now - failed_at >= RETRY_AFTER);
        if self.job.is_none() && retry_wait_over && is_due(self.newest, now) {
            self.run_backup(now, false)
        } else {
            Task::none()
        }
    }

    /// A backup now, whether or not one is due: by hand, or when a cash session closed. When
    /// another job runs, it follows that one.
    pub fn back_up_now(&mut self, now: DateTime<Utc>) -> Task<Message> {
        if self.job.is_some() {
            self.backup_queued = true;
            Task::none()
        } else {
            self.run_backup(now, true)
        }
    }

    /// Keeps the demo store aside (the window closed it first) so a real one starts in the
    /// folder; the list forgets the demo's backups, which went with it. Refused while a backup
    /// or restore runs: it reads the files that would move.
    pub fn set_demo_aside(&mut self, now: DateTime<Utc>) -> Result<PathBuf, Notice> {
        let Some(lock) = &self.lock else {
            return Err(Notice::DataInUse(None));
        };
        if self.job.is_some() {
            return Err(Notice::WaitForBackup);
        }
        let folder = set_demo_aside(&self.data_dir, lock, now)
            .map_err(|error| Notice::RestoreFailed(error.to_string()))?;
        self.backups.clear();
        self.newest = None;
        Ok(folder)
    }

    /// True while a backup, a listing or a restore runs.
    pub fn is_busy(&self) -> bool {
        self.job.is_some()
    }

    /// Restores a backup; the window has closed its store first. Ends with
    /// [`Action::ReopenStore`] whatever happened.
    pub fn restore(&mut self, backup: PathBuf, by: Restorer, now: DateTime<Utc>) -> Task<Message> {
        let lock = self.lock.clone();
        self.run(Job::Restoring, move |data_dir, _| {
            let Some(lock) = lock else {
                return Some(Notice::DataInUse(None));
            };
            let restored = restore_backup(
                data_dir,
                &backup,
                &lock,
                &by.actor,
                by.approver.as_ref(),
                now,
            );
            Some(match restored {
                Ok(report) => Notice::Restored {
                    backup: backup.display().to_string(),
                    set_aside: report.set_aside.map(|path| path.display().to_string()),
                },
                Err(error) => Notice::RestoreFailed(error.to_string()),
            })
        })
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::BackUpNow => Action::Run(self.back_up_now(Utc::now())),
            Message::AskRestore(backup) => {
                if self.lock.is_none() || self.job.is_some() {
                    return Action::None;
                }
                self.confirm = Some(RestoreQuestion {
                    backup: backup.clone(),
                    loss: None,
                });
                Action::Run(self.find_loss(backup))
            }
            Message::LossKnown { backup, loss } => {
                if let Some(question) = &mut self.confirm
                    && question.backup == backup
                {
                    question.loss = Some(loss);
                }
                Action::None
            }
            Message::CancelRestore => {
                self.confirm = None;
                Action::None
            }
            // Only once the person has been told what the restore loses.
            Message::ConfirmRestore => match self.confirm.take() {
                Some(RestoreQuestion {
                    backup,
                    loss: Some(Ok(_)),
                }) if self.job.is_none() => Action::CloseStoreAndRestore(backup),
                question => {
                    self.confirm = question;
                    Action::None
                }
            },
            Message::Finished {
                job,
                notice,
                backups,
                newest,
            } => {
                self.job = None;
                self.backups = backups;
                self.newest = newest;
                if job == Job::BackingUp {
                    let failed = matches!(notice, Some(Notice::BackupFailed(_)));
                    self.last_failure = failed.then(Utc::now);
                }
                if notice.is_some() {
                    self.notice = notice;
                }
                if job == Job::Restoring {
                    Action::ReopenStore
                } else if std::mem::take(&mut self.backup_queued) {
                    Action::Run(self.run_backup(Utc::now(), true))
                } else {
                    Action::None
                }
            }
        }
    }

    /// Reads, off the UI thread, what restoring `backup` would lose: it looks through the
    /// documents folder.
    fn find_loss(&self, backup: PathBuf) -> Task<Message> {
        let data_dir = self.data_dir.clone();
        Task::perform(
            async move {
                let (done, result) = oneshot::channel();
                let asked = backup.clone();
                std::thread::spawn(move || {
                    let loss = restore_loss(&data_dir, &asked).map_err(|e| e.to_string());
                    let _ = done.send(loss);
                });
                let loss = result
                    .await
                    .unwrap_or_else(|_| Err("the worker thread stopped".into()));
                Message::LossKnown { backup, loss }
            },
            |message| message,
        )
    }

    /// `by_hand`: taken whether or not one is due.
    fn run_backup(&mut self, now: DateTime<Utc>, by_hand: bool) -> Task<Message> {
        let policy = self.policy.clone();
        self.run(Job::BackingUp, move |data_dir, _| {
            let taken = if by_hand {
                back_up(data_dir, &policy, None, now).map(Some)
            } else {
                back_up_if_due(data_dir, &policy, now)
            };
            match taken {
                Ok(None) => None,
                Ok(Some(report)) => Some(match report.warnings.first() {
                    Some((folder, error)) => Notice::BackupWarning {
                        folder: folder.display().to_string(),
                        error: error.to_string(),
                    },
                    None => Notice::BackupTaken(report.backup.path.display().to_string()),
                }),
                Err(error) => Some(Notice::BackupFailed(error.to_string())),
            }
        })
    }

    /// Runs `work` on a worker thread, then lists the backups (of the data folder and of the
    /// second folder) for the screen.
    fn run(
        &mut self,
        job: Job,
        work: impl FnOnce(&Path, &BackupPolicy) -> Option<Notice> + Send + 'static,
    ) -> Task<Message> {
        self.job = Some(job);
        let data_dir = self.data_dir.clone();
        let policy = self.policy.clone();
        // The thread starts when the runtime first polls the task, i.e. after `update` has
        // returned and the window has done what the action asked (closed its store).
        Task::perform(
            async move {
                let (done, result) = oneshot::channel();
                std::thread::spawn(move || {
                    let notice = work(&data_dir, &policy);
                    let _ = done.send(listed(job, notice, &data_dir, &policy));
                });
                result.await.unwrap_or_else(|_| Message::Finished {
                    job,
                    notice: Some(Notice::BackupFailed("the worker thread stopped".into())),
                    backups: Vec::new(),
                    newest: None,
                })
            },
            |message| message,
        )
    }

    /// The screen: take a backup, pick one to restore.
    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let busy = self.job.map(|job| {
            text(match job {
                Job::Listing => "…",
                Job::BackingUp => Label::BackingUp.text(lang),
                Job::Restoring => Label::Restoring.text(lang),
            })
            .style(theme::muted)
        });
        let where_to = text(
            Notice::BackupFolders {
                folder: backups_dir(&self.data_dir).display().to_string(),
                keep: self.policy.keep,
                second: self
                    .policy
                    .second_dir
                    .as_ref()
                    .map(|dir| dir.display().to_string()),
            }
            .text(lang),
        )
        .size(theme::SMALL)
        .style(theme::muted);
        let notice = self.notice.as_ref().map(|notice| {
            container(text(notice.text(lang)).size(theme::SMALL))
                .padding([4, 12])
                .width(Fill)
                .style(theme::notice(notice.level()))
        });
        column![
            text(Label::BackupsTitle.text(lang))
                .size(theme::HEADING)
                .font(theme::BOLD),
            where_to,
            row![
                button(text(Label::BackUpNow.text(lang)))
                    .height(theme::BUTTON_HEIGHT)
                    .on_press_maybe(self.job.is_none().then_some(Message::BackUpNow)),
                busy,
            ]
            .spacing(theme::SPACE)
            .align_y(Alignment::Center),
            notice,
            self.confirmation(lang),
            self.list(lang),
        ]
        .spacing(theme::SPACE)
        .padding(theme::PAD)
        .into()
    }

    fn confirmation(&self, lang: Lang) -> Option<Element<'_, Message>> {
        let RestoreQuestion { backup, loss } = self.confirm.as_ref()?;
        let question = Notice::ConfirmRestore(backup.display().to_string());
        let loss_told: Element<'_, Message> = match loss {
            None => text("…").into(),
            Some(Ok(lost)) => text(restore_loss_text(lost, lang)).into(),
            Some(Err(error)) => text(Notice::BackupUnreadable(error.clone()).text(lang))
                .style(text::danger)
                .into(),
        };
        let known = matches!(loss, Some(Ok(_)));
        Some(
            container(
                column![
                    text(question.text(lang)),
                    loss_told,
                    row![
                        button(text(Label::RestoreThis.text(lang)))
                            .style(button::danger)
                            .height(theme::BUTTON_HEIGHT)
                            .on_press_maybe(known.then_some(Message::ConfirmRestore)),
                        button(text(Label::GoBack.text(lang)))
                            .style(button::secondary)
                            .height(theme::BUTTON_HEIGHT)
                            .on_press(Message::CancelRestore),
                    ]
                    .spacing(theme::SPACE),
                ]
                .spacing(theme::SPACE),
            )
            .padding(theme::PAD)
            .width(Fill)
            .style(theme::panel)
            .into(),
        )
    }

    fn list(&self, lang: Lang) -> Element<'_, Message> {
        if self.backups.is_empty() {
            return text(Label::NoBackups.text(lang)).into();
        }
        let head = row![
            text(Label::TakenAt.text(lang))
                .font(theme::BOLD)
                .width(FillPortion(3)),
            text(Label::FileSize.text(lang))
                .font(theme::BOLD)
                .width(FillPortion(2)),
            text(Label::SalesCount.text(lang))
                .font(theme::BOLD)
                .width(FillPortion(2)),
            text(Label::LastReceipt.text(lang))
                .font(theme::BOLD)
                .width(FillPortion(3)),
            text("").width(FillPortion(2)),
        ]
        .spacing(theme::SPACE);
        let can_restore = self.lock.is_some() && self.job.is_none();
        let rows = self.backups.iter().map(|backup| {
            let described: Element<'_, Message> = match &backup.contents {
                Ok(contents) => row![
                    text(contents.sales).width(FillPortion(2)),
                    text(contents.last_receipt_no.as_deref().unwrap_or("—")).width(FillPortion(3)),
                    button(text(Label::RestoreButton.text(lang)))
                        .style(button::secondary)
                        .on_press_maybe(
                            can_restore.then(|| Message::AskRestore(backup.path.clone()))
                        )
                        .width(FillPortion(2)),
                ]
                .spacing(theme::SPACE)
                .width(FillPortion(7))
                .into(),
                Err(error) => text(Notice::BackupUnreadable(error.clone()).text(lang))
                    .style(text::danger)
                    .width(FillPortion(7))
                    .into(),
            };
            row![
                column![
                    text(format_local(backup.taken_at)),
                    text(folder_of(&backup.path))
                        .size(theme::SMALL)
                        .style(theme::muted),
                ]
                .width(FillPortion(3)),
                text(format_size(backup.size, lang)).width(FillPortion(2)),
                described,
            ]
            .spacing(theme::SPACE)
            .align_y(Alignment::Center)
            .into()
        });
        column![head, scrollable(Column::with_children(rows).spacing(4))]
            .spacing(4)
            .into()
    }

    /// What the window shows instead of the counter.
    pub fn unavailable_view<'a>(
        &'a self,
        why: &'a Unavailable,
        lang: Lang,
    ) -> Element<'a, Message> {
        let heading = |label: Label| {
            text(label.text(lang))
                .size(theme::HEADING)
                .font(theme::BOLD)
        };
        let content: Element<'a, Message> = match why {
            Unavailable::InUse { holder } => column![
                heading(Label::DataInUse),
                text(Notice::DataInUse(*holder).text(lang)),
            ]
            .spacing(theme::SPACE)
            .into(),
            Unavailable::Failed(detail) => {
                column![heading(Label::StartupFailed), text(detail.as_str())]
                    .spacing(theme::SPACE)
                    .into()
            }
            Unavailable::Restoring => heading(Label::Restoring).into(),
            Unavailable::Damaged(detail) => {
                let offer: Element<'a, Message> = match self.newest_good() {
                    Some(backup) => button(text(format!(
                        "{} ({})",
                        Label::RestoreNewest.text(lang),
                        format_local(backup.taken_at)
                    )))
                    .style(button::danger)
                    .height(theme::BUTTON_HEIGHT)
                    .on_press_maybe(
                        (self.job.is_none() && self.lock.is_some())
                            .then(|| Message::AskRestore(backup.path.clone())),
                    )
                    .into(),
                    None if self.job.is_some() => text("…").into(),
                    None => text(Label::NoGoodBackup.text(lang)).into(),
                };
                column![
                    heading(Label::DataDamaged),
                    text(Label::DataDamagedHelp.text(lang)),
                    text(detail.as_str()).size(theme::SMALL).style(theme::muted),
                    offer,
                    self.view(lang),
                ]
                .spacing(theme::SPACE)
                .into()
            }
        };
        center(container(content).max_width(900.0).padding(theme::PAD)).into()
    }
}

/// The backups of the data folder and of the second folder, newest first. A second folder
/// that is not there (a USB stick not plugged in) simply adds none.
fn listed(job: Job, notice: Option<Notice>, data_dir: &Path, policy: &BackupPolicy) -> Message {
    let local = backups_dir(data_dir);
    let mut notice = notice;
    let mut backups = list_backups(&local).unwrap_or_else(|error| {
        notice.get_or_insert(Notice::BackupsNotListed(error.to_string()));
        Vec::new()
    });
    if let Some(second) = &policy.second_dir {
        backups.extend(list_backups(second).unwrap_or_default());
        backups.sort_by_key(|backup| std::cmp::Reverse(backup.taken_at));
    }
    Message::Finished {
        job,
        notice,
        backups,
        newest: newest_backup_time(&local, Utc::now()).unwrap_or_default(),
    }
}

fn folder_of(path: &Path) -> String {
    path.parent()
        .map(|folder| folder.display().to_string())
        .unwrap_or_default()
}

/// `12,3 MB` in Vietnamese, `12.3 MB` in English; `41 KB` below a megabyte.
fn format_size(bytes: u64, lang: Lang) -> String {
    if bytes < 1_000_000 {
        return format!("{} KB", bytes.div_ceil(1000));
    }
    let tenths = (bytes as f64 / 1e5).round() as u64;
    let separator = match lang {
        Lang::Vi => ',',
        Lang::En => '.',
    };
    format!("{}{separator}{} MB", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_megabytes_with_the_language_s_decimal_mark() {
        assert_eq!(format_size(12_345_678, Lang::Vi), "12,3 MB");
        assert_eq!(format_size(12_345_678, Lang::En), "12.3 MB");
        assert_eq!(format_size(40_960, Lang::En), "41 KB");
    }
}
