package org.stainbench.catalog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.stainbench.jobs.JobFinished;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobState;

/**
 * Keeps archives and their ingest jobs in step. A job that ends without succeeding (failed, cancelled, lost)
 * leaves its archive FAILED and clean, ready to be retried. On start-up, an archive still marked QUEUED or
 * INGESTING whose job is gone or final was interrupted (the process died): it is cleaned and marked FAILED
 * with "interrupted"; one whose job is still live is left to the jobs module, which re-runs it from the start.
 */
@Component
class IngestRecovery {

    private static final Logger log = LoggerFactory.getLogger(IngestRecovery.class);

    private final CatalogStore store;
    private final CatalogFiles files;
    private final JobQueue jobs;

    IngestRecovery(CatalogStore store, CatalogFiles files, JobQueue jobs) {
        this.store = store;
        this.files = files;
        this.jobs = jobs;
    }

    @EventListener
    void jobFinished(JobFinished e) {
        if (!Catalog.INGEST.equals(e.type()) || e.state() == JobState.SUCCEEDED) {
            return;
        }
        String id = e.params().get("archiveId");
        if (id == null) {
            return;
        }
        store.findArchive(Long.parseLong(id))
                .filter(a -> a.status().busy() && a.jobId() != null && a.jobId() == e.jobId())
                .ifPresent(a -> clean(
                        a,
                        "The ingest job ended " + e.state().name().toLowerCase()
                                + (e.error() == null ? "" : ": " + e.error())));
    }

    @EventListener(ApplicationReadyEvent.class)
    void afterStart() {
        for (Archive a : store.archivesWithStatus(ArchiveStatus.QUEUED, ArchiveStatus.INGESTING)) {
            boolean live = a.jobId() != null
                    && jobs.find(a.jobId()).map(j -> !j.state().isFinal()).orElse(false);
            if (!live) {
                log.info(
                        "Archive {} ({}) was interrupted during ingest; marked failed for a retry",
                        a.id(),
                        a.fileName());
                clean(a, "The ingest was interrupted (the server stopped); retry it.");
            }
        }
    }

    private void clean(Archive a, String why) {
        store.deleteTiles(a.id());
        store.failed(a.id(), why);
        files.deleteOutput(a.id());
    }
}
