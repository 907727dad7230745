package org.stainbench.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;

/** The public service: submit work, look it up, cancel it. */
@Service
public class JobQueue {

    private final JobStore store;
    private final Map<String, JobHandler> handlers;
    private final JobsProperties properties;
    private final QueueSignal signal;
    private final JobEvents events;
    private final Clock clock;
    private final ApplicationEventPublisher activity;

    JobQueue(
            JobStore store,
            List<JobHandler> handlers,
            JobsProperties properties,
            QueueSignal signal,
            JobEvents events,
            Clock clock,
            ApplicationEventPublisher activity) {
        this.activity = activity;
        this.store = store;
        this.handlers = handlers.stream().collect(Collectors.toMap(JobHandler::type, Function.identity(), (a, b) -> {
            throw new IllegalStateException("Two job handlers for type '" + a.type() + "'");
        }));
        this.properties = properties;
        this.signal = signal;
        this.events = events;
        this.clock = clock;
    }

    /** Queues a job for the embedded executor; an unknown type is an {@link IllegalArgumentException}. */
    public long submit(JobRequest request) {
        if (request == null || request.type() == null || request.type().isBlank()) {
            throw new IllegalArgumentException("A job needs a type.");
        }
        if (!handlers.containsKey(request.type())) {
            throw new IllegalArgumentException("Unknown job type '" + request.type() + "' (known: "
                    + String.join(", ", new TreeSet<>(handlers.keySet())) + ").");
        }
        return enqueue(normalise(request), Executor.EMBEDDED, null);
    }

    /** Queues an external command for a node agent or Slurm; a blank command is an {@link IllegalArgumentException}. */
    public long submitCommand(CommandJob job) {
        return submitCommand(job, null, Map.of());
    }

    long submitCommand(CommandJob job, String template, Map<String, String> params) {
        if (job == null || job.command() == null || job.command().isBlank()) {
            throw new IllegalArgumentException("A command job needs a command.");
        }
        if (handlers.containsKey(job.type())) {
            throw new IllegalArgumentException(
                    "Job type '" + job.type() + "' is embedded work; submit it with submit().");
        }
        for (String out : job.outputs()) {
            if (out.isBlank() || out.startsWith("/") || out.contains("..")) {
                throw new IllegalArgumentException(
                        "Output '" + out + "' must be a file name inside the job's work folder.");
            }
        }
        for (String name : job.environment().keySet()) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("'" + name + "' is not a valid environment variable name.");
            }
        }
        CommandSpec spec = new CommandSpec(
                job.command(), job.environment(), job.inputs(), job.outputs(), job.mlflowRunId(), null, null, template);
        return enqueue(
                normalise(new JobRequest(job.type(), job.title(), params, job.submittedBy(), job.resources())),
                job.slurm() ? Executor.SLURM : Executor.AGENT,
                Json.write(spec));
    }

    public Optional<JobSummary> find(long id) {
        return store.find(id).map(JobRow::summary);
    }

    /** Cancels a job: at once when queued, otherwise its executor stops it. A final job stays as it is. */
    public void cancel(long id, String by) {
        JobState before = store.find(id)
                .map(JobRow::state)
                .orElseThrow(() -> new IllegalArgumentException("No job with id " + id + "."));
        JobRow job = store.requestCancel(id, by, clock.instant()).orElseThrow();
        if (before == JobState.QUEUED && job.state() == JobState.CANCELLED) {
            events.finished(id);
        }
        signal.changed();
    }

    Optional<JobRow> row(long id) {
        return store.find(id);
    }

    /** A member's cancel from the job page: {@link #cancel(long, String)}, recorded in the activity trail. */
    void cancel(JobRow job, String by) {
        cancel(job.id(), by);
        activity.publishEvent(Activity.of(
                by,
                "cancelled",
                ActivitySubject.JOB,
                job.id(),
                "Cancelled job " + job.id() + " '" + job.title() + "'",
                "/jobs/" + job.id()));
    }

    /** Queues an ended job again (false when it can no longer be retried), recorded in the activity trail. */
    boolean retry(JobRow job, String by) {
        if (!store.retry(job.id(), by, Math.max(1, properties.maxAttempts()), clock.instant())) {
            return false;
        }
        signal.changed();
        activity.publishEvent(Activity.of(
                by,
                "retried",
                ActivitySubject.JOB,
                job.id(),
                "Retried job " + job.id() + " '" + job.title() + "'",
                "/jobs/" + job.id()));
        return true;
    }

    /** A command job launched from the page ({@code from}: the job it was cloned from, or null), recorded. */
    long launch(CommandJob job, Long from) {
        long id = submitCommand(job);
        activity.publishEvent(
                from == null
                        ? Activity.of(
                                job.submittedBy(),
                                "launched",
                                ActivitySubject.JOB,
                                id,
                                "Launched job " + id + " '" + job.title() + "'",
                                "/jobs/" + id)
                        : Activity.of(
                                job.submittedBy(),
                                "cloned",
                                ActivitySubject.JOB,
                                id,
                                "Launched job " + id + " '" + job.title() + "', cloned from job " + from,
                                "/jobs/" + id));
        return id;
    }

    long enqueue(JobRequest request, Executor executor, String spec) {
        long id = store.insert(request, executor, spec, Math.max(1, properties.maxAttempts()), clock.instant());
        signal.changed();
        return id;
    }

    void enqueueSignal() {
        signal.changed();
    }

    /** The job types that are queued automatically ({@link JobHandler#automatic()}), sorted. */
    java.util.List<String> automaticTypes() {
        return handlers.values().stream()
                .filter(JobHandler::automatic)
                .map(JobHandler::type)
                .sorted()
                .toList();
    }

    boolean handles(String type) {
        return handlers.containsKey(type);
    }

    Optional<JobHandler> handler(String type) {
        return Optional.ofNullable(handlers.get(type));
    }

    private static JobRequest normalise(JobRequest r) {
        String title =
                r.title() == null || r.title().isBlank() ? r.type() : r.title().trim();
        if (title.length() > 256) {
            title = title.substring(0, 253) + "...";
        }
        String by = r.submittedBy() == null || r.submittedBy().isBlank() ? "system" : r.submittedBy();
        return new JobRequest(r.type(), title, r.params(), by, r.resources());
    }

    // for the module's own pages: its controllers reach the store only through the queue

    /** Puts an ended, retryable job back in the queue with {@code extraAttempts} more attempts; false if it was not. */
    boolean retry(long id, String by, int extraAttempts, Instant now) {
        return store.retry(id, by, extraAttempts, now);
    }
}
