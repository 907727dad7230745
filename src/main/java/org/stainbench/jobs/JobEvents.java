package org.stainbench.jobs;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes {@link JobFinished} once the final state has committed. It is published inside a short
 * transaction of its own, so plain {@code @EventListener}s and transactional ones
 * ({@code @TransactionalEventListener}, {@code @ApplicationModuleListener}) both receive it.
 */
@Component
class JobEvents {

    private final ApplicationEventPublisher publisher;
    private final JobStore store;
    private final TransactionTemplate fresh;

    JobEvents(ApplicationEventPublisher publisher, JobStore store, PlatformTransactionManager transactions) {
        this.publisher = publisher;
        this.store = store;
        this.fresh = new TransactionTemplate(transactions);
        this.fresh.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Publishes now, or after the surrounding transaction commits when the change is still inside one. */
    void finished(long jobId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    publish(jobId);
                }
            });
        } else {
            publish(jobId);
        }
    }

    private void publish(long jobId) {
        store.find(jobId)
                .filter(j -> j.state().isFinal())
                .ifPresent(j -> fresh.executeWithoutResult(s ->
                        publisher.publishEvent(new JobFinished(j.id(), j.type(), j.state(), j.params(), j.error()))));
    }
}
