package org.stainbench.catalog;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.stainbench.shell.CliCommand;
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
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--stored")) {
                o.put("stored", "true");
            } else if (a.startsWith("--") && i + 1 < args.length) {
                o.put(a.substring(2), args[++i]);
            } else {
                System.err.println("unknown argument " + a + "\nusage: " + usage());
                return 2;
            }
        }
        SyntheticTiles.Stain stain = o.getOrDefault("stain", "he").equalsIgnoreCase("ck7") ? SyntheticTiles.Stain.CK7
                : SyntheticTiles.Stain.HE;
        int patients = Integer.parseInt(o.getOrDefault("patients", "3"));
        int replicates = Integer.parseInt(o.getOrDefault("replicates", "1"));
        int tiles = Integer.parseInt(o.getOrDefault("tiles", "20"));
        int size = Integer.parseInt(o.getOrDefault("size", "1024"));
        long seed = Long.parseLong(o.getOrDefault("seed", "1"));
        double blurred = Double.parseDouble(o.getOrDefault("blurred", "0.1"));
        double white = Double.parseDouble(o.getOrDefault("white", "0.1"));
        boolean compressed = !o.containsKey("stored");
        Files.createDirectories(out);
        String prefix = stain == SyntheticTiles.Stain.HE ? "he" : "ihc";
        for (int p = 0; p < patients; p++) {
            for (int r = 1; r <= replicates; r++) {
                long s = seed * 1_000_000L + p * 100L + r;
                Path file = out.resolve(String.format(Locale.ROOT, "%s_%d_%d.npz", prefix, 1_000_000 + seed * 1000 + p, r));
                try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                    if (o.containsKey("plain")) {
                        SyntheticTiles.writePlainArchive(os, o.get("plain"), stain, tiles, size, s, blurred, white, compressed);
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
