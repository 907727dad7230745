#!/usr/bin/env bash
# Gallery benchmark: the demo project with 12 checkpoints (two baselines + ten stain-remap variants, generated on
# the CPU), then the random and best/worst gallery pages at 6 rows x 12 checkpoints over real HTTP on localhost,
# warm (100 interleaved warm-up rounds over all pages, then per page 100 more warm-up and 100 measured requests): median and p95 response time, page bytes, and the bytes of the
# thumbnails the page references (no full-resolution image is referenced until a tile is opened). The catalog's
# tile browser page is measured in the same run as the reference.
#
# usage: src/bench/gallery.sh        (prints a Markdown table; also written to target/bench/gallery.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p target
./mvnw -q test -Dtest=GalleryBenchmark -Dsurefire.failIfNoSpecifiedTests=false > target/gallery-bench.log 2>&1 || {
  tail -50 target/gallery-bench.log; exit 1; }
cat target/bench/gallery.md
