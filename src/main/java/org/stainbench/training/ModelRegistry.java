package org.stainbench.training;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Lazy;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.shell.Activity;
import org.stainbench.shell.Names;

/**
 * MLflow's model registry (issue 19 item 2) in SQL ({@code V64}): registered models, their versions, tags, aliases and
 * stages, with the rules of MLflow 2.x's registry (mlflow/store/model_registry/sqlalchemy_store.py): version numbers
 * count up per model and are never reused, a version starts in stage {@code None}, a transition with
 * {@code archive_existing_versions} archives the other versions in the target stage (Staging or Production only),
 * deleting a version drops the aliases that point at it, {@code latest} and {@code v<number>} are not alias names.
 * <p>
 * A version <em>is</em> a Stainbench checkpoint: creating one makes (or links to) a checkpoint through
 * {@link Checkpoints#registerRegistryVersion}, which stays when the version or its model is deleted (it may have
 * generated sets, evaluations and reviews of its own). Where a version's files are ({@code storage_location}, what
 * {@code model-versions/get-download-uri} answers) is resolved once, when it is created: {@code runs:/<run>/<path>}
 * to the run's artifact folder, {@code models:/m-<id>} to the logged model's, {@code models:/<name>/<version>} to that
 * version's; {@code mlflow-artifacts:} and other remote URIs stay as given; local paths are refused.
 */
@Repository
@Transactional
class ModelRegistry {

    static final int MAX_NAME = 256;
    static final int MAX_DESCRIPTION = 5000;
    static final int MAX_SOURCE = 1000;
    static final int MAX_TAG_KEY = 250;
    static final int MAX_TAG_VALUE = 5000;
    static final int MAX_ALIAS = 255;
    static final int MAX_RUN_LINK = 500;
    static final List<String> STAGES = List.of("None", "Staging", "Production", "Archived");

    /** A registered model with its tags and aliases (alias → version). */
    record Model(
            long id,
            String name,
            String description,
            String userId,
            long creationTime,
            long lastUpdatedTime,
            Map<String, String> tags,
            Map<String, Integer> aliases) {}

    /** A model version with its tags and the aliases that point at it. */
    record Version(
            long id,
            long modelId,
            String name,
            int version,
            String source,
            String runUuid,
            String runLink,
            String loggedModelId,
            String storageLocation,
            String description,
            String stage,
            String userId,
            long creationTime,
            long lastUpdatedTime,
            Long checkpointId,
            Map<String, String> tags,
            List<String> aliases) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TrackingStore tracking;
    private final Checkpoints checkpoints;
    private final ObjectProvider<LoggedModelLocations> loggedModels;
    private final org.springframework.context.ApplicationEventPublisher events;

    ModelRegistry(
            JdbcClient jdbc,
            Clock clock,
            TrackingStore tracking,
            @Lazy Checkpoints checkpoints,
            ObjectProvider<LoggedModelLocations> loggedModels,
            org.springframework.context.ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.tracking = tracking;
        this.checkpoints = checkpoints;
        this.loggedModels = loggedModels;
        this.events = events;
    }

    // ---- registered models -------------------------------------------------------------------

    Model createModel(String name, String description, Map<String, String> tags, String user) {
        checkName(name, "name");
        checkLength("description", description, MAX_DESCRIPTION);
        tags.forEach(ModelRegistry::checkTag);
        if (modelByName(name).isPresent()) {
            throw MlflowException.exists("Registered Model (name=" + name + ") already exists.");
        }
        long now = clock.millis();
        var keys = new GeneratedKeyHolder();
        try {
            jdbc.sql("insert into registered_model (name, description, user_id, creation_time, last_updated_time,"
                            + " last_version) values (:name, :description, :userId, :creationTime,"
                            + " :lastUpdatedTime, 0)")
                    .param("name", name)
                    .param("description", description)
                    .param("userId", user)
                    .param("creationTime", now)
                    .param("lastUpdatedTime", now)
                    .update(keys, "id");
        } catch (DuplicateKeyException e) {
            throw MlflowException.exists("Registered Model (name=" + name + ") already exists.");
        }
        long id = keys.getKey().longValue();
        tags.forEach(
                (k, v) -> jdbc.sql("insert into registered_model_tag (model_id, tag_key, tag_value) values (?, ?, ?)")
                        .params(id, k, v)
                        .update());
        Model m = requireModel(name);
        events.publishEvent(Activity.of(
                user,
                "registered",
                "registered model",
                m.id(),
                "Registered model '" + m.name() + "' (API)",
                "/checkpoints"));
        return m;
    }

    @Transactional(readOnly = true)
    Optional<Model> modelByName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return jdbc.sql("select * from registered_model where name = ?")
                .param(name)
                .query(this::modelRow)
                .optional()
                .map(this::withTagsAndAliases);
    }

    @Transactional(readOnly = true)
    Model requireModel(String name) {
        if (name == null || name.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'name'.");
        }
        return modelByName(name)
                .orElseThrow(() -> MlflowException.notFound("Registered Model with name=" + name + " not found"));
    }

    /** Every registered model with its tags and aliases: three queries whatever their number. */
    @Transactional(readOnly = true)
    List<Model> models() {
        Map<Long, Map<String, String>> tags = new TreeMap<>();
        jdbc.sql("select model_id, tag_key, tag_value from registered_model_tag order by tag_key")
                .query(rs -> {
                    tags.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getString(3));
                });
        Map<Long, Map<String, Integer>> aliases = new TreeMap<>();
        jdbc.sql("select model_id, alias, version from registered_model_alias order by alias")
                .query(rs -> {
                    aliases.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getInt(3));
                });
        return jdbc.sql("select * from registered_model order by name").query(this::modelRow).list().stream()
                .map(m -> new Model(
                        m.id(),
                        m.name(),
                        m.description(),
                        m.userId(),
                        m.creationTime(),
                        m.lastUpdatedTime(),
                        tags.getOrDefault(m.id(), Map.of()),
                        aliases.getOrDefault(m.id(), Map.of())))
                .toList();
    }

    Model rename(String name, String newName) {
        Model m = requireModel(name);
        checkName(newName, "new_name");
        if (!newName.equals(name) && modelByName(newName).isPresent()) {
            throw MlflowException.exists("Registered Model (name=" + newName + ") already exists.");
        }
        try {
            jdbc.sql("update registered_model set name = ?, last_updated_time = ? where id = ?")
                    .params(newName, clock.millis(), m.id())
                    .update();
        } catch (DuplicateKeyException e) {
            throw MlflowException.exists("Registered Model (name=" + newName + ") already exists.");
        }
        return requireModel(newName);
    }

    Model updateModel(String name, String description) {
        Model m = requireModel(name);
        checkLength("description", description, MAX_DESCRIPTION);
        jdbc.sql("update registered_model set description = ?, last_updated_time = ? where id = ?")
                .params(description, clock.millis(), m.id())
                .update();
        return requireModel(name);
    }

    /** Deletes the model with its versions, tags and aliases; the checkpoints its versions were stay. */
    void deleteModel(String name) {
        Model m = requireModel(name);
        jdbc.sql("delete from model_version_tag where version_id in (select id from model_version where model_id = ?)")
                .param(m.id())
                .update();
        jdbc.sql("delete from model_version where model_id = ?").param(m.id()).update();
        jdbc.sql("delete from registered_model_alias where model_id = ?")
                .param(m.id())
                .update();
        jdbc.sql("delete from registered_model_tag where model_id = ?")
                .param(m.id())
                .update();
        jdbc.sql("delete from registered_model where id = ?").param(m.id()).update();
    }

    void setModelTag(String name, String key, String value) {
        Model m = requireModel(name);
        checkTag(key, value);
        if (jdbc.sql("update registered_model_tag set tag_value = ? where model_id = ? and tag_key = ?")
                        .params(value, m.id(), key)
                        .update()
                == 0) {
            jdbc.sql("insert into registered_model_tag (model_id, tag_key, tag_value) values (?, ?, ?)")
                    .params(m.id(), key, value)
                    .update();
        }
    }

    void deleteModelTag(String name, String key) {
        Model m = requireModel(name);
        requireKey(key);
        if (jdbc.sql("delete from registered_model_tag where model_id = ? and tag_key = ?")
                        .params(m.id(), key)
                        .update()
                == 0) {
            throw MlflowException.notFound("No tag with name: " + key + " in registered model " + name + ".");
        }
    }

    // ---- aliases -----------------------------------------------------------------------------

    void setAlias(String name, String alias, String version) {
        Model m = requireModel(name);
        checkAlias(alias);
        Version v = requireVersion(name, version);
        if (jdbc.sql("update registered_model_alias set version = ? where model_id = ? and alias = ?")
                        .params(v.version(), m.id(), alias)
                        .update()
                == 0) {
            jdbc.sql("insert into registered_model_alias (model_id, alias, version) values (?, ?, ?)")
                    .params(m.id(), alias, v.version())
                    .update();
        }
        touch(m.id());
    }

    void deleteAlias(String name, String alias) {
        Model m = requireModel(name);
        if (alias == null || alias.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'alias'.");
        }
        if (jdbc.sql("delete from registered_model_alias where model_id = ? and alias = ?")
                        .params(m.id(), alias)
                        .update()
                == 0) {
            throw MlflowException.notFound("Registered model alias " + alias + " not found.");
        }
        touch(m.id());
    }

    @Transactional(readOnly = true)
    Version byAlias(String name, String alias) {
        Model m = requireModel(name);
        if (alias == null || alias.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'alias'.");
        }
        Integer version = m.aliases().get(alias);
        if (version == null) {
            throw MlflowException.notFound("Registered model alias " + alias + " not found.");
        }
        return requireVersion(name, Integer.toString(version));
    }

    // ---- model versions ----------------------------------------------------------------------

    /**
     * A new version of model {@code name} (in stage None) and the checkpoint it is. Its epoch (for the checkpoint) is
     * the version's {@code epoch} tag, else the latest value of its run's {@code epoch} metric, else none.
     */
    Version createVersion(
            String name,
            String source,
            String runId,
            String runLink,
            String description,
            Map<String, String> tags,
            String loggedModelId,
            String user) {
        Model m = requireModel(name);
        if (source == null || source.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'source'.");
        }
        checkLength("source", source, MAX_SOURCE);
        Names.check("source", source, MlflowException::invalid);
        checkLength("run_link", runLink, MAX_RUN_LINK);
        checkLength("description", description, MAX_DESCRIPTION);
        tags.forEach(ModelRegistry::checkTag);
        String run = runId == null || runId.isBlank() ? null : runId.trim();
        Tracking.RunInfo runInfo = null;
        if (run != null) {
            runInfo = tracking.run(run)
                    .orElseThrow(() -> MlflowException.invalid("run_id: no run with id '" + abbreviate(runId) + "'."));
        }
        String model = loggedModelId == null || loggedModelId.isBlank() ? null : loggedModelId.trim();
        if (model != null && !model.matches("m-[A-Za-z0-9]{1,62}")) {
            throw MlflowException.invalid("model_id: '" + abbreviate(model) + "' is not a logged model id (m-<hex>).");
        }
        String storage = storageLocation(source.trim(), runInfo, model);
        if (runInfo == null && source.trim().startsWith("runs:/")) {
            runInfo = tracking.run(source.trim().substring("runs:/".length()).split("/", 2)[0])
                    .orElse(null);
        }
        long now = clock.millis();
        jdbc.sql("update registered_model set last_version = last_version + 1, last_updated_time = ? where id = ?")
                .params(now, m.id())
                .update();
        int number = jdbc.sql("select last_version from registered_model where id = ?")
                .param(m.id())
                .query(Integer.class)
                .single();
        var keys = new GeneratedKeyHolder();
        jdbc.sql("insert into model_version (model_id, version, source, run_uuid, run_link, logged_model_id,"
                        + " storage_location, description, current_stage, user_id, creation_time, last_updated_time)"
                        + " values (:modelId, :version, :source, :runUuid, :runLink, :loggedModelId,"
                        + " :storageLocation, :description, 'None', :userId, :creationTime, :lastUpdatedTime)")
                .param("modelId", m.id())
                .param("version", number)
                .param("source", source.trim())
                .param("runUuid", runInfo == null ? null : runInfo.uuid())
                .param("runLink", runLink)
                .param("loggedModelId", model)
                .param("storageLocation", storage)
                .param("description", description)
                .param("userId", user)
                .param("creationTime", now)
                .param("lastUpdatedTime", now)
                .update(keys, "id");
        long id = keys.getKey().longValue();
        tags.forEach(
                (k, v) -> jdbc.sql("insert into model_version_tag (version_id, tag_key, tag_value) values (?, ?, ?)")
                        .params(id, k, v)
                        .update());
        Integer epoch = epoch(tags.get("epoch"), runInfo);
        Checkpoint c;
        try {
            c = checkpoints.registerRegistryVersion(
                    name, number, runInfo == null ? null : runInfo.uuid(), epoch, source.trim(), user);
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid(e.getMessage());
        }
        jdbc.sql("update model_version set checkpoint_id = ? where id = ?")
                .params(c.id(), id)
                .update();
        Version v = requireVersion(name, Integer.toString(number));
        events.publishEvent(Activity.of(
                user,
                "registered",
                "model version",
                v.id(),
                "Registered version " + v.version() + " of model '" + v.name() + "' (API)",
                v.checkpointId() == null ? "/checkpoints" : "/checkpoints/" + v.checkpointId()));
        return v;
    }

    @Transactional(readOnly = true)
    Version requireVersion(String name, String version) {
        Model m = requireModel(name);
        int number = versionNumber(version);
        return jdbc.sql("select v.*, m.name from model_version v join registered_model m on m.id = v.model_id"
                        + " where v.model_id = ? and v.version = ?")
                .params(m.id(), number)
                .query(this::versionRow)
                .optional()
                .map(v -> withTags(List.of(v)).get(0))
                .orElseThrow(() -> MlflowException.notFound(
                        "Model Version (name=" + name + ", version=" + number + ") not found"));
    }

    /** Versions of one model (or of all models, {@code modelId} null) with their tags and aliases. */
    @Transactional(readOnly = true)
    List<Version> versions(Long modelId) {
        List<Version> rows = jdbc.sql(
                        "select v.*, m.name from model_version v join registered_model m on m.id = v.model_id"
                                + (modelId == null ? "" : " where v.model_id = ?") + " order by m.name, v.version desc")
                .params(modelId == null ? List.of() : List.of(modelId))
                .query(this::versionRow)
                .list();
        return withTags(rows);
    }

    /** The versions that are a checkpoint, oldest first. */
    @Transactional(readOnly = true)
    List<Version> versionsOfCheckpoint(long checkpointId) {
        return withTags(jdbc.sql("select v.*, m.name from model_version v join registered_model m on m.id = v.model_id"
                        + " where v.checkpoint_id = ? order by v.creation_time, v.id")
                .param(checkpointId)
                .query(this::versionRow)
                .list());
    }

    /** For each stage asked for (all four when none), the highest version in it. */
    @Transactional(readOnly = true)
    List<Version> latest(String name, List<String> stages) {
        Model m = requireModel(name);
        List<String> wanted = stages == null || stages.isEmpty()
                ? STAGES
                : stages.stream().map(ModelRegistry::stage).toList();
        Map<String, Version> byStage = new LinkedHashMap<>();
        for (Version v : versions(m.id())) {
            if (wanted.contains(v.stage())) {
                byStage.merge(v.stage(), v, (a, b) -> a.version() >= b.version() ? a : b);
            }
        }
        return byStage.values().stream()
                .sorted(Comparator.comparingInt(Version::version))
                .toList();
    }

    Version updateVersion(String name, String version, String description) {
        Version v = requireVersion(name, version);
        checkLength("description", description, MAX_DESCRIPTION);
        jdbc.sql("update model_version set description = ?, last_updated_time = ? where id = ?")
                .params(description, clock.millis(), v.id())
                .update();
        return requireVersion(name, version);
    }

    Version transition(String name, String version, String stage, boolean archiveExisting) {
        Version v = requireVersion(name, version);
        if (stage == null || stage.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'stage'.");
        }
        String target = stage(stage);
        if (archiveExisting && !(target.equals("Staging") || target.equals("Production"))) {
            throw MlflowException.invalid("Model version transition cannot archive existing model versions because '"
                    + target + "' is not an Active stage. Valid stages are Staging and Production.");
        }
        long now = clock.millis();
        if (archiveExisting) {
            jdbc.sql("update model_version set current_stage = 'Archived', last_updated_time = ?"
                            + " where model_id = ? and current_stage = ? and id <> ?")
                    .params(now, v.modelId(), target, v.id())
                    .update();
        }
        jdbc.sql("update model_version set current_stage = ?, last_updated_time = ? where id = ?")
                .params(target, now, v.id())
                .update();
        touch(v.modelId());
        return requireVersion(name, version);
    }

    /** Deletes the version, its tags and the aliases pointing at it; its checkpoint stays. */
    void deleteVersion(String name, String version) {
        Version v = requireVersion(name, version);
        jdbc.sql("delete from model_version_tag where version_id = ?")
                .param(v.id())
                .update();
        jdbc.sql("delete from registered_model_alias where model_id = ? and version = ?")
                .params(v.modelId(), v.version())
                .update();
        jdbc.sql("delete from model_version where id = ?").param(v.id()).update();
        touch(v.modelId());
    }

    void setVersionTag(String name, String version, String key, String value) {
        Version v = requireVersion(name, version);
        checkTag(key, value);
        if (jdbc.sql("update model_version_tag set tag_value = ? where version_id = ? and tag_key = ?")
                        .params(value, v.id(), key)
                        .update()
                == 0) {
            jdbc.sql("insert into model_version_tag (version_id, tag_key, tag_value) values (?, ?, ?)")
                    .params(v.id(), key, value)
                    .update();
        }
    }

    void deleteVersionTag(String name, String version, String key) {
        Version v = requireVersion(name, version);
        requireKey(key);
        if (jdbc.sql("delete from model_version_tag where version_id = ? and tag_key = ?")
                        .params(v.id(), key)
                        .update()
                == 0) {
            throw MlflowException.notFound(
                    "No tag with name: " + key + " for model version " + name + " version " + v.version() + ".");
        }
    }

    /** Where the version's files are (what {@code get-download-uri} answers). */
    @Transactional(readOnly = true)
    String downloadUri(String name, String version) {
        Version v = requireVersion(name, version);
        return v.storageLocation() != null ? v.storageLocation() : v.source();
    }

    // ---- resolving sources -------------------------------------------------------------------

    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*", Pattern.DOTALL);

    /** The storage location of a new version's {@code source} (see the class comment). */
    String storageLocation(String source, Tracking.RunInfo run, String loggedModelId) {
        if (source.startsWith("mlflow-artifacts:")) {
            return source;
        }
        if (source.startsWith("runs:/")) {
            String[] parts = source.substring("runs:/".length()).split("/", 2);
            Tracking.RunInfo r = tracking.run(parts[0])
                    .orElseThrow(() -> MlflowException.invalid(
                            "source: no run with id '" + abbreviate(parts[0]) + "' (" + abbreviate(source) + ")."));
            if (run != null && !run.uuid().equals(r.uuid())) {
                throw MlflowException.invalid("source names run " + r.uuid() + " but run_id is " + run.uuid() + ".");
            }
            String path = parts.length > 1 ? trimSlashes(parts[1]) : "";
            checkRelative(path, source);
            return path.isEmpty() ? r.artifactUri() : r.artifactUri() + "/" + path;
        }
        if (source.startsWith("models:/")) {
            String rest = trimSlashes(source.substring("models:/".length()));
            if (rest.matches("m-[A-Za-z0-9]{1,62}")) {
                return loggedModelLocation(rest, run);
            }
            return resolveModelUri(rest, source).storageLocation();
        }
        Matcher m = SCHEME.matcher(source);
        if (m.matches() && m.group(1).length() > 1 && !m.group(1).equalsIgnoreCase("file")) {
            return source;
        }
        throw MlflowException.invalid("Invalid model version source: '" + abbreviate(source) + "'. A source is a "
                + "runs:/, models:/ or mlflow-artifacts:/ URI (or another remote URI); local paths are not accepted.");
    }

    private String loggedModelLocation(String modelId, Tracking.RunInfo run) {
        LoggedModelLocations located = loggedModels.getIfAvailable();
        Optional<String> found = located == null ? Optional.empty() : located.artifactLocation(modelId);
        if (found.isPresent()) {
            return found.get();
        }
        if (run != null) {
            String experimentLocation =
                    tracking.requireExperiment(run.experimentId()).artifactLocation();
            return experimentLocation + "/models/" + modelId + "/artifacts";
        }
        throw MlflowException.invalid("source: logged model '" + modelId + "' is unknown; give its run_id.");
    }

    /** {@code name/version}, {@code name@alias}, {@code name/latest} or {@code name/<stage>} of a models:/ URI. */
    Version resolveModelUri(String rest, String uri) {
        int at = rest.lastIndexOf('@');
        if (at > 0 && !rest.substring(at).contains("/")) {
            return byAlias(rest.substring(0, at), rest.substring(at + 1));
        }
        int slash = rest.lastIndexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw MlflowException.invalid("Not a model URI: '" + abbreviate(uri) + "' (models:/<name>/<version>, "
                    + "models:/<name>/<stage> or models:/<name>@<alias>).");
        }
        String name = rest.substring(0, slash);
        String which = rest.substring(slash + 1);
        if (which.matches("\\d{1,9}")) {
            return requireVersion(name, which);
        }
        List<Version> found = which.equalsIgnoreCase("latest") ? latest(name, List.of()) : latest(name, List.of(which));
        return found.stream()
                .max(Comparator.comparingInt(Version::version))
                .orElseThrow(() -> MlflowException.notFound(
                        "No versions of model with name '" + name + "' and stage '" + which + "' found"));
    }

    // ---- rows and rules ----------------------------------------------------------------------

    private Integer epoch(String tag, Tracking.RunInfo run) {
        if (tag != null && tag.trim().matches("\\d{1,9}")) {
            return Integer.parseInt(tag.trim());
        }
        if (run == null) {
            return null;
        }
        Double e = tracking.full(run).latest("epoch");
        return e == null || !Double.isFinite(e) || e < 0 || e > Integer.MAX_VALUE ? null : (int) Math.round(e);
    }

    private void touch(long modelId) {
        jdbc.sql("update registered_model set last_updated_time = ? where id = ?")
                .params(clock.millis(), modelId)
                .update();
    }

    private Model modelRow(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Model(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("user_id"),
                rs.getLong("creation_time"),
                rs.getLong("last_updated_time"),
                Map.of(),
                Map.of());
    }

    private Model withTagsAndAliases(Model m) {
        Map<String, String> tags = new LinkedHashMap<>();
        jdbc.sql("select tag_key, tag_value from registered_model_tag where model_id = ? order by tag_key")
                .param(m.id())
                .query(rs -> {
                    tags.put(rs.getString(1), rs.getString(2));
                });
        Map<String, Integer> aliases = new LinkedHashMap<>();
        jdbc.sql("select alias, version from registered_model_alias where model_id = ? order by alias")
                .param(m.id())
                .query(rs -> {
                    aliases.put(rs.getString(1), rs.getInt(2));
                });
        return new Model(
                m.id(), m.name(), m.description(), m.userId(), m.creationTime(), m.lastUpdatedTime(), tags, aliases);
    }

    private Version versionRow(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        long checkpoint = rs.getLong("checkpoint_id");
        return new Version(
                rs.getLong("id"),
                rs.getLong("model_id"),
                rs.getString("name"),
                rs.getInt("version"),
                rs.getString("source"),
                rs.getString("run_uuid"),
                rs.getString("run_link"),
                rs.getString("logged_model_id"),
                rs.getString("storage_location"),
                rs.getString("description"),
                rs.getString("current_stage"),
                rs.getString("user_id"),
                rs.getLong("creation_time"),
                rs.getLong("last_updated_time"),
                rs.wasNull() ? null : checkpoint,
                Map.of(),
                List.of());
    }

    /** The versions with their tags and aliases: two queries for any number of versions. */
    private List<Version> withTags(List<Version> rows) {
        if (rows.isEmpty()) {
            return rows;
        }
        Map<Long, Map<String, String>> tags = new TreeMap<>();
        Map<Long, Map<Integer, List<String>>> aliases = new TreeMap<>();
        List<Long> ids = rows.stream().map(Version::id).toList();
        List<Long> models = rows.stream().map(Version::modelId).distinct().toList();
        jdbc.sql(
                        "select version_id, tag_key, tag_value from model_version_tag where version_id in (:ids) order by tag_key")
                .param("ids", ids)
                .query(rs -> {
                    tags.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getString(3));
                });
        jdbc.sql("select model_id, version, alias from registered_model_alias where model_id in (:ids) order by alias")
                .param("ids", models)
                .query(rs -> {
                    aliases.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>())
                            .computeIfAbsent(rs.getInt(2), k -> new ArrayList<>())
                            .add(rs.getString(3));
                });
        return rows.stream()
                .map(v -> new Version(
                        v.id(),
                        v.modelId(),
                        v.name(),
                        v.version(),
                        v.source(),
                        v.runUuid(),
                        v.runLink(),
                        v.loggedModelId(),
                        v.storageLocation(),
                        v.description(),
                        v.stage(),
                        v.userId(),
                        v.creationTime(),
                        v.lastUpdatedTime(),
                        v.checkpointId(),
                        tags.getOrDefault(v.id(), Map.of()),
                        aliases.getOrDefault(v.modelId(), Map.of()).getOrDefault(v.version(), List.of())))
                .toList();
    }

    /** MLflow's stage names, matched without regard to case ("production" is Production). */
    static String stage(String stage) {
        if (stage != null) {
            for (String s : STAGES) {
                if (s.equalsIgnoreCase(stage.trim())) {
                    return s;
                }
            }
        }
        throw MlflowException.invalid("Invalid Model Version stage: " + abbreviate(String.valueOf(stage))
                + ". Value must be one of None, Staging, Production, Archived.");
    }

    static int versionNumber(String version) {
        if (version == null || version.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'version'.");
        }
        try {
            int n = Integer.parseInt(version.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw MlflowException.invalid(
                    "Parameter 'version' must be a positive integer, got '" + abbreviate(version) + "'.");
        }
    }

    private static void checkName(String name, String field) {
        if (name == null || name.isBlank()) {
            throw MlflowException.invalid("Registered model name cannot be empty (parameter '" + field + "').");
        }
        checkLength(field, name, MAX_NAME);
        Names.check("The registered model name", name, MlflowException::invalid);
        if (name.contains("/")) {
            throw MlflowException.invalid("Parameter '" + field + "': a registered model name may not contain '/' (it"
                    + " separates the version or stage in models:/ URIs).");
        }
    }

    private static void checkAlias(String alias) {
        if (alias == null || alias.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'alias'.");
        }
        checkLength("alias", alias, MAX_ALIAS);
        Names.check("The alias", alias, MlflowException::invalid);
        if (alias.equalsIgnoreCase("latest") || alias.matches("(?i)v\\d+") || !alias.matches("[\\w-]+")) {
            throw MlflowException.invalid(
                    "Invalid alias name '" + abbreviate(alias) + "': an alias has letters, digits,"
                            + " '_' and '-', and is neither 'latest' nor v<number> (reserved by models:/ URIs).");
        }
    }

    private static void checkTag(String key, String value) {
        requireKey(key);
        checkLength("tag key", key, MAX_TAG_KEY);
        Names.check("The tag key", key, MlflowException::invalid);
        checkLength("value of tag '" + abbreviate(key) + "'", value, MAX_TAG_VALUE);
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'key'.");
        }
    }

    private static void checkRelative(String path, String source) {
        for (String part : path.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw MlflowException.invalid(
                        "source: '" + abbreviate(source) + "' may not hold '.' or '..' segments.");
            }
        }
    }

    private static String trimSlashes(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && s.charAt(a) == '/') {
            a++;
        }
        while (b > a && s.charAt(b - 1) == '/') {
            b--;
        }
        return s.substring(a, b);
    }

    static void checkLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw MlflowException.invalid(
                    "Parameter '" + field + "' is " + value.length() + " characters long; the limit is " + max + ".");
        }
    }

    static String abbreviate(String s) {
        return s == null ? null : s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
