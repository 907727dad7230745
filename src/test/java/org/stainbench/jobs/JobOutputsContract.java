package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.jobs.agent.Protocol;
import org.stainbench.shell.Sha256;
import org.stainbench.support.BrokenStream;

/**
 * Outputs that node agents upload for their jobs, on the artifact store, one suite on both stores:
 * {@link JobOutputsLocalTest} (the folder, as before the store) and {@link JobOutputsS3Test} (a bucket of a real S3
 * server). An output is the object {@code jobs/<id>/attempt-<n>/<name>}, its row records that key and the job page
 * serves it; an upload that breaks off leaves no object and no row.
 */
abstract class JobOutputsContract {

    @Autowired
    AgentService agents;

    @Autowired
    JobQueue queue;

    @Autowired
    ArtifactStore artifacts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    @Value("${stainbench.artifacts.root}")
    Path root;

    /** The store this context runs on is the local folder. */
    abstract boolean local();

    /** A node of its own (2 MB of memory: it claims no other test's job) holding a job it has started. */
    record Held(long tokenId, String node, long jobId, Protocol.Assignment assignment) {}

    Held held() throws Exception {
        long tokenId = 700_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        String node = "outputs-node-" + tokenId;
        agents.register(tokenId, new Protocol.Registration(node, "h", 1, 2, List.of(), false, "test"));
        long id = queue.submitCommand(
                CommandJob.shell("outputs", "true", new Resources(0, 0, 1, 2, Duration.ofHours(1)), "alice"));
        Protocol.Assignment a = agents.poll(tokenId, node, 0).orElseThrow();
        assertThat(a.jobId()).isEqualTo(id);
        agents.start(tokenId, id, new Protocol.Start(node, a.token()));
        return new Held(tokenId, node, id, a);
    }

    @Test
    void anOutputIsTheObjectAtItsKeyAndTheJobPageServesIt() throws Exception {
        Held h = held();
        byte[] bytes = ("result of job " + h.jobId() + "\n").repeat(1000).getBytes(StandardCharsets.UTF_8);
        agents.output(
                h.tokenId(),
                h.jobId(),
                h.node(),
                h.assignment().token(),
                "out/result.txt",
                new ByteArrayInputStream(bytes));
        Map<String, Object> row = jdbc.sql("select * from job_output where job_id = ?")
                .param(h.jobId())
                .query()
                .singleRow();
        String key = "jobs/" + h.jobId() + "/attempt-1/out/result.txt";
        assertThat(row)
                .containsEntry("path", key)
                .containsEntry("name", "out/result.txt")
                .containsEntry("sha256", Sha256.of(bytes));
        assertThat(((Number) row.get("size_bytes")).longValue()).isEqualTo(bytes.length);
        assertThat(artifacts.readAllBytes(key)).isEqualTo(bytes);
        assertThat(root.resolve(key).toFile().isFile())
                .as("the local folder has the file only on the local store")
                .isEqualTo(local());
        byte[] served = mvc.perform(get("/jobs/" + h.jobId() + "/outputs/" + row.get("id"))
                        .with(user("alice").roles("MEMBER", "SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        assertThat(served).isEqualTo(bytes);

        // the object gone: the page says so
        artifacts.delete(key);
        mvc.perform(get("/jobs/" + h.jobId() + "/outputs/" + row.get("id"))
                        .with(user("alice").roles("MEMBER", "SUPERVISOR")))
                .andExpect(status().isNotFound());
        agents.finish(
                h.tokenId(),
                h.jobId(),
                new Protocol.Finish(h.node(), h.assignment().token(), 0, null, false));
    }

    @Test
    void anOutputUploadThatBreaksOffLeavesNoObjectAndNoRow() throws Exception {
        Held h = held();
        assertThatThrownBy(() -> agents.output(
                        h.tokenId(),
                        h.jobId(),
                        h.node(),
                        h.assignment().token(),
                        "big.bin",
                        new BrokenStream(7 * 1024 * 1024)))
                .hasMessageContaining("went away");
        assertThat(artifacts.list("jobs/" + h.jobId() + "/")).isEmpty();
        assertThat(jdbc.sql("select count(*) from job_output where job_id = ?")
                        .param(h.jobId())
                        .query(Long.class)
                        .single())
                .isZero();
        // a name that is no key is refused before anything is stored
        assertThatThrownBy(() -> agents.output(
                        h.tokenId(),
                        h.jobId(),
                        h.node(),
                        h.assignment().token(),
                        "a//b",
                        new ByteArrayInputStream(new byte[] {1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bad output name");
        agents.finish(
                h.tokenId(),
                h.jobId(),
                new Protocol.Finish(h.node(), h.assignment().token(), 1, "test", false));
    }
}
