package org.stainbench.training;

import org.springframework.stereotype.Component;
import org.stainbench.checkpoints.RunNames;

/** {@link RunNames} from the tracking store: the run's recorded name. One indexed lookup per call. */
@Component("runNames")
class TrackedRunNames implements RunNames {

    private final TrackingStore store;

    TrackedRunNames(TrackingStore store) {
        this.store = store;
    }

    @Override
    public String label(String runUuid) {
        if (runUuid == null) {
            return null;
        }
        return store.run(runUuid)
                .map(Tracking.RunInfo::name)
                .filter(n -> n != null && !n.isBlank())
                .orElse(runUuid.length() > 8 ? runUuid.substring(0, 8) : runUuid);
    }
}
