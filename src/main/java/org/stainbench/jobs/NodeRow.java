package org.stainbench.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.stainbench.jobs.agent.Protocol;
import tools.jackson.core.type.TypeReference;

/** One row of {@code node}: a machine running an agent ({@code deregisteredAt}: its agent shut down). */
record NodeRow(
        long id,
        String name,
        long tokenId,
        String hostname,
        int cpus,
        long memoryMb,
        int gpuCount,
        long gpuMemoryMb,
        List<Protocol.Gpu> gpus,
        boolean oneJob,
        String agentVersion,
        Instant registeredAt,
        Instant lastHeartbeat,
        Instant deregisteredAt) {

    static NodeRow map(ResultSet rs, int row) throws SQLException {
        return new NodeRow(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getLong("token_id"),
                rs.getString("hostname"),
                rs.getInt("cpus"),
                rs.getLong("memory_mb"),
                rs.getInt("gpu_count"),
                rs.getLong("gpu_memory_mb"),
                Json.MAPPER.readValue(rs.getString("gpus"), new TypeReference<List<Protocol.Gpu>>() {}),
                rs.getBoolean("one_job"),
                rs.getString("agent_version"),
                JobRow.instant(rs, "registered_at"),
                JobRow.instant(rs, "last_heartbeat"),
                JobRow.instant(rs, "deregistered_at"));
    }

    boolean satisfies(Resources r) {
        return r.gpus() <= gpuCount
                && (r.gpus() == 0 || r.gpuMemoryMb() <= gpuMemoryMb)
                && r.cpus() <= cpus
                && r.memoryMb() <= memoryMb;
    }
}
