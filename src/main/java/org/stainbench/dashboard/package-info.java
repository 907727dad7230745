/**
 * The supervisors' dashboard ({@code /dashboard}): per target stain the best checkpoint so far and how it moved,
 * the best value over time and metric by epoch; jobs and GPU use of the nodes; the latest review results. It reads
 * the other modules through their public APIs only and changes nothing. The figures' arithmetic ({@link Standings},
 * {@link GpuHours}) imports no Spring or I/O.
 */
package org.stainbench.dashboard;
