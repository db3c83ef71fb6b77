#!/usr/bin/env bash
# The CloudNativePG operator of every release in tools/real-systems/versions.json whose operator
# can be built here, and the Barman Cloud plugin, for test/integ/real-systems.
#
# Each is the release's own `cmd/manager`, built inside the module as the go command downloaded it
# (hash checked against versions.json; every dependency checked by the go command against the
# module's own go.sum), in a copy of the module with one change, made by
# tools/real-systems/operator-listen-loopback.sed: the operator's webhook server listens on
# 127.0.0.1 instead of every interface (it has no flag for it). The release's webhook
# configuration (config/webhook/manifests.yaml) is copied beside the binary: the tests register
# it by URL.
#
# Cached in ${XDG_CACHE_HOME:-$HOME/.cache}/cnpg-constructs/real-systems/{cloudnative-pg,
# plugin-barman-cloud}/<version>-<stamp>/; a no-op for what is built.
# Measured on 2 cores: about 1.5-3 min per operator release cold (shared dependencies build once).
set -euo pipefail
. "$(dirname "$0")/real-systems.bash"

rs_require_go real-systems-cnpg
# Part of every build stamp: change it when the way the binaries are built changes.
RECIPE=cnpg-recipe-1
sed_patch=$CI_ROOT/tools/real-systems/operator-listen-loopback.sed
module=$(rs_get v.cloudnativePg.module)
entries=()

for version in $(rs_get 'v.cloudnativePg.releases.filter((r) => r.operator).map((r) => r.version)'); do
  sum=$(rs_get "v.cloudnativePg.releases.find((r) => r.version === '$version').sum")
  commit=$(rs_get "v.cloudnativePg.releases.find((r) => r.version === '$version').commit")
  stamp=$(rs_stamp "$module@v$version" "$sum" "$sed_patch" "$RECIPE")
  out=$RS_CACHE/cloudnative-pg/$version-$stamp
  if [[ ! -x $out/manager ]]; then
    start=$SECONDS
    dir=$(rs_download_verified "$module" "v$version" "$sum")
    tmp=$(mktemp -d "$RS_CACHE/.cnpg.XXXXXX")
    # go build -overlay refuses files in the module cache: build in a writable copy of the module.
    tree=$RS_CACHE/src/cloudnative-pg-$version
    rm -rf "$tree"; mkdir -p "$(dirname "$tree")"
    cp -R "$dir" "$tree"; chmod -R u+w "$tree"
    ctl=$tree/internal/cmd/manager/controller/controller.go
    sed -i -f "$sed_patch" "$ctl"
    if [[ $(diff "$dir/internal/cmd/manager/controller/controller.go" "$ctl" | grep -c '^>') -ne 1 ]]; then
      log "real-systems-cnpg: $version: the listen-address change does not apply to $ctl"
      rm -rf "$tmp"; exit 1
    fi
    (cd "$tree" && rs_go build -trimpath -ldflags "-s -w \
        -X github.com/cloudnative-pg/cloudnative-pg/pkg/versions.buildVersion=$version \
        -X github.com/cloudnative-pg/cloudnative-pg/pkg/versions.buildCommit=${commit:0:8}" \
        -o "$tmp/manager" ./cmd/manager)
    cp "$dir/config/webhook/manifests.yaml" "$tmp/webhook-manifests.yaml"
    # The release's lists the gate tests probe key by key (the verdicts come from the running
    # webhook): the PgBouncer parameter allow-list and the fixed PostgreSQL parameters.
    mkdir -p "$tmp/sources"
    cp "$dir/internal/webhook/v1/pooler_webhook.go" "$dir/pkg/postgres/configuration.go" "$tmp/sources/"
    rm -rf "$tree"
    mkdir -p "$(dirname "$out")"
    rm -rf "$out"
    mv "$tmp" "$out"
    log "real-systems-cnpg: operator $version built in $out ($((SECONDS - start)) s)"
  else
    log "real-systems-cnpg: operator $version cached in $out"
  fi
  entries+=("\"$version\":{\"manager\":\"$out/manager\",\"webhooks\":\"$out/webhook-manifests.yaml\",\"sources\":\"$out/sources\"}")
done

pmodule=$(rs_get v.barmanCloudPlugin.module)
pversion=$(rs_get v.barmanCloudPlugin.version)
psum=$(rs_get v.barmanCloudPlugin.sum)
pcommit=$(rs_get v.barmanCloudPlugin.commit)
stamp=$(rs_stamp "$pmodule@$pversion" "$psum" "$RECIPE")
pout=$RS_CACHE/plugin-barman-cloud/$pversion-$stamp
if [[ ! -x $pout/manager ]]; then
  start=$SECONDS
  dir=$(rs_download_verified "$pmodule" "$pversion" "$psum")
  tmp=$(mktemp -d "$RS_CACHE/.plugin.XXXXXX")
  (cd "$dir" && rs_go build -trimpath -ldflags "-s -w" -o "$tmp/manager" ./cmd/manager)
  mkdir -p "$(dirname "$pout")"
  rm -rf "$pout"
  mv "$tmp" "$pout"
  log "real-systems-cnpg: plugin-barman-cloud $pversion ($pcommit) built in $pout ($((SECONDS - start)) s)"
else
  log "real-systems-cnpg: plugin-barman-cloud $pversion cached in $pout"
fi

(IFS=,; printf '{"operators":{%s},"barmanCloudPlugin":{"version":"%s","manager":"%s"}}\n' \
  "${entries[*]}" "$pversion" "$pout/manager") >"$RS_INDEX/cnpg.json"
