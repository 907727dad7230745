package org.stainbench.training;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.checkpoints.GeneratedSetStatus;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Protocol;
import org.stainbench.jobs.JobFinished;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
import org.stainbench.shell.Columns;
import org.stainbench.shell.Names;

/**
 * "Evaluate epochs …" of a training run: for the chosen epochs, the generated set of each epoch's checkpoint on a
 * source dataset (an existing one, or generation queued now for CPU-appliable checkpoints), then one evaluation of
 * those sets against a real IHC dataset as soon as every set and its archives are ready. Requests wait in
 * {@code epoch_evaluation}; they advance whenever a job finishes (generation and ingest are jobs) and at start-up,
 * never blocking a worker. Launch is claimed by a guarded UPDATE, so two finishing jobs launch it once.
 */
@Service
class EpochEvaluations {

    private static final Logger log = LoggerFactory.getLogger(EpochEvaluations.class);

    static final String WAITING = "WAITING";
    static final String LAUNCHING = "LAUNCHING";
    static final String LAUNCHED = "LAUNCHED";
    static final String FAILED = "FAILED";

    /** One request as stored. */
    record Request(
            long id,
            String runUuid,
            String name,
            List<Integer> epochs,
            List<Long> setIds,
            long sourceDatasetId,
            long realDatasetId,
            long extractorId,
            String protocol,
            String state,
            String message,
            Long evaluationId,
            String createdBy,
            java.time.Instant createdAt) {

        boolean active() {
            return WAITING.equals(state) || LAUNCHING.equals(state);
        }

        String epochsText() {
            return epochs.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
    }

    /** Where a request stands, for the run page. */
    record Status(Request request, int setsReady, Optional<Evaluation> evaluation, String epochs) {}

    private final JdbcClient jdbc;
    private final TrackingStore runs;
    private final Catalog catalog;
    private final Checkpoints checkpoints;
    private final Evaluations evaluations;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    EpochEvaluations(
            JdbcClient jdbc,
            TrackingStore runs,
            @Lazy Catalog catalog,
            @Lazy Checkpoints checkpoints,
            @Lazy Evaluations evaluations,
            ApplicationEventPublisher events,
            Clock clock) {
        this.jdbc = jdbc;
        this.runs = runs;
        this.catalog = catalog;
        this.checkpoints = checkpoints;
        this.evaluations = evaluations;
        this.events = events;
        this.clock = clock;
    }

    /** The run's checkpoints that carry an epoch, by epoch. */
    Map<Integer, Checkpoint> epochCheckpoints(String runUuid) {
        Map<Integer, Checkpoint> m = new java.util.TreeMap<>();
        for (Checkpoint c : checkpoints.all()) {
            if (runUuid.equals(c.runUuid()) && c.epoch() != null) {
                m.putIfAbsent(c.epoch(), c);
            }
        }
        return m;
    }

    /**
     * Checks everything that can be checked now, queues generation for epochs without a set on the source dataset,
     * and records the request; nothing is queued or recorded when a check fails.
     */
    Request request(
            String runUuid,
            List<Integer> epochs,
            Long sourceDatasetId,
            Long realDatasetId,
            Long extractorId,
            Protocol protocol,
            String name,
            String by) {
        Tracking.RunInfo run = runs.run(runUuid)
                .orElseThrow(() -> new IllegalArgumentException("No training run with id " + runUuid + "."));
        Map<Integer, Checkpoint> byEpoch = epochCheckpoints(runUuid);
        if (byEpoch.isEmpty()) {
            throw new IllegalArgumentException("Run '" + run.name() + "' has no epoch checkpoints yet.");
        }
        if (epochs == null || epochs.isEmpty()) {
            throw new IllegalArgumentException("Choose at least one epoch to evaluate.");
        }
        List<Integer> chosen = epochs.stream().distinct().sorted().toList();
        for (int e : chosen) {
            if (!byEpoch.containsKey(e)) {
                throw new IllegalArgumentException("Epoch " + e + " has no checkpoint in run '" + run.name()
                        + "' (epochs with checkpoints: "
                        + byEpoch.keySet().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ").");
            }
        }
        if (sourceDatasetId == null) {
            throw new IllegalArgumentException("Choose the H&E dataset to generate on.");
        }
        Dataset source = catalog.dataset(sourceDatasetId)
                .orElseThrow(() -> new IllegalArgumentException("No dataset with id " + sourceDatasetId + "."));
        if (source.stain() != Stain.HE) {
            throw new IllegalArgumentException(
                    "Generate on an H&E dataset; '" + source.name() + "' is " + source.stainText() + ".");
        }
        if (protocol == null) {
            throw new IllegalArgumentException("Give the evaluation protocol.");
        }
        evaluations.check(realDatasetId, extractorId, protocol, source.id());
        Dataset real = catalog.dataset(realDatasetId).orElseThrow();
        String n = name == null || name.isBlank()
                ? run.name() + ": epoch" + (chosen.size() == 1 ? " " : "s ") + range(chosen) + " vs " + real.name()
                : name.trim();
        if (n.length() > 200) {
            throw new IllegalArgumentException("Give the evaluation a name of 1–200 characters.");
        }
        Names.check("The evaluation name", name);
        // every epoch either has a usable set on the source or can be generated here: check all before queuing any
        Map<Integer, GeneratedSet> existing = new LinkedHashMap<>();
        for (int e : chosen) {
            Checkpoint c = byEpoch.get(e);
            Optional<GeneratedSet> set = checkpoints.sets(c.id()).stream()
                    .filter(s -> s.sourceDatasetId() == source.id())
                    .findFirst();
            if (set.isPresent()) {
                if (set.get().status() == GeneratedSetStatus.FAILED) {
                    throw new IllegalArgumentException("Generation of epoch " + e + " ('" + c.name() + "') on '"
                            + source.name() + "' failed earlier: " + set.get().report());
                }
                existing.put(e, set.get());
            } else if (!c.kind().baseline()) {
                throw new IllegalArgumentException("Epoch " + e + " ('" + c.name() + "') is a model checkpoint: "
                        + "generate its set on a GPU node and register it on the checkpoint's page, then evaluate.");
            }
        }
        List<Long> setIds = new ArrayList<>();
        for (int e : chosen) {
            GeneratedSet s = existing.get(e);
            if (s == null) {
                s = checkpoints.applyBaseline(byEpoch.get(e).id(), source.id(), by);
            }
            setIds.add(s.id());
        }
        var keys = new GeneratedKeyHolder();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("insert into epoch_evaluation (run_uuid, name, epochs, set_ids, source_dataset_id, real_dataset_id, "
                        + "extractor_id, protocol, state, created_by, created_at, updated_at) "
                        + "values (:runUuid, :name, :epochs, :setIds, :sourceDatasetId, :realDatasetId,"
                        + " :extractorId, :protocol, :state, :createdBy, :createdAt, :updatedAt)")
                .param("runUuid", runUuid)
                .param("name", n)
                .param("epochs", join(chosen))
                .param("setIds", join(setIds))
                .param("sourceDatasetId", source.id())
                .param("realDatasetId", real.id())
                .param("extractorId", extractorId)
                .param("protocol", protocol.text())
                .param("state", WAITING)
                .param("createdBy", by)
                .param("createdAt", now)
                .param("updatedAt", now)
                .update(keys, "id");
        long id = keys.getKey().longValue();
        events.publishEvent(Activity.of(
                by,
                "launched",
                ActivitySubject.RUN,
                runUuid,
                "Requested evaluation of epoch"
                        + (chosen.size() == 1 ? " " : "s ") + range(chosen) + " of '" + run.name() + "' against '"
                        + real.name() + "'",
                "/runs/" + runUuid));
        advance();
        return find(id).orElseThrow();
    }

    Optional<Request> find(long id) {
        return jdbc.sql("select * from epoch_evaluation where id = ?")
                .param(id)
                .query(EpochEvaluations::row)
                .optional();
    }

    List<Request> ofRun(String runUuid) {
        return jdbc.sql("select * from epoch_evaluation where run_uuid = ? order by id desc")
                .param(runUuid)
                .query(EpochEvaluations::row)
                .list();
    }

    List<Status> statusOfRun(String runUuid) {
        return ofRun(runUuid).stream()
                .map(r -> new Status(
                        r,
                        (int) r.setIds().stream().filter(this::ready).count(),
                        r.evaluationId() == null ? Optional.empty() : evaluations.find(r.evaluationId()),
                        r.epochsText()))
                .toList();
    }

    @EventListener
    void jobFinished(JobFinished e) {
        advance();
    }

    /**
     * A launch claimed this long ago and still not recorded was interrupted (its server died between claim and
     * record). A launch takes milliseconds; the margin keeps the launch of another live instance (several instances
     * on one database each run this) from being taken over.
     */
    static final java.time.Duration STALE_LAUNCH = java.time.Duration.ofMinutes(2);

    /** After a restart: a launch interrupted between claim and record is tried again. */
    @EventListener(ApplicationReadyEvent.class)
    void recover() {
        advance();
    }

    /** Launches every waiting request whose sets are all ready; fails those with a failed set. */
    void advance() {
        jdbc.sql("update epoch_evaluation set state = ? where state = ? and evaluation_id is null and updated_at < ?")
                .params(WAITING, LAUNCHING, Timestamp.from(clock.instant().minus(STALE_LAUNCH)))
                .update();
        List<Request> waiting = jdbc.sql("select * from epoch_evaluation where state = ? order by id")
                .param(WAITING)
                .query(EpochEvaluations::row)
                .list();
        for (Request r : waiting) {
            try {
                advance(r);
            } catch (RuntimeException ex) {
                log.warn("Epoch evaluation {} could not advance", r.id(), ex);
            }
        }
    }

    private void advance(Request r) {
        for (long setId : r.setIds()) {
            Optional<GeneratedSet> s = checkpoints.set(setId);
            if (s.isEmpty()) {
                fail(r, "Generated set " + setId + " no longer exists.");
                return;
            }
            if (s.get().status() == GeneratedSetStatus.FAILED) {
                fail(r, "Generation failed for set " + setId + ": " + s.get().report());
                return;
            }
            if (catalog.archives(s.get().datasetId()).stream().anyMatch(a -> a.status() == ArchiveStatus.FAILED)) {
                fail(r, "An archive of generated set " + setId + " failed to ingest.");
                return;
            }
        }
        if (!r.setIds().stream().allMatch(this::ready)) {
            return;
        }
        int claimed = jdbc.sql("update epoch_evaluation set state = ?, updated_at = ? where id = ? and state = ?")
                .params(LAUNCHING, Timestamp.from(clock.instant()), r.id(), WAITING)
                .update();
        if (claimed == 0) {
            return;
        }
        try {
            Evaluation ev = evaluations.create(
                    r.name(),
                    r.realDatasetId(),
                    r.setIds(),
                    r.extractorId(),
                    Protocol.parse(r.protocol()),
                    r.createdBy());
            jdbc.sql("update epoch_evaluation set state = ?, evaluation_id = ?, message = null,"
                            + " updated_at = ? where id = ?")
                    .params(LAUNCHED, ev.id(), Timestamp.from(clock.instant()), r.id())
                    .update();
        } catch (IllegalArgumentException ex) {
            fail(r, ex.getMessage());
        }
    }

    private boolean ready(long setId) {
        Optional<GeneratedSet> s = checkpoints.set(setId);
        if (s.isEmpty() || s.get().status() != GeneratedSetStatus.READY) {
            return false;
        }
        List<Archive> archives = catalog.archives(s.get().datasetId());
        return !archives.isEmpty() && archives.stream().allMatch(a -> a.status() == ArchiveStatus.READY);
    }

    private void fail(Request r, String message) {
        String m = message == null ? "failed" : message.length() > 3900 ? message.substring(0, 3900) : message;
        jdbc.sql("update epoch_evaluation set state = :failed, message = :message, updated_at = :updatedAt"
                        + " where id = :id and state in (:waiting, :launching)")
                .param("failed", FAILED)
                .param("message", m)
                .param("updatedAt", Timestamp.from(clock.instant()))
                .param("id", r.id())
                .param("waiting", WAITING)
                .param("launching", LAUNCHING)
                .update();
    }

    /** "1–3" for consecutive epochs, "1, 3, 5" otherwise. */
    static String range(List<Integer> sorted) {
        boolean consecutive = sorted.size() > 2;
        for (int i = 1; i < sorted.size() && consecutive; i++) {
            consecutive = sorted.get(i) == sorted.get(i - 1) + 1;
        }
        return consecutive
                ? sorted.get(0) + "–" + sorted.get(sorted.size() - 1)
                : sorted.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String join(List<? extends Number> xs) {
        return xs.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static <T> List<T> split(String s, java.util.function.Function<String, T> f) {
        return s == null || s.isBlank()
                ? List.of()
                : Arrays.stream(s.split(",")).map(String::trim).map(f).toList();
    }

    private static Request row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Request(
                rs.getLong("id"),
                rs.getString("run_uuid"),
                rs.getString("name"),
                split(rs.getString("epochs"), Integer::valueOf),
                split(rs.getString("set_ids"), Long::valueOf),
                rs.getLong("source_dataset_id"),
                rs.getLong("real_dataset_id"),
                rs.getLong("extractor_id"),
                rs.getString("protocol"),
                rs.getString("state"),
                rs.getString("message"),
                Columns.longOrNull(rs, "evaluation_id"),
                rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant());
    }
}
