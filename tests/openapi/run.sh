#!/usr/bin/env bash
# Check the served OpenAPI documents against a running server (this script starts
# nothing):
#   1. every document flavour is valid OpenAPI (openapi-spec-validator) and served with
#      the right headers;
#   2. the deliberate heartbeat errors are still there (PATCH 500, TRACE 501), which is
#      why those two operations are left out of the fuzzing below;
#   3. schemathesis fuzzes the API from the documents and fails on server errors and on
#      any response the documents do not describe (status, content type, headers, body
#      schema). Runs: anonymous on openapi.json (3.1); with credentials (and, in
#      multi-user mode, a real X-CHALLENGER) on openapi-3.2.json, which has QUERY; and a
#      short run on the permissive variant (405 routes listed).
#
# Usage: BASE_URL=http://127.0.0.1:4567 tests/openapi/run.sh
# Env:   BASE_URL      the server (required)
#        OPENAPI_VENV  virtualenv with requirements.txt installed; created on first use
#                      (default: tests/openapi/.venv)
#        MAX_EXAMPLES  schemathesis examples per operation (default 25)
#        SEED          schemathesis seed (default: random)
#        REPORT_DIR    JUnit reports (default: tests/openapi/artifacts)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASE_URL="${BASE_URL:?set BASE_URL to the running server, e.g. http://127.0.0.1:4567}"
BASE_URL="${BASE_URL%/}"
OPENAPI_VENV="${OPENAPI_VENV:-$here/.venv}"
MAX_EXAMPLES="${MAX_EXAMPLES:-25}"
REPORT_DIR="${REPORT_DIR:-$here/artifacts}"

fail() { echo "openapi checks FAILED: $*" >&2; exit 1; }
step() { echo "== $*"; }

if [ ! -x "$OPENAPI_VENV/bin/schemathesis" ]; then
  step "creating $OPENAPI_VENV"
  python3 -m venv "$OPENAPI_VENV"
  "$OPENAPI_VENV/bin/pip" install --quiet -r "$here/requirements.txt"
fi
export PATH="$OPENAPI_VENV/bin:$PATH"
mkdir -p "$REPORT_DIR"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# header NAME FILE: the value of a response header in a curl -D dump.
header() { grep -i "^$1:" "$2" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

step "1. documents are valid OpenAPI"
for doc in openapi.json openapi-3.0.json openapi-3.1.json openapi-3.2.json; do
  for variant in "" "?permissive"; do
    curl -fsS -D "$work/headers" "$BASE_URL/api/docs/$doc$variant" -o "$work/doc.json" \
      || fail "GET /api/docs/$doc$variant"
    [ "$(header content-type "$work/headers")" = "application/json" ] \
      || fail "/api/docs/$doc$variant is not served as application/json"
    openapi-spec-validator "$work/doc.json" >/dev/null \
      || fail "/api/docs/$doc$variant is not valid OpenAPI: $(openapi-spec-validator "$work/doc.json" 2>&1 | tail -3)"
    echo "   /api/docs/$doc$variant: valid"
  done
done
curl -fsS -D "$work/headers" "$BASE_URL/api/docs/openapi.json?permissive&download" -o /dev/null
[ "$(header content-disposition "$work/headers")" = 'attachment; filename="permissive-openapi.json"' ] \
  || fail "?permissive&download file name"
curl -fsS -D "$work/headers" "$BASE_URL/api/docs/swagger" -o "$work/swagger.json"
[ "$(header content-type "$work/headers")" = "application/octet-stream" ] || fail "swagger content type"
[ "$(header content-disposition "$work/headers")" = 'attachment; filename="swagger.json"' ] \
  || fail "swagger file name"
openapi-spec-validator "$work/swagger.json" >/dev/null || fail "swagger.json is not valid OpenAPI"
echo "   /api/docs/swagger: valid"

step "2. deliberate heartbeat errors"
status() { curl -s -o /dev/null -w '%{http_code}' -X "$1" "$BASE_URL$2"; }
[ "$(status PATCH /api/heartbeat)" = "500" ] || fail "PATCH /api/heartbeat should be 500"
[ "$(status TRACE /api/heartbeat)" = "501" ] || fail "TRACE /api/heartbeat should be 501"
echo "   PATCH 500, TRACE 501"

step "3. schemathesis"
checks="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance"
common=(
  --url "$BASE_URL"
  --checks "$checks"
  --exclude-operation-id patchHeartbeat
  --exclude-operation-id traceHeartbeat
  --workers 2
  --report junit
)
[ -n "${SEED:-}" ] && common+=(--seed "$SEED")
export SCHEMATHESIS_HOOKS="$here/hooks.py"

# In multi-user mode a fresh challenger lets the writes succeed.
credentials=(--auth admin:password)
created="$(curl -fsS -D - -o /dev/null -X POST "$BASE_URL/api/challenger" | header x-challenger /dev/stdin || true)"
if [[ "$created" =~ ^[0-9a-f]{8}-[0-9a-f]{4}- ]]; then
  echo "   multi-user server: writes as challenger $created"
  credentials+=(-H "X-CHALLENGER: $created")
fi

run() {
  local name="$1" doc="$2"
  shift 2
  echo "   -- $name: $doc"
  schemathesis run "$BASE_URL/api/docs/$doc" "${common[@]}" \
    --report-junit-path "$REPORT_DIR/$name.xml" "$@" \
    || fail "schemathesis $name ($doc); see the output above"
}
run anonymous openapi.json --max-examples "$MAX_EXAMPLES"
run authenticated openapi-3.2.json --max-examples "$MAX_EXAMPLES" "${credentials[@]}"
run permissive "openapi.json?permissive" --max-examples 10

echo "openapi checks passed"
