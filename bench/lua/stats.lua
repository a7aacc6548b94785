-- Prints one machine-readable line after a wrk run; request generation is wrk's own
-- (method, URL and -H headers from the command line). Used by bench/run.sh.
--   STATS rps=... requests=... p50_us=... p99_us=... p999_us=... max_us=... non2xx=... socket_errors=...
function done(summary, latency, requests)
  local errors = summary.errors
  local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format(
    "STATS rps=%.0f requests=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), summary.requests,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
    errors.status, socket_errors))
end
