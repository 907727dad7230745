package org.stainbench.evaluation;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.stainbench.accounts.Accounts;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.evaluation.features.OnnxFeatureExtractor;
import org.stainbench.evaluation.metrics.CropPositions;
import org.stainbench.evaluation.metrics.Features;
import org.stainbench.evaluation.metrics.Fid;
import org.stainbench.evaluation.metrics.ImageChecks;
import org.stainbench.evaluation.metrics.Kid;
import org.stainbench.evaluation.metrics.PatientBootstrap;
import org.stainbench.evaluation.metrics.SeedSummary;
import org.stainbench.evaluation.metrics.StainDistances;
import org.stainbench.jobs.CommandJob;
import org.stainbench.jobs.JobContext;
import org.stainbench.jobs.JobHandler;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.Resources;
import org.stainbench.tiles.QualityMeasures;
import org.stainbench.tiles.RgbTile;

/**
 * The "evaluation" job. Phase 1, per side (the real target, then each generated set): pick the tiles by the
 * protocol's rule, read each tile once, measure its H-DAB stain, and compute the features the cache lacks (full
 * tile, and every crop of every seed; crops keyed by size and position, so real-tile features are reused by every
 * later evaluation with the same extractor). Phase 2, per seed: FID (full tiles), KID (subsets drawn with the
 * seed), CropFID (the seed's crops) and the stain distances, then the aggregate over seeds. Values are written
 * in one transaction at the end, each with its seed; any failure (tiles that are not 8-bit 0..255, non-finite
 * features, too few tiles) leaves no value. Re-runnable from the start.
 */
@Component
class EvaluationJob implements JobHandler {

    static final String TYPE = EvaluationJobTypes.EVALUATION;

    private final EvaluationStore store;
    private final Extractors extractors;
    private final Catalog catalog;
    private final CatalogTiles tiles;
    private final Checkpoints checkpoints;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Fingerprints fingerprints;
    private final EvaluationProperties props;
    private final JobQueue jobs;
    private final Accounts accounts;

    EvaluationJob(
            EvaluationStore store,
            Extractors extractors,
            @org.springframework.context.annotation.Lazy Catalog catalog,
            CatalogTiles tiles,
            @org.springframework.context.annotation.Lazy Checkpoints checkpoints,
            TransactionTemplate tx,
            Clock clock,
            Fingerprints fingerprints,
            EvaluationProperties props,
            @org.springframework.context.annotation.Lazy JobQueue jobs,
            Accounts accounts) {
        this.accounts = accounts;
        this.jobs = jobs;
        this.props = props;
        this.fingerprints = fingerprints;
        this.store = store;
        this.extractors = extractors;
        this.catalog = catalog;
        this.tiles = tiles;
        this.checkpoints = checkpoints;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * A side's selected tiles (for the random rule: the union of every seed's draw), their size, each tile's patient
     * key, and per seed the positions in {@code tiles} of that seed's tiles, in the seed's order (the lab's rule: all
     * tiles in order, for every seed).
     */
    record Side(
            String name, List<TileInfo> tiles, int height, int width, List<String> patients, Map<Long, int[]> perSeed) {

        int[] of(long seed) {
            return perSeed.get(seed);
        }
    }

    /** A side's full-tile features and stain measures, row i for tile i of the side. */
    record SideData(Features full, double[] dabFraction, double[] meanDab) {

        /** The rows of a seed's tiles (the lab's rule: all of them, this object itself). */
        SideData of(int[] rows, boolean random) {
            if (!random) {
                return this;
            }
            double[] f = new double[rows.length];
            double[] m = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                f[i] = dabFraction[rows[i]];
                m[i] = meanDab[rows[i]];
            }
            return new SideData(full.subset(rows), f, m);
        }
    }

    @Override
    public void run(JobContext context) throws Exception {
        long id = Long.parseLong(context.params().get("evaluationId"));
        Evaluation ev = store.findEvaluation(id).orElseThrow(() -> new IllegalStateException("no evaluation " + id));
        tx.executeWithoutResult(s -> {
            store.deleteValues(id);
            store.setStatus(id, "RUNNING", null, null);
        });
        try {
            // features on a node agent (issue 21): the first run sends what the cache lacks to a node job and ends;
            // that job's end queues the evaluation again (param featuresJob), which then reads them from the cache
            if (props.featuresOnNode()
                    && !context.params().containsKey(NodeFeatures.FEATURES_JOB_PARAM)
                    && sendToNode(ev, context)) {
                return;
            }
            boolean done = evaluate(ev, context);
            if (!done) {
                store.setStatus(id, "FAILED", "Cancelled.", clock.instant());
            }
        } catch (Exception | Error e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            tx.executeWithoutResult(s -> {
                store.deleteValues(id);
                store.setStatus(id, "FAILED", msg, clock.instant());
            });
            throw e;
        }
    }

    /** A tile whose features the cache lacks: the full tile ({@link Extractors#FULL}) and/or crops (their keys). */
    record WorkTile(long tileId, long archiveId, int index, int height, int width, List<String> views) {}

    /**
     * What phase 1 of this evaluation would compute now, side by side in the job's order: the work of a node job
     * (issue 21). Read-only; the tiles are chosen as the evaluation chooses them.
     */
    List<WorkTile> work(Evaluation ev) {
        Protocol p = Protocol.parse(ev.protocol());
        Extractor e = extractors
                .find(ev.extractorId())
                .orElseThrow(() -> new IllegalStateException("The extractor of this evaluation is gone."));
        List<Side> sides = new ArrayList<>();
        sides.add(select("real", ev.realDatasetId(), p));
        for (Subject s : store.subjects(ev.id())) {
            GeneratedSet g = checkpoints
                    .set(s.generatedSetId())
                    .orElseThrow(() -> new IllegalStateException("The generated set of '" + s.label() + "' is gone."));
            sides.add(select(s.label(), g.datasetId(), p));
        }
        Map<Long, WorkTile> out = new LinkedHashMap<>();
        for (Side side : sides) {
            List<Long> ids = side.tiles().stream().map(TileInfo::id).toList();
            Set<Long> full = store.features(e.id(), Extractors.FULL, ids).keySet();
            List<List<CropPositions.Crop>> onTile = cropsOnTiles(side, p);
            Set<String> cached = cachedCropKeys(e.id(), ids, onTile, p);
            for (int i = 0; i < ids.size(); i++) {
                TileInfo t = side.tiles().get(i);
                List<String> views = new ArrayList<>();
                if (!full.contains(t.id()) && cached.add(t.id() + "/" + Extractors.FULL)) {
                    views.add(Extractors.FULL);
                }
                for (CropPositions.Crop c : onTile.get(i)) {
                    if (cached.add(t.id() + "/" + cropKey(c))) {
                        views.add(cropKey(c));
                    }
                }
                if (!views.isEmpty()) {
                    WorkTile before = out.get(t.id());
                    List<String> all = new ArrayList<>(before == null ? List.of() : before.views());
                    all.addAll(views);
                    out.put(t.id(), new WorkTile(t.id(), t.archiveId(), t.index(), side.height(), side.width(), all));
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    /** Queues the node job for the features the cache lacks; false (nothing queued) when it lacks none. */
    private boolean sendToNode(Evaluation ev, JobContext ctx) {
        List<WorkTile> work = work(ev);
        if (work.isEmpty()) {
            ctx.log("Every feature is in the cache: nothing for a node to compute.");
            return false;
        }
        if (!accounts.isEnabledUser(ev.createdBy())) {
            // the node job's credential acts for the evaluation's creator: a system name (the demo) has no account
            ctx.log("Features computed by the server: the evaluation's creator '" + ev.createdBy()
                    + "' is no enabled account, so a node job could not authenticate for it.");
            return false;
        }
        long views = work.stream().mapToLong(w -> w.views().size()).sum();
        Resources r = new Resources(props.featuresGpus(), 0, 1, 2048, java.time.Duration.ofHours(24));
        long job = jobs.submitCommand(new CommandJob(
                NodeFeatures.JOB_TYPE,
                "Features for evaluation '" + ev.name() + "' (" + work.size() + " tiles)",
                NodeFeatures.COMMAND,
                Map.of(),
                List.of("evaluation " + ev.id()),
                List.of(),
                r,
                ev.createdBy(),
                null,
                false));
        store.setFeaturesJob(ev.id(), job, "node job " + job + " (waiting for an agent)");
        ctx.log("Feature extraction of " + work.size() + " tiles (" + views + " views) sent to a node agent: job " + job
                + "; this evaluation continues when it ends.");
        return true;
    }

    private boolean evaluate(Evaluation ev, JobContext ctx) throws IOException {
        Protocol p = Protocol.parse(ev.protocol());
        Extractor e = extractors
                .find(ev.extractorId())
                .orElseThrow(() -> new IllegalStateException("The extractor of this evaluation is gone."));
        if (!e.sha256().equals(ev.extractorSha256())) {
            throw new IllegalStateException("The extractor's hash differs from the one recorded with the evaluation.");
        }
        List<Subject> subjects = store.subjects(ev.id());
        Side real = select(
                "real " + catalog.dataset(ev.realDatasetId()).map(d -> d.name()).orElse("?"), ev.realDatasetId(), p);
        Map<Subject, Side> fakes = new LinkedHashMap<>();
        for (Subject s : subjects) {
            GeneratedSet g = checkpoints
                    .set(s.generatedSetId())
                    .orElseThrow(() -> new IllegalStateException("The generated set of '" + s.label() + "' is gone."));
            fakes.put(s, select(s.label(), g.datasetId(), p));
        }
        // the tiles are chosen now: the fingerprint records this selection (archives may have come since it was queued)
        fingerprints.refresh(ev.id(), null);
        long total = real.tiles().size()
                + fakes.values().stream().mapToLong(x -> x.tiles().size()).sum();
        long[] done = {0};
        long[] computed = {0};
        ctx.log("Protocol: " + p.toMap());
        ctx.log("Extractor '" + e.name() + "' sha256 " + e.sha256() + ", " + e.describePreprocessing());
        List<EvaluationStore.SeedValue> values = new ArrayList<>();
        List<EvaluationStore.Bootstrap> bootstraps = new ArrayList<>();
        try (OnnxFeatureExtractor x = extractors.open(e)) {
            SideData realData = prepare(real, p, e, x, ctx, done, total, computed);
            if (realData == null) {
                return false;
            }
            BootstrapPlan boot = bootstrapPlan(p, real, fakes.values());
            for (Map.Entry<Subject, Side> f : fakes.entrySet()) {
                SideData fakeData = prepare(f.getValue(), p, e, x, ctx, done, total, computed);
                if (fakeData == null) {
                    return false;
                }
                Subject s = f.getKey();
                Side fake = f.getValue();
                // the lab's rule: every seed has the same tiles, so FID and the stain distances are computed once
                Fid.Result fixedFid = p.random() ? null : Fid.compute(realData.full(), fakeData.full());
                for (long seed : p.seeds()) {
                    if (ctx.isCancelled()) {
                        return false;
                    }
                    SideData r = realData.of(real.of(seed), p.random());
                    SideData g = fakeData.of(fake.of(seed), p.random());
                    Fid.Result fid = p.random() ? Fid.compute(r.full(), g.full()) : fixedFid;
                    double w1Frac = StainDistances.wasserstein1(r.dabFraction(), g.dabFraction());
                    double ksFrac = StainDistances.ksStatistic(r.dabFraction(), g.dabFraction());
                    double w1Mean = StainDistances.wasserstein1(r.meanDab(), g.meanDab());
                    double ksMean = StainDistances.ksStatistic(r.meanDab(), g.meanDab());
                    Kid.Result kid =
                            Kid.compute(r.full(), g.full(), new Kid.Params(p.kidSubsets(), p.kidSubsetSize(), seed));
                    Fid.Result cropFid = Fid.compute(crops(real, p, e, seed), crops(fake, p, e, seed));
                    values.add(new EvaluationStore.SeedValue(s.id(), Metric.FID, seed, fid.value()));
                    values.add(new EvaluationStore.SeedValue(s.id(), Metric.KID_MEAN, seed, kid.mean()));
                    values.add(new EvaluationStore.SeedValue(s.id(), Metric.KID_STD, seed, kid.std()));
                    values.add(new EvaluationStore.SeedValue(s.id(), Metric.CROP_FID, seed, cropFid.value()));
                    values.add(new EvaluationStore.SeedValue(s.id(), Metric.W1_DAB_FRACTION, seed, w1Frac));
                    values.add(new EvaluationStore.SeedValue(s.id(), Metric.KS_DAB_FRACTION, seed, ksFrac));
                    values.add(new EvaluationStore.SeedValue(s.id(), Metric.W1_MEAN_DAB, seed, w1Mean));
                    values.add(new EvaluationStore.SeedValue(s.id(), Metric.KS_MEAN_DAB, seed, ksMean));
                    ctx.log(s.label() + " seed " + seed + ": FID " + fid.value() + ", KID " + kid.mean() + " ± "
                            + kid.std() + ", CropFID " + cropFid.value());
                }
                if (boot != null && !bootstrap(boot, p, e, s, real, realData, fake, fakeData, ctx, bootstraps)) {
                    return false;
                }
            }
        }
        // where the features were computed (issue 21): a node job's upload said so; the server adds itself when it
        // computed some too (a node job's leftovers, or every feature with stainbench.evaluation.features-on=server)
        String before = store.featuresWhere(ev.id())
                .filter(w -> w.startsWith("node ") && !w.contains("waiting"))
                .orElse(null);
        String where = computed[0] == 0
                ? (before != null ? before : "cache (computed earlier)")
                : before != null ? before + " + server CPU" : "server CPU";
        store.setFeaturesWhere(ev.id(), where);
        ctx.log("Features: " + where + (computed[0] > 0 ? " (" + computed[0] + " computed by the server)" : ""));
        tx.executeWithoutResult(st -> {
            store.deleteValues(ev.id());
            store.insertValues(values);
            Map<Long, Map<Metric, List<Double>>> by = new LinkedHashMap<>();
            for (EvaluationStore.SeedValue v : values) {
                by.computeIfAbsent(v.subjectId(), k -> new EnumMap<>(Metric.class))
                        .computeIfAbsent(v.metric(), k -> new ArrayList<>())
                        .add(v.value());
            }
            by.forEach((subject, m) -> m.forEach((metric, list) -> store.insertSummary(
                    subject,
                    metric,
                    SeedSummary.of(
                            list.stream().mapToDouble(Double::doubleValue).toArray()))));
            bootstraps.forEach(store::insertBootstrap);
            store.setStatus(ev.id(), "DONE", null, clock.instant());
        });
        return true;
    }

    /**
     * The protocol's tiles of a dataset. The lab's rule: archives sorted by name, spread evenly; the first tiles of each
     * (the same for every seed). The random rule: each seed's patient-stratified draw from every row of the READY
     * archives ({@link TileSelection}); the side's tiles are the union in first-drawn order.
     */
    Side select(String name, long datasetId, Protocol p) {
        List<Archive> archives = catalog.archives(datasetId).stream()
                .filter(a -> a.status() == ArchiveStatus.READY)
                .sorted(Comparator.comparing(Archive::fileName))
                .toList();
        if (archives.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' has no ingested archives.");
        }
        Map<Long, String> patientOf = new HashMap<>();
        archives.forEach(a -> patientOf.put(a.id(), TileSelection.patientKey(a)));
        List<TileInfo> out = new ArrayList<>();
        Map<Long, int[]> perSeed = new LinkedHashMap<>();
        Integer h = null;
        Integer w = null;
        if (p.random()) {
            for (Archive archive : archives) {
                if (h == null) {
                    h = archive.tileHeight();
                    w = archive.tileWidth();
                } else if (!java.util.Objects.equals(h, archive.tileHeight())
                        || !java.util.Objects.equals(w, archive.tileWidth())) {
                    throw new IllegalArgumentException("The archives of '" + name + "' have different tile sizes.");
                }
            }
            Map<String, List<TileSelection.Row>> eligible = TileSelection.eligible(archives);
            Map<Long, Map<Integer, TileInfo>> byArchive = new HashMap<>();
            Map<Long, Integer> position = new HashMap<>();
            for (long seed : p.seeds()) {
                List<TileSelection.Row> rows;
                try {
                    rows = TileSelection.draw(eligible, seed, p.tilesPerSide());
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("Too few tiles in '" + name + "': " + ex.getMessage() + ".");
                }
                int[] pos = new int[rows.size()];
                for (int i = 0; i < pos.length; i++) {
                    TileSelection.Row r = rows.get(i);
                    TileInfo t = byArchive
                            .computeIfAbsent(r.archive().id(), id -> {
                                Map<Integer, TileInfo> m = new HashMap<>();
                                tiles.tiles(id).forEach(ti -> m.put(ti.index(), ti));
                                return m;
                            })
                            .get(r.row());
                    if (t == null) {
                        throw new IllegalArgumentException("Tile " + r.row() + " of archive "
                                + r.archive().fileName() + " in '" + name + "' is missing.");
                    }
                    pos[i] = position.computeIfAbsent(t.id(), k -> {
                        out.add(t);
                        return out.size() - 1;
                    });
                }
                perSeed.put(seed, pos);
            }
        } else {
            int[][] plan = Protocol.plan(archives.size(), p.archives(), p.tilesPerSide());
            for (int[] a : plan) {
                Archive archive = archives.get(a[0]);
                if (archive.tilesTotal() < a[1]) {
                    throw new IllegalArgumentException(
                            "Too few tiles in '" + name + "': archive " + archive.fileName() + " has "
                                    + archive.tilesTotal() + " tiles, the protocol takes its first " + a[1] + " ("
                                    + p.tilesPerSide()
                                    + " tiles from " + plan.length + " archives).");
                }
                if (h == null) {
                    h = archive.tileHeight();
                    w = archive.tileWidth();
                } else if (!h.equals(archive.tileHeight()) || !w.equals(archive.tileWidth())) {
                    throw new IllegalArgumentException("The archives of '" + name + "' have different tile sizes.");
                }
                List<TileInfo> list = tiles.tiles(archive.id());
                out.addAll(list.subList(0, a[1]));
            }
            int[] all = java.util.stream.IntStream.range(0, out.size()).toArray();
            for (long seed : p.seeds()) {
                perSeed.put(seed, all);
            }
        }
        if (h == null || w == null || p.cropSize() > h || p.cropSize() > w) {
            throw new IllegalArgumentException(
                    "Crops of " + p.cropSize() + " do not fit the " + w + " x " + h + " tiles of '" + name + "'.");
        }
        List<String> patients =
                out.stream().map(t -> patientOf.get(t.archiveId())).toList();
        return new Side(name, out, h, w, patients, perSeed);
    }

    /**
     * The evaluation's patient bootstrap: the resampling plan of {@link PatientBootstrap} seeded with the first seed,
     * over the real side's patients and the union of the generated sides' patients (keys sorted), all on the first
     * seed's tiles; null when the protocol asks for none.
     */
    record BootstrapPlan(
            long seed, PatientBootstrap.Plan plan, Map<String, Integer> real, Map<String, Integer> generated) {}

    BootstrapPlan bootstrapPlan(Protocol p, Side real, java.util.Collection<Side> fakes) {
        if (p.bootstrapResamples() < 1 || fakes.isEmpty()) {
            return null;
        }
        long seed = p.seeds().get(0);
        Map<String, Integer> r = index(java.util.stream.Stream.of(real), seed);
        Map<String, Integer> g = index(fakes.stream(), seed);
        return new BootstrapPlan(seed, PatientBootstrap.plan(seed, p.bootstrapResamples(), r.size(), g.size()), r, g);
    }

    private static Map<String, Integer> index(java.util.stream.Stream<Side> sides, long seed) {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>();
        sides.forEach(side -> {
            for (int i : side.of(seed)) {
                keys.add(side.patients().get(i));
            }
        });
        Map<String, Integer> out = new LinkedHashMap<>();
        keys.forEach(k -> out.put(k, out.size()));
        return out;
    }

    /** Per metric (not KID std, a dispersion), the bootstrap of one compared set; false when cancelled. */
    private boolean bootstrap(
            BootstrapPlan boot,
            Protocol p,
            Extractor e,
            Subject s,
            Side real,
            SideData realData,
            Side fake,
            SideData fakeData,
            JobContext ctx,
            List<EvaluationStore.Bootstrap> out) {
        long seed = boot.seed();
        int[] rp = real.of(seed);
        int[] gp = fake.of(seed);
        SideData r = realData.of(rp, true);
        SideData g = fakeData.of(gp, true);
        int[] rl = labels(real, rp, boot.real());
        int[] gl = labels(fake, gp, boot.generated());
        int nr = boot.real().size();
        int ng = boot.generated().size();
        Map<Metric, PatientBootstrap.Statistic> stats = new java.util.EnumMap<>(Metric.class);
        stats.put(Metric.FID, PatientBootstrap::fid);
        stats.put(Metric.KID_MEAN, PatientBootstrap.kidMean(p.kidSubsets(), p.kidSubsetSize(), seed));
        stats.put(Metric.CROP_FID, PatientBootstrap::fid);
        stats.put(Metric.W1_DAB_FRACTION, PatientBootstrap.scalar(StainDistances::wasserstein1));
        stats.put(Metric.KS_DAB_FRACTION, PatientBootstrap.scalar(StainDistances::ksStatistic));
        stats.put(Metric.W1_MEAN_DAB, PatientBootstrap.scalar(StainDistances::wasserstein1));
        stats.put(Metric.KS_MEAN_DAB, PatientBootstrap.scalar(StainDistances::ksStatistic));
        for (Map.Entry<Metric, PatientBootstrap.Statistic> m : stats.entrySet()) {
            if (ctx.isCancelled()) {
                return false;
            }
            PatientBootstrap.Side a;
            PatientBootstrap.Side b;
            switch (m.getKey()) {
                case FID, KID_MEAN -> {
                    a = new PatientBootstrap.Side(r.full(), rl, nr);
                    b = new PatientBootstrap.Side(g.full(), gl, ng);
                }
                case CROP_FID -> {
                    a = new PatientBootstrap.Side(crops(real, p, e, seed), cropLabels(real, p, seed, rl), nr);
                    b = new PatientBootstrap.Side(crops(fake, p, e, seed), cropLabels(fake, p, seed, gl), ng);
                }
                case W1_DAB_FRACTION, KS_DAB_FRACTION -> {
                    a = new PatientBootstrap.Side(
                            Features.of("real DAB+ fraction", rl.length, 1, r.dabFraction()), rl, nr);
                    b = new PatientBootstrap.Side(
                            Features.of("generated DAB+ fraction", gl.length, 1, g.dabFraction()), gl, ng);
                }
                default -> {
                    a = new PatientBootstrap.Side(Features.of("real mean DAB", rl.length, 1, r.meanDab()), rl, nr);
                    b = new PatientBootstrap.Side(Features.of("generated mean DAB", gl.length, 1, g.meanDab()), gl, ng);
                }
            }
            try {
                double[] v =
                        PatientBootstrap.values(a, List.of(b), boot.plan(), m.getValue(), props.bootstrapThreads())[0];
                PatientBootstrap.Interval i = PatientBootstrap.percentile(v, PatientBootstrap.LEVEL);
                out.add(new EvaluationStore.Bootstrap(s.id(), m.getKey(), v.length, seed, i.low(), i.high(), v));
                ctx.log(s.label() + " " + m.getKey().label() + ": 95 % patient bootstrap interval [" + i.low() + ", "
                        + i.high() + "] (B = " + v.length + ", " + nr + " real and " + ng + " generated patients)");
            } catch (IllegalArgumentException ex) {
                ctx.log(s.label() + " " + m.getKey().label() + ": no bootstrap interval (" + ex.getMessage() + ")");
            }
        }
        return true;
    }

    private static int[] labels(Side side, int[] rows, Map<String, Integer> index) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = index.get(side.patients().get(rows[i]));
        }
        return out;
    }

    /** The patient of each of the seed's crops (the crops of {@link #crops}, in order). */
    private static int[] cropLabels(Side side, Protocol p, long seed, int[] tileLabels) {
        CropPositions.Crop[] c = CropPositions.draw(
                seed, tileLabels.length, side.height(), side.width(), p.cropSize(), p.cropsPerTile());
        int[] out = new int[c.length];
        for (int j = 0; j < c.length; j++) {
            out[j] = tileLabels[c[j].tile()];
        }
        return out;
    }

    static String cropKey(CropPositions.Crop c) {
        return "c" + c.size() + "@" + c.y() + "," + c.x();
    }

    /** Phase 1 for one side: features the cache lacks, and stain measures; null when cancelled. */
    private SideData prepare(
            Side side,
            Protocol p,
            Extractor e,
            OnnxFeatureExtractor x,
            JobContext ctx,
            long[] done,
            long total,
            long[] computed) {
        int n = side.tiles().size();
        List<Long> ids = side.tiles().stream().map(TileInfo::id).toList();
        Map<Long, float[]> full = new HashMap<>(store.features(e.id(), Extractors.FULL, ids));
        List<List<CropPositions.Crop>> onTile = cropsOnTiles(side, p);
        Set<String> cached = cachedCropKeys(e.id(), ids, onTile, p);
        double[] frac = new double[n];
        double[] mean = new double[n];
        Batch fullBatch = new Batch(e.id(), side.height(), side.width(), p.batchSize());
        Batch cropBatch = new Batch(e.id(), p.cropSize(), p.cropSize(), p.batchSize());
        int fromCache = 0;
        for (int i = 0; i < n; i++) {
            if (ctx.isCancelled()) {
                return null;
            }
            TileInfo t = side.tiles().get(i);
            RgbTile rgb = tiles.read(t.archiveId(), t.index());
            if (rgb.height() != side.height() || rgb.width() != side.width()) {
                throw new IllegalArgumentException("Tile " + t.index() + " of archive " + t.archiveId() + " in '"
                        + side.name() + "' is " + rgb.width() + " x " + rgb.height() + ", not " + side.width() + " x "
                        + side.height() + ".");
            }
            QualityMeasures q = QualityMeasures.of(rgb);
            frac[i] = q.dabPositiveFraction();
            mean[i] = q.meanDab();
            String what = side.name() + ", archive " + t.archiveId() + " tile " + t.index();
            if (!full.containsKey(t.id())) {
                fullBatch.add(x, t.id(), Extractors.FULL, what, rgb.rgb());
            } else {
                fromCache++;
            }
            for (CropPositions.Crop c : onTile.get(i)) {
                String key = cropKey(c);
                if (cached.add(t.id() + "/" + key)) {
                    cropBatch.add(
                            x,
                            t.id(),
                            key,
                            what + " crop " + key,
                            CropPositions.cut(rgb.rgb(), side.height(), side.width(), 3, c));
                }
            }
            done[0]++;
            ctx.progress(done[0], total, "tiles");
        }
        fullBatch.flush(x);
        cropBatch.flush(x);
        computed[0] += fullBatch.computed + cropBatch.computed;
        ctx.log(side.name() + ": " + n + " tiles, " + fromCache + " full-tile features from the cache, "
                + fullBatch.computed + " full and " + cropBatch.computed + " crop features computed");
        full.putAll(store.features(e.id(), Extractors.FULL, ids));
        double[] rows = new double[n * e.outputDim()];
        for (int i = 0; i < n; i++) {
            float[] v = full.get(ids.get(i));
            if (v == null || v.length != e.outputDim()) {
                throw new IllegalStateException(
                        "Features of tile " + ids.get(i) + " are missing or have the wrong size.");
            }
            for (int k = 0; k < v.length; k++) {
                rows[i * v.length + k] = v[k];
            }
        }
        return new SideData(Features.of(side.name() + " tiles", n, e.outputDim(), rows), frac, mean);
    }

    /** Per tile of the side, the crops of every seed that fall on it (seed order, then crop order). */
    private static List<List<CropPositions.Crop>> cropsOnTiles(Side side, Protocol p) {
        List<List<CropPositions.Crop>> onTile = new ArrayList<>();
        for (int i = 0; i < side.tiles().size(); i++) {
            onTile.add(new ArrayList<>());
        }
        for (long seed : p.seeds()) {
            int[] pos = side.of(seed);
            CropPositions.Crop[] seedCrops =
                    CropPositions.draw(seed, pos.length, side.height(), side.width(), p.cropSize(), p.cropsPerTile());
            for (CropPositions.Crop c : seedCrops) {
                onTile.get(pos[c.tile()]).add(c);
            }
        }
        return onTile;
    }

    private Set<String> cachedCropKeys(
            long extractorId, List<Long> ids, List<List<CropPositions.Crop>> onTile, Protocol p) {
        Set<String> keys = new HashSet<>();
        for (List<CropPositions.Crop> tileCrops : onTile) {
            for (CropPositions.Crop c : tileCrops) {
                keys.add(cropKey(c));
            }
        }
        return store.cachedKeys(extractorId, ids, "c" + p.cropSize() + "@", keys);
    }

    /** The seed's crop features of a side, from the cache (filled in phase 1). */
    private Features crops(Side side, Protocol p, Extractor e, long seed) {
        int[] pos = side.of(seed);
        CropPositions.Crop[] crops =
                CropPositions.draw(seed, pos.length, side.height(), side.width(), p.cropSize(), p.cropsPerTile());
        Map<String, float[]> got = store.cropFeatures(
                e.id(),
                java.util.Arrays.stream(pos)
                        .mapToObj(i -> side.tiles().get(i).id())
                        .distinct()
                        .toList(),
                java.util.Arrays.stream(crops)
                        .map(EvaluationJob::cropKey)
                        .collect(java.util.stream.Collectors.toSet()));
        int d = e.outputDim();
        double[] rows = new double[crops.length * d];
        for (int j = 0; j < crops.length; j++) {
            long tileId = side.tiles().get(pos[crops[j].tile()]).id();
            float[] v = got.get(tileId + "/" + cropKey(crops[j]));
            if (v == null || v.length != d) {
                throw new IllegalStateException("Crop features of tile " + tileId + " are missing.");
            }
            for (int k = 0; k < d; k++) {
                rows[j * d + k] = v[k];
            }
        }
        return Features.of(side.name() + " crops (seed " + seed + ")", crops.length, d, rows);
    }

    /** Tiles (or crops) of one size waiting for the model; each full batch is run and stored at once. */
    private final class Batch {
        final long extractorId;
        final int h;
        final int w;
        final int size;
        final List<Long> tileIds = new ArrayList<>();
        final List<String> views = new ArrayList<>();
        final List<byte[]> pixels = new ArrayList<>();
        int computed;

        Batch(long extractorId, int h, int w, int size) {
            this.extractorId = extractorId;
            this.h = h;
            this.w = w;
            this.size = size;
        }

        void add(OnnxFeatureExtractor x, long tileId, String view, String what, byte[] rgb) {
            // the declared input check (8-bit RGB 0..255, not a 0..1 float tile) before the model sees it
            ImageChecks.requireRgb8(what, rgb, h, w, 3);
            tileIds.add(tileId);
            views.add(view);
            pixels.add(rgb);
            if (pixels.size() >= size) {
                flush(x);
            }
        }

        void flush(OnnxFeatureExtractor x) {
            if (pixels.isEmpty()) {
                return;
            }
            Features f = x.extract(pixels, h, w, size);
            Map<String, Map<Long, float[]>> byView = new LinkedHashMap<>();
            for (int i = 0; i < pixels.size(); i++) {
                float[] v = new float[f.dimension()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = (float) f.get(i, k);
                }
                byView.computeIfAbsent(views.get(i), k -> new LinkedHashMap<>()).put(tileIds.get(i), v);
            }
            tx.executeWithoutResult(
                    s -> byView.forEach((view, m) -> store.putFeatures(extractorId, view, m, "COMPUTED")));
            computed += pixels.size();
            tileIds.clear();
            views.clear();
            pixels.clear();
        }
    }
}
