package org.stainbench.catalog;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stainbench.shell.Names;

/**
 * The lab's file names: {@code stain_patientID[_replicate].npz}, e.g. {@code he_1811474_3.npz}, {@code ck7_5555555.npz}.
 * A name follows the convention only when its stain part is a stain code and its patient part looks like a patient ID:
 * <ul>
 * <li>stain: {@code he} (H&amp;E), {@code ihc} (any IHC), or a marker code, i.e. letters followed by a digit and
 *     letters/digits ({@code ck7}, {@code ki67}, {@code her2}, {@code pdl1}); a dataset's own marker also counts
 *     (so {@code er_1234.npz} in an ER dataset);</li>
 * <li>patient: letters, digits and '-', with at least one digit ({@code 1811474}, {@code p-17});</li>
 * <li>replicate: an optional trailing number of up to 6 digits.</li>
 * </ul>
 * Anything else ({@code plain_tiles.npz}, {@code scan 7.npz}, {@code tiles.npz}) leaves stain, patient and replicate blank.
 */
final class ArchiveNames {

    private static final Pattern NAME =
            Pattern.compile("([A-Za-z][A-Za-z0-9]*)_([A-Za-z0-9-]+?)(?:_(\\d{1,6}))?\\.npz", Pattern.CASE_INSENSITIVE);
    private static final Pattern MARKER_CODE = Pattern.compile("[a-z]+[0-9][a-z0-9]*");
    private static final Pattern PATIENT = Pattern.compile("[A-Za-z0-9-]*[0-9][A-Za-z0-9-]*");

    private ArchiveNames() {}

    record Parsed(String stain, String patient, Integer replicate) {

        static final Parsed NONE = new Parsed(null, null, null);
    }

    /** Stain, patient and replicate; all null for names that do not follow the convention. */
    static Parsed parse(String fileName) {
        return parse(fileName, null);
    }

    /** As {@link #parse(String)}, also taking {@code marker} (a dataset's marker, e.g. "ER") as a stain code. */
    static Parsed parse(String fileName, String marker) {
        Matcher m = NAME.matcher(fileName == null ? "" : fileName);
        if (!m.matches()) {
            return Parsed.NONE;
        }
        String stain = m.group(1).toLowerCase(Locale.ROOT);
        boolean stainCode = stain.equals("he")
                || stain.equals("ihc")
                || MARKER_CODE.matcher(stain).matches()
                || (marker != null && stain.equals(marker.trim().toLowerCase(Locale.ROOT)));
        if (!stainCode || !PATIENT.matcher(m.group(2)).matches()) {
            return Parsed.NONE;
        }
        return new Parsed(stain, m.group(2), m.group(3) == null ? null : Integer.valueOf(m.group(3)));
    }

    /**
     * Why an archive named with stain code {@code stain} does not belong in the dataset, or null when it does (or the
     * name carries no stain): {@code he} only in H&amp;E datasets; {@code ihc} or the dataset's marker only in IHC ones.
     */
    static String stainMismatch(String fileName, String stain, Dataset d) {
        if (stain == null) {
            return null;
        }
        String marker = d.marker() == null ? null : d.marker().trim().toLowerCase(Locale.ROOT);
        boolean fits = d.stain() == Stain.HE ? stain.equals("he") : stain.equals("ihc") || stain.equals(marker);
        if (fits) {
            return null;
        }
        String named = stain.equals("he")
                ? "H&E"
                : stain.equals("ihc") ? "IHC" : "IHC (" + stain.toUpperCase(Locale.ROOT) + ")";
        return "'" + fileName + "' is named as an " + named + " archive (stain code '"
                + stain + "'), but dataset '" + d.name() + "' is " + d.stainText()
                + ". Register it in a dataset of its stain, or rename it if the name is wrong.";
    }

    /** A plain file name (no folders), or an explanation why it is not acceptable. */
    static String clean(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            throw new IllegalArgumentException("The archive needs a file name.");
        }
        Names.check("The archive's file name", fileName);
        String n = fileName.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).trim();
        if (n.isEmpty() || n.equals("..") || n.length() > 255) {
            throw new IllegalArgumentException("'" + fileName + "' is not a usable file name.");
        }
        return n;
    }
}
