//! Slow and silent clients: what each open connection last did, the write timeout,
//! and which connection gives way when the server is full.
//!
//! Every connection's socket is wrapped in `WatchedIo`, which stamps the connection's
//! entry in the `ConnectionTable` whenever bytes move either way, and fails a write
//! that has made no progress for the write timeout (a client that stopped reading).
//! hyper then drops the connection.
//!
//! At the connection cap, a new client does not queue behind the ones already in:
//! the accept loop asks the table to close the connection that has gone longest
//! without moving a byte (a client that stopped reading, went silent, or sits idle on
//! keep-alive), and serves the newcomer in its place. A client actively sending or
//! receiving is never chosen.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;
use tokio::time::Sleep;

/// A connection must have moved no byte for this long before it may be closed to
/// make room: one that is in the middle of an exchange is left alone.
pub const SHED_MIN_QUIET: Duration = Duration::from_millis(200);

/// One open connection, as the table sees it.
pub struct Tracked {
    id: u64,
    /// Milliseconds since the table's origin when a byte last moved.
    last_progress_ms: AtomicU64,
    /// Told when the connection is chosen to make room.
    closing: Notify,
}

impl Tracked {
    /// Resolves once the table has chosen this connection to make room.
    pub fn chosen_to_close(&self) -> impl Future<Output = ()> + '_ {
        self.closing.notified()
    }
}

/// The open connections.
pub struct ConnectionTable {
    origin: Instant,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Tracked>>>,
}

impl Default for ConnectionTable {
    fn default() -> Self {
        ConnectionTable {
            origin: Instant::now(),
            next_id: AtomicU64::new(0),
            open: Mutex::new(HashMap::new()),
        }
    }
}

impl ConnectionTable {
    fn now_ms(&self) -> u64 {
        self.origin.elapsed().as_millis() as u64
    }

    /// Track a new connection; it leaves the table when the returned guard drops.
    pub fn open(self: &Arc<Self>) -> OpenConnection {
        let tracked = Arc::new(Tracked {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            last_progress_ms: AtomicU64::new(self.now_ms()),
            closing: Notify::new(),
        });
        self.open.lock().insert(tracked.id, tracked.clone());
        OpenConnection {
            table: self.clone(),
            tracked,
        }
    }

    /// Close the connection that has gone longest without moving a byte, if it has
    /// been quiet for at least `SHED_MIN_QUIET`. True when one was told to close.
    pub fn close_quietest(&self) -> bool {
        let now = self.now_ms();
        let quiet_ms = SHED_MIN_QUIET.as_millis() as u64;
        let quietest = {
            let open = self.open.lock();
            open.values()
                .map(|t| (t.last_progress_ms.load(Ordering::Relaxed), t))
                .filter(|(at, _)| now.saturating_sub(*at) >= quiet_ms)
                .min_by_key(|(at, _)| *at)
                .map(|(_, t)| t.clone())
        };
        let Some(tracked) = quietest else {
            return false;
        };
        // Stamped now so the next search picks another while this one closes.
        tracked.last_progress_ms.store(now, Ordering::Relaxed);
        // A stored permit: the connection sees it even if it is not waiting yet.
        tracked.closing.notify_one();
        true
    }

    /// Connections open now.
    pub fn len(&self) -> usize {
        self.open.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A connection's place in the table; dropping it removes the connection.
pub struct OpenConnection {
    table: Arc<ConnectionTable>,
    tracked: Arc<Tracked>,
}

impl OpenConnection {
    pub fn tracked(&self) -> &Arc<Tracked> {
        &self.tracked
    }

    /// Wrap the connection's socket so its progress is recorded and stalled writes
    /// time out.
    pub fn watch<S>(&self, inner: S, write_timeout: Duration) -> WatchedIo<S> {
        WatchedIo {
            inner,
            table: self.table.clone(),
            tracked: self.tracked.clone(),
            write_timeout,
            stalled: None,
        }
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.table.open.lock().remove(&self.tracked.id);
    }
}

/// A socket that records progress and gives up on a write that makes none.
pub struct WatchedIo<S> {
    inner: S,
    table: Arc<ConnectionTable>,
    tracked: Arc<Tracked>,
    write_timeout: Duration,
    /// Armed while a write is waiting for the client to read.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> WatchedIo<S> {
    fn progressed(&mut self) {
        self.stalled = None;
        let now = self.table.now_ms();
        self.tracked.last_progress_ms.store(now, Ordering::Relaxed);
    }

    /// After a write returned `Pending`: an error once it has been pending too long.
    fn check_stall(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let timeout = self.write_timeout;
        let sleep = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client has not read the response for the write timeout",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match result {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.progressed();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Pending => self.check_stall(cx),
            other => other,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WatchedIo<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            let now = self.table.now_ms();
            self.tracked.last_progress_ms.store(now, Ordering::Relaxed);
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WatchedIo<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, data);
        self.after_write(cx, result)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.after_write(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_quietest_connection_is_chosen_and_busy_ones_never() {
        let table = Arc::new(ConnectionTable::default());
        let old = table.open();
        let recent = table.open();
        assert!(!table.close_quietest(), "nobody quiet long enough yet");
        tokio::time::sleep(SHED_MIN_QUIET + Duration::from_millis(20)).await;
        recent
            .tracked()
            .last_progress_ms
            .store(table.now_ms(), Ordering::Relaxed);
        assert!(table.close_quietest());
        // The stored permit is seen by a wait that starts afterwards.
        tokio::time::timeout(Duration::from_secs(1), old.tracked().chosen_to_close())
            .await
            .expect("the quiet connection was told to close");
        assert!(!table.close_quietest(), "the other one just moved bytes");
        assert_eq!(table.len(), 2);
        drop(old);
        assert_eq!(table.len(), 1);
    }
}
