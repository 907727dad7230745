package org.stainbench.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Issue 15 item 17: the one name check refuses control, bidi and invisible characters and keeps ordinary Unicode. */
class NamesTest {

    @Test
    void controlBidiAndInvisibleCharactersAreRefusedWithTheFieldAndTheCharacterNamed() {
        String[] bad = {
            "evil\u202Efdp.exe",
            "a\u0007b",
            "a\u0000",
            "line\nbreak",
            "tab\there",
            "\u200Eltr",
            "\u200Frtl",
            "\u2066isolate\u2069",
            "\u202Aembed\u202C",
            "zero\u200Bwidth",
            "\uFEFFbom",
            "para\u2029graph",
            "esc\u001B[31m",
            "lone\uD800surrogate",
            "del\u007F",
            "c1\u0085"
        };
        for (String v : bad) {
            assertThatThrownBy(() -> Names.check("The dataset name", v))
                    .as(v)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("The dataset name contains")
                    .hasMessageContaining("U+");
        }
        assertThatThrownBy(() -> Names.check("The run name", "x\u202Ey"))
                .hasMessageContaining("U+202E RIGHT-TO-LEFT OVERRIDE")
                .hasMessageContaining("at position 2");
    }

    @Test
    void ordinaryNamesInAnyScriptPass() {
        for (String v : new String[] {
            "Virtual CK7 — LoRA r16 (seed 3)", "Färbung λ=0.5", "שלום", "مرحبا", "染色 データ", "run 🧪 #4", "a.b_c-d", ""
        }) {
            assertThat(Names.check("The name", v)).isEqualTo(v);
        }
        assertThat(Names.check("The name", null)).isNull();
    }
}
