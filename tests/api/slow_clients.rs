//! Slow and silent clients: a response the client does not read is given up after the
//! write timeout, and at the connection cap clients that stopped reading or never
//! spoke give way to a client that talks normally.

use std::time::{Duration, Instant};

use tokio::net::{TcpSocket, TcpStream};

use crate::common::TestServer;

/// A client that sends requests back to back and never reads: it stops once the
/// server, unable to write its answers, stops reading too.
async fn non_reader(addr: std::net::SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(addr).await.unwrap();
    let request = b"GET /api/todos HTTP/1.1\r\nHost: test\r\n\r\n";
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut blocked_since: Option<Instant> = None;
    while Instant::now() < deadline {
        match stream.try_write(request) {
            Ok(_) => blocked_since = None,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                // Writable again within a moment means the server is still reading.
                let since = *blocked_since.get_or_insert_with(Instant::now);
                if since.elapsed() > Duration::from_millis(300) {
                    return stream;
                }
                let _ = tokio::time::timeout(Duration::from_millis(50), stream.writable()).await;
            }
            Err(e) => panic!("non-reader write failed early: {e}"),
        }
    }
    panic!("the server kept reading for 10 s");
}

/// Wait until the server has closed the connection: a write then fails.
async fn closed_within(stream: &TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        match stream.try_write(b"x") {
            Err(e) if e.kind() != std::io::ErrorKind::WouldBlock => {
                return Some(started.elapsed());
            }
            _ => {}
        }
        let _ = tokio::time::timeout(Duration::from_millis(100), stream.writable()).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

#[tokio::test]
async fn a_client_that_stops_reading_is_closed_after_the_write_timeout() {
    let s = TestServer::with(|c| {
        c.write_timeout = Duration::from_secs(1);
        c.header_read_timeout = Duration::from_secs(60);
    })
    .await;
    let stalled = non_reader(s.handle.addr).await;
    let closed = closed_within(&stalled, Duration::from_secs(8)).await;
    assert!(
        closed.is_some(),
        "the stalled connection is still open after 8 s"
    );
    // Everyone else is still served.
    assert_eq!(s.get("/api/heartbeat").send().await.status, 204);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_reading_and_silent_clients_do_not_lock_out_a_normal_client() {
    const CAP: usize = 40;
    let s = TestServer::with(|c| {
        c.max_connections = CAP;
        // Long enough that no timeout rescues the normal client: only the policy.
        c.write_timeout = Duration::from_secs(60);
        c.header_read_timeout = Duration::from_secs(60);
    })
    .await;
    let addr = s.handle.addr;
    let mut held = Vec::new();
    let stalling: Vec<_> = (0..CAP * 3 / 4)
        .map(|_| tokio::spawn(non_reader(addr)))
        .collect();
    for stalled in stalling {
        held.push(stalled.await.unwrap());
    }
    for _ in 0..CAP * 3 / 4 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut slowest = Duration::ZERO;
    for n in 0..20 {
        let started = Instant::now();
        let answered = tokio::time::timeout(Duration::from_secs(5), s.get("/api/heartbeat").send())
            .await
            .unwrap_or_else(|_| panic!("request {n} not answered within 5 s"));
        assert_eq!(answered.status, 204);
        slowest = slowest.max(started.elapsed());
    }
    assert!(slowest < Duration::from_secs(5));
    drop(held);
}
