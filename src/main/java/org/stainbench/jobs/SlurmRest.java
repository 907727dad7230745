package org.stainbench.jobs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Slurm through slurmrestd with JWT authentication; the JSON shapes live in {@link SlurmRestMapping}. */
class SlurmRest implements SlurmGateway {

    // HTTP/1.1 only: slurmrestd 22.05 answers an h2c upgrade request with headers the JDK client cannot parse.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final SlurmProperties props;

    SlurmRest(SlurmProperties props) {
        if (props.restUrl().isBlank()) {
            throw new IllegalStateException("stainbench.slurm.rest-url is required with mode REST");
        }
        this.props = props;
    }

    private JsonNode call(String method, String path, Object body) {
        String base = props.restUrl().endsWith("/")
                ? props.restUrl().substring(0, props.restUrl().length() - 1)
                : props.restUrl();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/slurm/" + props.restApiVersion() + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-SLURM-USER-NAME", props.restUser())
                .header("X-SLURM-USER-TOKEN", props.restToken())
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new IllegalStateException("slurmrestd refused the credentials (" + r.statusCode() + ")");
            }
            return r.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("slurmrestd unreachable at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String submit(SlurmSubmission s) {
        try {
            java.nio.file.Files.createDirectories(java.nio.file.Path.of(s.workdir()));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create " + s.workdir() + ": " + e.getMessage(), e);
        }
        return SlurmRestMapping.jobId(
                call("POST", "/job/submit", SlurmRestMapping.submitBody(s, props.restApiVersion())));
    }

    @Override
    public Status status(String id) {
        return SlurmRestMapping.status(call("GET", "/job/" + id, null));
    }

    @Override
    public void cancel(String id) {
        SlurmRestMapping.errors(call("DELETE", "/job/" + id, null));
    }

    @Override
    public List<SlurmClusters.Partition> partitions() {
        return SlurmRestMapping.partitions(call("GET", "/partitions", null));
    }
}
