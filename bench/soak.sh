#!/usr/bin/env bash
# Soak test: a release server in multi-user mode, SOAK_CHALLENGERS learners, and a random
# mix of todo-API requests from wrk for SOAK_SECONDS. Samples the server's VmRSS every
# SOAK_SAMPLE seconds into a CSV and reports status counts and non-deliberate 5xx.
#
# Usage: bench/soak.sh            (defaults: 600 s, 10000 challengers, 2 threads, 64 conns)
# Env:   SOAK_SECONDS SOAK_CHALLENGERS SOAK_THREADS SOAK_CONNECTIONS SOAK_SAMPLE SOAK_OUT
#        SOAK_BIN (skip the build and use this binary)
# Loopback only. Needs: cargo, curl, wrk.
set -euo pipefail

seconds=${SOAK_SECONDS:-600}
challengers=${SOAK_CHALLENGERS:-10000}
threads=${SOAK_THREADS:-2}
connections=${SOAK_CONNECTIONS:-64}
sample=${SOAK_SAMPLE:-10}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${SOAK_OUT:-$(mktemp -d /tmp/soak.XXXXXX)}
mkdir -p "$out"

command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)" >&2; exit 1; }

if [[ -n ${SOAK_BIN:-} ]]; then
  bin=$SOAK_BIN
else
  (cd "$root" && cargo build --release --quiet)
  bin=${CARGO_TARGET_DIR:-$root/target}/release/apichallenges
fi

# A free loopback port, chosen by the kernel.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
base="http://127.0.0.1:$port"

"$bin" --multi-user --no-storage --creation-limit 0 --port "$port" --bind 127.0.0.1 >"$out/server.log" 2>&1 &
server=$!
sampler=""
cleanup() {
  [[ -n $sampler ]] && kill "$sampler" 2>/dev/null || true
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 100); do
  curl -sf -o /dev/null "$base/api/heartbeat" && break
  sleep 0.1
done

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$server/status"; }
echo "phase,elapsed_s,vmrss_kib" >"$out/rss.csv"
echo "idle,0,$(rss_kib)" >>"$out/rss.csv"

# Create the challengers: one curl per 500, reusing its connection; the GUID comes back
# in the X-CHALLENGER response header.
guids="$out/challengers.txt"
: >"$guids"
start_create=$(date +%s.%N)
batch=500
for ((made = 0; made < challengers; made += batch)); do
  n=$(( challengers - made < batch ? challengers - made : batch ))
  cfg="$out/curl.cfg"
  : >"$cfg"
  for ((i = 0; i < n; i++)); do
    printf 'url = "%s/api/challenger"\noutput = "/dev/null"\n' "$base" >>"$cfg"
  done
  curl -s -X POST -K "$cfg" -w '%header{x-challenger}\n' >>"$guids"
done
created=$(grep -cE '^[0-9a-f-]{36}$' "$guids" || true)
create_s=$(awk -v a="$start_create" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
echo "created $created/$challengers challengers in ${create_s}s"
echo "created,0,$(rss_kib)" >>"$out/rss.csv"

# Sample RSS while wrk runs.
(
  t=0
  while sleep "$sample"; do
    t=$((t + sample))
    [[ -r /proc/$server/status ]] || break
    echo "load,$t,$(rss_kib)" >>"$out/rss.csv"
  done
) &
sampler=$!

SOAK_CHALLENGERS="$guids" wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s \
  -s "$here/soak.lua" "$base" | tee "$out/wrk.txt"

kill "$sampler" 2>/dev/null || true
sampler=""
echo "after,$seconds,$(rss_kib)" >>"$out/rss.csv"

server_alive=yes
kill -0 "$server" 2>/dev/null || server_alive=no
panics=$(grep -ci 'panick' "$out/server.log" || true)
awk -F, 'NR > 1 {
  if (NR == 2) first = $3
  if ($3 > peak) peak = $3
  last = $3
  if ($1 == "created") created = $3
} END {
  printf "rss_kib idle=%d after_create=%d peak=%d end=%d\n", first, created, peak, last
}' "$out/rss.csv"
echo "server_alive=$server_alive panics_in_log=$panics output=$out"
