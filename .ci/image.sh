#!/usr/bin/env bash
# The static image: build the musl binary, build the Containerfile's final stage from
# it with podman (no image is pulled), run it, check /api/heartbeat, and stop it with
# SIGTERM within a second. Prints the binary and image sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh

step "toolchain and container tools"
rustup target add x86_64-unknown-linux-musl >/dev/null
apt_install musl-tools podman buildah runc curl

step "static binary"
cargo build --release --locked --target x86_64-unknown-linux-musl
binary=target/x86_64-unknown-linux-musl/release/apichallenges
# A static binary has no program interpreter (dynamic loader) segment.
if readelf -l "$binary" | grep -q INTERP; then echo "not a static binary"; exit 1; fi

# Podman on this kind of machine: vfs storage in a temp dir, runc, modest ulimits.
work="$(mktemp -d)"
cat > "$work/storage.conf" <<CONF
[storage]
driver = "vfs"
graphroot = "$work/graph"
runroot = "$work/run"
CONF
cat > "$work/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export CONTAINERS_STORAGE_CONF="$work/storage.conf" CONTAINERS_CONF="$work/containers.conf"
name="apichallenges-ci-$$"
cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  podman rmi -f apichallenges:ci >/dev/null 2>&1 || true
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

step "image (Containerfile, target prebuilt)"
podman build --isolation chroot --target prebuilt -t apichallenges:ci -f Containerfile . >/dev/null

port="$(free_port)"
podman run -d --name "$name" -p "127.0.0.1:$port:4567" apichallenges:ci >/dev/null
wait_for_heartbeat "http://127.0.0.1:$port"
echo "heartbeat: 204 from the container"
mode="$(curl -s -D - -o /dev/null "http://127.0.0.1:$port/api/challenges" | grep -i '^x-challenger' | tr -d '\r')"
echo "unregistered request in the container: $mode (multi-user by default)"
[ "$mode" = "x-challenger: UNKNOWN CHALLENGER - Challenger not found" ] || { echo "expected multi-user mode"; exit 1; }
user="$(podman inspect --format '{{.Config.User}}' "$name")"
[ "$user" = "10001:10001" ] || { echo "expected to run as 10001:10001, got $user"; exit 1; }

# Time from SIGTERM to the container's exit (podman's own clean-up after that, which
# `podman stop` also waits for, is reported separately).
started=$(date +%s%N)
podman kill --signal TERM "$name" >/dev/null
code="$(podman wait "$name")"
stopped=$(date +%s%N)
ms=$(( (stopped - started) / 1000000 ))
echo "SIGTERM to exit: ${ms} ms, exit code $code"
[ "$code" = "0" ] || { echo "the server should exit 0 on SIGTERM"; exit 1; }
[ "$ms" -lt 1000 ] || { echo "stopping took ${ms} ms (target < 1000)"; exit 1; }
podman start "$name" >/dev/null
wait_for_heartbeat "http://127.0.0.1:$port"
started=$(date +%s%N)
podman stop -t 10 "$name" >/dev/null
echo "podman stop (incl. podman's clean-up): $(( ($(date +%s%N) - started) / 1000000 )) ms"

binary_bytes=$(stat -c %s "$binary")
image_bytes=$(podman image inspect --format '{{.Size}}' apichallenges:ci)
echo "sizes: binary ${binary_bytes} bytes, image ${image_bytes} bytes"
