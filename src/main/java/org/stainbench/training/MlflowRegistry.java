package org.stainbench.training;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.security.core.Authentication;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stainbench.accounts.ApiPrincipal;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * MLflow's model registry REST API (mlflow/protos/model_registry.proto, service ModelRegistryService) under
 * {@code /api/2.0/mlflow/}: {@code registered-models/*} and {@code model-versions/*} with the proto's methods, paths
 * and JSON shapes (versions and timestamps as the proto has them: {@code version} a string, times epoch
 * milliseconds). The rules are {@link ModelRegistry}'s, filters and orderings {@link RegistrySearch}'s.
 * <p>
 * Who may call: reading (get, search, latest versions, aliases, download URIs) needs a person's token with the
 * supervisor role or higher, every change a member's ({@link TrackingAccess#readAll}, {@link TrackingAccess#manage});
 * machine tokens (node agents, jobs) may not use the registry. Searches are bounded like the tracking API's
 * ({@code stainbench.tracking.max-search-results}, {@code stainbench.tracking.max-filter-length}); a page token is an
 * offset past the page it follows, so following tokens always ends. Requests that are not GET may carry their fields
 * as JSON (as the Python client sends them) or as query parameters.
 */
@RestController
@RequestMapping("/api/2.0/mlflow")
class MlflowRegistry {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** MLflow's defaults (mlflow/store/model_registry/__init__.py). */
    static final int MODELS_DEFAULT_MAX_RESULTS = 100;

    static final int MODELS_MAX_RESULTS = 1000;
    static final int VERSIONS_DEFAULT_MAX_RESULTS = 10000;

    private static final Set<String> MODEL_KEYS = Set.of("name");
    private static final Set<String> VERSION_KEYS = Set.of("name", "run_id", "source_path", "version_number");

    private final ModelRegistry registry;
    private final TrackingAccess access;
    private final TrackingProperties limits;

    MlflowRegistry(ModelRegistry registry, TrackingAccess access, TrackingProperties limits) {
        this.registry = registry;
        this.access = access;
        this.limits = limits;
    }

    /** A request's fields: its JSON body's, else its query parameters. */
    record Args(JsonNode body, MultiValueMap<String, String> query) {

        String text(String field, boolean required) {
            JsonNode n = body == null ? null : body.get(field);
            String v = n == null || n.isNull() ? query.getFirst(field) : n.isValueNode() ? n.asString() : n.toString();
            if (v == null && required) {
                throw MlflowException.invalid("Missing value for required parameter '" + field + "'.");
            }
            return v;
        }

        List<String> list(String field) {
            List<String> out = new ArrayList<>();
            JsonNode n = body == null ? null : body.get(field);
            if (n != null && n.isArray()) {
                n.forEach(x -> out.add(x.asString()));
            } else if (n != null && !n.isNull()) {
                out.add(n.asString());
            } else if (query.get(field) != null) {
                out.addAll(query.get(field));
            }
            return out;
        }

        boolean bool(String field) {
            String v = text(field, false);
            if (v == null || v.isBlank()) {
                return false;
            }
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw MlflowException.invalid(
                        "Parameter '" + field + "' is true or false, not '" + ModelRegistry.abbreviate(v) + "'.");
            }
            return Boolean.parseBoolean(v);
        }

        Map<String, String> tags() {
            Map<String, String> out = new LinkedHashMap<>();
            JsonNode n = body == null ? null : body.get("tags");
            if (n != null && n.isArray()) {
                for (JsonNode t : n) {
                    JsonNode k = t.get("key");
                    if (k == null || k.isNull()) {
                        throw MlflowException.invalid("Missing value for required parameter 'key' of a tag.");
                    }
                    JsonNode v = t.get("value");
                    out.put(k.asString(), v == null || v.isNull() ? null : v.asString());
                }
            }
            return out;
        }
    }

    private static Args args(JsonNode body, MultiValueMap<String, String> query) {
        return new Args(body, query);
    }

    private static String user(Authentication auth) {
        return ((ApiPrincipal) auth.getPrincipal()).username();
    }

    // ---- registered models -------------------------------------------------------------------

    @PostMapping("/registered-models/create")
    ObjectNode createModel(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        ModelRegistry.Model m =
                registry.createModel(a.text("name", true), a.text("description", false), a.tags(), user(auth));
        return JSON.objectNode().set("registered_model", modelJson(m, List.of()));
    }

    @GetMapping("/registered-models/get")
    ObjectNode getModel(@RequestParam MultiValueMap<String, String> q, Authentication auth) {
        access.readAll(auth);
        ModelRegistry.Model m = registry.requireModel(args(null, q).text("name", true));
        return modelAnswer(m);
    }

    @PostMapping("/registered-models/rename")
    ObjectNode renameModel(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        ModelRegistry.Model m = registry.rename(a.text("name", true), a.text("new_name", true));
        return modelAnswer(m);
    }

    @PatchMapping("/registered-models/update")
    ObjectNode updateModel(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        ModelRegistry.Model m = registry.updateModel(a.text("name", true), a.text("description", false));
        return modelAnswer(m);
    }

    @DeleteMapping("/registered-models/delete")
    ObjectNode deleteModel(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        registry.deleteModel(args(body, q).text("name", true));
        return JSON.objectNode();
    }

    @GetMapping("/registered-models/search")
    ObjectNode searchModels(@RequestParam MultiValueMap<String, String> q, Authentication auth) {
        access.readAll(auth);
        Args a = args(null, q);
        int max = maxResults(a, MODELS_DEFAULT_MAX_RESULTS, Math.min(MODELS_MAX_RESULTS, limits.maxSearchResults()));
        var clauses = RegistrySearch.parse(filter(a), MODEL_KEYS);
        var matches = RegistrySearch.<ModelRegistry.Model>predicate(
                clauses, (m, key) -> key.equals("name") ? m.name() : m.tags().get(key.substring("tags.".length())));
        Map<String, Function<ModelRegistry.Model, Comparable<?>>> keys = new LinkedHashMap<>();
        keys.put("name", ModelRegistry.Model::name);
        keys.put("timestamp", ModelRegistry.Model::lastUpdatedTime);
        keys.put("last_updated_timestamp", ModelRegistry.Model::lastUpdatedTime);
        keys.put("creation_timestamp", ModelRegistry.Model::creationTime);
        var order = RegistrySearch.order(orderBy(a), keys, Comparator.comparing(ModelRegistry.Model::name));
        List<ModelRegistry.Model> all =
                registry.models().stream().filter(matches).sorted(order).toList();
        int offset = decodeToken(a.text("page_token", false));
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("registered_models");
        all.stream().skip(offset).limit(max).forEach(m -> list.add(modelJson(m, registry.latest(m.name(), List.of()))));
        if ((long) offset + max < all.size()) {
            out.put("next_page_token", encodeToken(offset + max));
        }
        return out;
    }

    @PostMapping("/registered-models/get-latest-versions")
    ObjectNode latestVersionsPost(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        return latestVersions(args(body, q), auth);
    }

    @GetMapping("/registered-models/get-latest-versions")
    ObjectNode latestVersionsGet(@RequestParam MultiValueMap<String, String> q, Authentication auth) {
        return latestVersions(args(null, q), auth);
    }

    private ObjectNode latestVersions(Args a, Authentication auth) {
        access.readAll(auth);
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("model_versions");
        registry.latest(a.text("name", true), a.list("stages")).forEach(v -> list.add(versionJson(v)));
        return out;
    }

    @PostMapping("/registered-models/set-tag")
    ObjectNode setModelTag(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        registry.setModelTag(a.text("name", true), a.text("key", true), a.text("value", false));
        return JSON.objectNode();
    }

    @DeleteMapping("/registered-models/delete-tag")
    ObjectNode deleteModelTag(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        registry.deleteModelTag(a.text("name", true), a.text("key", true));
        return JSON.objectNode();
    }

    @PostMapping("/registered-models/alias")
    ObjectNode setAlias(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        registry.setAlias(a.text("name", true), a.text("alias", true), a.text("version", true));
        return JSON.objectNode();
    }

    @DeleteMapping("/registered-models/alias")
    ObjectNode deleteAlias(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        registry.deleteAlias(a.text("name", true), a.text("alias", true));
        return JSON.objectNode();
    }

    @GetMapping("/registered-models/alias")
    ObjectNode getByAlias(@RequestParam MultiValueMap<String, String> q, Authentication auth) {
        access.readAll(auth);
        Args a = args(null, q);
        return JSON.objectNode()
                .set("model_version", versionJson(registry.byAlias(a.text("name", true), a.text("alias", true))));
    }

    // ---- model versions ----------------------------------------------------------------------

    @PostMapping("/model-versions/create")
    ObjectNode createVersion(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        ModelRegistry.Version v = registry.createVersion(
                a.text("name", true),
                a.text("source", true),
                a.text("run_id", false),
                a.text("run_link", false),
                a.text("description", false),
                a.tags(),
                a.text("model_id", false),
                user(auth));
        return JSON.objectNode().set("model_version", versionJson(v));
    }

    @GetMapping("/model-versions/get")
    ObjectNode getVersion(@RequestParam MultiValueMap<String, String> q, Authentication auth) {
        access.readAll(auth);
        Args a = args(null, q);
        return JSON.objectNode()
                .set(
                        "model_version",
                        versionJson(registry.requireVersion(a.text("name", true), a.text("version", true))));
    }

    @PatchMapping("/model-versions/update")
    ObjectNode updateVersion(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        return JSON.objectNode()
                .set(
                        "model_version",
                        versionJson(registry.updateVersion(
                                a.text("name", true), a.text("version", true), a.text("description", false))));
    }

    @DeleteMapping("/model-versions/delete")
    ObjectNode deleteVersion(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        registry.deleteVersion(a.text("name", true), a.text("version", true));
        return JSON.objectNode();
    }

    @PostMapping("/model-versions/transition-stage")
    ObjectNode transition(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        return JSON.objectNode()
                .set(
                        "model_version",
                        versionJson(registry.transition(
                                a.text("name", true),
                                a.text("version", true),
                                a.text("stage", true),
                                a.bool("archive_existing_versions"))));
    }

    @PostMapping("/model-versions/set-tag")
    ObjectNode setVersionTag(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        registry.setVersionTag(
                a.text("name", true), a.text("version", true), a.text("key", true), a.text("value", false));
        return JSON.objectNode();
    }

    @DeleteMapping("/model-versions/delete-tag")
    ObjectNode deleteVersionTag(
            @RequestBody(required = false) JsonNode body,
            @RequestParam MultiValueMap<String, String> q,
            Authentication auth) {
        access.manage(auth);
        Args a = args(body, q);
        registry.deleteVersionTag(a.text("name", true), a.text("version", true), a.text("key", true));
        return JSON.objectNode();
    }

    @GetMapping("/model-versions/get-download-uri")
    ObjectNode downloadUri(@RequestParam MultiValueMap<String, String> q, Authentication auth) {
        access.readAll(auth);
        Args a = args(null, q);
        return JSON.objectNode()
                .put("artifact_uri", registry.downloadUri(a.text("name", true), a.text("version", true)));
    }

    @GetMapping("/model-versions/search")
    ObjectNode searchVersions(@RequestParam MultiValueMap<String, String> q, Authentication auth) {
        access.readAll(auth);
        Args a = args(null, q);
        int max = maxResults(
                a, Math.min(VERSIONS_DEFAULT_MAX_RESULTS, limits.maxSearchResults()), limits.maxSearchResults());
        var clauses = RegistrySearch.parse(filter(a), VERSION_KEYS);
        var matches = RegistrySearch.<ModelRegistry.Version>predicate(clauses, (v, key) -> switch (key) {
            case "name" -> v.name();
            case "run_id" -> v.runUuid();
            case "source_path" -> v.source();
            case "version_number" -> Integer.toString(v.version());
            default -> v.tags().get(key.substring("tags.".length()));
        });
        Map<String, Function<ModelRegistry.Version, Comparable<?>>> keys = new LinkedHashMap<>();
        keys.put("name", ModelRegistry.Version::name);
        keys.put("version_number", ModelRegistry.Version::version);
        keys.put("creation_timestamp", ModelRegistry.Version::creationTime);
        keys.put("last_updated_timestamp", ModelRegistry.Version::lastUpdatedTime);
        keys.put("timestamp", ModelRegistry.Version::lastUpdatedTime);
        keys.put("run_id", v -> v.runUuid() == null ? "" : v.runUuid());
        var order = RegistrySearch.order(
                orderBy(a),
                keys,
                Comparator.comparing(ModelRegistry.Version::name)
                        .thenComparing(Comparator.comparingInt(ModelRegistry.Version::version)
                                .reversed()));
        List<ModelRegistry.Version> all =
                registry.versions(null).stream().filter(matches).sorted(order).toList();
        int offset = decodeToken(a.text("page_token", false));
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("model_versions");
        all.stream().skip(offset).limit(max).forEach(v -> list.add(versionJson(v)));
        if ((long) offset + max < all.size()) {
            out.put("next_page_token", encodeToken(offset + max));
        }
        return out;
    }

    // ---- JSON shapes (model_registry.proto) --------------------------------------------------

    static ObjectNode modelJson(ModelRegistry.Model m, List<ModelRegistry.Version> latest) {
        ObjectNode o = JSON.objectNode()
                .put("name", m.name())
                .put("creation_timestamp", m.creationTime())
                .put("last_updated_timestamp", m.lastUpdatedTime());
        if (m.userId() != null) {
            o.put("user_id", m.userId());
        }
        if (m.description() != null) {
            o.put("description", m.description());
        }
        ArrayNode lv = o.putArray("latest_versions");
        latest.forEach(v -> lv.add(versionJson(v)));
        ArrayNode tags = o.putArray("tags");
        m.tags().forEach((k, v) -> {
            ObjectNode t = tags.addObject().put("key", k);
            if (v != null) {
                t.put("value", v);
            }
        });
        ArrayNode aliases = o.putArray("aliases");
        m.aliases()
                .forEach((alias, version) ->
                        aliases.addObject().put("alias", alias).put("version", Integer.toString(version)));
        return o;
    }

    static ObjectNode versionJson(ModelRegistry.Version v) {
        ObjectNode o = JSON.objectNode()
                .put("name", v.name())
                .put("version", Integer.toString(v.version()))
                .put("creation_timestamp", v.creationTime())
                .put("last_updated_timestamp", v.lastUpdatedTime())
                .put("current_stage", v.stage())
                .put("source", v.source())
                .put("status", "READY");
        if (v.userId() != null) {
            o.put("user_id", v.userId());
        }
        if (v.description() != null) {
            o.put("description", v.description());
        }
        if (v.runUuid() != null) {
            o.put("run_id", v.runUuid());
        }
        if (v.runLink() != null) {
            o.put("run_link", v.runLink());
        }
        if (v.loggedModelId() != null) {
            o.put("model_id", v.loggedModelId());
        }
        ArrayNode tags = o.putArray("tags");
        v.tags().forEach((k, val) -> {
            ObjectNode t = tags.addObject().put("key", k);
            if (val != null) {
                t.put("value", val);
            }
        });
        ArrayNode aliases = o.putArray("aliases");
        v.aliases().forEach(aliases::add);
        return o;
    }

    // ---- request helpers ---------------------------------------------------------------------

    private static int maxResults(Args a, int defaultMax, int cap) {
        String v = a.text("max_results", false);
        if (v == null || v.isBlank()) {
            return Math.min(defaultMax, cap);
        }
        int max;
        try {
            max = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            max = -1;
        }
        if (max < 1 || max > cap) {
            throw MlflowException.invalid(
                    "max_results must be between 1 and " + cap + ", got " + ModelRegistry.abbreviate(v) + ".");
        }
        return max;
    }

    private String filter(Args a) {
        String f = a.text("filter", false);
        if (f != null && f.length() > limits.maxFilterLength()) {
            throw MlflowException.invalid("filter is " + f.length() + " characters long; the limit is "
                    + limits.maxFilterLength() + " (stainbench.tracking.max-filter-length).");
        }
        return f;
    }

    private List<String> orderBy(Args a) {
        List<String> orderBy = a.list("order_by");
        if (String.join(",", orderBy).length() > limits.maxFilterLength()) {
            throw MlflowException.invalid("order_by is longer than stainbench.tracking.max-filter-length ("
                    + limits.maxFilterLength() + " characters).");
        }
        return orderBy;
    }

    static int decodeToken(String token) {
        if (token == null || token.isBlank()) {
            return 0;
        }
        try {
            int offset =
                    Integer.parseInt(new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8));
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid("Invalid page token.");
        }
    }

    static String encodeToken(int offset) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Integer.toString(offset).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"registered_model": …}} with the model's latest version per stage, as get, rename and update answer. */
    private ObjectNode modelAnswer(ModelRegistry.Model m) {
        return JSON.objectNode().set("registered_model", modelJson(m, registry.latest(m.name(), List.of())));
    }
}
