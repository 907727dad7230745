package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** {@link RunSearch}: LIKE/ILIKE through the linear matcher, with escapes, and the work bound of one search. */
class RunSearchTest {

    private static Tracking.Run run(int i, String name) {
        String uuid = String.format("%032x", i);
        return new Tracking.Run(new Tracking.RunInfo(i, uuid, 1, name, "ann", "RUNNING", 0L, null, "active", "x"),
                Map.of(), Map.of(), List.of());
    }

    private static final List<Tracking.Run> RUNS = List.of(run(1, "mist_er"), run(2, "mistXer"), run(3, "MIST%50"),
            run(4, "lora20"));

    private static List<String> names(String filter) {
        return RUNS.stream().filter(RunSearch.filter(filter)).map(r -> r.info().name()).toList();
    }

    @Test
    void likeAndIlikeWithWildcardsAndEscapes() {
        assertThat(names("attributes.run_name LIKE 'mist%'")).containsExactly("mist_er", "mistXer");
        assertThat(names("attributes.run_name LIKE 'mist\\_er'")).containsExactly("mist_er");
        assertThat(names("attributes.run_name LIKE 'mist_er'")).containsExactly("mist_er", "mistXer");
        assertThat(names("attributes.run_name ILIKE 'mist%'")).containsExactly("mist_er", "mistXer", "MIST%50");
        assertThat(names("attributes.run_name ILIKE '%\\%50'")).containsExactly("MIST%50");
        assertThat(names("attributes.run_name ILIKE '_o%' and attributes.run_name LIKE '%20'")).containsExactly("lora20");
        assertThatThrownBy(() -> names("attributes.run_name LIKE 'mist\\'"))
                .isInstanceOf(MlflowException.class).hasMessageContaining("escape");
    }

    @Test
    void aSearchStopsWhenItsWorkIsSpent() {
        List<Tracking.Run> many = IntStream.range(0, 1000).mapToObj(i -> run(i, "run-" + i)).toList();
        RunSearch.Budget small = new RunSearch.Budget(5_000, "stainbench.tracking.max-search-work");
        var filter = RunSearch.filter("attributes.run_id LIKE '%%%%%%%%%%%%%%%%%%%%!'", small);
        assertThatThrownBy(() -> many.stream().filter(filter).toList())
                .isInstanceOf(MlflowException.class).hasMessageContaining("stainbench.tracking.max-search-work");
        RunSearch.Budget enough = new RunSearch.Budget(1_000_000, "stainbench.tracking.max-search-work");
        assertThat(many.stream().filter(RunSearch.filter("attributes.run_id LIKE '%%%%%%%%%%%%%%%%%%%%!'", enough))
                .toList()).isEmpty();
        assertThat(enough.spent()).isBetween(1_000L, 1_000_000L);
    }
}
