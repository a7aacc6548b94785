#!/usr/bin/env bash
# Same-run A/B of two server binaries on GET /api/todos (single-user, no storage):
# requests per second and server CPU per request, interleaved rounds.
#
#   bench/compare.sh OLD_BINARY NEW_BINARY [ROUNDS] [SECONDS]
#
# Use it to check that a refactor costs nothing on the hot path: build the old commit
# in a worktree (`git worktree add /tmp/old REV && cargo build --release`), then run
# this with both binaries. Everything runs on 127.0.0.1; servers are stopped by PID.
set -euo pipefail
OLD=${1:?old binary}
NEW=${2:?new binary}
ROUNDS=${3:-4}
SECS=${4:-5}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)

# measure BINARY: prints "req/s cpu_us_per_request"
measure() {
  local bin=$1 p pid before after out reqs
  p=$(port)
  "$bin" --port "$p" --bind 127.0.0.1 --no-storage >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$p/api/heartbeat" && break
    sleep 0.05
  done
  wrk -t1 -c50 -d1s "http://127.0.0.1:$p/api/todos" >/dev/null 2>&1 || true
  before=$(ticks "$pid")
  out=$(wrk -t1 -c50 -d"${SECS}s" "http://127.0.0.1:$p/api/todos" 2>&1)
  after=$(ticks "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  reqs=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<<"$out")
  awk -v r="$reqs" -v s="$SECS" -v t=$((after - before)) -v hz="$HZ" \
    'BEGIN {printf "%.0f %.2f\n", r / s, t / hz * 1e6 / r}'
}

echo "| round | old req/s | new req/s | old CPU µs/req | new CPU µs/req |"
echo "|---|---|---|---|---|"
for r in $(seq 1 "$ROUNDS"); do
  read -r old_rps old_cpu < <(measure "$OLD")
  read -r new_rps new_cpu < <(measure "$NEW")
  echo "| $r | $old_rps | $new_rps | $old_cpu | $new_cpu |"
done
