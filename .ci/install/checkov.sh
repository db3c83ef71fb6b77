#!/usr/bin/env bash
# checkov (PyPI, pinned), the Kubernetes security scanner of test/integ/security-scanners.test.ts,
# in a virtualenv under $CACHE_DIR/checkov so nothing touches the system Python.
#
# Result: $CACHE_DIR/checkov/bin/checkov. Idempotent: a no-op when that version is there and runs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

VERSION=3.3.30
PREFIX=$CACHE_DIR/checkov
BIN=$PREFIX/bin/checkov

if [[ -x $BIN ]] && [[ $(cat "$PREFIX/VERSION" 2>/dev/null) == "$VERSION" ]] && "$BIN" --version >/dev/null 2>&1; then
  log "checkov: $VERSION (cached in $PREFIX)"
  exit 0
fi
python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
log "checkov: installing $VERSION from PyPI into $PREFIX"
# Built in place (a venv's scripts name their interpreter by absolute path); the VERSION file,
# written last, marks a complete install, so an interrupted one is redone.
rm -rf "$PREFIX"
python3 -m venv "$PREFIX"
"$PREFIX/bin/pip" install --quiet --disable-pip-version-check "checkov==$VERSION"
"$BIN" --version >/dev/null
echo "$VERSION" >"$PREFIX/VERSION"
log "checkov: $("$BIN" --version) in $PREFIX"
