#!/usr/bin/env bash
# Jobs benchmark: dispatch latency (queued -> running on an idle agent, p50/p95) and claim throughput with
# 8 agents over 2,000 jobs, on H2 and on PostgreSQL (set STAINBENCH_TEST_PG_URL, as .ci/run does), against
# the round trip of a no-op API call measured in the same run. Figures: target/bench/jobs-*.md.
# (JobsBenchH2 / JobsBenchPostgres are not *IT classes, so ./mvnw verify does not run them.)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='JobsBench*' -Dfailsafe.failIfNoSpecifiedTests=false
cat target/bench/jobs-*.md
