#!/usr/bin/env bash
# Headless Chromium from Debian, for the docs site's browser test (test/integ/docs-site.test.ts,
# driven by playwright-core with executablePath /usr/bin/chromium). Playwright's own browser
# download cannot be used here (only package registries are reachable).
#
# Idempotent: a no-op when /usr/bin/chromium is there and runs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [[ -x /usr/bin/chromium ]] && /usr/bin/chromium --headless --no-sandbox --version >/dev/null 2>&1; then
  log "chromium: $(/usr/bin/chromium --version 2>/dev/null) (already installed)"
  exit 0
fi
log "chromium: installing Debian's chromium and fonts"
apt_install chromium fonts-liberation
log "chromium: $(/usr/bin/chromium --version 2>/dev/null)"
