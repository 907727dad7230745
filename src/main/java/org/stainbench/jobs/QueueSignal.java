package org.stainbench.jobs;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Wakes embedded workers and long-polling agents when the queue changes (after the change commits). */
@Component
class QueueSignal {

    private long version;

    synchronized long version() {
        return version;
    }

    /** Signals now, or after the surrounding transaction commits when there is one. */
    void changed() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    bump();
                }
            });
        } else {
            bump();
        }
    }

    synchronized void bump() {
        version++;
        notifyAll();
    }

    /** Waits until the version differs from {@code seen} or the time is up. */
    synchronized void awaitChange(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (version == seen) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }
}
