#!/usr/bin/env bash
# Recreates the release tags listed in .release-tags that this clone lacks (a clone of the branch
# alone carries no tags). A tag that exists but points elsewhere is an error.
set -euo pipefail
cd "$(dirname "$0")/.."
while read -r tag commit; do
  [[ -z ${tag:-} || $tag == \#* ]] && continue
  if existing=$(git rev-parse --verify --quiet "refs/tags/$tag^{commit}"); then
    [[ $existing == "$commit" ]] || { echo "release tag $tag points at $existing, .release-tags says $commit" >&2; exit 1; }
    continue
  fi
  git cat-file -e "$commit^{commit}" 2>/dev/null || { echo "release $tag: commit $commit is not in this clone's history" >&2; exit 1; }
  git -c user.name=ci -c user.email=ci@localhost tag -a "$tag" "$commit" -m "$tag (recreated from .release-tags)"
  echo "release tag $tag recreated at ${commit:0:12}"
done < .release-tags
