package org.stainbench.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.stainbench.jobs.agent.Protocol;
import tools.jackson.core.type.TypeReference;

/**
 * A row of {@code node} (V2, V42) for {@link NodeRepository}; the module reads the {@link NodeRow} record it maps
 * to. A registration writes the whole row; heartbeats and deregistration go through the repository's statements.
 */
@Entity
@Table(name = "node")
class NodeEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 128)
    private String name;

    @Column(name = "token_id", nullable = false)
    private long tokenId;

    @Column(nullable = false, length = 256)
    private String hostname;

    @Column(nullable = false)
    private int cpus;

    @Column(name = "memory_mb", nullable = false)
    private long memoryMb;

    @Column(name = "gpu_count", nullable = false)
    private int gpuCount;

    @Column(name = "gpu_memory_mb", nullable = false)
    private long gpuMemoryMb;

    /** The GPUs as JSON (a {@code text} column). */
    @Column(nullable = false)
    private String gpus;

    @Column(name = "one_job", nullable = false)
    private boolean oneJob;

    @Column(name = "agent_version", length = 64)
    private String agentVersion;

    @Column(name = "registered_at", nullable = false)
    private Instant registeredAt;

    @Column(name = "last_heartbeat", nullable = false)
    private Instant lastHeartbeat;

    @Column(name = "deregistered_at")
    private Instant deregisteredAt;

    protected NodeEntity() {}

    /** A node registering for the first time. */
    NodeEntity(String name, long tokenId, Instant at) {
        this.name = name;
        this.tokenId = tokenId;
        // to the microsecond, as the column keeps it: the row read back in the same transaction is the stored one
        this.registeredAt = at.truncatedTo(ChronoUnit.MICROS);
    }

    /** What a registration states; {@code name} and {@code registeredAt} stay, a deregistration is undone. */
    NodeEntity register(
            long tokenId,
            String hostname,
            int cpus,
            long memoryMb,
            int gpuCount,
            long gpuMemoryMb,
            String gpus,
            boolean oneJob,
            String agentVersion,
            Instant at) {
        this.tokenId = tokenId;
        this.hostname = hostname;
        this.cpus = cpus;
        this.memoryMb = memoryMb;
        this.gpuCount = gpuCount;
        this.gpuMemoryMb = gpuMemoryMb;
        this.gpus = gpus;
        this.oneJob = oneJob;
        this.agentVersion = agentVersion;
        this.lastHeartbeat = at.truncatedTo(ChronoUnit.MICROS);
        this.deregisteredAt = null;
        return this;
    }

    NodeRow toRow() {
        return new NodeRow(
                id,
                name,
                tokenId,
                hostname,
                cpus,
                memoryMb,
                gpuCount,
                gpuMemoryMb,
                Json.MAPPER.readValue(gpus, new TypeReference<List<Protocol.Gpu>>() {}),
                oneJob,
                agentVersion,
                registeredAt,
                lastHeartbeat,
                deregisteredAt);
    }
}
