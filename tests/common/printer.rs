//! A network receipt printer on this machine, for tests of printing.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

/// A paper status that says the roll is fine.
pub const PAPER_OK: u8 = 0x12;

/// A network printer on this machine: answers the paper-status question with `status`, then
/// keeps every byte of each job until the sender closes. Gives the jobs of `jobs` connections.
pub fn fake_printer(jobs: usize, status: u8) -> (String, std::thread::JoinHandle<Vec<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("tcp://{}", listener.local_addr().unwrap());
    let printer = std::thread::spawn(move || {
        (0..jobs)
            .map(|_| {
                let mut connection = accept_within(&listener, Duration::from_secs(10));
                connection
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .unwrap();
                let mut question = [0u8; 3];
                connection.read_exact(&mut question).unwrap();
                let mut job = question.to_vec();
                if question == [0x10, 0x04, 4] {
                    connection.write_all(&[status]).unwrap();
                    job.clear();
                }
                connection.read_to_end(&mut job).unwrap();
                job
            })
            .collect()
    });
    (address, printer)
}

/// How many times `needle` occurs in `bytes`.
pub fn count(bytes: &[u8], needle: &[u8]) -> usize {
    bytes.windows(needle.len()).filter(|w| *w == needle).count()
}

/// The next connection, or a failed test when none comes in time (never a hung one).
pub fn accept_within(listener: &TcpListener, wait: Duration) -> std::net::TcpStream {
    listener.set_nonblocking(true).unwrap();
    let deadline = std::time::Instant::now() + wait;
    loop {
        match listener.accept() {
            Ok((connection, _)) => {
                connection.set_nonblocking(false).unwrap();
                return connection;
            }
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {
                assert!(
                    std::time::Instant::now() < deadline,
                    "no job reached the printer"
                );
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(error) => panic!("{error}"),
        }
    }
}
