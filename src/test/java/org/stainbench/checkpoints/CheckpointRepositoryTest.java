package org.stainbench.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue 20 item 4: checkpoints and generated sets are Spring Data repositories; checkpoints carry the soft-delete
 * rule of {@link org.stainbench.shell.SoftDeleteRepository} (a second delete or restore answers 0, a deleted row is
 * not found live), generated sets keep the unique (checkpoint, source, seed) rule with "no seed" counted once.
 */
@SpringBootTest
@ActiveProfiles("test")
class CheckpointRepositoryTest {

    @Autowired
    CheckpointRepository checkpoints;

    @Autowired
    GeneratedSetRepository sets;

    @Autowired
    CheckpointStore store;

    static final Instant AT = Instant.parse("2026-05-06T07:08:09.654321Z");

    static Checkpoint checkpoint(String name, String run, Integer epoch, Long trainedOn) {
        return new Checkpoint(
                0,
                name,
                CheckpointKind.MODEL,
                "base",
                "FLOW",
                "adapter.safetensors",
                "ab".repeat(32),
                1234L,
                "UPLOAD",
                "/somewhere/adapter.safetensors",
                8,
                16.5,
                "q,v",
                run,
                epoch,
                trainedOn,
                null,
                "notes",
                "a, b",
                "repo-test",
                AT,
                null,
                null);
    }

    @Test
    void aRowIsMappedColumnByColumn() {
        String name = "CR mapped " + UUID.randomUUID();
        String run = UUID.randomUUID().toString().replace("-", "");
        Checkpoint c = checkpoint(name, run, 3, 77L);
        long id = store.insert(c);
        Checkpoint read = store.find(id).orElseThrow();
        assertThat(read)
                .isEqualTo(new Checkpoint(
                        id,
                        c.name(),
                        c.kind(),
                        c.baseModel(),
                        c.embeddingFlow(),
                        c.adapterFileName(),
                        c.adapterSha256(),
                        c.adapterSize(),
                        c.adapterSource(),
                        c.adapterPath(),
                        c.loraRank(),
                        c.loraAlpha(),
                        c.targetModules(),
                        c.runUuid(),
                        c.epoch(),
                        c.trainedOnDatasetId(),
                        c.baselineParams(),
                        c.notes(),
                        c.tags(),
                        c.createdBy(),
                        c.createdAt(),
                        null,
                        null));
        assertThat(store.findByName(name)).contains(read);
        assertThat(store.findByRunEpoch(run, 3)).contains(read);
        assertThat(store.findByRunEpoch(run, 4)).isEmpty();
        assertThat(store.nameTaken(name)).isTrue();
        assertThat(store.trainedOn(77L)).extracting(Checkpoint::id).contains(id);
    }

    @Test
    void softDeleteTwiceAnswersZeroAndADeletedRowIsNotFoundLive() {
        long id = store.insert(checkpoint("CR deleted " + UUID.randomUUID(), null, null, 78L));
        long live = store.count();

        assertThat(checkpoints.markDeleted(id, "remover", AT)).isEqualTo(1);
        assertThat(checkpoints.markDeleted(id, "remover", AT)).isZero();
        assertThat(store.softDelete(id, "remover", AT)).isFalse();

        assertThat(checkpoints.findLive(id)).isEmpty();
        assertThat(store.find(id).orElseThrow().deletedBy()).isEqualTo("remover");
        assertThat(store.count()).isEqualTo(live - 1);
        assertThat(store.list(0, Integer.MAX_VALUE)).extracting(Checkpoint::id).doesNotContain(id);
        assertThat(store.deleted()).extracting(Checkpoint::id).contains(id);
        assertThat(store.trainedOn(78L)).extracting(Checkpoint::id).doesNotContain(id);

        assertThat(checkpoints.restore(id)).isEqualTo(1);
        assertThat(checkpoints.restore(id)).isZero();
        assertThat(store.restore(id)).isFalse();
        assertThat(checkpoints.findLive(id)).isPresent();
        assertThat(store.count()).isEqualTo(live);
    }

    @Test
    void livePagesAreOldestFirstFromAnyOffset() {
        List<Long> ids = List.of(
                store.insert(checkpoint("CR page " + UUID.randomUUID(), null, null, null)),
                store.insert(checkpoint("CR page " + UUID.randomUUID(), null, null, null)),
                store.insert(checkpoint("CR page " + UUID.randomUUID(), null, null, null)));
        List<Long> all =
                store.list(0, Integer.MAX_VALUE).stream().map(Checkpoint::id).toList();
        assertThat(all).isSorted();
        int from = all.indexOf(ids.get(1));
        assertThat(store.list(from, 2)).extracting(Checkpoint::id).containsExactly(ids.get(1), ids.get(2));
    }

    @Test
    void generatedSetsAreFoundByCheckpointSourceAndSeed() {
        long checkpoint = store.insert(checkpoint("CR sets " + UUID.randomUUID(), null, null, null));
        long source = 900_000L + (checkpoint % 1000);
        long seedless =
                store.insertSet(checkpoint, source, 10_000_000L + checkpoint, GeneratedSetStatus.GENERATING, "g", AT);
        long seeded = store.insertSet(
                checkpoint, source, 20_000_000L + checkpoint, GeneratedSetStatus.GENERATING, "g", AT, 7L);

        assertThat(store.findSet(checkpoint, source, null).orElseThrow().id()).isEqualTo(seedless);
        assertThat(store.findSet(checkpoint, source, 7L).orElseThrow().id()).isEqualTo(seeded);
        assertThat(store.findSet(checkpoint, source, 8L)).isEmpty();
        assertThat(store.setOfDataset(20_000_000L + checkpoint).orElseThrow().samplingSeed())
                .isEqualTo(7L);
        assertThat(store.setsOf(checkpoint)).extracting(GeneratedSet::id).containsExactly(seedless, seeded);

        store.setJob(seeded, 55L);
        store.setStatus(seeded, GeneratedSetStatus.READY, "done");
        GeneratedSet s = store.findSet(seeded).orElseThrow();
        assertThat(s)
                .isEqualTo(new GeneratedSet(
                        seeded,
                        checkpoint,
                        source,
                        20_000_000L + checkpoint,
                        55L,
                        GeneratedSetStatus.READY,
                        "done",
                        "g",
                        AT,
                        7L));

        // a second seedless set of the same checkpoint on the same source breaks the unique index
        assertThatThrownBy(() -> store.insertSet(
                        checkpoint, source, 30_000_000L + checkpoint, GeneratedSetStatus.GENERATING, "g", AT))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(sets.findByCheckpointIdOrderByIdAsc(checkpoint)).hasSize(2);
    }
}
