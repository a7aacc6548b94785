//! Starting the real binary from a test: shared by the integration tests (`tests/api`)
//! and the scale-out tests (`tests/redis`), which are separate test targets.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The server binary cargo built for these tests.
pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_apichallenges"))
}

/// Start the binary on an ephemeral loopback port with `args`, and read the address
/// it listens on from its start-up line. Its further output is drained in the
/// background so it never blocks on a full pipe.
pub fn spawn_listening(args: &[&str]) -> (Child, String) {
    let mut child = binary()
        .args(["--port", "0", "--bind", "127.0.0.1"])
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let line = lines
        .find_map(|l| l.ok().filter(|l| l.contains("apichallenges started")))
        .expect("a start-up line");
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("address="))
        .expect("address= in the start-up line")
        .to_string();
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}
