package org.stainbench.training;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The HTTP answer for one artifact file, the same from MLflow's artifact proxy ({@link MlflowArtifacts}) and the run
 * page ({@link RunsController}): raster images inline, everything else as an attachment, never sniffed, always
 * sandboxed.
 */
final class ArtifactResponses {

    /** Extensions served inline, with their (raster image) types; everything else is an attachment. */
    static final Map<String, MediaType> INLINE = Map.of(
            "png",
            MediaType.IMAGE_PNG,
            "jpg",
            MediaType.IMAGE_JPEG,
            "jpeg",
            MediaType.IMAGE_JPEG,
            "gif",
            MediaType.IMAGE_GIF,
            "webp",
            MediaType.parseMediaType("image/webp"));

    /** The policy of every artifact answer: nothing in it may load anything or run script, even when opened. */
    static final String CSP = "default-src 'none'; sandbox";

    private ArtifactResponses() {}

    static ResponseEntity<Resource> serve(RunArtifacts.Download file) {
        MediaType inline = inlineType(file.name());
        ContentDisposition disposition = (inline != null
                        ? ContentDisposition.inline()
                        : ContentDisposition.attachment())
                .filename(file.name(), StandardCharsets.UTF_8)
                .build();
        return ResponseEntity.ok()
                .contentType(inline != null ? inline : MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(file.size())
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", CSP)
                .body(new InputStreamResource(file.body()));
    }

    /** The image type of a name shown inline (png, jpeg, gif, webp), else null. */
    static MediaType inlineType(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? null : INLINE.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
