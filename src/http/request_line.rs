//! Accept `"`, `<` and `>` unencoded in HTTP/1 request targets.
//!
//! Learners type `GET /todos?id>5` into curl, which sends the `>` as is; the reference
//! accepts it, but hyper's URI parser refuses those three bytes with a 400 before any
//! of our code runs. This adapter sits between the socket and hyper and percent-encodes
//! them in each request line. It follows the HTTP/1 message framing (Content-Length
//! and chunked bodies) so body bytes are never touched, and steps aside entirely for
//! HTTP/2 or anything it does not understand (hyper then judges the bytes itself).
//!
//! Because it sees each request line first, it is also where the raw routes of
//! `http/raw.rs` are recognised and answered without hyper.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::{Buf, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::http::raw::{Intercept, RawRoutes, MAX_WATCHED_LINE};

/// Longest header or chunk-size line followed; beyond it the rewriter steps aside.
const MAX_LINE: usize = 64 * 1024;

/// Where the rewriter is in the HTTP/1 byte stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Inside a request line.
    RequestLine,
    /// Inside the header block, with what it said about the body so far.
    Headers { length: u64, chunked: bool },
    /// Inside a body of known length: bytes left.
    Body(u64),
    /// Reading a chunk-size line.
    ChunkSize,
    /// Inside chunk data, then its CRLF: bytes left.
    ChunkData(u64),
    /// Reading trailer lines after the last chunk.
    Trailers,
    /// Not HTTP/1 as we know it: pass everything through.
    Passthrough,
}

/// Bytes of a request line kept to recognise the HTTP/2 preface.
const START: usize = 16;

/// The byte-stream transformer. Its buffers are reused, so following a connection
/// allocates nothing per request.
#[derive(Debug)]
pub struct Rewriter {
    phase: Phase,
    /// The first bytes of the current request line.
    start: [u8; START],
    start_len: usize,
    /// The current header, chunk-size or trailer line.
    line: Vec<u8>,
}

impl Default for Rewriter {
    fn default() -> Self {
        Rewriter {
            phase: Phase::RequestLine,
            start: [0; START],
            start_len: 0,
            line: Vec::new(),
        }
    }
}

impl Rewriter {
    /// Transform `input`, appending the result to `out`.
    pub fn feed(&mut self, mut input: &[u8], out: &mut BytesMut) {
        while !input.is_empty() {
            let used = self.step(input, out);
            input = &input[used..];
        }
    }

    /// Transform `input` up to the end of the current request; returns how many bytes
    /// were used. The caller looks at the next request line before feeding on.
    pub fn feed_request(&mut self, input: &[u8], out: &mut BytesMut) -> usize {
        let mut used = 0;
        while used < input.len() {
            used += self.step(&input[used..], out);
            if self.at_request_start() {
                break;
            }
        }
        used
    }

    /// Nothing of the next request line has been seen yet.
    pub fn at_request_start(&self) -> bool {
        self.phase == Phase::RequestLine && self.start_len == 0
    }

    /// Consume some of `input`; returns how many bytes were used.
    fn step(&mut self, input: &[u8], out: &mut BytesMut) -> usize {
        match self.phase {
            Phase::Passthrough => {
                out.extend_from_slice(input);
                input.len()
            }
            Phase::Body(left) | Phase::ChunkData(left) => {
                let n = left.min(input.len() as u64) as usize;
                out.extend_from_slice(&input[..n]);
                let left = left - n as u64;
                self.phase = match (self.phase, left) {
                    (Phase::ChunkData(_), 0) => Phase::ChunkSize,
                    (Phase::ChunkData(_), _) => Phase::ChunkData(left),
                    (_, 0) => self.next_request(),
                    _ => Phase::Body(left),
                };
                n
            }
            Phase::RequestLine if self.start_len >= START => self.request_line_run(input, out),
            Phase::RequestLine => self.request_line_byte(input[0], out),
            Phase::Headers { .. } | Phase::ChunkSize | Phase::Trailers => {
                self.line_step(input, out)
            }
        }
    }

    fn next_request(&mut self) -> Phase {
        self.start_len = 0;
        Phase::RequestLine
    }

    /// Past the bytes kept for the HTTP/2 check: copy a run without refused bytes in
    /// bulk, up to the end of the line.
    fn request_line_run(&mut self, input: &[u8], out: &mut BytesMut) -> usize {
        let end = input
            .iter()
            .position(|&b| b == b'\n')
            .map_or(input.len(), |i| i + 1);
        let special = input[..end]
            .iter()
            .position(|&b| matches!(b, b'"' | b'<' | b'>'));
        match special {
            Some(0) => self.request_line_byte(input[0], out),
            Some(n) => {
                out.extend_from_slice(&input[..n]);
                n
            }
            None => {
                out.extend_from_slice(&input[..end]);
                if input[end - 1] == b'\n' {
                    self.end_request_line();
                }
                end
            }
        }
    }

    /// One byte of a request line, percent-encoding the three refused ones.
    fn request_line_byte(&mut self, b: u8, out: &mut BytesMut) -> usize {
        match b {
            b'"' => out.extend_from_slice(b"%22"),
            b'<' => out.extend_from_slice(b"%3C"),
            b'>' => out.extend_from_slice(b"%3E"),
            _ => out.extend_from_slice(&[b]),
        }
        if self.start_len < START {
            self.start[self.start_len] = b;
            self.start_len += 1;
        }
        if b == b'\n' {
            self.end_request_line();
        }
        1
    }

    /// A request line ended: the HTTP/2 preface, a blank line between requests, or
    /// the start of a header block.
    fn end_request_line(&mut self) {
        let start = &self.start[..self.start_len];
        self.phase = if start.starts_with(b"PRI * HTTP/2") {
            Phase::Passthrough
        } else if start.iter().all(|c| c.is_ascii_whitespace()) {
            self.next_request()
        } else {
            Phase::Headers {
                length: 0,
                chunked: false,
            }
        };
    }

    /// Pass a line-oriented part through, acting on each complete line.
    fn line_step(&mut self, input: &[u8], out: &mut BytesMut) -> usize {
        let end = input.iter().position(|&b| b == b'\n');
        let take = end.map_or(input.len(), |i| i + 1);
        out.extend_from_slice(&input[..take]);
        self.line.extend_from_slice(&input[..take]);
        if self.line.len() > MAX_LINE {
            self.phase = Phase::Passthrough;
        } else if end.is_some() {
            let line = std::mem::take(&mut self.line);
            self.on_line(trim_eol(&line));
            self.line = line;
            self.line.clear();
        }
        take
    }

    fn on_line(&mut self, line: &[u8]) {
        self.phase = match self.phase {
            Phase::Headers { length, chunked } if line.is_empty() => match (chunked, length) {
                (true, _) => Phase::ChunkSize,
                (false, 0) => self.next_request(),
                (false, n) => Phase::Body(n),
            },
            Phase::Headers { length, chunked } => header_line(line, length, chunked),
            Phase::ChunkSize => match chunk_size(line) {
                Some(0) => Phase::Trailers,
                // The chunk's data and its CRLF.
                Some(n) => Phase::ChunkData(n + 2),
                None => Phase::Passthrough,
            },
            Phase::Trailers if line.is_empty() => self.next_request(),
            other => other,
        };
    }
}

/// What one header line says about the body; an unreadable Content-Length means we
/// no longer know the framing, so the rewriter steps aside.
fn header_line(line: &[u8], mut length: u64, mut chunked: bool) -> Phase {
    match header(line) {
        Some((Framing::ContentLength, value)) => match value.parse() {
            Ok(n) => length = n,
            Err(_) => return Phase::Passthrough,
        },
        Some((Framing::TransferEncoding, value)) => {
            chunked |= value
                .split(',')
                .any(|coding| coding.trim().eq_ignore_ascii_case("chunked"))
        }
        None => {}
    }
    Phase::Headers { length, chunked }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The two headers that decide a body's framing.
enum Framing {
    ContentLength,
    TransferEncoding,
}

/// A framing header line as (which, trimmed value); other lines are `None`.
fn header(line: &[u8]) -> Option<(Framing, &str)> {
    let text = std::str::from_utf8(line).ok()?;
    let (name, value) = text.split_once(':')?;
    let name = name.trim();
    let which = if name.eq_ignore_ascii_case("content-length") {
        Framing::ContentLength
    } else if name.eq_ignore_ascii_case("transfer-encoding") {
        Framing::TransferEncoding
    } else {
        return None;
    };
    Some((which, value.trim()))
}

fn chunk_size(line: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(line).ok()?;
    let size = text.split(';').next()?.trim();
    u64::from_str_radix(size, 16).ok()
}

/// An IO stream whose reads pass through a [`Rewriter`], and which answers the raw
/// routes it is given itself (see `http/raw.rs`).
pub struct LenientIo<S> {
    inner: S,
    rewriter: Rewriter,
    /// Rewritten bytes not yet handed to the reader.
    ready: BytesMut,
    /// The start of a request line still arriving, held back until it is complete
    /// so the raw routes can be asked about it.
    held: BytesMut,
    raw: Option<RawRoutes>,
    /// A raw route's answer, once its request line has been seen.
    intercept: Option<Intercept>,
}

/// Raw bytes read per call. The buffer lives on the stack for the call only, so an
/// idle connection holds none of it.
const READ_CHUNK: usize = 8 * 1024;

impl<S> LenientIo<S> {
    pub fn new(inner: S) -> LenientIo<S> {
        LenientIo::with_raw_routes(inner, None)
    }

    /// A stream that also answers `raw` routes at the connection level.
    pub fn with_raw_routes(inner: S, raw: Option<RawRoutes>) -> LenientIo<S> {
        LenientIo {
            inner,
            rewriter: Rewriter::default(),
            ready: BytesMut::new(),
            held: BytesMut::new(),
            raw,
            intercept: None,
        }
    }

    /// Take in bytes read from the socket: rewrite them for hyper, hold back an
    /// incomplete request line, or discard a raw route's head.
    fn take_in(&mut self, mut input: &[u8]) {
        while !input.is_empty() {
            if let Some(intercept) = &mut self.intercept {
                intercept.discard(input);
                return;
            }
            if let (Some(raw), true) = (self.raw, self.rewriter.at_request_start()) {
                match input.iter().position(|&b| b == b'\n') {
                    None if input.len() < MAX_WATCHED_LINE => {
                        self.held.extend_from_slice(input);
                        return;
                    }
                    Some(end) => {
                        if let Some(answer) = raw(&input[..end]) {
                            self.intercept = Some(Intercept::new(answer));
                            input = &input[end + 1..];
                            // A request line alone with nothing after it yet: wait.
                            if input.is_empty() {
                                return;
                            }
                            continue;
                        }
                    }
                    None => {}
                }
            }
            let used = self.rewriter.feed_request(input, &mut self.ready);
            input = &input[used..];
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for LenientIo<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        while this.ready.is_empty() {
            if this.intercept.as_ref().is_some_and(Intercept::request_read) {
                // As far as hyper knows the client has finished: it completes what
                // it owes and shuts down, which is when the raw answer is written.
                return Poll::Ready(Ok(()));
            }
            let mut scratch = [0u8; READ_CHUNK];
            let mut raw = ReadBuf::new(&mut scratch);
            match Pin::new(&mut this.inner).poll_read(cx, &mut raw) {
                Poll::Ready(Ok(())) if raw.filled().is_empty() => {
                    if this.held.is_empty() {
                        this.intercept = None;
                        return Poll::Ready(Ok(()));
                    }
                    // The client stopped mid-line: hyper judges what it sent.
                    let held = this.held.split();
                    this.rewriter.feed(&held, &mut this.ready);
                }
                Poll::Ready(Ok(())) => {
                    let filled = raw.filled().len();
                    if this.held.is_empty() {
                        this.take_in(&scratch[..filled]);
                    } else {
                        this.held.extend_from_slice(&scratch[..filled]);
                        let held = this.held.split();
                        this.take_in(&held);
                    }
                }
                other => return other,
            }
        }
        let n = this.ready.len().min(buf.remaining());
        buf.put_slice(&this.ready[..n]);
        this.ready.advance(n);
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for LenientIo<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if let Some(intercept) = this.intercept.as_mut().filter(|i| i.request_read()) {
            while !intercept.unwritten().is_empty() {
                let n = ready!(Pin::new(&mut this.inner).poll_write(cx, intercept.unwritten()))?;
                if n == 0 {
                    return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                }
                intercept.wrote(n);
            }
            ready!(Pin::new(&mut this.inner).poll_flush(cx))?;
            this.intercept = None;
        }
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rewrite `input` fed in pieces of `size` bytes.
    fn rewrite_in_pieces(input: &[u8], size: usize) -> Vec<u8> {
        let mut rewriter = Rewriter::default();
        let mut out = BytesMut::new();
        for piece in input.chunks(size) {
            rewriter.feed(piece, &mut out);
        }
        out.to_vec()
    }

    fn rewrite(input: &[u8]) -> Vec<u8> {
        let whole = rewrite_in_pieces(input, input.len().max(1));
        for size in 1..8 {
            assert_eq!(rewrite_in_pieces(input, size), whole, "pieces of {size}");
        }
        whole
    }

    #[test]
    fn request_line_specials_are_percent_encoded() {
        let out = rewrite(b"GET /todos?id>5&t=\"a<b\" HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(
            out,
            b"GET /todos?id%3E5&t=%22a%3Cb%22 HTTP/1.1\r\nHost: x\r\n\r\n"
        );
    }

    #[test]
    fn headers_and_bodies_are_untouched_and_the_next_request_is_rewritten() {
        let input = b"POST /todos HTTP/1.1\r\nContent-Length: 13\r\nX-A: <b>\r\n\r\n{\"title\":\">\"}GET /todos?id<3 HTTP/1.1\r\n\r\n";
        let expected = b"POST /todos HTTP/1.1\r\nContent-Length: 13\r\nX-A: <b>\r\n\r\n{\"title\":\">\"}GET /todos?id%3C3 HTTP/1.1\r\n\r\n";
        assert_eq!(rewrite(input), expected.to_vec());
    }

    #[test]
    fn chunked_bodies_are_followed() {
        let input = b"POST /t HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n\"<>\"x\r\n0\r\nX-T: <\r\n\r\nGET /?a>b HTTP/1.1\r\n\r\n";
        let expected = b"POST /t HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n\"<>\"x\r\n0\r\nX-T: <\r\n\r\nGET /?a%3Eb HTTP/1.1\r\n\r\n";
        assert_eq!(rewrite(input), expected.to_vec());
    }

    #[test]
    fn http2_preface_switches_to_passthrough() {
        let mut input = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
        input.extend_from_slice(b"\x00\x00<>\"binary");
        assert_eq!(rewrite(&input), input);
    }

    #[test]
    fn unparseable_framing_steps_aside() {
        let input = b"POST /t HTTP/1.1\r\nContent-Length: abc\r\n\r\n<>";
        assert_eq!(rewrite(input), input.to_vec());
    }
}
