#!/usr/bin/env bash
# Scale-out benchmark: learners in Redis (--redis). Figures: BENCHMARKS.md, section
# "Shared storage (Redis)".
#
#   bench/redis.sh              ~2 minutes; writes bench/results/redis.md
#   bench/redis.sh --smoke      about 20 s, tiny counts; writes bench/results/redis-smoke.md
#   options: --skip-build       use the existing release binaries
#
# r1) GET /api/todos on one instance: embedded storage (SQLite) vs Redis, alternating
# r2) Redis commands per read-only and per changing request (INFO stats deltas)
# r3) the mixed workload of bench/run.sh part b over three instances behind HAProxy
#     (round robin, no affinity) and one Redis
#
# Everything runs on 127.0.0.1; every process started here is stopped here, by PID.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
MODE=full
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) MODE=smoke ;;
    --skip-build) BUILD=0 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

PORT=${BENCH_PORT:-47711}   # instances on PORT, PORT+1, PORT+2; HAProxy PORT+3; Redis PORT+4
PROXY_PORT=$((PORT + 3))
REDIS_PORT=$((PORT + 4))
CONNS=50
if [ "$MODE" = full ]; then
  R1_ROUNDS=3; R1_SECS=5; R2_WRITES=300; R3_CHALLENGERS=1000; R3_SECS=10
  OUT=$BENCH/results/redis.md
else
  R1_ROUNDS=1; R1_SECS=1; R2_WRITES=30; R3_CHALLENGERS=50; R3_SECS=1
  OUT=$BENCH/results/redis-smoke.md
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/apichallenges-redis-bench.XXXXXX")
PIDS=()
FAILURES=0
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    # A child killed by the signal (HAProxy, redis-server) waits with 143: not a failure.
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$WORK"
  return 0
}
trap cleanup EXIT

say() { echo "$*" | tee -a "$OUT"; }
fail() { echo "FAIL: $*" | tee -a "$OUT" >&2; FAILURES=$((FAILURES + 1)); }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }
calc() { awk "BEGIN {printf \"$1\", $2}"; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

for tool in wrk redis-server haproxy; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool not found; installing with apt-get" >&2
    apt-get update -qq && apt-get install -y -qq wrk redis-server haproxy >/dev/null
  fi
done
target_dir() { cargo metadata --format-version 1 --no-deps --manifest-path "$1" | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'; }
if [ "$BUILD" = 1 ]; then
  echo "building release binaries..." >&2
  cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin apichallenges
  cargo build --release --quiet --manifest-path "$BENCH/baseline/Cargo.toml"
fi
SERVER=$(target_dir "$ROOT/Cargo.toml")/release/apichallenges
BENCHTOOL=$(target_dir "$BENCH/baseline/Cargo.toml")/release/benchtool
for bin in "$SERVER" "$BENCHTOOL"; do
  [ -x "$bin" ] || { echo "missing binary $bin (drop --skip-build?)" >&2; exit 1; }
done

wait_ready() {
  for _ in $(seq 1 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/api/heartbeat")" = 204 ] && return 0
    sleep 0.025
  done
  echo "nothing ready on port $1" >&2; exit 1
}
# start_instance PORT ARGS...: our server, multi-user; its PID in $pid (a child of
# this shell, so `stop` can wait for it). Every learner comes from 127.0.0.1 (through
# the proxy too), so the per-client creation limit is off.
start_instance() {
  local port=$1; shift
  "$SERVER" --multi-user --bind 127.0.0.1 --port "$port" --creation-limit 0 --log-format json "$@" \
    >>"$WORK/server-$port.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
}
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }
new_challenger() {
  curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$1/api/challenger" |
    awk 'tolower($1) == "x-challenger:" {print $2}' | tr -d '\r'
}
commands() { redis-cli -p "$REDIS_PORT" info stats | sed -n 's/^total_commands_processed:\([0-9]*\).*/\1/p'; }
run_wrk() { # run_wrk LOG ARGS... -> STATS line
  local log=$WORK/wrk-$1.log; shift
  wrk "$@" >"$log" 2>&1 || true
  grep '^STATS' "$log" | tail -1
}

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!; PIDS+=("$REDIS_PID")
for _ in $(seq 1 200); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.02; done
REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

mkdir -p "$(dirname "$OUT")"
: >"$OUT"
say "# apichallenges scale-out benchmark ($MODE)"
say ""
say "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
say "- machine: $(nproc) CPUs, $(redis-server --version | cut -d' ' -f1-3), $(haproxy -v | head -1 | cut -d' ' -f1-3), load average $(cut -d' ' -f1-3 /proc/loadavg)"
say ""

# ---- r1) one instance: embedded vs Redis -------------------------------------------
say "## r1) GET /api/todos, one instance: embedded storage vs Redis"
say ""
say "Command per measurement: \`wrk -t1 -c$CONNS -d${R1_SECS}s -H 'X-CHALLENGER: <guid>' -s bench/lua/stats.lua http://127.0.0.1:$PORT/api/todos\`; the instance runs with \`--data-dir <tmp>\` (embedded SQLite) or \`--redis $REDIS_URL\`, alternating, $R1_ROUNDS rounds; one Redis command per request validates the copy."
say ""
say "| round | embedded req/s | Redis req/s | ratio | embedded p99 ms | Redis p99 ms |"
say "|---|---|---|---|---|---|"
RATIOS=()
for round in $(seq 1 "$R1_ROUNDS"); do
  declare -A RPS P99
  for kind in embedded redis; do
    if [ "$kind" = embedded ]; then
      start_instance "$PORT" --data-dir "$WORK/data-$round"
    else
      start_instance "$PORT" --redis "$REDIS_URL" --redis-prefix "bench-r1:"
    fi
    wait_ready "$PORT"
    guid=$(new_challenger "$PORT")
    curl -s -o /dev/null -H "X-CHALLENGER: $guid" "http://127.0.0.1:$PORT/api/todos"
    stats=$(run_wrk "r1-$kind-$round" -t1 -c$CONNS -d"${R1_SECS}s" -H "X-CHALLENGER: $guid" \
      -s "$BENCH/lua/stats.lua" "http://127.0.0.1:$PORT/api/todos")
    RPS[$kind]=$(field rps "$stats"); P99[$kind]=$(calc '%.2f' "$(field p99_us "$stats")/1000")
    [ "$(field non2xx "$stats")" = 0 ] || fail "r1 $kind: non-2xx answers"
    stop "$pid"
  done
  ratio=$(calc '%.2f' "${RPS[redis]}/${RPS[embedded]}")
  RATIOS+=("$ratio")
  say "| $round | ${RPS[embedded]} | ${RPS[redis]} | $ratio | ${P99[embedded]} | ${P99[redis]} |"
done
say ""
say "- **median ratio Redis ÷ embedded: $(printf '%s\n' "${RATIOS[@]}" | median)** (goal >= 0.6)"
say ""

# ---- r2) commands per request ------------------------------------------------------
say "## r2) Redis commands per request"
say ""
start_instance "$PORT" --redis "$REDIS_URL" --redis-prefix "bench-r2:"
wait_ready "$PORT"
guid=$(new_challenger "$PORT")
curl -s -o /dev/null -H "X-CHALLENGER: $guid" "http://127.0.0.1:$PORT/api/todos"
before=$(commands)
stats=$(run_wrk r2-reads -t1 -c4 -d"${R1_SECS}s" -H "X-CHALLENGER: $guid" -s "$BENCH/lua/stats.lua" \
  "http://127.0.0.1:$PORT/api/todos")
after=$(commands)
reads=$(field requests "$stats")
# Changing requests: amend todo 1, each one preceded by nothing else.
before_w=$(commands)
for i in $(seq 1 "$R2_WRITES"); do
  curl -s -o /dev/null -X POST -H "X-CHALLENGER: $guid" -H 'Content-Type: application/json' \
    -d "{\"title\":\"t$i\"}" "http://127.0.0.1:$PORT/api/todos/1"
done
after_w=$(commands)
say "Read-only: \`wrk -t1 -c4 -d${R1_SECS}s\` GET /api/todos for one learner ($reads requests); changing: $R2_WRITES sequential \`POST /api/todos/1\` (amend) with curl. Commands = \`total_commands_processed\` delta from \`redis-cli info stats\` (one INFO subtracted; commands run inside the Lua script count too)."
say ""
say "| request | requests | Redis commands | per request |"
say "|---|---|---|---|"
say "| read-only GET /api/todos | $reads | $((after - before - 1)) | $(calc '%.2f' "($after-$before-1)/$reads") |"
say "| changing POST /api/todos/1 | $R2_WRITES | $((after_w - before_w - 1)) | $(calc '%.2f' "($after_w-$before_w-1)/$R2_WRITES") |"
say ""
stop "$pid"

# ---- r3) mixed workload, three instances behind HAProxy ---------------------------
say "## r3) Mixed workload over three instances and one Redis"
say ""
INSTANCE_PIDS=()
for i in 0 1 2; do
  start_instance $((PORT + i)) --redis "$REDIS_URL" --redis-prefix "bench-r3:"
  INSTANCE_PIDS+=("$pid")
done
for i in 0 1 2; do wait_ready $((PORT + i)); done
cat >"$WORK/haproxy.cfg" <<EOF
global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend apichallenges
  bind 127.0.0.1:$PROXY_PORT
  default_backend instances
backend instances
  balance roundrobin
  server a 127.0.0.1:$PORT
  server b 127.0.0.1:$((PORT + 1))
  server c 127.0.0.1:$((PORT + 2))
EOF
haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
PIDS+=("$!")
wait_ready "$PROXY_PORT"
"$BENCHTOOL" create --port "$PROXY_PORT" --count "$R3_CHALLENGERS" --out "$WORK/guids.txt" >/dev/null
stats=$(run_wrk r3 -t1 -c$CONNS -d"${R3_SECS}s" -s "$BENCH/lua/mixed.lua" \
  "http://127.0.0.1:$PROXY_PORT" -- "$WORK/guids.txt")
mix=$(grep '^MIX' "$WORK/wrk-r3.log" | tail -1 | cut -d' ' -f2-)
served=""
for i in 0 1 2; do
  served="$served $(curl -s "http://127.0.0.1:$((PORT + i))/metrics" | awk '/^apichallenges_requests_total/ {s += $2} END {print s + 0}')"
done
say "Command: three instances \`--multi-user --redis $REDIS_URL\` behind HAProxy (\`balance roundrobin\`, no affinity; config in this script); \`benchtool create --count $R3_CHALLENGERS\` through the proxy, then \`wrk -t1 -c$CONNS -d${R3_SECS}s -s bench/lua/mixed.lua http://127.0.0.1:$PROXY_PORT -- guids.txt\` (the workload of bench/run.sh part b)."
say ""
say "- **$(field rps "$stats") req/s, p50 $(calc '%.2f' "$(field p50_us "$stats")/1000") ms, p99 $(calc '%.2f' "$(field p99_us "$stats")/1000") ms** (max $(calc '%.2f' "$(field max_us "$stats")/1000") ms), $(field requests "$stats") requests"
say "- status mix: $mix"
say "- requests served per instance (from /metrics):$served"
say "- 5xx: $(field five_xx "$stats"), socket errors: $(field socket_errors "$stats") (must both be 0)"
[ "$(field five_xx "$stats")" = 0 ] && [ "$(field socket_errors "$stats")" = 0 ] || fail "r3: 5xx or socket errors"
say ""
[ "$FAILURES" = 0 ] || { echo "$FAILURES failure(s)" >&2; exit 1; }
