#!/usr/bin/env bash
# Refreshes vendor/ (the upstream data the build and tests use) from the platform's shared data
# folder, when it is present: CRDs (vendor/crds), the hand-written reference manifests
# (vendor/reference) and the metric lists (vendor/metrics). See vendor/README.md.
#
#   bash scripts/refresh-vendor.sh [SHARED_DIR]     # default: $CNPG_SHARED_DIR, else ../shared
#
# Each file or folder of the shared data replaces its copy in vendor/ (entries that vendor/ adds
# itself, such as CRD releases fetched from the Go module proxy, are kept). Review
# `git diff --stat vendor/` afterwards, then run `npx projen import` when the CRDs changed
# (src/imports/ is generated from vendor/crds).
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-${CNPG_SHARED_DIR:-../shared}}
if [[ ! -d $src/crds ]]; then
  echo "refresh-vendor: no upstream data in $src (expected $src/crds); vendor/ is unchanged" >&2
  exit 1
fi
for part in crds reference metrics; do
  [[ -d $src/$part ]] || { echo "refresh-vendor: $src/$part is missing" >&2; exit 1; }
  mkdir -p "vendor/$part"
  if [[ $part == crds ]]; then
    # File by file: the CNPG release folders also hold the CRDs fetched from the Go module proxy
    # (scripts/fetch-cnpg-crds.sh, vendor/crds/GO-PROXY.md), a superset of the shared copies.
    (cd "$src/crds" && find . -type f) | while read -r f; do
      mkdir -p "vendor/crds/$(dirname "$f")"
      cp "$src/crds/$f" "vendor/crds/$f"
    done
  else
    for entry in "$src/$part"/*; do
      name=$(basename "$entry")
      rm -rf "vendor/$part/$name"
      cp -R "$entry" "vendor/$part/$name"
    done
  fi
done
echo "refresh-vendor: vendor/ refreshed from $src"
git status --short vendor/ || true
