#!/usr/bin/env bash
# PostgreSQL server and client from Debian (bookworm: 15), for the real-component tests.
# Idempotent: does nothing when the binaries are already there.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [[ -x /usr/lib/postgresql/15/bin/postgres && -x /usr/lib/postgresql/15/bin/initdb ]] && command -v psql >/dev/null; then
  log "postgres: $(/usr/lib/postgresql/15/bin/postgres --version)"
  exit 0
fi
apt_install postgresql-15 postgresql-client-15 ssl-cert openssl
log "postgres: $(/usr/lib/postgresql/15/bin/postgres --version)"
