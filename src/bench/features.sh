#!/usr/bin/env bash
# Benchmark (b) of issue 6: feature-extraction throughput (tiles/s) at 299 x 299 with a random-weight
# Inception-v3 ONNX on the CPU, through the jar's `features` command (DJL + ONNX Runtime, offline), for several
# batch sizes; the same network in PyTorch on the same input is timed in the same run as the reference.
#   bash src/bench/features.sh                  # 64 tiles, batches 1 4 8 16 32
#   TILES=32 BATCHES="8 16" bash src/bench/features.sh
# Needs Debian's python3-torch and python3-torchvision (installed here when missing, as root). The .onnx it
# exports (~90 MB) lives in the work folder, never in the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
TILES=${TILES:-64}; BATCHES=${BATCHES:-"1 4 8 16 32"}
WORK=${WORK:-/tmp/stainbench-bench-features}
mkdir -p "$WORK"
if ! /usr/bin/python3 -c "import torch, torchvision" 2>/dev/null; then
  echo "bench: installing python3-torch python3-torchvision"
  apt-get install -y -qq python3-torch python3-torchvision > /dev/null
fi
[ -f "$WORK/inception_random.onnx" ] || /usr/bin/python3 src/bench/inception_random.py export "$WORK/inception_random.onnx"
[ -f "$WORK/tiles_$TILES.npy" ] || /usr/bin/python3 src/bench/inception_random.py tiles "$WORK/tiles_$TILES.npy" "$TILES"
JAR=$(ls target/stainbench-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)
if [ -z "$JAR" ]; then
  ./mvnw -q -DskipTests package
  JAR=$(ls target/stainbench-*.jar | grep -v -- '-plain' | head -1)
fi
java -Dai.djl.offline=true -jar "$JAR" features --model "$WORK/inception_random.onnx" --tiles "$WORK/tiles_$TILES.npy" \
  --size 299 --resize none --batch "$(echo $BATCHES | tr ' ' ',')" > "$WORK/java.json" 2> "$WORK/java.err" \
  || { cat "$WORK/java.err"; exit 1; }
/usr/bin/python3 src/bench/inception_random.py torch "$WORK/inception_random.onnx" "$WORK/tiles_$TILES.npy" $BATCHES \
  > "$WORK/torch.json"
python3 - "$WORK" <<'PY'
import json, os, sys
w = sys.argv[1]
j = json.load(open(os.path.join(w, "java.json")))
t = json.load(open(os.path.join(w, "torch.json")))
print(f"{j['tiles']} tiles {j['tile_size']}, features {j['dim']}-d, model sha256 {j['sha256'][:16]}...")
print(f"{'batch':>5}  {'Java DJL+ORT tiles/s':>20}  {'PyTorch ' + t['torch'] + ' tiles/s':>22}  ratio")
for a, b in zip(j["runs"], t["runs"]):
    print(f"{a['batch']:>5}  {a['tiles_per_second']:>20.1f}  {b['tiles_per_second']:>22.1f}  {a['tiles_per_second'] / b['tiles_per_second']:.2f}")
best = max(j["runs"], key=lambda r: r["tiles_per_second"])
print(f"best Java: batch {best['batch']}, {best['tiles_per_second']:.1f} tiles/s (includes uint8 -> float preprocessing)")
PY
