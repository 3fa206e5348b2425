#!/usr/bin/env bash
# Installs what the real-infrastructure tests start as plain processes:
# RabbitMQ, chromium and docker-compose (Debian), FerretDB, stripe-mock, grpcurl and Connect's conformance
# runner (go install). Quick when present.
set -euo pipefail
GOBIN="${GOBIN:-$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin}"
export PATH="$GOBIN:$PATH"

if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then
  echo "test-infra: installing rabbitmq-server" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq rabbitmq-server >&2
fi

# The browser tests (test/web) drive Debian's chromium through playwright-core: no browser download.
if [ ! -x /usr/bin/chromium ]; then
  echo "test-infra: installing chromium" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
fi

# docker-compose (Debian's 1.29.2) renders compose.yaml for test/repo/compose.test.ts; no engine is needed.
if ! command -v docker-compose >/dev/null 2>&1; then
  echo "test-infra: installing docker-compose" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq docker-compose >&2
fi

go_tool() { # name module@version
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "test-infra: go install $2" >&2
    go install "$2" >&2
  fi
}
# FerretDB's own build writes build/version/version.txt, which the module
# download lacks: a plain `go install` builds a binary that panics at start.
if ! { command -v ferretdb && ferretdb --version; } >/dev/null 2>&1; then
  echo "test-infra: building ferretdb v1.24.2" >&2
  src=$(go mod download -json github.com/FerretDB/FerretDB@v1.24.2 | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  work=$(mktemp -d); cp -r "$src/." "$work"; chmod -R u+w "$work"
  echo v1.24.2 > "$work/build/version/version.txt"
  mkdir -p "$GOBIN"
  (cd "$work" && GOFLAGS=-mod=mod go build -o "$GOBIN/ferretdb" ./cmd/ferretdb) >&2
  rm -rf "$work"
fi
go_tool stripe-mock github.com/stripe/stripe-mock@v0.203.0
go_tool grpcurl github.com/fullstorydev/grpcurl/cmd/grpcurl@v1.9.3
go_tool connectconformance connectrpc.com/conformance/cmd/connectconformance@v1.0.7

# Consul v1.14.11, the last MPL-2.0 release that builds from the module proxy
# (later ones are BSL or need a module under a non-open licence). Its go.mod
# points api, sdk and proto-public at nested folders: drop those replaces and
# take the published modules. ~15 min on 2 cores, once.
if ! { command -v consul && consul version; } >/dev/null 2>&1; then
  echo "test-infra: building consul v1.14.11 (about 15 minutes, once)" >&2
  src=$(go mod download -json github.com/hashicorp/consul@v1.14.11 | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  work=$(mktemp -d); cp -r "$src/." "$work"; chmod -R u+w "$work"
  mkdir -p "$GOBIN"
  (cd "$work" && go mod edit -dropreplace github.com/hashicorp/consul/api -dropreplace github.com/hashicorp/consul/sdk -dropreplace github.com/hashicorp/consul/proto-public \
    && GOFLAGS=-mod=mod go build -o "$GOBIN/consul" .) >&2
  rm -rf "$work"
fi
