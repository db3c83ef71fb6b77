#!/usr/bin/env bash
# Kubernetes' own JSON schemas (v1.30, strict: unknown fields rejected, as kubectl's strict
# validation does), from the maintained PyPI package kubernetes-validate. The conformance tests
# validate every core object (Namespace, CronJob, PodDisruptionBudget, ...) against them.
# Idempotent: does nothing when the schemas are already unpacked.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
VERSION=1.37.0
SHA256=85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9
K8S=v1.30.0
dest="$CACHE_DIR/k8s-schemas/$K8S-local-strict"
if [[ -f $dest/_definitions.json ]]; then
  log "k8s-schemas: $K8S strict (kubernetes-validate $VERSION) present"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "kubernetes-validate==$VERSION --hash=sha256:$SHA256" >"$tmp/req.txt"
python3 -m pip download --quiet --no-deps --require-hashes -r "$tmp/req.txt" -d "$tmp"
python3 - "$tmp"/kubernetes_validate-"$VERSION"-py3-none-any.whl "$K8S" "$CACHE_DIR/k8s-schemas" <<'PY'
import sys, zipfile, os
wheel, k8s, out = sys.argv[1:]
prefix = f"kubernetes_validate/kubernetes-json-schema/{k8s}-local-strict/"
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and n.endswith('.json')]
    for n in names:
        target = os.path.join(out, f"{k8s}-local-strict", n[len(prefix):])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, 'wb') as f:
            f.write(z.read(n))
print(f"[deps] k8s-schemas: unpacked {len(names)} schemas of {k8s}", file=sys.stderr)
PY
