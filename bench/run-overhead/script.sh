#!/usr/bin/env bash
# The engine's floor for the run-overhead workload: plain docker CLI calls with tight polling.
# Same workload as overhead.plan.ts: Redis + readiness, then two sequential one-shot phases.
# Leaves nothing behind (trap), also on failure or Ctrl-C.
set -euo pipefail
id="testplan-bench-script-$$"
redis_image=testplan-bench/redis:latest
client_image=testplan-bench/client:latest

cleanup() {
  docker rm -f "$id-redis" >/dev/null 2>&1 || true
  docker network rm "$id" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

docker network create "$id" >/dev/null
docker run -d --name "$id-redis" --network "$id" --network-alias redis "$redis_image" >/dev/null
until [ "$(docker exec "$id-redis" redis-cli -h 127.0.0.1 ping 2>/dev/null)" = PONG ]; do sleep 0.02; done

docker run --rm --network "$id" "$client_image" redis-cli -h redis ping
docker run --rm --network "$id" "$client_image" \
  sh -c 'redis-cli -h redis set bench ok >/dev/null && [ "$(redis-cli -h redis get bench)" = ok ]'
