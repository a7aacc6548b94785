//! The accept loop: connection limits, timeouts and graceful shutdown. It serves any
//! `Handler`; the application's is in `service.rs`. At the connection cap a new client
//! is served in place of the quietest open connection (`connections.rs`), so clients
//! that stopped reading or went silent cannot lock everyone else out.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::task::JoinHandle;

use std::future::Future;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};

use crate::config::Config;
use crate::http::connections::{ConnectionTable, OpenConnection};
use crate::http::raw::RawRoutes;
use crate::http::request_line::LenientIo;

/// hyper's read buffer bound. Headers themselves are limited to 32 KiB in `service`;
/// this only stops a client from making hyper buffer much more than that.
pub const MAX_HEAD_BUFFER: usize = 64 * 1024;
/// The kernel send buffer of each connection (Linux doubles it). Fixed rather than
/// autotuned up to megabytes: a client that sends requests back to back and never
/// reads gets only a few dozen answers buffered before its writes block, instead of
/// thousands, each of which would cost CPU. Responses here are small; 64 KiB in
/// flight is plenty for them.
pub const SEND_BUFFER: usize = 32 * 1024;
/// How long shutdown waits for in-flight requests before giving up on them.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// What the accept loop serves: each request, and a last call once every connection
/// has finished at shutdown (where learners are saved).
pub trait Handler: Send + Sync + 'static {
    /// Answer one request; `peer` is the client end of its connection.
    fn handle(
        self: Arc<Self>,
        req: Request<Incoming>,
        peer: std::net::SocketAddr,
    ) -> impl Future<Output = Response<Full<Bytes>>> + Send;
    fn on_shutdown(&self);
    /// Routes answered with raw bytes at the connection level (`http/raw.rs`).
    fn raw_routes(&self) -> Option<RawRoutes> {
        None
    }
}

/// The connection limits the accept loop enforces.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// How long a client may take to send a request head, and how long an idle
    /// keep-alive connection stays open.
    pub header_read_timeout: Duration,
    /// Connections served at once; beyond it the quietest connection is closed to
    /// make room.
    pub max_connections: usize,
    /// How long a response may make no progress (the client is not reading) before
    /// the connection is closed.
    pub write_timeout: Duration,
}

impl Limits {
    pub fn from_config(config: &Config) -> Limits {
        Limits {
            header_read_timeout: config.header_read_timeout,
            max_connections: config.max_connections,
            write_timeout: config.write_timeout,
        }
    }
}

/// A running accept loop.
pub struct Running {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Running {
    /// Stop accepting, let in-flight requests finish (up to `SHUTDOWN_GRACE`), call
    /// the handler's `on_shutdown`, and wait for all of it.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }

    /// A receiver that sees `true` once shutdown has begun, for background tasks.
    pub fn stopped(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }
}

/// Start serving `handler` on `listener`.
pub fn start<H: Handler>(
    handler: Arc<H>,
    listener: TcpListener,
    limits: Limits,
) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(accept_loop(handler, listener, limits, stopped));
    Ok(Running { addr, stop, task })
}

fn builder(header_timeout: Duration) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    // hyper starts this timer whenever it waits for a request head, so it bounds both
    // slow senders and idle keep-alive connections.
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .max_buf_size(MAX_HEAD_BUFFER)
        // A client that stops sending still gets the responses it is owed; this is
        // also how a raw answer (`http/raw.rs`) waits for hyper to finish.
        .half_close(true);
    // Pings find dead HTTP/2 peers; the connection cap bounds live idle ones.
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_header_list_size(MAX_HEAD_BUFFER as u32)
        .max_concurrent_streams(100)
        .keep_alive_interval(Duration::from_secs(30))
        .keep_alive_timeout(Duration::from_secs(10));
    builder
}

/// Wait for a new connection's first byte. Protocol detection has no timeout of its
/// own, so without this a client that connects and stays silent would hold a
/// connection forever.
async fn first_byte(stream: &tokio::net::TcpStream, within: Duration) -> bool {
    let mut probe = [0u8; 1];
    matches!(
        tokio::time::timeout(within, stream.peek(&mut probe)).await,
        Ok(Ok(n)) if n > 0
    )
}

async fn accept_loop<H: Handler>(
    handler: Arc<H>,
    listener: TcpListener,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
) {
    let header_timeout = limits.header_read_timeout;
    let builder = Arc::new(builder(header_timeout));
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let table = Arc::new(ConnectionTable::default());
    // Every connection task holds a sender; shutdown waits for all of them to drop.
    let (alive, mut all_done) = mpsc::channel::<()>(1);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => break,
        };
        let Ok((stream, peer)) = accepted else {
            // Out of file descriptors or similar: back off briefly rather than spin.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let permit = tokio::select! {
            permit = make_room(&permits, &table) => permit,
            _ = stopped.changed() => break,
        };
        let task = Connection {
            open: table.open(),
            write_timeout: limits.write_timeout,
            handler: handler.clone(),
            builder: builder.clone(),
            stopped: stopped.clone(),
            header_timeout,
            peer,
        };
        let alive = alive.clone();
        tokio::spawn(async move {
            task.serve(stream).await;
            drop((permit, alive));
        });
    }
    drop(listener);
    drop(alive);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, all_done.recv()).await;
    handler.on_shutdown();
}

/// How often a full server looks again for a connection to close while none has
/// been quiet long enough.
const SHED_RETRY: Duration = Duration::from_millis(50);

/// A connection permit: free at once, or made by closing the quietest connection.
async fn make_room(
    permits: &Arc<Semaphore>,
    table: &ConnectionTable,
) -> tokio::sync::OwnedSemaphorePermit {
    loop {
        if let Ok(permit) = permits.clone().try_acquire_owned() {
            return permit;
        }
        table.close_quietest();
        let acquired = tokio::time::timeout(SHED_RETRY, permits.clone().acquire_owned()).await;
        if let Ok(Ok(permit)) = acquired {
            return permit;
        }
    }
}

/// What one connection task needs.
struct Connection<H> {
    open: OpenConnection,
    write_timeout: Duration,
    handler: Arc<H>,
    builder: Arc<auto::Builder<TokioExecutor>>,
    stopped: watch::Receiver<bool>,
    header_timeout: Duration,
    peer: SocketAddr,
}

impl<H: Handler> Connection<H> {
    /// Serve a connection until it closes; on shutdown, finish the request in flight
    /// and close.
    async fn serve(mut self, stream: tokio::net::TcpStream) {
        let _ = stream.set_nodelay(true);
        let _ = socket2::SockRef::from(&stream).set_send_buffer_size(SEND_BUFFER);
        let tracked = self.open.tracked().clone();
        let spoke = tokio::select! {
            spoke = first_byte(&stream, self.header_timeout) => spoke,
            _ = self.stopped.wait_for(|stop| *stop) => false,
            _ = tracked.chosen_to_close() => false,
        };
        if !spoke {
            return;
        }
        let handler = self.handler.clone();
        let peer = self.peer;
        let service = service_fn(move |req: Request<Incoming>| {
            let handler = handler.clone();
            async move { Ok::<_, std::convert::Infallible>(handler.handle(req, peer).await) }
        });
        let io = self.open.watch(stream, self.write_timeout);
        let connection = self
            .builder
            .serve_connection(
                TokioIo::new(LenientIo::with_raw_routes(io, self.handler.raw_routes())),
                service,
            )
            .into_owned();
        tokio::pin!(connection);
        tokio::select! {
            _ = connection.as_mut() => return,
            // Dropping the connection closes it, whatever it was doing.
            _ = tracked.chosen_to_close() => return,
            _ = self.stopped.wait_for(|stop| *stop) => connection.as_mut().graceful_shutdown(),
        }
        tokio::select! {
            _ = connection.as_mut() => {}
            _ = tracked.chosen_to_close() => {}
        }
    }
}
