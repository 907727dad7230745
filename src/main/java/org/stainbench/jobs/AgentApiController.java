package org.stainbench.jobs;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stainbench.accounts.ApiPrincipal;
import org.stainbench.jobs.agent.Protocol;

/** The node agent API. Only NODE-scope tokens; a node works only on the jobs it holds. */
@RestController
class AgentApiController {

    private final AgentService agents;

    AgentApiController(AgentService agents) {
        this.agents = agents;
    }

    private long node(ApiPrincipal caller) {
        return agents.nodeToken(caller);
    }

    @PostMapping("/api/nodes/register")
    Protocol.Registered register(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody Protocol.Registration r) {
        return agents.register(node(caller), r);
    }

    @PostMapping("/api/nodes/{name}/heartbeat")
    Protocol.HeartbeatReply heartbeat(
            @AuthenticationPrincipal ApiPrincipal caller,
            @PathVariable String name,
            @RequestBody Protocol.Heartbeat beat) {
        return agents.heartbeat(node(caller), name, beat);
    }

    /** The agent is shutting down: its node gets no more work until it registers again. */
    @PostMapping("/api/nodes/{name}/deregister")
    ResponseEntity<Void> deregister(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable String name) {
        agents.deregister(node(caller), name);
        return ResponseEntity.noContent().build();
    }

    /** Long poll: 200 with an assignment (already claimed for this node) or 204 when nothing came in time. */
    @PostMapping("/api/nodes/{name}/poll")
    ResponseEntity<Protocol.Assignment> poll(
            @AuthenticationPrincipal ApiPrincipal caller,
            @PathVariable String name,
            @RequestParam(defaultValue = "20000") long waitMs)
            throws InterruptedException {
        return agents.poll(node(caller), name, waitMs)
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping("/api/jobs/{id}/start")
    ResponseEntity<Void> start(
            @AuthenticationPrincipal ApiPrincipal caller, @PathVariable long id, @RequestBody Protocol.Start start) {
        agents.start(node(caller), id, start);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/jobs/{id}/adopt")
    Protocol.Assignment adopt(
            @AuthenticationPrincipal ApiPrincipal caller, @PathVariable long id, @RequestBody Protocol.Start start) {
        return agents.adopt(node(caller), id, start);
    }

    @PostMapping("/api/jobs/{id}/log")
    ResponseEntity<Void> log(
            @AuthenticationPrincipal ApiPrincipal caller, @PathVariable long id, @RequestBody Protocol.LogChunk chunk) {
        agents.log(node(caller), id, chunk);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/jobs/{id}/progress")
    ResponseEntity<Void> progress(
            @AuthenticationPrincipal ApiPrincipal caller,
            @PathVariable long id,
            @RequestBody Protocol.Progress progress) {
        agents.progress(node(caller), id, progress);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/api/jobs/{id}/outputs/**")
    ResponseEntity<Void> output(
            @AuthenticationPrincipal ApiPrincipal caller,
            @PathVariable long id,
            @RequestHeader("X-Stainbench-Node") String nodeName,
            @RequestHeader("X-Stainbench-Attempt") String token,
            HttpServletRequest request)
            throws IOException {
        String prefix = "/api/jobs/" + id + "/outputs/";
        String uri = java.net.URLDecoder.decode(request.getRequestURI(), java.nio.charset.StandardCharsets.UTF_8);
        String name = uri.substring(uri.indexOf(prefix) + prefix.length());
        agents.output(node(caller), id, nodeName, token, name, request.getInputStream());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/jobs/{id}/finish")
    ResponseEntity<Void> finish(
            @AuthenticationPrincipal ApiPrincipal caller, @PathVariable long id, @RequestBody Protocol.Finish finish) {
        agents.finish(node(caller), id, finish);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/nodes/{name}")
    Protocol.Registration describe(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable String name) {
        NodeRow n = agents.own(node(caller), name);
        return new Protocol.Registration(
                n.name(), n.hostname(), n.cpus(), n.memoryMb(), n.gpus(), n.oneJob(), n.agentVersion());
    }
}
