#!/usr/bin/env bash
# Writes everything the tool prints or writes for every example and test fixture into OUTDIR, so
# two builds can be compared byte for byte (`diff -r`): each profile file alone and the example
# clusters through every read-only command (plan, plan --json, graph in both formats, export,
# review of the fixture plan in every format), synth (cdk.tf.json, chart files, what it prints),
# diff between versions of the example profiles, and the example apps (`npm start`,
# `npm run fleet`). Exit codes are recorded with the output. Needs a build (`npm run build`).
#   bash scripts/outputs-snapshot.sh OUTDIR
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:?usage: outputs-snapshot.sh OUTDIR}")"
cd "$root"
# One run at a time on this machine: the scratch folder below is shared.
exec 9>/tmp/cluster-profiles-outputs-snapshot.lock
flock 9
rm -rf "$out" && mkdir -p "$out"
cli=(node dist/src/cli/main.js)
# One fixed scratch folder, so paths written into the outputs are the same in every run.
work=/tmp/cluster-profiles-outputs-snapshot
rm -rf "$work" && mkdir -p "$work"

# run NAME ARGS...: stdout, stderr and the exit code of one CLI call, the scratch path hidden.
run() {
  local name="$1"; shift
  local code=0
  "${cli[@]}" "$@" >"$out/$name.out" 2>"$out/$name.err" || code=$?
  echo "$code" >"$out/$name.code"
}

# synth_case NAME ARGS...: synth into the scratch folder, then keep what it wrote.
synth_case() {
  local name="$1"; shift
  rm -rf "$work/synth"
  run "$name.synth" synth --out "$work/synth" "$@"
  if [ -d "$work/synth" ]; then cp -r "$work/synth" "$out/$name.synth.files"; fi
}

# every_command NAME ARGS...: the read-only commands and synth on the same input.
every_command() {
  local name="$1"; shift
  run "$name.plan" plan "$@"
  run "$name.plan-json" plan --json "$@"
  run "$name.graph" graph "$@"
  run "$name.graph-dot" graph --format dot "$@"
  synth_case "$name" "$@"
}

catalog=(--catalog examples/catalog.yaml --registry Charts=https://charts.example.com
  --registry 64a1f0c2e4b0a1b2c3d4e5f6=https://north.example.com --registry 65b2e1d3f5c1b2c3d4e5f6a7=https://south.example.com)
files=(examples/profiles/*.json examples/profiles/*.yaml test/fixtures/*.json test/fixtures/tenants/*.json \
  test/corpus/palette-packs/*.json test/corpus/bad/*)
for f in "${files[@]}"; do
  name="$(echo "$f" | tr '/' '_')"
  echo "outputs snapshot: $f" >&2
  every_command "$name" "${catalog[@]}" "$f"
  run "$name.plain-plan" plan "$f"
  run "$name.export" export "$f"
done

edge=(examples/profiles/edge-platform.json examples/profiles/team-observability.json)
web=(test/fixtures/web-platform.json test/fixtures/team-addons.json)
tenants=(test/fixtures/web-platform.json test/fixtures/tenants/north-addons.json test/fixtures/tenants/south-addons.json)
every_command cluster-edge "${catalog[@]}" "${edge[@]}"
every_command cluster-web "${catalog[@]}" "${web[@]}"
every_command cluster-tenants "${catalog[@]}" "${tenants[@]}"
every_command cluster-edge-store "${catalog[@]}" "${edge[@]}" examples/profiles/store-apps.yaml
run cluster-edge.strict-plan plan --strict "${catalog[@]}" "${edge[@]}"
for format in text markdown json html; do
  run "review-fixture.$format" review --terraform-plan test/fixtures/terraform-plans/kubernetes-and-helm.json \
    --format "$format" "${catalog[@]}" "${edge[@]}"
done
run diff-edge-web diff "${catalog[@]}" "${edge[@]}" -- "${web[@]}"
run diff-edge-web-json diff --json "${catalog[@]}" "${edge[@]}" -- "${web[@]}"
run diff-edge-store diff "${catalog[@]}" "${edge[@]}" -- "${edge[@]}" examples/profiles/store-apps.yaml
run diff-export diff "${catalog[@]}" examples/profiles/palette-export-spectro.json -- examples/profiles/team-observability.json

# The example apps.
rm -rf cdktf.out
node dist/examples/main.js >"$out/example-main.out" 2>&1
cp -r cdktf.out "$out/example-main.cdktf.out"
rm -rf cdktf.out
node dist/examples/fleet.js >"$out/example-fleet.out" 2>&1
cp -r cdktf.out "$out/example-fleet.cdktf.out"
rm -rf cdktf.out "$work"
# Temporary chart folders carry random names: hide them so the comparison sees the content.
grep -rlE 'cluster-profiles-[a-z-]*[A-Za-z0-9]{6}' "$out" 2>/dev/null | while read -r f; do
  sed -i -E 's#(cluster-profiles-[a-z-]*)[A-Za-z0-9]{6}#\1XXXXXX#g' "$f"
done
echo "outputs snapshot: $(find "$out" -type f | wc -l) files in $out" >&2
