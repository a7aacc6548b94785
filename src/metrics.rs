//! Prometheus text metrics at `/metrics`: requests by route and status, a latency
//! histogram, learners in memory, evictions, and storage health. Counters are fixed
//! arrays of atomics, so recording a request costs two relaxed increments.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Route labels, in the order of the counter rows.
pub const ROUTES: [&str; 12] = [
    "todos",
    "todos_export",
    "todo",
    "challenges",
    "challenger",
    "challenger_progress",
    "challenger_database",
    "heartbeat",
    "secret_token",
    "secret_note",
    "unknown_api",
    "site",
];

/// Status codes counted individually; anything else is counted as `other`.
const STATUSES: [u16; 23] = [
    200, 201, 204, 301, 302, 307, 400, 401, 403, 404, 405, 406, 408, 409, 413, 415, 422, 429, 431,
    500, 501, 503, 0,
];

/// Upper bounds of the latency buckets, in microseconds (then +Inf).
const BUCKETS_US: [u64; 12] = [
    50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 100_000, 500_000, 1_000_000,
];

/// The server's counters.
pub struct Metrics {
    requests: [[AtomicU64; STATUSES.len()]; ROUTES.len()],
    latency: [AtomicU64; BUCKETS_US.len() + 1],
    latency_sum_us: AtomicU64,
    evictions: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: std::array::from_fn(|_| std::array::from_fn(|_| AtomicU64::new(0))),
            latency: std::array::from_fn(|_| AtomicU64::new(0)),
            latency_sum_us: AtomicU64::new(0),
            evictions: AtomicU64::new(0),
        }
    }
}

/// Figures that live elsewhere, gathered when `/metrics` is rendered.
pub struct Gauges {
    pub challengers_in_memory: usize,
    pub storage_queue_depth: usize,
    pub storage_last_flush_ms: f64,
    pub storage_errors: u64,
    pub storage_records_written: u64,
    /// The last storage write failed (storage retries; progress is in memory).
    pub storage_failing: bool,
}

impl Metrics {
    /// Count one request. `route` is an index into [`ROUTES`].
    pub fn record(&self, route: usize, status: u16, elapsed: Duration) {
        let column = STATUSES
            .iter()
            .position(|&s| s == status)
            .unwrap_or(STATUSES.len() - 1);
        if let Some(row) = self.requests.get(route) {
            row[column].fetch_add(1, Ordering::Relaxed);
        }
        let us = elapsed.as_micros() as u64;
        let bucket = BUCKETS_US
            .iter()
            .position(|&b| us <= b)
            .unwrap_or(BUCKETS_US.len());
        self.latency[bucket].fetch_add(1, Ordering::Relaxed);
        self.latency_sum_us.fetch_add(us, Ordering::Relaxed);
    }

    pub fn evicted(&self, count: usize) {
        self.evictions.fetch_add(count as u64, Ordering::Relaxed);
    }

    /// The Prometheus text exposition.
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::with_capacity(4096);
        out.push_str(
            "# HELP apichallenges_requests_total Requests answered, by route and status.\n",
        );
        out.push_str("# TYPE apichallenges_requests_total counter\n");
        for (r, route) in ROUTES.iter().enumerate() {
            for (c, status) in STATUSES.iter().enumerate() {
                let n = self.requests[r][c].load(Ordering::Relaxed);
                if n > 0 {
                    let status = if *status == 0 {
                        "other".to_string()
                    } else {
                        status.to_string()
                    };
                    let _ = writeln!(
                        out,
                        "apichallenges_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                    );
                }
            }
        }
        out.push_str("# HELP apichallenges_request_duration_seconds Time to answer a request.\n");
        out.push_str("# TYPE apichallenges_request_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (i, bound) in BUCKETS_US.iter().enumerate() {
            cumulative += self.latency[i].load(Ordering::Relaxed);
            let le = *bound as f64 / 1e6;
            let _ = writeln!(
                out,
                "apichallenges_request_duration_seconds_bucket{{le=\"{le}\"}} {cumulative}"
            );
        }
        cumulative += self.latency[BUCKETS_US.len()].load(Ordering::Relaxed);
        let sum = self.latency_sum_us.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(
            out,
            "apichallenges_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
        );
        let _ = writeln!(out, "apichallenges_request_duration_seconds_sum {sum}");
        let _ = writeln!(
            out,
            "apichallenges_request_duration_seconds_count {cumulative}"
        );
        let gauge = |out: &mut String, name: &str, help: &str, kind: &str, value: String| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        };
        gauge(
            &mut out,
            "apichallenges_challengers_in_memory",
            "Learners held in memory.",
            "gauge",
            gauges.challengers_in_memory.to_string(),
        );
        gauge(
            &mut out,
            "apichallenges_evictions_total",
            "Learners evicted from memory (idle or capacity).",
            "counter",
            self.evictions.load(Ordering::Relaxed).to_string(),
        );
        gauge(
            &mut out,
            "apichallenges_storage_queue_depth",
            "Learner records waiting to be written.",
            "gauge",
            gauges.storage_queue_depth.to_string(),
        );
        gauge(
            &mut out,
            "apichallenges_storage_last_flush_seconds",
            "Duration of the last storage write batch.",
            "gauge",
            (gauges.storage_last_flush_ms / 1000.0).to_string(),
        );
        gauge(
            &mut out,
            "apichallenges_storage_errors_total",
            "Storage write errors (retried).",
            "counter",
            gauges.storage_errors.to_string(),
        );
        gauge(
            &mut out,
            "apichallenges_storage_records_written_total",
            "Learner records written to disk.",
            "counter",
            gauges.storage_records_written.to_string(),
        );
        gauge(
            &mut out,
            "apichallenges_storage_failing",
            "1 while the last storage write failed (retrying; progress only in memory).",
            "gauge",
            u8::from(gauges.storage_failing).to_string(),
        );
        out
    }
}

/// The shared store's lines (`--redis`), appended to the `/metrics` text: whether the
/// last command was answered, and how many failed or timed out since start.
pub fn render_shared_store(reachable: bool, failures: u64) -> String {
    format!(
        "# HELP apichallenges_shared_store_up Whether the last command to Redis was answered.\n\
         # TYPE apichallenges_shared_store_up gauge\n\
         apichallenges_shared_store_up {}\n\
         # HELP apichallenges_shared_store_failures_total Redis commands that failed or timed out.\n\
         # TYPE apichallenges_shared_store_failures_total counter\n\
         apichallenges_shared_store_failures_total {failures}\n",
        u8::from(reachable)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_store_lines_are_prometheus_text() {
        let text = render_shared_store(false, 7);
        assert!(
            text.contains("\napichallenges_shared_store_up 0\n"),
            "{text}"
        );
        assert!(
            text.ends_with("apichallenges_shared_store_failures_total 7\n"),
            "{text}"
        );
    }

    fn gauges() -> Gauges {
        Gauges {
            challengers_in_memory: 3,
            storage_queue_depth: 0,
            storage_last_flush_ms: 2.0,
            storage_errors: 0,
            storage_records_written: 0,
            storage_failing: false,
        }
    }

    #[test]
    fn requests_are_counted_by_route_and_status() {
        let m = Metrics::default();
        m.record(0, 200, Duration::from_micros(80));
        m.record(0, 200, Duration::from_micros(80));
        m.record(7, 599, Duration::from_secs(2));
        let text = m.render(&gauges());
        assert!(text.contains("apichallenges_requests_total{route=\"todos\",status=\"200\"} 2\n"));
        assert!(
            text.contains("apichallenges_requests_total{route=\"heartbeat\",status=\"other\"} 1\n")
        );
        assert!(text.contains("apichallenges_request_duration_seconds_bucket{le=\"0.0001\"} 2\n"));
        assert!(text.contains("apichallenges_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("apichallenges_request_duration_seconds_count 3\n"));
        assert!(text.contains("apichallenges_challengers_in_memory 3\n"));
    }

    #[test]
    fn evictions_accumulate() {
        let m = Metrics::default();
        m.evicted(2);
        m.evicted(3);
        assert!(m
            .render(&gauges())
            .contains("apichallenges_evictions_total 5\n"));
    }
}
