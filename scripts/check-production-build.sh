#!/usr/bin/env bash
# What the Dockerfile does, without Docker: compile every package, gather one
# service with production dependencies only (pnpm deploy --prod), and run it
# from dist/ with the "production" condition until it answers /healthz.
set -euo pipefail
cd "$(dirname "$0")/.."
service="${1:-order}"
port="${PORT_UNDER_TEST:-18183}"
out="$(mktemp -d)/${service}"
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$(dirname "$out")"' EXIT

pnpm --filter "@oms/${service}..." run build >/dev/null
pnpm --filter "@oms/${service}" deploy --prod --legacy "$out" >/dev/null
# Only compiled code travels: no sources of the service or of the workspace packages it uses.
if ls -d "$out/src" "$out"/node_modules/@oms/*/src 2>/dev/null | grep -q .; then
  echo "production build: TypeScript sources in the deployed folder" >&2
  exit 1
fi
upper=$(echo "$service" | tr '[:lower:]' '[:upper:]')
(cd "$out" && env "${upper}_PORT=$port" AUTH_ISSUER=http://127.0.0.1:1 AUTH_AUDIENCE=oms AUTH_JWKS_URL=http://127.0.0.1:1/jwks \
  AUTH_SERVICE_KEY=check-production-build-service-key-0123 LOG_LEVEL=warn LOG_FORMAT=json \
  node --conditions=production dist/main.js) &
pid=$!
for _ in $(seq 1 100); do
  if curl -sf "http://127.0.0.1:${port}/healthz" >/dev/null; then
    echo "production build: @oms/${service} runs compiled code from dist/ with production dependencies only ($(du -sh "$out" | cut -f1))"
    exit 0
  fi
  sleep 0.2
done
echo "production build: @oms/${service} did not answer /healthz" >&2
exit 1
