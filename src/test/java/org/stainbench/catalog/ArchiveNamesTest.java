package org.stainbench.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArchiveNamesTest {

    @ParameterizedTest
    @CsvSource(
            nullValues = "null",
            value = {
                "he_1811474_3.npz, he, 1811474, 3",
                "ihc_24009747_1.npz, ihc, 24009747, 1",
                "HE_p-17.npz, he, p-17, null",
                "scan 7.npz, null, null, null",
                "tiles.npz, null, null, null",
                "ck7_5555555.npz, ck7, 5555555, null",
                "Ki67_204_2.npz, ki67, 204, 2",
                // not stain_patient: the first part is no stain code, or the second holds no digit
                "plain_tiles.npz, null, null, null",
                "plain_123.npz, null, null, null",
                "he_tiles.npz, null, null, null",
                "gen_12_2.npz, null, null, null"
            })
    void theLabsNamesAreParsed(String name, String stain, String patient, Integer replicate) {
        assertThat(ArchiveNames.parse(name)).isEqualTo(new ArchiveNames.Parsed(stain, patient, replicate));
    }

    @Test
    void aDatasetsOwnMarkerIsAStainCodeThere() {
        assertThat(ArchiveNames.parse("er_1234_1.npz")).isEqualTo(ArchiveNames.Parsed.NONE);
        assertThat(ArchiveNames.parse("er_1234_1.npz", "ER")).isEqualTo(new ArchiveNames.Parsed("er", "1234", 1));
    }

    @Test
    void uploadedNamesLoseTheirFolders() {
        assertThat(ArchiveNames.clean("C:\\data\\he_1_1.npz")).isEqualTo("he_1_1.npz");
        assertThat(ArchiveNames.clean("../../he_1_1.npz")).isEqualTo("he_1_1.npz");
        assertThatThrownBy(() -> ArchiveNames.clean("  ")).hasMessageContaining("needs a file name");
    }

    @Test
    void theSplitIsByPatientSeededAndNearTheRatio() {
        List<String> patients =
                java.util.stream.IntStream.range(0, 20).mapToObj(i -> "p" + i).toList();
        Map<String, String> a = Catalog.assign(patients, 7, 70);
        assertThat(Catalog.assign(patients, 7, 70)).isEqualTo(a);
        assertThat(a.values().stream().filter("train"::equals).count()).isEqualTo(14);
        assertThat(Catalog.assign(patients, 8, 70)).isNotEqualTo(a);
        // the order patients arrive in does not matter
        List<String> reversed = new java.util.ArrayList<>(patients);
        java.util.Collections.reverse(reversed);
        assertThat(Catalog.assign(reversed, 7, 70)).isEqualTo(a);
    }
}
