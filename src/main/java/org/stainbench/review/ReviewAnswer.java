package org.stainbench.review;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A rater's answer to one showing of an item ({@code repeatNo} 0 first, 1 the consistency repeat). {@code realLeft}
 * (2AFC): the side the real tile was on in the showing answered, since a repeat draws its sides again; null in the
 * other modes and for answers saved before it was recorded (then the item's side applies).
 */
record ReviewAnswer(
        long id,
        long sessionId,
        long itemId,
        String rater,
        int repeatNo,
        String choice,
        Integer confidence,
        String scores,
        Double fraction,
        String note,
        Instant answeredAt,
        Boolean realLeft) {

    ReviewAnswer(
            long id,
            long sessionId,
            long itemId,
            String rater,
            int repeatNo,
            String choice,
            Integer confidence,
            String scores,
            Double fraction,
            String note,
            Instant answeredAt) {
        this(id, sessionId, itemId, rater, repeatNo, choice, confidence, scores, fraction, note, answeredAt, null);
    }

    public List<Integer> scoreList() {
        return scores == null || scores.isBlank()
                ? List.of()
                : Arrays.stream(scores.split(","))
                        .map(String::trim)
                        .map(Integer::valueOf)
                        .toList();
    }

    /** 2AFC: whether the real tile was on the left when this answer was given. */
    public boolean realWasLeft(ReviewItem item) {
        return realLeft != null ? realLeft : Boolean.TRUE.equals(item.realLeft());
    }
}
