#!/usr/bin/env bash
# Mutation testing of the src/ files a branch changed since it left main (its merge base), for a
# change's CI or before a merge (docs/development/mutation-testing.md). Arguments pass to Stryker.
# BASE overrides the branch compared with (default: main, else origin/main).
set -euo pipefail
base="${BASE:-main}"
git rev-parse --verify --quiet "$base" >/dev/null || base=origin/main
mb="$(git merge-base HEAD "$base")"
# Changed, added or renamed files (not deleted), committed or not, under src/ but not src/imports/.
mapfile -t files < <( { git diff --name-only --diff-filter=ACMR "$mb" -- 'src/*.ts'; git ls-files --others --exclude-standard -- 'src/*.ts'; } \
  | grep -v '^src/imports/' | sort -u)
if [ "${#files[@]}" -eq 0 ]; then
  echo "mutation:changed: no file of src/ changed since $(git rev-parse --short "$mb") ($base): nothing to mutate"
  exit 0
fi
echo "mutation:changed: ${#files[@]} file(s) changed since $(git rev-parse --short "$mb") ($base): ${files[*]}"
mutate="$(IFS=,; echo "${files[*]}")"
exec npx stryker run --mutate "$mutate" "$@"
