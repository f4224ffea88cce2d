package org.int8workbench.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The temporaries of the runs in progress (hidden staging files and folders of {@link AtomicOutput} and
 * {@link AtomicFolder}, and the roll-back of a run's whole set of outputs), undone by a JVM shutdown hook when the process
 * is stopped before they are committed: Ctrl-C (SIGINT) or {@code kill} (SIGTERM) leaves no hidden {@code .tmp-*} folder
 * or {@code .part} file, and a run that had set earlier outputs aside puts them back. (A {@code kill -9} runs no hook;
 * the hidden leftovers are then harmless and never read.)
 */
public final class Temporaries {
    private static final Map<Object, Runnable> ACTIVE = new LinkedHashMap<>();
    private static boolean hooked;

    private Temporaries() {
    }

    /**
     * Registers a file or folder to delete if the JVM shuts down before {@link #release} is called with the same path.
     * Returns {@code path}.
     */
    public static Path register(Path path) {
        register(path, () -> AtomicFolder.deleteTree(path));
        return path;
    }

    /**
     * Registers an undo action under {@code key}, run (in reverse registration order) if the JVM shuts down before
     * {@link #release} is called with the same key.
     */
    public static synchronized Object register(Object key, Runnable undo) {
        if (!hooked) {
            hooked = true;
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(Temporaries::undoAll, "int8workbench-cleanup"));
            } catch (IllegalStateException | SecurityException e) {
                // shutting down already
            }
        }
        ACTIVE.put(key, undo);
        return key;
    }

    /** The temporary was committed or cleaned up by its owner: nothing to undo any more. */
    public static synchronized void release(Object key) {
        ACTIVE.remove(key);
    }

    /** How many temporaries are registered (for tests). */
    public static synchronized int active() {
        return ACTIVE.size();
    }

    private static void undoAll() {
        List<Runnable> undo;
        synchronized (Temporaries.class) {
            undo = new ArrayList<>(ACTIVE.values());
        }
        // twice: a writer still running while the hook runs may recreate a file in a folder just deleted
        for (int pass = 0; pass < 2; pass++) {
            for (Runnable r : undo.reversed()) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    // best effort
                }
            }
            if (pass == 0) {
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
