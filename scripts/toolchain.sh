# Source me: puts Node >= 22.12 (Node 24 LTS, from the npm registry if the
# machine's Node is older) and pnpm 10 first on PATH. Cached under
# $OMS_TOOLS (default ~/.cache/oms-tools), so the second run is instant.
OMS_TOOLS="${OMS_TOOLS:-$HOME/.cache/oms-tools}"

node_is_recent() {
  command -v node >/dev/null 2>&1 && node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}

if ! node_is_recent; then
  if [ ! -x "$OMS_TOOLS/node24/node_modules/.bin/node" ]; then
    echo "toolchain: installing Node 24 LTS from the npm registry into $OMS_TOOLS/node24" >&2
    npm install --prefix "$OMS_TOOLS/node24" --no-audit --no-fund --loglevel=error node@24 >&2
  fi
  export PATH="$OMS_TOOLS/node24/node_modules/.bin:$PATH"
fi

if ! command -v pnpm >/dev/null 2>&1 || ! pnpm --version 2>/dev/null | grep -q '^10\.'; then
  if [ ! -x "$OMS_TOOLS/pnpm/node_modules/.bin/pnpm" ]; then
    echo "toolchain: installing pnpm 10 into $OMS_TOOLS/pnpm" >&2
    npm install --prefix "$OMS_TOOLS/pnpm" --no-audit --no-fund --loglevel=error pnpm@10.34.9 >&2
  fi
  export PATH="$OMS_TOOLS/pnpm/node_modules/.bin:$PATH"
fi

# The workspace's own tools (turbo, buf, vitest) by name, as the README writes them
# (`turbo run dev`); present once `pnpm install` has run.
OMS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
case ":$PATH:" in *":$OMS_ROOT/node_modules/.bin:"*) ;; *) export PATH="$OMS_ROOT/node_modules/.bin:$PATH" ;; esac
