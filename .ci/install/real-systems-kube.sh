#!/usr/bin/env bash
# The real Kubernetes API server and etcd for test/integ/real-systems: kube-apiserver built from
# k8s.io/kubernetes (tools/real-systems/kube/go.mod: the staging modules replaced with their
# published releases; go.sum pins every module hash) and etcd's server at the version Kubernetes
# itself requires. Cached in ${XDG_CACHE_HOME:-$HOME/.cache}/cnpg-constructs/real-systems/kube/,
# keyed by the version and a hash of go.mod, go.sum and the sources: a no-op when built.
#
# Measured on 2 cores (cold Go build cache): kube-apiserver about 20 min, etcd about 1.5 min.
set -euo pipefail
. "$(dirname "$0")/real-systems.bash"

src=$CI_ROOT/tools/real-systems/kube
k8s=$(rs_get v.kubernetes.version)
etcd=$(rs_get v.etcd.version)
# Part of the build stamp: change it when the way the binaries are built changes.
RECIPE=kube-recipe-1
stamp=$(rs_stamp "$src/go.mod" "$src/go.sum" "$src/tools.go" "$src/cmd/etcd/main.go" "$RECIPE")
out=$RS_CACHE/kube/$k8s-$stamp
index=$RS_INDEX/kube.json

# The tests make the API server's and the webhooks' certificates with openssl.
command -v openssl >/dev/null || apt_install openssl

if [[ ! -x $out/kube-apiserver || ! -x $out/etcd ]]; then
  rs_require_go real-systems-kube
  start=$SECONDS
  tmp=$(mktemp -d "$RS_CACHE/.kube.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$src" && rs_go mod verify >/dev/null)
  minor=${k8s#v1.}; minor=${minor%%.*}
  (cd "$src" && rs_go build -trimpath -o "$tmp/etcd" ./cmd/etcd)
  log "real-systems-kube: etcd $etcd built ($((SECONDS - start)) s)"
  (cd "$src" && rs_go build -trimpath -ldflags "-s -w \
      -X k8s.io/component-base/version.gitVersion=$k8s \
      -X k8s.io/component-base/version.gitMajor=1 \
      -X k8s.io/component-base/version.gitMinor=$minor \
      -X k8s.io/component-base/version.gitTreeState=clean" \
      -o "$tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver)
  mkdir -p "$(dirname "$out")"
  rm -rf "$out"
  mv "$tmp" "$out"
  trap - EXIT
  log "real-systems-kube: kube-apiserver $k8s and etcd $etcd built in $out ($((SECONDS - start)) s)"
else
  log "real-systems-kube: kube-apiserver $k8s and etcd $etcd cached in $out"
fi
printf '{"kubernetes":"%s","etcd":"%s","kubeApiserver":"%s","etcdBinary":"%s"}\n' \
  "$k8s" "$etcd" "$out/kube-apiserver" "$out/etcd" >"$index"
