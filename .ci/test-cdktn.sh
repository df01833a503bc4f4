#!/usr/bin/env bash
# Runs the synthesis tests once more against cdktn (CDK Terrain, the community fork of the archived
# cdktf), installed under the `cdktf` name exactly as users switch: `cdktf@npm:cdktn@<version>`.
#
# The repository's own node_modules and package-lock.json stay on cdktf: everything happens in a
# scratch copy of the sources (a temporary folder with its own node_modules), removed on exit.
# Needs only the npm registry (or a warm npm cache). Fails loudly when cdktn cannot be installed.
#
# Environment:
#   CDKTN_VERSION       cdktn version to test against (default 0.24.0)
#   CDKTN_KEEP=1        keep the scratch folder and print its path (for debugging)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="${CDKTN_VERSION:-0.24.0}"
export CHECKPOINT_DISABLE=1

fail() {
  echo "test-cdktn: $*" >&2
  exit 1
}

scratch="$(mktemp -d "${TMPDIR:-/tmp}/cdktn-test-XXXXXX")"
cleanup() {
  if [ "${CDKTN_KEEP:-}" = "1" ]; then echo "test-cdktn: kept $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT

echo "test-cdktn: copying the sources into $scratch"
# Everything but installed, built and generated folders; new untracked files are included on purpose.
tar -C "$root" \
  --exclude=./node_modules --exclude=./dist --exclude='./.build-*' --exclude=./.git \
  --exclude=./cdktf.out --exclude='./.cdktf.out-*' \
  -cf - . | tar -C "$scratch" -xf -

# The library declares cdktf as a peer (for its users); in this scratch copy cdktn takes the cdktf name
# as a devDependency, and npm cannot compare an alias with the peer range, so the peer entry goes.
(cd "$scratch" && npm pkg delete peerDependencies.cdktf)
echo "test-cdktn: installing cdktf@npm:cdktn@$version (other dependencies as locked)"
# --legacy-peer-deps: the @cdktf/provider-* bindings declare a peer dependency on cdktf ^0.21 and
# cdktn declares constructs <10.8; the alias satisfies neither check by name, though both work.
if ! (cd "$scratch" && npm install --prefer-offline --no-audit --no-fund --legacy-peer-deps "cdktf@npm:cdktn@$version"); then
  fail "could not install cdktn $version from the npm registry (see npm's output above); the cdktn run did not happen"
fi
installed="$(cd "$scratch" && node -p "const p = require('cdktf/package.json'); p.name + '@' + p.version")"
[ "$installed" = "cdktn@$version" ] || fail "expected cdktn@$version under the name cdktf, found $installed"
echo "test-cdktn: require('cdktf') is $installed"

echo "test-cdktn: compiling against cdktn's types"
(cd "$scratch" && npx --no-install tsc -p . --outDir dist) || fail "TypeScript compilation against cdktn $version failed"

# The synthesis tests: every test file that loads cdktf or a provider binding, directly or not.
mapfile -t tests < <(cd "$scratch" && node .ci/cdktf-test-files.js dist/test)
[ "${#tests[@]}" -gt 0 ] || fail "no compiled test file loads cdktf; nothing would be tested against cdktn"
echo "test-cdktn: running ${#tests[@]} test files against $installed: ${tests[*]#dist/test/}"
(cd "$scratch" && node --test "${tests[@]}") || fail "tests failed against cdktn $version"
echo "test-cdktn: all ${#tests[@]} test files pass against $installed"
