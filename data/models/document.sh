#!/usr/bin/env bash
# Writes zimaru-maru-64.json beside the shipped model: its checksum and size, and the validation
# figures of every style on zimaru-maru-64-val.txt (the pre-training run's validation characters), as
# `zimaru-cli eval` measures them. tests/data/check-shipped-model.sh checks the model against it.
# Usage: data/models/document.sh [ZIMARU_CLI]   (default build/app/cli/zimaru-cli)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:-build/app/cli/zimaru-cli}
model=$here/zimaru-maru-64.zck
[ -f "$model" ] || { echo "document.sh: error: $model is missing" >&2; exit 1; }
eval_json=$(mktemp)
trap 'rm -f "$eval_json"' EXIT
ZIMARU_MODEL_DIR=$here "$cli" eval --checkpoint default --style all --chars "$here/zimaru-maru-64-val.txt" \
  --json --quiet > "$eval_json"
python3 - "$model" "$eval_json" "$here/zimaru-maru-64.json" <<'PY'
import hashlib, json, os, sys
model, eval_path, out = sys.argv[1:4]
ev = json.load(open(eval_path))
doc = {
    "file": os.path.basename(model),
    "bytes": os.path.getsize(model),
    "sha256": hashlib.sha256(open(model, "rb").read()).hexdigest(),
    "step": ev["step"],
    "size": ev["size"],
    "validation_chars": "zimaru-maru-64-val.txt",
    "styles": {name: {"target": s["target"], "weight": s["weight"], "n": s["n"],
                      "ssim": round(s["model"]["ssim"], 4), "l1": round(s["model"]["l1"], 4),
                      "iou": round(s["model"]["iou"], 4)}
               for name, s in ev["styles"].items()},
}
tmp = out + ".tmp"
with open(tmp, "w") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
os.replace(tmp, out)
PY
echo "document.sh: wrote $here/zimaru-maru-64.json"
