/**
 * Pure tiling computation: the tile grid with re-anchored edge tiles, the colour-cast measure, the filter
 * settings and polygon/rectangle overlap areas. No Spring, no I/O; arrays in, immutable records out.
 */
package org.stainbench.slides.tiling;
