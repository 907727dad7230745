import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.stainbench.evaluation.metrics.Features;
import org.stainbench.evaluation.metrics.PatientBootstrap;
import org.stainbench.tiles.Npy;

/**
 * Java side of src/bench/bootstrap.sh: the patient bootstrap of FID (PatientBootstrap.values with
 * PatientBootstrap::fid) on DIR/real.npy and DIR/fake.npy, P patients per side as contiguous blocks of rows.
 * Run with the compiled classes on the class path (single-file source launch):
 *   java --add-modules jdk.incubator.vector -Dstainbench.metrics.threads=T -cp target/classes \
 *        src/bench/BootstrapBench.java DIR B P SEED T
 * Prints JSON: the interval, the first values, and the compute seconds (reading the files excluded).
 */
public class BootstrapBench {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int b = Integer.parseInt(args[1]);
        int patients = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        int threads = Integer.parseInt(args[4]);
        PatientBootstrap.Side real = side(read(dir.resolve("real.npy"), "real"), patients);
        PatientBootstrap.Side fake = side(read(dir.resolve("fake.npy"), "fake"), patients);
        long t0 = System.nanoTime();
        PatientBootstrap.Plan plan = PatientBootstrap.plan(seed, b, patients, patients);
        double[] v = PatientBootstrap.values(real, List.of(fake), plan, PatientBootstrap::fid, threads)[0];
        PatientBootstrap.Interval i = PatientBootstrap.percentile(v, PatientBootstrap.LEVEL);
        double seconds = (System.nanoTime() - t0) / 1e9;
        StringBuilder first = new StringBuilder();
        for (int k = 0; k < Math.min(5, v.length); k++) {
            first.append(k == 0 ? "" : ", ").append(v[k]);
        }
        System.out.println("{\"low\": " + i.low() + ", \"high\": " + i.high() + ", \"resamples\": " + b
                + ", \"first\": [" + first + "], \"seconds\": " + seconds + ", \"threads\": " + threads
                + ", \"n\": " + real.features().samples() + ", \"dim\": " + real.features().dimension() + "}");
    }

    static Features read(Path p, String what) throws Exception {
        try (InputStream in = Files.newInputStream(p)) {
            Npy.Matrix m = Npy.readMatrix(in);
            return Features.of(what, m.rows(), m.cols(), m.data());
        }
    }

    /** P patients as contiguous blocks: row i belongs to patient floor(i P / n). */
    static PatientBootstrap.Side side(Features f, int patients) {
        int n = f.samples();
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            label[i] = (int) ((long) i * patients / n);
        }
        return new PatientBootstrap.Side(f, label, patients);
    }
}
