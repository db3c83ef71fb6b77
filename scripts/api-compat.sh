#!/usr/bin/env bash
# API compatibility check: jsii-diff between the jsii assembly of the last release tag in this
# repository and the current one. The tagged tree is compiled in a temporary git worktree that
# reuses this checkout's node_modules, or, when the tag's lockfile differs, installs the tag's own
# (`npm ci --prefer-offline`: from the npm cache where it can, from the registry otherwise: a fresh
# machine's empty cache has none of the tag's packages).
#
# Fails on a breaking change of a stable API that is not marked. A deliberate breaking change is
# marked by adding the key jsii-diff prints (e.g. `removed:@platform/cnpg-constructs.Foo.bar`) to
# .compatignore, with a `BREAKING CHANGE:` footer in the commit (docs/guides/versioning.md).
# APIs marked `@experimental` only warn.
#
# Environment:
#   COMPAT_BASE     the release to compare with (default: the newest v* tag reachable from HEAD)
#   COMPAT_UPDATED  a directory with the updated .jsii and package.json (default: this checkout,
#                   whose .jsii `npx projen build` / `npx jsii` wrote)
#   COMPAT_IGNORE   the ignore file (default: .compatignore)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20

base=${COMPAT_BASE:-}
if [[ -z $base ]]; then
  if [[ $(git rev-parse --is-shallow-repository) == true ]] && ! git describe --tags --abbrev=0 --match 'v[0-9]*' HEAD >/dev/null 2>&1; then
    git fetch --quiet --tags --unshallow origin 2>/dev/null || true
  fi
  base=$(git describe --tags --abbrev=0 --match 'v[0-9]*' HEAD 2>/dev/null) || {
    echo "api-compat: no release tag (v*) is reachable from HEAD: tag the last release (git tag -a v0.1.0 <commit>)" >&2
    exit 1
  }
fi
sha=$(git rev-parse --verify "$base^{commit}")
updated=${COMPAT_UPDATED:-$ROOT}
ignore=${COMPAT_IGNORE:-$ROOT/.compatignore}
[[ -f $updated/.jsii ]] || { echo "api-compat: $updated/.jsii is missing: run 'npx projen build' (or 'npx jsii') first" >&2; exit 1; }

# The base assembly, built once per commit and kept in .cache/compat/<sha>/ (under the checkout,
# so that jsii-diff resolves cdk8s' and constructs' assemblies from its node_modules).
cache=$ROOT/.cache/compat/$sha
if [[ ! -f $cache/.jsii ]]; then
  echo "api-compat: building the assembly of $base (${sha:0:12}) in a temporary worktree"
  tmp=$(mktemp -d)
  cleanup() { git -C "$ROOT" worktree remove --force "$tmp/tree" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
  trap cleanup EXIT
  git worktree add --quiet --detach "$tmp/tree" "$sha"
  if git diff --quiet "$sha" HEAD -- package-lock.json && [[ -d $ROOT/node_modules ]]; then
    ln -s "$ROOT/node_modules" "$tmp/tree/node_modules"
  else
    (cd "$tmp/tree" && npm ci --prefer-offline --ignore-scripts --no-audit --no-fund >/dev/null)
  fi
  (cd "$tmp/tree" && npx jsii --silence-warnings=reserved-word >/dev/null)
  mkdir -p "$cache.tmp"
  cp "$tmp/tree/.jsii" "$tmp/tree/package.json" "$cache.tmp/"
  rm -rf "$cache" && mv "$cache.tmp" "$cache"
fi

echo "api-compat: jsii-diff $base -> $([[ $updated == "$ROOT" ]] && echo "the current tree" || echo "$updated")"
# --error-on non-experimental: a breaking change of a stable (or deprecated) API fails; one of an
# @experimental API is reported as a warning.
npx jsii-diff --keys --error-on non-experimental --ignore-file "$ignore" "$cache" "$updated"
echo "api-compat: no unmarked breaking change since $base"
