#!/usr/bin/env bash
# Makes the real engines the tests compare against available, then builds the Go programs under
# test/engines/go/ into .engines/bin/ (rebuilt only when their source changes):
#   - Go with sprig, sigs.k8s.io/yaml, go-yaml v2 and gobwas/glob from Debian's packages: the Helm
#     rendering harness and the Kubernetes YAML reader (GOPATH mode, offline, /usr/share/gocode);
#   - Debian's chromium, for the tests that draw diagrams in a real browser.
# Missing Debian packages are installed with apt-get when running as root (or with sudo); otherwise
# the script names the command to run and fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

packages=(golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev golang-gopkg-yaml.v2-dev golang-github-gobwas-glob-dev chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    echo "test engines: missing Debian packages: ${missing[*]}" >&2
    echo "test engines: install them with: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "test engines: installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >/dev/null
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

bin="$root/.engines/bin"
mkdir -p "$bin"
for dir in "$root"/test/engines/go/*/; do
  name="$(basename "$dir")"
  hash="$(cat "$dir"*.go | sha256sum | cut -c1-16)"
  if [ -x "$bin/$name" ] && [ "$(cat "$bin/$name.hash" 2>/dev/null)" = "$hash" ]; then continue; fi
  echo "test engines: building $name (Go, GOPATH mode against /usr/share/gocode)"
  (cd "$dir" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o "$bin/$name.tmp" .)
  mv "$bin/$name.tmp" "$bin/$name"
  echo "$hash" > "$bin/$name.hash"
done
