package org.stainbench.catalog;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lab's file names: {@code stain_patientID[_replicate].npz}, e.g. {@code he_1811474_3.npz}. */
final class ArchiveNames {

    private static final Pattern NAME = Pattern.compile("([A-Za-z][A-Za-z0-9]*)_([A-Za-z0-9-]+?)(?:_(\\d{1,6}))?\\.npz",
            Pattern.CASE_INSENSITIVE);

    private ArchiveNames() {
    }

    record Parsed(String stain, String patient, Integer replicate) {
    }

    /** Stain, patient and replicate; all null for names that do not follow the pattern. */
    static Parsed parse(String fileName) {
        Matcher m = NAME.matcher(fileName == null ? "" : fileName);
        if (!m.matches()) {
            return new Parsed(null, null, null);
        }
        return new Parsed(m.group(1).toLowerCase(Locale.ROOT), m.group(2),
                m.group(3) == null ? null : Integer.valueOf(m.group(3)));
    }

    /** A plain file name (no folders), or an explanation why it is not acceptable. */
    static String clean(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            throw new IllegalArgumentException("The archive needs a file name.");
        }
        org.stainbench.shell.Names.check("The archive's file name", fileName);
        String n = fileName.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).trim();
        if (n.isEmpty() || n.equals("..") || n.length() > 255) {
            throw new IllegalArgumentException("'" + fileName + "' is not a usable file name.");
        }
        return n;
    }
}
