package org.stainbench.galleries;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code stainbench.galleries.*}.
 *
 * @param figureMaxPixels the most tile pixels a gallery figure ({@code figure.png}) may hold: rows × columns × cell²
 *                        (16 Mpx by default, about 64 MB while the figure is drawn); larger requests get a 400
 */
@ConfigurationProperties("stainbench.galleries")
record GalleriesProperties(@DefaultValue("16777216") long figureMaxPixels) {}
