#!/usr/bin/env bash
# kustomize (sigs.k8s.io/kustomize/kustomize/v5 from the Go module proxy): the Flux delivery test
# (test/integ/flux-delivery.test.ts) runs `kustomize build` on the directory FluxDelivery writes,
# as kustomize-controller does. v5.8.1 is the newest release that builds with Go 1.26 (v5.8.3
# needs Go 1.27); kustomize-controller v1.5-v1.7 embed kustomize/api v0.19-v0.21.
# Idempotent: a no-op when the cached binary exists.
set -euo pipefail
. "$(dirname "$0")/go-tools-lib.sh"
VERSION=v5.8.1
if go_tool_link kustomize "$VERSION"; then
  log "kustomize: $VERSION present"
  exit 0
fi
go_tool_install kustomize sigs.k8s.io/kustomize/kustomize/v5 "$VERSION"
