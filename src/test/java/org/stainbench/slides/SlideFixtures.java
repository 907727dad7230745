package org.stainbench.slides;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Test slides: pyramidal JPEG TIFFs built with {@code vips} from the real images in
 * {@code ../shared/data/real/} (resolved against the project directory), and the two real {@code .svs}
 * files there. Outside CI, a missing folder or tool skips the test with a message; under {@code CI=true}
 * it fails.
 */
final class SlideFixtures {

    static final Path REAL = Path.of("..", "shared", "data", "real");

    private SlideFixtures() {}

    static Path real(String name) {
        Path p = REAL.resolve(name);
        require(Files.isRegularFile(p), "real test image " + p.toAbsolutePath() + " is not there");
        return p.toAbsolutePath().normalize();
    }

    static void require(boolean ok, String why) {
        if (!ok && "true".equals(System.getenv("CI"))) {
            Assertions.fail(why);
        }
        Assumptions.assumeTrue(ok, why);
    }

    static void requireTools() {
        require(Files.isExecutable(Path.of("/usr/bin/vips")), "vips is not installed (apt-get install libvips-tools)");
        require(OpenSlide.available(), "OpenSlide is not installed (apt-get install libopenslide0)");
    }

    /**
     * A pyramidal TIFF of a real H&E image placed on a white canvas (so that there is background to mask):
     * {@code vips embed IMG -x -y W H --extend white}, then
     * {@code vips tiffsave --tile --pyramid --compression jpeg --tile-width 256 --tile-height 256}.
     */
    static Path pyramid(Path dir, String image, int x, int y, int w, int h, String name) {
        Path v = dir.resolve(name + ".v");
        Path tif = dir.resolve(name);
        run("vips", "embed", real(image).toString(), v.toString(), x, y, w, h, "--extend", "white");
        run(
                "vips",
                "tiffsave",
                v.toString(),
                tif.toString(),
                "--tile",
                "--pyramid",
                "--compression",
                "jpeg",
                "--tile-width",
                256,
                "--tile-height",
                256);
        return tif;
    }

    static String run(Object... cmd) {
        List<String> c = new ArrayList<>();
        for (Object o : cmd) {
            c.add(o.toString());
        }
        try {
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                Assertions.fail(String.join(" ", c) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            return Assertions.fail("cannot run " + c + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Assertions.fail("interrupted");
        }
    }

    /**
     * The numpy reference ({@code src/test/python/slide_reference.py}) under Debian's {@code /usr/bin/python3},
     * which sees {@code python3-openslide}; the pyenv {@code python3} on PATH does not.
     */
    static String reference(Path slide, int level, int size, int overlap, boolean cast) {
        require(Files.isExecutable(Path.of("/usr/bin/python3")), "Debian's /usr/bin/python3 is not there");
        String check = probe();
        require(
                check.isEmpty(),
                "python3-openslide is not importable by /usr/bin/python3 (apt-get install python3-openslide): "
                        + check);
        return run("/usr/bin/python3", "src/test/python/slide_reference.py", slide, level, size, overlap, cast ? 1 : 0);
    }

    private static String probe() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import openslide, numpy")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? "" : out.trim();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }
}
