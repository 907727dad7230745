package org.stainbench.evaluation;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stainbench.accounts.ApiAccess;
import org.stainbench.accounts.ApiPrincipal;
import org.stainbench.catalog.Catalog;
import tools.jackson.databind.JsonNode;

/**
 * JSON API of evaluations for scripts (API-scope tokens only; SUPERVISOR and up read, MEMBER and up create):
 * {@code GET /api/evaluations?page=&size=} (newest first), {@code GET /api/evaluations/{id}} (protocol, fingerprint,
 * per compared thing × metric the per-seed values and the summary over seeds: n, mean, std, 95 % t-interval,
 * seed-invariant; {@code bootstrap}: the patient-bootstrap 95 % interval, null when the protocol has none; {@code
 * replicates}: generated sets of one checkpoint with different sampling seeds, per metric the per-set means in
 * generation-seed order and n, mean, std, t-interval over the generation seeds, with the evaluation seeds per set) and
 * {@code POST /api/evaluations} with the checks of the
 * form: a refusal is a 400 problem naming the {@code field}, and nothing is queued; else 201 with the id and Location.
 */
@RestController
@RequestMapping("/api/evaluations")
class EvaluationApiController {

    static final int MAX_PAGE_SIZE = 100;

    private final Evaluations evaluations;
    private final Catalog catalog;

    EvaluationApiController(Evaluations evaluations, Catalog catalog) {
        this.evaluations = evaluations;
        this.catalog = catalog;
    }

    /** An API token (not a node's) whose owner has {@code role}. */
    @GetMapping
    Map<String, Object> list(
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "30") int size,
            Authentication auth) {
        ApiAccess.requireApiToken(auth, "SUPERVISOR");
        if (page < 0) {
            throw new Refused("page", "page must be 0 or more.");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new Refused("size", "size must be between 1 and " + MAX_PAGE_SIZE + ".");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("page", page);
        out.put("size", size);
        out.put("total", evaluations.count());
        out.put(
                "items",
                evaluations.list(page * size, size).stream()
                        .map(EvaluationApiController::summary)
                        .toList());
        return out;
    }

    static Map<String, Object> summary(Evaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("name", e.name());
        m.put("origin", e.origin().toLowerCase(Locale.ROOT));
        m.put("status", e.status());
        m.put("real_dataset_id", e.realDatasetId());
        m.put("extractor_id", e.extractorId());
        m.put("fingerprint", e.fingerprint());
        m.put("created_by", e.createdBy());
        m.put("created_at", e.createdAt() == null ? null : e.createdAt().toString());
        m.put("finished_at", e.finishedAt() == null ? null : e.finishedAt().toString());
        m.put("href", e.href());
        return m;
    }

    @GetMapping("/{id}")
    Map<String, Object> detail(@PathVariable long id, Authentication auth) {
        ApiAccess.requireApiToken(auth, "SUPERVISOR");
        Evaluations.Comparison c = evaluations.comparison(id);
        Evaluation e = c.evaluation();
        Map<String, Object> m = summary(e);
        m.put("error", e.error());
        m.put("extractor_sha256", e.extractorSha256());
        m.put("protocol", e.protocolLines());
        m.put("protocol_summary", e.fingerprint() == null ? null : e.protocolSummary());
        m.put("fingerprint_text", e.fingerprintText());
        m.put(
                "metrics",
                c.metrics().stream()
                        .map(x -> Map.of("key", x.key(), "label", x.label(), "ranked", x.ranked()))
                        .toList());
        List<Map<String, Object>> subjects = new ArrayList<>();
        for (Evaluations.Row r : c.rows()) {
            Subject s = r.subject();
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("id", s.id());
            sm.put("label", s.label());
            sm.put("group", r.group());
            sm.put("checkpoint_id", s.checkpointId());
            sm.put("generated_set_id", s.generatedSetId());
            sm.put("run_uuid", s.runUuid());
            sm.put("epoch", s.epoch());
            Map<String, Object> values = new LinkedHashMap<>();
            for (Metric x : c.metrics()) {
                ComparisonTable.Cell cell = r.cell(x);
                if (cell == null) {
                    continue;
                }
                Map<String, Object> v = new LinkedHashMap<>();
                List<Map<String, Object>> seeds = new ArrayList<>();
                for (int k = 0; k < cell.seeds().size(); k++) {
                    Map<String, Object> sv = new LinkedHashMap<>();
                    sv.put("seed", k < cell.seedIds().size() ? cell.seedIds().get(k) : null);
                    sv.put("value", cell.seeds().get(k));
                    seeds.add(sv);
                }
                v.put("seeds", seeds);
                v.put("n", cell.n());
                v.put("mean", cell.mean());
                v.put("std", cell.std());
                v.put(
                        "t_interval",
                        cell.ciLow() == null
                                ? null
                                : Map.of("level", 0.95, "low", cell.ciLow(), "high", cell.ciHigh()));
                v.put("seed_invariant", cell.seedInvariant());
                v.put("best", cell.best());
                v.put(
                        "bootstrap",
                        cell.bootLow() == null
                                ? null
                                : Map.of(
                                        "level",
                                        0.95,
                                        "low",
                                        cell.bootLow(),
                                        "high",
                                        cell.bootHigh(),
                                        "resamples",
                                        cell.bootResamples()));
                values.put(x.key(), v);
            }
            sm.put("metrics", values);
            subjects.add(sm);
        }
        m.put("subjects", subjects);
        List<Map<String, Object>> replicates = new ArrayList<>();
        for (ComparisonTable.Replicate g : evaluations.replicateLines(c)) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("label", g.label());
            gm.put("checkpoint_id", g.checkpointId());
            gm.put("source_dataset_id", g.sourceDatasetId());
            gm.put("generation_seeds", g.generationSeeds());
            gm.put("evaluation_seeds_per_set", Map.of("min", g.minEvaluationSeeds(), "max", g.maxEvaluationSeeds()));
            Map<String, Object> values = new LinkedHashMap<>();
            for (Metric x : c.metrics()) {
                ComparisonTable.Spread v = g.get(x);
                if (v == null) {
                    continue;
                }
                Map<String, Object> vm = new LinkedHashMap<>();
                vm.put("set_means", v.setMeans());
                vm.put("n", v.n());
                vm.put("mean", v.mean());
                vm.put("std", v.std());
                vm.put(
                        "t_interval",
                        v.ciLow() == null ? null : Map.of("level", 0.95, "low", v.ciLow(), "high", v.ciHigh()));
                values.put(x.key(), vm);
            }
            gm.put("metrics", values);
            replicates.add(gm);
        }
        m.put("replicates", replicates);
        return m;
    }

    /** The body of {@code POST /api/evaluations}: the form's fields; {@code preset: "lab"} takes the lab's protocol. */
    record NewEvaluation(
            String name,
            Long realDatasetId,
            List<Long> setIds,
            Long extractorId,
            String preset,
            Integer tilesPerSide,
            Integer archives,
            Integer cropSize,
            Integer cropsPerTile,
            JsonNode seeds,
            Integer kidSubsets,
            Integer kidSubsetSize,
            Integer batchSize,
            String tileRule,
            Integer bootstrapResamples) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> create(@RequestBody NewEvaluation body, Authentication auth) {
        ApiAccess.requireApiToken(auth, "MEMBER");
        Protocol p = forNew(body, protocol(body));
        Evaluation e;
        try {
            e = evaluations.create(
                    body.name(),
                    body.realDatasetId(),
                    body.setIds(),
                    body.extractorId(),
                    p,
                    ((ApiPrincipal) auth.getPrincipal()).username());
        } catch (Refused r) {
            throw r;
        } catch (IllegalArgumentException x) {
            String field = fieldOf(x.getMessage());
            if (x.getMessage() != null && x.getMessage().endsWith("has no ingested archives.")) {
                // about the real dataset or a generated set, whichever it names
                String real = body.realDatasetId() == null
                        ? null
                        : catalog.dataset(body.realDatasetId())
                                .map(d -> "'" + d.name() + "'")
                                .orElse(null);
                field = real != null && x.getMessage().startsWith(real) ? "realDatasetId" : "setIds";
            }
            throw new Refused(field, x.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("status", e.status());
        out.put("href", e.href());
        return ResponseEntity.created(URI.create("/api/evaluations/" + e.id())).body(out);
    }

    /** The form's defaults for a new evaluation: random patient-stratified tiles (the lab preset keeps its rule), B. */
    private Protocol forNew(NewEvaluation b, Protocol p) {
        String rule = "lab".equals(b.preset()) ? "first" : b.tileRule();
        String resamples =
                b.bootstrapResamples() == null ? null : b.bootstrapResamples().toString();
        try {
            return evaluations.forNew(p, rule, resamples);
        } catch (IllegalArgumentException x) {
            String m = x.getMessage() == null ? "" : x.getMessage();
            throw new Refused(m.startsWith("Tile rule") ? "tileRule" : "bootstrapResamples", m);
        }
    }

    private static Protocol protocol(NewEvaluation b) {
        if ("lab".equals(b.preset())) {
            return Protocol.lab();
        }
        if (b.preset() != null && !"custom".equals(b.preset())) {
            throw new Refused("preset", "preset must be \"lab\" or \"custom\".");
        }
        String[] names = {"tilesPerSide", "archives", "cropSize", "cropsPerTile", "kidSubsets", "kidSubsetSize"};
        Integer[] values = {
            b.tilesPerSide(), b.archives(), b.cropSize(), b.cropsPerTile(), b.kidSubsets(), b.kidSubsetSize()
        };
        for (int i = 0; i < names.length; i++) {
            if (values[i] == null) {
                throw new Refused(
                        names[i],
                        "Fill in every protocol field (" + names[i] + " is missing), or choose the lab's preset.");
            }
        }
        try {
            return new Protocol(
                    b.tilesPerSide(),
                    b.archives(),
                    b.cropSize(),
                    b.cropsPerTile(),
                    Protocol.parseSeeds(seedText(b.seeds())),
                    b.kidSubsets(),
                    b.kidSubsetSize(),
                    b.batchSize() == null ? 16 : b.batchSize());
        } catch (Refused r) {
            throw r;
        } catch (IllegalArgumentException x) {
            throw new Refused(fieldOf(x.getMessage()), x.getMessage());
        }
    }

    /** Seeds as the form takes them ("0-4", "0,1,2") or as a JSON array of whole numbers. */
    private static String seedText(JsonNode seeds) {
        if (seeds == null || seeds.isNull()) {
            return null;
        }
        if (seeds.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode s : seeds) {
                if (!s.isIntegralNumber()) {
                    throw new Refused("seeds", "'" + s + "' is not a seed (whole numbers, e.g. [0, 1, 2] or \"0-4\").");
                }
                parts.add(s.asString());
            }
            return String.join(",", parts);
        }
        return seeds.isString() ? seeds.asString() : seeds.toString();
    }

    /** The request field a refusal of the form's checks is about (their messages name it in words). */
    static String fieldOf(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        // messages that quote a dataset or set name first, so that words in the name cannot mislead
        if (m.startsWith("too few tiles for kid")) {
            return "kidSubsetSize";
        }
        if (m.startsWith("too few tiles")) {
            return "tilesPerSide";
        }
        if (m.startsWith("crops of ")) {
            return "cropSize";
        }
        if (m.contains("name of 1")) {
            return "name";
        }
        if (m.contains("real target") || m.contains("no dataset with id") || m.contains("real ihc")) {
            return "realDatasetId";
        }
        if (m.contains("extractor")) {
            return "extractorId";
        }
        if (m.contains("generated set")) {
            return "setIds";
        }
        if (m.contains("crops per tile")) {
            return "cropsPerTile";
        }
        if (m.startsWith("crops")) {
            return "cropSize";
        }
        if (m.contains("seed")) {
            return "seeds";
        }
        if (m.contains("too few tiles for kid") || m.contains("kid subsets need")) {
            return "kidSubsetSize";
        }
        if (m.contains("kid needs")) {
            return "kidSubsets";
        }
        if (m.contains("archive per side")) {
            return "archives";
        }
        if (m.contains("tiles per side") || m.contains("too few tiles")) {
            return "tilesPerSide";
        }
        if (m.contains("batch size")) {
            return "batchSize";
        }
        return null;
    }

    /** A refused request: 400 naming the field. */
    static final class Refused extends IllegalArgumentException {
        private final String field;

        Refused(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    @ExceptionHandler(Refused.class)
    ProblemDetail refused(Refused r) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, r.getMessage());
        p.setTitle("Refused");
        p.setProperty("field", r.field);
        return p;
    }
}
