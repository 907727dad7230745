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
import org.stainbench.training.Runs;

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

    /**
     * A run's metric by epoch under one protocol fingerprint: every finished evaluation of the run with that fingerprint
     * joined, each epoch's value from the newest of them that has it (a partial re-evaluation of one epoch replaces that
     * point only). {@code evaluationId}: the newest evaluation that contributed.
     */
    record EpochRun(
            String target,
            String fingerprint,
            String runUuid,
            String label,
            long evaluationId,
            String evaluationName,
            int evaluations,
            List<EpochPoint> points) {

        public String runHref() {
            return "/runs/" + runUuid;
        }

        public String evaluationHref() {
            return "/evaluations/" + evaluationId;
        }
    }

    /** One metric of the best row: mean ± std over n seeds (one value when seed-invariant). */
    record MetricLine(Metric metric, double mean, Double std, int n, boolean seedInvariant) {}

    /** One epoch's value and the evaluation it comes from. */
    record EpochPoint(
            int epoch,
            double mean,
            Double std,
            int n,
            boolean seedInvariant,
            String checkpointName,
            Long checkpointId,
            long evaluationId,
            String evaluationName) {

        public String evaluationHref() {
            return "/evaluations/" + evaluationId;
        }
    }

    /** A protocol fingerprint as the page labels it: its first 8 hex digits and the protocol in words. */
    record ProtocolLabel(String fingerprint, String shortFingerprint, String summary) {}

    /**
     * What the page shows. {@code standings}: one per (target, fingerprint); {@code bestMetrics} and {@code epochRuns} keyed by
     * {@link Standings.Standing#group()}; {@code protocols}: fingerprint → label; {@code protocolsPerTarget}: how many
     * fingerprints a target has (several: each standing is labelled with its protocol).
     */
    record View(
            Metric metric,
            List<Metric> metrics,
            String metricNote,
            List<Standings.Standing> standings,
            Map<String, List<MetricLine>> bestMetrics,
            Map<String, ProtocolLabel> protocols,
            Map<String, Integer> protocolsPerTarget,
            Map<String, List<EpochRun>> epochRuns,
            long running,
            long queued,
            List<JobSummary> jobs,
            GpuHours.Usage gpu,
            Map<Long, String> gpuJobTitles,
            List<JobUsage.NodeGpus> nodes,
            List<ReviewSummaries.Summary> reviews,
            Instant now,
            List<Standings.Result> results) {

        /** Whether the standing's target was evaluated under more than one protocol (then each is labelled). */
        public boolean severalProtocols(Standings.Standing s) {
            return protocolsPerTarget.getOrDefault(s.target(), 1) > 1;
        }

        public ProtocolLabel protocol(Standings.Standing s) {
            return protocols.get(s.fingerprint());
        }
    }

    private final Evaluations evaluations;
    private final Catalog catalog;
    private final Checkpoints checkpoints;
    private final JobUsage jobs;
    private final ReviewSummaries reviews;
    private final Clock clock;
    private final Runs runs;

    Dashboard(
            Evaluations evaluations,
            Catalog catalog,
            Checkpoints checkpoints,
            JobUsage jobs,
            ReviewSummaries reviews,
            Clock clock,
            Runs runs) {
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
        return d.stain() == Stain.IHC && d.marker() != null && !d.marker().isBlank()
                ? d.marker().trim()
                : d.stain().label();
    }

    View view(String metricKey) {
        Instant now = clock.instant();
        // an evaluation against a generated set (made before the rule) is not a measurement against real data
        List<Evaluations.Comparison> comparisons = evaluations.finishedAgainstRealData().stream()
                .map(e -> evaluations.comparison(e.id()))
                .toList();
        return view(metricKey, now, comparisons);
    }

    View view(String metricKey, Instant now, List<Evaluations.Comparison> comparisons) {
        Set<Metric> present = new LinkedHashSet<>();
        for (Evaluations.Comparison c : comparisons) {
            present.addAll(c.metrics());
        }
        // dispersion columns (KID std over subsets) are shown with the best row, never ranked
        List<Metric> stored =
                Arrays.stream(Metric.values()).filter(present::contains).toList();
        List<Metric> metrics = stored.stream().filter(Metric::ranked).toList();
        Metric metric = metrics.contains(DEFAULT_METRIC) || metrics.isEmpty() ? DEFAULT_METRIC : metrics.get(0);
        String note = null;
        if (metricKey != null && !metricKey.isBlank()) {
            Optional<Metric> asked = metrics.stream()
                    .filter(m -> m.key().equalsIgnoreCase(metricKey.trim()))
                    .findFirst();
            Optional<Metric> dispersion = stored.stream()
                    .filter(m -> !m.ranked() && m.key().equalsIgnoreCase(metricKey.trim()))
                    .findFirst();
            if (asked.isPresent()) {
                metric = asked.get();
            } else if (dispersion.isPresent()) {
                note = dispersion.get().label()
                        + " is a dispersion (the spread of KID over its subsets), not a quality "
                        + "metric, and is never ranked; ranked by " + metric.label() + ".";
            } else {
                note = "'" + metricKey.trim() + "' is not a stored metric"
                        + (metrics.isEmpty()
                                ? ""
                                : " (ranked ones: "
                                        + String.join(
                                                ", ",
                                                metrics.stream()
                                                        .map(Metric::key)
                                                        .toList()) + ")")
                        + "; ranked by " + metric.label() + ".";
            }
        }

        Map<Long, String> targets = new HashMap<>();
        Map<Long, String> checkpointNames = new HashMap<>();
        Map<String, ProtocolLabel> protocols = new LinkedHashMap<>();
        List<Standings.Result> results = new ArrayList<>();
        Map<String, Boolean> deletedRuns = new java.util.HashMap<>();
        for (Evaluations.Comparison c : comparisons) {
            Evaluation ev = c.evaluation();
            String target = targetOf(ev, targets);
            String fp = fingerprintOf(ev);
            protocols.putIfAbsent(
                    fp,
                    new ProtocolLabel(
                            fp,
                            ev.fingerprint() == null ? "none" : ev.shortFingerprint(),
                            ev.fingerprint() == null ? "protocol fingerprint not recorded" : ev.protocolSummary()));
            for (Evaluations.Row r : c.rows()) {
                Double mean = r.mean(metric);
                if (mean == null) {
                    continue;
                }
                Long ck = r.subject().checkpointId();
                results.add(new Standings.Result(
                        ev.id(),
                        r.subject().id(),
                        ev.name(),
                        ev.finishedAt(),
                        target,
                        fp,
                        r.subject().label(),
                        ck,
                        ck == null ? null : checkpointNames.computeIfAbsent(ck, this::checkpointName),
                        liveRun(r.subject().runUuid(), deletedRuns),
                        r.subject().epoch(),
                        mean,
                        r.std(metric),
                        r.n(metric),
                        r.seedInvariant(metric)));
            }
        }
        List<Standings.Standing> standings = Standings.of(results);
        Map<String, Integer> protocolsPerTarget = new LinkedHashMap<>();
        standings.forEach(st -> protocolsPerTarget.merge(st.target(), 1, Integer::sum));
        Map<String, List<MetricLine>> bestMetrics = new LinkedHashMap<>();
        for (Standings.Standing st : standings) {
            comparisons.stream()
                    .filter(c -> c.evaluation().id() == st.best().evaluationId())
                    .flatMap(c -> c.rows().stream())
                    .filter(r -> r.subject().id() == st.best().subjectId())
                    .findFirst()
                    .ifPresent(r -> bestMetrics.put(
                            st.group(),
                            stored.stream()
                                    .filter(m -> r.mean(m) != null)
                                    .map(m -> new MetricLine(m, r.mean(m), r.std(m), r.n(m), r.seedInvariant(m)))
                                    .toList()));
        }

        // metric by epoch for the latest runs, per target and fingerprint: every finished evaluation of the run with
        // that fingerprint joined, each epoch from the newest evaluation that has it
        Map<String, Map<String, java.util.TreeMap<Integer, EpochPoint>>> curves = new LinkedHashMap<>();
        Map<String, Evaluation> newest = new HashMap<>();
        Map<String, Set<Long>> contributing = new HashMap<>();
        for (Evaluations.Comparison c : comparisons) {
            Evaluation ev = c.evaluation();
            String group = Standings.group(targetOf(ev, targets), fingerprintOf(ev));
            for (Map.Entry<String, List<Evaluations.Row>> run : c.epochRuns().entrySet()) {
                if (liveRun(run.getKey(), deletedRuns) == null) {
                    continue;
                }
                for (Evaluations.Row r : run.getValue()) {
                    if (r.mean(metric) == null) {
                        continue;
                    }
                    Long ck = r.subject().checkpointId();
                    curves.computeIfAbsent(group, k -> new LinkedHashMap<>())
                            .computeIfAbsent(run.getKey(), k -> new java.util.TreeMap<>())
                            .put(
                                    r.subject().epoch(),
                                    new EpochPoint(
                                            r.subject().epoch(),
                                            r.mean(metric),
                                            r.std(metric),
                                            r.n(metric),
                                            r.seedInvariant(metric),
                                            ck == null
                                                    ? r.subject().label()
                                                    : checkpointNames.computeIfAbsent(ck, this::checkpointName),
                                            ck,
                                            ev.id(),
                                            ev.name()));
                    newest.put(group + "/" + run.getKey(), ev);
                    contributing
                            .computeIfAbsent(group + "/" + run.getKey(), k -> new java.util.HashSet<>())
                            .add(ev.id());
                }
            }
        }
        Map<String, List<EpochRun>> epochRuns = new LinkedHashMap<>();
        curves.forEach((group, runsOf) -> {
            List<EpochRun> list = new ArrayList<>();
            runsOf.forEach((run, points) -> {
                Evaluation ev = newest.get(group + "/" + run);
                List<EpochPoint> ps = List.copyOf(points.values());
                String target = group.substring(0, group.lastIndexOf(" · "));
                list.add(new EpochRun(
                        target,
                        fingerprintOf(ev),
                        run,
                        runLabel(ps.get(0).checkpointName(), run),
                        ev.id(),
                        ev.name(),
                        contributing.get(group + "/" + run).size(),
                        ps));
            });
            // the latest runs: by the finish of their newest contributing evaluation, newest first
            list.sort(java.util.Comparator.comparing((EpochRun r) ->
                            newest.get(group + "/" + r.runUuid()).finishedAt())
                    .thenComparingLong(EpochRun::evaluationId)
                    .reversed());
            epochRuns.put(group, List.copyOf(list.subList(0, Math.min(LATEST_RUNS, list.size()))));
        });

        LocalDate first = now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(GPU_DAYS - 1);
        List<JobUsage.GpuSpan> spans =
                jobs.gpuSpans(first.atStartOfDay(ZoneOffset.UTC).toInstant(), now);
        GpuHours.Usage gpu = GpuHours.perDay(
                spans.stream()
                        .map(s -> new GpuHours.Span(s.jobId(), s.title(), s.holder(), s.gpus(), s.start(), s.end()))
                        .toList(),
                now,
                GPU_DAYS);
        Map<Long, String> titles = new LinkedHashMap<>();
        spans.forEach(s -> titles.putIfAbsent(s.jobId(), s.title()));

        return new View(
                metric,
                metrics,
                note,
                standings,
                bestMetrics,
                protocols,
                protocolsPerTarget,
                epochRuns,
                jobs.count(JobState.ASSIGNED, JobState.SUBMITTED, JobState.RUNNING),
                jobs.count(JobState.QUEUED),
                jobs.active(LATEST_JOBS),
                gpu,
                titles,
                jobs.nodes(),
                reviews.latest(LATEST_SESSIONS),
                now,
                List.copyOf(results));
    }

    /** The evaluation's protocol fingerprint; one of its own when none was recorded (then it is ranked with nothing else). */
    static String fingerprintOf(Evaluation ev) {
        return ev.fingerprint() != null ? ev.fingerprint() : "unrecorded-" + ev.id();
    }

    private String targetOf(Evaluation ev, Map<Long, String> cache) {
        if (ev.realDatasetId() == null) {
            return NO_TARGET;
        }
        return cache.computeIfAbsent(
                ev.realDatasetId(),
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
