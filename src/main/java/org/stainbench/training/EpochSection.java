package org.stainbench.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Extractor;
import org.stainbench.evaluation.Extractors;
import org.stainbench.evaluation.Metric;
import org.stainbench.evaluation.Protocol;

/**
 * The "Evaluation by epoch" part of a run page: the form that requests evaluation of chosen epochs, the requests
 * with where they stand, and the metric-vs-epoch chart data (mean ± std over seeds, one line per protocol fingerprint).
 */
@Component
class EpochSection {

    /**
     * The "evaluate epochs" form; protocol fields as on the evaluation form: {@code preset} "lab" takes the lab's
     * protocol (its first-tiles rule), else the fields below with {@code tileRule} "random" (patient-stratified random
     * tiles per seed, the default when blank) or "first" (the lab's rule); {@code bootstrapResamples} B of the patient
     * bootstrap (blank: the configured default, 0: none).
     */
    record Form(
            List<Integer> epochs,
            Long sourceDatasetId,
            Long realDatasetId,
            Long extractorId,
            Integer tilesPerSide,
            Integer archives,
            Integer cropSize,
            Integer cropsPerTile,
            String seeds,
            Integer kidSubsets,
            Integer kidSubsetSize,
            String name,
            String preset,
            String tileRule,
            String bootstrapResamples) {

        public boolean labPreset() {
            return "lab".equals(preset);
        }

        /** The tile rule as the form shows it: "first" or "random" (blank reads as random, the default). */
        public String rule() {
            return "first".equals(tileRule) || "lab".equals(tileRule) || "first_spread".equals(tileRule)
                    ? "first"
                    : "random";
        }

        /** The same form with another tile rule, e.g. the demo's explicit choice of the lab's rule. */
        Form withTileRule(String rule) {
            return new Form(
                    epochs,
                    sourceDatasetId,
                    realDatasetId,
                    extractorId,
                    tilesPerSide,
                    archives,
                    cropSize,
                    cropsPerTile,
                    seeds,
                    kidSubsets,
                    kidSubsetSize,
                    name,
                    preset,
                    rule,
                    bootstrapResamples);
        }

        /** The same form with other seeds. */
        Form withSeeds(String s) {
            return new Form(
                    epochs,
                    sourceDatasetId,
                    realDatasetId,
                    extractorId,
                    tilesPerSide,
                    archives,
                    cropSize,
                    cropsPerTile,
                    s,
                    kidSubsets,
                    kidSubsetSize,
                    name,
                    preset,
                    tileRule,
                    bootstrapResamples);
        }

        /**
         * The protocol of the new evaluation, with the defaults of new evaluations ({@link Evaluations#forNew}: random
         * patient-stratified tiles and the configured B unless the form says otherwise; the lab preset keeps its rule).
         */
        Protocol protocol(Evaluations evaluations) {
            if (labPreset()) {
                return evaluations.forNew(Protocol.lab(), "first", bootstrapResamples);
            }
            if (tilesPerSide == null
                    || archives == null
                    || cropSize == null
                    || cropsPerTile == null
                    || kidSubsets == null
                    || kidSubsetSize == null) {
                throw new IllegalArgumentException(
                        "Fill in every protocol field (whole numbers), or choose the lab's preset.");
            }
            return evaluations.forNew(
                    new Protocol(
                            tilesPerSide,
                            archives,
                            cropSize,
                            cropsPerTile,
                            Protocol.parseSeeds(seeds),
                            kidSubsets,
                            kidSubsetSize,
                            Protocol.lab().batchSize()),
                    tileRule,
                    bootstrapResamples);
        }
    }

    /** One point of the chart: an epoch's values, from the evaluation {@code evaluationHref}. */
    record Point(
            int epoch,
            String checkpoint,
            String href,
            Map<String, double[]> values,
            long evaluation,
            String evaluationHref) {}

    /**
     * One line of the chart: every evaluation of the run with one protocol fingerprint joined, each epoch from the
     * newest of them that has a value for it ({@code evaluations}: their ids, oldest first; {@code evaluation}: the
     * newest).
     */
    record Series(
            long evaluation,
            String name,
            String href,
            String status,
            List<Point> points,
            String fingerprint,
            List<Long> evaluations) {}

    record Chart(List<Map<String, String>> metrics, List<Series> series) {}

    private final EpochEvaluations requests;
    private final Evaluations evaluations;
    private final Extractors extractors;
    private final Catalog catalog;

    EpochSection(EpochEvaluations requests, Evaluations evaluations, Extractors extractors, Catalog catalog) {
        this.requests = requests;
        this.evaluations = evaluations;
        this.extractors = extractors;
        this.catalog = catalog;
    }

    void fill(Model model, Tracking.Run run, Form submitted) {
        String uuid = run.info().uuid();
        Map<Integer, Checkpoint> epochs = requests.epochCheckpoints(uuid);
        List<Dataset> he = catalog.realDatasets(Stain.HE);
        List<Dataset> ihc = catalog.realDatasets(Stain.IHC);
        List<Extractor> ex = extractors.all();
        model.addAttribute("epochChoices", epochs);
        model.addAttribute("heDatasets", he);
        model.addAttribute("ihcDatasets", ihc);
        model.addAttribute("extractors", ex);
        model.addAttribute("epochForm", submitted != null ? submitted : defaults(run, epochs, he, ihc, ex));
        List<EpochEvaluations.Status> status = requests.statusOfRun(uuid);
        model.addAttribute("epochRequests", status);
        List<Evaluations.RunEpochs> evs = evaluations.epochsOfRun(uuid);
        model.addAttribute("epochEvaluations", evs);
        boolean busy = status.stream().anyMatch(s -> s.request().active())
                || evs.stream().anyMatch(e -> List.of("QUEUED", "RUNNING")
                        .contains(e.evaluation().status()));
        model.addAttribute("epochBusy", busy);
    }

    /**
     * Every epoch; the H&amp;E the run learned from; its target IHC; a standard extractor if any; a protocol that fits,
     * with the defaults of new evaluations: random patient-stratified tiles per seed and the configured bootstrap B.
     */
    Form defaults(
            Tracking.Run run,
            Map<Integer, Checkpoint> epochs,
            List<Dataset> he,
            List<Dataset> ihc,
            List<Extractor> ex) {
        Long source = Optional.ofNullable(run.tags().get("stainbench.dataset_id"))
                .map(Long::valueOf)
                .filter(id -> he.stream().anyMatch(d -> d.id() == id))
                .orElse(he.isEmpty() ? null : he.get(0).id());
        String target = run.params().get("target_dataset");
        Long real = ihc.stream()
                .filter(d -> d.name().equals(target))
                .map(Dataset::id)
                .findFirst()
                .orElse(ihc.isEmpty() ? null : ihc.get(0).id());
        Long extractor = ex.stream()
                .filter(e -> e.standardName().isPresent())
                .map(Extractor::id)
                .findFirst()
                .orElse(ex.isEmpty() ? null : ex.get(ex.size() - 1).id());
        Protocol lab = Protocol.lab();
        int archives = lab.archives();
        int perArchive = Integer.MAX_VALUE;
        int tile = Integer.MAX_VALUE;
        for (Long d : java.util.Arrays.asList(source, real)) {
            if (d == null) {
                continue;
            }
            List<Archive> ready = catalog.archives(d).stream()
                    .filter(a -> a.status() == ArchiveStatus.READY)
                    .toList();
            archives = Math.min(archives, Math.max(1, ready.size()));
            perArchive = Math.min(
                    perArchive,
                    ready.stream().mapToInt(Archive::tilesTotal).min().orElse(0));
            tile = Math.min(tile, catalog.dataset(d).map(Dataset::tileSize).orElse(tile));
        }
        int tiles = perArchive == Integer.MAX_VALUE
                ? lab.tilesPerSide()
                : Math.max(2, Math.min(lab.tilesPerSide(), archives * perArchive));
        int kidSize = Math.max(2, Math.min(lab.kidSubsetSize(), tiles / 2));
        int kidSubsets = tiles >= lab.tilesPerSide() ? lab.kidSubsets() : 10;
        int crop = tile == Integer.MAX_VALUE ? lab.cropSize() : Math.min(lab.cropSize(), Math.max(8, tile / 2));
        return new Form(
                new ArrayList<>(epochs.keySet()),
                source,
                real,
                extractor,
                tiles,
                archives,
                crop,
                lab.cropsPerTile(),
                "0-4",
                kidSubsets,
                kidSize,
                "",
                "custom",
                "random",
                Integer.toString(evaluations.defaultBootstrapResamples()));
    }

    /** The protocol the form asks for (see {@link Form#protocol(Evaluations)}). */
    Protocol protocol(Form f) {
        return f.protocol(evaluations);
    }

    /**
     * The metric-vs-epoch chart data of a run: one line per protocol fingerprint, joining every evaluation of the run
     * made under it (a partial re-evaluation of one epoch replaces that epoch's point and keeps the others).
     */
    Chart chart(String runUuid) {
        List<Metric> metrics = new ArrayList<>();
        Map<String, List<Evaluations.RunEpochs>> byFingerprint = new LinkedHashMap<>();
        for (Evaluations.RunEpochs e : evaluations.epochsOfRun(runUuid)) {
            e.metrics().stream().filter(m -> !metrics.contains(m)).forEach(metrics::add);
            String fp = e.evaluation().fingerprint() != null
                    ? e.evaluation().fingerprint()
                    : "unrecorded-" + e.evaluation().id();
            byFingerprint.computeIfAbsent(fp, k -> new ArrayList<>()).add(e);
        }
        List<Series> series = new ArrayList<>();
        byFingerprint.forEach((fp, evs) -> {
            java.util.TreeMap<Integer, Point> points = new java.util.TreeMap<>();
            for (Evaluations.RunEpochs e : evs) { // oldest first: a newer value of an epoch replaces an older one
                for (Evaluations.Row r : e.rows()) {
                    Map<String, double[]> values = new LinkedHashMap<>();
                    r.meanStdN().forEach((m, v) -> values.put(m.key(), v));
                    Point p = new Point(
                            r.subject().epoch(),
                            r.subject().label(),
                            r.subject().checkpointId() == null
                                    ? null
                                    : "/checkpoints/" + r.subject().checkpointId(),
                            values,
                            e.evaluation().id(),
                            e.evaluation().href());
                    if (!values.isEmpty()) {
                        points.put(p.epoch(), p);
                    } else {
                        points.putIfAbsent(p.epoch(), p);
                    }
                }
            }
            Evaluations.RunEpochs newest = evs.get(evs.size() - 1);
            String name = evs.size() == 1
                    ? newest.evaluation().name()
                    : "protocol " + newest.evaluation().shortFingerprint() + " (" + evs.size() + " evaluations)";
            series.add(new Series(
                    newest.evaluation().id(),
                    name,
                    newest.evaluation().href(),
                    newest.evaluation().status(),
                    List.copyOf(points.values()),
                    fp,
                    evs.stream().map(x -> x.evaluation().id()).toList()));
        });
        metrics.sort(Comparator.comparingInt(Metric::ordinal));
        List<Map<String, String>> ms = metrics.stream()
                .map(m -> Map.of("key", m.key(), "label", m.label()))
                .toList();
        return new Chart(ms, series);
    }
}
