package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The protocol fingerprint's canonical text, hash and differences, and seed-invariance, on explicit inputs. */
class ProtocolFingerprintTest {

    static final String EXTRACTOR = "ab".repeat(32);

    static String canonical(Protocol p) {
        return ProtocolFingerprint.computed(
                p,
                ProtocolFingerprint.tileListHash(List.of("r:0", "r:1")),
                ProtocolFingerprint.tileListHash(List.of("source s:0", "source s:1")),
                EXTRACTOR,
                "resize 16x16");
    }

    @Test
    void theFingerprintIsTheSha256OfTheCanonicalTextAndIgnoresTheBatchSize() throws Exception {
        Protocol a = new Protocol(12, 2, 32, 2, List.of(0L, 1L), 4, 6, 5);
        Protocol sameButBatch = new Protocol(12, 2, 32, 2, List.of(0L, 1L), 4, 6, 16);
        String text = canonical(a);
        String sha = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(ProtocolFingerprint.sha256(text)).isEqualTo(sha);
        assertThat(text)
                .contains("tiles_per_side=12\n")
                .contains("seeds=0,1\n")
                .contains("extractor_sha256=" + EXTRACTOR)
                .contains("real_tiles=sha256:")
                .contains("(2 tiles)")
                .doesNotContain("batch");
        assertThat(ProtocolFingerprint.sha256(canonical(sameButBatch))).isEqualTo(sha);
        assertThat(ProtocolFingerprint.summary(text))
                .isEqualTo(
                        "12 tiles per side from 2 archives, 2 crops of 32 px per tile, KID 4 subsets of 6, seeds 0,1, extractor abababab");
    }

    @Test
    void differencesNameEachFieldThatDiffers() {
        String a = canonical(new Protocol(12, 2, 32, 2, List.of(0L, 1L), 4, 6, 5));
        String b = canonical(new Protocol(36, 2, 32, 2, List.of(0L, 1L, 2L), 4, 6, 5));
        assertThat(ProtocolFingerprint.differences(a, b))
                .extracting(ProtocolFingerprint.Difference::text)
                .containsExactly("tiles per side: 12 here, 36 there", "seeds: 0,1 here, 0,1,2 there");
        assertThat(ProtocolFingerprint.differences(a, a)).isEmpty();
        // several compared sets: one hash when their tiles agree
        assertThat(ProtocolFingerprint.combine(List.of("x", "x"))).isEqualTo("x");
        assertThat(ProtocolFingerprint.combine(List.of("y", "x"))).startsWith("differ per compared set: x; y");
        assertThat(ProtocolFingerprint.combine(java.util.Arrays.asList("x", null)))
                .isNull();
    }

    @Test
    void seedInvarianceNeedsTwoValuesEqualWithinTheNamedTolerance() {
        assertThat(SeedInvariance.holds(List.of(0.1591, 0.1591, 0.1591))).isTrue();
        assertThat(SeedInvariance.holds(List.of(154.07, 154.07 * (1 + SeedInvariance.TOLERANCE / 2))))
                .isTrue();
        assertThat(SeedInvariance.holds(List.of(154.07, 154.08))).isFalse();
        assertThat(SeedInvariance.holds(List.of(0.1591))).isFalse();
        // a cell kept before the flag existed gets it from its values; "± 0" is never its text
        ComparisonTable.Cell old = new ComparisonTable.Cell(
                3, 0.1591, 0.0, 0.1591, 0.1591, false, List.of(0L, 1L, 2L), List.of(0.1591, 0.1591, 0.1591));
        assertThat(old.seedInvariant()).isTrue();
        assertThat(old.shownStd()).isNull();
        assertThat(old.text()).isEqualTo("0.1591 (seed-invariant)");
        assertThat(Metric.KID_STD.ranked()).isFalse();
        assertThat(Metric.FID.ranked()).isTrue();
    }
}
