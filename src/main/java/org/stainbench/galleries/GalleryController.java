package org.stainbench.galleries;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import java.security.Principal;
import java.time.Clock;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The galleries (full page, and the gallery alone for htmx), the compare view, and the exports. A random gallery
 * without a seed redirects to its permalink with a fresh seed, so every page shown can be reproduced.
 */
@Controller
class GalleryController {

    private final Galleries galleries;
    private final Clock clock;

    GalleryController(Galleries galleries, Clock clock) {
        this.galleries = galleries;
        this.clock = clock;
    }

    @GetMapping("/galleries")
    String index() {
        return "redirect:/galleries/random";
    }

    private static String mode(String m) {
        if (!Galleries.RANDOM.equals(m) && !Galleries.BEST_WORST.equals(m)) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND, "No gallery '" + m + "'.");
        }
        return m;
    }

    @GetMapping({"/galleries/random", "/galleries/best-worst"})
    String gallery(
            GalleryForm form,
            jakarta.servlet.http.HttpServletRequest request,
            jakarta.servlet.http.HttpServletResponse response,
            Model model) {
        return gallery(form, request, response, model, false);
    }

    @HxRequest
    @GetMapping({"/galleries/random", "/galleries/best-worst"})
    String galleryFragment(
            GalleryForm form,
            jakarta.servlet.http.HttpServletRequest request,
            jakarta.servlet.http.HttpServletResponse response,
            Model model) {
        return gallery(form, request, response, model, true);
    }

    private String gallery(
            GalleryForm form,
            jakarta.servlet.http.HttpServletRequest request,
            jakarta.servlet.http.HttpServletResponse response,
            Model model,
            boolean hx) {
        String mode = request.getRequestURI().endsWith(Galleries.BEST_WORST) ? Galleries.BEST_WORST : Galleries.RANDOM;
        GalleryQuery q;
        try {
            q = form.query();
        } catch (IllegalArgumentException e) {
            model.addAttribute("error", e.getMessage());
            q = form.fallback();
        }
        if (Galleries.RANDOM.equals(mode) && q.seed() == null) {
            GalleryQuery seeded = q.withSeed(Math.floorMod(clock.millis(), 1_000_000_000L));
            try {
                seeded = galleries.pinned(seeded);
            } catch (IllegalArgumentException e) {
                // an unknown source: the page says so after the redirect
            }
            return "redirect:/galleries/random?" + seeded.query(mode);
        }
        Galleries.Gallery g;
        try {
            g = galleries.build(mode, q);
        } catch (IllegalArgumentException e) {
            model.addAttribute("error", e.getMessage());
            g = galleries.build(mode, q.with(null, List.of(), null));
        }
        model.addAttribute("g", g);
        model.addAttribute("mode", mode);
        model.addAttribute("query", g.query().query(mode));
        // tabs keep the source and checkpoints (never an empty "source="); the random tab keeps the seed when it has
        // one
        model.addAttribute("tabRandom", "/galleries/random?" + g.query().query(Galleries.RANDOM));
        model.addAttribute("tabBestWorst", "/galleries/best-worst?" + g.query().query(Galleries.BEST_WORST));
        if (hx && response != null) {
            // the address bar shows the pinned permalink, not the form's fields as sent
            response.setHeader("HX-Push-Url", g.permalink());
        }
        model.addAttribute(
                "reshuffle",
                Galleries.RANDOM.equals(mode)
                        ? "/galleries/random?"
                                + g.query().withSeed(g.query().nextSeed()).query(mode)
                        : null);
        return hx ? "galleries/gallery :: gallery" : "galleries/gallery";
    }

    @GetMapping("/galleries/{mode}/compare")
    String compare(
            @PathVariable String mode, GalleryForm form, @RequestParam(defaultValue = "0") int row, Model model) {
        return compare(mode, form, row, model, false);
    }

    @HxRequest
    @GetMapping("/galleries/{mode}/compare")
    String compareFragment(
            @PathVariable String mode, GalleryForm form, @RequestParam(defaultValue = "0") int row, Model model) {
        return compare(mode, form, row, model, true);
    }

    private String compare(String mode, GalleryForm form, int row, Model model, boolean hx) {
        String m = mode(mode);
        GalleryQuery q = form.pinned();
        Galleries.Gallery g = galleries.build(m, q);
        if (g.rows().isEmpty()) {
            throw new ResponseStatusException(
                    org.springframework.http.HttpStatus.NOT_FOUND, "The gallery has no tiles to compare.");
        }
        int r = Math.floorMod(row, g.rows().size());
        String base = "/galleries/" + m + "/compare?" + g.query().query(m) + "&row=";
        model.addAttribute("g", g);
        model.addAttribute("mode", m);
        model.addAttribute("row", g.rows().get(r));
        model.addAttribute("rowNumber", r);
        model.addAttribute("previous", base + Math.floorMod(r - 1, g.rows().size()));
        model.addAttribute("next", base + Math.floorMod(r + 1, g.rows().size()));
        model.addAttribute("back", g.permalink());
        return hx ? "galleries/compare :: viewer" : "galleries/compare";
    }

    @GetMapping("/galleries/{mode}/figure.png")
    ResponseEntity<byte[]> figure(
            @PathVariable String mode, GalleryForm form, @RequestParam(defaultValue = "256") int cell, Principal who) {
        String m = mode(mode);
        byte[] png;
        try {
            png = galleries.figure(m, form.pinned(), cell, who.getName());
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.BAD_REQUEST, e.getMessage(), e);
        }
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_PNG)
                .cacheControl(CacheControl.noStore())
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("gallery-" + m + ".png")
                                .build()
                                .toString())
                .body(png);
    }

    @GetMapping("/galleries/{mode}/tiles.zip")
    ResponseEntity<StreamingResponseBody> zip(@PathVariable String mode, GalleryForm form, Principal who) {
        String m = mode(mode);
        Galleries.Gallery g = galleries.forZip(m, form.pinned(), who.getName());
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("gallery-" + m + ".zip")
                                .build()
                                .toString())
                .body(out -> galleries.zip(g, out));
    }
}
