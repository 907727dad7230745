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
        return new Tracking.Run(
                new Tracking.RunInfo(i, uuid, 1, name, "ann", "RUNNING", 0L, null, "active", "x"),
                Map.of(),
                Map.of(),
                List.of());
    }

    private static final List<Tracking.Run> RUNS =
            List.of(run(1, "mist_er"), run(2, "mistXer"), run(3, "MIST%50"), run(4, "lora20"));

    private static List<String> names(String filter) {
        return RUNS.stream()
                .filter(RunSearch.filter(filter))
                .map(r -> r.info().name())
                .toList();
    }

    @Test
    void likeAndIlikeWithWildcardsAndEscapes() {
        assertThat(names("attributes.run_name LIKE 'mist%'")).containsExactly("mist_er", "mistXer");
        assertThat(names("attributes.run_name LIKE 'mist\\_er'")).containsExactly("mist_er");
        assertThat(names("attributes.run_name LIKE 'mist_er'")).containsExactly("mist_er", "mistXer");
        assertThat(names("attributes.run_name ILIKE 'mist%'")).containsExactly("mist_er", "mistXer", "MIST%50");
        assertThat(names("attributes.run_name ILIKE '%\\%50'")).containsExactly("MIST%50");
        assertThat(names("attributes.run_name ILIKE '_o%' and attributes.run_name LIKE '%20'"))
                .containsExactly("lora20");
        assertThatThrownBy(() -> names("attributes.run_name LIKE 'mist\\'"))
                .isInstanceOf(MlflowException.class)
                .hasMessageContaining("escape");
    }

    @Test
    void aSearchStopsWhenItsWorkIsSpent() {
        List<Tracking.Run> many =
                IntStream.range(0, 1000).mapToObj(i -> run(i, "run-" + i)).toList();
        RunSearch.Budget small = new RunSearch.Budget(5_000, "stainbench.tracking.max-search-work");
        var filter = RunSearch.filter("attributes.run_id LIKE '%%%%%%%%%%%%%%%%%%%%!'", small);
        assertThatThrownBy(() -> many.stream().filter(filter).toList())
                .isInstanceOf(MlflowException.class)
                .hasMessageContaining("stainbench.tracking.max-search-work");
        RunSearch.Budget enough = new RunSearch.Budget(1_000_000, "stainbench.tracking.max-search-work");
        assertThat(many.stream()
                        .filter(RunSearch.filter("attributes.run_id LIKE '%%%%%%%%%%%%%%%%%%%%!'", enough))
                        .toList())
                .isEmpty();
        assertThat(enough.spent()).isBetween(1_000L, 1_000_000L);
    }

    @Test
    void parsesInListsAndMlflowsAttributeAliases() {
        assertThat(RunSearch.parse("attributes.run_id IN ('a', \"b\") and run_id NOT IN ('c')"))
                .extracting(RunSearch.Clause::op, RunSearch.Clause::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("IN", List.of("a", "b")),
                        org.assertj.core.groups.Tuple.tuple("NOT IN", List.of("c")));
        assertThat(
                        RunSearch.parse(
                                "created > 5 and attributes.Created < 9 and `Run name` = 'x' and attributes.\"Run name\" = 'y'"))
                .extracting(RunSearch.Clause::key)
                .containsExactly("start_time", "start_time", "run_name", "run_name");
        assertThat(RunSearch.parse("metrics.loss..v2 < 1 and params.`a..b` = 'c'"))
                .extracting(RunSearch.Clause::key)
                .containsExactly("loss..v2", "a..b");
        assertThat(names("attributes.run_id IN ('%s', '%s')"
                        .formatted(String.format("%032x", 2), String.format("%032x", 4))))
                .containsExactly("mistXer", "lora20");
        assertThatThrownBy(() -> RunSearch.parse("params.lr IN ('1')"))
                .isInstanceOf(MlflowException.class)
                .hasMessageContaining("run_id");
        assertThatThrownBy(() -> RunSearch.parse("attributes.run_id IN 'a'")).isInstanceOf(MlflowException.class);
        assertThat(TrackingStore.pathSafe("loss..v2")).isTrue();
        assertThat(TrackingStore.pathSafe("a/../b")).isFalse();
        assertThat(TrackingStore.pathSafe("..")).isFalse();
        assertThat(TrackingStore.pathSafe("/a")).isFalse();
    }
}
