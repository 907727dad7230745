package org.stainbench.evaluation.metrics;

/**
 * Whether the Java Vector API ({@code jdk.incubator.vector}) is in this JVM: it is when the JVM was started
 * with {@code --add-modules jdk.incubator.vector} (the README's commands and the build's test runs do).
 * Without it the metrics run the scalar kernels and give the same numbers, several times slower.
 * Setting the system property {@code stainbench.vector=false} forces the scalar kernels.
 */
public final class VectorSupport {

    static final boolean AVAILABLE = detect();

    private VectorSupport() {}

    /** True when the SIMD kernels are in use. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** A one-line description of the kernels in use, for logs and benchmark output. */
    public static String describe() {
        return AVAILABLE
                ? "Java Vector API, " + lanes() + " doubles per vector, " + Parallel.threads() + " threads"
                : "scalar Java kernels (start the JVM with --add-modules jdk.incubator.vector for SIMD), "
                        + Parallel.threads() + " threads";
    }

    static int lanes() {
        return VectorKernel.LANES;
    }

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty("stainbench.vector"))) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorKernel.LANES >= 2;
        } catch (LinkageError e) {
            return false;
        }
    }
}
