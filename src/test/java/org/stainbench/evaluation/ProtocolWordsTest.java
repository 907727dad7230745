package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 18: the recorded protocol's keys and preprocessing arithmetic in words. */
class ProtocolWordsTest {

    @Test
    void keysAndPreprocessingReadAsWords() {
        assertThat(ProtocolWords.label("tile_selection")).isEqualTo("Tile selection");
        assertThat(ProtocolWords.label("kid_subset_size")).isEqualTo("Tiles per KID subset");
        assertThat(ProtocolWords.label("some_new_key")).isEqualTo("Some new key");
        assertThat(
                        ProtocolWords.value(
                                "preprocessing",
                                "224x224, resize bilinear, value*0.00392156862745098+0.0, mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225]"))
                .isEqualTo(
                        "resized to 224 × 224 px, resize bilinear, each 0..255 value × 1/255 + 0, then minus the channel "
                                + "mean [0.485, 0.456, 0.406], divided by the channel std [0.229, 0.224, 0.225]")
                .doesNotContain("value*");
        assertThat(ProtocolWords.value(
                        "preprocessing",
                        "299x299, resize tf1, value*0.0078125-1.0, mean [0.0, 0.0, 0.0], std [1.0, 1.0, 1.0]"))
                .contains("× 1/128 − 1");
        assertThat(ProtocolWords.value("seeds", "0,1,2")).isEqualTo("0,1,2");
    }
}
