package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.server.ResponseStatusException;
import org.stainbench.jobs.agent.Protocol;

/**
 * Issue 20 item 4: the {@code node} table is a Spring Data repository behind {@link AgentService}: a registration
 * writes the row (GPUs as JSON), registering again updates it in place and undoes a deregistration, heartbeats and
 * deregistration change one column each, and a node held online by another token is refused.
 */
@SpringBootTest
@ActiveProfiles("test")
class NodeRepositoryTest {

    @Autowired
    AgentService agents;

    @Autowired
    NodeRepository nodes;

    static final List<Protocol.Gpu> GPUS =
            List.of(new Protocol.Gpu(0, "Test GPU", 24_000, "GPU-a"), new Protocol.Gpu(1, "Test GPU", 16_000, "GPU-b"));

    @Test
    void registerHeartbeatDeregisterAndRegisterAgain() {
        String name = "repo-node-" + UUID.randomUUID().toString().substring(0, 8);
        agents.register(4242L, new Protocol.Registration(name, null, 0, 0, GPUS, true, "v1"));

        NodeRow n = agents.node(name).orElseThrow();
        assertThat(n.tokenId()).isEqualTo(4242L);
        assertThat(n.hostname()).isEqualTo(name); // no hostname: the name
        assertThat(n.cpus()).isEqualTo(1); // at least one
        assertThat(n.memoryMb()).isEqualTo(1);
        assertThat(n.gpuCount()).isEqualTo(2);
        assertThat(n.gpuMemoryMb()).isEqualTo(16_000); // the smallest GPU
        assertThat(n.gpus()).isEqualTo(GPUS);
        assertThat(n.oneJob()).isTrue();
        assertThat(n.agentVersion()).isEqualTo("v1");
        assertThat(n.lastHeartbeat()).isEqualTo(n.registeredAt());
        assertThat(n.deregisteredAt()).isNull();
        assertThat(agents.nodes()).extracting(NodeRow::name).contains(name).isSorted();

        agents.deregister(4242L, name);
        assertThat(agents.node(name).orElseThrow().deregisteredAt()).isNotNull();
        assertThat(nodes.existsByIdAndDeregisteredAtIsNull(n.id())).isFalse();

        agents.register(4242L, new Protocol.Registration(name, "host-2", 8, 4096, List.of(), false, "v2"));
        NodeRow again = agents.node(name).orElseThrow();
        assertThat(again.id()).isEqualTo(n.id());
        assertThat(again.registeredAt()).isEqualTo(n.registeredAt());
        assertThat(again.hostname()).isEqualTo("host-2");
        assertThat(again.cpus()).isEqualTo(8);
        assertThat(again.gpus()).isEmpty();
        assertThat(again.gpuCount()).isZero();
        assertThat(again.deregisteredAt()).isNull();
        assertThat(nodes.existsByIdAndDeregisteredAtIsNull(n.id())).isTrue();
        assertThat(nodes.findAll())
                .filteredOn(e -> e.toRow().name().equals(name))
                .hasSize(1);

        assertThat(nodes.heartbeat(n.id(), again.lastHeartbeat().plusSeconds(30)))
                .isEqualTo(1);
        assertThat(agents.node(name).orElseThrow().lastHeartbeat())
                .isEqualTo(again.lastHeartbeat().plusSeconds(30));

        // online with token 4242: another token may not take the name
        assertThatThrownBy(() ->
                        agents.register(4343L, new Protocol.Registration(name, "thief", 1, 1, List.of(), false, "v3")))
                .isInstanceOf(ResponseStatusException.class)
                .hasMessageContaining("registered and online with another token");
        assertThat(agents.node(name).orElseThrow().hostname()).isEqualTo("host-2");
    }
}
