#!/usr/bin/env bash
# Mutation testing (StrykerJS): `pnpm mutate` runs every package that has a
# stryker.config.mjs, one after another; `pnpm mutate order kitchen` runs those.
# Each run is incremental: only mutants in changed code, or covered by changed
# tests, are tested again. Too slow for .ci/run; scores live in docs/mutation.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -eq 0 ]; then
  set -- $(for config in packages/*/stryker.config.mjs; do basename "$(dirname "$config")"; done)
fi
for name in "$@"; do
  if [ ! -f "packages/$name/stryker.config.mjs" ]; then
    echo "mutate: packages/$name has no stryker.config.mjs" >&2
    exit 2
  fi
  echo "--- mutate $name"
  (cd "packages/$name" && exec stryker run stryker.config.mjs)
done
