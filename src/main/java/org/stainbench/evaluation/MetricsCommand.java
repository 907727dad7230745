package org.stainbench.evaluation;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.stainbench.evaluation.metrics.Features;
import org.stainbench.evaluation.metrics.Fid;
import org.stainbench.evaluation.metrics.Kid;
import org.stainbench.evaluation.metrics.VectorSupport;
import org.stainbench.shell.CliCommand;
import org.stainbench.shell.CliOptions;
import org.stainbench.tiles.Npy;
import org.stainbench.tiles.NpyFormatException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar stainbench.jar metrics --real real.npy --fake fake.npy [--kid-subsets N] [--kid-subset-size M]
 * [--seed S]}: FID and KID between two feature files (N x d, float32 or float64 {@code .npy}) as JSON on
 * standard output, with the same code the evaluation jobs use. Exit code 0 on success, 2 on bad input (with a
 * one-line message on standard error), never a number for bad input.
 */
public class MetricsCommand implements CliCommand {

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public String usage() {
        return "metrics --real real.npy --fake fake.npy [--kid-subsets 100] [--kid-subset-size 1000] [--seed 0]"
                + "   FID and KID of two N x d feature files as JSON";
    }

    @Override
    public int run(String[] args) {
        CliLogging.toStandardError();
        return run(args, System.out, System.err);
    }

    int run(String[] args, PrintStream out, PrintStream err) {
        try {
            CliOptions opts =
                    CliOptions.parse(args, Set.of("--real", "--fake", "--kid-subsets", "--kid-subset-size", "--seed"));
            Path real = Path.of(opts.require("--real"));
            Path fake = Path.of(opts.require("--fake"));
            int subsets = opts.intOption("--kid-subsets", Kid.DEFAULT_SUBSETS);
            int subsetSize = opts.intOption("--kid-subset-size", Kid.DEFAULT_SUBSET_SIZE);
            long seed = opts.longOption("--seed", 0L);
            Kid.Params params = new Kid.Params(subsets, subsetSize, seed);
            Features r = read("real", real);
            Features f = read("fake", fake);
            long t0 = System.nanoTime();
            Fid.Result fid = Fid.compute(r, f);
            long t1 = System.nanoTime();
            Kid.Result kid = Kid.compute(r, f, params);
            long t2 = System.nanoTime();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("fid", fid.value());
            Map<String, Object> kidJson = new LinkedHashMap<>();
            kidJson.put("mean", kid.mean());
            kidJson.put("std", kid.std());
            kidJson.put("std_kind", "population (ddof=0), as torchmetrics");
            kidJson.put("subsets", subsets);
            kidJson.put("subset_size", subsetSize);
            kidJson.put("seed", seed);
            kidJson.put("kernel", "(x.y/d + 1)^3, unbiased MMD^2");
            kidJson.put(
                    "subset_draw",
                    "SplitMix64(seed): per subset, real then fake, first subset_size of a " + "Fisher-Yates shuffle");
            json.put("kid", kidJson);
            json.put("n_real", r.samples());
            json.put("n_fake", f.samples());
            json.put("dim", r.dimension());
            Map<String, Object> parts = new LinkedHashMap<>();
            parts.put("mean_distance_squared", fid.meanDistanceSquared());
            parts.put("trace_real", fid.trace1());
            parts.put("trace_fake", fid.trace2());
            parts.put("trace_sqrt_product", fid.traceSqrtProduct());
            parts.put("rank_real_covariance", fid.rank());
            json.put("fid_parts", parts);
            Map<String, Object> timing = new LinkedHashMap<>();
            timing.put("fid_seconds", (t1 - t0) / 1e9);
            timing.put("kid_seconds", (t2 - t1) / 1e9);
            timing.put("kernels", VectorSupport.describe());
            json.put("timing", timing);
            out.println(JsonMapper.builder()
                    .build()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(json));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("metrics: " + e.getMessage());
            err.println("usage: " + usage());
            return 2;
        } catch (IOException e) {
            err.println("metrics: cannot read features: " + e.getMessage());
            return 2;
        }
    }

    private static Features read(String what, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " features: no such file " + file);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            in.mark(1 << 20);
            Npy.Header h = Npy.readHeader(in);
            if (h.dtype().kind() != Npy.Kind.FLOAT) {
                throw new IllegalArgumentException(what + " features " + file + " have dtype "
                        + h.dtype().descr() + "; expected float32 or float64");
            }
            if (h.shape().length != 2) {
                throw new IllegalArgumentException(
                        what + " features " + file + " have shape " + Npy.shapeText(h.shape()) + "; expected N x d");
            }
            in.reset();
            Npy.Matrix m = Npy.readMatrix(in);
            return Features.adopt(what + " features " + file.getFileName(), m.rows(), m.cols(), m.data());
        } catch (NpyFormatException e) {
            throw new IllegalArgumentException(what + " features " + file + ": " + e.getMessage());
        }
    }
}
