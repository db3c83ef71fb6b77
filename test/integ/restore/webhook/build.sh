#!/usr/bin/env bash
# Builds the Cluster webhook of a CloudNativePG release (its defaulter and ValidateCreate, from
# internal/webhook/v1 at the release tag) into a small command, for restore-webhook.test.ts:
#   bash test/integ/restore/webhook/build.sh 1.30.0    ->  .cache/restore-webhook/validate-1.30.0
# The release's module comes from the Go module proxy (checked against sum.golang.org by the go
# command); its tree is copied to a writable folder because internal/ packages can only be
# imported from inside their module. Idempotent. Cold, on 2 loaded cores: 5 to 15 minutes.
set -euo pipefail
version=${1:?usage: build.sh <cnpg version, e.g. 1.30.0>}
root=$(cd "$(dirname "$0")/../../../.." && pwd)
cache=${CNPG_CACHE_DIR:-$root/.cache}/restore-webhook
bin=$cache/validate-$version
main=$(dirname "$0")/main.go.txt
stamp=$(sha256sum "$main" | cut -c1-16)
if [[ -x $bin && "$(cat "$bin.stamp" 2>/dev/null)" == "$stamp" ]]; then exit 0; fi
command -v go >/dev/null || { echo "restore-webhook: needs the go toolchain" >&2; exit 1; }
mkdir -p "$cache"
module=github.com/cloudnative-pg/cloudnative-pg@v$version
dir=$(GOFLAGS=-mod=mod go mod download -json "$module" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
[[ -d $dir ]] || { echo "restore-webhook: go mod download $module failed" >&2; exit 1; }
src=$cache/src-$version
rm -rf "$src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
mkdir -p "$src/cmd/restore-webhook"
cp "$main" "$src/cmd/restore-webhook/main.go"
(cd "$src" && GOFLAGS=-buildvcs=false CGO_ENABLED=0 go build -trimpath -o "$bin" ./cmd/restore-webhook)
echo "$stamp" > "$bin.stamp"
rm -rf "$src"
echo "restore-webhook: built $bin" >&2
