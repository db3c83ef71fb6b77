#!/usr/bin/env bash
# An S3-compatible object store for the backup-validation integration test: the Versity
# S3 Gateway (Apache-2.0) with its posix backend, built from the Go module proxy into
# .cache/bin/versitygw. MinIO is not used: its server is under the AGPL.
# Idempotent: does nothing when the pinned version is already built.
# Measured on 2 cores, cold module cache: about 90 s wall, 0.7 GB peak RSS, 80 MB binary.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

VERSITYGW_VERSION=v1.8.0
bin=$CACHE_DIR/bin/versitygw

if [[ -x $bin ]] && "$bin" --version 2>/dev/null | grep -q "Version *: $VERSITYGW_VERSION\$"; then
  log "versitygw: $VERSITYGW_VERSION at $bin"
  exit 0
fi
command -v go >/dev/null || { log "versitygw: needs the go toolchain (1.25 or newer)"; exit 1; }

start=$SECONDS
mkdir -p "$CACHE_DIR/bin"
# go install works as is: versitygw's go.mod has no replace directive.
GOBIN=$CACHE_DIR/bin GOFLAGS=-buildvcs=false CGO_ENABLED=0 go install -trimpath \
  -ldflags "-s -w -X main.Version=$VERSITYGW_VERSION" \
  "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
log "versitygw: $VERSITYGW_VERSION built at $bin ($((SECONDS - start)) s)"
