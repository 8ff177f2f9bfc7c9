//! This data folder as a node of its store: the store's id, the node's two capital letters and
//! its incarnation (see `core::sync_event` and README "Several counters").
//!
//! The incarnation is what tells a folder's history apart from a copy of it. It is renewed
//! when the database is not the one the folder last ran: a backup restored (by the program, or
//! a file copied in by hand), or the folder copied to another place or machine. Two checks at
//! every open: a marker file beside the database, [`NODE_FILE`], names the incarnation, the
//! folder and the machine, and all three must match; and the folder's high-water file
//! (`numbering`) keeps the last event number each incarnation wrote, which the database must
//! not be behind. A restore by the program renews the incarnation outright.

use super::numbering::{self, SYNC_MARK_PREFIX};
use super::{Store, StoreResult};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

/// The marker file in the data folder: which incarnation last ran here, on which machine.
pub const NODE_FILE: &str = "node.txt";

/// Settings key: `node` when each node invoices in its own series, named by its code
/// (`C26MAB`); otherwise every node uses the registered letters, which suits a store that
/// invoices on one node only (check with the accountant what the registration allows).
pub const INVOICE_SERIES_SETTING: &str = "node.invoice_series";

pub(crate) fn invoice_series_per_node(conn: &Connection) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([INVOICE_SERIES_SETTING], |row| row.get::<_, String>(0))
        .optional()?
        .is_some_and(|value| value == "node"))
}

/// Who this folder is among the store's nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeIdentity {
    pub store: String,
    pub node: String,
    pub incarnation: String,
    /// The node whose catalogue edits the store follows; only it may edit the catalogue.
    pub catalogue_node: String,
    /// Each node invoices in a series named by its code ([`INVOICE_SERIES_SETTING`]).
    pub invoice_series_per_node: bool,
}

impl NodeIdentity {
    /// `store/node/incarnation`.
    pub fn origin(&self) -> String {
        crate::core::sync_event::origin(&self.store, &self.node, &self.incarnation)
    }

    /// Whether this node may edit the catalogue (products, prices, producers, packs, staff).
    pub fn writes_catalogue(&self) -> bool {
        self.node == self.catalogue_node
    }
}

/// Two capital letters, `AA` to `ZZ`.
pub fn valid_node_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// 1 to 20 capital letters, digits or dashes: it travels in every event and file name.
pub fn valid_store_id(store: &str) -> bool {
    (1..=20).contains(&store.len())
        && store
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

/// A real store's id until its manager names one: six random letters and digits, so two
/// stores set up apart never take each other's events for their own.
pub fn default_store_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let random = uuid::Uuid::new_v4();
    random.as_bytes()[..6]
        .iter()
        .map(|byte| ALPHABET[usize::from(*byte) % ALPHABET.len()] as char)
        .collect()
}

pub(crate) fn read_identity(conn: &Connection) -> StoreResult<NodeIdentity> {
    let invoice_series_per_node = invoice_series_per_node(conn)?;
    Ok(conn
        .prepare_cached(
            "SELECT o.store, o.node, o.incarnation, n.catalogue_node
               FROM sync_node n JOIN sync_origins o ON o.id = n.origin_id",
        )?
        .query_row([], |row| {
            Ok(NodeIdentity {
                store: row.get(0)?,
                node: row.get(1)?,
                incarnation: row.get(2)?,
                catalogue_node: row.get(3)?,
                invoice_series_per_node,
            })
        })?)
}

fn current_last_seq(conn: &Connection) -> StoreResult<i64> {
    Ok(conn
        .query_row(
            "SELECT o.last_seq FROM sync_node n JOIN sync_origins o ON o.id = n.origin_id",
            [],
            |row| row.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

fn new_incarnation() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Makes `store/node` with a fresh incarnation this folder's origin. An origin that has
/// written no event yet is renamed in place; one with events is kept for them (other nodes
/// know those events by it) and a new one takes over, its numbers starting again at 1.
fn switch_origin(conn: &Connection, store: &str, node: &str) -> StoreResult<()> {
    let (current, events): (i64, i64) = conn.query_row(
        "SELECT o.id, o.last_seq FROM sync_node n JOIN sync_origins o ON o.id = n.origin_id",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let incarnation = new_incarnation();
    if events == 0 {
        conn.execute(
            "UPDATE sync_origins SET store = ?1, node = ?2, incarnation = ?3 WHERE id = ?4",
            params![store, node, incarnation, current],
        )?;
    } else {
        conn.execute(
            "INSERT INTO sync_origins (store, node, incarnation, local) VALUES (?1, ?2, ?3, 1)",
            params![store, node, incarnation],
        )?;
        conn.execute(
            "UPDATE sync_node SET origin_id = ?1",
            [conn.last_insert_rowid()],
        )?;
    }
    Ok(())
}

/// The machine the folder runs on, as well as the system tells it.
fn machine_id() -> String {
    [
        "/etc/machine-id",
        "/var/lib/dbus/machine-id",
        "/etc/hostname",
    ]
    .iter()
    .find_map(|file| {
        std::fs::read_to_string(file)
            .ok()
            .map(|text| text.trim().to_string())
            .filter(|text| !text.is_empty())
    })
    .or_else(|| std::env::var("COMPUTERNAME").ok())
    .unwrap_or_default()
}

fn marker_text(incarnation: &str, data_dir: &Path) -> String {
    let folder = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    format!(
        "# OCOP POS: the node that last ran in this folder. A restored or copied database that\n\
         # does not match it takes a new incarnation, so no event is ever numbered twice.\n\
         incarnation {incarnation}\nfolder {}\nmachine {}\n",
        folder.display(),
        machine_id()
    )
}

fn write_marker(incarnation: &str, data_dir: &Path) -> StoreResult<()> {
    let file = data_dir.join(NODE_FILE);
    let temporary = data_dir.join(format!("{NODE_FILE}.{}.part", std::process::id()));
    std::fs::write(&temporary, marker_text(incarnation, data_dir))
        .and_then(|()| std::fs::rename(&temporary, file))
        .map_err(|_| super::StoreError::ReadOnly)
}

/// At every open: renews the incarnation unless the marker file names this database's
/// incarnation, this folder and this machine, then writes the marker.
pub(crate) fn check_incarnation(conn: &Connection, data_dir: &Path) -> StoreResult<()> {
    let identity = read_identity(conn)?;
    let marker = std::fs::read_to_string(data_dir.join(NODE_FILE)).ok();
    // The folder's high-water file knows how far this incarnation got: a database behind it is
    // an older copy put back.
    let written = numbering::read_marks(data_dir)
        .get(&(format!("{SYNC_MARK_PREFIX}{}", identity.incarnation), 0))
        .copied()
        .unwrap_or(0);
    let behind = written > current_last_seq(conn)?;
    if !behind && marker.as_deref() == Some(&marker_text(&identity.incarnation, data_dir)) {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    switch_origin(&tx, &identity.store, &identity.node)?;
    let incarnation = read_identity(&tx)?.incarnation;
    tx.commit()?;
    write_marker(&incarnation, data_dir)
}

impl Store {
    /// This folder's place among the store's nodes.
    pub fn node_identity(&self) -> StoreResult<NodeIdentity> {
        read_identity(&self.conn)
    }

    /// Changes the store id, the node's code and/or the catalogue node (each one given), in one
    /// transaction. A new store or code is a new origin: the node's events start again at 1
    /// under its new name, those written before keep theirs. Refuses a code that is not two
    /// capital letters and a store id that is not 1–20 capitals, digits or dashes.
    pub fn set_node_identity(
        &mut self,
        store: Option<&str>,
        node: Option<&str>,
        catalogue_node: Option<&str>,
    ) -> StoreResult<NodeIdentity> {
        let refused = |what: &str| super::StoreError::Node(what.to_string());
        if let Some(store) = store
            && !valid_store_id(store)
        {
            return Err(refused(store));
        }
        for code in [node, catalogue_node].into_iter().flatten() {
            if !valid_node_code(code) {
                return Err(refused(code));
            }
        }
        let tx = self.conn.transaction()?;
        let now = read_identity(&tx)?;
        let store = store.unwrap_or(&now.store);
        let node = node.unwrap_or(&now.node);
        if (store, node) != (now.store.as_str(), now.node.as_str()) {
            switch_origin(&tx, store, node)?;
        }
        if let Some(catalogue_node) = catalogue_node {
            tx.execute("UPDATE sync_node SET catalogue_node = ?1", [catalogue_node])?;
        }
        let identity = read_identity(&tx)?;
        tx.commit()?;
        self.write_node_marker()?;
        Ok(identity)
    }

    /// Whether each node invoices in its own series (`C26MAB`) or all in the registered one.
    pub fn set_invoice_series_per_node(&mut self, per_node: bool) -> StoreResult<()> {
        let value = if per_node { "node" } else { "registered" };
        self.set_setting(INVOICE_SERIES_SETTING, value)
    }

    /// A new incarnation for this database: after a restore, whose events other nodes may
    /// already hold under the old one with other contents.
    pub fn renew_incarnation(&mut self) -> StoreResult<NodeIdentity> {
        let tx = self.conn.transaction()?;
        let now = read_identity(&tx)?;
        switch_origin(&tx, &now.store, &now.node)?;
        let identity = read_identity(&tx)?;
        tx.commit()?;
        self.write_node_marker()?;
        Ok(identity)
    }

    fn write_node_marker(&self) -> StoreResult<()> {
        let data_dir = self.path.parent().unwrap_or(Path::new("."));
        write_marker(&read_identity(&self.conn)?.incarnation, data_dir)
    }

    /// The last event number this node handed out under its present origin.
    pub fn last_event_seq(&self) -> StoreResult<i64> {
        current_last_seq(&self.conn)
    }

    /// Notes that the hub holds every event of this folder's own `origin`
    /// (`store/node/incarnation`) up to `seq`. What the hub says beyond the events the folder
    /// wrote (another folder with the same name) is not taken.
    pub fn record_hub_acked(&self, origin: &str, seq: i64) -> StoreResult<()> {
        self.conn
            .prepare_cached(
                "UPDATE sync_origins SET hub_acked = min(?2, last_seq)
                  WHERE local = 1 AND store || '/' || node || '/' || incarnation = ?1
                    AND hub_acked < min(?2, last_seq)",
            )?
            .execute(params![origin, seq])?;
        Ok(())
    }

    /// How many events of this folder's own origins, the present one and earlier ones, the
    /// hub did not hold when last heard from (all of them before the first contact).
    pub fn events_awaiting_hub(&self) -> StoreResult<i64> {
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(last_seq - hub_acked), 0) FROM sync_origins WHERE local = 1",
            [],
            |row| row.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_two_capitals_and_store_ids_travel_safely() {
        for good in ["AA", "AB", "ZZ"] {
            assert!(valid_node_code(good), "{good}");
        }
        for bad in ["", "A", "ab", "A1", "ABC", "Ă A"] {
            assert!(!valid_node_code(bad), "{bad}");
        }
        assert!(valid_store_id("RG") && valid_store_id("AG-01"));
        for bad in ["", "rg", "R G", "R/G", "ABCDEFGHIJKLMNOPQRSTU"] {
            assert!(!valid_store_id(bad), "{bad}");
        }
        let made = default_store_id();
        assert!(valid_store_id(&made) && made.len() == 6, "{made}");
    }
}
