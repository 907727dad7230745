#!/usr/bin/env bash
# Ingest benchmark: numpy writes lab-format archives (N tiles of 1024x1024, compressed and stored); then, in the
# same run, numpy's bare decode (np.load(..., allow_pickle=True) over every tile) and Java's full ingest pass
# (decode, every measure, 256 px JPEG thumbnails, raw tile file) on the same files, and Java's peak heap on an
# archive of N/2 and of N tiles under a small -Xmx (it must not grow with the archive).
#
# usage: src/bench/ingest.sh [N=200] [THREADS=2]      (prints a Markdown table)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-200}
THREADS=${2:-2}
JAR=target/stainbench-0.1.0-SNAPSHOT.jar
[ -f "$JAR" ] || ./mvnw -q package -DskipTests
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 src/bench/write_archive.py "$WORK" "$N" lab
python3 src/bench/write_archive.py "$WORK" "$((N / 2))" half
java_ingest() { java -Xmx"$2" -XX:+UseG1GC -jar "$JAR" ingest-bench "$1" --threads "$THREADS" | tail -1; }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
echo "| archive ($N tiles, 1024x1024) | size | numpy decode tiles/s | numpy MB/s | Java ingest tiles/s | Java MB/s | ratio |"
echo "|---|---|---|---|---|---|---|"
for kind in compressed stored; do
  f="$WORK/lab_$kind.npz"
  np_json=$(python3 src/bench/numpy_decode.py "$f")
  j_json=$(java_ingest "$f" 1g)
  ratio=$(python3 -c "print(f'{$(field "$j_json" tiles_per_s) / $(field "$np_json" tiles_per_s):.2f}x')")
  echo "| lab layout, $kind | $(du -m "$f" | cut -f1) MB | $(field "$np_json" tiles_per_s) | $(field "$np_json" mb_per_s) | $(field "$j_json" tiles_per_s) | $(field "$j_json" mb_per_s) | $ratio |"
done
echo
echo "| Java ingest under -Xmx128m | tiles | archive MB (uncompressed tiles) | peak heap used MB |"
echo "|---|---|---|---|"
for p in half lab; do
  f="$WORK/${p}_compressed.npz"
  j_json=$(java_ingest "$f" 128m)
  t=$(field "$j_json" tiles)
  echo "| ${p}_compressed.npz | $t | $((t * 3)) | $(field "$j_json" peak_heap_mb) |"
done
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); numpy $(python3 -c 'import numpy; print(numpy.__version__)')"
