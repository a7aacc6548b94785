//! Raw responses: bytes written to the socket exactly as given, then the connection
//! closes. hyper repairs some responses on the way out (it drops the body of a 204 or
//! a 304, for instance); a few practice endpoints exist precisely to send those broken
//! messages, so they bypass hyper.
//!
//! The service names those endpoints through a [`RawRoutes`] function, asked with each
//! HTTP/1 request line before hyper sees it. When it answers, the request's head is
//! read and discarded here, hyper is told the client has finished (it completes the
//! responses it owes, then shuts the connection down), and the answer is written just
//! before the socket closes. See `LenientIo`, which drives this.

use bytes::Bytes;

/// Given a request line without its line ending (`DELETE /path HTTP/1.1\r` or
/// `GET /path HTTP/1.1`), the complete response to write for it, if it is a raw route.
pub type RawRoutes = fn(&[u8]) -> Option<Bytes>;

/// Longest request line held back while waiting to see whether it names a raw route;
/// longer lines are not raw routes and go straight on to hyper.
pub const MAX_WATCHED_LINE: usize = 2048;
/// Most header bytes read (and discarded) after a raw route's request line; a client
/// sending more gets its answer anyway, and the connection closes.
pub const MAX_DISCARDED_HEAD: usize = 64 * 1024;
/// Largest declared body read (and discarded) after a raw route's head; a larger one
/// is not waited for.
pub const MAX_DISCARDED_BODY: usize = 64 * 1024;

/// A raw answer waiting for the rest of its request (head, and a body of declared
/// length), then to be written. The request is read to its end before the socket
/// closes: closing with unread bytes would make the kernel reset the connection,
/// and the client could lose the answer.
#[derive(Debug)]
pub struct Intercept {
    answer: Bytes,
    written: usize,
    /// The current header line, kept while it could be a Content-Length.
    line: Vec<u8>,
    /// Bytes of request discarded so far.
    seen: usize,
    /// Body bytes still to discard once the head has ended.
    body_left: Option<usize>,
    declared_length: usize,
    request_read: bool,
}

impl Intercept {
    pub fn new(answer: Bytes) -> Intercept {
        Intercept {
            answer,
            written: 0,
            line: Vec::new(),
            seen: 0,
            body_left: None,
            declared_length: 0,
            request_read: false,
        }
    }

    /// Discard request bytes up to the end of the head and the body it declares.
    /// Bytes after that (a pipelined request) are dropped too: the connection closes
    /// after the answer.
    pub fn discard(&mut self, mut input: &[u8]) {
        while !input.is_empty() && !self.request_read {
            if let Some(left) = self.body_left {
                let n = left.min(input.len());
                input = &input[n..];
                self.body_left = Some(left - n);
                self.request_read = left == n;
                continue;
            }
            let b = input[0];
            input = &input[1..];
            self.seen += 1;
            if b == b'\n' {
                let line = self.line.strip_suffix(b"\r").unwrap_or(&self.line);
                if line.is_empty() {
                    // The head ended; a body this size is read too.
                    self.request_read = self.declared_length == 0;
                    self.body_left = Some(self.declared_length);
                } else if let Some(length) = content_length(line) {
                    self.declared_length = length;
                }
                self.line.clear();
            } else if self.line.len() < 64 {
                self.line.push(b);
            }
            if self.seen > MAX_DISCARDED_HEAD {
                self.request_read = true;
            }
        }
    }

    /// The whole request has arrived: hyper may be told the client is done.
    pub fn request_read(&self) -> bool {
        self.request_read
    }

    /// What is left to write.
    pub fn unwritten(&self) -> &[u8] {
        &self.answer[self.written..]
    }

    pub fn wrote(&mut self, n: usize) {
        self.written += n;
    }
}

/// The value of a `Content-Length` header line, when it is one and not too large.
fn content_length(line: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(line).ok()?;
    let (name, value) = text.split_once(':')?;
    if !name.trim().eq_ignore_ascii_case("content-length") {
        return None;
    }
    value
        .trim()
        .parse()
        .ok()
        .filter(|n| *n <= MAX_DISCARDED_BODY)
}

/// Build a raw HTTP/1.1 response: status line with its reason phrase, the headers in
/// the order given, `content-length` of the body and `connection: close`, then the
/// body. The status is whatever the caller asks for, body or not.
pub fn response(status: u16, reason: &str, headers: &[(&str, &str)], body: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(256 + body.len());
    out.extend_from_slice(format!("HTTP/1.1 {status} {reason}\r\n").as_bytes());
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("content-length: {}\r\n", body.len()).as_bytes());
    out.extend_from_slice(b"connection: close\r\n\r\n");
    out.extend_from_slice(body);
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_ends_at_the_blank_line_whatever_the_pieces() {
        let head = b"Host: x\r\nAccept: */*\r\n\r\nGET / HTTP/1.1\r\n";
        for size in 1..head.len() {
            let mut intercept = Intercept::new(Bytes::new());
            let mut done_at = None;
            for (i, piece) in head.chunks(size).enumerate() {
                intercept.discard(piece);
                if intercept.request_read() && done_at.is_none() {
                    done_at = Some(i);
                }
            }
            assert!(intercept.request_read(), "pieces of {size}");
            // The blank line's last byte is byte 23 of the head.
            assert_eq!(done_at, Some(23 / size));
        }
    }

    #[test]
    fn a_head_without_headers_ends_at_once() {
        let mut intercept = Intercept::new(Bytes::new());
        intercept.discard(b"\r\n");
        assert!(intercept.request_read());
    }

    #[test]
    fn a_declared_body_is_read_before_the_answer() {
        let mut intercept = Intercept::new(Bytes::new());
        intercept.discard(b"Content-Length: 5\r\n\r\nhel");
        assert!(!intercept.request_read());
        intercept.discard(b"loGET");
        assert!(intercept.request_read());
    }

    #[test]
    fn an_endless_head_is_cut_off() {
        let mut intercept = Intercept::new(Bytes::new());
        let line = vec![b'a'; 1000];
        for _ in 0..70 {
            intercept.discard(&line);
        }
        assert!(intercept.request_read());
    }

    #[test]
    fn responses_keep_the_status_and_body_they_are_given() {
        let bytes = response(
            204,
            "No Content",
            &[("content-type", "application/json")],
            b"{}",
        );
        assert_eq!(
            &bytes[..],
            b"HTTP/1.1 204 No Content\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}"
        );
    }
}
