#!/usr/bin/env bash
# The engine's floor for the run-overhead workload: plain docker CLI calls with tight polling.
# Same workload as overhead.plan.ts: Redis + readiness, then two sequential one-shot phases.
# Leaves nothing behind (trap), also on failure or Ctrl-C.
set -euo pipefail
id="testplan-bench-script-$$"
redis_image=testplan-bench/redis:latest
client_image=testplan-bench/client:latest

# BENCH_MARKS=file: append a millisecond timestamp at each step boundary (the bench's per-step floor).
mark() { if [ -n "${BENCH_MARKS:-}" ]; then date +%s%3N >>"$BENCH_MARKS"; fi; }
cleanup() {
  docker rm -f "$id-redis" >/dev/null 2>&1 || true
  docker network rm "$id" >/dev/null 2>&1 || true
  mark
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mark
docker network create "$id" >/dev/null
mark
docker run -d --name "$id-redis" --network "$id" --network-alias redis "$redis_image" >/dev/null
mark
until [ "$(docker exec "$id-redis" redis-cli -h 127.0.0.1 ping 2>/dev/null)" = PONG ]; do sleep 0.02; done
mark

docker run --rm --network "$id" "$client_image" redis-cli -h redis ping
mark
docker run --rm --network "$id" "$client_image" \
  sh -c 'redis-cli -h redis set bench ok >/dev/null && [ "$(redis-cli -h redis get bench)" = ok ]'
mark
