package org.stainbench.evaluation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stainbench.evaluation.features.OnnxFeatureExtractor;
import org.stainbench.evaluation.metrics.CropPositions;
import org.stainbench.evaluation.metrics.Features;
import org.stainbench.evaluation.preprocess.Preprocessing;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.shell.Sha256;
import org.stainbench.tiles.Npy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code features --job ID [--server URL] [--batch 16] [--cpu]}: the node side of feature extraction on a node agent
 * (issue 21, {@link NodeFeatures}). Reads the job's work, the extractor's ONNX file (its sha256 checked) and the
 * tiles from the server, computes every view (the full tile, or a crop {@code c<size>@<y>,<x>}) with ONNX Runtime —
 * its CUDA execution provider when CUDA is present (not with {@code --cpu}), else the CPU —, writes
 * {@code features.npy} (float32, one row per view in the work's order) in the working folder and uploads it. The
 * server is {@code --server}, else {@code $STAINBENCH_SERVER}, else {@code $MLFLOW_TRACKING_URI}; the credential is
 * {@code $MLFLOW_TRACKING_TOKEN} (the agent gives each job its own), never an argument. Prints progress lines for the
 * agent and, at the end, JSON with the provider used and the tiles/s.
 */
final class FeaturesJobClient {

    private static final Pattern CROP = Pattern.compile("c(\\d+)@(\\d+),(\\d+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String server;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();

    FeaturesJobClient(String server, String token) {
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.token = token;
    }

    static int run(Map<String, String> o, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        String server = o.getOrDefault("--server", firstSet("STAINBENCH_SERVER", "MLFLOW_TRACKING_URI"));
        String token = System.getenv("MLFLOW_TRACKING_TOKEN");
        if (server == null || server.isBlank()) {
            throw new IllegalArgumentException(
                    "no server: give --server or run under a node agent (STAINBENCH_SERVER)");
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(
                    "no credential: MLFLOW_TRACKING_TOKEN is not set (a node agent sets it per job)");
        }
        long job = Long.parseLong(o.get("--job"));
        int batch = Integer.parseInt(o.getOrDefault("--batch", "16"));
        boolean cpu = o.containsKey("--cpu");
        return new FeaturesJobClient(server, token).run(job, batch, !cpu, Path.of("."), out);
    }

    private static String firstSet(String... names) {
        for (String n : names) {
            String v = System.getenv(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    int run(long job, int batch, boolean preferCuda, Path folder, PrintStream out)
            throws IOException, InterruptedException {
        String base = "/api/evaluations/feature-jobs/" + job;
        JsonNode work = JSON.readTree(
                get(base + "/work", HttpResponse.BodyHandlers.ofString()).body());
        JsonNode x = work.get("extractor");
        Path model = folder.resolve("model.onnx");
        get(base + "/model", HttpResponse.BodyHandlers.ofFile(model));
        String sha = Sha256.of(model);
        if (!sha.equals(x.get("sha256").asString())) {
            throw new IllegalStateException("the model file's sha256 is " + sha + ", the extractor's "
                    + x.get("sha256").asString());
        }
        Preprocessing pre = new Preprocessing(
                x.get("input_height").asInt(),
                x.get("input_width").asInt(),
                ResizeFilter.valueOf(x.get("filter").asString()),
                Double.parseDouble(x.get("scale").asString()),
                Double.parseDouble(x.get("offset").asString()),
                triple(x.get("mean")),
                triple(x.get("std")));
        int dim = x.get("output_dim").asInt();
        long views = work.get("views").asLong();
        int tilesTotal = work.get("tiles").size();
        if (views > Integer.MAX_VALUE / Math.max(1, dim)) {
            throw new IllegalArgumentException("too many features for one job: " + views + " x " + dim);
        }
        float[] rows = new float[(int) (views * dim)];
        long t0 = System.nanoTime();
        Map<String, Object> report = new LinkedHashMap<>();
        try (OnnxFeatureExtractor onnx = new OnnxFeatureExtractor(model, pre, preferCuda);
                InputStream raw = get(base + "/tiles", HttpResponse.BodyHandlers.ofInputStream())
                        .body();
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
            out.println("features: ONNX Runtime on " + onnx.provider() + " (" + onnx.providerNote() + ")");
            report.put("provider", onnx.provider().name());
            report.put("provider_note", onnx.providerNote());
            Map<String, Pending> pending = new LinkedHashMap<>();
            int row = 0;
            int done = 0;
            for (JsonNode t : work.get("tiles")) {
                int h = t.get("height").asInt();
                int w = t.get("width").asInt();
                byte[] rgb = new byte[h * w * 3];
                in.readFully(rgb);
                for (JsonNode v : t.get("views")) {
                    String view = v.asString();
                    byte[] pixels;
                    int ph;
                    int pw;
                    if (Extractors.FULL.equals(view)) {
                        pixels = rgb;
                        ph = h;
                        pw = w;
                    } else {
                        Matcher m = CROP.matcher(view);
                        if (!m.matches()) {
                            throw new IllegalArgumentException("unknown view '" + view + "'");
                        }
                        int size = Integer.parseInt(m.group(1));
                        pixels = CropPositions.cut(
                                rgb,
                                h,
                                w,
                                3,
                                new CropPositions.Crop(
                                        0, 0, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), size));
                        ph = size;
                        pw = size;
                    }
                    Pending p = pending.computeIfAbsent(ph + "x" + pw, k -> new Pending(ph, pw));
                    p.add(row++, pixels);
                    if (p.pixels.size() >= batch) {
                        p.flush(onnx, rows, dim, batch);
                    }
                }
                done++;
                if (done % 64 == 0 || done == tilesTotal) {
                    out.println("##stainbench progress " + done + "/" + tilesTotal + " tiles");
                }
            }
            for (Pending p : pending.values()) {
                p.flush(onnx, rows, dim, batch);
            }
            if (row != views) {
                throw new IllegalStateException("the work lists " + views + " views, the tiles gave " + row);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path npy = folder.resolve("features.npy");
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(npy), 1 << 20)) {
            Npy.writeHeader(o, "<f4", views, dim);
            ByteBuffer b = ByteBuffer.allocate(4 * dim).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < views; r++) {
                b.clear();
                for (int k = 0; k < dim; k++) {
                    b.putFloat(rows[r * dim + k]);
                }
                o.write(b.array());
            }
        }
        HttpResponse<String> put = http.send(
                authorised(base + "/features?work=" + work.get("work").asString() + "&provider="
                                + report.get("provider"))
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofFile(npy))
                        .timeout(Duration.ofMinutes(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 200) {
            throw new IOException("the server refused the features (" + put.statusCode() + "): " + put.body());
        }
        report.put("job", job);
        report.put("evaluation", work.get("evaluation").asLong());
        report.put("tiles", tilesTotal);
        report.put("views", views);
        report.put("seconds", seconds);
        report.put("tiles_per_second", tilesTotal / Math.max(seconds, 1e-9));
        report.put("views_per_second", views / Math.max(seconds, 1e-9));
        report.put("uploaded", JSON.readTree(put.body()));
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        return 0;
    }

    /** Views of one input size waiting for a model call, with their rows in the output. */
    private static final class Pending {
        final int h;
        final int w;
        final List<Integer> rowsOf = new ArrayList<>();
        final List<byte[]> pixels = new ArrayList<>();

        Pending(int h, int w) {
            this.h = h;
            this.w = w;
        }

        void add(int row, byte[] rgb) {
            rowsOf.add(row);
            pixels.add(rgb);
        }

        void flush(OnnxFeatureExtractor onnx, float[] out, int dim, int batch) {
            if (pixels.isEmpty()) {
                return;
            }
            Features f = onnx.extract(pixels, h, w, batch);
            if (f.dimension() != dim) {
                throw new IllegalStateException(
                        "the model gives " + f.dimension() + " features, the extractor declares " + dim);
            }
            for (int i = 0; i < rowsOf.size(); i++) {
                int r = rowsOf.get(i);
                for (int k = 0; k < dim; k++) {
                    out[r * dim + k] = (float) f.get(i, k);
                }
            }
            rowsOf.clear();
            pixels.clear();
        }
    }

    private <T> HttpResponse<T> get(String path, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpResponse<T> r =
                http.send(authorised(path).GET().timeout(Duration.ofMinutes(30)).build(), handler);
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode());
        }
        return r;
    }

    private HttpRequest.Builder authorised(String path) {
        return HttpRequest.newBuilder(URI.create(server + path)).header("Authorization", "Bearer " + token);
    }

    private static double[] triple(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        double[] d = new double[n.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = Double.parseDouble(n.get(i).asString());
        }
        return d;
    }
}
