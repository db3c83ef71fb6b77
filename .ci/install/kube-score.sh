#!/usr/bin/env bash
# kube-score (Go module proxy, pinned): the second Kubernetes scanner of
# test/integ/security-scanners.test.ts. kube-linter, the first choice, is published under the
# vanity path golang.stackrox.io/kube-linter, which the Go module proxy does not serve here;
# kube-score covers the same ground (security context, probes, resources, network policies,
# PodDisruptionBudgets, image pinning) and is served as github.com/zegl/kube-score.
#
# Result: $CACHE_DIR/kube-score/bin/kube-score. Idempotent: a no-op when that version is there.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

VERSION=v1.20.0
PREFIX=$CACHE_DIR/kube-score
BIN=$PREFIX/bin/kube-score

if [[ -x $BIN ]] && [[ $(cat "$PREFIX/VERSION" 2>/dev/null) == "$VERSION" ]]; then
  log "kube-score: $VERSION (cached in $PREFIX)"
  exit 0
fi
command -v go >/dev/null || { log "kube-score: the go command is missing"; exit 1; }
log "kube-score: building $VERSION from the Go module proxy"
staging=$PREFIX.new
rm -rf "$staging"
mkdir -p "$staging/bin"
# Outside any module (the repository has Go test helpers of its own); -trimpath for a reproducible binary.
(cd "$staging" && GOBIN="$staging/bin" GOFLAGS=-mod=mod CGO_ENABLED=0 go install -trimpath "github.com/zegl/kube-score/cmd/kube-score@$VERSION")
"$staging/bin/kube-score" version >/dev/null
echo "$VERSION" >"$staging/VERSION"
rm -rf "$PREFIX"
mv "$staging" "$PREFIX"
log "kube-score: $("$BIN" version | head -1) in $PREFIX"
