/**
 * Catalog: datasets of tile archives, archive registration (upload or server path), the ingest job,
 * the tile index with its measures and thumbnails, patient-level splits, and their pages and JSON API.
 * Public API: {@link org.stainbench.catalog.Catalog} and the records it returns.
 */
@ApplicationModule(allowedDependencies = {"shell", "accounts", "jobs", "tiles", "artifacts"})
package org.stainbench.catalog;

import org.springframework.modulith.ApplicationModule;
