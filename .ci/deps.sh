#!/usr/bin/env bash
# Installs every tool the test suite needs that npm does not provide, idempotently.
# Each installer lives in .ci/install/ and is a no-op when its tool is already there.
set -euo pipefail
here=$(dirname "$0")
for script in "$here"/install/*.sh; do
  [[ $(basename "$script") == lib.sh ]] && continue
  bash "$script"
done
