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
 * or {@code .part-*} file, and a run that had set earlier outputs aside puts them back.
 *
 * <p>A {@code kill -9} (or a power cut) runs no hook. Its hidden leftovers are never read, and the next run that writes
 * the same output removes them ({@link #sweep}): every hidden name carries the id of the process that made it
 * ({@link #hiddenSibling}: {@code .NAME.KIND-PID-RANDOM}), and a leftover is removed only when that process no longer
 * runs (a name without a process id, from an earlier version, only when it is older than this process). What was
 * removed is said in one line ({@link #onSweep}).
 */
public final class Temporaries {
    private static final Map<Object, Runnable> ACTIVE = new LinkedHashMap<>();
    private static boolean hooked;
    /** The kinds of hidden temporaries {@link #sweep} removes: atomic files, staging and replaced folders, staged models. */
    private static final java.util.Set<String> KINDS = java.util.Set.of("part", "tmp", "old", "new");
    private static final long PID = ProcessHandle.current().pid();
    /**
     * What follows {@code .NAME.} in a hidden name of {@link #hiddenSibling}; or, after {@code ..NAME.}, a temporary of a
     * hidden staged file ({@code ..NAME.new-PID-R.part-PID-R}, a staged model being written).
     */
    private static final java.util.regex.Pattern OWNED = java.util.regex.Pattern.compile("(?:part|tmp|old|new)-(\\d+)-[0-9a-z]+");
    private static final java.util.regex.Pattern OWNED_NESTED = java.util.regex.Pattern.compile(
            "(?:new|tmp)-(\\d+)-[0-9a-z]+\\.(?:part|tmp|old|new)-(\\d+)-[0-9a-z]+");
    /** Names of earlier versions, without a process id: {@code RANDOM.part}, {@code tmp-RANDOM}, {@code old-RANDOM}, {@code new-RANDOM}. */
    private static final java.util.regex.Pattern LEGACY = java.util.regex.Pattern.compile("[0-9a-z]+\\.part|(?:tmp|old|new)-[0-9a-z]+");
    private static final java.util.regex.Pattern LEGACY_NESTED = java.util.regex.Pattern.compile("new-[0-9a-z]+\\.[0-9a-z]+\\.part");
    private static volatile java.util.function.Consumer<String> notices = line -> {
    };

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

    /**
     * A hidden, unused name beside {@code target} for a temporary of this process: {@code .NAME.KIND-PID-RANDOM}
     * (the process id lets a later run tell a leftover of a killed run from one in progress).
     *
     * @param kind {@code part} (a file being written), {@code tmp} (a folder being written), {@code old} (a folder being
     *        replaced) or {@code new} (a staged output)
     */
    public static Path hiddenSibling(Path target, String kind) {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown kind of temporary: " + kind);
        }
        Path abs = target.toAbsolutePath().normalize();
        java.util.Random r = new java.security.SecureRandom();
        Path p;
        do {
            p = abs.resolveSibling("." + abs.getFileName() + "." + kind + "-" + PID + "-" + Long.toUnsignedString(r.nextLong(), 36));
        } while (java.nio.file.Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        return p;
    }

    /**
     * Removes the hidden temporaries of {@code target} that a stopped run left behind (a {@code kill -9} runs no shutdown
     * hook): the names {@link #hiddenSibling} gives whose process no longer runs, and names of earlier versions (no
     * process id) older than this process. Temporaries of running processes, this one included, and every other file are
     * kept. Says what it removed in one line to {@link #onSweep}'s listener. Best effort: a leftover that cannot be removed
     * stays, harmless.
     *
     * @return the leftovers removed
     */
    public static List<Path> sweep(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null || isOwnStaging(dir)) {
            return List.of(); // a folder this process is writing holds no leftovers
        }
        String prefix = "." + abs.getFileName() + ".";
        List<Path> removed = new ArrayList<>();
        java.util.Set<Long> ended = new java.util.TreeSet<>();
        try (java.nio.file.DirectoryStream<Path> s = java.nio.file.Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().startsWith(prefix) || p.getFileName().toString().startsWith("." + prefix))) {
            java.time.Instant started = ProcessHandle.current().info().startInstant().orElse(null);
            for (Path p : s) {
                String name = p.getFileName().toString();
                boolean nested = name.startsWith("." + prefix);
                String rest = name.substring(prefix.length() + (nested ? 1 : 0));
                java.util.regex.Matcher m = (nested ? OWNED_NESTED : OWNED).matcher(rest);
                boolean stale;
                if (m.matches()) {
                    stale = true;
                    for (int g = 1; g <= m.groupCount(); g++) {
                        long pid = Long.parseLong(m.group(g));
                        stale &= pid != PID && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
                    }
                    if (stale) {
                        ended.add(Long.parseLong(m.group(m.groupCount())));
                    }
                } else if ((nested ? LEGACY_NESTED : LEGACY).matcher(rest).matches() && started != null) {
                    stale = java.nio.file.Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(started);
                } else {
                    stale = false;
                }
                if (stale) {
                    AtomicFolder.deleteTree(p);
                    if (!java.nio.file.Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        removed.add(p);
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // best effort: a leftover that cannot be listed or removed is harmless
        }
        if (!removed.isEmpty()) {
            List<String> names = removed.stream().map(p -> p.getFileName().toString()).sorted().toList();
            notices.accept(Printable.of("removed " + removed.size() + " hidden temporar" + (removed.size() == 1 ? "y" : "ies") + " of "
                    + abs.getFileName() + " left by a stopped run" + (ended.isEmpty() ? "" : " (process " + ended.stream()
                            .map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")) + ", no longer running)")
                    + ": " + String.join(", ", names)));
        }
        return List.copyOf(removed);
    }

    /** Whether {@code dir} is a staging folder of this process (its content is all new: nothing to sweep in it). */
    private static boolean isOwnStaging(Path dir) {
        Path name = dir.getFileName();
        return name != null && name.toString().startsWith(".") && name.toString().contains(".tmp-" + PID + "-");
    }

    /**
     * Where {@link #sweep} says what it removed (one line per output, e.g. the command line's standard error); nothing
     * by default.
     */
    public static void onSweep(java.util.function.Consumer<String> listener) {
        notices = listener != null ? listener : line -> {
        };
    }
}
