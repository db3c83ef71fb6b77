#!/usr/bin/env bash
# flux-substitute: tools/flux-substitute (Flux's own post-build substitution, the code
# kustomize-controller runs: github.com/fluxcd/pkg/kustomize SubstituteVariables, pinned with its
# checksums in tools/flux-substitute/go.sum), built from the Go module proxy. The Flux tests
# compare the library's substitution (ManifestAudit, FluxDelivery) with it.
# Idempotent: a no-op when the cached binary was built from the current sources (their hash keys it).
set -euo pipefail
. "$(dirname "$0")/go-tools-lib.sh"
src=$CI_ROOT/tools/flux-substitute
stamp=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-16)
if go_tool_link flux-substitute "$stamp"; then
  log "flux-substitute: up to date"
  exit 0
fi
command -v go >/dev/null || { log "flux-substitute: the go command is missing"; exit 1; }
start=$SECONDS
(cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=readonly nice -n 10 go build -trimpath -o "$GO_TOOLS_CACHE/flux-substitute-$stamp.new" .)
mv "$GO_TOOLS_CACHE/flux-substitute-$stamp.new" "$GO_TOOLS_CACHE/flux-substitute-$stamp"
go_tool_link flux-substitute "$stamp"
log "flux-substitute: built with github.com/fluxcd/pkg/kustomize v1.41.0 ($((SECONDS - start)) s)"
