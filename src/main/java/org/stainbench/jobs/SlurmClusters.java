package org.stainbench.jobs;

import java.util.List;
import org.springframework.stereotype.Component;

/** What the pages show of the configured Slurm cluster. */
@Component
class SlurmClusters {

    record Partition(String name, int nodes, int gpus, String state) {}

    private final SlurmProperties properties;
    private final SlurmGateway gateway;

    SlurmClusters(SlurmProperties properties, SlurmGateway gateway) {
        this.properties = properties;
        this.gateway = gateway;
    }

    boolean enabled() {
        return properties.mode() != SlurmProperties.Mode.NONE;
    }

    List<Partition> partitions() {
        try {
            return gateway.partitions();
        } catch (RuntimeException e) {
            return List.of(new Partition("unreachable: " + e.getMessage(), 0, 0, "?"));
        }
    }
}
