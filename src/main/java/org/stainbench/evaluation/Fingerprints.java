package org.stainbench.evaluation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedArchive;
import org.stainbench.checkpoints.GeneratedSet;

/**
 * Computes and stores evaluations' protocol fingerprints ({@link ProtocolFingerprint}): when an evaluation is recorded,
 * again when its job has selected the tiles, and at startup for rows made before fingerprints existed. A tile list is
 * the protocol's selection written as {@code archiveSha256:row} lines (for a generated set, the source archive's hash
 * and row, since generated row i comes from source row i), so evaluations of different checkpoints generated from the
 * same source tiles share it.
 */
@Component
class Fingerprints {

    private static final Logger log = LoggerFactory.getLogger(Fingerprints.class);

    private final EvaluationStore store;
    private final Catalog catalog;
    private final Checkpoints checkpoints;

    Fingerprints(EvaluationStore store, @Lazy Catalog catalog, @Lazy Checkpoints checkpoints) {
        this.store = store;
        this.catalog = catalog;
        this.checkpoints = checkpoints;
    }

    /** The canonical text of an evaluation's protocol; tile lists as the catalog holds them now (or as of {@code asOf}). */
    String canonical(Evaluation ev, Instant asOf) {
        Map<String, String> lines = Protocol.lines(ev.protocol());
        List<Subject> subjects = store.subjects(ev.id());
        if (ev.imported()) {
            List<Long> seeds = store.values(ev.id()).stream()
                    .map(EvaluationStore.SeedValue::seed)
                    .distinct()
                    .toList();
            return ProtocolFingerprint.imported(lines, seeds);
        }
        Protocol p = Protocol.parse(ev.protocol());
        String real = ev.realDatasetId() == null ? null : tiles(ev.realDatasetId(), p, asOf, Map.of());
        List<String> generated = new ArrayList<>();
        for (Subject s : subjects) {
            Optional<GeneratedSet> g =
                    s.generatedSetId() == null ? Optional.empty() : checkpoints.set(s.generatedSetId());
            generated.add(
                    g.map(set -> tiles(set.datasetId(), p, asOf, sources(set))).orElse(null));
        }
        return ProtocolFingerprint.computed(
                p, real, ProtocolFingerprint.combine(generated), ev.extractorSha256(), lines.get("preprocessing"));
    }

    /** Computes and stores the fingerprint; returns it. */
    String refresh(long evaluationId, Instant asOf) {
        Evaluation ev = store.findEvaluation(evaluationId).orElseThrow();
        String text = canonical(ev, asOf);
        String sha = ProtocolFingerprint.sha256(text);
        store.setFingerprint(ev.id(), sha, text);
        return sha;
    }

    /** Generated archive id → its source archive's SHA-256. */
    private Map<Long, String> sources(GeneratedSet set) {
        return checkpoints.archives(set.id()).stream()
                .collect(Collectors.toMap(
                        GeneratedArchive::archiveId,
                        g -> catalog.archive(g.sourceArchiveId())
                                .map(a -> "source " + a.sha256())
                                .orElse("source archive " + g.sourceArchiveId()),
                        (a, b) -> a));
    }

    /**
     * The hash of the protocol's tiles of a dataset (the rule of {@link EvaluationJob#select}); null when not
     * computable: too few tiles, or ({@code asOf} given) an archive ingested after it, so the selection then may differ.
     */
    private String tiles(long datasetId, Protocol p, Instant asOf, Map<Long, String> sourceOf) {
        List<Archive> archives = catalog.archives(datasetId).stream()
                .filter(a -> a.status() == ArchiveStatus.READY)
                .sorted(Comparator.comparing(Archive::fileName))
                .toList();
        if (archives.isEmpty()
                || (asOf != null
                        && archives.stream()
                                .anyMatch(a ->
                                        a.ingestedAt() == null || a.ingestedAt().isAfter(asOf)))) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (p.random()) {
            // the eligible tiles in the draw's order; the seeds and the recorded stream then decide each seed's tiles
            TileSelection.eligible(archives)
                    .forEach((patient, rows) -> rows.forEach(r -> out.add(patient + " "
                            + sourceOf.getOrDefault(
                                    r.archive().id(), r.archive().sha256()) + ":" + r.row())));
            return out.size() < p.tilesPerSide() ? null : ProtocolFingerprint.tileListHash(out);
        }
        for (int[] a : Protocol.plan(archives.size(), p.archives(), p.tilesPerSide())) {
            Archive archive = archives.get(a[0]);
            if (archive.tilesTotal() < a[1]) {
                return null;
            }
            String id = sourceOf.getOrDefault(archive.id(), archive.sha256());
            for (int row = 0; row < a[1]; row++) {
                out.add(id + ":" + row);
            }
        }
        return ProtocolFingerprint.tileListHash(out);
    }

    /** Evaluations made before fingerprints: tile lists as of their creation, where the catalog still tells them. */
    @EventListener(ApplicationReadyEvent.class)
    void backfill() {
        for (Evaluation ev : store.withoutFingerprint()) {
            try {
                refresh(ev.id(), ev.createdAt());
            } catch (RuntimeException e) {
                log.warn("No protocol fingerprint for evaluation {}: {}", ev.id(), e.getMessage());
            }
        }
    }
}
