package org.stainbench.catalog;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.stainbench.shell.CliCommand;
import org.stainbench.shell.CliOptions;
import org.stainbench.tiles.SyntheticTiles;

/**
 * {@code java -jar stainbench.jar synth OUTDIR [options]}: writes synthetic archives in the lab's format,
 * named {@code stain_patientID_replicate.npz}.
 */
public class SynthCommand implements CliCommand {

    @Override
    public String name() {
        return "synth";
    }

    @Override
    public String usage() {
        return "synth OUTDIR [--stain he|ck7] [--patients 3] [--replicates 1] [--tiles 20] [--size 1024] [--seed 1] "
                + "[--blurred 0.1] [--white 0.1] [--stored] [--plain KEY]";
    }

    @Override
    public int run(String[] args) throws Exception {
        if (args.length < 1 || args[0].startsWith("--")) {
            System.err.println("usage: " + usage());
            return 2;
        }
        Path out = Path.of(args[0]);
        CliOptions o;
        try {
            o = CliOptions.parse(
                    args,
                    1,
                    List.of(
                            "--stain",
                            "--patients",
                            "--replicates",
                            "--tiles",
                            "--size",
                            "--seed",
                            "--blurred",
                            "--white",
                            "--plain"),
                    List.of("--stored"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\nusage: " + usage());
            return 2;
        }
        SyntheticTiles.Stain stain =
                o.get("--stain", "he").equalsIgnoreCase("ck7") ? SyntheticTiles.Stain.CK7 : SyntheticTiles.Stain.HE;
        int patients = o.intOption("--patients", 3);
        int replicates = o.intOption("--replicates", 1);
        int tiles = o.intOption("--tiles", 20);
        int size = o.intOption("--size", 1024);
        long seed = o.longOption("--seed", 1);
        double blurred = o.doubleOption("--blurred", 0.1);
        double white = o.doubleOption("--white", 0.1);
        boolean compressed = !o.has("--stored");
        Files.createDirectories(out);
        String prefix = stain == SyntheticTiles.Stain.HE ? "he" : "ihc";
        for (int p = 0; p < patients; p++) {
            for (int r = 1; r <= replicates; r++) {
                long s = seed * 1_000_000L + p * 100L + r;
                Path file =
                        out.resolve(String.format(Locale.ROOT, "%s_%d_%d.npz", prefix, 1_000_000 + seed * 1000 + p, r));
                try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                    if (o.has("--plain")) {
                        SyntheticTiles.writePlainArchive(
                                os, o.get("--plain", null), stain, tiles, size, s, blurred, white, compressed);
                    } else {
                        SyntheticTiles.writeLabArchive(os, stain, tiles, size, s, blurred, white, compressed);
                    }
                }
                System.out.println(file + " (" + Files.size(file) + " bytes)");
            }
        }
        return 0;
    }
}
