#!/usr/bin/env bash
# Makes a Docker engine answer on this machine and the offline base image exist.
# Idempotent and quick when everything is already there. Users who have Docker need none of this.
set -euo pipefail

BASE_IMAGE="${TESTPLAN_BASE_IMAGE:-testplan-base:bookworm}"
log() { printf '[docker-engine] %s\n' "$*" >&2; }

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing Debian's docker.io (dockerd is missing)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io debootstrap >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/dockerd.log)"
  # Detached, output to a file: a background process holding CI's stdout open keeps CI from finishing.
  setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 150); do
    docker info >/dev/null 2>&1 && break
    sleep 0.2
  done
  docker info >/dev/null 2>&1 || { log "dockerd did not answer within 30 s; see /var/log/dockerd.log"; tail -20 /var/log/dockerd.log >&2; exit 3; }
fi

if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  log "building offline base image $BASE_IMAGE with debootstrap (about a minute, once per machine)"
  root=$(mktemp -d /tmp/testplan-rootfs.XXXXXX)
  trap 'rm -rf "$root"' EXIT
  debootstrap --variant=minbase bookworm "$root" >/tmp/testplan-debootstrap.log 2>&1 \
    || { log "debootstrap failed; see /tmp/testplan-debootstrap.log"; exit 3; }
  tar -C "$root" -c . | docker import - "$BASE_IMAGE" >/dev/null
fi
# Warm the layer cache the real-engine tests build from (apt-get inside the build: once per machine).
FIXTURES="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/fixtures/docker"
if [ -f "$FIXTURES/Dockerfile" ]; then
  for target in redis postgres client; do
    if ! docker image inspect "testplan-fixture/$target" >/dev/null 2>&1; then
      log "building fixture image testplan-fixture/$target (apt-get, once per machine)"
      docker build -q --build-arg "BASE=$BASE_IMAGE" --target "$target" -t "testplan-fixture/$target" "$FIXTURES" >/dev/null 2>/tmp/testplan-fixture-build.log \
        || { log "fixture build failed; see /tmp/testplan-fixture-build.log"; tail -20 /tmp/testplan-fixture-build.log >&2; exit 3; }
    fi
  done
fi
log "engine ready: $(docker version --format '{{.Server.Version}}'), base image $BASE_IMAGE"
