package org.stainbench.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 18: a quality job's title names its archive and the generated set's dataset, not "archive 33". */
class QualityJobTitleTest {

    @Test
    void theTitleNamesTheArchiveAndItsDataset() {
        assertThat(QualityJob.title("ihc_2517730_1.npz", "lora-r4-epoch3 on Demo H&E"))
                .isEqualTo("Quality measures of ihc_2517730_1.npz in lora-r4-epoch3 on Demo H&E");
        assertThat(QualityJob.title("ihc_2517730_1.npz", null)).isEqualTo("Quality measures of ihc_2517730_1.npz");
    }
}
