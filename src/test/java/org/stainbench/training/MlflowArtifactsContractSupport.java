package org.stainbench.training;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.artifacts.ArtifactStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Users, tokens and request helpers of the MLflow artifact tests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MlflowArtifactsContractSupport {

    static final String API = "/api/2.0/mlflow";
    static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";
    static final String MPU = "/api/2.0/mlflow-artifacts/mpu/";

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    @Autowired
    ArtifactStore store;

    final JsonMapper json = JsonMapper.builder().build();
    String member;
    String supervisor;
    String node;

    /** Names of this class's users (test classes may share a cached application context). */
    String prefix() {
        return "art" + Integer.toHexString(getClass().getSimpleName().hashCode() & 0xfff);
    }

    @BeforeAll
    void tokens() {
        accounts.createAccount(prefix() + "-member", Role.MEMBER, "Tulip-Quarry-4471");
        accounts.createAccount(prefix() + "-super", Role.SUPERVISOR, "Maple-Harbor-8823");
        member = accounts.issueApiToken(prefix() + "-laptop", prefix() + "-member");
        supervisor = accounts.issueApiToken(prefix() + "-notebook", prefix() + "-super");
        node = accounts.issueNodeToken(prefix() + "-gpu-01", "admin");
    }

    ResultActions as(String token, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header("Authorization", "Bearer " + token));
    }

    JsonNode body(ResultActions r) throws Exception {
        return json.readTree(r.andReturn().getResponse().getContentAsString());
    }

    String experiment(String name) throws Exception {
        return body(as(
                                member,
                                post(API + "/experiments/create")
                                        .contentType(MediaType.APPLICATION_JSON)
                                        .content("{\"name\": \"" + name + "\"}"))
                        .andExpect(status().isOk()))
                .get("experiment_id")
                .asString();
    }

    String run(String exp) throws Exception {
        return body(as(
                                member,
                                post(API + "/runs/create")
                                        .contentType(MediaType.APPLICATION_JSON)
                                        .content("{\"experiment_id\": \"" + exp + "\"}"))
                        .andExpect(status().isOk()))
                .get("run")
                .get("info")
                .get("run_id")
                .asString();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
