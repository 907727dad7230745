package org.stainbench.slides;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stainbench.shell.Names;

/** Slide file names as the lab names archives: {@code stain_patientID[_replicate].<ext>}, e.g. {@code he_1811474_3.svs}. */
final class SlideNames {

    private static final Pattern NAME =
            Pattern.compile("([A-Za-z][A-Za-z0-9]*)_([A-Za-z0-9-]+?)(?:_(\\d{1,6}))?\\.[A-Za-z0-9]{2,5}");

    private SlideNames() {}

    record Parsed(String stain, String patient, Integer replicate) {}

    static Parsed parse(String fileName) {
        Matcher m = NAME.matcher(fileName == null ? "" : fileName);
        if (!m.matches()) {
            return new Parsed(null, null, null);
        }
        return new Parsed(
                m.group(1).toLowerCase(Locale.ROOT),
                m.group(2),
                m.group(3) == null ? null : Integer.valueOf(m.group(3)));
    }

    /** The archive name of a tiling: {@code stain_patient[_replicate].npz} when the slide's name parses, else its base name. */
    static String archiveName(String slideName) {
        Parsed p = parse(slideName);
        if (p.stain() != null) {
            return p.stain() + "_" + p.patient() + (p.replicate() == null ? "" : "_" + p.replicate()) + ".npz";
        }
        String base = slideName.contains(".") ? slideName.substring(0, slideName.lastIndexOf('.')) : slideName;
        return base.replaceAll("[^A-Za-z0-9_.-]", "_") + ".npz";
    }

    static String clean(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            throw new IllegalArgumentException("The slide needs a file name.");
        }
        Names.check("The slide's file name", fileName);
        String n = fileName.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).trim();
        if (n.isEmpty() || n.equals("..") || n.equals(".") || n.length() > 255) {
            throw new IllegalArgumentException("'" + fileName + "' is not a usable file name.");
        }
        return n;
    }
}
