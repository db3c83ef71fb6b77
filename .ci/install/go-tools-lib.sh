# Shared helpers of the Go tool installers (kustomize, kubeconform, flux-substitute); sourced, not run.
# Binaries are cached per user, keyed by version, so that clones and worktrees share one build:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/cnpg-constructs/bin/<tool>-<version>
# and linked (by name, without version) into $CACHE_DIR/bin, where the tests look for them.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GO_TOOLS_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/cnpg-constructs/bin
mkdir -p "$GO_TOOLS_CACHE" "$CACHE_DIR/bin"

# go_tool_link NAME VERSION: links the cached binary as $CACHE_DIR/bin/NAME; true when it exists.
go_tool_link() {
  local cached=$GO_TOOLS_CACHE/$1-$2
  [[ -x $cached ]] || return 1
  ln -sf "$cached" "$CACHE_DIR/bin/$1"
}

# go_tool_install NAME MODULE/PATH VERSION: `go install` from the Go module proxy (checksums
# verified by sum.golang.org), niced, into the cache.
go_tool_install() {
  local name=$1 pkg=$2 version=$3 tmp start=$SECONDS
  command -v go >/dev/null || { log "$name: the go command is missing"; return 1; }
  tmp=$(mktemp -d)
  GOBIN=$tmp CGO_ENABLED=0 nice -n 10 go install -trimpath "$pkg@$version"
  mv "$tmp/$name" "$GO_TOOLS_CACHE/$name-$version"
  rm -rf "$tmp"
  go_tool_link "$name" "$version"
  log "$name: built $pkg@$version ($((SECONDS - start)) s)"
}
