package org.stainbench.reports;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.stainbench.evaluation.ComparisonTable;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Metric;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Report pages. Every change is a POST that answers an htmx request with the re-rendered blocks (and its message) and
 * any other request with a redirect to the report and a flash message: the same URL serves both.
 */
@Controller
class ReportController {

    static final int PAGE = 25;

    private final Reports reports;
    private final PdfPrinter printer;
    private final PdfJobs pdfJobs;
    private final ITemplateEngine templates;
    private final java.time.Clock clock;

    ReportController(
            Reports reports, PdfPrinter printer, PdfJobs pdfJobs, ITemplateEngine templates, java.time.Clock clock) {
        this.reports = reports;
        this.printer = printer;
        this.pdfJobs = pdfJobs;
        this.templates = templates;
        this.clock = clock;
    }

    @GetMapping("/reports")
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        return list(page, model, false);
    }

    @HxRequest
    @GetMapping("/reports")
    String listFragment(@RequestParam(defaultValue = "0") int page, Model model) {
        return list(page, model, true);
    }

    private String list(int page, Model model, boolean hx) {
        int p = Math.max(0, page);
        model.addAttribute(
                "page", new PageImpl<>(reports.list(p * PAGE, PAGE), PageRequest.of(p, PAGE), reports.count()));
        return hx ? "reports/list :: table" : "reports/list";
    }

    @GetMapping("/reports/new")
    String form() {
        return "reports/new";
    }

    @PostMapping("/reports")
    String create(
            @RequestParam(required = false) String title,
            @RequestParam(required = false) String markdown,
            Principal who,
            RedirectAttributes flash) {
        try {
            Report r = reports.create(title, markdown, who.getName());
            flash.addFlashAttribute("message", "Report '" + r.title() + "' created: add blocks below.");
            return "redirect:/reports/" + r.id();
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            flash.addFlashAttribute("draftTitle", title);
            flash.addFlashAttribute("draftMarkdown", markdown);
            return "redirect:/reports/new";
        }
    }

    @GetMapping("/reports/{id}")
    String view(@PathVariable long id, Model model) {
        return view(id, model, false);
    }

    @HxRequest
    @GetMapping("/reports/{id}")
    String viewFragment(@PathVariable long id, Model model) {
        return view(id, model, true);
    }

    private String view(long id, Model model, boolean hx) {
        fill(model, reports.require(id));
        return hx ? "reports/view :: blocks" : "reports/view";
    }

    void fill(Model model, Report r) {
        model.addAttribute("report", r);
        model.addAttribute("fileBase", fileBase(r));
        model.addAttribute(
                "views",
                views(
                        r,
                        c -> c.sha256() != null
                                ? "/reports/" + r.id() + "/images/" + c.sha256() + ".jpg"
                                : "/tiles/" + c.tileId() + "/thumb"));
        if (!r.frozen()) {
            model.addAttribute("evaluations", reports.evaluationChoices());
            model.addAttribute("metrics", Metric.values());
            model.addAttribute("checkpoints", reports.checkpointChoices());
            model.addAttribute("sources", reports.sourceChoices());
            model.addAttribute("sessions", reports.sessionChoices());
        }
    }

    List<BlockView> views(Report r, Function<BlockData.GalleryCell, String> cell) {
        return views(r, cell, false);
    }

    List<BlockView> views(Report r, Function<BlockData.GalleryCell, String> cell, boolean print) {
        List<BlockView> out = new ArrayList<>();
        int n = 1;
        for (Block b : reports.blocks(r.id())) {
            BlockData d = reports.data(r, b);
            String html =
                    b.kind() == BlockKind.TEXT ? Markdown.html(b.settings().markdown()) : null;
            List<ReportCharts.ChartView> charts =
                    b.kind() == BlockKind.CHART && d.table() != null ? ReportCharts.of(b, d.table()) : List.of();
            List<List<String>> cells = d.gallery() == null
                    ? List.of()
                    : d.gallery().rows().stream()
                            .map(row -> row.cells().stream().map(cell).toList())
                            .toList();
            out.add(new BlockView(
                    b, n++, d, html, charts, cells, d.gallery() == null ? 1.0 : tileAspect(d.gallery()), print));
        }
        return out;
    }

    /** Height / width of the gallery's first tile image (its header only is read); 1 when there is none. */
    double tileAspect(BlockData.GallerySnap g) {
        return g.rows().stream()
                .flatMap(r -> r.cells().stream())
                .findFirst()
                .flatMap(reports::image)
                .map(ReportImages::aspect)
                .orElse(1.0);
    }

    // changes

    /** Runs a change; answers htmx with the blocks fragment, anything else with a redirect and a flash. */
    private String change(
            long id,
            boolean hx,
            Model model,
            RedirectAttributes flash,
            Principal who,
            Function<String, String> action) {
        String message = null;
        String error = null;
        try {
            message = action.apply(who.getName());
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
        }
        if (hx) {
            model.addAttribute("hxMessage", message);
            model.addAttribute("hxError", error);
            fill(model, reports.require(id));
            return "reports/view :: blocks";
        }
        if (error != null) {
            flash.addFlashAttribute("error", error);
        } else {
            flash.addFlashAttribute("message", message);
        }
        return "redirect:/reports/" + id;
    }

    @PostMapping("/reports/{id}/title")
    String rename(
            @PathVariable long id,
            @RequestParam(required = false) String title,
            Model model,
            RedirectAttributes flash,
            Principal who) {
        return rename(id, title, model, flash, who, false);
    }

    @HxRequest
    @PostMapping("/reports/{id}/title")
    String renameFragment(
            @PathVariable long id,
            @RequestParam(required = false) String title,
            Model model,
            RedirectAttributes flash,
            Principal who) {
        return rename(id, title, model, flash, who, true);
    }

    private String rename(long id, String title, Model model, RedirectAttributes flash, Principal who, boolean hx) {
        return change(id, hx, model, flash, who, by -> {
            reports.rename(id, title, by);
            return "Title saved.";
        });
    }

    /** The fields of the add/edit block forms (each kind uses some of them); {@link #settings()} checks them. */
    record BlockForm(
            String kind,
            String markdown,
            String evaluation,
            List<String> metrics,
            String chart,
            String gallery,
            String source,
            List<String> checkpoints,
            String seed,
            String rows,
            String session) {

        BlockSettings settings() {
            return ReportController.settings(
                    markdown, evaluation, metrics, chart, gallery, source, checkpoints, seed, rows, session);
        }
    }

    @PostMapping("/reports/{id}/blocks")
    String add(
            @PathVariable long id,
            @ModelAttribute BlockForm form,
            Model model,
            RedirectAttributes flash,
            Principal who) {
        return add(id, form, model, flash, who, false);
    }

    @HxRequest
    @PostMapping("/reports/{id}/blocks")
    String addFragment(
            @PathVariable long id,
            @ModelAttribute BlockForm form,
            Model model,
            RedirectAttributes flash,
            Principal who) {
        return add(id, form, model, flash, who, true);
    }

    private String add(long id, BlockForm form, Model model, RedirectAttributes flash, Principal who, boolean hx) {
        return change(id, hx, model, flash, who, by -> {
            BlockKind k = BlockKind.of(form.kind());
            reports.addBlock(id, k, form.settings(), by);
            return k.title() + " block added.";
        });
    }

    @PostMapping("/reports/{id}/blocks/{blockId}")
    String edit(
            @PathVariable long id,
            @PathVariable long blockId,
            @ModelAttribute BlockForm form,
            Model model,
            RedirectAttributes flash,
            Principal who) {
        return edit(id, blockId, form, model, flash, who, false);
    }

    @HxRequest
    @PostMapping("/reports/{id}/blocks/{blockId}")
    String editFragment(
            @PathVariable long id,
            @PathVariable long blockId,
            @ModelAttribute BlockForm form,
            Model model,
            RedirectAttributes flash,
            Principal who) {
        return edit(id, blockId, form, model, flash, who, true);
    }

    private String edit(
            long id, long blockId, BlockForm form, Model model, RedirectAttributes flash, Principal who, boolean hx) {
        return change(id, hx, model, flash, who, by -> {
            reports.editBlock(id, blockId, form.settings(), by);
            return "Block saved.";
        });
    }

    @PostMapping("/reports/{id}/blocks/{blockId}/delete")
    String remove(
            @PathVariable long id, @PathVariable long blockId, Model model, RedirectAttributes flash, Principal who) {
        return remove(id, blockId, model, flash, who, false);
    }

    @HxRequest
    @PostMapping("/reports/{id}/blocks/{blockId}/delete")
    String removeFragment(
            @PathVariable long id, @PathVariable long blockId, Model model, RedirectAttributes flash, Principal who) {
        return remove(id, blockId, model, flash, who, true);
    }

    private String remove(long id, long blockId, Model model, RedirectAttributes flash, Principal who, boolean hx) {
        return change(id, hx, model, flash, who, by -> {
            reports.removeBlock(id, blockId, by);
            return "Block removed.";
        });
    }

    @PostMapping("/reports/{id}/blocks/{blockId}/move")
    String move(
            @PathVariable long id,
            @PathVariable long blockId,
            @RequestParam(required = false) String dir,
            Model model,
            RedirectAttributes flash,
            Principal who) {
        return move(id, blockId, dir, model, flash, who, false);
    }

    @HxRequest
    @PostMapping("/reports/{id}/blocks/{blockId}/move")
    String moveFragment(
            @PathVariable long id,
            @PathVariable long blockId,
            @RequestParam(required = false) String dir,
            Model model,
            RedirectAttributes flash,
            Principal who) {
        return move(id, blockId, dir, model, flash, who, true);
    }

    private String move(
            long id, long blockId, String dir, Model model, RedirectAttributes flash, Principal who, boolean hx) {
        return change(id, hx, model, flash, who, by -> {
            if (!"up".equals(dir) && !"down".equals(dir)) {
                throw new IllegalArgumentException("Move a block up or down.");
            }
            reports.move(id, blockId, "up".equals(dir) ? -1 : 1, by);
            return "Block moved " + dir + ".";
        });
    }

    @PostMapping("/reports/{id}/freeze")
    String freeze(
            @PathVariable long id,
            @RequestParam(required = false) String confirm,
            Model model,
            RedirectAttributes flash,
            Principal who) {
        return freeze(id, confirm, model, flash, who, false);
    }

    @HxRequest
    @PostMapping("/reports/{id}/freeze")
    String freezeFragment(
            @PathVariable long id,
            @RequestParam(required = false) String confirm,
            Model model,
            RedirectAttributes flash,
            Principal who) {
        return freeze(id, confirm, model, flash, who, true);
    }

    private String freeze(long id, String confirm, Model model, RedirectAttributes flash, Principal who, boolean hx) {
        return change(id, hx, model, flash, who, by -> {
            if (!"yes".equals(confirm)) {
                throw new IllegalArgumentException(
                        "Confirm freezing: a frozen report keeps its numbers and images and cannot be edited.");
            }
            Report r = reports.freeze(id, by);
            return "Report frozen at " + r.frozenAt() + ": it keeps these numbers and images.";
        });
    }

    @PostMapping("/reports/{id}/duplicate")
    String duplicate(@PathVariable long id, Principal who, RedirectAttributes flash) {
        Report copy = reports.duplicate(id, who.getName());
        flash.addFlashAttribute("message", "Duplicated as the draft '" + copy.title() + "'.");
        return "redirect:/reports/" + copy.id();
    }

    static BlockSettings settings(
            String markdown,
            String evaluation,
            List<String> metrics,
            String chart,
            String gallery,
            String source,
            List<String> checkpoints,
            String seed,
            String rows,
            String session) {
        List<Long> cks = new ArrayList<>();
        if (checkpoints != null) {
            for (String c : checkpoints) {
                if (c != null && !c.isBlank()) {
                    cks.add(number(c, "A checkpoint"));
                }
            }
        }
        return new BlockSettings(
                markdown,
                optional(evaluation, "The evaluation"),
                metrics,
                chart,
                gallery,
                optional(source, "The source dataset"),
                cks,
                optional(seed, "The seed"),
                rows == null || rows.isBlank()
                        ? null
                        : Math.toIntExact(
                                Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, number(rows, "Rows")))),
                optional(session, "The review session"));
    }

    private static Long optional(String s, String what) {
        return s == null || s.isBlank() ? null : number(s, what);
    }

    private static long number(String s, String what) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number, not '" + s.trim() + "'.");
        }
    }

    // read-only views and exports

    @GetMapping("/reports/{id}/images/{sha}.jpg")
    ResponseEntity<byte[]> image(@PathVariable long id, @PathVariable String sha) {
        reports.require(id);
        byte[] b = reports.image(new BlockData.GalleryCell(0, null, sha))
                .orElseThrow(() -> new ResponseStatusException(
                        HttpStatus.NOT_FOUND, "No kept image " + sha + " (missing or altered)."));
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_JPEG)
                .cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(365)))
                .body(b);
    }

    @GetMapping("/reports/{id}/blocks/{blockId}/table.csv")
    ResponseEntity<byte[]> csv(@PathVariable long id, @PathVariable long blockId, Principal who) {
        return export(id, blockId, "csv", who);
    }

    @GetMapping("/reports/{id}/blocks/{blockId}/table.tex")
    ResponseEntity<byte[]> latex(@PathVariable long id, @PathVariable long blockId, Principal who) {
        return export(id, blockId, "tex", who);
    }

    private ResponseEntity<byte[]> export(long id, long blockId, String format, Principal who) {
        Report r = reports.require(id);
        Block b = reports.block(id, blockId);
        ComparisonTable t = reports.data(r, b).table();
        if (t == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "This block has no comparison table to export.");
        }
        String body = "csv".equals(format) ? Evaluations.csv(t) : Evaluations.latex(t);
        reports.exported(r, "csv".equals(format) ? "CSV" : "LaTeX", who.getName());
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(
                        "csv".equals(format) ? "text/csv;charset=UTF-8" : "application/x-tex;charset=UTF-8"))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(fileBase(r) + "-table-" + (b.position() + 1) + "." + format)
                                .build()
                                .toString())
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    static String fileBase(Report r) {
        String s =
                r.title().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return "report-" + r.id() + (s.isEmpty() ? "" : "-" + (s.length() > 60 ? s.substring(0, 60) : s));
    }

    /**
     * The self-contained print document: CSS inlined, images as data URIs, the charts' data in their canvases. It holds
     * no script: in the browser ({@code /reports/{id}/print}) {@code scripts} adds the chart scripts by URL; for the PDF
     * the printer evaluates them ({@link PrintScripts}) before it prints.
     */
    String printHtml(Report r) {
        return printHtml(r, false);
    }

    String printHtml(Report r, boolean scripts) {
        Context c = new Context(Locale.ROOT);
        c.setVariable("report", r);
        c.setVariable("scripts", scripts);
        c.setVariable(
                "views",
                views(
                        r,
                        cell -> reports.image(cell)
                                .map(bytes -> dataUri("image/jpeg", bytes))
                                .orElse(""),
                        true));
        c.setVariable("css", PrintCss.CSS);
        c.setVariable(
                "state",
                r.frozen()
                        ? "frozen at " + PrintCss.time(r.frozenAt()) + " by " + r.frozenBy()
                        : "live (draft), printed " + PrintCss.time(clock.instant()));
        return templates.process("reports/print", c);
    }

    private static String dataUri(String type, byte[] bytes) {
        return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    @GetMapping(value = "/reports/{id}/print", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String print(@PathVariable long id) {
        return printHtml(reports.require(id), true);
    }

    @GetMapping("/reports/{id}/pdf")
    Object pdf(@PathVariable long id, Principal who, Model model) {
        Report r = reports.require(id);
        try {
            byte[] pdf = printer.print(printHtml(r), PrintScripts.CHARTS);
            reports.exported(r, "PDF", who.getName());
            return ResponseEntity.ok()
                    .contentType(MediaType.APPLICATION_PDF)
                    .header(
                            HttpHeaders.CONTENT_DISPOSITION,
                            ContentDisposition.attachment()
                                    .filename(fileBase(r) + ".pdf")
                                    .build()
                                    .toString())
                    .body(pdf);
        } catch (PdfPrinter.PrintFailed | PdfPrinter.Busy e) {
            model.addAttribute("report", r);
            model.addAttribute("reason", e.getMessage());
            model.addAttribute("busy", e instanceof PdfPrinter.Busy);
            return new org.springframework.web.servlet.ModelAndView(
                    "reports/pdf-failed", model.asMap(), HttpStatus.SERVICE_UNAVAILABLE);
        }
    }

    // the PDF with progress: the page starts a print (GET: whoever may read the report may print it), polls its
    // status and fetches the file once; without script the link above prints in one request

    @GetMapping(value = "/reports/{id}/pdf/start", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> startPdf(@PathVariable long id, Principal who) {
        Report r = reports.require(id);
        if (printer.binary().isEmpty()) {
            return problem(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "No Chromium to print with on the server: install chromium, or set "
                            + "stainbench.reports.chromium to its path.");
        }
        try {
            PdfJobs.Job j = pdfJobs.start(
                    id,
                    who.getName(),
                    fileBase(r) + ".pdf",
                    () -> printHtml(reports.require(id)),
                    (html, started) -> printer.print(html, PrintScripts.CHARTS, started));
            return ResponseEntity.status(HttpStatus.ACCEPTED)
                    .cacheControl(CacheControl.noStore())
                    .body(pdfJobs.status(j));
        } catch (PdfJobs.Full e) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    /** A JSON answer the page shows as is: {@code {"failed": true, "message": …}}. */
    private static ResponseEntity<Map<String, Object>> problem(HttpStatus status, String message) {
        return ResponseEntity.status(status)
                .cacheControl(CacheControl.noStore())
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("failed", true, "message", message));
    }

    private static String gone(long id, String token) {
        return "No PDF print " + token + " of report " + id + " for you: it was fetched already, or dropped after "
                + "stainbench.reports.pdf-keep. Click Download PDF again.";
    }

    @GetMapping(value = "/reports/{id}/pdf/jobs/{token}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> pdfStatus(@PathVariable long id, @PathVariable String token, Principal who) {
        reports.require(id);
        return pdfJobs.find(token, id, who.getName())
                .<ResponseEntity<?>>map(j ->
                        ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(pdfJobs.status(j)))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, gone(id, token)));
    }

    @GetMapping("/reports/{id}/pdf/jobs/{token}/file")
    ResponseEntity<?> pdfFile(@PathVariable long id, @PathVariable String token, Principal who) {
        Report r = reports.require(id);
        Optional<PdfJobs.Job> found = pdfJobs.find(token, id, who.getName());
        if (found.isEmpty()) {
            return problem(HttpStatus.NOT_FOUND, gone(id, token));
        }
        PdfJobs.Job j = found.get();
        Optional<byte[]> pdf = pdfJobs.take(j);
        if (pdf.isEmpty()) {
            return problem(
                    HttpStatus.CONFLICT,
                    "The PDF is not ready yet: " + pdfJobs.status(j).message());
        }
        reports.exported(r, "PDF", who.getName());
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .cacheControl(CacheControl.noStore())
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(j.fileName)
                                .build()
                                .toString())
                .body(pdf.get());
    }
}
