/**
 * Pure metric math in float64: FID, KID, CropFID crop positions, stain distances, seed summaries and input
 * checks. No Spring, JPA or I/O; tested against numpy/scipy (src/test/python/metrics_reference.py).
 */
@NamedInterface("metrics")
package org.stainbench.evaluation.metrics;

import org.springframework.modulith.NamedInterface;
