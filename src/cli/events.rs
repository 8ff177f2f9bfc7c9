//! `ocop-pos events export|import`: the store's nodes exchange their documents by file (a USB
//! stick), one event per line (NDJSON), without any network.

use super::pin::{ManagerChange, open_existing};
use super::refusal;
use crate::config::Config;
use crate::core::audit::AuditAct;
use crate::core::sync_event::SyncEvent;
use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

/// How many events are read from the store at a time while exporting.
const EXPORT_BATCH: usize = 1000;

/// `events export --since N FILE`: this node's events after `since`, one JSON object a line —
/// after every event the folder wrote under an earlier name (before a restore, a copy or a new
/// node code), whole, so none of those is stranded (an import passes over what it holds).
pub fn export_events(config: &Config, since: i64, file: &Path) -> Result<String, String> {
    let store = open_existing(config)?;
    let failed = |error: std::io::Error| format!("{}: {error}", file.display());
    let mut out = BufWriter::new(std::fs::File::create(file).map_err(failed)?);
    let mut write_all = |read: &dyn Fn(i64) -> Result<Vec<SyncEvent>, String>,
                         from: i64|
     -> Result<usize, String> {
        let (mut after, mut count) = (from, 0usize);
        loop {
            let events = read(after)?;
            let Some(last) = events.last() else {
                return Ok(count);
            };
            after = last.seq;
            for event in &events {
                let line = serde_json::to_string(event).map_err(|e| e.to_string())?;
                writeln!(out, "{line}").map_err(failed)?;
            }
            count += events.len();
        }
    };
    let mut earlier_count = 0;
    for earlier in store.earlier_own_origins().map_err(|e| refusal(&e))? {
        earlier_count += write_all(
            &|after| {
                store
                    .origin_events_after(&earlier, after, EXPORT_BATCH)
                    .map_err(|e| refusal(&e))
            },
            0,
        )?;
    }
    let count = write_all(
        &|after| {
            store
                .events_after(after, EXPORT_BATCH)
                .map_err(|e| refusal(&e))
        },
        since,
    )?;
    out.flush().map_err(failed)?;
    out.get_ref().sync_all().map_err(failed)?;
    let origin = store.node_identity().map_err(|e| refusal(&e))?.origin();
    let earlier = if earlier_count > 0 {
        format!(
            "Kèm {earlier_count} sự kiện ghi dưới tên cũ của máy\n\
             Plus {earlier_count} events written under this node's earlier names\n"
        )
    } else {
        String::new()
    };
    Ok(format!(
        "Đã ghi {count} sự kiện của {origin} sau số {since} vào {file}\n\
         Wrote {count} events of {origin} after {since} to {file}\n{earlier}",
        file = file.display()
    ))
}

/// `events import FILE`: applies other nodes' events, all or none, then audits it with the
/// manager's name (the file moves stock and brings sales into this node's books).
pub fn import_events(change: &mut ManagerChange, file: &Path) -> Result<String, String> {
    let failed = |error: std::io::Error| format!("{}: {error}", file.display());
    let reader = std::io::BufReader::new(std::fs::File::open(file).map_err(failed)?);
    let mut events = Vec::new();
    for (number, line) in reader.lines().enumerate() {
        let line = line.map_err(failed)?;
        if line.trim().is_empty() {
            continue;
        }
        let event: SyncEvent = serde_json::from_str(&line).map_err(|error| {
            format!(
                "{}:{}: dòng không phải sự kiện / not an event: {error}",
                file.display(),
                number + 1
            )
        })?;
        events.push(event);
    }
    let applied = change
        .store
        .apply_events(&events)
        .map_err(|e| refusal(&e))?;
    change.audit(
        AuditAct::EventsImported,
        &file.display().to_string(),
        "",
        &format!("+{} ={}", applied.applied, applied.already),
    )?;
    Ok(format!(
        "Đã nhận {} sự kiện mới, {} sự kiện đã có từ trước\n\
         Applied {} new events, {} already here\n",
        applied.applied, applied.already, applied.applied, applied.already
    ))
}
