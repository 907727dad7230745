package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue 20 item 4: {@code command_template} is a Spring Data repository behind {@link CommandTemplates}: a saved
 * template reads back whole (JSON columns, resources, who and when), an edit changes the row in place, the list is
 * by name, and a second template of the same name or an edit of a missing one is refused with nothing written.
 */
@SpringBootTest
@ActiveProfiles("test")
class CommandTemplateRepositoryTest {

    @Autowired
    CommandTemplates templates;

    @Autowired
    CommandTemplateRepository repository;

    @Autowired
    JdbcClient jdbc;

    @Test
    void saveReadEditAndRefuse() {
        String name = "repo-template-" + UUID.randomUUID().toString().substring(0, 8);
        Resources r = new Resources(1, 8_000, 4, 16_000, Duration.ofMinutes(90));
        long id = templates.save(
                null,
                name,
                "  trains one LoRA  ",
                "python train.py --lr {lr} --out {out}",
                List.of(new CommandTemplates.Parameter("lr", "1e-4"), new CommandTemplates.Parameter("out", null)),
                Map.of("HF_HOME", "/scratch/hf"),
                List.of(),
                List.of("model.safetensors"),
                r,
                "mo");

        CommandTemplates.Template t = templates.find(id).orElseThrow();
        assertThat(t.name()).isEqualTo(name);
        assertThat(t.description()).isEqualTo("trains one LoRA");
        assertThat(t.parameters())
                .containsExactly(
                        new CommandTemplates.Parameter("lr", "1e-4"), new CommandTemplates.Parameter("out", null));
        assertThat(t.environment()).isEqualTo(Map.of("HF_HOME", "/scratch/hf"));
        assertThat(t.outputs()).containsExactly("model.safetensors");
        assertThat(t.resources()).isEqualTo(r);
        assertThat(t.updatedBy()).isEqualTo("mo");
        // the row as the database holds it (what the pages read through JDBC before)
        assertThat(jdbc.sql("select time_limit_s from command_template where id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isEqualTo(5400L);

        templates.save(
                id,
                name + "-b",
                "",
                "echo {out}",
                List.of(new CommandTemplates.Parameter("out", "x")),
                Map.of(),
                List.of(),
                List.of(),
                r,
                "sue");
        CommandTemplates.Template edited = templates.find(id).orElseThrow();
        assertThat(edited.name()).isEqualTo(name + "-b");
        assertThat(edited.description()).isNull();
        assertThat(edited.updatedBy()).isEqualTo("sue");
        assertThat(templates.all())
                .extracting(CommandTemplates.Template::name)
                .contains(name + "-b")
                .isSorted();

        long rows = repository.count();
        assertThatThrownBy(() -> templates.save(
                        null, name + "-b", null, "echo", List.of(), Map.of(), List.of(), List.of(), r, "mo"))
                .hasMessageContaining("already exists");
        assertThatThrownBy(() -> templates.save(
                        Long.MAX_VALUE, name + "-c", null, "echo", List.of(), Map.of(), List.of(), List.of(), r, "mo"))
                .hasMessageContaining("No template with id");
        assertThat(repository.count()).isEqualTo(rows);
    }
}
