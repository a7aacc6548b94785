//! The accept loop: connection limits, timeouts, idle eviction and graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::task::JoinHandle;

use crate::app::App;
use crate::lenient::LenientIo;
use crate::service;

/// hyper's read buffer bound. Headers themselves are limited to 32 KiB in `service`;
/// this only stops a client from making hyper buffer much more than that.
pub const MAX_HEAD_BUFFER: usize = 64 * 1024;
/// How long shutdown waits for in-flight requests before giving up on them.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// Pause between shards during a sweep, so a large sweep is spread out (at most 256
/// pauses: about 50 ms per sweep, every 5 s).
pub const SWEEP_PAUSE: Duration = Duration::from_micros(200);
/// How often idle learners are swept from memory.
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(5);

/// A running server.
pub struct ServerHandle {
    pub addr: SocketAddr,
    pub app: Arc<App>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl ServerHandle {
    /// Stop accepting, let in-flight requests finish, and wait for the server to end.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }

    /// Run one idle-eviction sweep now (tests move an injected clock, then call this).
    pub fn evict_idle(&self) -> usize {
        self.app.evict_idle()
    }
}

/// Start serving `app` on `listener`.
pub fn start(app: Arc<App>, listener: TcpListener) -> std::io::Result<ServerHandle> {
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(accept_loop(app.clone(), listener, stopped.clone()));
    tokio::spawn(sweep_loop(app.clone(), stopped));
    Ok(ServerHandle {
        addr,
        app,
        stop,
        task,
    })
}

fn builder(header_timeout: Duration) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    // hyper starts this timer whenever it waits for a request head, so it bounds both
    // slow senders and idle keep-alive connections.
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .max_buf_size(MAX_HEAD_BUFFER);
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

async fn accept_loop(app: Arc<App>, listener: TcpListener, mut stopped: watch::Receiver<bool>) {
    let header_timeout = app.config.header_read_timeout;
    let builder = Arc::new(builder(header_timeout));
    let permits = Arc::new(Semaphore::new(app.config.max_connections.max(1)));
    // Every connection task holds a sender; shutdown waits for all of them to drop.
    let (alive, mut all_done) = mpsc::channel::<()>(1);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit,
            _ = stopped.changed() => break,
        };
        let Ok(permit) = permit else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => break,
        };
        let Ok((stream, _peer)) = accepted else {
            // Out of file descriptors or similar: back off briefly rather than spin.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let task = Connection {
            app: app.clone(),
            builder: builder.clone(),
            stopped: stopped.clone(),
            header_timeout,
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
    app.on_shutdown();
}

/// What one connection task needs.
struct Connection {
    app: Arc<App>,
    builder: Arc<auto::Builder<TokioExecutor>>,
    stopped: watch::Receiver<bool>,
    header_timeout: Duration,
}

impl Connection {
    /// Serve a connection until it closes; on shutdown, finish the request in flight
    /// and close.
    async fn serve(mut self, stream: tokio::net::TcpStream) {
        let _ = stream.set_nodelay(true);
        let spoke = tokio::select! {
            spoke = first_byte(&stream, self.header_timeout) => spoke,
            _ = self.stopped.wait_for(|stop| *stop) => false,
        };
        if !spoke {
            return;
        }
        let app = self.app.clone();
        let service = service_fn(move |req| service::handle(app.clone(), req));
        let connection = self
            .builder
            .serve_connection(TokioIo::new(LenientIo::new(stream)), service)
            .into_owned();
        tokio::pin!(connection);
        tokio::select! {
            _ = connection.as_mut() => return,
            _ = self.stopped.wait_for(|stop| *stop) => connection.as_mut().graceful_shutdown(),
        }
        let _ = connection.await;
    }
}

async fn sweep_loop(app: Arc<App>, mut stopped: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(SWEEP_INTERVAL);
    loop {
        tokio::select! {
            _ = ticks.tick() => {
                // A sweep of many learners takes tens of milliseconds (mostly freeing
                // them): run it off the request workers so no connection waits for it.
                let app = app.clone();
                let _ = tokio::task::spawn_blocking(move || app.evict_idle_paced(SWEEP_PAUSE)).await;
            }
            _ = stopped.changed() => break,
        }
    }
}
