package org.stainbench.jobs.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;

/** The agent's HTTP calls (java.net.http + Jackson): JSON in and out, the machine token on every call. */
final class AgentHttp {

    /** The server answered that this attempt no longer holds the job. */
    static final class Stale extends Exception {
        Stale(String message) {
            super(message);
        }
    }

    /** The server (or a proxy in front of it) refused a call with a 4xx other than 409. */
    static final class Refused extends IllegalStateException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }

        /** Answers a restarting server or a proxy may give for a while: worth retrying with the same data. */
        boolean transientStatus() {
            return status == 401 || status == 403 || status == 404 || status == 408 || status == 425;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String server;
    private final String token;

    AgentHttp(String server, String token) {
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.token = token;
    }

    String server() {
        return server;
    }

    /** POSTs JSON; returns the body parsed as {@code type} (null for 204). IOException for transport and 5xx. */
    <T> T post(String path, Object body, Class<T> type, Duration timeout)
            throws IOException, InterruptedException, Stale {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        return handle(client.send(request, HttpResponse.BodyHandlers.ofString()), type);
    }

    void put(String path, Path file, String node, String attemptToken) throws IOException, InterruptedException, Stale {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + path))
                .timeout(Duration.ofMinutes(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .header("X-Stainbench-Node", node)
                .header("X-Stainbench-Attempt", attemptToken)
                .PUT(HttpRequest.BodyPublishers.ofFile(file))
                .build();
        handle(client.send(request, HttpResponse.BodyHandlers.ofString()), Void.class);
    }

    private static <T> T handle(HttpResponse<String> response, Class<T> type) throws IOException, Stale {
        int status = response.statusCode();
        if (status == 409) {
            throw new Stale(response.body());
        }
        if (status >= 500 || status == 429) {
            throw new IOException("server answered " + status);
        }
        if (status >= 400) {
            throw new Refused(status, "server refused (" + status + "): " + response.body());
        }
        if (status == 204 || type == Void.class || response.body().isEmpty()) {
            return null;
        }
        return JSON.readValue(response.body(), type);
    }
}
