package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.TokenScope;
import org.stainbench.jobs.agent.Protocol;

/**
 * Issue 15, items 3 and 5: a job's per-attempt credential (what the command gets as MLFLOW_TRACKING_TOKEN)
 * authenticates on the MLflow API only; everywhere else on /api/** it is refused (403), it can never act as a node,
 * and once its attempt ends it is 401 everywhere. An administrator cannot issue a JOB-scope machine token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class JobCredentialApiTest {

    static final long MEMORY_MB = 6_000_000;
    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    JobQueue queue;

    @Autowired
    JobStore store;

    @Autowired
    AgentService agents;

    @Autowired
    Accounts accounts;

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> call(String method, String path, String bearer, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aJobCredentialReachesTheMlflowApiOnlyAndDiesWithItsAttempt() throws Exception {
        agents.register(990_001, new Protocol.Registration("cred-node", "h", 4, MEMORY_MB, List.of(), false, "t"));
        long id = queue.submitCommand(new CommandJob(
                "command",
                "tracked",
                "sleep 1",
                Map.of(),
                List.of(),
                List.of(),
                new Resources(0, 0, 1, MEMORY_MB, Duration.ofHours(1)),
                "admin",
                "run-cred-1",
                false));
        Instant now = Instant.now();
        Claim claim = store.tryClaim(id, "cred-node", now.plus(Duration.ofMinutes(5)), now)
                .orElseThrow();
        String credential =
                agents.assignment(store.find(id).orElseThrow(), claim).jobCredential();
        assertThat(credential).startsWith("sbj_");

        // Not the MLflow API: refused.
        assertThat(call("GET", "/api/whoami", credential, null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api/datasets", credential, null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api/nodes/cred-node", credential, null).statusCode())
                .isEqualTo(403);
        assertThat(call(
                                "POST",
                                "/api/nodes/register",
                                credential,
                                "{\"name\":\"sneaky\",\"hostname\":\"h\",\"cpus\":1,\"memoryMb\":1,\"gpus\":[],\"oneJob\":false}")
                        .statusCode())
                .isEqualTo(403);
        assertThat(call(
                                "POST",
                                "/api/jobs/" + id + "/finish",
                                credential,
                                "{\"node\":\"cred-node\",\"token\":\"" + claim.token()
                                        + "\",\"exitCode\":0,\"cancelled\":false}")
                        .statusCode())
                .isEqualTo(403);
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.ASSIGNED);

        // The MLflow API: authenticated (what it may touch there is RunHolders' answer, not tested here).
        assertThat(call("GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default", credential, null)
                        .statusCode())
                .isNotEqualTo(401);

        // The attempt ends: the credential is dead everywhere.
        agents.finish(990_001, id, new Protocol.Finish("cred-node", claim.token(), 0, null, false));
        assertThat(call("GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default", credential, null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(call("GET", "/api/whoami", credential, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/whoami", "sbj_made-up", null).statusCode()).isEqualTo(401);
    }

    @Test
    void noOneIssuesAJobScopeMachineToken() {
        assertThatThrownBy(() -> accounts.newToken("job-like", "admin", TokenScope.JOB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scope");
        assertThat(TokenScope.issuable()).containsExactly(TokenScope.API, TokenScope.NODE);
    }

    // Issue 15, item 3, end to end: a NODE token and a job credential write only to the held run, for that attempt.

    JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    String metric(String run) {
        return "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":0.5,\"timestamp\":1,\"step\":0}";
    }

    void denied(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).path("error_code").asText()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void nodeAndJobCredentialsWriteOnlyToTheHeldRunForThatAttempt() throws Exception {
        String member = accounts.issueApiToken("held-run-script", "admin");
        String node = accounts.issueNodeToken("held-run-node", "admin");
        String exp = ok(call("POST", "/api/2.0/mlflow/experiments/create", member, "{\"name\":\"held-run\"}"))
                .path("experiment_id")
                .asText();
        String held = ok(call("POST", "/api/2.0/mlflow/runs/create", member, "{\"experiment_id\":\"" + exp + "\"}"))
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
        String other = ok(call("POST", "/api/2.0/mlflow/runs/create", member, "{\"experiment_id\":\"" + exp + "\"}"))
                .path("run")
                .path("info")
                .path("run_id")
                .asText();

        ok(call(
                "POST",
                "/api/nodes/register",
                node,
                "{\"name\":\"held-node\",\"hostname\":\"h\",\"cpus\":4,\"memoryMb\":" + MEMORY_MB
                        + ",\"gpus\":[],\"oneJob\":false,\"version\":\"t\"}"));
        // before any job: the node token touches no run
        denied(call("POST", "/api/2.0/mlflow/runs/log-metric", node, metric(held)));

        long id = queue.submitCommand(new CommandJob(
                "command",
                "tracked",
                "sleep 1",
                Map.of(),
                List.of(),
                List.of(),
                new Resources(0, 0, 1, MEMORY_MB, Duration.ofHours(1)),
                "admin",
                held,
                false));
        Instant now = Instant.now();
        Claim claim = store.tryClaim(id, "held-node", now.plus(Duration.ofMinutes(5)), now)
                .orElseThrow();
        String credential =
                agents.assignment(store.find(id).orElseThrow(), claim).jobCredential();

        for (String caller : List.of(node, credential)) {
            ok(call("POST", "/api/2.0/mlflow/runs/log-metric", caller, metric(held)));
            ok(call("GET", "/api/2.0/mlflow/runs/get?run_id=" + held, caller, null));
            denied(call("POST", "/api/2.0/mlflow/runs/log-metric", caller, metric(other)));
            denied(call("GET", "/api/2.0/mlflow/runs/get?run_id=" + other, caller, null));
            denied(call(
                    "POST",
                    "/api/2.0/mlflow/runs/set-tag",
                    caller,
                    "{\"run_id\":\"" + other + "\",\"key\":\"k\",\"value\":\"v\"}"));
            denied(call("POST", "/api/2.0/mlflow/runs/delete", caller, "{\"run_id\":\"" + other + "\"}"));
            denied(call("POST", "/api/2.0/mlflow/runs/search", caller, "{\"experiment_ids\":[\"" + exp + "\"]}"));
            denied(call("POST", "/api/2.0/mlflow/experiments/create", caller, "{\"name\":\"sneaky\"}"));
            denied(call(
                    "PUT",
                    "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + other + "/artifacts/x.txt",
                    caller,
                    "x"));
        }
        JsonNode history = ok(
                call("GET", "/api/2.0/mlflow/metrics/get-history?run_id=" + other + "&metric_key=loss", member, null));
        assertThat(history.path("metrics").size()).isZero();

        // the attempt ends: the node no longer holds the run, the job credential is dead
        assertThat(call(
                                "POST",
                                "/api/jobs/" + id + "/finish",
                                node,
                                "{\"node\":\"held-node\",\"token\":\"" + claim.token()
                                        + "\",\"exitCode\":0,\"cancelled\":false}")
                        .statusCode())
                .isLessThan(300);
        denied(call("POST", "/api/2.0/mlflow/runs/log-metric", node, metric(held)));
        assertThat(call("POST", "/api/2.0/mlflow/runs/log-metric", credential, metric(held))
                        .statusCode())
                .isEqualTo(401);
    }
}
