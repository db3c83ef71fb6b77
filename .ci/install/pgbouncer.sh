#!/usr/bin/env bash
# PgBouncer for the real-component tests, built from Debian trixie's source package.
#
# Why a source build: bookworm ships PgBouncer 1.18, which predates `max_prepared_statements`
# (1.21) and so cannot run the transaction-mode poolers this library emits. Trixie has 1.24.x;
# its binary package does not install on bookworm (newer libc), its source builds fine.
#
# Pinned to one exact trixie version. The .dsc is checked against the SHA-256 below (taken from
# trixie's signed Sources index: `apt-cache showsrc pgbouncer` with a trixie deb-src line), and
# every file the .dsc lists is checked against the .dsc's own Checksums-Sha256. Debian's patches
# are applied (dpkg-source -x) so the binary is the one trixie users run.
#
# Result: $CACHE_DIR/pgbouncer/bin/pgbouncer, and the system user `pgbouncer`. Idempotent: a
# no-op when both are there and the binary runs and was built from the pinned version.
#
# To move the pin (Debian drops superseded files from the pool, so a 404 here means trixie got
# a newer revision): run `apt-get -o Dir::Etc::SourceList=<file with
# "deb-src http://deb.debian.org/debian trixie main"> -o Dir::Etc::SourceParts=/dev/null
# -o Dir::State::Lists=<tmpdir> update`, then `apt-cache <same -o options> showsrc pgbouncer`,
# and copy the version and the .dsc's SHA-256 from Checksums-Sha256 into the two lines below.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PGBOUNCER_DEBIAN_VERSION=1.24.1-1+deb13u2
PGBOUNCER_DSC_SHA256=dc1bc121e10a7ac2da987e72bb13798c94a7ff162ddc480d93a3f93c19b637a7
PGBOUNCER_POOL_URL=${PGBOUNCER_POOL_URL:-https://deb.debian.org/debian/pool/main/p/pgbouncer}

PREFIX=$CACHE_DIR/pgbouncer
BIN=$PREFIX/bin/pgbouncer
STAMP=$PREFIX/DEBIAN_VERSION
BUILD_DEPS=(gcc make libc6-dev pkgconf libevent-dev libssl-dev libc-ares-dev dpkg-dev xz-utils curl ca-certificates)

# The OS user the CNPG pgbouncer image runs as: the operator's HBA file lets only OS user
# `pgbouncer` into the admin console (`local pgbouncer pgbouncer peer`), and PgBouncer refuses to
# run as root, so the tests run it as this user.
if ! id -u pgbouncer >/dev/null 2>&1; then
  sudo=
  [[ $(id -u) -ne 0 ]] && sudo=sudo
  $sudo useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin pgbouncer
  log "pgbouncer: created the system user pgbouncer"
fi

if [[ -x $BIN && -f $STAMP && $(<"$STAMP") == "$PGBOUNCER_DEBIAN_VERSION" ]] && "$BIN" --version >/dev/null 2>&1; then
  log "pgbouncer: $("$BIN" --version | head -1) (trixie $PGBOUNCER_DEBIAN_VERSION, cached in $PREFIX)"
  exit 0
fi

started=$(date +%s)
# Build dependencies (and the runtime libraries they pull in: libevent, libssl, c-ares) from
# bookworm. apt is only asked when one of them is missing.
missing=()
for pkg in "${BUILD_DEPS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "pgbouncer: installing build dependencies: ${missing[*]}"
  apt_install "${missing[@]}"
fi

work=$(mktemp -d "$CACHE_DIR/pgbouncer-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

fetch() { # fetch FILE: download one file of the source package into $work
  local url="$PGBOUNCER_POOL_URL/${1//+/%2B}"
  if ! curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 -o "$work/$1" "$url"; then
    log "pgbouncer: could not download $url"
    log "pgbouncer: if trixie moved past $PGBOUNCER_DEBIAN_VERSION, update the pin (see the header of $0)"
    exit 1
  fi
}

dsc=pgbouncer_${PGBOUNCER_DEBIAN_VERSION}.dsc
log "pgbouncer: downloading trixie source package $PGBOUNCER_DEBIAN_VERSION"
fetch "$dsc"
echo "$PGBOUNCER_DSC_SHA256  $work/$dsc" | sha256sum --check --quiet - \
  || { log "pgbouncer: SHA-256 of $dsc does not match the pin"; exit 1; }

# The files listed under Checksums-Sha256 in the .dsc, with their checksums.
mapfile -t entries < <(awk '/^Checksums-Sha256:/{on=1; next} on && /^ /{print $1, $3; next} on{exit}' "$work/$dsc")
((${#entries[@]} >= 2)) || { log "pgbouncer: no Checksums-Sha256 entries in $dsc"; exit 1; }
for entry in "${entries[@]}"; do
  read -r sum file <<<"$entry"
  fetch "$file"
  echo "$sum  $work/$file" | sha256sum --check --quiet - \
    || { log "pgbouncer: SHA-256 of $file does not match $dsc"; exit 1; }
done

# Unpack and apply Debian's patches (dpkg-source checks the .dsc checksums once more).
(cd "$work" && dpkg-source --no-check -x "$dsc" src >/dev/null)

log "pgbouncer: building (no PAM, no systemd, no man pages)"
staging=$PREFIX.new
rm -rf "$staging"
(
  cd "$work/src"
  ./configure --prefix="$PREFIX" --with-cares --without-pam --without-systemd >"$work/configure.log" 2>&1 \
    || { tail -40 "$work/configure.log" >&2; exit 1; }
  make -j"$(nproc)" pgbouncer >"$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; exit 1; }
  install -D -m 0755 pgbouncer "$staging/bin/pgbouncer"
  install -D -m 0644 etc/pgbouncer.ini "$staging/share/doc/pgbouncer/pgbouncer.ini.sample"
)
echo "$PGBOUNCER_DEBIAN_VERSION" >"$staging/DEBIAN_VERSION"
"$staging/bin/pgbouncer" --version >/dev/null
rm -rf "$PREFIX"
mv "$staging" "$PREFIX"
log "pgbouncer: $("$BIN" --version | head -1) built in $(($(date +%s) - started))s into $PREFIX"
