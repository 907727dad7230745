package org.stainbench.review;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The blinded images raters receive (issue 17): one response shape for every tile, real or generated — the session's
 * image size, a stored-deflate PNG whose byte length depends on that size only ({@link ReviewImages}), the same
 * headers ({@code Content-Type: image/png}, {@code Content-Length}, {@code Cache-Control: no-store}; no ETag,
 * Last-Modified or file name) and no faster than {@code stainbench.review.image-min-millis}, so the time to serve does
 * not depend on the tile either. Who may fetch: a rater of the token's session (a repeat's token: the rater it was made
 * for) or a supervisor; anyone else gets 404, as for an unknown token.
 */
@Controller
class ReviewImagesController {

    private final Reviews reviews;
    private final ReviewSamplingProperties properties;

    ReviewImagesController(Reviews reviews, ReviewSamplingProperties properties) {
        this.reviews = reviews;
        this.properties = properties;
    }

    @GetMapping("/review/images/{token}")
    ResponseEntity<byte[]> image(@PathVariable String token, Authentication auth) throws InterruptedException {
        long start = System.nanoTime();
        Optional<byte[]> png = token.length() > 64
                ? Optional.empty()
                : reviews.image(token, auth.getName(), ReviewAccess.has(auth, "SUPERVISOR"));
        long left = TimeUnit.MILLISECONDS.toNanos(properties.imageMinMillis()) - (System.nanoTime() - start);
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
        if (png.isEmpty()) {
            return ResponseEntity.notFound()
                    .cacheControl(CacheControl.noStore())
                    .build();
        }
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_PNG)
                .contentLength(png.get().length)
                .cacheControl(CacheControl.noStore())
                .body(png.get());
    }
}
