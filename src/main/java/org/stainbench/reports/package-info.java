/**
 * Reports: a member composes a report from ordered blocks — Markdown text, an evaluation's comparison table, its
 * charts, a gallery, a review session's headline results — that render live data until the report is frozen; a
 * frozen report keeps a snapshot (numbers as JSON, gallery images as files checked by SHA-256). Print stylesheet,
 * PDF through headless Chromium, CSV / LaTeX / PNG exports. Reads the evaluation, galleries, review and catalog
 * modules through their public APIs; the dashboard reads its frozen reports through {@link org.stainbench.reports.ReportHeadlines}.
 * PDFs started from the page print with progress ({@code PdfJobs}).
 */
@ApplicationModule(
        allowedDependencies = {
            "shell",
            "artifacts",
            "catalog",
            "checkpoints",
            "jobs",
            "evaluation",
            "galleries",
            "review"
        })
package org.stainbench.reports;

import org.springframework.modulith.ApplicationModule;
