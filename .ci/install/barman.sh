#!/usr/bin/env bash
# barman-cloud (barman's S3 client) and boto3 in a venv at .cache/venv-barman, for the
# backup-validation integration test: it archives WAL, takes base backups and runs
# assets/backup-validation/check_backup.py with the same barman as the sidecar image
# ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.14.0 (barman 3.19.1).
# Idempotent: does nothing when the venv already has these exact versions.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BARMAN_VERSION=3.19.1
BOTO3_VERSION=1.44.8
venv=$CACHE_DIR/venv-barman
stamp="barman[cloud]==$BARMAN_VERSION boto3==$BOTO3_VERSION"

if [[ -x $venv/bin/barman-cloud-backup && "$(cat "$venv/.installed" 2>/dev/null)" == "$stamp" ]]; then
  log "barman: $("$venv/bin/barman-cloud-backup" --version 2>&1) in $venv"
  exit 0
fi

# Debian's python3, not a per-user one (pyenv under /root): PostgreSQL runs as the
# postgres user and calls barman-cloud-wal-archive from its archive_command.
# psycopg2 (a barman dependency) builds from source against libpq.
need=()
dpkg -s python3-venv >/dev/null 2>&1 || need+=(python3-venv)
command -v pg_config >/dev/null || need+=(libpq-dev)
[[ -e /usr/include/python3.11/Python.h ]] || need+=(python3-dev)
command -v gcc >/dev/null || need+=(gcc)
(( ${#need[@]} )) && apt_install "${need[@]}"

start=$SECONDS
rm -rf "$venv"
/usr/bin/python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-input \
  "barman[cloud]==$BARMAN_VERSION" "boto3==$BOTO3_VERSION"
echo "$stamp" > "$venv/.installed"
chmod -R a+rX "$venv"
log "barman: $("$venv/bin/barman-cloud-backup" --version 2>&1) in $venv ($((SECONDS - start)) s)"
