# Shared helpers of the real-systems installers (sourced, not run; not a *.sh, so .ci/deps.sh does not run it):
# how the pinned versions are read, and the index the tests read (test/integ/real-systems).
#
# The binaries live outside the checkout, in ${XDG_CACHE_HOME:-$HOME/.cache}/cnpg-constructs/
# real-systems/, one folder per component, version and build stamp (a hash of the pinned module
# hash, the sources and flags of the build, and the go toolchain): a fresh clone on the same
# machine finds them there, and a changed pin builds a new folder beside the old one.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RS_VERSIONS=$CI_ROOT/tools/real-systems/versions.json
RS_CACHE=${CNPG_REAL_SYSTEMS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cnpg-constructs/real-systems}
# What this checkout's tests run: one small JSON file per installer, written last.
RS_INDEX=$CACHE_DIR/real-systems
mkdir -p "$RS_CACHE" "$RS_INDEX"

# Reads a value of versions.json: rs_get 'v.kubernetes.version'
rs_get() { node -e "const v = require(process.argv[1]); const r = ($1); process.stdout.write(Array.isArray(r) ? r.join('\n') : String(r));" "$RS_VERSIONS"; }

rs_require_go() {
  command -v go >/dev/null || { log "$1: the go command is missing"; exit 1; }
}

# Long builds share two cores with everything else on the machine.
rs_go() { GOTOOLCHAIN=local GOFLAGS='-mod=readonly -buildvcs=false' CGO_ENABLED=0 nice -n 10 go "$@"; }

# Downloads a module version (the go command verifies it against sum.golang.org) and checks its
# hash against the one pinned in versions.json. Prints the module's folder in the module cache.
rs_download_verified() {
  local module=$1 version=$2 want=$3 json dir sum
  json=$(GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "$module@$version") || { log "cannot download $module@$version"; return 1; }
  dir=$(node -e 'const j = JSON.parse(process.argv[1]); if (j.Error) { console.error(j.Error); process.exit(1); } process.stdout.write(j.Dir)' "$json") || return 1
  sum=$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).Sum)' "$json")
  if [[ $sum != "$want" ]]; then
    log "$module@$version: module hash $sum, but versions.json pins $want"
    return 1
  fi
  echo "$dir"
}

# The build stamp: the first 16 hex digits of a hash of everything given (strings or files).
rs_stamp() { { for x in "$@"; do if [[ -f $x ]]; then cat "$x"; else echo "$x"; fi; done; go version; } | sha256sum | cut -c1-16; }
