package org.stainbench.review;

/**
 * A session's study design controls (issue 17 item 4): whether raters may go back to earlier items
 * ({@code allowBack}) and change an answer ({@code allowChange}); per-rater subsets ({@code itemsPerRater} items
 * each, {@code overlap} of them common to every rater, see {@link RaterAssignment}; {@code null}: every item); the
 * number of practice items shown before the study ({@link Practice}).
 */
record StudyDesign(boolean allowBack, boolean allowChange, Integer itemsPerRater, int overlap, int practiceCount) {

    static final StudyDesign DEFAULT = new StudyDesign(true, true, null, 0, 0);
    static final int MAX_PRACTICE = 20;

    /** The navigation choices of the form. */
    enum Navigation {
        FREE("Raters may go back and change their answers", true, true),
        LOOK_BACK("Raters may go back to look, but an answer is final", true, false),
        FORWARD("Strictly in order: no going back, an answer is final", false, false);

        private final String title;
        private final boolean back;
        private final boolean change;

        Navigation(String title, boolean back, boolean change) {
            this.title = title;
            this.back = back;
            this.change = change;
        }

        public String title() {
            return title;
        }

        static Navigation parse(String v) {
            if (v == null || v.isBlank()) {
                return FREE;
            }
            try {
                return valueOf(v.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Navigation is one of FREE, LOOK_BACK or FORWARD, not '" + v + "'.");
            }
        }
    }

    static StudyDesign of(Navigation nav, Integer itemsPerRater, Integer overlap, Integer practiceCount) {
        return new StudyDesign(
                nav.back,
                nav.change,
                itemsPerRater == null || itemsPerRater == 0 ? null : itemsPerRater,
                overlap == null ? 0 : overlap,
                practiceCount == null ? 0 : practiceCount);
    }

    public Navigation navigation() {
        return allowChange ? Navigation.FREE : allowBack ? Navigation.LOOK_BACK : Navigation.FORWARD;
    }

    public boolean subsets() {
        return itemsPerRater != null;
    }
}
