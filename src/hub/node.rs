//! A data folder's store as the sync worker's node: its own events go up, the other nodes'
//! come down and are applied with the hub cursor in one transaction.

use super::HubCursor;
use super::worker::SyncNode;
use crate::core::sync_event::SyncEvent;
use crate::store::Store;
use std::path::PathBuf;

impl SyncNode for Store {
    fn unsent_after(&mut self, seq: i64, limit: usize) -> Result<Vec<SyncEvent>, String> {
        self.events_after(seq, limit)
            .map_err(|error| error.to_string())
    }

    fn acked(&mut self, origin: &str, seq: i64) -> Result<(), String> {
        self.record_hub_acked(origin, seq)
            .map_err(|error| error.to_string())
    }

    fn unsent(&mut self) -> Result<i64, String> {
        self.events_awaiting_hub()
            .map_err(|error| error.to_string())
    }

    fn earlier_origins(&mut self) -> Result<Vec<String>, String> {
        self.earlier_own_origins()
            .map_err(|error| error.to_string())
    }

    fn earlier_after(
        &mut self,
        origin: &str,
        seq: i64,
        limit: usize,
    ) -> Result<Vec<SyncEvent>, String> {
        self.origin_events_after(origin, seq, limit)
            .map_err(|error| error.to_string())
    }

    fn apply(&mut self, events: &[SyncEvent], cursor: HubCursor) -> Result<(), String> {
        self.apply_pulled_events(events, &cursor.to_string())
            .map(|_| ())
            .map_err(|error| error.to_string())
    }

    fn cursor(&mut self) -> Result<HubCursor, String> {
        match self.hub_cursor().map_err(|error| error.to_string())? {
            Some(text) => text.parse(),
            None => Ok(HubCursor::START),
        }
    }
}

/// The data folder's store as the window hands it to the sync thread: opened there, at the
/// first pass, as opening checks the file's pages — work the window must not wait for.
pub struct StoreOpenedBySync {
    path: PathBuf,
    store: Option<Store>,
}

impl StoreOpenedBySync {
    pub fn new(path: PathBuf) -> StoreOpenedBySync {
        StoreOpenedBySync { path, store: None }
    }

    fn store(&mut self) -> Result<&mut Store, String> {
        if self.store.is_none() {
            self.store = Some(Store::open(&self.path).map_err(|error| error.to_string())?);
        }
        Ok(self.store.as_mut().expect("opened just above"))
    }
}

impl SyncNode for StoreOpenedBySync {
    fn unsent_after(&mut self, seq: i64, limit: usize) -> Result<Vec<SyncEvent>, String> {
        self.store()?.unsent_after(seq, limit)
    }

    fn acked(&mut self, origin: &str, seq: i64) -> Result<(), String> {
        self.store()?.acked(origin, seq)
    }

    fn unsent(&mut self) -> Result<i64, String> {
        self.store()?.unsent()
    }

    fn earlier_origins(&mut self) -> Result<Vec<String>, String> {
        self.store()?.earlier_origins()
    }

    fn earlier_after(
        &mut self,
        origin: &str,
        seq: i64,
        limit: usize,
    ) -> Result<Vec<SyncEvent>, String> {
        self.store()?.earlier_after(origin, seq, limit)
    }

    fn apply(&mut self, events: &[SyncEvent], cursor: HubCursor) -> Result<(), String> {
        self.store()?.apply(events, cursor)
    }

    fn cursor(&mut self) -> Result<HubCursor, String> {
        self.store()?.cursor()
    }
}
