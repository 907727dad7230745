#!/usr/bin/env bash
# Gallery benchmark: the demo project with 12 checkpoints (two baselines + ten stain-remap variants, generated on
# the CPU), then the random and best/worst gallery pages at 6 rows x 12 checkpoints over real HTTP on localhost,
# warm (100 interleaved warm-up rounds over all pages, then per page 100 more warm-up and 100 measured requests): median and p95 response time, page bytes, and the bytes of the
# thumbnails the page references (no full-resolution image is referenced until a tile is opened). The catalog's
# tile browser page is measured in the same run as the reference, and the random gallery page together with its 78
# thumbnails (fetched over 6 parallel connections, as a browser does).
#
# MODE=s3 runs it twice in one JVM: on the local store (as above) and on S3 (GalleryS3Benchmark: a bucket of an
# s3proxy started by the benchmark on loopback, filesystem backend, with the artifact cache in front), where the page
# with its thumbnails is also measured cold (the artifact cache emptied before each round).
#
# usage: src/bench/gallery.sh          (prints a Markdown table; also written to target/bench/gallery.md)
#        MODE=s3 src/bench/gallery.sh  (both tables; the S3 one also in target/bench/gallery-s3.md)
#        REMAPS=n (default 10) stain-remap checkpoints beside the two baselines; RUNS=n (default 100) warm-up and
#        measured requests per page (a loaded machine needs fewer of both to finish)
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p target
tests=GalleryBenchmark
if [ "${MODE:-local}" = s3 ]; then
  tests='GalleryBenchmark,GalleryS3Benchmark'
  rm -f target/bench/gallery-s3.md
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
./mvnw -q test -Dtest="$tests" -Dbench.remaps="${REMAPS:-10}" -Dbench.runs="${RUNS:-100}" -Dsurefire.failIfNoSpecifiedTests=false > target/gallery-bench.log 2>&1 || {
  tail -50 target/gallery-bench.log; exit 1; }
echo "commit $(git rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'), load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after"
cat target/bench/gallery.md
if [ "${MODE:-local}" = s3 ]; then
  echo
  cat target/bench/gallery-s3.md
fi
