#!/usr/bin/env bash
# Benchmarks for apichallenges (see BENCHMARKS.md for the method and the figures).
#
#   bench/run.sh            full run, ~6 minutes; writes bench/results/latest.md
#   bench/run.sh --smoke    every part for ~1-2 s with tiny counts (CI); writes
#                           bench/results/smoke.md
#   options: --parts abcde  run only some parts     --skip-build  use existing binaries
#
# Everything runs on 127.0.0.1. Servers started here are stopped here, by PID.
# Parts: a) GET /api/todos vs a bare hyper baseline  b) mixed workload, 1,000 challengers
#        c) RSS per idle challenger  d) p99 during an eviction sweep  e) exec -> first 204
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
MODE=full
PARTS=abcde
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) MODE=smoke ;;
    --parts) PARTS=$2; shift ;;
    --skip-build) BUILD=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

# ---- sizes -------------------------------------------------------------------------
PORT=${BENCH_PORT:-47611}        # our server; baseline on PORT+1, start-up test on PORT+2
BASE_PORT=$((PORT + 1))
START_PORT=$((PORT + 2))
CONNS=50
if [ "$MODE" = full ]; then
  A_ROUNDS=4; A_SECS=10; A_THREADS="1 2"
  B_CHALLENGERS=1000; B_SECS=10
  C_FIRST=100000; C_TOTAL=1000000
  D_IDLE=100000; D_TIMEOUT=5; D_CREATE_AT=5.3; D_SWEEP_AT=15; D_WINDOWS_EACH_SIDE=3; D_CONTROL=1; D_VARIANTS="2cpu 1cpu"
  E_RUNS=20
  OUT=$BENCH/results/latest.md
else
  A_ROUNDS=1; A_SECS=1; A_THREADS="1"
  B_CHALLENGERS=50; B_SECS=1
  C_FIRST=1000; C_TOTAL=10000
  D_IDLE=2000; D_TIMEOUT=1; D_CREATE_AT=0.3; D_SWEEP_AT=5; D_WINDOWS_EACH_SIDE=0; D_CONTROL=0; D_VARIANTS="2cpu"
  E_RUNS=3
  OUT=$BENCH/results/smoke.md
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/apichallenges-bench.XXXXXX")
PIDS=()
FAILURES=0
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  return 0
}
trap cleanup EXIT

say() { echo "$*" | tee -a "$OUT"; }
fail() { echo "FAIL: $*" | tee -a "$OUT" >&2; FAILURES=$((FAILURES + 1)); }
now_ms() { date +%s%3N; }
# Value of NAME=... in a "STATS ..." line.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
calc() { awk "BEGIN {printf \"$1\", $2}"; }
# Percentage of CPU time not idle over one second (other load on the machine).
cpu_busy() {
  local a b
  a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
  awk -v a="${a[*]}" -v b="${b[*]}" 'BEGIN {
    n=split(a,x," "); split(b,y," "); t=0; for (i=2;i<=n;i++) t+=y[i]-x[i];
    idle=(y[5]-x[5])+(y[6]-x[6]); printf "%.0f", t ? 100*(t-idle)/t : 0 }'
}
sleep_until_ms() {
  local wait_ms=$(( $1 - $(now_ms) ))
  if [ "$wait_ms" -gt 0 ]; then sleep "$(calc '%.3f' "$wait_ms/1000")"; fi
}
port_free() { ! curl -s -o /dev/null --max-time 0.5 "http://127.0.0.1:$1/" 2>/dev/null; }

# ---- tools and binaries -----------------------------------------------------------
if ! command -v wrk >/dev/null; then
  echo "wrk not found; installing with apt-get" >&2
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
target_dir() { cargo metadata --format-version 1 --no-deps --manifest-path "$1" | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'; }
if [ "$BUILD" = 1 ]; then
  echo "building release binaries..." >&2
  cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin apichallenges
  cargo build --release --quiet --manifest-path "$BENCH/baseline/Cargo.toml"
fi
SERVER=$(target_dir "$ROOT/Cargo.toml")/release/apichallenges
TOOLS=$(target_dir "$BENCH/baseline/Cargo.toml")/release
BASELINE=$TOOLS/baseline
BENCHTOOL=$TOOLS/benchtool
for bin in "$SERVER" "$BASELINE" "$BENCHTOOL"; do
  [ -x "$bin" ] || { echo "missing binary $bin (drop --skip-build?)" >&2; exit 1; }
done
for p in "$PORT" "$BASE_PORT" "$START_PORT"; do
  port_free "$p" || { echo "port $p is in use; set BENCH_PORT" >&2; exit 1; }
done

# ---- servers ----------------------------------------------------------------------
SERVER_PID=
SERVER_LOG=
# start_server NAME ARGS...: our server on PORT, multi-user, JSON logs; waits for a 204.
# Every challenger here comes from 127.0.0.1, so the per-client creation limit is off.
start_server() {
  local name=$1; shift
  SERVER_LOG=$WORK/server-$name.log
  ${SERVER_PREFIX:-} "$SERVER" --multi-user --no-storage --bind 127.0.0.1 --port "$PORT" \
    --creation-limit 0 --log-format json "$@" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_ready "$PORT"
}
stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}
wait_ready() {
  for _ in $(seq 1 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/api/heartbeat")" = 204 ] && return 0
    sleep 0.025
  done
  echo "server on port $1 did not become ready" >&2; exit 1
}
new_challenger() {
  curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$PORT/api/challenger" |
    awk 'tolower($1) == "x-challenger:" {print $2}' | tr -d '\r'
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
metric() {
  curl -s "http://127.0.0.1:$PORT/metrics" 2>/dev/null | awk -v m="$1" '$1 == m {print $2}'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# run_wrk LOGNAME ARGS...: run wrk with the STATS reporter, print the STATS line. With
# WRK_PID set, also the CPU time that process spent per request (cpu_us=).
run_wrk() {
  local log=$WORK/wrk-$1.log; shift
  local before=0 after=0 line
  echo "wrk $*" >"$log"
  [ -n "${WRK_PID:-}" ] && before=$(cpu_ticks "$WRK_PID")
  ${WRK_PREFIX:-} wrk "$@" >>"$log" 2>&1 || true
  [ -n "${WRK_PID:-}" ] && after=$(cpu_ticks "$WRK_PID")
  line=$(grep '^STATS' "$log" | tail -1)
  if [ -n "${WRK_PID:-}" ]; then
    line="$line cpu_us=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$(field requests "$line")" 'BEGIN {printf "%.1f", n ? t / hz * 1e6 / n : 0}')"
  fi
  echo "$line"
}

# ---- report header ----------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
: >"$OUT"
say "# apichallenges benchmark results ($MODE)"
say ""
say "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
say "- commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src Cargo.toml 2>/dev/null || echo ' (src differs from commit)')"
say "- machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, Linux $(uname -r)"
say "- tools: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $(rustc --version 2>/dev/null || echo rustc?)"
say "- other load: load average $(cut -d' ' -f1-3 /proc/loadavg); CPU busy before start: $(cpu_busy)%"
say ""
RUN_STARTED=$(now_ms)

# ---- a) GET /api/todos vs baseline ------------------------------------------------
# Ours and the bare baseline alternate (A B A B); with -t1 a third server, the baseline
# in `server-config` mode (our connection handling, canned answer), joins the rotation
# to split the gap into connection handling and request handling.
a_measure() { # a_measure NAME PID PORT THREADS ROUND GUID -> STATS line
  WRK_PID=$2 run_wrk "a-$1-t$4-r$5" -t"$4" -c$CONNS -d"${A_SECS}s" -H "X-CHALLENGER: $6" \
    -s "$BENCH/lua/stats.lua" "http://127.0.0.1:$3/api/todos"
}
ms() { calc '%.2f' "$(field "$1" "$2")/1000"; }
part_a() {
  heading "## a) GET /api/todos vs bare hyper baseline"
  start_server a
  local guid; guid=$(new_challenger)
  "$BASELINE" "$BASE_PORT" bare 2>/dev/null &
  local base_pid=$!; PIDS+=("$base_pid")
  "$BASELINE" "$START_PORT" server-config 2>/dev/null &
  local conf_pid=$!; PIDS+=("$conf_pid")
  wait_for_port "$BASE_PORT"; wait_for_port "$START_PORT"
  # Fairness check: the baseline sends what our server sends (date and GUID aside).
  curl -si -H "X-CHALLENGER: $guid" "http://127.0.0.1:$PORT/api/todos" | grep -vi '^date:' |
    sed "s/$guid/GUID/" >"$WORK/ours.http"
  curl -si "http://127.0.0.1:$BASE_PORT/api/todos" | grep -vi '^date:' |
    sed 's/77fbdf93-a04f-4d58-a960-6619267399d2/GUID/' >"$WORK/base.http"
  if cmp -s "$WORK/ours.http" "$WORK/base.http"; then
    say "Baseline response is byte-identical to ours apart from \`date\` and the GUID value ($(wc -c <"$WORK/ours.http") bytes with headers)."
  else
    fail "baseline response differs from the server's: $(diff "$WORK/ours.http" "$WORK/base.http" | head -5 | tr '\n' ' ')"
  fi
  say ""
  say "Command per measurement: \`wrk -t{T} -c$CONNS -d${A_SECS}s -H 'X-CHALLENGER: <guid>' -s bench/lua/stats.lua http://127.0.0.1:{port}/api/todos\`, alternating ours / baseline (/ baseline server-config with -t1), $A_ROUNDS rounds. CPU µs/req = server process utime+stime during the run / requests."
  say ""
  say "| wrk threads | round | ours req/s | baseline req/s | ratio | ours p99 ms | baseline p99 ms | ours CPU µs/req | baseline CPU µs/req | server-config req/s | server-config CPU µs/req |"
  say "|---|---|---|---|---|---|---|---|---|---|---|"
  local t r ours base conf ratio
  for t in $A_THREADS; do
    : >"$WORK/a-ours-$t"; : >"$WORK/a-base-$t"; : >"$WORK/a-ratio-$t"
    : >"$WORK/a-ourscpu-$t"; : >"$WORK/a-basecpu-$t"; : >"$WORK/a-conf-$t"; : >"$WORK/a-confcpu-$t"
    for r in $(seq 1 "$A_ROUNDS"); do
      ours=$(a_measure ours "$SERVER_PID" "$PORT" "$t" "$r" "$guid")
      base=$(a_measure base "$base_pid" "$BASE_PORT" "$t" "$r" "$guid")
      conf=
      if [ "$t" = 1 ]; then conf=$(a_measure conf "$conf_pid" "$START_PORT" "$t" "$r" "$guid"); fi
      [ "$(field non2xx "$ours")" = 0 ] && [ "$(field socket_errors "$ours")" = 0 ] ||
        fail "part a round $r: errors in our run: $ours"
      ratio=$(calc '%.3f' "$(field rps "$ours")/$(field rps "$base")")
      field rps "$ours" >>"$WORK/a-ours-$t"; field rps "$base" >>"$WORK/a-base-$t"
      field cpu_us "$ours" >>"$WORK/a-ourscpu-$t"; field cpu_us "$base" >>"$WORK/a-basecpu-$t"
      if [ -n "$conf" ]; then field rps "$conf" >>"$WORK/a-conf-$t"; field cpu_us "$conf" >>"$WORK/a-confcpu-$t"; fi
      echo "$ratio" >>"$WORK/a-ratio-$t"
      say "| $t | $r | $(field rps "$ours") | $(field rps "$base") | $ratio | $(ms p99_us "$ours") | $(ms p99_us "$base") | $(field cpu_us "$ours") | $(field cpu_us "$base") | ${conf:+$(field rps "$conf")} | ${conf:+$(field cpu_us "$conf")} |"
    done
  done
  say ""
  for t in $A_THREADS; do
    ratio=$(median <"$WORK/a-ratio-$t")
    say "- **-t$t: median ours $(median <"$WORK/a-ours-$t") req/s, baseline $(median <"$WORK/a-base-$t") req/s, median ratio $ratio** (target >= 0.75: $(awk -v r="$ratio" 'BEGIN {print (r >= 0.75) ? "met" : "NOT met"}')); median CPU per request: ours $(median <"$WORK/a-ourscpu-$t") µs, baseline $(median <"$WORK/a-basecpu-$t") µs$( [ -s "$WORK/a-conf-$t" ] && echo ", baseline server-config $(median <"$WORK/a-confcpu-$t") µs ($(median <"$WORK/a-conf-$t") req/s)")"
  done
  say ""
  kill "$base_pid" "$conf_pid" 2>/dev/null; wait "$base_pid" "$conf_pid" 2>/dev/null || true
  stop_server
}
wait_for_port() {
  for _ in $(seq 1 200); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.025
  done
  echo "nothing listening on port $1" >&2; exit 1
}

# ---- b) mixed workload ------------------------------------------------------------
part_b() {
  heading "## b) Mixed workload across $B_CHALLENGERS challengers"
  start_server b
  "$BENCHTOOL" create --port "$PORT" --count "$B_CHALLENGERS" --out "$WORK/guids.txt" >/dev/null
  local stats mix
  stats=$(WRK_PID=$SERVER_PID run_wrk b -t1 -c$CONNS -d"${B_SECS}s" -s "$BENCH/lua/mixed.lua" \
    "http://127.0.0.1:$PORT" -- "$WORK/guids.txt")
  mix=$(grep '^MIX' "$WORK/wrk-b.log" | tail -1 | cut -d' ' -f2-)
  say "Command: \`benchtool create --count $B_CHALLENGERS --out guids.txt\`, then \`wrk -t1 -c$CONNS -d${B_SECS}s -s bench/lua/mixed.lua http://127.0.0.1:$PORT -- guids.txt\`"
  say "(weights: 30 GET list, 15 GET one, 10 GET /api/challenges, 15 create, 10 PUT, 5 POST amend, 15 DELETE; random challenger per request)."
  say ""
  say "- **$(field rps "$stats") req/s, p50 $(calc '%.2f' "$(field p50_us "$stats")/1000") ms, p99 $(calc '%.2f' "$(field p99_us "$stats")/1000") ms** (p99.9 $(calc '%.2f' "$(field p999_us "$stats")/1000") ms, max $(calc '%.2f' "$(field max_us "$stats")/1000") ms), $(field requests "$stats") requests, server CPU $(field cpu_us "$stats") µs/request"
  say "- status mix: $mix"
  say "- 5xx: $(field five_xx "$stats"), socket errors: $(field socket_errors "$stats") (must both be 0)"
  [ "$(field five_xx "$stats")" = 0 ] && [ "$(field socket_errors "$stats")" = 0 ] || fail "part b: 5xx or socket errors"
  say ""
  stop_server
}

# ---- c) RSS per idle challenger ---------------------------------------------------
part_c() {
  heading "## c) Memory per idle challenger"
  start_server c --max-challengers $((C_TOTAL * 2)) --idle-timeout 86400
  sleep 0.5
  local rss0 rss1 rss2 out1 out2
  rss0=$(rss_kib "$SERVER_PID")
  out1=$("$BENCHTOOL" create --port "$PORT" --count "$C_FIRST" --conns 4 --depth 64)
  sleep 0.5
  rss1=$(rss_kib "$SERVER_PID")
  out2=$("$BENCHTOOL" create --port "$PORT" --count $((C_TOTAL - C_FIRST)) --conns 4 --depth 64)
  sleep 0.5
  rss2=$(rss_kib "$SERVER_PID")
  local in_memory; in_memory=$(metric apichallenges_challengers_in_memory)
  say "Command: server with \`--multi-user --no-storage --max-challengers $((C_TOTAL * 2)) --idle-timeout 86400\`; \`benchtool create --count N --conns 4 --depth 64\` (pipelined POST /api/challenger, every response checked for 201); VmRSS from /proc/PID/status."
  say ""
  say "| point | VmRSS KiB | bytes per challenger (vs empty) |"
  say "|---|---|---|"
  say "| empty server | $rss0 | |"
  say "| $C_FIRST challengers | $rss1 | $(calc '%.0f' "($rss1-$rss0)*1024/$C_FIRST") |"
  say "| $C_TOTAL challengers | $rss2 | $(calc '%.0f' "($rss2-$rss0)*1024/$C_TOTAL") |"
  say ""
  say "- marginal from $C_FIRST to $C_TOTAL: $(calc '%.0f' "($rss2-$rss1)*1024/($C_TOTAL-$C_FIRST)") bytes per challenger (target <= 1024)"
  say "- create rate: first batch $(sed 's/.*rate=//' <<<"$out1")/s, second $(sed 's/.*rate=//' <<<"$out2")/s; in memory per /metrics: ${in_memory:-n/a}"
  say ""
  stop_server
}

# ---- d) latency during an eviction sweep ------------------------------------------
# One case: exec the server at E; the sweep ticks at E+0, E+5, E+10...; create the idle
# challengers just after the E+5 tick (finished well before E+10), so with a 5 s timeout
# the E+15 tick evicts them all at once. Load from one active challenger runs in
# back-to-back 1 s wrk windows around E+15; the control case is the same schedule with
# a 600 s timeout, so its E+15 sweep scans the same registry but evicts nothing.
# Variant "2cpu": nothing pinned (tokio gets 2 workers). Variant "1cpu": the server is
# pinned to CPU 0 (tokio then starts 1 worker, as on a 1-vCPU VM) and wrk to CPU 1.
sweep_case() {
  local name=$1 timeout=$2 pin=$3
  local server_cpu="" load_cpu=""
  if [ "$pin" = 1 ]; then server_cpu="taskset -c 0"; load_cpu="taskset -c 1"; fi
  local exec_ms; exec_ms=$(now_ms)
  SERVER_PREFIX=$server_cpu start_server "d-$name" --idle-timeout "$timeout" --max-challengers $((D_IDLE * 2))
  sleep_until_ms $((exec_ms + $(calc '%.0f' "$D_CREATE_AT*1000")))
  local created; created=$($load_cpu "$BENCHTOOL" create --port "$PORT" --count "$D_IDLE" --conns 4 --depth 64)
  local created_ms; created_ms=$(now_ms)
  echo "$name: $created, finished at E+$(( created_ms - exec_ms )) ms" >>"$WORK/d-notes"
  local guid; guid=$(new_challenger)
  local sweep_ms=$((exec_ms + D_SWEEP_AT * 1000))
  local first=$((sweep_ms - 500 - D_WINDOWS_EACH_SIDE * 1000))
  local windows=$((2 * D_WINDOWS_EACH_SIDE + 1)) w start end stats
  sleep_until_ms "$first"
  : >"$WORK/d-$name.windows"
  for w in $(seq 1 "$windows"); do
    start=$(now_ms)
    stats=$(WRK_PREFIX=$load_cpu run_wrk "d-$name-$w" -t1 -c$CONNS -d1s -H "X-CHALLENGER: $guid" \
      -s "$BENCH/lua/stats.lua" "http://127.0.0.1:$PORT/api/todos")
    end=$(now_ms)
    echo "$w $((start - exec_ms)) $((end - exec_ms)) $stats" >>"$WORK/d-$name.windows"
  done
  sleep 0.2
  # Sweeps that evicted anything, from the JSON log: E-relative ms and count.
  : >"$WORK/d-$name.sweeps"
  { grep '"idle sweep"' "$SERVER_LOG" || true; } | while read -r line; do
    local ts evicted
    ts=$(sed -n 's/.*"timestamp":"\([^"]*\)".*/\1/p' <<<"$line")
    evicted=$(sed -n 's/.*"evicted":\([0-9]*\).*/\1/p' <<<"$line")
    echo "$(( $(date -d "$ts" +%s%3N) - exec_ms )) $evicted" >>"$WORK/d-$name.sweeps"
  done
  stop_server
}
# The window whose span holds E-relative time $2, in windows file $1.
window_at() { awk -v t="$2" '$2 <= t && t <= $3 {print $1}' "$1" | head -1; }
# d_report VARIANT LABEL: the table and figures of one variant.
d_report() {
  local v=$1 label=$2
  local sw=$WORK/d-sweep-$v.windows cw=$WORK/d-control-$v.windows
  say "### $label"
  say ""
  local sweeps; sweeps=$(awk '{printf "%s evicted at E+%s ms; ", $2, $1}' "$WORK/d-sweep-$v.sweeps")
  say "- sweeps logged (\"idle sweep\", logged when a sweep ends): ${sweeps:-none}"
  local big_at big_n
  read -r big_at big_n < <(sort -k2,2n "$WORK/d-sweep-$v.sweeps" | tail -1) || true
  [ "${big_n:-0}" = "$D_IDLE" ] || fail "part d ($v): expected one sweep evicting $D_IDLE, got: ${sweeps:-none}"
  say ""
  say "| window | E+ms (sweep case) | sweep p99 ms | sweep p99.9 ms | sweep max ms | sweep req/s | control p99 ms | control p99.9 ms | control max ms | control req/s |"
  say "|---|---|---|---|---|---|---|---|---|---|"
  local w s c start end rest
  while read -r w start end rest; do
    s=$rest; c=$(awk -v w="$w" '$1 == w {$1=$2=$3=""; print}' "$cw" 2>/dev/null || true)
    say "| $w | $start-$end | $(ms p99_us "$s") | $(ms p999_us "$s") | $(ms max_us "$s") | $(field rps "$s") | ${c:+$(ms p99_us "$c")} | ${c:+$(ms p999_us "$c")} | ${c:+$(ms max_us "$c")} | ${c:+$(field rps "$c")} |"
    [ "$(field non2xx "$s")" = 0 ] && [ "$(field socket_errors "$s")" = 0 ] || fail "part d window $w: errors $s"
  done <"$sw"
  say ""
  local hit; hit=$(window_at "$sw" "${big_at:-0}")
  if [ -z "$hit" ]; then
    say "- the sweep's log line (E+${big_at:-?} ms) fell between two windows; rerun for a clean figure"
  elif [ -s "$cw" ]; then
    local sp cp smax cmax others
    sp=$(field p99_us "$(awk -v w="$hit" '$1 == w' "$sw")")
    cp=$(field p99_us "$(awk -v w="$hit" '$1 == w' "$cw")")
    smax=$(field max_us "$(awk -v w="$hit" '$1 == w' "$sw")")
    cmax=$(field max_us "$(awk -v w="$hit" '$1 == w' "$cw")")
    others=$(awk -v w="$hit" '$1 != w' "$sw" | sed 's/.* p99_us=\([0-9]*\).*/\1/' | median)
    say "- **sweep window $hit: p99 $(calc '%.2f' "$sp/1000") ms vs control (same window; its sweep scans but evicts nothing) $(calc '%.2f' "$cp/1000") ms: ratio $(calc '%.2f' "$sp/$cp")** (target <= 2: $(awk -v r="$(calc '%.3f' "$sp/$cp")" 'BEGIN {print (r <= 2) ? "met" : "NOT met"}')); max $(calc '%.2f' "$smax/1000") ms vs $(calc '%.2f' "$cmax/1000") ms"
    say "- same run, windows without a sweep: median p99 $(calc '%.2f' "$others/1000") ms; ratio $(calc '%.2f' "$sp/$others")"
  else
    say "- sweep in window $hit (smoke: no control run)"
  fi
  say ""
}
part_d() {
  heading "## d) p99 latency during an idle-eviction sweep"
  : >"$WORK/d-notes"
  local v
  for v in $D_VARIANTS; do
    sweep_case "sweep-$v" "$D_TIMEOUT" "$([ "$v" = 1cpu ] && echo 1 || echo 0)"
    if [ "$D_CONTROL" = 1 ]; then
      sweep_case "control-$v" 600 "$([ "$v" = 1cpu ] && echo 1 || echo 0)"
    fi
  done
  say "Method: see BENCHMARKS.md. $D_IDLE idle challengers; load \`wrk -t1 -c$CONNS -d1s -H 'X-CHALLENGER: <active guid>' -s bench/lua/stats.lua http://127.0.0.1:$PORT/api/todos\` in back-to-back 1 s windows; sweep case \`--idle-timeout $D_TIMEOUT\`, control \`--idle-timeout 600\`."
  say ""
  sed 's/^/- /' "$WORK/d-notes" | tee -a "$OUT"
  say ""
  for v in $D_VARIANTS; do
    case $v in
      2cpu) d_report 2cpu "Unpinned (2 CPUs shared by server and wrk; tokio has 2 workers)" ;;
      1cpu) d_report 1cpu "Server pinned to CPU 0 (tokio has 1 worker, like a 1-vCPU VM), wrk on CPU 1" ;;
    esac
  done
}

# ---- e) start-up time --------------------------------------------------------------
part_e() {
  heading "## e) Exec to first 204 from /api/heartbeat"
  local out1 out2 sum
  out1=$("$BENCHTOOL" startup --port "$START_PORT" --runs "$E_RUNS" -- \
    "$SERVER" --multi-user --no-storage --bind 127.0.0.1 --port "$START_PORT")
  mkdir -p "$WORK/data"
  out2=$("$BENCHTOOL" startup --port "$START_PORT" --runs "$E_RUNS" -- \
    "$SERVER" --data-dir "$WORK/data" --bind 127.0.0.1 --port "$START_PORT")
  say "Command: \`benchtool startup --runs $E_RUNS -- <server> ARGS\` (exec, then GET /api/heartbeat on a fresh connection in a tight loop until 204)."
  say ""
  for sum in "multi-user --no-storage|$out1" "single-user, storage on (empty data dir)|$out2"; do
    local label=${sum%%|*} text=${sum#*|} line
    line=$(grep '^runs=' <<<"$text")
    say "- $label: **median $(field median_ms "$line") ms, max $(field max_ms "$line") ms** (min $(field min_ms "$line") ms, $E_RUNS runs; target <= 50 ms: $(awk -v m="$(field max_ms "$line")" -v d="$(field median_ms "$line")" 'BEGIN {print (d <= 50 && m <= 50) ? "met" : (d <= 50 ? "median met, max NOT met" : "NOT met")}'))"
  done
  say ""
}

# A part's heading, with how busy the CPUs were (other processes) just before it.
heading() {
  say "$1"
  say ""
  say "_CPU busy just before this part (other processes; ours were stopped): ${BUSY}%_"
  say ""
}
for part in a b c d e; do
  case "$PARTS" in *"$part"*)
    BUSY=$(cpu_busy)
    echo "== part $part (CPU busy before: $BUSY%)" >&2
    "part_$part" ;;
  esac
done

say "Total wall time: $(( ($(now_ms) - RUN_STARTED) / 1000 )) s (plus build). Raw wrk and server logs: $WORK"
if [ "$FAILURES" -gt 0 ]; then
  echo "$FAILURES failure(s); see $OUT" >&2
  exit 1
fi
