package org.stainbench.slides;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stainbench.tiles.RgbTile;

/**
 * A whole-slide image opened with OpenSlide (C library {@code libopenslide0}, bound with JNA). Reading is
 * thread-safe: OpenSlide handles may be shared by threads for {@code read_region}. Close once.
 *
 * <p>Pixels: OpenSlide returns premultiplied ARGB. Each pixel is composited over white
 * ({@code c + 255 - a} on the premultiplied value), which leaves opaque pixels unchanged and turns fully
 * transparent pixels (outside the scanned area) white, as OpenSlide's Python {@code DeepZoomGenerator}
 * does with its default white background.
 */
final class OpenSlide implements AutoCloseable {

    /** The few functions of openslide.h (3.4) that Stainbench uses. */
    interface Lib extends Library {
        Pointer openslide_open(String filename);

        String openslide_detect_vendor(String filename);

        String openslide_get_error(Pointer osr);

        int openslide_get_level_count(Pointer osr);

        void openslide_get_level_dimensions(Pointer osr, int level, long[] w, long[] h);

        double openslide_get_level_downsample(Pointer osr, int level);

        void openslide_read_region(Pointer osr, Pointer dest, long x, long y, int level, long w, long h);

        Pointer openslide_get_property_names(Pointer osr);

        String openslide_get_property_value(Pointer osr, String name);

        Pointer openslide_get_associated_image_names(Pointer osr);

        void openslide_get_associated_image_dimensions(Pointer osr, String name, long[] w, long[] h);

        void openslide_read_associated_image(Pointer osr, String name, Pointer dest);

        String openslide_get_version();

        void openslide_close(Pointer osr);
    }

    private static volatile Lib lib;
    private static volatile String loadError;

    /** Debian ships only the versioned name ({@code libopenslide.so.0}) without the -dev package. */
    static Lib lib() {
        Lib l = lib;
        if (l != null) {
            return l;
        }
        synchronized (OpenSlide.class) {
            if (lib == null && loadError == null) {
                List<String> tried = new ArrayList<>();
                for (String name : List.of("openslide", "libopenslide.so.0", "libopenslide.so.1")) {
                    try {
                        lib = Native.load(name, Lib.class);
                        break;
                    } catch (UnsatisfiedLinkError e) {
                        tried.add(name);
                    }
                }
                if (lib == null) {
                    loadError = "OpenSlide is not installed on the server (tried " + tried
                            + "; on Debian: apt-get install libopenslide0).";
                }
            }
            if (lib == null) {
                throw new IllegalStateException(loadError);
            }
            return lib;
        }
    }

    /** Whether the library can be loaded here. */
    static boolean available() {
        try {
            lib();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    static String version() {
        return lib().openslide_get_version();
    }

    record Level(long width, long height, double downsample) {}

    private final Lib l;
    private final String name;
    private Pointer osr;
    private final String vendor;
    private final List<Level> levels;
    private final Map<String, String> properties;

    private OpenSlide(Lib l, Pointer osr, String name, String vendor) {
        this.l = l;
        this.osr = osr;
        this.name = name;
        this.vendor = vendor;
        int n = l.openslide_get_level_count(osr);
        List<Level> lv = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long[] w = new long[1];
            long[] h = new long[1];
            l.openslide_get_level_dimensions(osr, i, w, h);
            lv.add(new Level(w[0], h[0], l.openslide_get_level_downsample(osr, i)));
        }
        this.levels = List.copyOf(lv);
        Map<String, String> props = new LinkedHashMap<>();
        for (String key : strings(l.openslide_get_property_names(osr))) {
            props.put(key, l.openslide_get_property_value(osr, key));
        }
        this.properties = Collections.unmodifiableMap(props);
        failOnError("read the slide's metadata");
    }

    /**
     * Opens a slide. A file OpenSlide does not recognise, or one it recognises but cannot read (corrupt),
     * gives an {@link IllegalArgumentException} whose message says which.
     */
    static OpenSlide open(Path file) {
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No slide file at '" + file + "'.");
        }
        Lib l = lib();
        String path = file.toAbsolutePath().toString();
        String vendor = l.openslide_detect_vendor(path);
        Pointer osr = l.openslide_open(path);
        if (osr == null) {
            throw new IllegalArgumentException("'" + name + "' is not a slide format OpenSlide can read"
                    + " (Aperio .svs, Hamamatsu, Leica .scn, MIRAX .mrxs, Philips TIFF, Sakura, Trestle, Ventana,"
                    + " generic tiled TIFF).");
        }
        String error = l.openslide_get_error(osr);
        if (error != null) {
            l.openslide_close(osr);
            throw new IllegalArgumentException(
                    "OpenSlide cannot read '" + name + "' (" + (vendor == null ? "unknown format" : vendor) + "): "
                            + error + ". The file may be damaged or incomplete.");
        }
        try {
            return new OpenSlide(l, osr, name, vendor);
        } catch (IllegalArgumentException e) {
            l.openslide_close(osr);
            throw e;
        }
    }

    String vendor() {
        return vendor;
    }

    List<Level> levels() {
        return levels;
    }

    Level level(int i) {
        if (i < 0 || i >= levels.size()) {
            throw new IllegalArgumentException(
                    "'" + name + "' has levels 0–" + (levels.size() - 1) + ", not " + i + ".");
        }
        return levels.get(i);
    }

    long width() {
        return levels.get(0).width();
    }

    long height() {
        return levels.get(0).height();
    }

    Map<String, String> properties() {
        return properties;
    }

    Double doubleProperty(String key) {
        String v = properties.get(key);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    Double mppX() {
        return doubleProperty("openslide.mpp-x");
    }

    Double mppY() {
        return doubleProperty("openslide.mpp-y");
    }

    Double objectivePower() {
        return doubleProperty("openslide.objective-power");
    }

    /**
     * Reads {@code w x h} pixels of {@code level} whose top-left corner is ({@code x}, {@code y}) in level-0
     * coordinates, as RGB composited over white.
     */
    RgbTile readRegion(long x, long y, int level, int w, int h) {
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("region of " + w + " x " + h);
        }
        long n = (long) w * h;
        try (Memory buf = new Memory(n * 4)) {
            l.openslide_read_region(handle(), buf, x, y, level, w, h);
            failOnError("read a region");
            return new RgbTile(w, h, argbToRgb(buf, (int) n));
        }
    }

    List<String> associatedImages() {
        return strings(l.openslide_get_associated_image_names(handle()));
    }

    RgbTile associatedImage(String imageName) {
        long[] w = new long[1];
        long[] h = new long[1];
        l.openslide_get_associated_image_dimensions(handle(), imageName, w, h);
        if (w[0] <= 0 || h[0] <= 0) {
            throw new IllegalArgumentException("'" + name + "' has no associated image '" + imageName + "'.");
        }
        long n = w[0] * h[0];
        try (Memory buf = new Memory(n * 4)) {
            l.openslide_read_associated_image(handle(), imageName, buf);
            failOnError("read associated image " + imageName);
            return new RgbTile((int) w[0], (int) h[0], argbToRgb(buf, (int) n));
        }
    }

    /** Native-endian uint32 ARGB (premultiplied; little-endian bytes B, G, R, A) to RGB over white. */
    private static byte[] argbToRgb(Memory buf, int n) {
        int[] px = buf.getIntArray(0, n);
        byte[] rgb = new byte[n * 3];
        for (int i = 0, o = 0; i < n; i++, o += 3) {
            int p = px[i];
            int a = p >>> 24;
            int bg = 255 - a;
            rgb[o] = (byte) (((p >>> 16) & 0xff) + bg);
            rgb[o + 1] = (byte) (((p >>> 8) & 0xff) + bg);
            rgb[o + 2] = (byte) ((p & 0xff) + bg);
        }
        return rgb;
    }

    private Pointer handle() {
        Pointer p = osr;
        if (p == null) {
            throw new IllegalStateException("'" + name + "' is closed");
        }
        return p;
    }

    private void failOnError(String what) {
        String error = l.openslide_get_error(handle());
        if (error != null) {
            throw new IllegalArgumentException(
                    "OpenSlide could not " + what + " of '" + name + "': " + error + ". The file may be damaged.");
        }
    }

    private static List<String> strings(Pointer array) {
        if (array == null) {
            return List.of();
        }
        return List.of(array.getStringArray(0));
    }

    @Override
    public synchronized void close() {
        if (osr != null) {
            l.openslide_close(osr);
            osr = null;
        }
    }
}
