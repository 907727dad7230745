package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.shell.Dependants;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model registry (issue 19 item 2) as MLflow 3.x's Python client drives it. {@code mlflow.register_model(uri, name)}
 * is {@code _register_model} in {@code mlflow/tracking/_model_registry/fluent.py}: {@code create_registered_model(name)}
 * (RESOURCE_ALREADY_EXISTS is fine: "Creating a new version of this model..."); for a {@code runs:/<run>/<path>} URI,
 * {@code RunsArtifactRepository._is_directory(path)} (runs/get for the run's artifact URI, then a listing through the
 * artifact proxy) and, when it is a folder, {@code source = RunsArtifactRepository.get_underlying_uri(uri)}; then
 * {@code client._create_model_version(name, source, run_id, tags, model_id)}, which waits for status READY with
 * {@code model-versions/get}. The request bodies are those of {@code mlflow/store/model_registry/rest_store.py}
 * ({@code message_to_json} of the proto: unset fields absent, version a string); GET requests carry the fields as query
 * parameters (repeated for lists), other methods as JSON. {@code mlflow.artifacts.download_artifacts("models:/n@alias")}
 * is {@code ModelsArtifactRepository}: registered-models/alias, then model-versions/get-download-uri, then the
 * artifact proxy's listing and files.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class MlflowRegistryContractTest {

    private static final String API = "/api/2.0/mlflow";
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";
    private static final long T0 = 1_764_000_000_000L;

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Checkpoints checkpoints;

    final JsonMapper json = JsonMapper.builder().build();
    static String member;
    static String supervisor;
    static String pathologist;
    static String node;

    @BeforeEach
    void tokens() {
        if (member == null) {
            accounts.createAccount("reg-member", Role.MEMBER, "Juniper-Canal-6621");
            accounts.createAccount("reg-super", Role.SUPERVISOR, "Saffron-Ridge-3308");
            accounts.createAccount("reg-patho", Role.SUPERVISOR, "Basalt-Orchid-9154");
            member = accounts.issueApiToken("reg-laptop", "reg-member");
            supervisor = accounts.issueApiToken("reg-notebook", "reg-super");
            pathologist = accounts.issueApiToken("reg-old", "reg-patho");
            jdbc.sql("update app_user set role = 'PATHOLOGIST' where username = 'reg-patho'")
                    .update();
            node = accounts.issueNodeToken("reg-gpu-01", "admin");
        }
    }

    private ResultActions as(String token, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header("Authorization", "Bearer " + token));
    }

    private ResultActions send(String token, String method, String path, String body) throws Exception {
        MockHttpServletRequestBuilder b =
                switch (method) {
                    case "PATCH" -> patch(API + path);
                    case "DELETE" -> delete(API + path);
                    default -> post(API + path);
                };
        return as(token, b.contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private ResultActions postJson(String path, String body) throws Exception {
        return send(member, "POST", path, body);
    }

    private JsonNode body(ResultActions r) throws Exception {
        return json.readTree(r.andReturn().getResponse().getContentAsString());
    }

    /** An experiment and a finished run with an epoch metric and a model folder of two files. */
    private String[] runWithModel(String experiment, String runName, int epoch) throws Exception {
        String exp = body(postJson("/experiments/create", "{\"name\": \"" + experiment + "\"}")
                        .andExpect(status().isOk()))
                .get("experiment_id")
                .asString();
        String run = body(postJson(
                                "/runs/create",
                                "{\"experiment_id\": \"%s\", \"run_name\": \"%s\", \"start_time\": %d}"
                                        .formatted(exp, runName, T0))
                        .andExpect(status().isOk()))
                .get("run")
                .get("info")
                .get("run_id")
                .asString();
        postJson(
                        "/runs/log-batch",
                        """
                {"run_id": "%s", "metrics": [{"key": "epoch", "value": %d, "timestamp": %d, "step": %d},
                                             {"key": "val_ssim", "value": 0.8125, "timestamp": %d, "step": %d}]}"""
                                .formatted(run, epoch, T0 + 1, epoch, T0 + 1, epoch))
                .andExpect(status().isOk());
        as(
                        member,
                        put(ARTIFACTS + "/" + exp + "/" + run + "/artifacts/model/MLmodel")
                                .content("flavors:\n  pytorch: {}\n".getBytes()))
                .andExpect(status().isOk());
        as(
                        member,
                        put(ARTIFACTS + "/" + exp + "/" + run + "/artifacts/model/data/model.pth")
                                .content(new byte[] {1, 2, 3, 4}))
                .andExpect(status().isOk());
        return new String[] {exp, run};
    }

    /** {@code mlflow.register_model("runs:/<run>/model", name)}, request by request; returns the version. */
    private String registerModel(String name, String exp, String run) throws Exception {
        ResultActions created = postJson("/registered-models/create", "{\"name\": \"" + name + "\"}");
        int code = created.andReturn().getResponse().getStatus();
        if (code == 400) {
            created.andExpect(jsonPath("$.error_code").value("RESOURCE_ALREADY_EXISTS"));
        } else {
            created.andExpect(status().isOk())
                    .andExpect(jsonPath("$.registered_model.name").value(name));
        }
        // RunsArtifactRepository: the run's artifact URI, then "is <path> a folder?" through the proxy
        String artifactUri = body(as(member, get(API + "/runs/get").param("run_id", run))
                        .andExpect(status().isOk()))
                .get("run")
                .get("info")
                .get("artifact_uri")
                .asString();
        assertThat(artifactUri).isEqualTo("mlflow-artifacts:/" + exp + "/" + run + "/artifacts");
        as(member, get(ARTIFACTS).param("path", exp + "/" + run + "/artifacts/model"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.files.length()").value(2));
        String source = artifactUri + "/model";
        JsonNode mv = body(postJson(
                                "/model-versions/create",
                                """
                {"name": "%s", "source": "%s", "run_id": "%s", "model_id": null}"""
                                        .formatted(name, source, run))
                        .andExpect(status().isOk())
                        .andExpect(jsonPath("$.model_version.name").value(name))
                        .andExpect(jsonPath("$.model_version.source").value(source))
                        .andExpect(jsonPath("$.model_version.run_id").value(run))
                        .andExpect(jsonPath("$.model_version.current_stage").value("None"))
                        .andExpect(jsonPath("$.model_version.status").value("READY"))
                        .andExpect(jsonPath("$.model_version.user_id").value("reg-member")))
                .get("model_version");
        String version = mv.get("version").asString();
        // _await_model_version_creation: get until READY
        as(member, get(API + "/model-versions/get").param("name", name).param("version", version))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model_version.status").value("READY"));
        return version;
    }

    @Test
    void registerModelThenDownloadByAliasStageAndVersion() throws Exception {
        String[] a = runWithModel("reg-ck7", "lora-r4", 3);
        String exp = a[0];
        String run = a[1];
        assertThat(registerModel("ck7-lora", exp, run)).isEqualTo("1");
        assertThat(registerModel("ck7-lora", exp, run))
                .as("a second register_model makes version 2")
                .isEqualTo("2");

        // MlflowClient().set_registered_model_alias("ck7-lora", "champion", 1)
        postJson("/registered-models/alias", "{\"name\": \"ck7-lora\", \"alias\": \"champion\", \"version\": \"1\"}")
                .andExpect(status().isOk())
                .andExpect(content().json("{}"));
        // download_artifacts("models:/ck7-lora@champion"): get-by-alias, download URI, listing, files
        JsonNode byAlias = body(as(
                                member,
                                get(API + "/registered-models/alias")
                                        .param("name", "ck7-lora")
                                        .param("alias", "champion"))
                        .andExpect(status().isOk())
                        .andExpect(jsonPath("$.model_version.aliases[0]").value("champion")))
                .get("model_version");
        assertThat(byAlias.get("version").asString()).isEqualTo("1");
        String uri = body(as(
                                member,
                                get(API + "/model-versions/get-download-uri")
                                        .param("name", "ck7-lora")
                                        .param("version", "1"))
                        .andExpect(status().isOk()))
                .get("artifact_uri")
                .asString();
        assertThat(uri).isEqualTo("mlflow-artifacts:/" + exp + "/" + run + "/artifacts/model");
        String proxyPath = uri.substring("mlflow-artifacts:/".length());
        as(member, get(ARTIFACTS).param("path", proxyPath))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.files[?(@.path == 'MLmodel')].file_size").value(23));
        as(member, get(ARTIFACTS + "/" + proxyPath + "/MLmodel"))
                .andExpect(status().isOk())
                .andExpect(content().string("flavors:\n  pytorch: {}\n"));

        // stages as MLflow 2.x allows: 1 → Production, then 2 → Production archiving the others
        postJson(
                        "/model-versions/transition-stage",
                        """
                {"name": "ck7-lora", "version": "1", "stage": "production", "archive_existing_versions": false}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model_version.current_stage").value("Production"));
        // models:/ck7-lora/Production: get_latest_versions(name, ["Production"]) (POST, then GET, both served)
        postJson("/registered-models/get-latest-versions", "{\"name\": \"ck7-lora\", \"stages\": [\"Production\"]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model_versions.length()").value(1))
                .andExpect(jsonPath("$.model_versions[0].version").value("1"));
        postJson(
                        "/model-versions/transition-stage",
                        """
                {"name": "ck7-lora", "version": "2", "stage": "Production", "archive_existing_versions": true}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model_version.current_stage").value("Production"));
        as(member, get(API + "/model-versions/get").param("name", "ck7-lora").param("version", "1"))
                .andExpect(jsonPath("$.model_version.current_stage").value("Archived"));
        as(
                        member,
                        get(API + "/registered-models/get-latest-versions")
                                .param("name", "ck7-lora")
                                .param("stages", "Production")
                                .param("stages", "Archived"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model_versions[*].version", Matchers.contains("1", "2")));
        postJson(
                        "/model-versions/transition-stage",
                        """
                {"name": "ck7-lora", "version": "2", "stage": "Archived", "archive_existing_versions": true}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        postJson(
                        "/model-versions/transition-stage",
                        "{\"name\": \"ck7-lora\", \"version\": \"2\", \"stage\": \"Live\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));

        // get_registered_model: latest per stage, tags, aliases, description
        send(member, "PATCH", "/registered-models/update", "{\"name\": \"ck7-lora\", \"description\": \"CK7 LoRA\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.registered_model.description").value("CK7 LoRA"));
        postJson("/registered-models/set-tag", "{\"name\": \"ck7-lora\", \"key\": \"stain\", \"value\": \"CK7\"}")
                .andExpect(status().isOk());
        as(member, get(API + "/registered-models/get").param("name", "ck7-lora"))
                .andExpect(status().isOk())
                .andExpect(jsonPath(
                        "$.registered_model.latest_versions[*].current_stage",
                        Matchers.containsInAnyOrder("Archived", "Production")))
                .andExpect(jsonPath("$.registered_model.tags[0].key").value("stain"))
                .andExpect(jsonPath("$.registered_model.aliases[0].alias").value("champion"))
                .andExpect(jsonPath("$.registered_model.aliases[0].version").value("1"));
        send(member, "DELETE", "/registered-models/delete-tag", "{\"name\": \"ck7-lora\", \"key\": \"stain\"}")
                .andExpect(status().isOk());
        send(member, "DELETE", "/registered-models/delete-tag", "{\"name\": \"ck7-lora\", \"key\": \"stain\"}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));

        // version tags, description
        postJson(
                        "/model-versions/set-tag",
                        "{\"name\": \"ck7-lora\", \"version\": \"2\", \"key\": \"gpu\", \"value\": \"h100\"}")
                .andExpect(status().isOk());
        send(
                        member,
                        "PATCH",
                        "/model-versions/update",
                        "{\"name\": \"ck7-lora\", \"version\": \"2\", \"description\": \"best\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model_version.description").value("best"))
                .andExpect(jsonPath("$.model_version.tags[0].value").value("h100"));
        send(
                        member,
                        "DELETE",
                        "/model-versions/delete-tag",
                        "{\"name\": \"ck7-lora\", \"version\": \"2\", \"key\": \"gpu\"}")
                .andExpect(status().isOk());

        // a version IS a checkpoint: run, epoch (its run's epoch metric), shown with its registry entries
        long ck1 = checkpointOf("ck7-lora", 1);
        long ck2 = checkpointOf("ck7-lora", 2);
        Checkpoint c = checkpoints.find(ck1).orElseThrow();
        assertThat(c.runUuid()).isEqualTo(run);
        assertThat(c.epoch()).isEqualTo(3);
        assertThat(ck2)
                .as("the same run and epoch: version 2 links to the same checkpoint")
                .isEqualTo(ck1);
        String page = mvc.perform(get("/checkpoints/" + ck1).with(user("admin").roles("ADMIN", "MEMBER", "SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("id=\"registry-versions\"")
                .contains("ck7-lora")
                .contains("@champion")
                .contains("val_ssim 0.8125")
                .contains("models:/ck7-lora/1");

        // the checkpoint is not deleted while it is a registered version
        assertThatThrownBy(() -> checkpoints.delete(ck1, "admin"))
                .isInstanceOf(Dependants.Blocked.class)
                .hasMessageContaining("ck7-lora version 1");

        // deleting version 1 drops its alias; the checkpoint stays; version numbers are not reused
        send(member, "DELETE", "/model-versions/delete", "{\"name\": \"ck7-lora\", \"version\": \"1\"}")
                .andExpect(status().isOk());
        as(
                        member,
                        get(API + "/registered-models/alias")
                                .param("name", "ck7-lora")
                                .param("alias", "champion"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
        assertThat(checkpoints.find(ck1)).isPresent();
        assertThat(registerModel("ck7-lora", exp, run)).isEqualTo("3");

        // rename, then delete the whole model
        postJson("/registered-models/rename", "{\"name\": \"ck7-lora\", \"new_name\": \"ck7-lora-final\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.registered_model.name").value("ck7-lora-final"));
        as(
                        member,
                        get(API + "/model-versions/get")
                                .param("name", "ck7-lora-final")
                                .param("version", "3"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model_version.name").value("ck7-lora-final"));
        send(member, "DELETE", "/registered-models/delete", "{\"name\": \"ck7-lora-final\"}")
                .andExpect(status().isOk());
        as(member, get(API + "/registered-models/get").param("name", "ck7-lora-final"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
        assertThat(checkpoints.find(ck1))
                .as("checkpoints outlive the registry entries")
                .isPresent();
        checkpoints.delete(ck1, "admin");
        assertThat(checkpoints.find(ck1)).isEmpty();
    }

    private long checkpointOf(String name, int version) {
        return jdbc.sql("select v.checkpoint_id from model_version v join registered_model m on m.id = v.model_id"
                        + " where m.name = ? and v.version = ?")
                .params(name, version)
                .query(Long.class)
                .single();
    }

    @Test
    void sourcesResolveToTheArtifactProxy() throws Exception {
        String[] a = runWithModel("reg-sources", "src-run", 1);
        String exp = a[0];
        String run = a[1];
        postJson("/registered-models/create", "{\"name\": \"sources\"}").andExpect(status().isOk());
        // runs:/<run>/<path> (MlflowClient.create_model_version with a runs URI, as MLflow 2.x allowed)
        postJson("/model-versions/create", "{\"name\": \"sources\", \"source\": \"runs:/%s/model\"}".formatted(run))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model_version.run_id").value(run));
        as(
                        member,
                        get(API + "/model-versions/get-download-uri")
                                .param("name", "sources")
                                .param("version", "1"))
                .andExpect(
                        jsonPath("$.artifact_uri").value("mlflow-artifacts:/" + exp + "/" + run + "/artifacts/model"));
        // models:/m-<id> (MLflow 3's logged model) with its run: the experiment's models/<id>/artifacts
        String modelId = "m-0123456789abcdef0123456789abcdef";
        postJson(
                        "/model-versions/create",
                        "{\"name\": \"sources\", \"source\": \"models:/%s\", \"run_id\": \"%s\", \"model_id\": \"%s\"}"
                                .formatted(modelId, run, modelId))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model_version.model_id").value(modelId));
        as(
                        member,
                        get(API + "/model-versions/get-download-uri")
                                .param("name", "sources")
                                .param("version", "2"))
                .andExpect(jsonPath("$.artifact_uri")
                        .value("mlflow-artifacts:/" + exp + "/models/" + modelId + "/artifacts"));
        // models:/<name>/<version> as a source: that version's files
        postJson("/model-versions/create", "{\"name\": \"sources\", \"source\": \"models:/sources/1\"}")
                .andExpect(status().isOk());
        as(
                        member,
                        get(API + "/model-versions/get-download-uri")
                                .param("name", "sources")
                                .param("version", "3"))
                .andExpect(
                        jsonPath("$.artifact_uri").value("mlflow-artifacts:/" + exp + "/" + run + "/artifacts/model"));
        // refused, changing nothing: local paths, path escapes, unknown runs
        for (String bad : List.of("/etc/passwd", "file:///etc", "runs:/" + run + "/../../x", "runs:/nosuchrun/model")) {
            postJson("/model-versions/create", "{\"name\": \"sources\", \"source\": \"%s\"}".formatted(bad))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        }
        postJson("/model-versions/create", "{\"name\": \"sources\", \"source\": \"s3://b/m\", \"run_id\": \"nope\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("run_id")));
        assertThat(jdbc.sql("select count(*) from model_version v join registered_model m on m.id = v.model_id"
                                + " where m.name = 'sources'")
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
    }

    @Test
    void errorsAreMlflowsCodesNever500() throws Exception {
        as(member, get(API + "/registered-models/get").param("name", "no-such-model"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
        postJson("/registered-models/create", "{\"name\": \"dup\"}").andExpect(status().isOk());
        postJson("/registered-models/create", "{\"name\": \"dup\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_ALREADY_EXISTS"));
        postJson("/registered-models/create", "{}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("'name'")));
        postJson("/registered-models/create", "{\"name\": \"" + "x".repeat(300) + "\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        postJson("/registered-models/create", "{\"name\": \"bad\\u202Ename\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        postJson(
                        "/registered-models/create",
                        "{\"name\": \"t\", \"tags\": [{\"key\": \"k\", \"value\": \"" + "v".repeat(5001) + "\"}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("tag")));
        as(member, get(API + "/registered-models/get").param("name", "t")).andExpect(status().isNotFound());
        postJson("/registered-models/rename", "{\"name\": \"no-such-model\", \"new_name\": \"x\"}")
                .andExpect(status().isNotFound());
        postJson("/registered-models/create", "{\"name\": \"dup2\"}").andExpect(status().isOk());
        postJson("/registered-models/rename", "{\"name\": \"dup2\", \"new_name\": \"dup\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_ALREADY_EXISTS"));
        as(member, get(API + "/model-versions/get").param("name", "dup").param("version", "1"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
        as(member, get(API + "/model-versions/get").param("name", "dup").param("version", "one"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("version")));
        postJson("/model-versions/create", "{\"name\": \"dup\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("'source'")));
        postJson("/model-versions/create", "{\"name\": \"no-such-model\", \"source\": \"s3://b/m\"}")
                .andExpect(status().isNotFound());
        postJson("/model-versions/create", "{\"name\": \"dup\", \"source\": \"s3://b/m\"}")
                .andExpect(status().isOk());
        for (String alias : List.of("latest", "v3", "has space")) {
            postJson(
                            "/registered-models/alias",
                            "{\"name\": \"dup\", \"alias\": \"%s\", \"version\": \"1\"}".formatted(alias))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        }
        postJson("/registered-models/alias", "{\"name\": \"dup\", \"alias\": \"prod\", \"version\": \"7\"}")
                .andExpect(status().isNotFound());
        send(member, "DELETE", "/registered-models/alias", "{\"name\": \"dup\", \"alias\": \"prod\"}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
        as(member, get(API + "/registered-models/search").param("max_results", "0"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("max_results")));
        as(member, get(API + "/registered-models/search").param("page_token", "%%%"))
                .andExpect(status().isBadRequest());
        as(member, get(API + "/registered-models/search").param("filter", "name = 'x' OR name = 'y'"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        as(member, get(API + "/registered-models/search").param("filter", "run_id = 'x'"))
                .andExpect(status().isBadRequest());
        as(member, get(API + "/registered-models/search").param("order_by", "size DESC"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("order by")));
        as(member, get(API + "/registered-models/search").param("filter", "name LIKE '" + "%a".repeat(300) + "'"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("max-filter-length")));
        as(member, get(API + "/model-versions/search").param("filter", "name IN ('a')"))
                .andExpect(status().isBadRequest());
        postJson("/registered-models/create", "not json").andExpect(status().isBadRequest());
    }

    @Test
    void searchFiltersOrdersAndPagesThatAlwaysEnd() throws Exception {
        for (String n : List.of("srch-lora-a", "srch-lora-b", "SRCH-LORA-c", "srch-other")) {
            postJson(
                            "/registered-models/create",
                            "{\"name\": \"" + n + "\", \"tags\": [{\"key\": \"team\", \"value\": \""
                                    + (n.endsWith("b") ? "path" : "ml") + "\"}]}")
                    .andExpect(status().isOk());
        }
        as(supervisor, get(API + "/registered-models/search").param("filter", "name LIKE 'srch-lora-%'"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.registered_models[*].name", Matchers.contains("srch-lora-a", "srch-lora-b")));
        as(
                        supervisor,
                        get(API + "/registered-models/search")
                                .param("filter", "name ILIKE 'srch-lora-%'")
                                .param("order_by", "name DESC"))
                .andExpect(status().isOk())
                .andExpect(jsonPath(
                        "$.registered_models[*].name", Matchers.contains("srch-lora-b", "srch-lora-a", "SRCH-LORA-c")));
        as(
                        supervisor,
                        get(API + "/registered-models/search")
                                .param("filter", "name ILIKE 'srch-%' AND tags.team = 'path'"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.registered_models[*].name", Matchers.contains("srch-lora-b")));
        as(supervisor, get(API + "/registered-models/search").param("filter", "name = 'srch-other'"))
                .andExpect(jsonPath("$.registered_models.length()").value(1))
                .andExpect(jsonPath("$.next_page_token").doesNotExist());
        // following page tokens visits every match once and ends
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 10; page++) {
            MockHttpServletRequestBuilder req = get(API + "/registered-models/search")
                    .param("filter", "name ILIKE 'srch-%'")
                    .param("max_results", "1");
            if (token != null) {
                req.param("page_token", token);
            }
            JsonNode b = body(as(supervisor, req).andExpect(status().isOk()));
            b.get("registered_models").forEach(m -> order.add(m.get("name").asString()));
            if (!b.hasNonNull("next_page_token")) {
                token = null;
                break;
            }
            assertThat(b.get("next_page_token").asString()).isNotEqualTo(token);
            token = b.get("next_page_token").asString();
        }
        assertThat(token).isNull();
        seen.addAll(order);
        assertThat(order).hasSize(4).containsExactly("SRCH-LORA-c", "srch-lora-a", "srch-lora-b", "srch-other");
        assertThat(seen).hasSize(4);

        // model versions: by name, by run_id IN, ordered, with LIKE on the source
        String[] a = runWithModel("reg-search", "search-run", 2);
        postJson(
                        "/model-versions/create",
                        "{\"name\": \"srch-lora-a\", \"source\": \"runs:/%s/model\", \"run_id\": \"%s\"}"
                                .formatted(a[1], a[1]))
                .andExpect(status().isOk());
        postJson("/model-versions/create", "{\"name\": \"srch-lora-a\", \"source\": \"s3://bucket/other\"}")
                .andExpect(status().isOk());
        as(supervisor, get(API + "/model-versions/search").param("filter", "name = 'srch-lora-a'"))
                .andExpect(jsonPath("$.model_versions[*].version", Matchers.contains("2", "1")));
        as(supervisor, get(API + "/model-versions/search").param("filter", "run_id IN ('%s', 'abc')".formatted(a[1])))
                .andExpect(jsonPath("$.model_versions[*].version", Matchers.contains("1")));
        as(
                        supervisor,
                        get(API + "/model-versions/search")
                                .param("filter", "name = 'srch-lora-a' AND source_path LIKE 's3://%'"))
                .andExpect(jsonPath("$.model_versions[*].version", Matchers.contains("2")));
        as(
                        supervisor,
                        get(API + "/model-versions/search")
                                .param("filter", "name = 'srch-lora-a'")
                                .param("order_by", "version_number ASC")
                                .param("max_results", "1"))
                .andExpect(jsonPath("$.model_versions[*].version", Matchers.contains("1")))
                .andExpect(jsonPath("$.next_page_token").exists());
    }

    @Test
    void onlyMembersChangeTheRegistryAndMachinesMayNotUseIt() throws Exception {
        postJson("/registered-models/create", "{\"name\": \"roles\"}").andExpect(status().isOk());
        postJson("/model-versions/create", "{\"name\": \"roles\", \"source\": \"s3://b/m\"}")
                .andExpect(status().isOk());
        // a supervisor (read-only) reads…
        as(supervisor, get(API + "/registered-models/get").param("name", "roles"))
                .andExpect(status().isOk());
        as(
                        supervisor,
                        get(API + "/model-versions/get-download-uri")
                                .param("name", "roles")
                                .param("version", "1"))
                .andExpect(status().isOk());
        // …and changes nothing
        List<String[]> writes = List.of(
                new String[] {"POST", "/registered-models/create", "{\"name\": \"roles2\"}"},
                new String[] {"POST", "/registered-models/rename", "{\"name\": \"roles\", \"new_name\": \"r\"}"},
                new String[] {"PATCH", "/registered-models/update", "{\"name\": \"roles\", \"description\": \"d\"}"},
                new String[] {"DELETE", "/registered-models/delete", "{\"name\": \"roles\"}"},
                new String[] {
                    "POST", "/registered-models/set-tag", "{\"name\": \"roles\", \"key\": \"k\", \"value\": \"v\"}"
                },
                new String[] {"DELETE", "/registered-models/delete-tag", "{\"name\": \"roles\", \"key\": \"k\"}"},
                new String[] {
                    "POST", "/registered-models/alias", "{\"name\": \"roles\", \"alias\": \"a\", \"version\": \"1\"}"
                },
                new String[] {"DELETE", "/registered-models/alias", "{\"name\": \"roles\", \"alias\": \"a\"}"},
                new String[] {"POST", "/model-versions/create", "{\"name\": \"roles\", \"source\": \"s3://b/m\"}"},
                new String[] {
                    "PATCH",
                    "/model-versions/update",
                    "{\"name\": \"roles\", \"version\": \"1\", \"description\": \"d\"}"
                },
                new String[] {"DELETE", "/model-versions/delete", "{\"name\": \"roles\", \"version\": \"1\"}"},
                new String[] {
                    "POST",
                    "/model-versions/transition-stage",
                    "{\"name\": \"roles\", \"version\": \"1\", \"stage\": \"Staging\"}"
                },
                new String[] {
                    "POST",
                    "/model-versions/set-tag",
                    "{\"name\": \"roles\", \"version\": \"1\", \"key\": \"k\", \"value\": \"v\"}"
                },
                new String[] {
                    "DELETE", "/model-versions/delete-tag", "{\"name\": \"roles\", \"version\": \"1\", \"key\": \"k\"}"
                });
        for (String token : List.of(supervisor, node)) {
            for (String[] w : writes) {
                send(token, w[0], w[1], w[2])
                        .andExpect(status().isForbidden())
                        .andExpect(jsonPath("$.error_code").value("PERMISSION_DENIED"));
            }
        }
        // a pathologist's (old) token is no API credential at all; a node's reads nothing of the registry either
        for (String[] w : writes) {
            send(pathologist, w[0], w[1], w[2]).andExpect(status().isUnauthorized());
        }
        as(pathologist, get(API + "/registered-models/get").param("name", "roles"))
                .andExpect(status().isUnauthorized());
        as(node, get(API + "/registered-models/get").param("name", "roles")).andExpect(status().isForbidden());
        as(node, get(API + "/registered-models/search")).andExpect(status().isForbidden());
        as(
                        node,
                        get(API + "/model-versions/get-download-uri")
                                .param("name", "roles")
                                .param("version", "1"))
                .andExpect(status().isForbidden());
        mvc.perform(get(API + "/registered-models/get").param("name", "roles")).andExpect(status().isUnauthorized());
        as(member, get(API + "/model-versions/get").param("name", "roles").param("version", "1"))
                .andExpect(jsonPath("$.model_version.current_stage").value("None"))
                .andExpect(jsonPath("$.model_version.description").doesNotExist());
        as(member, get(API + "/registered-models/get").param("name", "roles"))
                .andExpect(jsonPath("$.registered_model.tags.length()").value(0));
    }
}
