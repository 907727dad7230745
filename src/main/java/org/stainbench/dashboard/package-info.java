/**
 * The supervisors' dashboard ({@code /dashboard}): what changed since the user's last visit, the latest frozen report,
 * running and queued work; per target stain and protocol a leaderboard of every evaluated checkpoint (baselines as
 * reference lines), the best checkpoint's tiles beside their H&amp;E sources and real tiles, the best checkpoint so far
 * and how it moved, the best value over time and metric by epoch; jobs and GPU use of the nodes; the review trend and
 * the latest review results. It reads the other modules (evaluation, catalog, checkpoints, galleries, jobs, review,
 * reports, training) through their public APIs only and changes nothing but its own table of users' last visits
 * ({@link Visits}). The figures' arithmetic ({@link Standings}, {@link GpuHours}) imports no Spring or I/O.
 */
@ApplicationModule(
        allowedDependencies = {
            "catalog",
            "checkpoints",
            "jobs",
            "evaluation",
            "galleries",
            "training",
            "review",
            "reports"
        })
package org.stainbench.dashboard;

import org.springframework.modulith.ApplicationModule;
