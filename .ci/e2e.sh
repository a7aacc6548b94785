#!/usr/bin/env bash
# End-to-end checks against a running server: the real-browser GUI test (Debian's
# chromium driven by playwright-core) and the OpenAPI document checks (validator +
# schemathesis). Expects target/debug/apichallenges (built by `cargo test`).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh

step "install chromium"
apt_install chromium curl

port="$(free_port)"
base="http://127.0.0.1:$port"
target/debug/apichallenges --multi-user --no-storage --bind 127.0.0.1 --port "$port" \
  > target/e2e-server.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
wait_for_heartbeat "$base"

step "browser test (screenshots: tests/browser/artifacts/challenges-*.png)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
BASE_URL="$base" ARTIFACTS="$PWD/tests/browser/artifacts" \
  node tests/browser/challenges.test.mjs

step "OpenAPI documents: validator and schemathesis"
BASE_URL="$base" tests/openapi/run.sh
