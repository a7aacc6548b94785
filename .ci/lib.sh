# Shared helpers for the CI scripts (sourced).

step() { echo; echo "== $*"; }

# apt_install PKG...: install Debian packages that are missing (apt-get update once).
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# free_port: an unused TCP port on loopback.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for_heartbeat URL: poll until the server answers 204 (at most ~10 s).
wait_for_heartbeat() {
  for _ in $(seq 1 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1/api/heartbeat" || true)" = "204" ] && return 0
    sleep 0.05
  done
  echo "server at $1 did not answer /api/heartbeat" >&2
  return 1
}
