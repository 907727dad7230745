package org.stainbench.evaluation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stainbench.evaluation.features.OnnxFeatureExtractor;
import org.stainbench.evaluation.features.StandardExtractors;
import org.stainbench.evaluation.metrics.Features;
import org.stainbench.evaluation.preprocess.Preprocessing;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.shell.CliCommand;
import org.stainbench.shell.CliOptions;
import org.stainbench.tiles.Npy;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar stainbench.jar features --model m.onnx --tiles tiles.npy [--out features.npy]
 * [--size 299] [--resize tf1-bilinear|bilinear-antialias|pil-bicubic|none] [--scale S --offset O]
 * [--mean a,b,c --std a,b,c] [--batch 16 | --batch 1,8,16,32]}: runs an ONNX extractor (DJL + ONNX Runtime,
 * offline) on N x H x W x 3 uint8 tiles and writes N x d float32 features; prints JSON with the model's sha256,
 * the preprocessing and tiles/s for each batch size (several sizes: a throughput benchmark, features from the
 * last). Defaults are torch-fidelity's Inception input: 299, TF1 bilinear, (v - 128) / 128.
 * <p>
 * {@code features --job ID}: run by a node agent for a features job of an evaluation ({@link FeaturesJobClient}).
 */
public class FeaturesCommand implements CliCommand {

    @Override
    public String name() {
        return "features";
    }

    @Override
    public String usage() {
        return "features --model m.onnx --tiles tiles.npy [--out f.npy] [--size 299] [--resize tf1-bilinear]"
                + " [--scale 0.0078125 --offset -1] [--mean a,b,c --std a,b,c] [--batch 16|1,8,32]"
                + " | features --job ID [--server URL] [--batch 16] [--cpu]";
    }

    @Override
    public int run(String[] args) {
        CliLogging.toStandardError();
        return run(args, System.out, System.err);
    }

    int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (List.of(args).contains("--job")) {
                Map<String, String> o = new LinkedHashMap<>();
                List<String> rest = new ArrayList<>(List.of(args));
                if (rest.remove("--cpu")) {
                    o.put("--cpu", "true");
                }
                args = rest.toArray(new String[0]);
                for (int i = 0; i < args.length; i++) {
                    if (!args[i].startsWith("--") || i + 1 >= args.length) {
                        throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
                    }
                    o.put(args[i], args[++i]);
                }
                if (o.containsKey("--job")) {
                    // on a node agent: the server's work for this features job (issue 21)
                    for (String k : o.keySet()) {
                        if (!List.of("--job", "--server", "--batch", "--cpu").contains(k)) {
                            throw new IllegalArgumentException("unknown option " + k + " with --job");
                        }
                    }
                    return FeaturesJobClient.run(o, out, err);
                }
            }
            CliOptions o = CliOptions.parse(
                    args,
                    List.of(
                            "--model",
                            "--tiles",
                            "--out",
                            "--size",
                            "--resize",
                            "--scale",
                            "--offset",
                            "--mean",
                            "--std",
                            "--batch"));
            Path model = Path.of(o.require("--model"));
            Path tilesFile = Path.of(o.require("--tiles"));
            int size = Integer.parseInt(o.get("--size", "299"));
            ResizeFilter filter = filter(o.get("--resize", "tf1-bilinear"));
            double scale = Double.parseDouble(o.get("--scale", Double.toString(1.0 / 128)));
            double offset = Double.parseDouble(o.get("--offset", "-1"));
            Preprocessing pre = new Preprocessing(
                    size, size, filter, scale, offset, triple(o.get("--mean", null)), triple(o.get("--std", null)));
            List<Integer> batches = new ArrayList<>();
            for (String b : o.get("--batch", "16").split(",")) {
                batches.add(Integer.parseInt(b.trim()));
            }
            Tiles tiles = readTiles(tilesFile);
            Map<String, Object> json = new LinkedHashMap<>();
            Features features = null;
            try (OnnxFeatureExtractor x = new OnnxFeatureExtractor(model, pre)) {
                json.put("model", model.toString());
                json.put("sha256", x.sha256());
                json.put(
                        "recognised_as",
                        StandardExtractors.recognise(x.sha256()).orElse(null));
                json.put("preprocessing", pre.describe());
                json.put("tiles", tiles.list().size());
                json.put("tile_size", tiles.h() + "x" + tiles.w());
                List<Map<String, Object>> runs = new ArrayList<>();
                for (int batch : batches) {
                    x.extract(
                            tiles.list().subList(0, Math.min(batch, tiles.list().size())), tiles.h(), tiles.w(), batch);
                    long t0 = System.nanoTime();
                    features = x.extract(tiles.list(), tiles.h(), tiles.w(), batch);
                    double s = (System.nanoTime() - t0) / 1e9;
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("batch", batch);
                    r.put("seconds", s);
                    r.put("tiles_per_second", tiles.list().size() / s);
                    runs.add(r);
                }
                json.put("runs", runs);
            }
            json.put("dim", features.dimension());
            if (o.has("--out")) {
                writeFloat32(Path.of(o.get("--out", null)), features);
                json.put("out", o.get("--out", null));
            }
            out.println(JsonMapper.builder()
                    .build()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(json));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("features: " + e.getMessage());
            err.println("usage: " + usage());
            return 2;
        } catch (IOException | IllegalStateException e) {
            err.println("features: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("features: interrupted");
            return 2;
        }
    }

    record Tiles(List<byte[]> list, int h, int w) {}

    static Tiles readTiles(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            Npy.Header h = Npy.readHeader(in);
            long[] s = h.shape();
            if (!h.dtype().isUint8() || s.length != 4 || s[3] != 3) {
                throw new IllegalArgumentException("tiles " + file + " must be an N x H x W x 3 uint8 array, found "
                        + h.dtype().descr() + " " + Npy.shapeText(s));
            }
            int n = (int) s[0];
            int th = (int) s[1];
            int tw = (int) s[2];
            List<byte[]> list = new ArrayList<>(n);
            DataInputStream d = new DataInputStream(in);
            for (int i = 0; i < n; i++) {
                byte[] t = new byte[th * tw * 3];
                d.readFully(t);
                list.add(t);
            }
            return new Tiles(list, th, tw);
        }
    }

    static void writeFloat32(Path file, Features f) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            Npy.writeHeader(out, "<f4", f.samples(), f.dimension());
            ByteBuffer bb = ByteBuffer.allocate(4 * f.dimension()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < f.samples(); i++) {
                bb.clear();
                for (int k = 0; k < f.dimension(); k++) {
                    bb.putFloat((float) f.get(i, k));
                }
                out.write(bb.array());
            }
        }
    }

    private static ResizeFilter filter(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "none" -> ResizeFilter.NONE;
            case "tf1-bilinear" -> ResizeFilter.TF1_BILINEAR;
            case "bilinear-antialias" -> ResizeFilter.BILINEAR_ANTIALIAS;
            case "pil-bicubic" -> ResizeFilter.PIL_BICUBIC;
            default -> throw new IllegalArgumentException(
                    "unknown resize filter '" + s + "' (none, tf1-bilinear, bilinear-antialias, pil-bicubic)");
        };
    }

    private static double[] triple(String s) {
        if (s == null) {
            return null;
        }
        String[] p = s.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("expected three comma-separated values, got '" + s + "'");
        }
        return new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2])};
    }
}
