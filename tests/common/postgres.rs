//! A real PostgreSQL for the hub tests: `initdb` into a temporary folder, started on a free
//! port with its own socket folder, one server per test binary and one database per test.
//! When the tests run as root the server runs as the `postgres` user (PostgreSQL refuses
//! root). A watchdog process stops the server and removes its folder when the test binary
//! ends, however it ends. A missing PostgreSQL fails the test: the hub is never left untested.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

pub struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres_user: bool,
    /// The server's options, the same at every start.
    options: String,
}

static QUICK: OnceLock<Postgres> = OnceLock::new();
static DURABLE: OnceLock<Postgres> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// A new, empty database for one test, on a server that does not wait for the disk (the
/// tests' speed); its URL.
pub fn database() -> String {
    quick_server().new_database()
}

/// The server [`database`] makes its databases on (started if need be): for a test that
/// crash-stops and restarts it.
pub fn quick_server() -> &'static Postgres {
    QUICK.get_or_init(|| Postgres::start(false))
}

/// A new, empty database on a server with PostgreSQL's usual durability (for benchmarks).
pub fn durable_database() -> String {
    DURABLE.get_or_init(|| Postgres::start(true)).new_database()
}

/// Held by a test for its whole run: one test of a binary at a time. A pull reads only what
/// every running transaction of the *server* (all databases) leaves settled, so a test's
/// batch still open would hold back another test's pulls.
pub fn one_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs SQL on the database at `url` with psql; its output, unaligned, one row a line.
pub fn psql(url: &str, sql: &str) -> String {
    let output = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .output()
        .expect("psql runs");
    assert!(
        output.status.success(),
        "psql `{sql}`: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

impl Postgres {
    fn start(durable: bool) -> Postgres {
        let bin = postgres_bin().unwrap_or_else(|| {
            panic!(
                "PostgreSQL is missing (no initdb and pg_ctl on PATH nor in \
                 /usr/lib/postgresql/*/bin): install it (`apt-get install postgresql`); the \
                 hub tests do not skip"
            )
        });
        let dir = tempfile::Builder::new()
            .prefix("ocop-hub-pg")
            .tempdir()
            .expect("a temporary folder")
            .keep();
        let as_postgres_user = running_as_root();
        if as_postgres_user {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir));
        }
        let port = free_port();
        // Over TLS, as a hub on the internet would be: the counters' default (`sslmode`
        // prefer) takes it, and `certificate()` is what `sslrootcert` trusts.
        let mut options = format!(
            "-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=60 \
             -c ssl=on -c ssl_cert_file={dir}/server.crt -c ssl_key_file={dir}/server.key",
            dir = dir.display()
        );
        if !durable {
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }
        let server = Postgres {
            bin,
            dir,
            port,
            as_postgres_user,
            options,
        };
        let data = server.dir.join("data");
        run(server
            .tool("initdb")
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "-N",
                "-D",
            ])
            .arg(&data));
        server.make_certificate();
        server.start_again();
        server.watch();
        server
    }

    /// Starts the stopped server with its options; returns once it takes connections.
    pub fn start_again(&self) {
        run(self
            .tool("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-l")
            .arg(self.dir.join("log"))
            .args(["-w", "-o", &self.options, "start"]));
    }

    /// Stops the server as a crash would (`pg_ctl stop -m immediate`: every backend killed, no
    /// checkpoint; the next start recovers from the write-ahead log).
    pub fn crash_stop(&self) {
        run(self
            .tool("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"]));
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The certificate of the authority that signed the server's (for `localhost` and
    /// `127.0.0.1`), PEM: what a counter's `sslrootcert` trusts.
    pub fn certificate(&self) -> PathBuf {
        self.dir.join("ca.crt")
    }

    /// A test authority and the server's certificate signed by it, its key readable by the
    /// server only.
    fn make_certificate(&self) {
        let file = |name: &str| self.dir.join(name);
        let openssl = |args: &[&str]| {
            let mut command = self.as_server_user("openssl");
            command.current_dir(&self.dir).args(args);
            run(&mut command);
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "30",
            "-subj",
            "/CN=OCOP test authority",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ]);
        std::fs::write(
            file("server.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
        )
        .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "30",
            "-extfile",
            "server.ext",
            "-out",
            "server.crt",
        ]);
        run(self
            .as_server_user("chmod")
            .arg("600")
            .arg(file("server.key")));
    }

    /// Stops the server and removes its folder once this test binary has exited, however it
    /// exits: a watchdog shell, started in the background so that it outlives us.
    fn watch(&self) {
        let stop = self.tool_line("pg_ctl");
        let script = format!(
            "(while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; \
              {stop} -D '{dir}/data' -m immediate stop; rm -rf '{dir}') \
             </dev/null >/dev/null 2>&1 &",
            pid = std::process::id(),
            dir = self.dir.display(),
        );
        run(Command::new("sh").args(["-c", &script]));
    }

    fn new_database(&self) -> String {
        let name = format!("hub_test_{}", DATABASES.fetch_add(1, Ordering::SeqCst) + 1);
        psql(&self.url("postgres"), &format!("CREATE DATABASE {name}"));
        self.url(&name)
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// A PostgreSQL program, run as the `postgres` user when we are root.
    fn tool(&self, name: &str) -> Command {
        self.as_server_user(self.bin.join(name))
    }

    /// `program`, run as the `postgres` user when we are root (the files it makes are the
    /// server's).
    fn as_server_user(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        if self.as_postgres_user {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    fn tool_line(&self, name: &str) -> String {
        let program = self.bin.join(name).display().to_string();
        if self.as_postgres_user {
            format!("runuser -u postgres -- '{program}'")
        } else {
            format!("'{program}'")
        }
    }
}

/// The folder holding `initdb` and `pg_ctl`: on PATH, else the newest
/// `/usr/lib/postgresql/*/bin` (Debian keeps them off PATH).
fn postgres_bin() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    if let Some(dir) = on_path.into_iter().find(|dir| has_tools(dir)) {
        // Through a symlink, pg_ctl finds `postgres` beside its real file.
        return Some(
            dir.join("initdb")
                .canonicalize()
                .ok()?
                .parent()?
                .to_path_buf(),
        );
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| has_tools(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn running_as_root() -> bool {
    let output = Command::new("id").arg("-u").output().expect("id runs");
    String::from_utf8_lossy(&output.stdout).trim() == "0"
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

fn run(command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
