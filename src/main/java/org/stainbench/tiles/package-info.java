/**
 * Tiles: the RGB tile type, NumPy {@code .npy}/{@code .npz} codecs, image measures and thumbnails.
 * Pure code: no Spring, no JPA; readers take streams, measures take arrays and return records.
 */
@ApplicationModule(allowedDependencies = {})
package org.stainbench.tiles;

import org.springframework.modulith.ApplicationModule;
