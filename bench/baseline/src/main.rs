//! The baseline: a bare hyper server that answers every request with the response our
//! server gives to `GET /api/todos` for a fresh multi-user challenger — same status,
//! same headers in the same order, same 723-byte body (captured once with `curl -si`).
//! Only `date` (added by hyper, as in our server) differs, and the `x-challenger` value
//! is a fixed GUID of the same length. It does no routing, parsing or lookups: it is
//! the ceiling our server is measured against.
//!
//! Usage: `baseline [PORT] [bare|server-config]` (default 4568, bare); binds 127.0.0.1.
//! `bare` serves each connection with hyper's plain HTTP/1 builder. `server-config`
//! serves it the way our server's accept loop does (hyper-util's auto HTTP/1+2 builder
//! with a header-read timer, a first-byte peek, a shutdown watch per connection), so
//! the gap between the two modes is the cost of that connection handling and the gap
//! between `server-config` and our server is the cost of our request handling.

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// The body of `GET /api/todos` for a fresh challenger (the ten seed todos).
const TODOS_BODY: &str = concat!(
    r#"{"todos":[{"id":1,"title":"scan paperwork","doneStatus":false,"description":""},"#,
    r#"{"id":2,"title":"file paperwork","doneStatus":false,"description":""},"#,
    r#"{"id":3,"title":"process payments","doneStatus":false,"description":""},"#,
    r#"{"id":4,"title":"escalate late payments","doneStatus":false,"description":""},"#,
    r#"{"id":5,"title":"pay invoices","doneStatus":false,"description":""},"#,
    r#"{"id":6,"title":"process payroll","doneStatus":false,"description":""},"#,
    r#"{"id":7,"title":"train staff","doneStatus":false,"description":""},"#,
    r#"{"id":8,"title":"schedule meeting","doneStatus":false,"description":""},"#,
    r#"{"id":9,"title":"tidy meeting room","doneStatus":false,"description":""},"#,
    r#"{"id":10,"title":"install webcam","doneStatus":false,"description":""}]}"#
);

/// The headers of that response, in the order our server sends them. `content-length`
/// and `date` are added by hyper, as they are in our server.
const TODOS_HEADERS: [(&str, &str); 10] = [
    ("content-type", "application/json"),
    (
        "accept-query",
        "application/x-www-form-urlencoded, application/jsonpath, application/vnd.thingifier.query+json",
    ),
    ("x-challenger", "77fbdf93-a04f-4d58-a960-6619267399d2"),
    ("access-control-allow-origin", "*"),
    ("access-control-allow-headers", "*"),
    ("access-control-allow-methods", "*"),
    ("access-control-expose-headers", "*"),
    ("cache-control", "no-store"),
    ("x-robots-tag", "noindex"),
    ("x-content-type-options", "nosniff"),
];

fn canned_headers() -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(TODOS_HEADERS.len() + 2);
    for (name, value) in TODOS_HEADERS {
        headers.append(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    headers
}

fn canned_response(headers: &HeaderMap) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(TODOS_BODY.as_bytes())));
    *response.headers_mut() = headers.clone();
    response
}

/// Connection settings as in our server (src/http/server.rs).
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_HEAD_BUFFER: usize = 64 * 1024;

fn server_like_builder() -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_buf_size(MAX_HEAD_BUFFER);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_header_list_size(MAX_HEAD_BUFFER as u32)
        .max_concurrent_streams(100);
    builder
}

async fn serve_bare(stream: TcpStream, headers: Arc<HeaderMap>) {
    let service = service_fn(move |_req: Request<hyper::body::Incoming>| {
        let response = canned_response(&headers);
        async move { Ok::<_, Infallible>(response) }
    });
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn serve_like_server(
    stream: TcpStream,
    headers: Arc<HeaderMap>,
    builder: Arc<auto::Builder<TokioExecutor>>,
    mut stopped: watch::Receiver<bool>,
) {
    let mut probe = [0u8; 1];
    match tokio::time::timeout(HEADER_READ_TIMEOUT, stream.peek(&mut probe)).await {
        Ok(Ok(n)) if n > 0 => {}
        _ => return,
    }
    let service = service_fn(move |_req: Request<hyper::body::Incoming>| {
        let response = canned_response(&headers);
        async move { Ok::<_, Infallible>(response) }
    });
    let connection = builder
        .serve_connection(TokioIo::new(stream), service)
        .into_owned();
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = stopped.wait_for(|stop| *stop) => connection.as_mut().graceful_shutdown(),
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let port = args
        .next()
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(4568);
    let like_server = match args.next().as_deref() {
        None | Some("bare") => false,
        Some("server-config") => true,
        Some(other) => {
            eprintln!("unknown mode {other}: use bare or server-config");
            std::process::exit(2);
        }
    };
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    eprintln!(
        "baseline ({}) listening on {}",
        if like_server { "server-config" } else { "bare" },
        listener.local_addr()?
    );
    let headers = Arc::new(canned_headers());
    let builder = Arc::new(server_like_builder());
    // Never signalled: it stands in for our server's shutdown watch.
    let (_stop, stopped) = watch::channel(false);
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(_) => continue,
        };
        let _ = stream.set_nodelay(true);
        let headers = headers.clone();
        if like_server {
            let builder = builder.clone();
            let stopped = stopped.clone();
            tokio::spawn(serve_like_server(stream, headers, builder, stopped));
        } else {
            tokio::spawn(serve_bare(stream, headers));
        }
    }
}
