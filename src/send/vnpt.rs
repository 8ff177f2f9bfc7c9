//! VNPT's web service for cash-register invoices (hóa đơn khởi tạo từ máy tính tiền): SOAP 1.1
//! over HTTPS, as VNPT's integration guide describes it (what was followed, and what is still to
//! check with VNPT, is in the README, "Sending invoices to the tax authority"):
//!
//! - `ImportAndPublishInvMTT` on `{url}/PublishService.asmx`, `SOAPAction:
//!   "http://tempuri.org/ImportAndPublishInvMTT"`: `Account` and `ACpass` (the account that
//!   publishes), `xmlInvData` (a `DSHDon` list of the invoices' `HDon`, each with its `key`, up
//!   to 5,000), `username` and `password` (the web service's own user), `pattern` (template),
//!   `serial` (series), `convert` 0. The answer is `OK:{pattern};{serial}-{key}_{number}_{MCCQT},…`
//!   or `ERR:{n}`: 1 and 7 wrong account or password, 3 invalid data, 4, 6, 20 and 35 a template
//!   and series the account does not have, 5 a failure of VNPT's system (nothing kept), 10 a
//!   batch too large, 13 a key VNPT already has, 30 an invoice dated before the last one issued.
//! - `GetMCCQThueByFkeys` (`Account`, `ACpass`, `username`, `password`, `pattern`, `fkeys`
//!   joined by `_`): base64 of `<DSHDon><HDon><Fkey/>…<MCCQThue/><TThai/><MTLoi/></HDon>…`
//!   for the keys VNPT has (`TThai` 2: accepted by the tax authority, 3: refused, `MTLoi` why),
//!   or `ERR:2` when it has none.
//!
//! A batch is one call: VNPT keeps all of it or none, so a refusal names the batch, and the
//! sender sends its invoices one at a time to find the one refused.

use super::{Batch, Provider, RemoteStatus, SendError};
use crate::core::delivery::{Refusal, SendSettings, outgoing_invoice, push_escaped};
use crate::store::Verdict;
use base64::Engine;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::time::Duration;

const NAMESPACE: &str = "http://tempuri.org/";
const SERVICE: &str = "PublishService.asmx";
const PUBLISH: &str = "ImportAndPublishInvMTT";
const STATUS: &str = "GetMCCQThueByFkeys";
/// VNPT takes up to 5,000 invoices a call; 1,000 keep a call's XML near 3 MB, well inside what
/// a shop's connection sends within the time-out.
pub const MAX_BATCH: usize = 1_000;
/// The longest reply read (a status list of a batch is a few hundred kB).
const MAX_REPLY: u64 = 16 * 1024 * 1024;
/// A connection that takes longer than this is not coming, whatever the call's time-out.
const MOST_CONNECT: Duration = Duration::from_secs(10);

/// The adapter, with the settings' address and credentials.
pub struct Vnpt {
    agent: ureq::Agent,
    url: String,
    account: String,
    account_password: String,
    username: String,
    password: String,
}

impl Vnpt {
    pub fn new(settings: &SendSettings) -> Vnpt {
        let timeout = settings.timeout();
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(timeout.min(MOST_CONNECT)))
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        Vnpt {
            agent,
            url: settings.url.clone(),
            account: settings.account.clone(),
            account_password: settings.account_password.clone(),
            username: settings.username.clone(),
            password: settings.password.clone(),
        }
    }

    /// Calls a method of the service; its result text.
    fn call(&self, method: &str, fields: &[(&str, &str)]) -> Result<String, SendError> {
        let url = format!("{}/{SERVICE}", self.url);
        let mut response = self
            .agent
            .post(&url)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", &format!("\"{NAMESPACE}{method}\""))
            .send(envelope(method, fields))
            .map_err(transport_error)?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_REPLY)
            .read_to_string()
            .map_err(|e| SendError::MaybeDelivered(e.to_string()))?;
        match status {
            200..=299 => soap_result(&text, method).ok_or_else(|| {
                SendError::MaybeDelivered(format!(
                    "HTTP {status}: not the service's answer: {}",
                    shortened(&text)
                ))
            }),
            401 | 403 => Err(SendError::Refused {
                refusal: Refusal::WrongCredentials,
                detail: format!("HTTP {status}"),
            }),
            500..=599 => Err(SendError::MaybeDelivered(format!(
                "HTTP {status}: {}",
                shortened(&text)
            ))),
            _ => Err(SendError::Refused {
                refusal: Refusal::WrongAddress(status),
                detail: format!("HTTP {status} {url}"),
            }),
        }
    }

    fn credentials<'a>(&'a self, fields: &mut Vec<(&'static str, &'a str)>) {
        fields.extend([
            ("Account", self.account.as_str()),
            ("ACpass", self.account_password.as_str()),
            ("username", self.username.as_str()),
            ("password", self.password.as_str()),
        ]);
    }
}

impl Provider for Vnpt {
    fn max_batch(&self) -> usize {
        MAX_BATCH
    }

    fn send_batch(&mut self, batch: &Batch<'_>) -> Result<Vec<(String, String)>, SendError> {
        let data = invoice_data(batch, |rate| self.vat_code(rate));
        let pattern = batch.template.to_string();
        let mut fields = Vec::with_capacity(8);
        self.credentials(&mut fields);
        fields.extend([
            ("xmlInvData", data.as_str()),
            ("pattern", pattern.as_str()),
            ("serial", batch.series),
            ("convert", "0"),
        ]);
        let result = self.call(PUBLISH, &fields)?;
        published(&result)
    }

    fn fetch_status(&mut self, keys: &[&str]) -> Result<Vec<RemoteStatus>, SendError> {
        let mut known = Vec::new();
        // One call per template: the call names one.
        let mut templates: Vec<char> = keys.iter().filter_map(|key| template_of(key)).collect();
        templates.sort_unstable();
        templates.dedup();
        for template in templates {
            let asked: Vec<&str> = keys
                .iter()
                .copied()
                .filter(|key| template_of(key) == Some(template))
                .collect();
            let joined = asked.join("_");
            let pattern = template.to_string();
            let mut fields = Vec::with_capacity(6);
            self.credentials(&mut fields);
            fields.extend([("pattern", pattern.as_str()), ("fkeys", joined.as_str())]);
            let result = self.call(STATUS, &fields)?;
            known.extend(statuses(&result, &asked)?);
        }
        Ok(known)
    }
}

/// The template an invoice's key names: `M1-26-…` (an MCCQT) or `1K26MAA-…`.
fn template_of(key: &str) -> Option<char> {
    let mut chars = key.chars();
    match chars.next()? {
        'M' => chars.next().filter(char::is_ascii_digit),
        digit if digit.is_ascii_digit() => Some(digit),
        _ => None,
    }
}

/// A SOAP 1.1 request.
fn envelope(method: &str, fields: &[(&str, &str)]) -> String {
    let size: usize = fields.iter().map(|(_, value)| value.len() + 40).sum();
    let mut xml = String::with_capacity(400 + size + size / 8);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
         <soap:Envelope xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" \
         xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>",
    );
    let _ = write!(xml, "<{method} xmlns=\"{NAMESPACE}\">");
    for (name, value) in fields {
        let _ = write!(xml, "<{name}>");
        push_escaped(&mut xml, value);
        let _ = write!(xml, "</{name}>");
    }
    let _ = write!(xml, "</{method}></soap:Body></soap:Envelope>");
    xml
}

/// The batch as `xmlInvData`: each invoice's `HDon` as issued, its key first.
pub fn invoice_data(batch: &Batch<'_>, code: impl Fn(&str) -> Cow<'_, str> + Copy) -> String {
    let size: usize = batch.invoices.iter().map(|i| i.xml.len() + 60).sum();
    let mut xml = String::with_capacity(size + 20);
    xml.push_str("<DSHDon>");
    for invoice in batch.invoices {
        let issued = outgoing_invoice(&invoice.xml, code);
        xml.push_str("<HDon><key>");
        push_escaped(&mut xml, &invoice.key);
        xml.push_str("</key>");
        // Every stored invoice is one `HDon`: its content goes after the key.
        xml.push_str(issued.strip_prefix("<HDon>").unwrap_or(&issued));
    }
    xml.push_str("</DSHDon>");
    xml
}

/// The text of the method's `…Result` element in a SOAP reply.
fn soap_result(body: &str, method: &str) -> Option<String> {
    let document = roxmltree::Document::parse(body).ok()?;
    let tag = format!("{method}Result");
    document
        .descendants()
        .find(|node| node.tag_name().name() == tag)
        .map(|node| node.text().unwrap_or_default().trim().to_string())
}

/// What an `ERR:n` means for the queue.
fn error_code(result: &str) -> Option<SendError> {
    let code = result.strip_prefix("ERR:")?.trim();
    let number = code
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or_default();
    let refused = |refusal| SendError::Refused {
        refusal,
        detail: result.to_string(),
    };
    Some(match number {
        "1" | "7" => refused(Refusal::WrongCredentials),
        "4" | "6" | "20" | "35" => refused(Refusal::SeriesNotRegistered),
        "3" => refused(Refusal::InvalidData),
        "30" => refused(Refusal::DatedBeforeLast),
        "13" => SendError::Duplicate(result.to_string()),
        "10" => SendError::TooLarge(result.to_string()),
        "5" => SendError::MaybeDelivered(result.to_string()),
        _ => refused(Refusal::Other(result.to_string())),
    })
}

/// Reads `OK:1;C26MAA-key_12_M1-26-…,key_13_…`: each key with VNPT's number and MCCQT.
fn published(result: &str) -> Result<Vec<(String, String)>, SendError> {
    if let Some(error) = error_code(result) {
        return Err(error);
    }
    let garbled = || SendError::MaybeDelivered(format!("unreadable answer: {}", shortened(result)));
    let rest = result.strip_prefix("OK:").ok_or_else(garbled)?;
    let (pattern, rest) = rest.split_once(';').ok_or_else(garbled)?;
    let (serial, list) = rest.split_once('-').ok_or_else(garbled)?;
    list.split(',')
        .map(|item| {
            let mut parts = item.trim().splitn(3, '_');
            let (Some(key), Some(number)) = (parts.next(), parts.next()) else {
                return Err(garbled());
            };
            let code = parts.next().unwrap_or_default();
            Ok((
                key.to_string(),
                format!("VNPT {pattern}{serial} số/no. {number} {code}")
                    .trim_end()
                    .to_string(),
            ))
        })
        .collect()
}

/// Reads a status list for the keys `asked`: those VNPT has, with the tax authority's verdict.
fn statuses(result: &str, asked: &[&str]) -> Result<Vec<RemoteStatus>, SendError> {
    if result.starts_with("ERR:2") {
        return Ok(Vec::new());
    }
    if let Some(error) = error_code(result) {
        return Err(error);
    }
    let garbled = |why: String| SendError::MaybeDelivered(format!("unreadable status list: {why}"));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(result.trim())
        .map_err(|e| garbled(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| garbled(e.to_string()))?;
    let document = roxmltree::Document::parse(&text).map_err(|e| garbled(e.to_string()))?;
    let field = |node: roxmltree::Node<'_, '_>, tag: &str| {
        node.children()
            .find(|child| child.tag_name().name() == tag)
            .and_then(|child| child.text())
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let mut known = Vec::new();
    for invoice in document
        .descendants()
        .filter(|node| node.tag_name().name() == "HDon")
    {
        let (fkey, code, state, error) = (
            field(invoice, "Fkey"),
            field(invoice, "MCCQThue"),
            field(invoice, "TThai"),
            field(invoice, "MTLoi"),
        );
        // By its key; else by its MCCQT (the key of a `C…` invoice); else the one asked.
        let key = asked
            .iter()
            .find(|key| **key == fkey || **key == code)
            .or_else(|| (asked.len() == 1 && fkey.is_empty()).then(|| &asked[0]));
        let Some(key) = key else {
            continue;
        };
        let verdict = match state.as_str() {
            "2" => Some(Verdict::Accepted),
            "3" => Some(Verdict::Rejected(if error.is_empty() {
                "TThai 3".to_string()
            } else {
                error
            })),
            _ => None,
        };
        known.push(RemoteStatus {
            key: key.to_string(),
            verdict,
            detail: format!("VNPT TThai {state} {code}").trim_end().to_string(),
        });
    }
    Ok(known)
}

/// What a failed call means: nothing was sent, or it may have been.
fn transport_error(error: ureq::Error) -> SendError {
    use ureq::Timeout;
    let text = error.to_string();
    match error {
        ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::BadUri(_)
        | ureq::Error::Tls(_)
        | ureq::Error::Timeout(Timeout::Resolve | Timeout::Connect) => {
            SendError::NotDelivered(text)
        }
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::AddrNotAvailable
            ) =>
        {
            SendError::NotDelivered(text)
        }
        _ => SendError::MaybeDelivered(text),
    }
}

/// A reply cut short for a message.
fn shortened(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::QueuedInvoice;
    use chrono::NaiveDate;

    fn queued(key: &str, xml: &str) -> QueuedInvoice {
        QueuedInvoice {
            outbox_id: 1,
            key: key.into(),
            template: 1,
            series: "C26MAA".into(),
            number: 1,
            local_date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            xml: xml.into(),
        }
    }

    #[test]
    fn a_batch_goes_as_its_invoices_each_with_its_key() {
        let invoices = [
            queued(
                "M1-26-AB12C-00000000001",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><HDon><DLHDon/><MCCQT>M1-26-AB12C-00000000001</MCCQT></HDon>",
            ),
            queued("1K26MAA-00000002", "<HDon><DLHDon/></HDon>"),
        ];
        let batch = Batch {
            template: 1,
            series: "C26MAA",
            local_date: invoices[0].local_date,
            invoices: &invoices,
        };
        let data = invoice_data(&batch, |rate| Cow::Borrowed(rate));
        assert_eq!(
            data,
            "<DSHDon><HDon><key>M1-26-AB12C-00000000001</key><DLHDon/><MCCQT>M1-26-AB12C-00000000001</MCCQT></HDon>\
             <HDon><key>1K26MAA-00000002</key><DLHDon/></HDon></DSHDon>"
        );
        let request = envelope(PUBLISH, &[("xmlInvData", &data), ("password", "a<b&c")]);
        let parsed = roxmltree::Document::parse(&request).expect("the request is XML");
        let field = |name: &str| {
            parsed
                .descendants()
                .find(|n| n.tag_name().name() == name)
                .and_then(|n| n.text())
                .map(str::to_string)
        };
        assert_eq!(field("xmlInvData"), Some(data), "sent as escaped text");
        assert_eq!(field("password").as_deref(), Some("a<b&c"));
        let method = parsed
            .descendants()
            .find(|n| n.tag_name().name() == PUBLISH)
            .unwrap();
        assert_eq!(method.tag_name().namespace(), Some(NAMESPACE));
    }

    #[test]
    fn each_documented_answer_is_read() {
        let answers = published(
            "OK:1;C26MAA-M1-26-AB12C-00000000001_1_M1-26-AB12C-00000000001,1K26MAA-00000002_2",
        )
        .unwrap();
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0].0, "M1-26-AB12C-00000000001");
        assert!(
            answers[0].1.contains("số/no. 1 M1-26-AB12C-00000000001"),
            "{answers:?}"
        );
        assert_eq!(answers[1].0, "1K26MAA-00000002");
        let refusal = |answer: &str| match published(answer) {
            Err(SendError::Refused { refusal, .. }) => refusal,
            other => panic!("{answer}: {other:?}"),
        };
        assert_eq!(refusal("ERR:1"), Refusal::WrongCredentials);
        assert_eq!(refusal("ERR:7"), Refusal::WrongCredentials);
        assert_eq!(refusal("ERR:20"), Refusal::SeriesNotRegistered);
        assert_eq!(refusal("ERR:30"), Refusal::DatedBeforeLast);
        assert_eq!(refusal("ERR:3"), Refusal::InvalidData);
        assert_eq!(refusal("ERR:23"), Refusal::Other("ERR:23".into()));
        assert!(matches!(published("ERR:13"), Err(SendError::Duplicate(_))));
        assert!(matches!(published("ERR:10"), Err(SendError::TooLarge(_))));
        assert!(matches!(
            published("ERR:5"),
            Err(SendError::MaybeDelivered(_))
        ));
        assert!(matches!(
            published("<html>hotel wifi</html>"),
            Err(SendError::MaybeDelivered(_))
        ));
    }

    #[test]
    fn a_status_list_names_what_vnpt_has_and_the_verdicts() {
        let list = "<DSHDon>\
            <HDon><Fkey>M1-26-AB12C-00000000001</Fkey><MCCQThue>M1-26-AB12C-00000000001</MCCQThue><TThai>2</TThai><MTLoi/></HDon>\
            <HDon><Fkey>M1-26-AB12C-00000000002</Fkey><MCCQThue/><TThai>3</TThai><MTLoi>Sai MST người mua</MTLoi></HDon>\
            <HDon><Fkey>M1-26-AB12C-00000000003</Fkey><TThai>1</TThai></HDon>\
            <HDon><Fkey>not-asked</Fkey><TThai>2</TThai></HDon></DSHDon>";
        let encoded = base64::engine::general_purpose::STANDARD.encode(list);
        let asked = [
            "M1-26-AB12C-00000000001",
            "M1-26-AB12C-00000000002",
            "M1-26-AB12C-00000000003",
        ];
        let known = statuses(&encoded, &asked).unwrap();
        assert_eq!(known.len(), 3);
        assert_eq!(known[0].verdict, Some(Verdict::Accepted));
        assert_eq!(
            known[1].verdict,
            Some(Verdict::Rejected("Sai MST người mua".into()))
        );
        assert_eq!(known[2].verdict, None, "not decided yet");
        assert!(statuses("ERR:2", &asked).unwrap().is_empty());
        assert!(matches!(
            statuses("ERR:1", &asked),
            Err(SendError::Refused {
                refusal: Refusal::WrongCredentials,
                ..
            })
        ));
        assert_eq!(template_of("M2-26-AB12C-00000000001"), Some('2'));
        assert_eq!(template_of("1K26MAA-00000002"), Some('1'));
    }

    #[test]
    fn the_soap_result_is_found_under_any_prefix() {
        let reply = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
            <s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>\
            <ImportAndPublishInvMTTResponse xmlns=\"http://tempuri.org/\">\
            <ImportAndPublishInvMTTResult>ERR:30</ImportAndPublishInvMTTResult>\
            </ImportAndPublishInvMTTResponse></s:Body></s:Envelope>";
        assert_eq!(soap_result(reply, PUBLISH).as_deref(), Some("ERR:30"));
        assert_eq!(soap_result("<html/>", PUBLISH), None);
    }
}
