#!/usr/bin/env bash
# Benchmark of issue 16: the patient-level bootstrap of FID, N x D features per side in P patients, B resamples,
# T threads; Java (PatientBootstrap, from target/classes) against numpy doing the same resamples (the stream
# re-implemented in src/test/python/bootstrap_reference.py), in the same run. Prints both times and the agreement.
#   bash src/bench/bootstrap.sh                     # 2,100 x 2,048 per side, 7 patients, B = 200, 2 threads
#   B=20 bash src/bench/bootstrap.sh                # a quicker look
#   NUMPY_B=20 bash src/bench/bootstrap.sh          # Java B = 200, numpy only the first 20 resamples (same stream)
# Times exclude process start and reading the .npy files. Prints the load average before and after.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-2100}; D=${D:-2048}; B=${B:-200}; P=${P:-7}; SEED=${SEED:-0}; T=${T:-2}; NUMPY_B=${NUMPY_B:-$B}
WORK=${WORK:-$(mktemp -d /tmp/stainbench-boot.XXXXXX)}; mkdir -p "$WORK"
[ -d target/classes/org/stainbench/evaluation/metrics ] || ./mvnw -q -o compile
if [ ! -f "$WORK/real.npy" ]; then
  echo "bench: making $N x $D float32 features per side in $WORK"
  python3 src/bench/metrics_numpy.py make "$WORK" "$N" "$D"
fi
echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "bench: Java, B=$B, $T threads"
java --add-modules jdk.incubator.vector -Dstainbench.metrics.threads="$T" -cp target/classes \
  src/bench/BootstrapBench.java "$WORK" "$B" "$P" "$SEED" "$T" > "$WORK/java.json" 2> "$WORK/java.err" \
  || { cat "$WORK/java.err"; exit 1; }
cat "$WORK/java.json"
echo "bench: numpy, B=$NUMPY_B, OPENBLAS_NUM_THREADS=$T"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$T" \
  python3 src/bench/bootstrap_numpy.py "$WORK" "$NUMPY_B" "$P" "$SEED" > "$WORK/numpy.json"
cat "$WORK/numpy.json"
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK" <<'PY'
import json, os, sys
w = sys.argv[1]
j = json.load(open(os.path.join(w, "java.json")))
p = json.load(open(os.path.join(w, "numpy.json")))
print(f"bootstrap FID: {j['n']} x {j['dim']} per side, B = {j['resamples']}, {j['threads']} threads")
print(f"Java  {j['seconds']:.1f} s ({j['seconds'] / j['resamples']:.2f} s per resample), "
      f"95 % interval [{j['low']:.6f}, {j['high']:.6f}]")
print(f"numpy {p['numpy']} ({p['method']}, OpenBLAS {p['blas'].get('core', '?')}) {p['seconds']:.1f} s "
      f"({p['seconds'] / p['resamples']:.2f} s per resample), interval [{p['low']:.6f}, {p['high']:.6f}]")
same = j['resamples'] == p['resamples']
pairs = list(zip(j['first'], p['first'])) + ([(j['low'], p['low']), (j['high'], p['high'])] if same else [])
rel = max(abs(a - b) / abs(b) for a, b in pairs)
per = (j['seconds'] / j['resamples']) / (p['seconds'] / p['resamples'])
print(f"ratio Java/numpy per resample: {per:.2f}; largest relative difference "
      f"({'first values and interval ends' if same else 'first values; numpy ran fewer resamples'}): {rel:.1e}")
PY
