#!/usr/bin/env bash
# promtool, for `promtool check rules` / `promtool test rules` on the synthesized alert rules and
# the dashboards' queries (test/integ/monitoring.test.ts).
#
# From Debian bookworm's `prometheus` package (2.42): its rule-file format, PromQL parser and
# rule unit-test runner cover everything the library emits. Only the promtool binary is taken:
# the .deb is fetched with `apt-get download` (apt checks it against the signed index) and
# unpacked into $CACHE_DIR/promtool, so no Prometheus server or service gets installed.
#
# Result: $CACHE_DIR/promtool/bin/promtool. Idempotent: a no-op when it is there and runs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PREFIX=$CACHE_DIR/promtool
BIN=$PREFIX/bin/promtool

if [[ -x $BIN ]] && "$BIN" --version >/dev/null 2>&1; then
  log "promtool: $("$BIN" --version 2>&1 | head -1) (cached in $PREFIX)"
  exit 0
fi

sudo=
[[ $(id -u) -ne 0 ]] && sudo=sudo
# Same partial-update tolerance as apt_install (third-party sources may be unreachable).
$sudo apt-get update -qq >/dev/null 2>&1 || log "apt-get update reported errors (third-party sources); continuing"

work=$(mktemp -d "$CACHE_DIR/promtool.XXXXXX")
trap 'rm -rf "$work"' EXIT
version=$(apt-cache policy prometheus | awk '/Candidate:/{print $2}')
[[ -n $version && $version != "(none)" ]] || { log "promtool: no 'prometheus' package in the apt sources"; exit 1; }
log "promtool: downloading Debian prometheus $version"
# As root, apt would hand the download to its unprivileged `_apt` user, who cannot write here.
sandbox=()
[[ $(id -u) -eq 0 ]] && sandbox=(-o APT::Sandbox::User=root)
(cd "$work" && apt-get download -qq "${sandbox[@]}" "prometheus=$version" >/dev/null)
dpkg-deb -x "$work"/prometheus_*.deb "$work/root"

staging=$PREFIX.new
rm -rf "$staging"
install -D -m 0755 "$work/root/usr/bin/promtool" "$staging/bin/promtool"
echo "$version" >"$staging/DEBIAN_VERSION"
"$staging/bin/promtool" --version >/dev/null
rm -rf "$PREFIX"
mv "$staging" "$PREFIX"
log "promtool: $("$BIN" --version 2>&1 | head -1) (Debian $version) in $PREFIX"
