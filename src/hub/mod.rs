//! The province hub's client: one PostgreSQL (../shared/docs/MULTI_TILL.md) that every node
//! pushes its sync events to and pulls the other nodes' events of its store from, and that
//! the province reads its figures and alerts from.
//!
//! The schema is plain SQL in `hub/migrations/` (applied by [`Hub::init`]); the rules live
//! there, in `hub_ingest` and `hub_pull`. This client only carries batches and answers, and
//! never hangs the caller: it owns a small current-thread runtime, connects with a time-out,
//! keepalives and `tcp_user_timeout`, puts **every** round trip under a time-out (tokio-postgres
//! has none of its own), and drops the connection after any error, to connect afresh on the
//! next call. It is blocking: call it from the sync worker's thread or a command, never from
//! the window's.

pub mod node;
pub mod report;
mod tls;
pub mod worker;

use crate::core::sync_event::SyncEvent;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

/// The hub's migrations, in order: version n is the n-th file of `hub/migrations/`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_hub.sql",
        include_str!("../../hub/migrations/0001_hub.sql"),
    ),
    (
        "0002_pull_held.sql",
        include_str!("../../hub/migrations/0002_pull_held.sql"),
    ),
    (
        "0003_moved_before_count.sql",
        include_str!("../../hub/migrations/0003_moved_before_count.sql"),
    ),
];

/// The hub schema version this program writes and reads.
pub const HUB_SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// How long connecting may take, and then each round trip.
pub(crate) const CONNECT_LIMIT: Duration = Duration::from_secs(10);
pub(crate) const ROUND_TRIP_LIMIT: Duration = Duration::from_secs(30);

/// Why the hub did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubError {
    /// The URL is not a PostgreSQL URL.
    Url(String),
    /// No connection, no answer in time, or the link broke: nothing is lost, try again later.
    Offline(String),
    /// The hub has no schema yet (`ocop-pos hub init`).
    NotInitialised,
    /// The hub's schema is newer than this program.
    NewerSchema { hub: i32, known: i32 },
    /// The hub refused the batch and changed nothing: a gap in the sequence, or events of
    /// another origin.
    Refused(String),
    /// The hub blocked this origin (a restored or copied data folder): why.
    Blocked(String),
    /// Anything else the database said.
    Database(String),
    /// The hub's TLS certificate was refused (`sslmode=verify-full`, `sslrootcert`).
    Untrusted(String),
}

impl fmt::Display for HubError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HubError::Url(why) => write!(
                f,
                "địa chỉ máy chủ tỉnh không đúng / the hub URL is not a PostgreSQL URL: {why}"
            ),
            HubError::Offline(why) => write!(
                f,
                "không kết nối được máy chủ tỉnh, sẽ thử lại / the hub cannot be reached, \
                 nothing is lost, try again later: {why}"
            ),
            HubError::NotInitialised => write!(
                f,
                "máy chủ tỉnh chưa được khởi tạo: chạy `ocop-pos hub init` / the hub has no \
                 schema yet: run `ocop-pos hub init`"
            ),
            HubError::NewerSchema { hub, known } => write!(
                f,
                "máy chủ tỉnh dùng phiên bản {hub}, chương trình này chỉ biết đến {known}: hãy \
                 cập nhật chương trình / the hub's schema is version {hub}, this program knows \
                 up to {known}: update the program"
            ),
            HubError::Refused(why) => write!(
                f,
                "máy chủ tỉnh từ chối gói dữ liệu, không có gì thay đổi / the hub refused the \
                 batch and changed nothing: {why}"
            ),
            HubError::Blocked(why) => write!(
                f,
                "máy chủ tỉnh đã chặn máy này, cần quản lý xử lý / the hub blocked this node \
                 until a manager sorts it out: {why}"
            ),
            HubError::Database(why) => {
                write!(f, "lỗi máy chủ tỉnh / the hub's database said: {why}")
            }
            HubError::Untrusted(why) => write!(
                f,
                "chứng chỉ của máy chủ tỉnh không được tin cậy: kiểm tra địa chỉ (sslmode, \
                 sslrootcert) hoặc chứng chỉ / the hub's certificate is not trusted: check the \
                 URL (sslmode, sslrootcert) or the certificate: {why}"
            ),
        }
    }
}

impl HubError {
    fn from_postgres(error: tokio_postgres::Error) -> HubError {
        if let Some(why) = tls::certificate_refused(&error) {
            return HubError::Untrusted(why);
        }
        let Some(db) = error.as_db_error() else {
            // Not an answer from the server: the link or the server is gone.
            return HubError::Offline(error.to_string());
        };
        let message = db.message().to_string();
        match db.code().code() {
            "HG001" | "HO001" => HubError::Refused(message),
            "HB001" => HubError::Blocked(message),
            _ if *db.code() == SqlState::UNDEFINED_FUNCTION
                || *db.code() == SqlState::UNDEFINED_TABLE =>
            {
                HubError::NotInitialised
            }
            // The server going down under a query or refusing connections while it starts
            // (57, 08), or the transaction undone by a deadlock or a conflict (40): the same
            // batch goes again later.
            code if ["57", "08", "40"]
                .iter()
                .any(|class| code.starts_with(class)) =>
            {
                HubError::Offline(message)
            }
            _ => HubError::Database(message),
        }
    }
}

/// Where a node's pull stands: after the event of feed id `feed_id` written by transaction
/// `xid`. Kept by the node as text (`xid:feed_id`); [`HubCursor::START`] before the first pull.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct HubCursor {
    pub xid: u64,
    pub feed_id: i64,
}

impl HubCursor {
    pub const START: HubCursor = HubCursor { xid: 0, feed_id: 0 };
}

impl fmt::Display for HubCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.xid, self.feed_id)
    }
}

impl FromStr for HubCursor {
    type Err = String;
    fn from_str(text: &str) -> Result<HubCursor, String> {
        let (xid, feed_id) = text
            .split_once(':')
            .ok_or_else(|| format!("not a hub cursor (xid:feed_id): {text}"))?;
        Ok(HubCursor {
            xid: xid
                .parse()
                .map_err(|_| format!("not a hub cursor: {text}"))?,
            feed_id: feed_id
                .parse()
                .map_err(|_| format!("not a hub cursor: {text}"))?,
        })
    }
}

/// A connection to the hub, made when first needed and again after any error.
pub struct Hub {
    config: tokio_postgres::Config,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    connect: Duration,
    round_trip: Duration,
}

impl Hub {
    /// A client for the hub at `url` (`postgres://user:password@host:port/database`). It does
    /// not connect yet: the first call does.
    pub fn new(url: &str) -> Result<Hub, HubError> {
        Hub::with_time_limits(url, CONNECT_LIMIT, ROUND_TRIP_LIMIT)
    }

    /// The same with other time limits: for connecting (the whole handshake), and for each
    /// round trip after it.
    pub fn with_time_limits(
        url: &str,
        connect: Duration,
        round_trip: Duration,
    ) -> Result<Hub, HubError> {
        let (handed_on, tls) = tls::connector(url)?;
        let mut config: tokio_postgres::Config = handed_on
            .parse()
            .map_err(|e: tokio_postgres::Error| HubError::Url(format!("{url}: {e}")))?;
        // A link that dies silently (a cable pulled, a router gone) is noticed within a
        // minute instead of when the kernel gives up, hours later.
        config
            .connect_timeout(connect)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(20))
            .keepalives_interval(Duration::from_secs(5))
            .keepalives_retries(3)
            .tcp_user_timeout(round_trip)
            .application_name("ocop-pos");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| HubError::Offline(e.to_string()))?;
        Ok(Hub {
            config,
            tls,
            runtime,
            client: None,
            connect,
            round_trip,
        })
    }

    /// Creates the hub's schema, or upgrades it to [`HUB_SCHEMA_VERSION`], in one transaction
    /// (two `init`s at once queue on a lock). Returns the version the hub had before.
    pub fn init(&mut self) -> Result<i32, HubError> {
        self.with_client(async |client: &mut Client, limit| {
            let transaction = within(limit, client.transaction()).await?;
            within(
                limit,
                transaction.batch_execute(
                    "SELECT pg_advisory_xact_lock(hashtext('ocop-pos hub schema'));
                     CREATE TABLE IF NOT EXISTS hub_schema_version (
                         version int PRIMARY KEY,
                         file text NOT NULL,
                         applied_at timestamptz NOT NULL DEFAULT now()
                     );",
                ),
            )
            .await?;
            let before: i32 = within(
                limit,
                transaction.query_one(
                    "SELECT coalesce(max(version), 0) FROM hub_schema_version",
                    &[],
                ),
            )
            .await?
            .get(0);
            if before > HUB_SCHEMA_VERSION {
                return Err(HubError::NewerSchema {
                    hub: before,
                    known: HUB_SCHEMA_VERSION,
                });
            }
            for (version, (file, sql)) in (1..).zip(MIGRATIONS).skip(before as usize) {
                within(limit, transaction.batch_execute(sql)).await?;
                within(
                    limit,
                    transaction.execute(
                        "INSERT INTO hub_schema_version (version, file) VALUES ($1, $2)",
                        &[&version, file],
                    ),
                )
                .await?;
            }
            within(limit, transaction.commit()).await?;
            Ok(before)
        })
    }

    /// The seq of `origin` the hub has every event up to (0 for an origin it has never seen).
    pub fn acked(&mut self, origin: &str) -> Result<i64, HubError> {
        self.with_client(async |client: &mut Client, limit| {
            let row = within(
                limit,
                client.query_opt(
                    "SELECT acked_seq FROM hub_nodes WHERE origin = $1",
                    &[&origin],
                ),
            )
            .await?;
            Ok(row.map_or(0, |row| row.get(0)))
        })
    }

    /// Sends one batch of `origin`'s events (seq ascending, gapless, starting at most one past
    /// what the hub has) and returns the seq the hub now has every event up to. Sending a
    /// batch again is harmless. An empty batch asks for that seq.
    pub fn push(&mut self, origin: &str, events: &[SyncEvent]) -> Result<i64, HubError> {
        let Some(last) = events.last() else {
            return self.acked(origin);
        };
        let batch = serde_json::to_value(events).map_err(|e| HubError::Database(e.to_string()))?;
        self.with_client(async |client: &mut Client, limit| {
            let acked: Option<i64> = within(
                limit,
                client.query_one("SELECT hub_ingest($1, $2)", &[&origin, &batch]),
            )
            .await?
            .get(0);
            if let Some(acked) = acked {
                return Ok(acked);
            }
            // NULL: a divergent replay, refused by the block hub_ingest kept (and committed).
            let blocked: Option<String> = within(
                limit,
                client.query_one(
                    "SELECT blocked FROM hub_nodes WHERE origin = $1",
                    &[&origin],
                ),
            )
            .await?
            .get(0);
            Err(HubError::Blocked(blocked.unwrap_or_else(|| {
                format!("{origin}: batch up to {} refused", last.seq)
            })))
        })
    }

    /// Up to `limit` events of the store's other nodes after `cursor`, oldest first, and the
    /// cursor after them (the same cursor when there is nothing new). Events of a batch still
    /// being written wait for its commit: none is ever skipped.
    pub fn pull(
        &mut self,
        store: &str,
        origin: &str,
        cursor: HubCursor,
        limit: i32,
    ) -> Result<(Vec<SyncEvent>, HubCursor), HubError> {
        self.with_client(async |client: &mut Client, round_trip| {
            let rows = within(
                round_trip,
                client.query(
                    "SELECT xid::text, feed_id, body
                     FROM hub_pull($1, $2, $3::text::xid8, $4, $5)",
                    &[
                        &store,
                        &origin,
                        &cursor.xid.to_string(),
                        &cursor.feed_id,
                        &limit,
                    ],
                ),
            )
            .await?;
            let mut next = cursor;
            let mut events = Vec::with_capacity(rows.len());
            for row in rows {
                let xid: String = row.get(0);
                next = HubCursor {
                    xid: xid
                        .parse()
                        .map_err(|_| HubError::Database(format!("xid {xid}")))?,
                    feed_id: row.get(1),
                };
                let body: serde_json::Value = row.get(2);
                events.push(
                    serde_json::from_value(body)
                        .map_err(|e| HubError::Database(format!("event {}: {e}", next.feed_id)))?,
                );
            }
            Ok((events, next))
        })
    }

    /// Runs `op` on a connection (made now if there is none), and keeps the connection only if
    /// `op` succeeded.
    fn with_client<T>(
        &mut self,
        op: impl AsyncFnOnce(&mut Client, Duration) -> Result<T, HubError>,
    ) -> Result<T, HubError> {
        let mut client = match self.client.take() {
            Some(client) if !client.is_closed() => client,
            _ => self.connect()?,
        };
        let result = self.runtime.block_on(op(&mut client, self.round_trip));
        if result.is_ok() {
            self.client = Some(client);
        }
        result
    }

    fn connect(&self) -> Result<Client, HubError> {
        let (client, connection) = self
            .runtime
            .block_on(within(self.connect, self.config.connect(self.tls.clone())))?;
        // Runs whenever the runtime does, that is during each call; it ends with the client.
        self.runtime.spawn(connection);
        Ok(client)
    }
}

/// One round trip, given up after `limit`.
async fn within<T>(
    limit: Duration,
    round_trip: impl Future<Output = Result<T, tokio_postgres::Error>>,
) -> Result<T, HubError> {
    match tokio::time::timeout(limit, round_trip).await {
        Ok(answer) => answer.map_err(HubError::from_postgres),
        Err(_) => Err(HubError::Offline(format!(
            "no answer within {} s",
            limit.as_secs()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migrations_are_the_files_of_the_hub_folder_in_order() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/hub/migrations");
        let mut files: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS.iter().map(|(f, _)| f.to_string()).collect();
        assert_eq!(
            listed, files,
            "list every file of hub/migrations in MIGRATIONS"
        );
        for (n, file) in (1..).zip(&files) {
            assert!(
                file.starts_with(&format!("{n:04}_")),
                "{file} is number {n}"
            );
        }
    }

    #[test]
    fn a_cursor_survives_its_text() {
        let cursor = HubCursor {
            xid: 4_294_967_800,
            feed_id: 12,
        };
        assert_eq!(cursor.to_string().parse::<HubCursor>(), Ok(cursor));
        assert!("12".parse::<HubCursor>().is_err());
    }

    #[test]
    fn a_url_that_is_not_postgres_is_refused_before_any_connection() {
        assert!(matches!(Hub::new("http://x y"), Err(HubError::Url(_))));
    }
}
