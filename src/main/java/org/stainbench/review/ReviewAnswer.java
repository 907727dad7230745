package org.stainbench.review;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A rater's answer to one showing of an item ({@code repeatNo} 0 first, 1 the consistency repeat). */
record ReviewAnswer(long id, long sessionId, long itemId, String rater, int repeatNo, String choice, Integer confidence,
                    String scores, Double fraction, String note, Instant answeredAt) {

    public List<Integer> scoreList() {
        return scores == null || scores.isBlank() ? List.of()
                : Arrays.stream(scores.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }
}
