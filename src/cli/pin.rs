//! A manager's PIN for every command that changes data: typed at the terminal without echo
//! (never an argument, never shown), or read from standard input with `--pin-stdin`.

use super::{both_languages, lock_refusal, refusal};
use crate::config::Config;
use crate::core::audit::{Actor, AuditAct};
use crate::core::staff::{AuditChange, StaffMember};
use crate::i18n::{CommandNotice, Lang};
use crate::lock::DataLock;
use crate::store::{SignInError, Store, StoreError};
use chrono::Utc;
use std::io::{BufRead, IsTerminal};

/// Where PINs come from.
pub enum PinSource {
    /// Typed at the terminal, not echoed.
    Terminal,
    /// One PIN a line, in the order they are asked (`--pin-stdin`, and tests).
    Lines(Box<dyn BufRead>),
}

impl PinSource {
    /// `--pin-stdin`: standard input; else the terminal.
    pub fn new(pin_stdin: bool) -> PinSource {
        if pin_stdin {
            PinSource::Lines(Box::new(std::io::stdin().lock()))
        } else {
            PinSource::Terminal
        }
    }

    /// PINs given in advance, one a line.
    pub fn lines(text: &str) -> PinSource {
        PinSource::Lines(Box::new(std::io::Cursor::new(
            text.to_string().into_bytes(),
        )))
    }

    /// Asks for one PIN.
    pub fn read(&mut self, prompt: &CommandNotice) -> Result<String, String> {
        match self {
            PinSource::Terminal => {
                // A piped standard input means a script: it must say --pin-stdin, rather than
                // hang on a terminal nobody watches.
                if !std::io::stdin().is_terminal() {
                    return Err(told(&CommandNotice::NoTerminal));
                }
                let prompt = format!("{}/ {}", prompt.text(Lang::Vi), prompt.text(Lang::En));
                rpassword::prompt_password(prompt)
                    .map(|pin| pin.trim().to_string())
                    .map_err(|_| told(&CommandNotice::NoTerminal))
            }
            PinSource::Lines(lines) => {
                let mut line = String::new();
                match lines.read_line(&mut line) {
                    Ok(0) | Err(_) => Err(told(&CommandNotice::NoPinGiven)),
                    Ok(_) => Ok(line.trim().to_string()),
                }
            }
        }
    }
}

/// A notice of the command line in both languages.
pub(crate) fn told(notice: &CommandNotice) -> String {
    format!("{}\n{}", notice.text(Lang::Vi), notice.text(Lang::En))
}

/// The data folder's store for a command; commands never create one (nor seed the demo).
pub fn open_existing(config: &Config) -> Result<Store, String> {
    if !config.has_store() {
        return Err(told(&CommandNotice::NoStoreYet(
            config.data_dir.display().to_string(),
        )));
    }
    Store::open_in(&config.data_dir).map_err(|e| refusal(&e))
}

/// Asks for a manager's PIN and names the manager it belongs to. Wrong PINs count towards the
/// same wait as at the PIN pad.
pub fn approve(store: &mut Store, pins: &mut PinSource) -> Result<StaffMember, String> {
    if !store.has_manager().map_err(|e| refusal(&e))? {
        return Err(told(&CommandNotice::NoManagerYet));
    }
    let pin = pins.read(&CommandNotice::ManagerPinPrompt)?;
    store
        .manager_by_pin(&pin, Utc::now())
        .map_err(|error| match error {
            StoreError::SignIn(error) => pin_refused(error),
            other => refusal(&other),
        })
}

pub(crate) fn pin_refused(error: SignInError) -> String {
    told(&CommandNotice::PinRefused(error))
}

/// A change made from the command line: the data folder held (no window writes meanwhile),
/// its store open, and the manager whose PIN was typed, whom the audit row names.
pub struct ManagerChange {
    _lock: DataLock,
    pub store: Store,
    pub manager: StaffMember,
}

impl ManagerChange {
    /// Holds the data folder, opens its store and asks for a manager's PIN; refused (nothing
    /// changed) without a valid one.
    pub fn begin(config: &Config, pins: &mut PinSource) -> Result<ManagerChange, String> {
        let lock = DataLock::acquire(&config.data_dir).map_err(lock_refusal)?;
        let mut store = open_existing(config)?;
        let manager = approve(&mut store, pins)?;
        Ok(ManagerChange {
            _lock: lock,
            store,
            manager,
        })
    }

    /// The audit row of the act just done, as the same act in the window writes it.
    pub fn audit(
        &mut self,
        act: AuditAct,
        subject: &str,
        before: &str,
        after: &str,
    ) -> Result<(), String> {
        let change = AuditChange {
            subject,
            before,
            after,
        };
        self.store
            .record_audit(Actor::of(&self.manager, None), act, &change, Utc::now())
            .map_err(|e| both_languages(&crate::i18n::Notice::from_store_error(&e)))
    }
}
