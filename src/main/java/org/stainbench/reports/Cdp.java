package org.stainbench.reports;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A minimal Chrome DevTools Protocol client over the browser's loopback WebSocket: commands (optionally in a target's
 * flat session) answered by id, and one-shot waits for an event. Every wait ends at the print's deadline.
 */
final class Cdp implements WebSocket.Listener, AutoCloseable {

    /** The browser answered with an error, went away, or the deadline passed. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Instant deadline;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> events = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private final HttpClient http;
    private WebSocket socket;

    private Cdp(Instant deadline) {
        this.deadline = deadline;
        this.http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    }

    static Cdp connect(URI browser, Instant deadline) throws Failed {
        Cdp c = new Cdp(deadline);
        c.socket = c.await(c.http.newWebSocketBuilder().buildAsync(browser, c), "connecting to Chromium");
        return c;
    }

    /** Sends a command (to the browser when {@code session} is null) and waits for its result. */
    JsonNode call(String session, String method, Map<String, Object> params) throws Failed {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (session != null) {
            msg.put("sessionId", session);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answers.put(id, answer);
        synchronized (this) {
            await(socket.sendText(JSON.writeValueAsString(msg), true), method);
        }
        JsonNode reply = await(answer, method);
        if (reply.has("error")) {
            throw new Failed(method + ": " + reply.get("error").path("message").asString());
        }
        return reply.path("result");
    }

    /** A future for the next event {@code method} of {@code session}: ask for it before causing the event. */
    CompletableFuture<JsonNode> next(String session, String method) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        events.put(session + " " + method, f);
        return f;
    }

    <T> T await(CompletionStage<T> stage, String what) throws Failed {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        try {
            return stage.toCompletableFuture().get(Math.max(1, left), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Failed("timed out (" + what + ")");
        } catch (ExecutionException e) {
            throw new Failed(what + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted (" + what + ")");
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            JsonNode msg = JSON.readTree(text);
            if (msg.has("id")) {
                CompletableFuture<JsonNode> f = answers.remove(msg.get("id").asInt());
                if (f != null) {
                    f.complete(msg);
                }
            } else if (msg.has("method")) {
                String session = msg.has("sessionId") ? msg.get("sessionId").asString() : null;
                CompletableFuture<JsonNode> f =
                        events.remove(session + " " + msg.get("method").asString());
                if (f != null) {
                    f.complete(msg.path("params"));
                }
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
        gone(new IllegalStateException("Chromium closed the connection"));
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        gone(error);
    }

    private void gone(Throwable t) {
        answers.values().forEach(f -> f.completeExceptionally(t));
        events.values().forEach(f -> f.completeExceptionally(t));
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
