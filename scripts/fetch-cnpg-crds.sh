#!/usr/bin/env bash
# Fetches the CRDs of CloudNativePG releases from the Go module proxy into vendor/crds/cnpg-X.Y.Z/
# (config/crd/bases/ of the module at that tag), checksums verified by `go mod download` against
# sum.golang.org, and records each release's module hash and commit in vendor/crds/GO-PROXY.md.
#
#   bash scripts/fetch-cnpg-crds.sh 1.27.0 1.27.1 ...   # default: the releases listed in vendor/crds/GO-PROXY.md
#
# The set of releases decides which operator versions the library supports (CnpgVersion):
# after a change, run `npx projen import` (regenerates src/imports/, including the schemas).
set -euo pipefail
cd "$(dirname "$0")/.."
ledger=vendor/crds/GO-PROXY.md
if [[ $# -gt 0 ]]; then
  versions=("$@")
else
  mapfile -t versions < <(sed -n 's/^| cnpg-\([0-9.]*\) |.*/\1/p' "$ledger")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
rows=()
for v in "${versions[@]}"; do
  json=$(GOFLAGS=-mod=mod go mod download -json "github.com/cloudnative-pg/cloudnative-pg@v$v")
  dir=$(node -e 'const d=JSON.parse(process.argv[1]); if (d.Error) { console.error(d.Error); process.exit(1) } console.log(d.Dir)' "$json")
  sum=$(node -e 'console.log(JSON.parse(process.argv[1]).Sum)' "$json")
  info=$(node -e 'console.log(JSON.parse(process.argv[1]).Info)' "$json")
  commit=$(node -e 'const i=JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(i.Origin?.Hash ?? "unknown")' "$info")
  out="$OLDPWD/vendor/crds/cnpg-$v"
  rm -rf "$out" && mkdir -p "$out"
  cp "$dir"/config/crd/bases/*.yaml "$out/"
  chmod 644 "$out"/*.yaml
  rows+=("| cnpg-$v | v$v | $commit | \`$sum\` | $(ls "$out" | wc -l) |")
  echo "fetch-cnpg-crds: cnpg-$v ($(ls "$out" | wc -l) CRDs, $sum)"
done
cd "$OLDPWD"
{
  echo '# CloudNativePG CRDs from the Go module proxy'
  echo
  echo 'Each `cnpg-X.Y.Z/` folder holds every file of `config/crd/bases/` of the module'
  echo '`github.com/cloudnative-pg/cloudnative-pg` at tag `vX.Y.Z`, as `go mod download` fetched it from'
  echo 'proxy.golang.org with its checksum verified against sum.golang.org (the module hash below).'
  echo 'Refresh with `bash scripts/fetch-cnpg-crds.sh [X.Y.Z ...]` (default: the releases listed here).'
  echo 'Releases the checksum database does not list (1.27.2 and 1.29.2 on 2026-11-30) are left out.'
  echo 'The library supports exactly these releases (CnpgVersion); 1.27.1 and 1.30.0 are also the'
  echo 'platform'"'"'s shared copies (PROVENANCE.md), byte-identical.'
  echo
  echo '| folder | tag | commit | module hash (go.sum) | CRDs |'
  echo '| --- | --- | --- | --- | --- |'
  printf '%s\n' "${rows[@]}"
} >"$ledger"
