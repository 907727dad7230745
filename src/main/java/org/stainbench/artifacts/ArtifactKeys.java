package org.stainbench.artifacts;

/** Rules of artifact keys, the same for both stores. */
public final class ArtifactKeys {

    /** Longest key (S3 allows 1024 bytes; the prefix of the bucket's keys needs room too). */
    public static final int MAX_KEY_BYTES = 900;

    private ArtifactKeys() {}

    /**
     * A key is relative, {@code /}-separated, without empty, {@code .} or {@code ..} parts, without backslashes or
     * control characters, at most {@link #MAX_KEY_BYTES} bytes of UTF-8. Returns the key; throws
     * {@link IllegalArgumentException} naming what is wrong.
     */
    public static String check(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("An artifact key must not be empty.");
        }
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("An artifact key is at most " + MAX_KEY_BYTES + " bytes long.");
        }
        if (key.startsWith("/") || key.endsWith("/") || key.contains("\\")) {
            throw new IllegalArgumentException(
                    "An artifact key is a relative path without backslashes: '" + key + "'.");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new IllegalArgumentException("An artifact key must not contain control characters.");
            }
        }
        for (String part : key.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("An artifact key has an empty, '.' or '..' part: '" + key + "'.");
            }
        }
        return key;
    }

    /** A prefix for {@link ArtifactStore#list}: empty, or a key-like string that may end with {@code /}. */
    public static String checkPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }

    /** Joins parts with {@code /}. */
    public static String join(String... parts) {
        return String.join("/", parts);
    }
}
