#!/usr/bin/env bash
# Adoption test: packs the library as npm would publish it, installs the tarball into fresh CDKTF apps
# (one on cdktf 0.21, one on cdktn 0.24 under the `cdktf` name), compiles test/consumer/main.ts with
# `tsc --strict` and library checks on (skipLibCheck false), runs it, and checks what it synthesized:
# two clusters in two stacks, each release on its own provider, a user's resource after the last gate.
# Also checks the tarball holds only what runs, and that the app has one copy of cdktf and of each
# provider binding (the library's are peers). Scratch folders are removed on exit.
#
# Environment: CONSUMER_KEEP=1 keeps the scratch folder and prints its path.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export CHECKPOINT_DISABLE=1
fail() { echo "test-consumer: $*" >&2; exit 1; }

scratch="$(mktemp -d "${TMPDIR:-/tmp}/consumer-test-XXXXXX")"
cleanup() { if [ "${CONSUMER_KEEP:-}" = "1" ]; then echo "test-consumer: kept $scratch"; else rm -rf "$scratch"; fi; }
trap cleanup EXIT

(cd "$root" && npm run build --silent)
tarball="$(cd "$root" && npm pack --silent --pack-destination "$scratch" | tail -n 1)"
tar -tzf "$scratch/$tarball" | sort > "$scratch/files.txt"
count="$(wc -l < "$scratch/files.txt")"
size="$(stat -c %s "$scratch/$tarball")"
echo "test-consumer: $tarball: $count files, $size bytes"
unexpected="$(grep -v -E '^package/(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist/src/.+\.(js|d\.ts|js\.map))$' "$scratch/files.txt" || true)"
[ -z "$unexpected" ] || fail "the tarball holds files that do not run: $(echo "$unexpected" | head -5 | tr '\n' ' ')"
for required in package/LICENSE package/CHANGELOG.md package/README.md package/dist/src/index.js package/dist/src/index.d.ts package/dist/src/index.js.map package/dist/src/cli/main.js; do
  grep -qx "$required" "$scratch/files.txt" || fail "the tarball lacks $required"
done

check_app() {
  local flavor="$1" cdktf_spec="$2" constructs_version="$3" expected_cdktf="$4"; shift 4
  local app="$scratch/$flavor"
  mkdir -p "$app"
  echo '{ "name": "consumer-app", "version": "1.0.0", "private": true }' > "$app/package.json"
  echo "test-consumer: [$flavor] installing the tarball with $cdktf_spec"
  (cd "$app" && npm install --prefer-offline --no-audit --no-fund "$@" "$scratch/$tarball" "$cdktf_spec" "constructs@$constructs_version" \
    @cdktf/provider-helm@12.1.2 @cdktf/provider-kubernetes@12.1.1 typescript@5.9.3 @types/node@20 >/dev/null) || fail "[$flavor] npm install failed"
  local installed
  installed="$(cd "$app" && node -p "const p = require('cdktf/package.json'); p.name + '@' + p.version")"
  [ "$installed" = "$expected_cdktf" ] || fail "[$flavor] expected $expected_cdktf under the name cdktf, found $installed"
  for dep in cdktf constructs @cdktf/provider-helm @cdktf/provider-kubernetes; do
    [ ! -e "$app/node_modules/cdktf-cluster-profiles/node_modules/$dep" ] || fail "[$flavor] the library brought its own copy of $dep"
  done
  mkdir -p "$app/src"
  cp "$root/test/consumer/main.ts" "$app/src/main.ts"
  cat > "$app/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "node16", "moduleResolution": "node16", "strict": true,
  "skipLibCheck": false, "noEmitOnError": true, "outDir": "dist", "types": ["node"] }, "include": ["src"] }
JSON
  echo "test-consumer: [$flavor] tsc --strict, skipLibCheck false"
  (cd "$app" && npx --no-install tsc -p .) || fail "[$flavor] the app does not compile against the published types"
  (cd "$app" && node dist/main.js cdktf.out > run.txt) || fail "[$flavor] the app failed"
  grep -qx 'planned releases: cert-manager, hello' "$app/run.txt" || fail "[$flavor] unexpected output: $(cat "$app/run.txt")"
  grep -qx 'refused: ClusterProfiles "shared/staging": stack "shared" already holds ClusterProfiles "shared/prod"' "$app/run.txt" \
    || fail "[$flavor] a second ClusterProfiles in one stack was not refused: $(cat "$app/run.txt")"
  (cd "$app" && npx --no-install cluster-profiles --help >/dev/null) || fail "[$flavor] the cluster-profiles command does not run"
  APP="$app" node -e '
    const fs = require("fs");
    for (const cluster of ["prod", "staging"]) {
      const json = JSON.parse(fs.readFileSync(`${process.env.APP}/cdktf.out/stacks/${cluster}/cdk.tf.json`, "utf8"));
      const releases = Object.keys(json.resource.helm_release).sort().join(",");
      if (releases !== "cert-manager,hello") throw new Error(`${cluster}: releases ${releases}`);
      if (json.provider.helm[0].kubernetes.config_context !== cluster) throw new Error(`${cluster}: helm provider context ${JSON.stringify(json.provider.helm)}`);
      const smoke = json.resource.terraform_data["smoke-test"];
      if (JSON.stringify(smoke.depends_on) !== JSON.stringify(["terraform_data.tier_30"])) throw new Error(`${cluster}: smoke-test depends_on ${JSON.stringify(smoke.depends_on)}`);
    }
  ' || fail "[$flavor] the synthesized stacks are not as expected"
  echo "test-consumer: [$flavor] ok: two clusters in two stacks, one cdktf ($installed), typed handles, one stack per cluster enforced"
}

check_app cdktf cdktf@0.21.0 10.8.1 cdktf@0.21.0
# cdktn declares constructs <10.8 and the provider bindings a peer cdktf ^0.21: hence --legacy-peer-deps.
check_app cdktn cdktf@npm:cdktn@0.24.0 10.7.0 cdktn@0.24.0 --legacy-peer-deps
echo "test-consumer: all checks passed"
