package org.stainbench.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.stainbench.checkpoints.RegisteredVersions;

/**
 * {@link RegisteredVersions} from the model registry, for the checkpoint page: a few indexed queries per checkpoint
 * (its versions, the versions of their models, their run's latest metrics).
 */
@Component("registeredVersions")
class RegistryEntries implements RegisteredVersions {

    /** Metrics shown per version (the run page has them all). */
    static final int MAX_METRICS = 20;

    private final ModelRegistry registry;
    private final TrackingStore tracking;

    RegistryEntries(ModelRegistry registry, TrackingStore tracking) {
        this.registry = registry;
        this.tracking = tracking;
    }

    @Override
    public List<Entry> of(long checkpointId) {
        List<Entry> out = new ArrayList<>();
        for (ModelRegistry.Version v : registry.versionsOfCheckpoint(checkpointId)) {
            Map<Integer, String> all = new LinkedHashMap<>();
            registry.versions(v.modelId()).forEach(o -> all.put(o.version(), o.stage()));
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (v.runUuid() != null) {
                tracking.run(v.runUuid()).ifPresent(r -> tracking.full(r).latestMetrics().stream()
                        .limit(MAX_METRICS)
                        .forEach(m -> metrics.put(m.key(), m.value())));
            }
            out.add(new Entry(
                    v.name(),
                    v.version(),
                    v.stage(),
                    v.aliases(),
                    all,
                    metrics,
                    v.storageLocation() != null ? v.storageLocation() : v.source()));
        }
        return out;
    }
}
