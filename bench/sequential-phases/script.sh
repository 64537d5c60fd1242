#!/usr/bin/env bash
# The engine's floor for sequential.plan.ts: plain docker CLI calls, readiness polled every 20 ms with
# pg_isready over TCP (as the plan's postgres preset does). Leaves nothing behind (trap), also on Ctrl-C.
set -euo pipefail
id="testplan-bench-seq-$$"
cleanup() {
  docker rm -f -v "$id-pg" >/dev/null 2>&1 || true
  docker network rm "$id" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

docker network create "$id" >/dev/null
docker run -d --name "$id-pg" --network "$id" --network-alias pg \
  -e POSTGRES_USER=test_user -e POSTGRES_PASSWORD=test_password -e POSTGRES_DB=app_test \
  testplan-fixture/postgres:latest >/dev/null
until docker exec "$id-pg" pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; do sleep 0.02; done
for suite in api worker web; do
  docker run --rm --network "$id" -e PGHOST=pg -e PGUSER=test_user -e PGPASSWORD=test_password -e PGDATABASE=app_test \
    testplan-fixture/client:latest sh -c 'psql -qtAc "select 1" >/dev/null && sleep 0.3'
done
