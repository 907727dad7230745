package org.stainbench.evaluation;

/** Sends library logging of a jar sub-command to standard error (see {@code logback-cli.xml}). */
final class CliLogging {

    private CliLogging() {}

    /** Call before any logger is created; has no effect when a logback configuration was already chosen. */
    static void toStandardError() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-cli.xml");
        }
    }
}
