package org.stainbench.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The jar sub-commands' option parsing, written once (metrics, features). */
class CliOptionsTest {

    static final Set<String> KNOWN = Set.of("--real", "--seed", "--scale");

    @Test
    void readsPairsAndEqualsForms() {
        CliOptions o = CliOptions.parse(new String[] {"--real", "a.npy", "--seed=7"}, KNOWN);
        assertThat(o.require("--real")).isEqualTo("a.npy");
        assertThat(o.longOption("--seed", 0)).isEqualTo(7);
        assertThat(o.intOption("--missing", 3)).isEqualTo(3);
        assertThat(o.doubleOption("--scale", 0.5)).isEqualTo(0.5);
        assertThat(o.has("--scale")).isFalse();
        assertThat(o.get("--scale", "x")).isEqualTo("x");
    }

    @Test
    void flagsTakeNoValue() {
        CliOptions o =
                CliOptions.parse(new String[] {"out.npz", "--stored", "--seed", "2"}, 1, KNOWN, List.of("--stored"));
        assertThat(o.has("--stored")).isTrue();
        assertThat(o.intOption("--seed", 0)).isEqualTo(2);
    }

    @Test
    void badInputNamesTheOption() {
        assertThatThrownBy(() -> CliOptions.parse(new String[] {"a.npy"}, KNOWN))
                .hasMessage("unexpected argument 'a.npy'");
        assertThatThrownBy(() -> CliOptions.parse(new String[] {"--real"}, KNOWN))
                .hasMessage("option --real needs a value");
        assertThatThrownBy(() -> CliOptions.parse(new String[] {"--fake", "b"}, KNOWN))
                .hasMessage("unknown option --fake");
        CliOptions o = CliOptions.parse(new String[] {"--seed", "x"}, KNOWN);
        assertThatThrownBy(() -> o.require("--real")).hasMessage("missing --real");
        assertThatThrownBy(() -> o.intOption("--seed", 0)).hasMessage("--seed needs a whole number, got 'x'");
        assertThatThrownBy(() -> o.longOption("--seed", 0)).hasMessage("--seed needs a whole number, got 'x'");
    }
}
