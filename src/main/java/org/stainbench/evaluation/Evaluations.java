package org.stainbench.evaluation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.DatasetKind;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.checkpoints.GeneratedSetStatus;
import org.stainbench.evaluation.metrics.PatientBootstrap;
import org.stainbench.evaluation.metrics.SeedSummary;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobRequest;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
import org.stainbench.shell.Names;

/**
 * Evaluations: generated sets vs a real IHC dataset under a recorded {@link Protocol}, run as the
 * {@code evaluation} job; imports of the lab's results sheet; the comparison table and its exports.
 */
@Service
public class Evaluations {

    private final EvaluationStore store;
    private final Extractors extractors;
    private final Catalog catalog;
    private final Checkpoints checkpoints;
    private final JobQueue jobs;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Fingerprints fingerprints;
    private final EvaluationProperties props;

    Evaluations(
            EvaluationStore store,
            Extractors extractors,
            Catalog catalog,
            Checkpoints checkpoints,
            JobQueue jobs,
            TransactionTemplate tx,
            ApplicationEventPublisher events,
            Clock clock,
            Fingerprints fingerprints,
            EvaluationProperties props) {
        this.props = props;
        this.fingerprints = fingerprints;
        this.store = store;
        this.extractors = extractors;
        this.catalog = catalog;
        this.checkpoints = checkpoints;
        this.jobs = jobs;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Where the evaluation's features were computed (issue 21): "server CPU", "node gpu-01 (CUDA)", "node job 12
     * (waiting for an agent)", "cache (computed earlier)"; empty for evaluations from before this was recorded.
     */
    public Optional<String> featuresWhere(long id) {
        return store.featuresWhere(id);
    }

    /** The node job computing the evaluation's features, if it has one. */
    public Optional<Long> featuresJob(long id) {
        return store.featuresJob(id);
    }

    public Optional<Evaluation> find(long id) {
        return store.findEvaluation(id);
    }

    public List<Evaluation> list(int offset, int limit) {
        return store.evaluations(offset, limit);
    }

    public long count() {
        return store.countEvaluations();
    }

    /** Evaluations that finished with values (status DONE), in the order they finished. */
    public List<Evaluation> finished() {
        return store.finishedEvaluations();
    }

    /**
     * Finished evaluations whose real side is real data: those made (before the rule) against a generated set as
     * their "real" target are left out, as they measure one generated set against another. For the dashboard.
     */
    public List<Evaluation> finishedAgainstRealData() {
        return finished().stream().filter(e -> !againstGeneratedSet(e)).toList();
    }

    /** Whether the evaluation's real target is a generated set (possible only for evaluations made before the rule). */
    public boolean againstGeneratedSet(Evaluation e) {
        return e.realDatasetId() != null
                && catalog.kindOf(e.realDatasetId())
                        .map(k -> k == DatasetKind.GENERATED)
                        .orElse(false);
    }

    public List<Subject> subjects(long evaluationId) {
        return store.subjects(evaluationId);
    }

    /** B of a new evaluation unless the form or API says otherwise ({@code stainbench.evaluation.bootstrap-resamples}). */
    public int defaultBootstrapResamples() {
        return props.bootstrapResamples();
    }

    /**
     * The protocol of a NEW evaluation made from the form or the API: the tile rule {@code "random"} (patient-stratified
     * random tiles per seed, the default when blank) or {@code "first"} (the lab's rule), and B patient-bootstrap
     * resamples (blank: the configured default; 0: none). Bad values are refused naming the field.
     */
    public Protocol forNew(Protocol p, String tileRule, String bootstrapResamples) {
        Protocol.TileRule rule;
        String r = tileRule == null ? "" : tileRule.trim().toLowerCase(Locale.ROOT);
        switch (r) {
            case "", "random", "random_stratified" -> rule = Protocol.TileRule.RANDOM_STRATIFIED;
            case "first", "first_spread", "lab" -> rule = Protocol.TileRule.FIRST_SPREAD;
            default -> throw new IllegalArgumentException(
                    "Tile rule: choose 'random' (patient-stratified random tiles per "
                            + "seed) or 'first' (the lab's first tiles of each archive).");
        }
        int b = props.bootstrapResamples();
        if (bootstrapResamples != null && !bootstrapResamples.isBlank()) {
            try {
                b = Integer.parseInt(bootstrapResamples.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "Bootstrap resamples: give a whole number from 0 (none) to " + Protocol.MAX_BOOTSTRAP + ".");
            }
        }
        return p.with(rule, b);
    }

    /**
     * Records an evaluation of the generated sets against the real dataset and queues its job. Everything that can
     * be checked before running is checked here (and changes nothing when it fails).
     */
    public Evaluation create(
            String name, Long realDatasetId, List<Long> setIds, Long extractorId, Protocol p, String by) {
        String n = name == null ? "" : name.trim();
        if (n.isEmpty() || n.length() > 200) {
            throw new IllegalArgumentException("Give the evaluation a name of 1–200 characters.");
        }
        Names.check("The evaluation name", name);
        if (realDatasetId == null) {
            throw new IllegalArgumentException("Choose the real target dataset.");
        }
        Dataset real = catalog.requireReal(realDatasetId, "the real IHC target");
        if (real.stain() != Stain.IHC) {
            throw new IllegalArgumentException(
                    "The real target must be an IHC dataset; '" + real.name() + "' is " + real.stainText() + ".");
        }
        if (setIds == null || setIds.isEmpty()) {
            throw new IllegalArgumentException("Choose at least one generated set to evaluate.");
        }
        Extractor e = checkTarget(real, extractorId, p);
        List<GeneratedSet> sets = new ArrayList<>();
        for (Long id : setIds.stream().distinct().toList()) {
            GeneratedSet s = checkpoints
                    .set(id)
                    .orElseThrow(() -> new IllegalArgumentException("No generated set with id " + id + "."));
            if (s.status() != GeneratedSetStatus.READY) {
                throw new IllegalArgumentException("Generated set " + id + " is not ready ("
                        + s.status().name().toLowerCase(Locale.ROOT) + ").");
            }
            requireTiles(label(s), s.datasetId(), p);
            sets.add(s);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("real_dataset", real.name() + " (id " + real.id() + ")");
        extra.put("extractor", e.name() + " (id " + e.id() + ")");
        extra.put("extractor_sha256", e.sha256());
        extra.put("extractor_standard", e.standardName().orElse("no (not the known FID Inception export)"));
        extra.put("preprocessing", e.describePreprocessing());
        extra.put(
                "metrics",
                "FID, KID mean/std (unbiased MMD^2, (x.y/d+1)^3), CropFID, W1/KS of DAB+ fraction and mean DAB");
        String protocol = p.format(extra);
        long id = tx.execute(s -> {
            long ev = store.insertEvaluation(
                    n, Evaluation.COMPUTED, "QUEUED", real.id(), e.id(), e.sha256(), protocol, by, clock.instant());
            int pos = 0;
            for (GeneratedSet g : sets) {
                Checkpoint c = checkpoints.find(g.checkpointId()).orElseThrow();
                store.insertSubject(ev, pos++, label(g), c.id(), g.id(), c.runUuid(), c.epoch());
            }
            fingerprints.refresh(ev, null);
            return ev;
        });
        long job = jobs.submit(JobRequest.embedded(
                EvaluationJob.TYPE, "Evaluate " + n, Map.of("evaluationId", Long.toString(id)), by));
        store.setJob(id, job);
        events.publishEvent(Activity.of(
                by,
                "launched",
                ActivitySubject.EVALUATION,
                id,
                "Launched evaluation '" + n + "' of " + sets.size() + " generated set" + (sets.size() == 1 ? "" : "s")
                        + " against '" + real.name() + "'",
                "/evaluations/" + id));
        return store.findEvaluation(id).orElseThrow();
    }

    /**
     * What {@link #create} checks of the real side, the extractor and the protocol, for callers that prepare an
     * evaluation before its generated sets exist (e.g. "evaluate epochs" of a training run). With a source dataset,
     * also checks that sets generated from it (which mirror its archives) will hold enough tiles.
     */
    public void check(Long realDatasetId, Long extractorId, Protocol p, Long sourceDatasetId) {
        if (realDatasetId == null) {
            throw new IllegalArgumentException("Choose the real target dataset.");
        }
        Dataset real = catalog.requireReal(realDatasetId, "the real IHC target");
        if (real.stain() != Stain.IHC) {
            throw new IllegalArgumentException(
                    "The real target must be an IHC dataset; '" + real.name() + "' is " + real.stainText() + ".");
        }
        checkTarget(real, extractorId, p);
        if (sourceDatasetId != null) {
            Dataset source = catalog.dataset(sourceDatasetId)
                    .orElseThrow(() -> new IllegalArgumentException("No dataset with id " + sourceDatasetId + "."));
            requireTiles(source.name(), source.id(), p);
        }
    }

    private Extractor checkTarget(Dataset real, Long extractorId, Protocol p) {
        if (extractorId == null) {
            throw new IllegalArgumentException("Choose a feature extractor.");
        }
        Extractor e = extractors
                .find(extractorId)
                .orElseThrow(() -> new IllegalArgumentException("No feature extractor with id " + extractorId + "."));
        if (p.cropSize() > real.tileSize()) {
            throw new IllegalArgumentException("Crops of " + p.cropSize() + " do not fit the " + real.tileSize()
                    + " px tiles of '" + real.name() + "'.");
        }
        requireTiles(real.name(), real.id(), p);
        return e;
    }

    private void requireTiles(String name, long datasetId, Protocol p) {
        var archives = catalog.archives(datasetId).stream()
                .filter(a -> a.status() == ArchiveStatus.READY)
                .sorted(Comparator.comparing(Archive::fileName))
                .toList();
        if (archives.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' has no ingested archives.");
        }
        if (p.random()) {
            int available = archives.stream().mapToInt(x -> x.tilesTotal()).sum();
            if (available < p.tilesPerSide()) {
                throw new IllegalArgumentException("Too few tiles in '" + name + "': the protocol draws "
                        + p.tilesPerSide() + " tiles per seed, but " + available + " are eligible.");
            }
            return;
        }
        int[][] plan = Protocol.plan(archives.size(), p.archives(), p.tilesPerSide());
        for (int[] a : plan) {
            if (archives.get(a[0]).tilesTotal() < a[1]) {
                int available = archives.stream().mapToInt(x -> x.tilesTotal()).sum();
                throw new IllegalArgumentException(
                        "Too few tiles in '" + name + "': the protocol takes " + p.tilesPerSide()
                                + " tiles (" + a[1] + " from each of " + plan.length + " archives), but archive "
                                + archives.get(a[0]).fileName() + " has "
                                + archives.get(a[0]).tilesTotal() + " (" + available
                                + " in all).");
            }
        }
    }

    /** "checkpoint on source dataset". */
    String label(GeneratedSet s) {
        String c = checkpoints.find(s.checkpointId()).map(Checkpoint::name).orElse("checkpoint " + s.checkpointId());
        String d = catalog.dataset(s.sourceDatasetId()).map(Dataset::name).orElse("dataset " + s.sourceDatasetId());
        return c + " on " + d + (s.samplingSeed() == null ? "" : " (sampling seed " + s.samplingSeed() + ")");
    }

    /** Ready generated sets with their labels, for the form. */
    public Map<Long, String> readySets() {
        Map<Long, String> m = new LinkedHashMap<>();
        for (GeneratedSet s : checkpoints.allSets()) {
            if (s.status() == GeneratedSetStatus.READY) {
                m.put(s.id(), label(s));
            }
        }
        return m;
    }

    // comparison

    /**
     * One compared thing with its stored summaries, per-seed values and, per metric, the cell as shown (seed-invariant,
     * ranked, best).
     */
    public record Row(
            Subject subject,
            String group,
            Map<Metric, SeedSummary> summary,
            Map<Metric, List<EvaluationStore.SeedValue>> seeds,
            Map<Metric, ComparisonTable.Cell> cells) {

        public SeedSummary get(Metric m) {
            return summary.get(m);
        }

        /** The cell of {@code m} as shown, or null when not measured. */
        public ComparisonTable.Cell cell(Metric m) {
            return cells.get(m);
        }

        /** Every seed gave the same value of {@code m} (shown as one value, marked "seed-invariant"). */
        public boolean seedInvariant(Metric m) {
            ComparisonTable.Cell c = cells.get(m);
            return c != null && c.seedInvariant();
        }

        /** The mean over seeds of {@code m}, or null when not measured. */
        public Double mean(Metric m) {
            SeedSummary s = summary.get(m);
            return s == null ? null : s.mean();
        }

        /** The sample std over seeds of {@code m}, or null (not measured, or one seed). */
        public Double std(Metric m) {
            SeedSummary s = summary.get(m);
            return s == null ? null : s.std();
        }

        /** The number of seeds behind {@code m}'s mean (0 when not measured). */
        public int n(Metric m) {
            SeedSummary s = summary.get(m);
            return s == null ? 0 : s.n();
        }

        /** Per metric present: {mean, std (0 when undefined), n}, in metric order. */
        public Map<Metric, double[]> meanStdN() {
            Map<Metric, double[]> m = new EnumMap<>(Metric.class);
            summary.forEach((k, v) -> m.put(k, new double[] {v.mean(), v.std() == null ? 0 : v.std(), v.n()}));
            return m;
        }

        public List<Long> seedList() {
            return seeds.values().stream()
                    .flatMap(List::stream)
                    .map(EvaluationStore.SeedValue::seed)
                    .distinct()
                    .sorted()
                    .toList();
        }

        public Double value(Metric m, long seed) {
            return seeds.getOrDefault(m, List.of()).stream()
                    .filter(v -> v.seed() == seed)
                    .map(EvaluationStore.SeedValue::value)
                    .findFirst()
                    .orElse(null);
        }
    }

    /**
     * The comparison table: rows grouped by training run, the metrics present, the best rows per ranked metric (every
     * row tied with the lowest mean within {@link SeedInvariance#TOLERANCE}; none for a dispersion column).
     */
    public record Comparison(
            Evaluation evaluation,
            List<Metric> metrics,
            List<Row> rows,
            Map<Metric, java.util.Set<Long>> best,
            List<Difference> differences) {

        /** The paired differences of one metric, in table order. */
        public List<Difference> differences(Metric m) {
            return differences.stream().filter(d -> d.metric() == m).toList();
        }

        /** Some cell has a patient-bootstrap interval. */
        public boolean hasBootstrap() {
            return rows.stream().anyMatch(r -> r.cells().values().stream().anyMatch(x -> x.bootLow() != null));
        }

        /** Metrics with paired differences. */
        public List<Metric> differenceMetrics() {
            return differences.stream().map(Difference::metric).distinct().toList();
        }

        public boolean isBest(Row r, Metric m) {
            return best.getOrDefault(m, java.util.Set.of()).contains(r.subject().id());
        }

        /** Notes the table needs (KID's sign, dispersion columns), in display order. */
        public List<String> notes() {
            return Evaluations.notes(
                    metrics,
                    rows.stream()
                            .flatMap(r -> r.cells().entrySet().stream())
                            .anyMatch(e -> e.getKey() == Metric.KID_MEAN
                                    && e.getValue().mean() < 0));
        }

        /** Runs with at least one checkpoint that has an epoch: run uuid → rows ordered by epoch. */
        public Map<String, List<Row>> epochRuns() {
            return rows.stream()
                    .filter(r -> r.subject().runUuid() != null && r.subject().epoch() != null)
                    .sorted(Comparator.comparing((Row r) -> r.subject().epoch()))
                    .collect(
                            Collectors.groupingBy(r -> r.subject().runUuid(), LinkedHashMap::new, Collectors.toList()));
        }
    }

    /** An evaluation that compared checkpoints of one training run: that run's rows, by epoch. */
    public record RunEpochs(Evaluation evaluation, List<Metric> metrics, List<Row> rows) {}

    /**
     * Every evaluation that compared epochs of the training run (oldest first), with the run's rows ordered by
     * epoch, for the metric-vs-epoch chart of the run page. Evaluations still running have rows without values.
     */
    public List<RunEpochs> epochsOfRun(String runUuid) {
        List<RunEpochs> out = new ArrayList<>();
        for (long id : store.evaluationIdsOfRun(runUuid)) {
            Comparison c = comparison(id);
            List<Row> rows = c.epochRuns().getOrDefault(runUuid, List.of());
            if (!rows.isEmpty()) {
                out.add(new RunEpochs(c.evaluation(), c.metrics(), rows));
            }
        }
        return out;
    }

    /**
     * Another evaluation that compared some of the same checkpoints: which (this evaluation's labels), and whether its
     * protocol fingerprint is the same, else which fields of the canonical protocol text differ.
     */
    public record Related(
            Evaluation evaluation,
            List<String> shared,
            boolean sameProtocol,
            List<ProtocolFingerprint.Difference> differences) {}

    /** Other evaluations of this evaluation's checkpoints, newest first, each compared protocol by protocol. */
    public List<Related> related(long evaluationId) {
        Evaluation ev = store.findEvaluation(evaluationId)
                .orElseThrow(() -> new NotFound("No evaluation with id " + evaluationId + "."));
        List<Subject> mine = store.subjects(evaluationId);
        List<Related> out = new ArrayList<>();
        for (long other : store.evaluationsSharingCheckpoints(evaluationId)) {
            Evaluation o = store.findEvaluation(other).orElseThrow();
            java.util.Set<Long> theirs = store.subjects(other).stream()
                    .map(Subject::checkpointId)
                    .filter(java.util.Objects::nonNull)
                    .collect(Collectors.toSet());
            List<String> shared = mine.stream()
                    .filter(s -> s.checkpointId() != null && theirs.contains(s.checkpointId()))
                    .map(Subject::label)
                    .distinct()
                    .toList();
            boolean same = ev.fingerprint() != null && ev.fingerprint().equals(o.fingerprint());
            out.add(new Related(
                    o,
                    shared,
                    same,
                    same ? List.of() : ProtocolFingerprint.differences(ev.fingerprintText(), o.fingerprintText())));
        }
        return out;
    }

    static final String NO_RUN = "no training run";
    /** The checkpoints module's status of a generated set whose archives are registered. */
    public Comparison comparison(long evaluationId) {
        Evaluation ev = store.findEvaluation(evaluationId)
                .orElseThrow(() -> new NotFound("No evaluation with id " + evaluationId + "."));
        Map<Long, Map<Metric, SeedSummary>> summaries = store.summaries(evaluationId);
        Map<Long, Map<Metric, List<EvaluationStore.SeedValue>>> seeds = new LinkedHashMap<>();
        for (EvaluationStore.SeedValue v : store.values(evaluationId)) {
            seeds.computeIfAbsent(v.subjectId(), k -> new EnumMap<>(Metric.class))
                    .computeIfAbsent(v.metric(), k -> new ArrayList<>())
                    .add(v);
        }
        List<Row> plain = store.subjects(evaluationId).stream()
                .map(s -> new Row(
                        s,
                        s.runUuid() == null ? NO_RUN : s.runUuid(),
                        summaries.getOrDefault(s.id(), Map.of()),
                        seeds.getOrDefault(s.id(), Map.of()),
                        Map.of()))
                .sorted(Comparator.comparing((Row r) -> r.group().equals(NO_RUN) ? 1 : 0)
                        .thenComparing(Row::group)
                        .thenComparing(r -> r.subject().epoch() == null
                                ? Integer.MAX_VALUE
                                : r.subject().epoch())
                        .thenComparing(r -> r.subject().position()))
                .toList();
        List<Metric> metrics = java.util.Arrays.stream(Metric.values())
                .filter(m -> plain.stream().anyMatch(r -> r.summary().containsKey(m)))
                .toList();
        Map<Metric, java.util.Set<Long>> best = best(metrics, plain);
        Map<Long, Map<Metric, EvaluationStore.Bootstrap>> boots = store.bootstraps(evaluationId);
        List<Difference> differences = differences(metrics, plain, boots);
        List<Row> rows = plain.stream()
                .map(r -> new Row(
                        r.subject(),
                        r.group(),
                        r.summary(),
                        r.seeds(),
                        cells(r, best, boots.getOrDefault(r.subject().id(), Map.of()), differences)))
                .toList();
        return new Comparison(ev, metrics, rows, best, differences);
    }

    /**
     * Generated sets of one checkpoint on one source with different sampling seeds, compared in one evaluation:
     * replicates of that checkpoint. Per metric, {@code summary} is the mean ± sample std (and t-interval) over the
     * generation seeds of each set's mean over its evaluation seeds; {@code evaluationSeeds} the evaluation seeds
     * behind each set's mean (min and max, equal unless a set lacks a seed).
     */
    public record Replicate(
            long checkpointId,
            long sourceDatasetId,
            String label,
            List<Long> subjectIds,
            List<Long> generationSeeds,
            int minEvaluationSeeds,
            int maxEvaluationSeeds,
            Map<Metric, SeedSummary> summary) {

        public SeedSummary get(Metric m) {
            return summary.get(m);
        }

        /** "n = 3 generation seeds × 2 evaluation seeds". */
        public String nText() {
            String ev = minEvaluationSeeds == maxEvaluationSeeds
                    ? Integer.toString(minEvaluationSeeds)
                    : minEvaluationSeeds + "–" + maxEvaluationSeeds;
            return "n = " + generationSeeds.size() + " generation seeds × " + ev + " evaluation seed"
                    + (maxEvaluationSeeds == 1 ? "" : "s");
        }

        /** "mean ± std" over generation seeds with the table's decimals ("" when the metric is absent). */
        public String text(Metric m) {
            SeedSummary x = summary.get(m);
            if (x == null) {
                return "";
            }
            return number(x.mean(), x.mean()) + (x.std() == null ? "" : " ± " + number(x.std(), x.mean()));
        }
    }

    /** The replicate groups of an evaluation's comparison (empty when no checkpoint has sets with several seeds). */
    public List<Replicate> replicates(long evaluationId) {
        return replicates(comparison(evaluationId));
    }

    /** The replicate groups of a comparison, in table order of their first set; each group's sets by sampling seed. */
    public List<Replicate> replicates(Comparison c) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        Map<Long, GeneratedSet> sets = new java.util.HashMap<>();
        for (Row r : c.rows()) {
            Long setId = r.subject().generatedSetId();
            if (setId == null) {
                continue;
            }
            Optional<GeneratedSet> g = checkpoints.set(setId);
            if (g.isEmpty() || g.get().samplingSeed() == null) {
                continue;
            }
            sets.put(r.subject().id(), g.get());
            groups.computeIfAbsent(g.get().checkpointId() + ":" + g.get().sourceDatasetId(), k -> new ArrayList<>())
                    .add(r);
        }
        List<Replicate> out = new ArrayList<>();
        for (List<Row> group : groups.values()) {
            // in generation-seed order, so subjectIds (and the per-set means of the exports) follow the seeds
            List<Row> rows = group.stream()
                    .sorted(Comparator.comparingLong(
                            r -> sets.get(r.subject().id()).samplingSeed()))
                    .toList();
            List<Long> seeds = rows.stream()
                    .map(r -> sets.get(r.subject().id()).samplingSeed())
                    .distinct()
                    .sorted()
                    .toList();
            if (seeds.size() < 2) {
                continue;
            }
            GeneratedSet first = sets.get(rows.get(0).subject().id());
            Map<Metric, SeedSummary> summary = new EnumMap<>(Metric.class);
            for (Metric m : c.metrics()) {
                double[] means = rows.stream()
                        .map(r -> r.mean(m))
                        .filter(java.util.Objects::nonNull)
                        .mapToDouble(Double::doubleValue)
                        .toArray();
                if (means.length == rows.size()) {
                    summary.put(m, SeedSummary.of(means));
                }
            }
            int min = rows.stream().mapToInt(r -> r.seedList().size()).min().orElse(0);
            int max = rows.stream().mapToInt(r -> r.seedList().size()).max().orElse(0);
            String label = checkpoints
                            .find(first.checkpointId())
                            .map(Checkpoint::name)
                            .orElse("checkpoint " + first.checkpointId())
                    + " on "
                    + catalog.dataset(first.sourceDatasetId())
                            .map(Dataset::name)
                            .orElse("dataset " + first.sourceDatasetId());
            out.add(new Replicate(
                    first.checkpointId(),
                    first.sourceDatasetId(),
                    label,
                    rows.stream().map(r -> r.subject().id()).toList(),
                    seeds,
                    min,
                    max,
                    summary));
        }
        return out;
    }

    /**
     * Two compared sets of one evaluation on one metric: {@code a - b} of their means over the same seeds, and the 95 %
     * percentile interval of the differences over the same patient-bootstrap resamples (paired). {@code withinNoise}:
     * the interval contains 0, so the evaluation cannot tell the two apart.
     */
    public record Difference(
            Metric metric,
            long aId,
            String a,
            long bId,
            String b,
            double difference,
            double low,
            double high,
            int resamples) {

        public boolean withinNoise() {
            return low <= 0.0 && high >= 0.0;
        }

        public String text() {
            return Evaluations.number(difference, difference) + " " + intervalText();
        }

        /** "[low, high]" with the difference's decimals. */
        public String intervalText() {
            return "[" + Evaluations.number(low, difference) + ", " + Evaluations.number(high, difference) + "]";
        }
    }

    /** Every pair of rows (table order) of every ranked metric with bootstrap values on both, paired by resample. */
    static List<Difference> differences(
            List<Metric> metrics, List<Row> rows, Map<Long, Map<Metric, EvaluationStore.Bootstrap>> boots) {
        List<Difference> out = new ArrayList<>();
        for (Metric m : metrics) {
            if (!m.ranked()) {
                continue;
            }
            for (int i = 0; i < rows.size(); i++) {
                for (int j = i + 1; j < rows.size(); j++) {
                    Row a = rows.get(i);
                    Row b = rows.get(j);
                    EvaluationStore.Bootstrap x =
                            boots.getOrDefault(a.subject().id(), Map.of()).get(m);
                    EvaluationStore.Bootstrap y =
                            boots.getOrDefault(b.subject().id(), Map.of()).get(m);
                    if (x == null
                            || y == null
                            || x.seed() != y.seed()
                            || x.values().length != y.values().length
                            || a.get(m) == null
                            || b.get(m) == null
                            || !a.seedList().equals(b.seedList())) {
                        continue;
                    }
                    PatientBootstrap.Interval d =
                            PatientBootstrap.difference(x.values(), y.values(), PatientBootstrap.LEVEL);
                    out.add(new Difference(
                            m,
                            a.subject().id(),
                            a.subject().label(),
                            b.subject().id(),
                            b.subject().label(),
                            a.get(m).mean() - b.get(m).mean(),
                            d.low(),
                            d.high(),
                            d.resamples()));
                }
            }
        }
        return out;
    }

    /**
     * Per ranked metric the rows whose mean equals the lowest within {@link SeedInvariance#TOLERANCE} (all of them on
     * a tie); dispersion columns ({@link Metric#ranked()} false) have none.
     */
    static Map<Metric, java.util.Set<Long>> best(List<Metric> metrics, List<Row> rows) {
        Map<Metric, java.util.Set<Long>> best = new EnumMap<>(Metric.class);
        for (Metric m : metrics) {
            if (!m.ranked()) {
                continue;
            }
            rows.stream()
                    .filter(r -> r.summary().containsKey(m))
                    .mapToDouble(r -> r.summary().get(m).mean())
                    .min()
                    .ifPresent(low -> best.put(
                            m,
                            rows.stream()
                                    .filter(r -> r.summary().containsKey(m)
                                            && SeedInvariance.same(
                                                    r.summary().get(m).mean(), low))
                                    .map(r -> r.subject().id())
                                    .collect(Collectors.toCollection(java.util.LinkedHashSet::new))));
        }
        return best;
    }

    /** A row's cells as shown: its summaries with the per-seed values, seed-invariance, whether ranked and best. */
    private static Map<Metric, ComparisonTable.Cell> cells(
            Row r,
            Map<Metric, java.util.Set<Long>> best,
            Map<Metric, EvaluationStore.Bootstrap> boots,
            List<Difference> differences) {
        Map<Metric, ComparisonTable.Cell> cells = new EnumMap<>(Metric.class);
        r.summary().forEach((m, x) -> {
            List<EvaluationStore.SeedValue> vs = r.seeds().getOrDefault(m, List.of()).stream()
                    .sorted(Comparator.comparingLong(EvaluationStore.SeedValue::seed))
                    .toList();
            List<Double> values =
                    vs.stream().map(EvaluationStore.SeedValue::value).toList();
            java.util.Set<Long> bestRows = best.getOrDefault(m, java.util.Set.of());
            boolean isBest = bestRows.contains(r.subject().id());
            long id = r.subject().id();
            // not best, but its paired difference to a best row lies within the noise
            boolean withinNoise = !isBest
                    && differences.stream()
                            .filter(d -> d.metric() == m && d.withinNoise())
                            .anyMatch(d -> (d.aId() == id && bestRows.contains(d.bId()))
                                    || (d.bId() == id && bestRows.contains(d.aId())));
            EvaluationStore.Bootstrap bs = boots.get(m);
            cells.put(
                    m,
                    new ComparisonTable.Cell(
                            x.n(),
                            x.mean(),
                            x.std(),
                            x.ciLow(),
                            x.ciHigh(),
                            isBest,
                            vs.stream().map(EvaluationStore.SeedValue::seed).toList(),
                            values,
                            x.n() >= 2 && values.size() == x.n() && SeedInvariance.holds(values),
                            m.ranked(),
                            bs == null ? null : bs.low(),
                            bs == null ? null : bs.high(),
                            bs == null ? null : bs.resamples(),
                            withinNoise));
        });
        return cells;
    }

    /** KID can be negative (it is unbiased); a note says so wherever KID is shown. */
    public static final String KID_NOTE = "KID is the unbiased estimate of the squared MMD (polynomial kernel): it "
            + "scatters around its true value, so it can come out negative when the two sets are closer than the "
            + "estimator's noise. A negative KID is not better than perfect; read it as indistinguishable from 0.";
    /** Dispersion columns are shown, never ranked. */
    public static final String DISPERSION_NOTE = "KID std (subsets) is the spread of KID over its subsets, a measure "
            + "of noise, not of quality: it is never ranked or marked best.";

    /** The notes a table with these metrics needs. */
    static List<String> notes(List<Metric> metrics, boolean negativeKid) {
        List<String> out = new ArrayList<>();
        if (metrics.contains(Metric.KID_MEAN)) {
            out.add(KID_NOTE + (negativeKid ? " This table has a negative KID." : ""));
        }
        if (metrics.stream().anyMatch(m -> !m.ranked())) {
            out.add(DISPERSION_NOTE);
        }
        return out;
    }

    /** Numbers as in the table: 4 decimals below 1, 2 decimals from 1. */
    public static String number(double v) {
        return number(v, v);
    }

    /** {@code v} with the decimals of {@code scaleOf} (a std is shown with its mean's decimals). */
    static String number(double v, double scaleOf) {
        return String.format(Locale.ROOT, Math.abs(scaleOf) >= 1 ? "%.2f" : "%.4f", v);
    }

    /** The table as CSV for {@code by}'s download, recorded in the activity trail. */
    String csvExport(long evaluationId, String by) {
        String body = csv(evaluationId);
        exported(evaluationId, "CSV", by);
        return body;
    }

    /** The table as LaTeX for {@code by}'s download, recorded in the activity trail. */
    String latexExport(long evaluationId, String by) {
        String body = latex(evaluationId);
        exported(evaluationId, "LaTeX", by);
        return body;
    }

    private void exported(long id, String format, String by) {
        events.publishEvent(Activity.of(
                by,
                "exported",
                ActivitySubject.EVALUATION,
                id,
                "Exported the comparison table of evaluation " + id + " as " + format,
                "/evaluations/" + id));
    }

    /** The table as CSV: one line per compared thing, mean/std/n/ci per metric. */
    public String csv(long evaluationId) {
        return csv(table(evaluationId));
    }

    /** The comparison as plain values (what a report's snapshot keeps). */
    public ComparisonTable table(long evaluationId) {
        Comparison c = comparison(evaluationId);
        List<ComparisonTable.Line> lines = new ArrayList<>();
        for (Row r : c.rows()) {
            Map<Metric, ComparisonTable.Cell> cells = new EnumMap<>(Metric.class);
            for (Metric m : c.metrics()) {
                if (r.cell(m) != null) {
                    cells.put(m, r.cell(m));
                }
            }
            Subject s = r.subject();
            lines.add(new ComparisonTable.Line(r.group(), s.label(), s.checkpointId(), s.runUuid(), s.epoch(), cells));
        }
        Evaluation e = c.evaluation();
        return new ComparisonTable(
                e.id(), e.name(), e.origin(), e.extractorSha256(), c.metrics(), lines, replicateLines(c));
    }

    /** The replicate groups as plain values: per metric the summary over generation seeds and the per-set means. */
    List<ComparisonTable.Replicate> replicateLines(Comparison c) {
        Map<Long, Row> bySubject = new java.util.HashMap<>();
        c.rows().forEach(r -> bySubject.put(r.subject().id(), r));
        List<ComparisonTable.Replicate> out = new ArrayList<>();
        for (Replicate g : replicates(c)) {
            Map<Metric, ComparisonTable.Spread> values = new EnumMap<>(Metric.class);
            g.summary()
                    .forEach((m, x) -> values.put(
                            m,
                            new ComparisonTable.Spread(
                                    x.n(),
                                    x.mean(),
                                    x.std(),
                                    x.ciLow(),
                                    x.ciHigh(),
                                    g.subjectIds().stream()
                                            .map(id -> bySubject.get(id).mean(m))
                                            .toList())));
            out.add(new ComparisonTable.Replicate(
                    g.label(),
                    g.checkpointId(),
                    g.sourceDatasetId(),
                    g.generationSeeds(),
                    g.minEvaluationSeeds(),
                    g.maxEvaluationSeeds(),
                    values));
        }
        return out;
    }

    /** A comparison table (live or kept in a snapshot) as CSV, in the format of {@link #csv(long)}. */
    public static String csv(ComparisonTable c) {
        StringBuilder b = new StringBuilder();
        b.append("# evaluation=")
                .append(csvCell(c.evaluationName()))
                .append(" origin=")
                .append(c.origin())
                .append(" extractor_sha256=")
                .append(c.extractorSha256() == null ? "" : c.extractorSha256())
                .append('\n');
        b.append("group,subject,checkpoint_id,run_uuid,epoch");
        for (Metric m : c.metrics()) {
            b.append(',')
                    .append(m.key())
                    .append("_mean,")
                    .append(m.key())
                    .append("_std,")
                    .append(m.key())
                    .append("_n,")
                    .append(m.key())
                    .append("_ci95_low,")
                    .append(m.key())
                    .append("_ci95_high,")
                    .append(m.key())
                    .append("_seed_invariant,")
                    .append(m.key())
                    .append("_boot95_low,")
                    .append(m.key())
                    .append("_boot95_high,")
                    .append(m.key())
                    .append("_boot_resamples,")
                    .append(m.key())
                    .append("_within_noise_of_best");
        }
        boolean replicates = !c.replicates().isEmpty();
        if (replicates) {
            b.append(",row_type,generation_seeds,evaluation_seeds_per_set");
        }
        b.append('\n');
        for (ComparisonTable.Line r : c.lines()) {
            b.append(csvCell(r.group()))
                    .append(',')
                    .append(csvCell(r.label()))
                    .append(',')
                    .append(r.checkpointId() == null ? "" : r.checkpointId())
                    .append(',')
                    .append(r.runUuid() == null ? "" : r.runUuid())
                    .append(',')
                    .append(r.epoch() == null ? "" : r.epoch());
            for (Metric m : c.metrics()) {
                ComparisonTable.Cell x = r.get(m);
                if (x == null) {
                    b.append(",,,,,,,,,,");
                } else {
                    csvFields(
                            b,
                            x.mean(),
                            x.std(),
                            x.n(),
                            x.ciLow(),
                            x.ciHigh(),
                            x.seedInvariant(),
                            x.bootLow(),
                            x.bootHigh(),
                            x.bootResamples(),
                            x.withinNoiseOfBest());
                }
            }
            if (replicates) {
                b.append(",set,,");
            }
            b.append('\n');
        }
        // replicates over generation seeds: the same columns, summarised over the generation seeds (n = their number)
        for (ComparisonTable.Replicate g : c.replicates()) {
            b.append(REPLICATE_GROUP)
                    .append(',')
                    .append(csvCell(g.label()))
                    .append(',')
                    .append(g.checkpointId() == null ? "" : g.checkpointId())
                    .append(",,");
            for (Metric m : c.metrics()) {
                ComparisonTable.Spread x = g.get(m);
                if (x == null) {
                    b.append(",,,,,,,,,,");
                } else {
                    csvFields(b, x.mean(), x.std(), x.n(), x.ciLow(), x.ciHigh(), false, null, null, null, null);
                }
            }
            b.append(",replicate,")
                    .append(g.generationSeeds().stream().map(String::valueOf).collect(Collectors.joining(" ")))
                    .append(',')
                    .append(g.evaluationSeedsText())
                    .append('\n');
        }
        return b.toString();
    }

    /** The group column of the CSV's replicate rows. */
    static final String REPLICATE_GROUP = "replicates over generation seeds";

    private static String csvCell(String s) {
        return s.matches("[^,\"\\n\\r]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** The table as a LaTeX tabular (booktabs): mean ± std over seeds, the best per column in bold. */
    public String latex(long evaluationId) {
        return latex(table(evaluationId));
    }

    /** A comparison table (live or kept in a snapshot) as LaTeX, in the format of {@link #latex(long)}. */
    public static String latex(ComparisonTable c) {
        StringBuilder b = new StringBuilder();
        java.util.Set<Integer> ns = c.lines().stream()
                .flatMap(r -> r.cells().values().stream())
                .map(ComparisonTable.Cell::n)
                .collect(Collectors.toSet());
        boolean sameN = ns.size() == 1;
        b.append("% ")
                .append(tex(c.evaluationName()))
                .append(c.imported() ? " (imported from the lab's sheet)" : "")
                .append(": mean $\\pm$ sample std (n - 1) over ")
                .append(sameN ? ns.iterator().next() + " seeds" : "n seeds (given per cell)")
                .append("; lower is better, best in bold (ties all bold; dispersion columns not ranked)\n");
        boolean invariant = c.lines().stream()
                .flatMap(r -> r.cells().values().stream())
                .anyMatch(ComparisonTable.Cell::seedInvariant);
        if (invariant) {
            b.append(
                    "% $^\\dagger$ seed-invariant: every seed gave the same value, one measurement (no spread over seeds)\n");
        }
        if (!c.replicates().isEmpty()) {
            b.append(
                            "% replicates over generation seeds (last rows, not ranked): mean $\\pm$ sample std (n - 1) over the ")
                    .append("$n_g$ generation seeds of each generated set's mean over its $n_e$ evaluation seeds\n");
        }
        if (c.metrics().contains(Metric.KID_MEAN)) {
            b.append(
                    "% KID is unbiased and can be negative; a negative KID is not better than perfect (read it as 0)\n");
        }
        b.append("\\begin{tabular}{l").append("c".repeat(c.metrics().size())).append("}\n\\toprule\n");
        b.append("Model");
        for (Metric m : c.metrics()) {
            b.append(" & ").append(m.latex()).append(m.ranked() ? " $\\downarrow$" : "");
        }
        b.append(" \\\\\n\\midrule\n");
        String group = null;
        for (ComparisonTable.Line r : c.lines()) {
            if (group != null && !group.equals(r.group())) {
                b.append("\\midrule\n");
            }
            group = r.group();
            b.append(tex(r.label()));
            for (Metric m : c.metrics()) {
                ComparisonTable.Cell x = r.get(m);
                b.append(" & ");
                if (x == null) {
                    b.append("--");
                    continue;
                }
                String cell = x.seedInvariant()
                        ? number(x.mean(), x.mean()) + "^{\\dagger}"
                        : number(x.mean(), x.mean())
                                + (x.std() == null ? "" : " \\pm " + number(x.std(), x.mean()))
                                + (sameN ? "" : "_{n=" + x.n() + "}");
                b.append(x.best() ? "$\\mathbf{" + cell + "}$" : "$" + cell + "$");
            }
            b.append(" \\\\\n");
        }
        if (!c.replicates().isEmpty()) {
            b.append("\\midrule\n\\multicolumn{")
                    .append(c.metrics().size() + 1)
                    .append(
                            "}{l}{\\emph{Replicates over generation seeds: mean $\\pm$ sample std of the sets' means}} \\\\\n");
            for (ComparisonTable.Replicate g : c.replicates()) {
                b.append(tex(g.label()))
                        .append(" ($n_g = ")
                        .append(g.generationSeeds().size())
                        .append("$, $n_e = ")
                        .append(g.evaluationSeedsText())
                        .append("$)");
                for (Metric m : c.metrics()) {
                    ComparisonTable.Spread x = g.get(m);
                    b.append(" & ")
                            .append(
                                    x == null
                                            ? "--"
                                            : "$" + number(x.mean(), x.mean())
                                                    + (x.std() == null ? "" : " \\pm " + number(x.std(), x.mean()))
                                                    + "$");
                }
                b.append(" \\\\\n");
            }
        }
        b.append("\\bottomrule\n");
        if (invariant) {
            b.append("\\multicolumn{")
                    .append(c.metrics().size() + 1)
                    .append(
                            "}{l}{\\footnotesize $^\\dagger$ seed-invariant: the same value for every seed (one measurement)} \\\\\n");
        }
        b.append("\\end{tabular}\n");
        return b.toString();
    }

    static String tex(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '_', '%', '&', '#', '$', '{', '}' -> b.append('\\').append(ch);
                case '\\' -> b.append("\\textbackslash{}");
                case '~' -> b.append("\\textasciitilde{}");
                case '^' -> b.append("\\textasciicircum{}");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    // import of the lab's sheet

    /** Imports the lab's results sheet as one evaluation labelled imported; returns it. */
    public Evaluation importSheet(String fileName, InputStream xlsx, String by) {
        ResultsSheet sheet;
        try {
            sheet = ResultsSheet.read(xlsx);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = "Imported: " + (fileName == null || fileName.isBlank() ? "results sheet" : fileName);
        Map<String, Checkpoint> byName =
                checkpoints.all().stream().collect(Collectors.toMap(Checkpoint::name, c -> c, (a, b) -> a));
        long id = tx.execute(s -> {
            String protocol = sheet.protocol(fileName);
            long ev = store.insertEvaluation(
                    name.length() > 200 ? name.substring(0, 200) : name,
                    Evaluation.IMPORTED,
                    "DONE",
                    null,
                    null,
                    null,
                    protocol,
                    by,
                    clock.instant());
            int pos = 0;
            List<EvaluationStore.SeedValue> values = new ArrayList<>();
            for (Map.Entry<String, Map<Metric, Map<Long, Double>>> model :
                    sheet.seedValues().entrySet()) {
                Checkpoint c = byName.get(model.getKey());
                long subject = store.insertSubject(
                        ev,
                        pos++,
                        model.getKey(),
                        c == null ? null : c.id(),
                        null,
                        c == null ? null : c.runUuid(),
                        c == null ? null : c.epoch());
                for (Map.Entry<Metric, Map<Long, Double>> m : model.getValue().entrySet()) {
                    m.getValue()
                            .forEach((seed, v) ->
                                    values.add(new EvaluationStore.SeedValue(subject, m.getKey(), seed, v)));
                    store.insertSummary(
                            subject,
                            m.getKey(),
                            SeedSummary.of(m.getValue().values().stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray()));
                }
            }
            store.insertValues(values);
            store.setStatus(ev, "DONE", null, clock.instant());
            fingerprints.refresh(ev, null);
            return ev;
        });
        events.publishEvent(Activity.of(
                by,
                "imported",
                ActivitySubject.EVALUATION,
                id,
                "Imported the lab's results sheet (" + sheet.seedValues().size() + " models)",
                "/evaluations/" + id));
        return store.findEvaluation(id).orElseThrow();
    }

    /** An evaluation that does not exist (404). */
    static final class NotFound extends org.springframework.web.server.ResponseStatusException {
        NotFound(String message) {
            super(org.springframework.http.HttpStatus.NOT_FOUND, message);
        }
    }

    /** Appends each value after a comma, a null as an empty cell (the CSV export's metric columns). */
    private static void csvFields(StringBuilder b, Object... values) {
        for (Object v : values) {
            b.append(',');
            if (v != null) {
                b.append(v);
            }
        }
    }
}
