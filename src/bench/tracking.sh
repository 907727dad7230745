#!/usr/bin/env bash
# Tracking benchmark of issue 19: an experiment of RUNS runs holding POINTS stored metric points in all (made with
# set-based SQL, not through HTTP) plus one CHART_POINTS-point run; then over real HTTP: runs/search with a metrics
# filter and the runs page (p50/p95) at a tenth of the points and at all of them (independence of stored points),
# the run page's chart data of the large run against every point (the pre-change chart data), and log-batch
# throughput (WRITERS clients x BATCHES batches of 1,000 points). The Java side is
# src/test/java/org/stainbench/training/TrackingBenchmark.java (a Spring Boot test on a random port, outside the suite).
#   bash src/bench/tracking.sh                                  # 1,000 runs x 5 M points, H2 (file)
#   RUNS=1000 POINTS=100000000 PG_URL=jdbc:postgresql://127.0.0.1:5432/sb bash src/bench/tracking.sh   # the target size
#   PG_URL=... PG_USER=sb PG_PASSWORD=sb                        # PostgreSQL (each run in a fresh schema)
# Prints a Markdown table (also left in target/tracking-bench.md) and the load average.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-1000}; POINTS=${POINTS:-5000000}; CHART_POINTS=${CHART_POINTS:-100000}; REPEAT=${REPEAT:-40}
WRITERS=${WRITERS:-4}; BATCHES=${BATCHES:-50}
if [ -n "${PG_URL:-}" ]; then
  export STAINBENCH_TEST_PG_URL="$PG_URL" STAINBENCH_TEST_PG_USER="${PG_USER:-sb}" STAINBENCH_TEST_PG_PASSWORD="${PG_PASSWORD:-sb}"
else
  unset STAINBENCH_TEST_PG_URL || true
fi
echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; commit $(git rev-parse --short HEAD)"
rm -f target/tracking-bench.md
./mvnw -o -q test -Dtest=TrackingBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.runs="$RUNS" -Dbench.points="$POINTS" -Dbench.chart-points="$CHART_POINTS" -Dbench.repeat="$REPEAT" \
  -Dbench.writers="$WRITERS" -Dbench.batches="$BATCHES" \
  || { tail -50 target/surefire-reports/org.stainbench.training.TrackingBenchmark-output.txt 2>/dev/null; exit 1; }
cat target/tracking-bench.md
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
