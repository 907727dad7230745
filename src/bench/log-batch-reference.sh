#!/usr/bin/env bash
# Log-batch throughput of this commit against a reference commit (default 9ee90db, the last commit before issue 19's
# tracking changes), same harness, same database server, alternating ROUNDS times: the reference is built in a
# temporary git worktree and LogBatchBench.java is copied into it. Writes target/log-batch-bench.md.
#   PG_URL=jdbc:postgresql://127.0.0.1:5432/sb bash src/bench/log-batch-reference.sh [REF]
#   WRITERS=8 BATCHES=25 ROUNDS=2 ...      (defaults)
set -euo pipefail
cd "$(dirname "$0")/../.."
REF=${1:-9ee90db}; ROUNDS=${ROUNDS:-2}; WRITERS=${WRITERS:-8}; BATCHES=${BATCHES:-25}
if [ -n "${PG_URL:-}" ]; then
  export STAINBENCH_TEST_PG_URL="$PG_URL" STAINBENCH_TEST_PG_USER="${PG_USER:-sb}" STAINBENCH_TEST_PG_PASSWORD="${PG_PASSWORD:-sb}"
fi
HERE=$(pwd); WT=$(mktemp -d /tmp/lb-ref.XXXXXX); rmdir "$WT"
git worktree add --detach "$WT" "$REF" >/dev/null
trap 'git worktree remove --force "$WT"' EXIT
cp src/test/java/org/stainbench/training/LogBatchBench.java "$WT/src/test/java/org/stainbench/training/"
echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; this commit $(git rev-parse --short HEAD), reference $REF"
rm -f target/log-batch-bench.md; mkdir -p target
echo "| code | clients × batches | time | throughput |" > target/log-batch-bench.md; echo "|---|---|---|---|" >> target/log-batch-bench.md
run() { # dir label
  (cd "$1" && ./mvnw -o -q test -Dtest=LogBatchBench -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
    -Dbench.writers="$WRITERS" -Dbench.batches="$BATCHES" -Dbench.label="$2" >/dev/null) \
    || { tail -40 "$1"/target/surefire-reports/*LogBatchBench-output.txt 2>/dev/null; exit 1; }
  cat "$1/target/log-batch-line.md" >> "$HERE/target/log-batch-bench.md"; rm -f "$1/target/log-batch-line.md"
}
for i in $(seq "$ROUNDS"); do
  run "$WT" "reference $REF"
  run "$HERE" "this commit $(git rev-parse --short HEAD)"
done
cat target/log-batch-bench.md
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
