package org.int8workbench.core.metrics;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;

/**
 * Waiting on the evaluator's queues and latches without missing a failure, a cancellation or a stop: every wait is cut
 * into short polls, between which the waiting thread looks at the first failure of another thread (rethrown), the
 * monitor (the calling thread) or the stop flag (the decoder and inference threads).
 */
final class Handoff {
    private static final long POLL_MILLIS = 100;

    private Handoff() {
    }

    /**
     * Takes the next item; rethrows another thread's failure while waiting.
     *
     * @throws OperationCanceledException when the monitor is cancelled while waiting
     */
    static <T> T take(BlockingQueue<T> q, AtomicReference<Throwable> failure, IProgressMonitor monitor)
            throws IOException, OrtException {
        try {
            while (true) {
                T t = q.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (t != null) {
                    return t;
                }
                check(failure, monitor);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCanceledException("interrupted");
        }
    }

    /** Takes the next item; {@code null} when stopped first. */
    static <T> T poll(BlockingQueue<T> q, AtomicBoolean stop) throws InterruptedException {
        while (true) {
            T t = q.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (t != null || stop.get()) {
                return t;
            }
        }
    }

    /** Offers until taken; false when stopped first. */
    static <T> boolean offer(BlockingQueue<T> q, T item, AtomicBoolean stop) throws InterruptedException {
        while (!q.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (stop.get()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits for the latch; rethrows another thread's failure while waiting.
     *
     * @throws OperationCanceledException when the monitor is cancelled while waiting
     */
    static void await(CountDownLatch latch, AtomicReference<Throwable> failure, IProgressMonitor monitor)
            throws IOException, OrtException {
        try {
            while (!latch.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                check(failure, monitor);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCanceledException("interrupted");
        }
    }

    private static void check(AtomicReference<Throwable> failure, IProgressMonitor monitor) throws IOException, OrtException {
        rethrow(failure.get());
        if (monitor.isCanceled()) {
            throw new OperationCanceledException();
        }
    }

    /** Throws {@code t} as what it is; nothing when {@code null}. */
    static void rethrow(Throwable t) throws IOException, OrtException {
        if (t == null) {
            return;
        }
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof OrtException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
