//! A stand-in for VNPT's cash-register web service on 127.0.0.1, started by a test, following
//! the contract `src/send/vnpt.rs` documents: SOAP 1.1 `ImportAndPublishInvMTT` and
//! `GetMCCQThueByFkeys` on `/PublishService.asmx`, the account and the service user checked
//! (`ERR:1`), the template and series checked (`ERR:20`), a batch kept whole or not at all, a
//! key it already has refused (`ERR:13`), an invoice dated before the last of its series
//! refused (`ERR:30`), a batch over its limit refused (`ERR:10`). It counts what it keeps, in
//! arrival order, and every attempt to publish a key it already had.
//!
//! It can also misbehave as a real one does: answer nothing at all (a black hole), keep a
//! batch and lose the reply, fail with HTTP 500, take its time.
#![allow(dead_code)] // each test binary uses its own subset

use base64::Engine;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub const ACCOUNT: (&str, &str) = ("cuahang_admin", "Adm!n-2026");
pub const SERVICE_USER: (&str, &str) = ("cuahang_ws", "ws&pass<2026>");

/// An invoice the fake keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub key: String,
    pub template: String,
    pub series: String,
    pub number: i64,
    pub date: String,
    pub authority_code: String,
}

/// How it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    Normal,
    /// Reads the request and never answers.
    BlackHole,
    /// Keeps the batch, then closes the connection without a reply (this many times).
    LoseReplies(usize),
    /// Answers HTTP 500 (this many times) without keeping anything.
    ServerErrors(usize),
}

#[derive(Debug)]
pub struct FakeState {
    /// Requests read, whatever came of them.
    pub requests: usize,
    pub kept: Vec<Kept>,
    /// Publish calls naming a key already kept (answered `ERR:13`).
    pub duplicate_submissions: usize,
    pub publish_calls: usize,
    pub status_calls: usize,
    pub behaviour: Behaviour,
    /// Answers this code (e.g. `ERR:30`) to any batch holding this key, keeping nothing.
    pub refuse_key: Option<(String, String)>,
    /// The tax authority's verdict per key: `TThai` and `MTLoi` (default `2`, accepted).
    pub verdicts: HashMap<String, (String, String)>,
    pub latency: Duration,
    pub max_batch: usize,
}

pub struct FakeVnpt {
    pub address: SocketAddr,
    state: Arc<Mutex<FakeState>>,
}

impl FakeVnpt {
    /// On a free port.
    pub fn start() -> FakeVnpt {
        FakeVnpt::on(TcpListener::bind("127.0.0.1:0").expect("a free port"))
    }

    /// On `port` (one a test chose while nothing listened on it: the provider was down).
    pub fn start_on(port: u16) -> FakeVnpt {
        FakeVnpt::on(TcpListener::bind(("127.0.0.1", port)).expect("the port is free again"))
    }

    fn on(listener: TcpListener) -> FakeVnpt {
        let address = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(FakeState {
            requests: 0,
            kept: Vec::new(),
            duplicate_submissions: 0,
            publish_calls: 0,
            status_calls: 0,
            behaviour: Behaviour::Normal,
            refuse_key: None,
            verdicts: HashMap::new(),
            latency: Duration::ZERO,
            max_batch: 5_000,
        }));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let state = shared.clone();
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        FakeVnpt { address, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn state(&self) -> MutexGuard<'_, FakeState> {
        self.state.lock().unwrap()
    }

    pub fn kept_keys(&self) -> Vec<String> {
        self.state().kept.iter().map(|k| k.key.clone()).collect()
    }
}

/// A port nothing listens on (the provider is down); [`FakeVnpt::start_on`] brings it up.
pub fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Serves one connection's requests (HTTP/1.1 keep-alive) until the client closes it.
fn serve(stream: TcpStream, state: &Mutex<FakeState>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut head = Vec::new();
        let mut content_length = 0usize;
        let mut action = String::new();
        let mut request_line = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if request_line.is_empty() {
                request_line = line.clone();
            }
            let lower = line.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                content_length = value.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("soapaction:") {
                action = line["soapaction:".len()..]
                    .trim()
                    .trim_matches('"')
                    .to_string();
            }
            head.push(line.clone());
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; content_length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let body = String::from_utf8_lossy(&body).to_string();
        let (behaviour, latency) = {
            let mut state = state.lock().unwrap();
            state.requests += 1;
            (state.behaviour.clone(), state.latency)
        };
        std::thread::sleep(latency);
        if behaviour == Behaviour::BlackHole {
            std::thread::sleep(Duration::from_secs(3600));
            return;
        }
        if let Behaviour::ServerErrors(n) = behaviour
            && n > 0
        {
            state.lock().unwrap().behaviour = if n > 1 {
                Behaviour::ServerErrors(n - 1)
            } else {
                Behaviour::Normal
            };
            let _ = respond(&mut writer, 500, "<html>Server Error</html>");
            continue;
        }
        if !request_line.starts_with("POST /PublishService.asmx ") {
            let _ = respond(&mut writer, 404, "Not Found");
            continue;
        }
        let method = action.rsplit('/').next().unwrap_or_default().to_string();
        let result = match method.as_str() {
            "ImportAndPublishInvMTT" => publish(&body, state),
            "GetMCCQThueByFkeys" => status(&body, state),
            _ => {
                let _ = respond(&mut writer, 500, "unknown SOAPAction");
                continue;
            }
        };
        if let Behaviour::LoseReplies(n) = behaviour
            && n > 0
            && method == "ImportAndPublishInvMTT"
        {
            state.lock().unwrap().behaviour = if n > 1 {
                Behaviour::LoseReplies(n - 1)
            } else {
                Behaviour::Normal
            };
            return;
        }
        if respond(&mut writer, 200, &envelope(&method, &result)).is_err() {
            return;
        }
    }
}

fn respond(writer: &mut TcpStream, status: u16, body: &str) -> std::io::Result<()> {
    write!(
        writer,
        "HTTP/1.1 {status} X\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    writer.flush()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn envelope(method: &str, result: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope \
         xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>\
         <{method}Response xmlns=\"http://tempuri.org/\"><{method}Result>{}</{method}Result>\
         </{method}Response></soap:Body></soap:Envelope>",
        escape(result)
    )
}

/// The request's fields by name.
fn fields(body: &str) -> HashMap<String, String> {
    let document = roxmltree::Document::parse(body).expect("the request is XML");
    let method = document
        .descendants()
        .find(|n| {
            n.tag_name().name().ends_with("InvMTT") || n.tag_name().name() == "GetMCCQThueByFkeys"
        })
        .expect("a method element");
    assert_eq!(method.tag_name().namespace(), Some("http://tempuri.org/"));
    method
        .children()
        .filter(|n| n.is_element())
        .map(|n| {
            (
                n.tag_name().name().to_string(),
                n.text().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn credentials_right(fields: &HashMap<String, String>) -> bool {
    let is = |name: &str, value: &str| fields.get(name).map(String::as_str) == Some(value);
    is("Account", ACCOUNT.0)
        && is("ACpass", ACCOUNT.1)
        && is("username", SERVICE_USER.0)
        && is("password", SERVICE_USER.1)
}

fn publish(body: &str, state: &Mutex<FakeState>) -> String {
    let fields = fields(body);
    let mut state = state.lock().unwrap();
    state.publish_calls += 1;
    if !credentials_right(&fields) {
        return "ERR:1".into();
    }
    let pattern = fields.get("pattern").cloned().unwrap_or_default();
    let serial = fields.get("serial").cloned().unwrap_or_default();
    let data = fields.get("xmlInvData").cloned().unwrap_or_default();
    let Ok(document) = roxmltree::Document::parse(&data) else {
        return "ERR:3".into();
    };
    let text = |node: roxmltree::Node<'_, '_>, tag: &str| {
        node.descendants()
            .find(|n| n.tag_name().name() == tag)
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_string()
    };
    let mut batch = Vec::new();
    for invoice in document
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("HDon"))
    {
        batch.push(Kept {
            key: text(invoice, "key"),
            template: text(invoice, "KHMSHDon"),
            series: text(invoice, "KHHDon"),
            number: text(invoice, "SHDon").parse().unwrap_or(0),
            date: text(invoice, "NLap"),
            authority_code: text(invoice, "MCCQT"),
        });
    }
    if batch.is_empty() {
        return "ERR:3".into();
    }
    if batch.len() > state.max_batch {
        return "ERR:10".into();
    }
    if batch
        .iter()
        .any(|k| k.template != pattern || k.series != serial)
    {
        return "ERR:20".into();
    }
    let repeated = batch
        .iter()
        .filter(|k| state.kept.iter().any(|kept| kept.key == k.key))
        .count();
    if repeated > 0 {
        state.duplicate_submissions += repeated;
        return "ERR:13".into();
    }
    if let Some((key, code)) = &state.refuse_key
        && batch.iter().any(|k| &k.key == key)
    {
        return code.clone();
    }
    let mut last = state
        .kept
        .iter()
        .filter(|k| k.series == serial)
        .map(|k| k.date.clone())
        .max()
        .unwrap_or_default();
    for invoice in &batch {
        if invoice.date < last {
            return "ERR:30".into();
        }
        last = invoice.date.clone();
    }
    let answers: Vec<String> = batch
        .iter()
        .map(|k| format!("{}_{}_{}", k.key, k.number, k.authority_code))
        .collect();
    state.kept.extend(batch);
    format!("OK:{pattern};{serial}-{}", answers.join(","))
}

fn status(body: &str, state: &Mutex<FakeState>) -> String {
    let fields = fields(body);
    let mut state = state.lock().unwrap();
    state.status_calls += 1;
    if !credentials_right(&fields) {
        return "ERR:1".into();
    }
    let keys = fields.get("fkeys").cloned().unwrap_or_default();
    let mut list = String::from("<DSHDon>");
    let mut found = 0;
    for key in keys.split('_') {
        let Some(kept) = state.kept.iter().find(|k| k.key == key) else {
            continue;
        };
        found += 1;
        let (thai, error) = state
            .verdicts
            .get(key)
            .cloned()
            .unwrap_or_else(|| ("2".into(), String::new()));
        list.push_str(&format!(
            "<HDon><Fkey>{}</Fkey><KHMSHDon>{}</KHMSHDon><MCCQThue>{}</MCCQThue><TThai>{thai}</TThai><MTLoi>{}</MTLoi></HDon>",
            escape(key),
            kept.template,
            kept.authority_code,
            escape(&error)
        ));
    }
    list.push_str("</DSHDon>");
    if found == 0 {
        return "ERR:2".into();
    }
    base64::engine::general_purpose::STANDARD.encode(list)
}
