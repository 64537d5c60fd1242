#!/usr/bin/env bash
# A throwaway OCI registry (the CNCF distribution registry 2.8, Debian's `docker-registry` package) for
# the phase cache's registry tests.
#   bash scripts/registry.sh install          installs the package when it is missing (idempotent)
#   bash scripts/registry.sh run DIR PORT     writes DIR/config.yml and runs the registry on 127.0.0.1:PORT
#                                             in the foreground, storing into DIR/data (stop it by its pid)
set -euo pipefail

install() {
  command -v docker-registry >/dev/null 2>&1 && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y --no-install-recommends docker-registry >/dev/null 2>&1 ||
    { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends docker-registry >/dev/null; }
  # The package starts a system-wide registry on :5000; the tests start their own.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now docker-registry >/dev/null 2>&1 || true
  fi
}

run() {
  local dir=$1 port=$2
  mkdir -p "$dir/data"
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
  exec docker-registry serve "$dir/config.yml"
}

case "${1:-}" in
  install) install ;;
  run) run "$2" "$3" ;;
  *) echo "usage: $0 install | run DIR PORT" >&2; exit 2 ;;
esac
