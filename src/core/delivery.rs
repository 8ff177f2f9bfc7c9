//! Handing issued invoices to the tax authority through a licensed provider (T-VAN), by the end
//! of the day of sale (Decree 254 Art. 15 §3): where queued records go, what became of each
//! invoice, why a provider refused one, the provider's settings, the message-206 package, how
//! long the sender waits before trying again and when the top bar's band turns red.
//!
//! Pure: the queue is kept by `store`, the network is `crate::send`.

use crate::core::clock::{SHOP_TIME_ZONE, local_date};
use crate::core::einvoice::Registration;
use chrono::{DateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::time::Duration;

/// Where queued records go. Every destination reads its own rows of the one outbox in order;
/// a store hub would be another destination, with records of its own kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Destination {
    /// The tax authority, through the provider of the settings.
    TaxAuthority,
}

impl Destination {
    pub fn code(self) -> &'static str {
        match self {
            Destination::TaxAuthority => "tax_authority",
        }
    }
}

/// What became of a queued invoice: the latest of its delivery events (none yet: waiting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeliveryState {
    /// Queued and not handed over yet.
    Waiting,
    /// The provider refused it (or the shop's account): the queue stops at it until the manager
    /// puts the cause right and sends again.
    Refused,
    /// The provider took it; the tax authority's verdict comes later.
    Sent,
    /// Written into an upload file for the provider's web portal.
    Exported,
    /// The tax authority accepted it.
    Accepted,
    /// The tax authority refused it after the provider passed it on: a replacement invoice
    /// corrects it.
    Rejected,
}

impl DeliveryState {
    /// The states an event records (waiting is the absence of one).
    pub const RECORDED: [DeliveryState; 5] = [
        DeliveryState::Refused,
        DeliveryState::Sent,
        DeliveryState::Exported,
        DeliveryState::Accepted,
        DeliveryState::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DeliveryState::Waiting => "waiting",
            DeliveryState::Refused => "refused",
            DeliveryState::Sent => "sent",
            DeliveryState::Exported => "exported",
            DeliveryState::Accepted => "accepted",
            DeliveryState::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<DeliveryState> {
        std::iter::once(DeliveryState::Waiting)
            .chain(DeliveryState::RECORDED)
            .find(|state| state.code() == code)
    }

    /// Out of the shop's hands: the provider has it, or an upload file does.
    pub fn is_handed_over(self) -> bool {
        !matches!(self, DeliveryState::Waiting | DeliveryState::Refused)
    }
}

/// Why a provider refused an invoice or the shop's account, in terms the manager can act on
/// (the words, in both languages, are in `i18n`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The account or its password is wrong, or the account may not publish.
    WrongCredentials,
    /// The provider does not know this template and series for the shop (or its range of
    /// numbers is used up): the registration with the provider is not done.
    SeriesNotRegistered,
    /// The invoice is dated before the last one the provider has in its series.
    DatedBeforeLast,
    /// The provider found the invoice's data invalid.
    InvalidData,
    /// The provider's address answered with this HTTP status: the address is wrong.
    WrongAddress(u16),
    /// The provider said it already has the invoice, and then could not find it.
    DuplicateNotFound,
    /// The tax authority refused the invoice, saying why.
    ByTaxAuthority(String),
    /// A reply code the provider documents without a meaning the shop can act on.
    Other(String),
}

/// How much of the queue a refusal concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalScope {
    /// Every invoice would be refused the same way: the account, the address, the series.
    Account,
    /// This invoice: the next ones may well go through.
    Invoice,
}

impl Refusal {
    /// The stored code: `dated_before_last`, `wrong_address:404`, `other:ERR:23`…
    pub fn code(&self) -> String {
        match self {
            Refusal::WrongCredentials => "wrong_credentials".into(),
            Refusal::SeriesNotRegistered => "series_not_registered".into(),
            Refusal::DatedBeforeLast => "dated_before_last".into(),
            Refusal::InvalidData => "invalid_data".into(),
            Refusal::WrongAddress(status) => format!("wrong_address:{status}"),
            Refusal::DuplicateNotFound => "duplicate_not_found".into(),
            Refusal::ByTaxAuthority(reason) => format!("tax_authority:{reason}"),
            Refusal::Other(code) => format!("other:{code}"),
        }
    }

    pub fn from_code(code: &str) -> Option<Refusal> {
        let (head, tail) = code.split_once(':').unwrap_or((code, ""));
        Some(match head {
            "wrong_credentials" => Refusal::WrongCredentials,
            "series_not_registered" => Refusal::SeriesNotRegistered,
            "dated_before_last" => Refusal::DatedBeforeLast,
            "invalid_data" => Refusal::InvalidData,
            "wrong_address" => Refusal::WrongAddress(tail.parse().ok()?),
            "duplicate_not_found" => Refusal::DuplicateNotFound,
            "tax_authority" => Refusal::ByTaxAuthority(tail.to_string()),
            "other" => Refusal::Other(tail.to_string()),
            _ => return None,
        })
    }

    pub fn scope(&self) -> RefusalScope {
        match self {
            Refusal::WrongCredentials | Refusal::SeriesNotRegistered | Refusal::WrongAddress(_) => {
                RefusalScope::Account
            }
            Refusal::DatedBeforeLast
            | Refusal::InvalidData
            | Refusal::DuplicateNotFound
            | Refusal::ByTaxAuthority(_)
            | Refusal::Other(_) => RefusalScope::Invoice,
        }
    }
}

/// The queue as the top bar, the daily screen and `einvoice status` show it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueSummary {
    /// Invoices not handed over yet (the refused one among them).
    pub unsent: i64,
    /// When the oldest of them was issued.
    pub oldest: Option<DateTime<Utc>>,
    /// The invoice the queue stopped at, why, and what the provider said.
    pub blocked: Option<Blocked>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub reference: String,
    pub refusal: Refusal,
    pub detail: String,
    pub at: DateTime<Utc>,
}

/// A day's invoices: how many are out of the shop's hands and how many are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DayDelivery {
    /// Sent, accepted, rejected (sent, then refused by the tax authority) or exported.
    pub handed_over: i64,
    /// Of those, written to an upload file rather than sent.
    pub exported: i64,
    /// Waiting or refused by the provider.
    pub unsent: i64,
}

/// One event of an invoice's delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryEvent {
    pub at: DateTime<Utc>,
    pub state: DeliveryState,
    /// A refusal's reason.
    pub refusal: Option<Refusal>,
    /// What the provider answered (its number and MCCQT), or the upload file.
    pub detail: String,
}

/// Everything known about the delivery of one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDelivery {
    pub reference: String,
    /// What the provider knows the invoice by (its MCCQT, or `1K26MAA-00000012`).
    pub key: String,
    pub state: DeliveryState,
    pub events: Vec<DeliveryEvent>,
}

/// The band the top bar shows while invoices are unsent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub unsent: i64,
    /// How long ago the oldest unsent invoice was issued.
    pub oldest_age: chrono::Duration,
    /// A day's invoices are still unsent after 22:00 of that day: the deadline is near or past.
    pub late: bool,
    pub blocked: Option<Blocked>,
}

/// From 22:00 shop time a day's unsent invoices are late: the law wants them sent that day.
pub const LATE_FROM_HOUR: u32 = 22;

/// An invoice issued less than this long ago is not yet worth a band: the sender is on it.
const BAND_GRACE: chrono::Duration = chrono::Duration::minutes(1);

/// The band for a queue at `now`, or none while nothing is unsent (or only invoices just made
/// and not stopped by a refusal).
pub fn band(summary: &QueueSummary, now: DateTime<Utc>) -> Option<Band> {
    let oldest = summary.oldest?;
    if summary.unsent == 0 {
        return None;
    }
    let today = local_date(now);
    let late =
        local_date(oldest) < today || now.with_timezone(&SHOP_TIME_ZONE).hour() >= LATE_FROM_HOUR;
    let oldest_age = (now - oldest).max(chrono::Duration::zero());
    (oldest_age >= BAND_GRACE || late || summary.blocked.is_some()).then(|| Band {
        unsent: summary.unsent,
        oldest_age,
        late,
        blocked: summary.blocked.clone(),
    })
}

/// How long the sender waits after `failures` temporary failures in a row: 5 s, doubling, at
/// most 5 minutes (a till that was offline for a day catches up within minutes of the link's
/// return, and a provider that is down is not hammered).
pub fn retry_delay(failures: u32) -> Duration {
    const FIRST: u64 = 5;
    const MOST: u64 = 300;
    let doubled = FIRST.saturating_mul(1u64 << failures.saturating_sub(1).min(16));
    Duration::from_secs(doubled.min(MOST))
}

/// Which provider the shop sends through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProviderKind {
    /// None chosen: invoices wait (and the band says so).
    #[default]
    None,
    /// Upload files for the provider's web portal, written when the manager sends (or closes
    /// the day).
    File,
    /// VNPT's cash-register web service (`ImportAndPublishInvMTT`).
    Vnpt,
}

impl ProviderKind {
    pub const CHOICES: &'static [&'static str] = &["none", "file", "vnpt"];

    pub fn code(self) -> &'static str {
        match self {
            ProviderKind::None => "none",
            ProviderKind::File => "file",
            ProviderKind::Vnpt => "vnpt",
        }
    }

    pub fn from_code(code: &str) -> Option<ProviderKind> {
        [ProviderKind::None, ProviderKind::File, ProviderKind::Vnpt]
            .into_iter()
            .find(|kind| kind.code().eq_ignore_ascii_case(code))
    }
}

/// How the shop sends its invoices: the provider, its address and the account's credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct SendSettings {
    pub provider: ProviderKind,
    /// The provider's web service, e.g. `https://0100109106-tt78.vnpt-invoice.com.vn`.
    pub url: String,
    /// VNPT's two pairs: the account that publishes (`Account`, `ACpass`) …
    pub account: String,
    pub account_password: String,
    /// … and the web service's own user (`username`, `password`).
    pub username: String,
    pub password: String,
    /// The longest a call may take, connecting included.
    pub timeout_seconds: u64,
    /// The sender's code in a message-206 package (`MNGui`); empty: the seller's tax code.
    pub sender_code: String,
    /// Where upload files go; empty: `einvoice-export/` in the data folder.
    pub export_dir: String,
}

/// Never printed: a password in a log or a message would leak with it.
impl fmt::Debug for SendSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendSettings")
            .field("provider", &self.provider)
            .field("url", &self.url)
            .field("account", &self.account)
            .field("username", &self.username)
            .field("timeout_seconds", &self.timeout_seconds)
            .field("sender_code", &self.sender_code)
            .field("export_dir", &self.export_dir)
            .finish_non_exhaustive()
    }
}

/// The time-out a provider's call gets unless the settings say otherwise (what providers
/// recommend for a batch: their servers are slow).
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 60;

impl Default for SendSettings {
    fn default() -> SendSettings {
        SendSettings {
            provider: ProviderKind::None,
            url: String::new(),
            account: String::new(),
            account_password: String::new(),
            username: String::new(),
            password: String::new(),
            timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
            sender_code: String::new(),
            export_dir: String::new(),
        }
    }
}

/// Why a sending setting was refused (the words are in `i18n`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendSettingError {
    UnknownKey(String),
    Provider,
    /// Not `https://…` (plain `http://` only to this computer, for a test provider).
    Url,
    Timeout,
    SenderCode,
    /// Upload files go to a full path.
    ExportDir,
    TooLong(usize),
}

/// What a secret field shows as when it is set.
pub const HIDDEN: &str = "••••••";

impl SendSettings {
    /// The fields, by the names they are stored and set under (`send_…` on the command line).
    pub const FIELDS: [&'static str; 9] = [
        "provider",
        "url",
        "account",
        "account_password",
        "username",
        "password",
        "timeout_seconds",
        "sender_code",
        "export_dir",
    ];

    /// Fields never shown, logged or exported.
    pub fn is_secret(field: &str) -> bool {
        matches!(field, "account_password" | "password")
    }

    pub fn field(&self, field: &str) -> Option<String> {
        Some(match field {
            "provider" => self.provider.code().to_string(),
            "url" => self.url.clone(),
            "account" => self.account.clone(),
            "account_password" => self.account_password.clone(),
            "username" => self.username.clone(),
            "password" => self.password.clone(),
            "timeout_seconds" => self.timeout_seconds.to_string(),
            "sender_code" => self.sender_code.clone(),
            "export_dir" => self.export_dir.clone(),
            _ => return None,
        })
    }

    /// A field as it may be shown: a secret as [`HIDDEN`] when set.
    pub fn shown(&self, field: &str) -> Option<String> {
        let value = self.field(field)?;
        Some(if Self::is_secret(field) && !value.is_empty() {
            HIDDEN.to_string()
        } else {
            value
        })
    }

    /// A copy with one field changed, checked on its own. Text is trimmed; an empty value
    /// clears a field (the time-out goes back to its default).
    pub fn with_field(&self, field: &str, value: &str) -> Result<SendSettings, SendSettingError> {
        let value = value.trim();
        let at_most = |max: usize| {
            if value.chars().count() > max {
                Err(SendSettingError::TooLong(max))
            } else {
                Ok(value.to_string())
            }
        };
        let mut changed = self.clone();
        match field {
            "provider" => {
                changed.provider = if value.is_empty() {
                    ProviderKind::None
                } else {
                    ProviderKind::from_code(value).ok_or(SendSettingError::Provider)?
                }
            }
            "url" => {
                if !(value.is_empty() || is_provider_url(value)) {
                    return Err(SendSettingError::Url);
                }
                changed.url = at_most(300)?.trim_end_matches('/').to_string();
            }
            "account" => changed.account = at_most(100)?,
            "account_password" => changed.account_password = at_most(100)?,
            "username" => changed.username = at_most(100)?,
            "password" => changed.password = at_most(100)?,
            "timeout_seconds" => {
                changed.timeout_seconds = if value.is_empty() {
                    DEFAULT_TIMEOUT_SECONDS
                } else {
                    value
                        .parse()
                        .ok()
                        .filter(|seconds| (1..=300).contains(seconds))
                        .ok_or(SendSettingError::Timeout)?
                }
            }
            "sender_code" => {
                if !value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    return Err(SendSettingError::SenderCode);
                }
                changed.sender_code = at_most(20).map_err(|_| SendSettingError::SenderCode)?;
            }
            "export_dir" => {
                if !(value.is_empty() || std::path::Path::new(value).is_absolute()) {
                    return Err(SendSettingError::ExportDir);
                }
                changed.export_dir = at_most(300)?;
            }
            _ => return Err(SendSettingError::UnknownKey(field.to_string())),
        }
        Ok(changed)
    }

    /// The fields the chosen provider still needs.
    pub fn missing(&self) -> Vec<&'static str> {
        match self.provider {
            ProviderKind::None | ProviderKind::File => Vec::new(),
            ProviderKind::Vnpt => [
                ("url", &self.url),
                ("account", &self.account),
                ("account_password", &self.account_password),
                ("username", &self.username),
                ("password", &self.password),
            ]
            .into_iter()
            .filter(|(_, value)| value.is_empty())
            .map(|(field, _)| field)
            .collect(),
        }
    }

    /// The call's time-out.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_seconds)
    }
}

/// `https://…`, or plain `http://` to this computer (a provider's test double): credentials
/// never cross a network unencrypted.
fn is_provider_url(url: &str) -> bool {
    if let Some(rest) = url.strip_prefix("https://") {
        return !rest.is_empty();
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// The message type of a package: 206 carries invoices with the tax authority's code; invoices
/// without it (`K…M…`) travel in their own message *(check the number with the provider)*.
pub fn message_type(registration: Registration) -> &'static str {
    match registration {
        Registration::WithCode => "206",
        Registration::WithoutCode => "216",
    }
}

/// The head of a message package (`TDiep` › `TTChung`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageHeader<'a> {
    pub xml_version: &'a str,
    /// `MNGui`: the sender's code.
    pub sender_code: &'a str,
    /// `MST`: the seller's tax code.
    pub tax_code: &'a str,
    pub registration: Registration,
}

/// A message package to the tax authority (`TDiep`): `TTChung` with the version, sender,
/// receiver (`TCT`), message type, message id, tax code and count, and `DLieu` holding each
/// invoice's `HDon` as stored (`keys` name them, in the same order). The message id is the
/// sender's code and 32 hex digits derived from the keys, so the same invoices always make the
/// same package.
pub fn message_package(header: &PackageHeader<'_>, keys: &[&str], invoices: &[&str]) -> String {
    let mut digest = Sha256::new();
    digest.update(header.sender_code.as_bytes());
    for key in keys {
        digest.update([0]);
        digest.update(key.as_bytes());
    }
    let id: String = digest.finalize()[..16]
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect();
    let body: usize = invoices.iter().map(|xml| xml.len()).sum();
    let mut xml = String::with_capacity(600 + body);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?><TDiep><TTChung>");
    for (tag, text) in [
        ("PBan", header.xml_version),
        ("MNGui", header.sender_code),
        ("MNNhan", "TCT"),
        ("MLTDiep", message_type(header.registration)),
        ("MTDiep", &format!("{}{id}", header.sender_code)),
        ("MTDTChieu", ""),
        ("MST", header.tax_code),
        ("SLuong", &invoices.len().to_string()),
    ] {
        push_element(&mut xml, tag, text);
    }
    xml.push_str("</TTChung><DLieu>");
    for invoice in invoices {
        xml.push_str(without_prolog(invoice));
    }
    xml.push_str("</DLieu></TDiep>");
    xml
}

/// An invoice's stored XML without its `<?xml …?>` line, to sit inside another document.
pub fn without_prolog(xml: &str) -> &str {
    let xml = xml.trim_start();
    match xml.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(xml, |(_, after)| after),
        None => xml,
    }
}

/// The stored invoice as a provider takes it: no prolog, and each VAT rate (`TSuat`) in the
/// provider's code, which `code` gives for the rate as the tax authority writes it (`8%`,
/// `KCT`, `KKKNT`).
pub fn outgoing_invoice<'a>(xml: &'a str, code: impl Fn(&str) -> Cow<'_, str>) -> Cow<'a, str> {
    const OPEN: &str = "<TSuat>";
    const CLOSE: &str = "</TSuat>";
    let xml = without_prolog(xml);
    // Copied only when a rate changes; `copied` is how far the copy has come.
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = xml[from..].find(OPEN) {
        let start = from + found + OPEN.len();
        let Some(length) = xml[start..].find(CLOSE) else {
            break;
        };
        if let Cow::Owned(mapped) = code(&xml[start..start + length]) {
            let out = out.get_or_insert_with(|| String::with_capacity(xml.len() + 16));
            out.push_str(&xml[copied..start]);
            push_escaped(out, &mapped);
            copied = start + length;
        }
        from = start + length + CLOSE.len();
    }
    match out {
        None => Cow::Borrowed(xml),
        Some(mut out) => {
            out.push_str(&xml[copied..]);
            Cow::Owned(out)
        }
    }
}

/// Text escaped for XML content or an attribute.
pub fn push_escaped(xml: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => xml.push_str("&amp;"),
            '<' => xml.push_str("&lt;"),
            '>' => xml.push_str("&gt;"),
            '"' => xml.push_str("&quot;"),
            '\'' => xml.push_str("&apos;"),
            c => xml.push(c),
        }
    }
}

fn push_element(xml: &mut String, tag: &str, text: &str) {
    if text.is_empty() {
        let _ = write!(xml, "<{tag}/>");
    } else {
        let _ = write!(xml, "<{tag}>");
        push_escaped(xml, text);
        let _ = write!(xml, "</{tag}>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        SHOP_TIME_ZONE
            .with_ymd_and_hms(2026, 11, 26, hour, minute, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_band_shows_what_waits_and_turns_red_after_22_00_or_the_next_day() {
        let waiting = |oldest| QueueSummary {
            unsent: 3,
            oldest: Some(oldest),
            blocked: None,
        };
        assert_eq!(band(&QueueSummary::default(), at(10, 0)), None);
        // Just made: the sender is on it.
        assert_eq!(band(&waiting(at(10, 0)), at(10, 0)), None);
        let shown = band(&waiting(at(9, 15)), at(10, 0)).unwrap();
        assert_eq!(shown.unsent, 3);
        assert_eq!(shown.oldest_age, chrono::Duration::minutes(45));
        assert!(!shown.late);
        assert!(band(&waiting(at(21, 0)), at(21, 59)).is_some_and(|b| !b.late));
        assert!(band(&waiting(at(21, 0)), at(22, 0)).unwrap().late);
        // Yesterday's, this morning: late whatever the hour.
        let yesterday = at(20, 0) - chrono::Duration::days(1);
        assert!(band(&waiting(yesterday), at(8, 0)).unwrap().late);
        // A refused invoice shows at once.
        let blocked = QueueSummary {
            blocked: Some(Blocked {
                reference: "1C26MAA-00000001".into(),
                refusal: Refusal::WrongCredentials,
                detail: "ERR:1".into(),
                at: at(10, 0),
            }),
            ..waiting(at(10, 0))
        };
        assert!(band(&blocked, at(10, 0)).unwrap().blocked.is_some());
    }

    #[test]
    fn retries_back_off_to_five_minutes() {
        let delays: Vec<u64> = (1..=9).map(|n| retry_delay(n).as_secs()).collect();
        assert_eq!(delays, [5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(retry_delay(1000).as_secs(), 300);
    }

    #[test]
    fn refusals_keep_their_reason_through_their_code() {
        for refusal in [
            Refusal::WrongCredentials,
            Refusal::SeriesNotRegistered,
            Refusal::DatedBeforeLast,
            Refusal::InvalidData,
            Refusal::WrongAddress(404),
            Refusal::DuplicateNotFound,
            Refusal::ByTaxAuthority("Sai MST người mua: 0100".into()),
            Refusal::Other("ERR:23".into()),
        ] {
            assert_eq!(Refusal::from_code(&refusal.code()), Some(refusal));
        }
        assert_eq!(Refusal::from_code("wrong_address:x"), None);
        assert_eq!(Refusal::WrongCredentials.scope(), RefusalScope::Account);
        assert_eq!(Refusal::DatedBeforeLast.scope(), RefusalScope::Invoice);
    }

    #[test]
    fn settings_are_checked_and_passwords_never_shown() {
        let settings = SendSettings::default()
            .with_field("provider", "VNPT")
            .unwrap()
            .with_field("url", "https://0100109106-tt78.vnpt-invoice.com.vn/")
            .unwrap()
            .with_field("password", "bí mật")
            .unwrap();
        assert_eq!(settings.provider, ProviderKind::Vnpt);
        assert_eq!(settings.url, "https://0100109106-tt78.vnpt-invoice.com.vn");
        assert_eq!(settings.shown("password").as_deref(), Some(HIDDEN));
        assert_eq!(settings.shown("account_password").as_deref(), Some(""));
        assert!(!format!("{settings:?}").contains("bí mật"));
        assert_eq!(
            settings.missing(),
            ["account", "account_password", "username"]
        );
        let refused = |field: &str, value: &str| settings.with_field(field, value).unwrap_err();
        assert_eq!(refused("provider", "viettel"), SendSettingError::Provider);
        assert_eq!(
            refused("url", "http://hoadon.example.vn"),
            SendSettingError::Url
        );
        assert_eq!(refused("url", "ftp://x"), SendSettingError::Url);
        assert!(settings.with_field("url", "http://127.0.0.1:8080").is_ok());
        assert_eq!(
            refused("url", "http://127.0.0.1.evil.vn"),
            SendSettingError::Url
        );
        assert_eq!(refused("timeout_seconds", "0"), SendSettingError::Timeout);
        assert_eq!(refused("timeout_seconds", "abc"), SendSettingError::Timeout);
        assert_eq!(
            settings
                .with_field("timeout_seconds", "")
                .unwrap()
                .timeout_seconds,
            DEFAULT_TIMEOUT_SECONDS
        );
        assert_eq!(
            refused("export_dir", "uploads"),
            SendSettingError::ExportDir
        );
        assert_eq!(refused("sender_code", "V 01"), SendSettingError::SenderCode);
        assert!(matches!(
            refused("colour", "red"),
            SendSettingError::UnknownKey(_)
        ));
    }

    #[test]
    fn a_package_holds_each_invoice_once_under_a_stable_message_id() {
        let header = PackageHeader {
            xml_version: "2.1.0",
            sender_code: "V0100109106",
            tax_code: "0100112437",
            registration: Registration::WithCode,
        };
        let invoices = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><HDon><SHDon>1</SHDon></HDon>",
            "<HDon><SHDon>2</SHDon></HDon>",
        ];
        let keys = ["M1-26-AB12C-00000000001", "M1-26-AB12C-00000000002"];
        let package = message_package(&header, &keys, &invoices);
        assert_eq!(package, message_package(&header, &keys, &invoices));
        assert!(package.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><TDiep>"));
        assert_eq!(package.matches("<?xml").count(), 1);
        assert!(package.contains("<MLTDiep>206</MLTDiep>"));
        assert!(package.contains("<SLuong>2</SLuong>"));
        assert!(package.contains("<DLieu><HDon><SHDon>1</SHDon></HDon><HDon><SHDon>2"));
        let id_start = package.find("<MTDiep>").unwrap() + "<MTDiep>".len();
        let id = &package[id_start..package[id_start..].find('<').unwrap() + id_start];
        assert_eq!(id.len(), "V0100109106".len() + 32);
        let other = message_package(&header, &keys[..1], &invoices[..1]);
        assert!(!other.contains(id), "another set, another message id");
        let without = PackageHeader {
            registration: Registration::WithoutCode,
            ..header
        };
        assert!(message_package(&without, &keys, &invoices).contains("<MLTDiep>216</MLTDiep>"));
    }

    #[test]
    fn rates_go_out_in_the_provider_s_codes() {
        let xml = "<?xml version=\"1.0\"?><HDon><TSuat>8%</TSuat><TSuat>KCT</TSuat>\
                   <LTSuat><TSuat>KKKNT</TSuat></LTSuat></HDon>";
        let standard = outgoing_invoice(xml, |rate| Cow::Borrowed(rate));
        assert!(matches!(standard, Cow::Borrowed(_)), "nothing copied");
        assert_eq!(standard, &xml[xml.find("<HDon>").unwrap()..]);
        // A provider that codes rates its own way (Viettel's -2 not subject, -1 not declared).
        let viettel = outgoing_invoice(xml, |rate| match rate {
            "KCT" => Cow::Owned("-2".to_string()),
            "KKKNT" => Cow::Owned("-1".to_string()),
            other => Cow::Borrowed(other),
        });
        assert_eq!(
            viettel,
            "<HDon><TSuat>8%</TSuat><TSuat>-2</TSuat><LTSuat><TSuat>-1</TSuat></LTSuat></HDon>"
        );
    }
}
