#!/usr/bin/env bash
# A real multi-node Docker Swarm on this machine, for the Swarm driver's tests and CI.
#
#   bash scripts/swarm.sh up     # K (SWARM_NODES, default 3) dockerd daemons, a swarm, a registry
#   bash scripts/swarm.sh down   # removes everything `up` made (also after a crashed run)
#   bash scripts/swarm.sh env    # prints the variables below (when the swarm is up)
#
# Each node is its own dockerd in its own network namespace (tpsw-n<i>), joined by a veth pair
# to a bridge (tpswarm0, 10.252.0.1/24; node i is 10.252.0.1<i>) in a hub namespace of its own
# (tpsw-hub): bridged frames there meet that namespace's empty firewall, never the host's
# (whose FORWARD policy is DROP, and br_netfilter sends bridged frames through it).
# Each daemon has its own data/exec root, pid file, unix socket and default bridge name, so
# nothing clashes with the host's daemon (never --bridge=none: that deletes the host's docker0).
# Node 1 inits the swarm (overlay subnets from 10.253.0.0/16), the others join as workers.
# A CNCF distribution registry (Debian's docker-registry) serves on 10.252.0.1:5000 in the hub; the daemons
# list it as an insecure registry. Every node carries the label testplan.engine=<its socket>,
# which is how the Swarm driver reaches the engine that ran a task (copy-out, exec probes).
# The base images (SWARM_IMAGES) are loaded into the manager and pushed to the registry.
#
# Prints (and writes to $STATE/env) DOCKER_HOST=<manager socket> and TESTPLAN_SWARM_REGISTRY.
# All traffic stays on the bridge, the namespaces and unix sockets.
set -euo pipefail

K="${SWARM_NODES:-3}"
STATE="${SWARM_STATE:-/var/lib/testplan-swarm}"
BRIDGE=tpswarm0
HUB=tpsw-hub
NET=10.252.0
REGISTRY="$NET.1:5000"
POOL=10.253.0.0/16
IMAGES="${SWARM_IMAGES:-testplan-base:bookworm testplan-node:20}"
log() { printf '[swarm] %s\n' "$*" >&2; }

ns() { echo "tpsw-n$1"; }
sock() { echo "unix://$STATE/n$1/docker.sock"; }
node_docker() { local i=$1; shift; docker -H "$(sock "$i")" "$@"; }

kill_pidfile() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file" 2>/dev/null || true)
  # Only a process whose command line names our state folder: never a reused pid.
  if [ -n "$pid" ] && grep -qa "$STATE" "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  for dir in "$STATE"/n*; do
    [ -d "$dir" ] || continue
    kill_pidfile "$dir/dockerd.pid"
    kill_pidfile "$dir/exec/containerd/containerd.pid"
  done
  kill_pidfile "$STATE/registry.pid"
  # Container processes whose shims outlived their daemon (a crashed run).
  for pid in $(pgrep -f "containerd-shim.*$STATE" 2>/dev/null || true); do kill -9 "$pid" 2>/dev/null || true; done
  # Deleting the namespaces deletes the bridge and veths in them.
  for netns in $(ip netns list 2>/dev/null | awk '/^tpsw-(n[0-9]+|hub)( |$)/ {print $1}'); do ip netns delete "$netns" 2>/dev/null || true; done
  if [ -d "$STATE" ]; then
    # Leftover mounts of the daemons' layers (they live in the daemons' mount namespaces, normally).
    { grep -o " $STATE[^ ]*" /proc/mounts 2>/dev/null || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$STATE"
  fi
  log "down: namespaces, bridge, daemons, registry and $STATE removed"
}

wait_for() { # what, seconds, command...
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 $((secs * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  log "$what did not come up within ${secs}s"
  return 1
}

start_node() {
  local i=$1 dir="$STATE/n$1" netns veth_host veth_node
  netns=$(ns "$i")
  veth_host="tpsw-v${i}h"
  veth_node="tpsw-v${i}n"
  mkdir -p "$dir"
  ip netns add "$netns"
  ip -n "$HUB" link add "$veth_host" type veth peer name "$veth_node"
  ip -n "$HUB" link set "$veth_node" netns "$netns"
  ip -n "$HUB" link set "$veth_host" master "$BRIDGE" up
  ip -n "$netns" link set lo up
  ip -n "$netns" addr add "$NET.1$i/24" dev "$veth_node"
  ip -n "$netns" link set "$veth_node" up
  ip -n "$netns" route add default via "$NET.1"
  # The daemon's own default bridge, made before it starts (named, so no daemon touches docker0).
  ip -n "$netns" link add "tpsw-d$i" type bridge
  ip -n "$netns" addr add "172.30.$i.1/24" dev "tpsw-d$i"
  ip -n "$netns" link set "tpsw-d$i" up
  # Detached, output to a file (a background process holding stdout keeps CI from finishing).
  # nsenter, not `ip netns exec`: that remounts /sys and hides the cgroup mounts dockerd needs.
  setsid nsenter --net="/run/netns/$netns" dockerd \
    --data-root="$dir/data" --exec-root="$dir/exec" --pidfile="$dir/dockerd.pid" \
    -H "$(sock "$i")" --bridge="tpsw-d$i" --insecure-registry="$REGISTRY" \
    >"$dir/dockerd.log" 2>&1 </dev/null 9>&- &
}

all_answer() {
  for i in $(seq 1 "$K"); do node_docker "$i" version >/dev/null 2>&1 || return 1; done
}

up() {
  [ "$(id -u)" = 0 ] || { log "needs root (network namespaces, dockerd)"; exit 3; }
  command -v dockerd >/dev/null || { log "dockerd missing: run scripts/docker-engine.sh first"; exit 3; }
  # Already up: K nodes, every one Ready, and the registry answering. Anything less (a crashed
  # daemon, a half-made run) is taken down and made again.
  if [ -f "$STATE/env" ] && node_docker 1 node ls >/dev/null 2>&1 \
    && [ "$(node_docker 1 node ls --format '{{.Status}}' | grep -cx Ready)" = "$K" ] \
    && nsenter --net="/run/netns/$HUB" curl -sf "http://$REGISTRY/v2/" >/dev/null 2>&1 \
    && all_answer; then
    log "already up"
    cat "$STATE/env"
    return 0
  fi
  down 2>/dev/null || true
  command -v docker-registry >/dev/null || {
    log "installing Debian's docker-registry"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null
  }
  local started=$SECONDS
  mkdir -p "$STATE/registry"
  ip netns add "$HUB"
  ip -n "$HUB" link set lo up
  ip -n "$HUB" link add "$BRIDGE" type bridge
  ip -n "$HUB" addr add "$NET.1/24" dev "$BRIDGE"
  ip -n "$HUB" link set "$BRIDGE" up

  cat >"$STATE/registry/config.yml" <<EOF
version: 0.1
log: { level: warn }
storage:
  filesystem: { rootdirectory: $STATE/registry/data }
  delete: { enabled: true }
http: { addr: "$REGISTRY" }
EOF
  setsid nsenter --net="/run/netns/$HUB" docker-registry serve "$STATE/registry/config.yml" >"$STATE/registry/registry.log" 2>&1 </dev/null 9>&- &
  echo $! >"$STATE/registry.pid"

  for i in $(seq 1 "$K"); do
    start_node "$i"
  done
  for i in $(seq 1 "$K"); do
    wait_for "dockerd n$i" 60 node_docker "$i" version || { tail -20 "$STATE/n$i/dockerd.log" >&2; exit 3; }
  done
  wait_for "registry $REGISTRY" 20 nsenter --net="/run/netns/$HUB" curl -sf "http://$REGISTRY/v2/" || { cat "$STATE/registry/registry.log" >&2; exit 3; }

  node_docker 1 swarm init --advertise-addr "$NET.11" --listen-addr "$NET.11:2377" --default-addr-pool "$POOL" >/dev/null
  local token joins=()
  token=$(node_docker 1 swarm join-token -q worker)
  for i in $(seq 2 "$K"); do
    node_docker "$i" swarm join --token "$token" --advertise-addr "$NET.1$i" --listen-addr "$NET.1$i:2377" "$NET.11:2377" >/dev/null &
    joins+=($!)
  done
  for pid in "${joins[@]}"; do wait "$pid"; done
  for i in $(seq 1 "$K"); do
    local id
    id=$(node_docker "$i" info --format '{{.Swarm.NodeID}}')
    node_docker 1 node update --label-add "testplan.engine=$(sock "$i")" "$id" >/dev/null
  done
  log "swarm of $K nodes in $((SECONDS - started))s; loading images: $IMAGES"

  # shellcheck disable=SC2086
  docker save $IMAGES | node_docker 1 load -q >/dev/null
  for image in $IMAGES; do
    node_docker 1 tag "$image" "$REGISTRY/$image"
    node_docker 1 push -q "$REGISTRY/$image" >/dev/null
  done
  {
    echo "DOCKER_HOST=$(sock 1)"
    echo "TESTPLAN_SWARM_REGISTRY=$REGISTRY"
  } >"$STATE/env"
  log "up in $((SECONDS - started))s: $K nodes, registry $REGISTRY"
  cat "$STATE/env"
}

# One `up` or `down` at a time (test files start the swarm concurrently); the daemons do not inherit the lock.
exec 9>/run/testplan-swarm.up.lock
flock 9
case "${1:-}" in
  up) up ;;
  down) down ;;
  env) cat "$STATE/env" ;;
  *) echo "usage: $0 up|down|env   (SWARM_NODES=3, SWARM_IMAGES='…', SWARM_STATE=$STATE)" >&2; exit 2 ;;
esac
