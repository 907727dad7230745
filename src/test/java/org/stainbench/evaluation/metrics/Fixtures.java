package org.stainbench.evaluation.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.stainbench.tiles.Npy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The reference fixtures written by {@code src/test/python/metrics_reference.py}. */
final class Fixtures {

    private Fixtures() {}

    static JsonNode expected() {
        try (InputStream in = open("expected.json")) {
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Features features(String name) {
        try (InputStream in = open(name)) {
            Npy.Matrix m = Npy.readMatrix(in);
            return Features.of(name, m.rows(), m.cols(), m.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A uint8 array of any shape: its shape and bytes. */
    record Bytes(long[] shape, byte[] data) {}

    static Bytes uint8(String name) {
        try (InputStream in = open(name)) {
            Npy.Header h = Npy.readHeader(in);
            if (!h.dtype().isUint8()) {
                throw new IllegalStateException(name + " is not uint8");
            }
            return new Bytes(h.shape(), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = Fixtures.class.getResourceAsStream("/metrics/" + name);
        if (in == null) {
            throw new IllegalStateException(
                    "missing fixture /metrics/" + name + "; run python3 src/test/python/metrics_reference.py");
        }
        return in;
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
