#!/usr/bin/env bash
# Feature extraction on a node agent, CPU path (issue 21 item 3): one real agent process runs the jar's
# `features --job` command for an evaluation (BENCH_TILES tiles of 256 px per side, full tile + one crop each,
# the demo's random-weight extractor), against the same extraction in-process as the reference. Figures:
# target/bench/features-node.md (copy them into src/docs/benchmarks.md with the date, commit and machine).
#   bash src/bench/node_features.sh            # 256 tiles per side
#   BENCH_TILES=64 bash src/bench/node_features.sh
# (FeaturesNodeBench is not an *IT class, so ./mvnw verify does not run it.)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dbench.tiles="${BENCH_TILES:-256}" \
  -Dit.test='FeaturesNodeBench' -Dfailsafe.failIfNoSpecifiedTests=false
cat target/bench/features-node.md
