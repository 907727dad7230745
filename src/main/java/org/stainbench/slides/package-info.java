/**
 * Whole-slide images: registration (upload or server path), reading through OpenSlide (JNA binding over
 * Debian's {@code libopenslide0}), GeoJSON annotations, and the {@code tile-slide} job that cuts a slide
 * into filtered tiles and registers the archive in a catalog dataset. Pure planning and geometry live in
 * {@code slides.tiling}.
 */
@ApplicationModule(allowedDependencies = {"shell", "artifacts", "catalog", "jobs", "tiles"})
package org.stainbench.slides;

import org.springframework.modulith.ApplicationModule;
