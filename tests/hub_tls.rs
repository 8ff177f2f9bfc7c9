//! The hub over TLS, against a real PostgreSQL with a self-signed certificate: a counter's
//! default URL is encrypted, `sslmode=disable` is not, `verify-full` with the server's
//! certificate as `sslrootcert` connects, and a certificate the counter does not trust is
//! refused — said as a certificate problem a person must look at, never as "offline".

mod common;

use common::postgres::{database, one_at_a_time, psql, quick_server};
use ocop_pos::hub::worker::{SyncNode, SyncStatus, SyncTiming, SyncWorker};
use ocop_pos::hub::{Hub, HubCursor, HubError};
use std::path::Path;
use std::time::{Duration, Instant};

/// Whether the hub client's connections to the database at `url` are encrypted, as the server
/// sees them (the client keeps its connection open between calls): `t` or `f`, and nothing
/// when the client has no connection there.
fn encryption(url: &str) -> String {
    let database = url.rsplit('/').next().unwrap();
    let database = database.split('?').next().unwrap();
    psql(
        url,
        &format!(
            "SELECT bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
              WHERE a.application_name = 'ocop-pos' AND a.datname = '{database}'"
        ),
    )
}

fn with(url: &str, options: &str) -> String {
    format!("{url}?{options}")
}

/// Another self-signed certificate, for `localhost` too, that signed nothing of the server's.
fn stranger_certificate(folder: &Path) -> String {
    let certificate = folder.join("stranger.crt");
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
        ])
        .args(["-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .arg("-keyout")
        .arg(folder.join("stranger.key"))
        .arg("-out")
        .arg(&certificate)
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    certificate.display().to_string()
}

#[test]
fn a_counter_s_link_to_the_hub_is_encrypted_unless_told_otherwise() {
    let _turn = one_at_a_time();
    let url = database();
    let mut hub = Hub::new(&url).unwrap();
    hub.init().unwrap();
    assert_eq!(encryption(&url), "t", "the default (prefer) takes the TLS");
    drop(hub);

    let mut hub = Hub::new(&with(&url, "sslmode=disable")).unwrap();
    hub.acked("RG/AA/x").unwrap();
    assert_eq!(encryption(&url), "f", "sslmode=disable speaks in clear");
}

#[test]
fn verify_full_connects_to_the_server_whose_certificate_it_was_given() {
    let _turn = one_at_a_time();
    let url = database();
    let root = quick_server().certificate();
    let verified = with(
        &url,
        &format!("sslmode=verify-full&sslrootcert={}", root.display()),
    );
    let mut hub = Hub::new(&verified).unwrap();
    hub.init().unwrap();
    assert_eq!(encryption(&url), "t");
    // A root certificate given is checked even without verify-full, as libpq does.
    let mut hub = Hub::new(&with(&url, &format!("sslrootcert={}", root.display()))).unwrap();
    assert_eq!(hub.acked("RG/AA/x").unwrap(), 0);
}

#[test]
fn a_certificate_the_counter_does_not_trust_is_refused_as_such_not_as_offline() {
    let _turn = one_at_a_time();
    let url = database();
    let folder = tempfile::tempdir().unwrap();
    let stranger = stranger_certificate(folder.path());
    for options in [
        format!("sslmode=verify-full&sslrootcert={stranger}"),
        // Without a root file, the public web roots: a self-signed certificate is not there.
        "sslmode=verify-full".to_string(),
    ] {
        let refused = Hub::new(&with(&url, &options)).unwrap().init().unwrap_err();
        let HubError::Untrusted(_) = &refused else {
            panic!("{options}: refused as untrusted, not {refused:?}")
        };
        let said = refused.to_string();
        assert!(
            said.contains("không được tin cậy") && said.contains("not trusted"),
            "{said}"
        );
    }
    let missing = Hub::new(&with(&url, "sslmode=verify-full&sslrootcert=/no/such.pem"));
    assert!(
        matches!(missing, Err(HubError::Url(_))),
        "{:?}",
        missing.err()
    );

    // The sync worker shows it blocked, with the reason, at once: waiting will not mend it.
    let worker = SyncWorker::spawn(
        with(&url, &format!("sslmode=verify-full&sslrootcert={stranger}")),
        "RG".into(),
        "RG/AA/x".into(),
        NothingToSend,
        SyncTiming::default(),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match worker.status() {
            SyncStatus::Blocked { why } => {
                assert!(why.contains("not trusted"), "{why}");
                break;
            }
            SyncStatus::Starting => {}
            other => panic!("blocked, not {other:?}"),
        }
        assert!(Instant::now() < deadline, "the worker said nothing");
        std::thread::sleep(Duration::from_millis(20));
    }
    worker.stop();
}

/// A node with nothing to send and nothing applied.
struct NothingToSend;

impl SyncNode for NothingToSend {
    fn unsent_after(
        &mut self,
        _seq: i64,
        _limit: usize,
    ) -> Result<Vec<ocop_pos::core::sync_event::SyncEvent>, String> {
        Ok(Vec::new())
    }
    fn acked(&mut self, _origin: &str, _seq: i64) -> Result<(), String> {
        Ok(())
    }
    fn unsent(&mut self) -> Result<i64, String> {
        Ok(0)
    }
    fn apply(
        &mut self,
        _events: &[ocop_pos::core::sync_event::SyncEvent],
        _cursor: HubCursor,
    ) -> Result<(), String> {
        Ok(())
    }
    fn cursor(&mut self) -> Result<HubCursor, String> {
        Ok(HubCursor::START)
    }
}
