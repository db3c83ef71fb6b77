#!/usr/bin/env bash
# robfig-cron-oracle: test/integ/cron/main.go built against github.com/robfig/cron v1.2.0 (the Go
# module proxy), the parser CloudNativePG 1.30 reads ScheduledBackup schedules with. The
# integration test test/integ/cron.test.ts compares BackupSchedule's answers with it.
#
# Result: $CACHE_DIR/bin/robfig-cron-oracle. Idempotent: a no-op when the binary was built from the
# current sources (a hash of main.go, go.mod and go.sum is kept beside it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$CI_ROOT/test/integ/cron
bin=$CACHE_DIR/bin/robfig-cron-oracle
stamp=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -d' ' -f1)

if [[ -x $bin && "$(cat "$bin.sha256" 2>/dev/null)" == "$stamp" ]]; then
  log "robfig-cron-oracle: up to date ($bin)"
  exit 0
fi
command -v go >/dev/null || { log "robfig-cron-oracle: the go command is missing"; exit 1; }
mkdir -p "$CACHE_DIR/bin"
start=$SECONDS
# go.sum pins the module's hash; -mod=readonly refuses anything it does not list.
(cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -o "$bin.new" .)
mv "$bin.new" "$bin"
echo "$stamp" >"$bin.sha256"
log "robfig-cron-oracle: built with github.com/robfig/cron v1.2.0 ($((SECONDS - start)) s)"
