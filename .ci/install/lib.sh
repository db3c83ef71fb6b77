# Shared helpers for .ci/install/*.sh (sourced, not run).
CI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE_DIR=${CNPG_CACHE_DIR:-$CI_ROOT/.cache}
mkdir -p "$CACHE_DIR"
log() { echo "[deps] $*" >&2; }
_apt_updated=
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  local sudo=
  [[ $(id -u) -ne 0 ]] && sudo=sudo
  if [[ -z $_apt_updated ]]; then
    # Some third-party sources on these machines are unreachable: a partial update is fine.
    $sudo apt-get update -qq >/dev/null 2>&1 || log "apt-get update reported errors (third-party sources); continuing"
    _apt_updated=1
  fi
  $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
