package org.stainbench.jobs;

import java.net.InetAddress;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This application instance among several on one database ({@code stainbench.jobs.several-instances}).
 * <p>
 * With one instance (the default) an embedded job's attempt holds no lease: the server that runs it is the only
 * one, and at its next start it re-queues every embedded job left running. With several, that start-up rule would
 * take live jobs from the other instances, so instead each embedded attempt holds a lease
 * ({@code stainbench.jobs.lease}) that its worker renews every heartbeat while it runs; the lease sweeper of any
 * instance takes back the jobs of an instance that died (SIGKILL, lost machine), and a starting instance re-queues
 * only embedded jobs whose lease ran out, that hold none (left by a single-instance server), or that its own earlier
 * run held (when {@code stainbench.jobs.instance-id} is stable, e.g. the host name in a compose file).
 *
 * The id names this instance in holders ({@code <id>/embedded-1}) and in its Slurm agent tokens.
 */
@Component
final class JobInstance {

    private final boolean several;
    private final String id;

    JobInstance(
            @Value("${stainbench.jobs.several-instances:false}") boolean several,
            @Value("${stainbench.jobs.instance-id:}") String configured) {
        this.several = several;
        this.id = configured == null || configured.isBlank() ? generated() : configured.strip();
    }

    boolean several() {
        return several;
    }

    String id() {
        return id;
    }

    /** The holder name of an embedded worker. */
    String worker(int n) {
        return several ? id + "/embedded-" + n : "embedded-" + n;
    }

    /** The holder prefix of this instance's embedded workers. */
    String holderPrefix() {
        return id + "/";
    }

    private static String generated() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "instance";
        }
        host = host.length() > 60 ? host.substring(0, 60) : host;
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
