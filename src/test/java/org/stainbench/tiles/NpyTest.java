package org.stainbench.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stainbench.support.Python;
import tools.jackson.databind.json.JsonMapper;

/** The .npy codec against files written by numpy ({@code src/test/python/npy_fixtures.py}). */
class NpyTest {

    /** float32 values are widened exactly; everything else round-trips bit for bit. */
    private static final double EXACT = 0.0;

    @TempDir
    static Path dir;

    static Map<String, Map<String, List<Number>>> expected;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void writeFixtures() throws Exception {
        Python.run("npy_fixtures.py", dir);
        expected = JsonMapper.builder()
                .build()
                .readValue(dir.resolve("expected.json").toFile(), Map.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4_v1", "f8_v2", "f8_v3", "i2_big_endian", "u1", "fortran", "one_d"})
    void readsWhatNumpyWrote(String name) throws Exception {
        Npy.Matrix m;
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".npy"))) {
            m = Npy.readMatrix(in);
        }
        List<Number> shape = expected.get(name).get("shape");
        assertThat(m.rows()).isEqualTo(shape.get(0).intValue());
        assertThat(m.cols()).isEqualTo(shape.size() == 2 ? shape.get(1).intValue() : 1);
        List<Number> values = expected.get(name).get("values");
        for (int i = 0; i < values.size(); i++) {
            assertThat(m.data()[i])
                    .as("%s[%d]", name, i)
                    .isCloseTo(values.get(i).doubleValue(), org.assertj.core.data.Offset.offset(EXACT));
        }
    }

    @Test
    void headerOfAVersion3FileIsParsed() throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve("f8_v3.npy"))) {
            Npy.Header h = Npy.readHeader(in);
            assertThat(h.major()).isEqualTo(3);
            assertThat(h.dtype().descr()).isEqualTo("<f8");
            assertThat(h.shape()).containsExactly(3, 2);
            assertThat(h.headerBytes() % 64).isZero();
        }
    }

    @Test
    void writtenMatricesReadBackAndNumpyAgrees() throws Exception {
        Npy.Matrix m = new Npy.Matrix(2, 3, new double[] {1, 2, 3, 4.5, -5, 6e-7});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.writeMatrix(out, m);
        Npy.Matrix back = Npy.readMatrix(new ByteArrayInputStream(out.toByteArray()));
        assertThat(back.data()).containsExactly(m.data());
        Path file = dir.resolve("java_written.npy");
        Files.write(file, out.toByteArray());
        // numpy itself must accept the file: np.load(file).sum() == 1+2+3+4.5-5+6e-7
        String sum = Python.run("npy_sum.py", file).trim();
        assertThat(Double.parseDouble(sum)).isEqualTo(1 + 2 + 3 + 4.5 - 5 + 6e-7);
    }

    @Test
    void badInputGetsAClearMessage() {
        assertThatThrownBy(() -> Npy.readMatrix(new ByteArrayInputStream("PK\3\4 not npy".getBytes())))
                .isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("wrong magic");
        byte[] complex = header("{'descr': '<c16', 'fortran_order': False, 'shape': (2, 2), }");
        assertThatThrownBy(() -> Npy.readMatrix(new ByteArrayInputStream(complex)))
                .hasMessageContaining("unsupported dtype '<c16'");
        byte[] truncated = header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }");
        assertThatThrownBy(() -> Npy.readMatrix(new ByteArrayInputStream(truncated)))
                .hasMessageContaining("truncated array data");
        byte[] threeD = header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 2), }");
        assertThatThrownBy(() -> Npy.readMatrix(new ByteArrayInputStream(threeD)))
                .hasMessageContaining("expected a 2-D array");
    }

    private static byte[] header(String dict) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            String text = dict + "\n";
            b.write(text.length());
            b.write(0);
            b.write(text.getBytes());
            return b.toByteArray();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
