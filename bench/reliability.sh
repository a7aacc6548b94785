#!/usr/bin/env bash
# Reliability figures for apichallenges (BENCHMARKS.md, "Reliability: eviction,
# write-behind, creation limit, slow clients").
#
#   bench/reliability.sh             full run, ~5 minutes; writes bench/results/reliability.md
#   bench/reliability.sh --smoke     every part for a few seconds (checks the script)
#   options: --parts fgh   run only some parts     --skip-build  use the existing binary
#   G_SERVER_ARGS="--max-connections 2048"  extra server flags for part g (2048 is
#   what the default sizing gives a 256 MB machine)
#
# Parts: f) RSS during a challenger flood with storage on, caps 10k and 100k
#        g) slow and silent clients: RSS per connection, normal-client p99 while
#           10,050 connections are held open by clients that do not read
#        h) acknowledged writes lost under eviction churn
# Everything runs on 127.0.0.1; every load has a fixed duration; servers started here
# are stopped here, by PID.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
MODE=full
PARTS=fgh
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) MODE=smoke ;;
    --parts) PARTS=$2; shift ;;
    --skip-build) BUILD=0 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

PORT=${BENCH_PORT:-47631}
if [ "$MODE" = full ]; then
  F_SECS=60; F_CAPS="10000 100000"; G_COUNT=10050; G_NORMAL_SECS=10; H_SECS=30
  OUT=$BENCH/results/reliability.md
else
  F_SECS=3; F_CAPS="1000"; G_COUNT=200; G_NORMAL_SECS=1; H_SECS=2
  OUT=$BENCH/results/reliability-smoke.md
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/apichallenges-reliability.XXXXXX")
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; fi
  rm -rf "$WORK"
  return 0
}
trap cleanup EXIT

say() { echo "$*" | tee -a "$OUT"; }
rss_mb() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
metric() { curl -s "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1 == m {print $2}'; }

if [ "$BUILD" = 1 ]; then
  cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin apichallenges
fi
TARGET=$(cargo metadata --format-version 1 --no-deps --manifest-path "$ROOT/Cargo.toml" |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
SERVER=$TARGET/release/apichallenges
[ -x "$SERVER" ] || { echo "missing $SERVER" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }

# The slow-client part holds 10,050 sockets in the client and as many in the server.
ulimit -n "$(ulimit -Hn)"

# start_server ARGS...: our server on PORT, multi-user, storage in WORK; waits for 204.
start_server() {
  rm -rf "$WORK/data"
  "$SERVER" --multi-user --bind 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" \
    --log-format json "$@" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/heartbeat")" = 204 ] && return 0
    sleep 0.025
  done
  echo "server did not become ready" >&2; exit 1
}
stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

: >"$OUT"
say "# Reliability run $(date -u +%Y-%m-%dT%H:%MZ) ($MODE), $(nproc) CPUs"
say ""

if [[ $PARTS == *f* ]]; then
  say "## f) challenger flood, storage on, ${F_SECS} s, wrk -t2 -c64 POST /api/challenger"
  say ""
  say "| cap | RSS MB at 10 s | 20 s | 30 s | 40 s | 50 s | end | peak | created (201) | 503 | in memory | peak backlog | disk |"
  say "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  for cap in $F_CAPS; do
    start_server --max-challengers "$cap" --creation-limit 0
    echo 'wrk.method = "POST"' >"$WORK/post.lua"
    wrk -t2 -c64 -d"${F_SECS}s" -s "$WORK/post.lua" "http://127.0.0.1:$PORT/api/challenger" \
      >"$WORK/wrk.txt" 2>&1 &
    WRK=$!
    samples=()
    peak=0
    peak_backlog=0
    for t in $(seq 1 "$F_SECS"); do
      sleep 1
      r=$(rss_mb "$SERVER_PID")
      peak=$(awk -v a="$peak" -v b="$r" 'BEGIN {print (b > a) ? b : a}')
      q=$(metric apichallenges_storage_queue_depth)
      if [ "${q:-0}" -gt "$peak_backlog" ]; then peak_backlog=$q; fi
      if [ $((t % 10)) = 0 ]; then samples+=("$r"); fi
    done
    wait "$WRK" || true
    sleep 1
    created=$(metric 'apichallenges_requests_total{route="challenger",status="201"}')
    busy=$(metric 'apichallenges_requests_total{route="challenger",status="503"}')
    memory=$(metric apichallenges_challengers_in_memory)
    disk=$(du -sh "$WORK/data" | cut -f1)
    while [ "${#samples[@]}" -lt 6 ]; do samples+=("-"); done
    say "| $cap | ${samples[0]} | ${samples[1]} | ${samples[2]} | ${samples[3]} | ${samples[4]} | ${samples[5]} | $peak | ${created:-0} | ${busy:-0} | $memory | $peak_backlog | $disk |"
    stop_server
  done
  say ""
fi

if [[ $PARTS == *g* ]]; then
  say "## g) slow and silent clients: $G_COUNT connections held, normal client for ${G_NORMAL_SECS} s"
  say ""
  say "Storage on, multi-user, server flags: ${G_SERVER_ARGS:-(defaults)}. Each line: python3 bench/slow_clients.py --kind KIND --count $G_COUNT"
  say ""
  say '```'
  for kind in silent idle stalled; do
    # shellcheck disable=SC2086 # G_SERVER_ARGS is a list of flags
    start_server ${G_SERVER_ARGS:-}
    python3 "$BENCH/slow_clients.py" --port "$PORT" --pid "$SERVER_PID" --count "$G_COUNT" \
      --kind "$kind" --normal-secs "$G_NORMAL_SECS" | tee -a "$OUT"
    stop_server
  done
  say '```'
  say ""
fi

if [[ $PARTS == *h* ]]; then
  say "## h) eviction churn: 200 learners, --max-challengers 20, --idle-timeout 1, 32 writers, ${H_SECS} s"
  say ""
  say '```'
  start_server --max-challengers 20 --idle-timeout 1 --unlimited-todos --creation-limit 0
  python3 "$BENCH/eviction_churn.py" --port "$PORT" --learners 200 --workers 32 \
    --seconds "$H_SECS" | tee -a "$OUT"
  evicted=$(metric apichallenges_evictions_total)
  say "evictions during the run: $evicted"
  stop_server
  say '```'
fi
echo "written: $OUT" >&2
