package org.stainbench.slides;

import java.time.Instant;

/** A registered whole-slide image. {@code levels} is "W×H@downsample" per level, separated by "; ". */
public record Slide(
        long id,
        String name,
        String source,
        String path,
        long sizeBytes,
        String vendor,
        long width,
        long height,
        String levels,
        Double mppX,
        Double mppY,
        Double objectivePower,
        SlideLabel label,
        String stainCode,
        String patient,
        Integer replicate,
        Integer thumbWidth,
        Integer thumbHeight,
        String createdBy,
        Instant createdAt) {

    public int levelCount() {
        return levels.isEmpty() ? 0 : levels.split("; ").length;
    }
}
