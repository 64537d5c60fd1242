#!/usr/bin/env bash
# Builds `testplan-node:20` offline: the debootstrap base plus this machine's Node.js and npm (a bookworm
# build) and its CA bundle, so npm inside a container reaches the registry. Where a registry is reachable,
# use `node:20-bookworm` instead (Dockerfile.test's BASE build arg). Idempotent.
set -euo pipefail
IMAGE="${TESTPLAN_NODE_IMAGE:-testplan-node:20}"
BASE_IMAGE="${TESTPLAN_BASE_IMAGE:-testplan-base:bookworm}"
docker image inspect "$IMAGE" >/dev/null 2>&1 && exit 0

node_bin=$(command -v node)
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
ctx=$(mktemp -d /tmp/testplan-node-image.XXXXXX)
trap 'rm -rf "$ctx"' EXIT
cp "$node_bin" "$ctx/node"
cp -r "$npm_dir" "$ctx/npm"
cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE_IMAGE
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
DOCKERFILE
echo "[node-image] building $IMAGE from $BASE_IMAGE with $($node_bin --version)" >&2
docker build -q -t "$IMAGE" "$ctx" >/dev/null
