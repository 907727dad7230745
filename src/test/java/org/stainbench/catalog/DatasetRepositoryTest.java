package org.stainbench.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue 20 item 4: datasets are a Spring Data repository with the soft-delete rule of
 * {@link org.stainbench.shell.SoftDeleteRepository} — a second delete or restore changes nothing and answers 0, a
 * deleted row is not found live but is still found by id, and a restore brings it back as it was.
 */
@SpringBootTest
@ActiveProfiles("test")
class DatasetRepositoryTest {

    @Autowired
    DatasetRepository datasets;

    @Autowired
    CatalogStore store;

    static final Instant AT = Instant.parse("2026-03-04T05:06:07.123456Z");

    long create(String name) {
        return store.insertDataset(name, Stain.IHC, "CK7", "cohort", 64, "about it", "repo-test", AT);
    }

    @Test
    void aRowIsMappedColumnByColumn() {
        String name = "DR mapped " + UUID.randomUUID();
        long id = create(name);
        store.recordSplit(id, 42L, 80, "splitter", AT.plus(1, ChronoUnit.HOURS));
        store.markGenerated(id, 7L, 8L);
        Dataset d = store.findDataset(id).orElseThrow();
        assertThat(d)
                .isEqualTo(new Dataset(
                        id,
                        name,
                        Stain.IHC,
                        "CK7",
                        "cohort",
                        64,
                        "about it",
                        "repo-test",
                        AT,
                        42L,
                        80,
                        "splitter",
                        AT.plus(1, ChronoUnit.HOURS),
                        null,
                        null,
                        DatasetKind.GENERATED,
                        7L,
                        8L));
        assertThat(store.datasetNameTaken(name.toUpperCase())).isTrue();
        assertThat(store.datasetNameTaken(name + " not")).isFalse();
    }

    @Test
    void softDeleteTwiceAnswersZeroAndADeletedRowIsNotFoundLive() {
        long id = create("DR deleted " + UUID.randomUUID());
        long live = datasets.countByDeletedAtIsNull();
        assertThat(datasets.findLive(id)).isPresent();

        assertThat(datasets.markDeleted(id, "remover", AT)).isEqualTo(1);
        assertThat(datasets.markDeleted(id, "someone else", AT.plusSeconds(5))).isZero();

        assertThat(datasets.findLive(id)).isEmpty();
        Dataset d = store.findDataset(id).orElseThrow();
        assertThat(d.deletedAt()).isEqualTo(AT);
        assertThat(d.deletedBy()).isEqualTo("remover");
        assertThat(datasets.countByDeletedAtIsNull()).isEqualTo(live - 1);
        assertThat(store.deletedDatasets()).extracting(Dataset::id).contains(id);
        assertThat(store.datasets(0, Integer.MAX_VALUE)).extracting(Dataset::id).doesNotContain(id);

        assertThat(datasets.restore(id)).isEqualTo(1);
        assertThat(datasets.restore(id)).isZero();
        assertThat(datasets.findLive(id)).isPresent();
        assertThat(store.findDataset(id).orElseThrow().deletedBy()).isNull();
        assertThat(datasets.countByDeletedAtIsNull()).isEqualTo(live);
    }

    @Test
    void aMissingRowIsNeitherDeletedNorRestored() {
        assertThat(datasets.markDeleted(Long.MAX_VALUE, "x", AT)).isZero();
        assertThat(datasets.restore(Long.MAX_VALUE)).isZero();
        assertThat(store.softDelete(Long.MAX_VALUE, "x", AT)).isFalse();
    }

    @Test
    void livePagesAreByNameFromAnyOffset() {
        String prefix = "DR page " + UUID.randomUUID() + " ";
        for (String s : List.of("c", "a", "d", "b")) {
            create(prefix + s);
        }
        List<String> all = names(store.datasets(DatasetKind.REAL, 0, Integer.MAX_VALUE));
        assertThat(all).isSorted();
        assertThat(all.stream().filter(n -> n.startsWith(prefix)))
                .containsExactly(prefix + "a", prefix + "b", prefix + "c", prefix + "d");
        int from = all.indexOf(prefix + "a") + 1; // b, c: an offset that need not be a whole number of pages
        assertThat(names(store.datasets(DatasetKind.REAL, from, 2))).containsExactly(prefix + "b", prefix + "c");
        assertThat(names(store.datasets(DatasetKind.GENERATED, 0, Integer.MAX_VALUE)))
                .doesNotContain(prefix + "b");
    }

    static List<String> names(List<Dataset> list) {
        return list.stream().map(Dataset::name).toList();
    }
}
