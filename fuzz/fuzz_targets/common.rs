//! Invariants shared by the fuzz targets. Each is a property every accepted todo or
//! every rendering must have, whatever the input was.
#![allow(dead_code)]

use apichallenges::error::ApiError;
use apichallenges::todo::{Todo, MAX_DESCRIPTION, MAX_TITLE};

/// A title the server accepted: not blank (Java `trim()` sense) and within the limit.
pub fn check_title(title: &str) {
    assert!(
        title.chars().any(|c| c > ' '),
        "accepted a blank title: {title:?}"
    );
    assert!(
        title.chars().count() <= MAX_TITLE,
        "accepted a title over {MAX_TITLE} chars: {title:?}"
    );
}

pub fn check_description(description: &str) {
    assert!(
        description.chars().count() <= MAX_DESCRIPTION,
        "accepted a description over {MAX_DESCRIPTION} chars: {description:?}"
    );
}

/// A todo produced by an update of `original`: limits hold and the id never changes.
pub fn check_updated(original: &Todo, updated: &Todo) {
    assert_eq!(updated.id, original.id, "an update changed the id");
    check_title(&updated.title);
    check_description(&updated.description);
}

/// Errors carry a 4xx status and at least one non-empty message.
pub fn check_error(error: &ApiError) {
    let status = error.kind.status();
    assert!(status.is_client_error(), "unexpected error status {status}");
    assert!(!error.messages.is_empty(), "error without messages");
    assert!(
        error.messages.iter().all(|m| !m.is_empty()),
        "empty error message: {error:?}"
    );
}

/// The seed todo updates are tried against: some description, not done.
pub fn sample_todo() -> Todo {
    Todo {
        id: 3,
        title: "process payments".to_string(),
        done_status: false,
        description: "before the end of the month".to_string(),
    }
}

/// CPU time of the calling thread, in nanoseconds (not wall time: other processes on
/// the machine do not inflate it).
pub fn thread_cpu_nanos() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill in.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64
}

/// Run `work`, and when it took more CPU than any input before, print the new worst
/// case (the last such line of a run is its worst input).
pub fn measure<T>(
    worst: &std::sync::atomic::AtomicU64,
    what: &str,
    input: &[u8],
    work: impl FnOnce() -> T,
) -> T {
    let started = thread_cpu_nanos();
    let result = work();
    let spent = thread_cpu_nanos() - started;
    if spent > worst.fetch_max(spent, std::sync::atomic::Ordering::Relaxed) {
        let shown = String::from_utf8_lossy(&input[..input.len().min(160)]);
        eprintln!(
            "WORST {what}: {:.3} ms CPU, {} bytes: {shown:?}",
            spent as f64 / 1e6,
            input.len()
        );
    }
    result
}

/// Builds deeply nested text from fuzz input without recursion: the input chooses,
/// step by step, to open one of `opens` (closed later by the matching entry of
/// `closes`), to write one of `atoms`, to write one of `separators`, or to close the
/// innermost open level; levels still open at the end are closed. A run of the same
/// opening, repeated up to 255 times in one step, gives the deep nesting parsers
/// choke on.
pub struct NestingGenerator<'a> {
    pub opens: &'a [&'a str],
    pub closes: &'a [&'a str],
    pub atoms: &'a [&'a str],
    pub separators: &'a [&'a str],
    pub max_len: usize,
}

impl NestingGenerator<'_> {
    pub fn generate(&self, u: &mut arbitrary::Unstructured<'_>) -> arbitrary::Result<String> {
        let mut out = String::new();
        let mut open: Vec<usize> = Vec::new();
        while !u.is_empty() && out.len() < self.max_len {
            match u.int_in_range(0u8..=9)? {
                0..=2 => {
                    let which = u.choose_index(self.opens.len())?;
                    let repeat = if u.ratio(1u8, 4)? {
                        u.int_in_range(1u8..=255)? as usize
                    } else {
                        1
                    };
                    for _ in 0..repeat {
                        out.push_str(self.opens[which]);
                        open.push(which);
                    }
                }
                3..=5 => out.push_str(u.choose(self.atoms)?),
                6..=7 => out.push_str(u.choose(self.separators)?),
                _ => {
                    if let Some(which) = open.pop() {
                        out.push_str(self.closes[which]);
                    }
                }
            }
        }
        while let Some(which) = open.pop() {
            out.push_str(self.closes[which]);
        }
        Ok(out)
    }
}
