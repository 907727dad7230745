#!/usr/bin/env bash
# Artifact reads of one gallery page on S3 (s3proxy on loopback, started in-process): 72 thumbnails and 72 tile
# ranges of a 2,000-tile archive, cold (GET / range GET each) and warm (through the local disk cache).
#
# usage: src/bench/artifact-cache.sh   (prints a Markdown table; also written to target/bench/artifact-cache.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p target
./mvnw -q test -Dtest=ArtifactCacheBenchmark -Dsurefire.failIfNoSpecifiedTests=false > target/artifact-cache-bench.log 2>&1 || {
  tail -50 target/artifact-cache-bench.log; exit 1; }
cat target/bench/artifact-cache.md
