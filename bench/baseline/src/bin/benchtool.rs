//! Small benchmark helpers that wrk cannot do well (std only, blocking sockets):
//!
//! * `create --port P --count N [--conns C] [--depth D] [--out FILE]`
//!   registers N challengers with `POST /api/challenger` over C keep-alive connections,
//!   pipelining D requests at a time, and prints how many got 201 (exactly N is asked
//!   for, so the RSS-per-challenger figure divides by a known count). `--out` writes the
//!   GUIDs from the `x-challenger` headers, one per line.
//! * `startup --port P [--runs R] -- SERVER ARGS...`
//!   R times: exec the server, poll `GET /api/heartbeat` in a tight loop until a 204
//!   arrives, record the time since exec, kill the server. Prints each time, the median
//!   and the max.
//!
//! Every address is 127.0.0.1.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("create") => create(&args[1..]),
        Some("startup") => startup(&args[1..]),
        _ => Err("usage: benchtool create|startup ... (see the source header)".into()),
    };
    if let Err(message) = result {
        eprintln!("benchtool: {message}");
        std::process::exit(2);
    }
}

/// The value after `--name`, parsed, or `default`.
fn flag<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a valid value")),
    }
}

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// One parsed response: status code and the `x-challenger` header, if any.
struct Response {
    status: u16,
    challenger: Option<String>,
}

/// A keep-alive HTTP/1.1 client connection with its own read buffer.
struct Connection {
    stream: TcpStream,
    buf: Vec<u8>,
    /// Start of the unread bytes in `buf`.
    pos: usize,
}

impl Connection {
    fn open(addr: SocketAddr) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        Ok(Connection {
            stream,
            buf: Vec::with_capacity(64 * 1024),
            pos: 0,
        })
    }

    fn fill(&mut self) -> std::io::Result<()> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// Read one response (head plus a `content-length` body, which is skipped).
    fn read_response(&mut self) -> std::io::Result<Response> {
        let head_end = loop {
            if let Some(i) = find(&self.buf[self.pos..], b"\r\n\r\n") {
                break self.pos + i + 4;
            }
            self.fill()?;
        };
        let head = String::from_utf8_lossy(&self.buf[self.pos..head_end]).into_owned();
        let (status, challenger, length) = parse_head(&head)?;
        while self.buf.len() < head_end + length {
            self.fill()?;
        }
        self.pos = head_end + length;
        Ok(Response { status, challenger })
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(head: &str) -> std::io::Result<(u16, Option<String>, usize)> {
    let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, "bad response head");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    let mut challenger = None;
    let mut length = 0;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse().map_err(|_| bad())?;
        } else if name.eq_ignore_ascii_case("x-challenger") {
            challenger = Some(value.to_string());
        }
    }
    Ok((status, challenger, length))
}

const CREATE_REQUEST: &[u8] =
    b"POST /api/challenger HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";

/// Tally of one connection's creates.
#[derive(Default)]
struct Created {
    ok: u64,
    other: u64,
    guids: Vec<String>,
}

/// Send `count` creates over one connection, `depth` in flight at a time.
fn create_on_connection(
    addr: SocketAddr,
    count: u64,
    depth: u64,
    keep: bool,
) -> std::io::Result<Created> {
    let mut conn = Connection::open(addr)?;
    let mut tally = Created::default();
    let mut left = count;
    while left > 0 {
        let batch = left.min(depth);
        conn.stream
            .write_all(&CREATE_REQUEST.repeat(batch as usize))?;
        for _ in 0..batch {
            let response = conn.read_response()?;
            if response.status == 201 {
                tally.ok += 1;
                if keep {
                    tally.guids.extend(response.challenger);
                }
            } else {
                tally.other += 1;
            }
        }
        left -= batch;
    }
    Ok(tally)
}

fn create(args: &[String]) -> Result<(), String> {
    let port: u16 = flag(args, "--port", 4567)?;
    let count: u64 = flag(args, "--count", 1000)?;
    let conns: u64 = flag(args, "--conns", 4)?.max(1);
    let depth: u64 = flag(args, "--depth", 32)?.max(1);
    let out: String = flag(args, "--out", String::new())?;
    let addr = loopback(port);
    let started = Instant::now();
    let workers: Vec<_> = (0..conns)
        .map(|i| {
            let share = count / conns + u64::from(i < count % conns);
            let keep = !out.is_empty();
            std::thread::spawn(move || create_on_connection(addr, share, depth, keep))
        })
        .collect();
    let mut total = Created::default();
    for worker in workers {
        let tally = worker
            .join()
            .map_err(|_| "a worker panicked".to_string())?
            .map_err(|e| format!("connection failed: {e}"))?;
        total.ok += tally.ok;
        total.other += tally.other;
        total.guids.extend(tally.guids);
    }
    let secs = started.elapsed().as_secs_f64();
    if !out.is_empty() {
        let mut text = total.guids.join("\n");
        text.push('\n');
        std::fs::write(&out, text).map_err(|e| format!("writing {out}: {e}"))?;
    }
    println!(
        "created={} other={} secs={:.3} rate={:.0}",
        total.ok,
        total.other,
        secs,
        total.ok as f64 / secs.max(1e-9)
    );
    if total.other > 0 {
        return Err(format!("{} creates did not return 201", total.other));
    }
    Ok(())
}

const HEARTBEAT_REQUEST: &[u8] =
    b"GET /api/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

/// One heartbeat attempt: Some(status) if a response arrived.
fn heartbeat(addr: SocketAddr) -> Option<u16> {
    let mut conn = Connection::open(addr).ok()?;
    conn.stream.write_all(HEARTBEAT_REQUEST).ok()?;
    conn.read_response().ok().map(|r| r.status)
}

/// Exec the server and time it until the first 204 from the heartbeat.
fn time_one_start(addr: SocketAddr, command: &[String]) -> Result<Duration, String> {
    let started = Instant::now();
    let mut child = Command::new(&command[0])
        .args(&command[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot exec {}: {e}", command[0]))?;
    let outcome = loop {
        if heartbeat(addr) == Some(204) {
            break Ok(started.elapsed());
        }
        if started.elapsed() > Duration::from_secs(10) {
            break Err("no 204 from /api/heartbeat within 10 s".to_string());
        }
        if let Ok(Some(status)) = child.try_wait() {
            break Err(format!("server exited early: {status}"));
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    outcome
}

fn startup(args: &[String]) -> Result<(), String> {
    let port: u16 = flag(args, "--port", 4567)?;
    let runs: usize = flag(args, "--runs", 20)?.max(1);
    let command: Vec<String> = match args.iter().position(|a| a == "--") {
        Some(i) if i + 1 < args.len() => args[i + 1..].to_vec(),
        _ => return Err("startup needs `-- SERVER ARGS...`".into()),
    };
    let addr = loopback(port);
    if heartbeat(addr).is_some() {
        return Err(format!("something already answers on {addr}"));
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let took = time_one_start(addr, &command)?;
        println!("run_ms={:.2}", took.as_secs_f64() * 1000.0);
        times.push(took);
        // Let the port be released before the next exec.
        std::thread::sleep(Duration::from_millis(50));
    }
    times.sort();
    let median = (times[(runs - 1) / 2] + times[runs / 2]) / 2;
    println!(
        "runs={} median_ms={:.2} max_ms={:.2} min_ms={:.2}",
        runs,
        median.as_secs_f64() * 1000.0,
        times[runs - 1].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0
    );
    Ok(())
}
