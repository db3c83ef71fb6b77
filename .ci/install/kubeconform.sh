#!/usr/bin/env bash
# kubeconform (github.com/yannh/kubeconform from the Go module proxy): the Flux delivery test
# validates the kustomize build strictly against Kubernetes' schemas (.ci/install/k8s-schemas.sh)
# and JSON schemas converted from the vendored CRDs (test/integ/support/crd-json-schemas.ts).
# v0.7.0: v0.8.0 needs Go 1.26 too, but v0.7.0 is the release its README documents.
# Idempotent: a no-op when the cached binary exists.
set -euo pipefail
. "$(dirname "$0")/go-tools-lib.sh"
VERSION=v0.7.0
if go_tool_link kubeconform "$VERSION"; then
  log "kubeconform: $VERSION present"
  exit 0
fi
go_tool_install kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$VERSION"
