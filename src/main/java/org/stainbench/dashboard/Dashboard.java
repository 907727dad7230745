package org.stainbench.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Metric;
import org.stainbench.jobs.JobState;
import org.stainbench.jobs.JobSummary;
import org.stainbench.jobs.JobUsage;
import org.stainbench.review.ReviewSummaries;

/** Assembles the dashboard from the modules' public read APIs. Reads only. */
@Service
class Dashboard {

    static final Metric DEFAULT_METRIC = Metric.FID;
    static final int GPU_DAYS = 7;
    static final int LATEST_JOBS = 8;
    static final int LATEST_RUNS = 5;
    static final int LATEST_SESSIONS = 5;
    /** Evaluations without a real target dataset (imported from the lab's sheet). */
    static final String NO_TARGET = "no target dataset (imported)";

    /** A run's metric by epoch, taken from the newest finished evaluation that compared its epochs. */
    record EpochRun(String target, String runUuid, String label, long evaluationId, String evaluationName,
                    List<EpochPoint> points) {

        public String runHref() {
            return "/runs/" + runUuid;
        }

        public String evaluationHref() {
            return "/evaluations/" + evaluationId;
        }
    }

    /** One metric of the best row: mean ± std over n seeds. */
    record MetricLine(Metric metric, double mean, Double std, int n) {
    }

    record EpochPoint(int epoch, double mean, Double std, int n, String checkpointName, Long checkpointId) {
    }

    /** What the page shows. */
    record View(Metric metric, List<Metric> metrics, String metricNote, List<Standings.Standing> standings,
                Map<String, List<MetricLine>> bestMetrics,
                Map<String, List<EpochRun>> epochRuns, long running, long queued, List<JobSummary> jobs,
                GpuHours.Usage gpu, Map<Long, String> gpuJobTitles, List<JobUsage.NodeGpus> nodes,
                List<ReviewSummaries.Summary> reviews, Instant now) {
    }

    private final Evaluations evaluations;
    private final Catalog catalog;
    private final Checkpoints checkpoints;
    private final JobUsage jobs;
    private final ReviewSummaries reviews;
    private final Clock clock;
    private final org.stainbench.training.Runs runs;

    Dashboard(Evaluations evaluations, Catalog catalog, Checkpoints checkpoints, JobUsage jobs, ReviewSummaries reviews,
              Clock clock, org.stainbench.training.Runs runs) {
        this.runs = runs;
        this.evaluations = evaluations;
        this.catalog = catalog;
        this.checkpoints = checkpoints;
        this.jobs = jobs;
        this.reviews = reviews;
        this.clock = clock;
    }

    /**
     * The run's uuid, or null for none or a deleted run: a deleted run leaves the metric-by-epoch chart, and a best
     * checkpoint from it keeps its figure without the link (the run's page is for admins only).
     */
    private String liveRun(String uuid, Map<String, Boolean> deleted) {
        return uuid == null || deleted.computeIfAbsent(uuid, runs::isDeleted) ? null : uuid;
    }

    /** "CK7" for an IHC dataset with a marker, else its stain ("IHC", "H&E"). */
    static String target(Dataset d) {
        return d.stain() == Stain.IHC && d.marker() != null && !d.marker().isBlank() ? d.marker().trim() : d.stain().label();
    }

    View view(String metricKey) {
        Instant now = clock.instant();
        List<Evaluations.Comparison> comparisons = evaluations.finished().stream()
                .map(e -> evaluations.comparison(e.id())).toList();
        Set<Metric> present = new LinkedHashSet<>();
        for (Evaluations.Comparison c : comparisons) {
            present.addAll(c.metrics());
        }
        List<Metric> metrics = Arrays.stream(Metric.values()).filter(present::contains).toList();
        Metric metric = present.contains(DEFAULT_METRIC) || present.isEmpty() ? DEFAULT_METRIC : metrics.get(0);
        String note = null;
        if (metricKey != null && !metricKey.isBlank()) {
            Optional<Metric> asked = metrics.stream().filter(m -> m.key().equalsIgnoreCase(metricKey.trim())).findFirst();
            if (asked.isPresent()) {
                metric = asked.get();
            } else {
                note = "'" + metricKey.trim() + "' is not a stored metric" + (metrics.isEmpty() ? "" : " (stored: "
                        + String.join(", ", metrics.stream().map(Metric::key).toList()) + ")") + "; ranked by " + metric.label() + ".";
            }
        }

        Map<Long, String> targets = new HashMap<>();
        Map<Long, String> checkpointNames = new HashMap<>();
        List<Standings.Result> results = new ArrayList<>();
        Map<String, Boolean> deletedRuns = new java.util.HashMap<>();
        for (Evaluations.Comparison c : comparisons) {
            Evaluation ev = c.evaluation();
            String target = targetOf(ev, targets);
            for (Evaluations.Row r : c.rows()) {
                Double mean = r.mean(metric);
                if (mean == null) {
                    continue;
                }
                Long ck = r.subject().checkpointId();
                results.add(new Standings.Result(ev.id(), r.subject().id(), ev.name(), ev.finishedAt(), target, r.subject().label(), ck,
                        ck == null ? null : checkpointNames.computeIfAbsent(ck, this::checkpointName),
                        liveRun(r.subject().runUuid(), deletedRuns),
                        r.subject().epoch(), mean, r.std(metric), r.n(metric)));
            }
        }
        List<Standings.Standing> standings = Standings.of(results);
        Map<String, List<MetricLine>> bestMetrics = new LinkedHashMap<>();
        for (Standings.Standing st : standings) {
            comparisons.stream().filter(c -> c.evaluation().id() == st.best().evaluationId()).flatMap(c -> c.rows().stream())
                    .filter(r -> r.subject().id() == st.best().subjectId()).findFirst()
                    .ifPresent(r -> bestMetrics.put(st.target(), metrics.stream().filter(m -> r.mean(m) != null)
                            .map(m -> new MetricLine(m, r.mean(m), r.std(m), r.n(m))).toList()));
        }

        // metric by epoch for the latest runs: each run from the newest finished evaluation that compared its epochs
        Map<String, List<EpochRun>> epochRuns = new LinkedHashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        for (int i = comparisons.size() - 1; i >= 0; i--) {
            Evaluations.Comparison c = comparisons.get(i);
            String target = targetOf(c.evaluation(), targets);
            for (Map.Entry<String, List<Evaluations.Row>> run : c.epochRuns().entrySet()) {
                List<EpochRun> list = epochRuns.computeIfAbsent(target, k -> new ArrayList<>());
                if (list.size() >= LATEST_RUNS || !seen.add(target + "/" + run.getKey())
                        || liveRun(run.getKey(), deletedRuns) == null) {
                    continue;
                }
                List<EpochPoint> points = new ArrayList<>();
                for (Evaluations.Row r : run.getValue()) {
                    if (r.mean(metric) != null) {
                        Long ck = r.subject().checkpointId();
                        points.add(new EpochPoint(r.subject().epoch(), r.mean(metric), r.std(metric), r.n(metric),
                                ck == null ? r.subject().label() : checkpointNames.computeIfAbsent(ck, this::checkpointName), ck));
                    }
                }
                if (!points.isEmpty()) {
                    list.add(new EpochRun(target, run.getKey(), runLabel(points.get(0).checkpointName(), run.getKey()),
                            c.evaluation().id(), c.evaluation().name(), points));
                }
            }
        }

        LocalDate first = now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(GPU_DAYS - 1);
        List<JobUsage.GpuSpan> spans = jobs.gpuSpans(first.atStartOfDay(ZoneOffset.UTC).toInstant(), now);
        GpuHours.Usage gpu = GpuHours.perDay(spans.stream()
                .map(s -> new GpuHours.Span(s.jobId(), s.title(), s.holder(), s.gpus(), s.start(), s.end())).toList(), now, GPU_DAYS);
        Map<Long, String> titles = new LinkedHashMap<>();
        spans.forEach(s -> titles.putIfAbsent(s.jobId(), s.title()));

        return new View(metric, metrics, note, standings, bestMetrics, epochRuns,
                jobs.count(JobState.ASSIGNED, JobState.SUBMITTED, JobState.RUNNING), jobs.count(JobState.QUEUED),
                jobs.active(LATEST_JOBS), gpu, titles, jobs.nodes(), reviews.latest(LATEST_SESSIONS), now);
    }

    private String targetOf(Evaluation ev, Map<Long, String> cache) {
        if (ev.realDatasetId() == null) {
            return NO_TARGET;
        }
        return cache.computeIfAbsent(ev.realDatasetId(),
                id -> catalog.dataset(id).map(Dashboard::target).orElse("dataset " + id));
    }

    private String checkpointName(long id) {
        return checkpoints.find(id).map(Checkpoint::name).orElse("checkpoint " + id);
    }

    /** "colour-map-demo" from the epoch checkpoints' names ({@code <run>-epoch<k>}), else the run id's start. */
    static String runLabel(String checkpointName, String runUuid) {
        if (checkpointName != null && checkpointName.matches(".+-epoch\\d+")) {
            return checkpointName.replaceFirst("-epoch\\d+$", "");
        }
        return "run " + runUuid.substring(0, Math.min(8, runUuid.length()));
    }
}
