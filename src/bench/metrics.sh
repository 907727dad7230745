#!/usr/bin/env bash
# Benchmark (a) of issue 6: FID + KID (SUBSETS x SIZE) on N x D features per side, Java (the jar's `metrics`
# command) against numpy/scipy doing the same math, in the same run. Prints both times and the ratio.
#   bash src/bench/metrics.sh                 # 10,000 x 2048 per side, KID 100 x 1000
#   N=3000 SUBSETS=10 bash src/bench/metrics.sh   # a quicker look
#   THREADS=1 SUBSETS=10 bash src/bench/metrics.sh # one thread each side (OPENBLAS_NUM_THREADS / stainbench.metrics.threads)
# Times exclude process start and reading the .npy files on both sides (each side reports its own compute time).
# numpy runs with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (see the README), and the script prints which
# OpenBLAS kernel it used.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-10000}; D=${D:-2048}; SUBSETS=${SUBSETS:-100}; SIZE=${SIZE:-1000}; SEED=${SEED:-0}; THREADS=${THREADS:-}
JAVA_THREADS=(); PY_THREADS=()
if [ -n "$THREADS" ]; then
  JAVA_THREADS=("-Dstainbench.metrics.threads=$THREADS"); PY_THREADS=("OPENBLAS_NUM_THREADS=$THREADS")
fi
WORK=${WORK:-$(mktemp -d /tmp/stainbench-bench.XXXXXX)}
JAR=$(ls target/stainbench-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)
if [ -z "$JAR" ]; then
  ./mvnw -q -DskipTests package
  JAR=$(ls target/stainbench-*.jar | grep -v -- '-plain' | head -1)
fi
if [ ! -f "$WORK/real.npy" ]; then
  echo "bench: making $N x $D float32 features per side in $WORK"
  python3 src/bench/metrics_numpy.py make "$WORK" "$N" "$D"
fi
echo "bench: Java ($JAR)"
java --add-modules jdk.incubator.vector "${JAVA_THREADS[@]}" -jar "$JAR" metrics --real "$WORK/real.npy" --fake "$WORK/fake.npy" \
  --kid-subsets "$SUBSETS" --kid-subset-size "$SIZE" --seed "$SEED" > "$WORK/java.json" 2> "$WORK/java.err" \
  || { cat "$WORK/java.err"; exit 1; }
echo "bench: numpy/scipy"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${PY_THREADS[@]}" python3 src/bench/metrics_numpy.py time "$WORK" "$SUBSETS" "$SIZE" "$SEED" \
  > "$WORK/numpy.json"
python3 - "$WORK" <<'PY'
import json, os, sys
w = sys.argv[1]
j = json.load(open(os.path.join(w, "java.json")))
p = json.load(open(os.path.join(w, "numpy.json")))
jt = j["timing"]["fid_seconds"] + j["timing"]["kid_seconds"]
pt = p["fid_seconds"] + p["kid_seconds"]
print(f"features: {j['n_real']} + {j['n_fake']} x {j['dim']}, KID {j['kid']['subsets']} x {j['kid']['subset_size']}, seed {j['kid']['seed']}")
print(f"Java  ({j['timing']['kernels']}): FID {j['timing']['fid_seconds']:.2f} s + KID {j['timing']['kid_seconds']:.2f} s = {jt:.2f} s")
b = p["blas"]
print(f"numpy {p['numpy']} / scipy {p['scipy']} (OpenBLAS {b.get('core', '?')}, {b.get('threads', '?')} threads, "
      f"{b.get('config', '')}): FID {p['fid_seconds']:.2f} s + KID {p['kid_seconds']:.2f} s = {pt:.2f} s")
print(f"ratio Java/numpy: {jt / pt:.2f}  (FID {j['timing']['fid_seconds'] / p['fid_seconds']:.2f}, "
      f"KID {j['timing']['kid_seconds'] / p['kid_seconds']:.2f})")
print(f"agreement: FID {j['fid']:.6f} vs {p['fid']:.6f} (rel {abs(j['fid'] - p['fid']) / abs(p['fid']):.1e}); "
      f"KID mean {j['kid']['mean']:.9f} vs {p['kid_mean']:.9f} (rel {abs(j['kid']['mean'] - p['kid_mean']) / abs(p['kid_mean']):.1e})")
PY
