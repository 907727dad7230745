#!/usr/bin/env bash
# Whole-slide tiling benchmark: the tile-slide job's work (OpenSlide via JNA, tissue mask, parallel reads,
# TileMeasures filter, lab archive) against OpenSlide's Python binding + numpy applying the same filter
# and writing the same archive with np.savez, on the same ~20,000 x 20,000 px pyramidal TIFF in the same run.
#
# usage: src/bench/tiling.sh [WORKDIR]        (needs libvips-tools, libopenslide0, python3-openslide; builds the jar)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${1:-$(mktemp -d /tmp/tiling-bench.XXXXXX)}
mkdir -p "$WORK"
REAL=${REAL:-$ROOT/../shared/data/real}
JAR=$(ls target/stainbench-*.jar 2>/dev/null | grep -v original | head -1 || true)
if [ -z "$JAR" ]; then
  ./mvnw -q -DskipTests package
  JAR=$(ls target/stainbench-*.jar | grep -v original | head -1)
fi

SLIDE=$WORK/he_bench_1.tif
if [ ! -f "$SLIDE" ]; then
  # a real H&E image (1000 x 1000) replicated 17 x 17, on a white 20,000 x 20,000 canvas (background to skip)
  vips replicate "$REAL/he_tiatoolbox_1.png" "$WORK/rep.v" 17 17
  vips embed "$WORK/rep.v" "$WORK/canvas.v" 1500 1500 20000 20000 --extend white
  vips tiffsave "$WORK/canvas.v" "$SLIDE" --tile --pyramid --compression jpeg --tile-width 256 --tile-height 256
  rm -f "$WORK/rep.v" "$WORK/canvas.v"
fi
echo "slide: $SLIDE ($(vipsheader "$SLIDE"))"
sync

echo "java (tile-bench, tissue mask, $(nproc) threads):"
JAVA_MASK=$(java -jar "$JAR" tile-bench "$SLIDE" "$WORK/java.npz" --size 1024 | tail -1)
echo "  $JAVA_MASK"
echo "java (tile-bench, no mask: every tile read, as the lab's script):"
JAVA_ALL=$(java -jar "$JAR" tile-bench "$SLIDE" "$WORK/java_all.npz" --size 1024 --no-mask | tail -1)
echo "  $JAVA_ALL"
echo "python (openslide-python + numpy, /usr/bin/python3, one process as the lab ran it):"
PY=$(/usr/bin/python3 src/test/python/slide_reference.py "$SLIDE" 0 1024 0 0 "$WORK/python.npz" | python3 -c '
import json, sys
d = json.load(sys.stdin)
n = len(d["tiles"]); k = sum(1 for t in d["tiles"] if t[6])
print(json.dumps({"tiles": n, "read": n, "kept": k, "seconds": round(d["seconds"], 3), "tiles_per_s": round(n / d["seconds"], 2)}))')
echo "  $PY"
python3 - "$JAVA_MASK" "$JAVA_ALL" "$PY" "$WORK" <<'PYEOF'
import json, sys, numpy as np
jm, ja, py = (json.loads(a) for a in sys.argv[1:4])
work = sys.argv[4]
assert jm["kept"] == ja["kept"] == py["kept"], ("kept tiles differ", jm["kept"], ja["kept"], py["kept"])
a = np.load(f"{work}/java.npz", allow_pickle=True)["arr_0"]
b = np.load(f"{work}/python.npz", allow_pickle=True)["arr_0"]
assert a.shape == b.shape and all(np.array_equal(a[i, 0], b[i, 0]) for i in range(len(a))), "archives hold different tiles"
print(f"same {len(a)} kept tiles, pixel-identical archives")
print(f"ratio (java with mask / python): {jm['tiles_per_s'] / py['tiles_per_s']:.2f}x")
print(f"ratio (java without mask / python): {ja['tiles_per_s'] / py['tiles_per_s']:.2f}x")
PYEOF
