//! The chaos test of issue 17: three counters (`ocop-pos till-sim`, each a real process with
//! its own data folder and the window's sync worker) sell at once to a real PostgreSQL hub
//! through a proxy that drops and black-holes their connections, while the test kills counters
//! with SIGKILL (and starts them again) and crash-stops the server (`pg_ctl stop -m immediate`)
//! and starts it again. Then the link heals, every counter stops, is started once more and
//! drains, and:
//! - no acknowledged sale is lost (acknowledged: `till-sim` printed its receipt number, which it
//!   does only after the commit returned; a counter killed between commit and print leaves a
//!   sale that is present but was never acknowledged, which is allowed);
//! - every sale is at the hub exactly once, under its counter's number;
//! - every node's series have no gap, on the node and at the hub: receipts, and the events of
//!   every origin;
//! - every node's stock of every product equals the hub's;
//! - no node took a new incarnation (a kill is not a restore).
//!
//! It prints its seed and counts; `OCOP_CHAOS_SEED=N` replays a run's choices (the timing of
//! the processes still varies). Runs as its own program (harness = false): it starts and kills
//! processes and stops the shared PostgreSQL, which no other test may use meanwhile.

mod common;

use common::postgres::{database, psql, quick_server};
use common::proxy::{Mode, Proxy};
use common::{DEMO_PRODUCTS, shop_time};
use ocop_pos::cli::{HUB_STATUS_PREFIX, SOLD_PREFIX, SimRandom};
use ocop_pos::core::staff::Role;
use ocop_pos::hub::Hub;
use ocop_pos::hub::worker::sync_once;
use ocop_pos::store::{AUTO_OPEN_SESSIONS, DATABASE_FILE, SESSION_POLICY_SETTING, Store};
use rusqlite::{Connection, OpenFlags};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const TEST_NAME: &str = "three_tills_sell_through_a_broken_link_and_lose_nothing";
const SEED_VARIABLE: &str = "OCOP_CHAOS_SEED";
const TILLS: [&str; 3] = ["AB", "AC", "AD"];
/// Faults after the first four (one of each kind).
const MORE_FAULTS: u64 = 8;
const PACE_MS: &str = "100";
/// Each counter's manager, whose PIN starts `till-sim`.
const MANAGER: (&str, &str) = ("Võ Thị Hoa", "4826");

fn main() {
    if std::env::args().any(|arg| arg == "--list") {
        println!("{TEST_NAME}: test");
        return;
    }
    three_tills_sell_through_a_broken_link_and_lose_nothing();
    println!("test {TEST_NAME} ... ok");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    KillTill,
    DropLink,
    BlackHole,
    CrashServer,
}

/// What the run did, printed at its end.
#[derive(Debug, Default)]
struct Counts {
    kills: u32,
    drops: u32,
    black_holes: u32,
    crashes: u32,
}

/// Receipt numbers `till-sim` acknowledged, across every run of every counter.
type Acked = Arc<Mutex<BTreeSet<String>>>;

struct Till {
    code: &'static str,
    dir: tempfile::TempDir,
    child: Option<Child>,
    readers: Vec<thread::JoinHandle<()>>,
    runs: u32,
    /// The sync worker's status as the running `till-sim` last printed it, and when.
    status: Arc<Mutex<Option<(String, Instant)>>>,
    /// How many times the workers of every run said the hub was offline.
    offline_seen: Arc<AtomicU32>,
}

impl Till {
    fn log(&self) -> PathBuf {
        self.dir.path().join("till-sim.log")
    }

    /// Starts `till-sim` on the counter's folder; `sales` before it stops by itself.
    fn start(&mut self, url: &str, sales: u64, stop_file: &Path, seed: u64, acked: &Acked) {
        self.runs += 1;
        let log = File::options()
            .create(true)
            .append(true)
            .open(self.log())
            .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_ocop-pos"))
            .arg("--data-dir")
            .arg(self.dir.path())
            .arg("--pin-stdin")
            .args([
                "till-sim",
                "--url",
                url,
                "--fast-sync",
                "--pace-ms",
                PACE_MS,
            ])
            .args(["--sales", &sales.to_string(), "--seed", &seed.to_string()])
            .arg("--stop-file")
            .arg(stop_file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut pin = child.stdin.take().unwrap();
        writeln!(pin, "{}", MANAGER.1).unwrap();
        drop(pin);
        let stdout = child.stdout.take().unwrap();
        let (acked, log_path) = (acked.clone(), self.log());
        *self.status.lock().unwrap() = None;
        let (status, offline_seen) = (self.status.clone(), self.offline_seen.clone());
        self.readers.push(thread::spawn(move || {
            let mut lines = BufReader::new(stdout);
            let mut line = String::new();
            let mut said = File::options().append(true).open(log_path).unwrap();
            while lines.read_line(&mut line).unwrap_or(0) > 0 {
                // A line cut short by a kill was never acknowledged.
                if line.ends_with('\n')
                    && let Some(sold) = line.strip_prefix(SOLD_PREFIX)
                {
                    let receipt = sold.split_whitespace().next().unwrap().to_string();
                    acked.lock().unwrap().insert(receipt);
                } else if let Some(now) = line.strip_prefix(HUB_STATUS_PREFIX) {
                    if now.contains("/ offline") {
                        offline_seen.fetch_add(1, Ordering::SeqCst);
                    }
                    *status.lock().unwrap() = Some((now.trim().to_string(), Instant::now()));
                    let _ = write!(said, "{line}");
                } else {
                    let _ = write!(said, "stdout: {line}");
                }
                line.clear();
            }
        }));
        self.child = Some(child);
    }

    /// Fails the test at once if `till-sim` ended by itself while it should be selling.
    fn still_selling(&mut self) {
        let child = self.child.as_mut().expect("a running till");
        if let Some(status) = child.try_wait().unwrap() {
            panic!("{} ended by itself ({status}):\n{}", self.code, self.said());
        }
    }

    fn kill(&mut self) {
        let mut child = self.child.take().expect("a running till");
        child.kill().unwrap();
        child.wait().unwrap();
    }

    /// Waits for the running `till-sim` to end by itself; whether it succeeded.
    fn wait(&mut self, within: Duration) -> bool {
        let mut child = self.child.take().expect("a running till");
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                for reader in self.readers.drain(..) {
                    reader.join().unwrap();
                }
                return status.success();
            }
            if Instant::now() > deadline {
                child.kill().unwrap();
                child.wait().unwrap();
                return false;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the worker said it was online since `since`.
    fn online_since(&self, since: Instant) -> bool {
        self.status
            .lock()
            .unwrap()
            .as_ref()
            .is_some_and(|(status, at)| status.ends_with("/ online") && *at > since)
    }

    fn said(&self) -> String {
        std::fs::read_to_string(self.log()).unwrap_or_default()
    }
}

/// A failing test leaves no counter selling on behind it.
impl Drop for Till {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn three_tills_sell_through_a_broken_link_and_lose_nothing() {
    let started = Instant::now();
    let seed = std::env::var(SEED_VARIABLE)
        .ok()
        .map(|text| text.parse().expect("OCOP_CHAOS_SEED is a number"))
        .unwrap_or_else(SimRandom::fresh_seed);
    println!("{TEST_NAME}: seed {seed} (replay with {SEED_VARIABLE}={seed})");
    let mut random = SimRandom::new(seed);
    let url = database();
    let server = quick_server();
    Hub::new(&url).unwrap().init().unwrap();
    let proxy = Proxy::to(server.port());
    let through_proxy = proxy.url_for(&url);

    // The catalogue node goes up first; each counter learns the catalogue, the stock and the
    // staff from the hub, as a new counter of the store does.
    let manager_dir = tempfile::tempdir().unwrap();
    let mut manager = Store::open_in(manager_dir.path()).unwrap();
    manager.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
    // The store's manager, whose PIN starts `till-sim` on every counter.
    manager
        .create_staff(MANAGER.0, Role::Manager, MANAGER.1, shop_time())
        .unwrap();
    let store_id = manager.node_identity().unwrap().store;
    pass(&url, &mut manager);
    let mut tills: Vec<Till> = TILLS
        .iter()
        .map(|code| {
            let dir = tempfile::tempdir().unwrap();
            let mut store = Store::open_in(dir.path()).unwrap();
            store
                .set_node_identity(Some(&store_id), Some(code), None)
                .unwrap();
            pass(&url, &mut store);
            assert_eq!(
                store.setting(SESSION_POLICY_SETTING).unwrap().as_deref(),
                Some(AUTO_OPEN_SESSIONS),
                "the store's policy and staff came with the catalogue"
            );
            Till {
                code,
                dir,
                child: None,
                readers: Vec::new(),
                runs: 0,
                status: Arc::default(),
                offline_seen: Arc::default(),
            }
        })
        .collect();

    let acked: Acked = Arc::default();
    let offline_seen = Arc::new(AtomicU32::new(0));
    for till in &mut tills {
        till.offline_seen = offline_seen.clone();
    }
    let stop_file = manager_dir.path().join("stop-selling");
    for till in &mut tills {
        till.start(
            &through_proxy,
            u64::MAX,
            &stop_file,
            random.next_u64(),
            &acked,
        );
    }
    let mut faults = vec![
        Fault::KillTill,
        Fault::DropLink,
        Fault::BlackHole,
        Fault::CrashServer,
    ];
    for _ in 0..MORE_FAULTS {
        faults.push(faults[random.below(4)]);
    }
    for i in (1..faults.len()).rev() {
        faults.swap(i, random.below(i + 1));
    }
    let mut counts = Counts::default();
    let pause = |random: &mut SimRandom, low: u64, high: u64| {
        thread::sleep(Duration::from_millis(random.between(low, high)));
    };
    for fault in faults {
        pause(&mut random, 800, 2500);
        for till in &mut tills {
            till.still_selling();
        }
        match fault {
            Fault::KillTill => {
                let till = &mut tills[random.below(TILLS.len())];
                till.kill();
                counts.kills += 1;
                pause(&mut random, 100, 1000);
                till.start(
                    &through_proxy,
                    u64::MAX,
                    &stop_file,
                    random.next_u64(),
                    &acked,
                );
            }
            Fault::DropLink => {
                proxy.set(Mode::Drop);
                counts.drops += 1;
                pause(&mut random, 300, 2000);
                proxy.set(Mode::Pass);
            }
            Fault::BlackHole => {
                proxy.set(Mode::BlackHole);
                counts.black_holes += 1;
                pause(&mut random, 500, 3000);
                proxy.set(Mode::Pass);
            }
            Fault::CrashServer => {
                server.crash_stop();
                counts.crashes += 1;
                pause(&mut random, 300, 2000);
                server.start_again();
            }
        }
    }

    // The last fault takes the server away long enough for every worker to notice; once it
    // is back, each worker comes back online by itself while its counter sells on.
    let last_fault = Instant::now();
    server.crash_stop();
    counts.crashes += 1;
    thread::sleep(Duration::from_millis(2500));
    server.start_again();
    let healed = Instant::now();
    while !tills.iter().all(|till| till.online_since(last_fault)) {
        for till in &mut tills {
            till.still_selling();
        }
        assert!(
            healed.elapsed() < Duration::from_secs(30),
            "30 s after the link healed, not every worker is back online: {}",
            tills
                .iter()
                .map(|till| format!(
                    "{} {:?}:\n{}",
                    till.code,
                    till.status.lock().unwrap(),
                    till.said()
                ))
                .collect::<Vec<_>>()
                .join("\n")
        );
        thread::sleep(Duration::from_millis(50));
    }
    let back_within = healed.elapsed();

    // Every counter stops selling and drains, then starts once more and drains, so
    // that each has pulled what the others sent last.
    File::create(&stop_file).unwrap();
    let mut failures = Vec::new();
    for till in &mut tills {
        if !till.wait(Duration::from_secs(60)) {
            failures.push(format!(
                "{} did not stop and drain:\n{}",
                till.code,
                till.said()
            ));
        }
    }
    for till in &mut tills {
        till.start(&through_proxy, 0, &stop_file, 0, &acked);
        if !till.wait(Duration::from_secs(60)) {
            failures.push(format!(
                "{} did not drain once started again:\n{}",
                till.code,
                till.said()
            ));
        }
    }
    // Each run audits its start (one event): one more pass each takes the others' last ones.
    for till in &tills {
        pass(
            &through_proxy,
            &mut Store::open_in(till.dir.path()).unwrap(),
        );
    }
    pass(&url, &mut manager);
    drop(manager);
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let acked = acked.lock().unwrap().clone();
    let hub_events: i64 = psql(&url, "SELECT count(*) FROM hub_events")
        .parse()
        .unwrap();
    let mut nodes: Vec<(&str, &Path)> = vec![("AA", manager_dir.path())];
    nodes.extend(tills.iter().map(|till| (till.code, till.dir.path())));
    let committed = check(&url, &store_id, &nodes, &acked, &mut failures);
    println!(
        "{TEST_NAME}: sales acked {acked}, committed {committed} ({unacked} never acked), \
         till runs {runs}, kills {kills}, proxy drops {drops}, black-holes {holes}, server \
         crashes {crashes}, workers offline {offline} times and all back online {back} ms \
         after healing, events at hub {hub_events}, {secs} s",
        offline = offline_seen.load(Ordering::SeqCst),
        back = back_within.as_millis(),
        acked = acked.len(),
        unacked = committed - acked.len(),
        runs = tills.iter().map(|till| till.runs).sum::<u32>(),
        kills = counts.kills,
        drops = counts.drops,
        holes = counts.black_holes,
        crashes = counts.crashes,
        secs = started.elapsed().as_secs(),
    );
    assert!(
        failures.is_empty(),
        "seed {seed} ({SEED_VARIABLE}={seed} replays it):\n{}",
        failures.join("\n")
    );
    assert!(acked.len() > 50, "the counters sold: {}", acked.len());
    assert!(
        offline_seen.load(Ordering::SeqCst) > 0,
        "the faults reached the workers"
    );
}

/// One push-then-pull pass straight to the hub.
fn pass(url: &str, store: &mut Store) {
    let identity = store.node_identity().unwrap();
    sync_once(
        &mut Hub::new(url).unwrap(),
        store,
        &identity.store,
        &identity.origin(),
    )
    .unwrap();
}

/// Every promise of the test, each break noted in `failures`; the number of sales committed
/// on the counters.
fn check(
    url: &str,
    store_id: &str,
    nodes: &[(&str, &Path)],
    acked: &BTreeSet<String>,
    failures: &mut Vec<String>,
) -> usize {
    let mut fail = |what: String| failures.push(what);
    let lines = |sql: &str| -> Vec<String> {
        psql(url, sql)
            .lines()
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect()
    };
    // Sales: once each at the hub, every acknowledged one among them and on its counter.
    let at_hub: Vec<String> = lines(&format!(
        "SELECT number FROM hub_sales WHERE store = '{store_id}' ORDER BY number"
    ));
    let hub_set: BTreeSet<String> = at_hub.iter().cloned().collect();
    if hub_set.len() != at_hub.len() {
        let mut seen = BTreeSet::new();
        let twice: Vec<&String> = at_hub.iter().filter(|n| !seen.insert(*n)).collect();
        fail(format!("sales at the hub more than once: {twice:?}"));
    }
    // Events: each origin's 1 … n at the hub, all acknowledged.
    let mut hub_origins: BTreeMap<String, i64> = BTreeMap::new();
    for line in lines(&format!(
        "SELECT e.origin, count(*), min(e.seq), max(e.seq), n.acked_seq
           FROM hub_events e JOIN hub_nodes n USING (origin)
          WHERE e.store = '{store_id}' GROUP BY e.origin, n.acked_seq"
    )) {
        let fields: Vec<&str> = line.split('|').collect();
        let [origin, count, min, max, acked_seq] = fields[..] else {
            panic!("{line}");
        };
        if (min, max, acked_seq) != ("1", count, count) {
            fail(format!(
                "the hub holds {count} events of {origin}, numbered {min}…{max}, acked \
                 {acked_seq}"
            ));
        }
        hub_origins.insert(origin.to_string(), count.parse().unwrap());
    }
    let mut committed = BTreeSet::new();
    for (code, dir) in nodes {
        let conn = read_only(dir);
        let own: Vec<String> = query(
            &conn,
            &format!("SELECT receipt_no FROM sales WHERE receipt_no LIKE '%-{code}-%'"),
        );
        // The series: 1, 2, 3 … per year.
        let mut by_year: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
        for number in &own {
            let (year, seq) = (&number[..4], number.rsplit('-').next().unwrap());
            by_year.entry(year).or_default().push(seq.parse().unwrap());
        }
        for (year, mut seqs) in by_year {
            seqs.sort();
            if seqs != (1..=seqs.len() as i64).collect::<Vec<_>>() {
                fail(format!("{code}'s receipts of {year} have gaps: {seqs:?}"));
            }
        }
        committed.extend(own);
        // Its events, and every other origin's it holds: 1 … n, as many as at the hub.
        let local: BTreeMap<String, (i64, i64, i64)> = query::<(String, i64, i64, i64)>(
            &conn,
            "SELECT o.store || '/' || o.node || '/' || o.incarnation, count(*), min(e.seq),
                    max(e.seq)
               FROM sync_events e JOIN sync_origins o ON o.id = e.origin_id GROUP BY o.id",
        )
        .into_iter()
        .map(|(origin, count, min, max)| (origin, (count, min, max)))
        .collect();
        for (origin, (count, min, max)) in &local {
            if (*min, *max) != (1, *count) {
                fail(format!(
                    "{code} holds {count} events of {origin}, numbered {min}…{max}"
                ));
            }
        }
        for (origin, count) in &hub_origins {
            let held = local.get(origin).map_or(0, |(count, ..)| *count);
            if held != *count {
                fail(format!(
                    "{code} holds {held} events of {origin}, the hub {count}"
                ));
            }
        }
        let own_origin: String = query(
            &conn,
            "SELECT o.store || '/' || o.node || '/' || o.incarnation
               FROM sync_node n JOIN sync_origins o ON o.id = n.origin_id",
        )
        .remove(0);
        // A kill is not a restore: a node that took a new incarnation would strand the
        // events it had not sent under the old one.
        let own_origins: Vec<String> = query(
            &conn,
            "SELECT incarnation FROM sync_origins WHERE local = 1",
        );
        if own_origins.len() != 1 {
            fail(format!("{code} took new incarnations: {own_origins:?}"));
        }
        if local.contains_key(&own_origin) && !hub_origins.contains_key(&own_origin) {
            fail(format!("{code}'s events ({own_origin}) are not at the hub"));
        }
        // Stock: the node's ledger equals the hub's, product by product.
        let node_stock: BTreeMap<String, i64> = query::<(String, i64)>(
            &conn,
            "SELECT p.uid, sum(m.quantity_milli) FROM stock_movements m
               JOIN products p ON p.id = m.product_id GROUP BY p.uid
             HAVING sum(m.quantity_milli) <> 0",
        )
        .into_iter()
        .collect();
        let hub_stock: BTreeMap<String, i64> = lines(&format!(
            "SELECT product || '|' || qty_milli FROM hub_store_stock
              WHERE store = '{store_id}' AND qty_milli <> 0"
        ))
        .iter()
        .map(|line| {
            let (uid, qty) = line.split_once('|').unwrap();
            (uid.to_string(), qty.parse().unwrap())
        })
        .collect();
        if node_stock != hub_stock {
            let differ: Vec<String> = node_stock
                .keys()
                .chain(hub_stock.keys())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .filter(|uid| node_stock.get(*uid) != hub_stock.get(*uid))
                .map(|uid| {
                    format!(
                        "{uid}: node {:?}, hub {:?}",
                        node_stock.get(uid),
                        hub_stock.get(uid)
                    )
                })
                .collect();
            fail(format!("{code}'s stock differs from the hub's: {differ:?}"));
        }
    }
    let lost: Vec<&String> = acked.difference(&committed).collect();
    if !lost.is_empty() {
        fail(format!(
            "acknowledged sales lost on their counter: {lost:?}"
        ));
    }
    let missing: Vec<&String> = committed.difference(&hub_set).collect();
    if !missing.is_empty() {
        fail(format!("sales not at the hub: {missing:?}"));
    }
    let unknown: Vec<&String> = hub_set.difference(&committed).collect();
    if !unknown.is_empty() {
        fail(format!("sales at the hub no counter holds: {unknown:?}"));
    }
    committed.len()
}

fn read_only(dir: &Path) -> Connection {
    Connection::open_with_flags(dir.join(DATABASE_FILE), OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn query<T: FromRow>(conn: &Connection, sql: &str) -> Vec<T> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], T::from_row)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A row read as a tuple.
trait FromRow: Sized {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

impl FromRow for String {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<String> {
        row.get(0)
    }
}

impl FromRow for (String, i64) {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, i64)> {
        Ok((row.get(0)?, row.get(1)?))
    }
}

impl FromRow for (String, i64, i64, i64) {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, i64, i64, i64)> {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    }
}
