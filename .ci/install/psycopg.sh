#!/usr/bin/env bash
# psycopg 3 (Python driver) in a venv at $CACHE_DIR/venv-pg, for the real-component tests that
# drive PgBouncer from Python as well as from node-postgres. Pinned; idempotent (no-op when the
# venv already imports the pinned version).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PSYCOPG_VERSION=3.3.9
VENV=$CACHE_DIR/venv-pg
PY=$VENV/bin/python

if [[ -x $PY ]] && [[ $("$PY" -c 'import psycopg; print(psycopg.__version__, psycopg.pq.__impl__)' 2>/dev/null) == "$PSYCOPG_VERSION binary" ]]; then
  log "psycopg: $PSYCOPG_VERSION (binary) in $VENV"
  exit 0
fi

# Debian's interpreter, not whatever python3 is first on PATH: the venv must not depend on a
# per-user toolchain manager.
python=/usr/bin/python3
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  apt_install python3 python3-venv
fi

rm -rf "$VENV"
"$python" -m venv "$VENV"
"$PY" -m pip install --quiet --disable-pip-version-check --no-input \
  "psycopg[binary]==$PSYCOPG_VERSION" "psycopg-binary==$PSYCOPG_VERSION"
"$PY" -c 'import psycopg; assert psycopg.pq.__impl__ == "binary", psycopg.pq.__impl__'
log "psycopg: $("$PY" -c 'import psycopg; print(psycopg.__version__, psycopg.pq.__impl__, "libpq", psycopg.pq.version())') in $VENV"
