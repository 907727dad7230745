package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stainbench.jobs.agent.GpuDiscovery;

class TemplateTextTest {

    @Test
    void parametersAreBracedNamesButShellExpansionsAreNot() {
        assertThat(TemplateText.parameters("run {a} {b_2} ${HOME} {a} {not-a-name}"))
                .containsExactly("a", "b_2");
    }

    @Test
    void valuesAreShellQuotedInCommandsWhenNeeded() {
        assertThat(TemplateText.render(
                        "x {a} {b} {c}", Map.of("a", "plain/path.npz", "b", "two words", "c", "it's"), true))
                .isEqualTo("x plain/path.npz 'two words' 'it'\"'\"'s'");
        assertThat(TemplateText.render("{a}", Map.of("a", "two words"), false)).isEqualTo("two words");
        assertThatThrownBy(() -> TemplateText.render("{missing}", Map.of(), true))
                .hasMessage("Missing value for parameter 'missing'.");
    }

    @Test
    void nvidiaSmiCsvIsParsed() {
        var gpus = GpuDiscovery.parse(
                "0, NVIDIA A40, 46068, GPU-aaa\n1, NVIDIA H100 80GB HBM3, 81559, GPU-bbb\nNVIDIA-SMI has failed\n");
        assertThat(gpus).hasSize(2);
        assertThat(gpus.get(1).name()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(gpus.get(1).memoryMb()).isEqualTo(81559);
        assertThat(gpus.get(0).uuid()).isEqualTo("GPU-aaa");
    }
}
