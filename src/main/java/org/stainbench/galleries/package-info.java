/**
 * Galleries: the random and best/worst tile galleries that compare checkpoints at the same tile index, the
 * compare view, and their export as a PNG figure or a ZIP of tiles with a CSV. Reads the catalog and the
 * checkpoints module; nothing depends on it.
 */
@ApplicationModule(allowedDependencies = {"shell", "catalog", "checkpoints", "tiles"})
package org.stainbench.galleries;

import org.springframework.modulith.ApplicationModule;
