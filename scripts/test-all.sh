#!/usr/bin/env bash
# The whole test suite (the README's test command runs this through `npx projen test:all`):
#   1. tools that npm does not provide (.ci/deps.sh: PostgreSQL, PgBouncer, S3 server, schemas, ...)
#   2. `projen build`: jsii compile, API.md, unit tests (with schema conformance), eslint, package
#   3. the reference platform (`synth:example`) and the integration tests against real components
# Every stage runs even when an earlier one failed, and the last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf test-reports
status=0
stage() {
  local name=$1; shift
  echo "=== $name: $*"
  local start=$SECONDS
  if "$@"; then
    echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
    status=1
    mkdir -p test-reports/stages
    # A failed stage counts as a failed test even when it produced no report of its own.
    printf '<testsuites><testsuite name="stage" tests="1"><testcase name="%s"><failure>stage failed</failure></testcase></testsuite></testsuites>\n' "$name" \
      >"test-reports/stages/$name.xml"
  fi
}
stage release-tags bash scripts/ensure-release-tags.sh
stage deps bash .ci/deps.sh
stage build npx projen build
# CI=true makes `build` package JavaScript only; the Python and Go consumers (test/integ/consumers)
# need the wheel and the Go module too.
if [[ -n ${CI:-} ]]; then stage packages npx projen package-all; fi
# The docs site (guides and the API reference per language), for its browser test (test/integ/docs-site).
stage docs npx projen docs
stage synth-example npx projen synth:example
stage integration npx projen test:integ
node scripts/test-summary.js test-reports || status=1
exit $status
