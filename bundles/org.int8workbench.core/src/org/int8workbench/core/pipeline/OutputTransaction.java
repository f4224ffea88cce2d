package org.int8workbench.core.pipeline;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.int8workbench.core.AtomicFolder;
import org.int8workbench.core.Temporaries;

/**
 * The outputs of one pipeline run as one change, all or nothing. Before the run every output that exists is moved to a
 * hidden backup beside it ({@code .NAME.replaced-XXXX}, same folder, so the move is a rename); the run records what it
 * writes. {@link #commit} deletes the backups; {@link #rollback} (a cancellation or a failure) deletes what the run
 * wrote and moves the backups back, so the folder is as it was before the run.
 */
final class OutputTransaction {
    private final List<Path> written = new ArrayList<>();
    private final List<Path> staged = new ArrayList<>();
    private boolean committed;
    private boolean rolledBack;
    private final Map<Path, Path> backups = new LinkedHashMap<>();

    /**
     * Starts a transaction that a JVM shutdown (Ctrl-C, {@code kill}) before {@link #commit} or {@link #rollback} rolls
     * back ({@link Temporaries}).
     */
    OutputTransaction() {
        Temporaries.register(this, this::rollback);
    }

    /** Moves each of {@code targets} that exists to a hidden backup beside it. */
    synchronized void setAside(List<Path> targets) throws IOException {
        for (Path t : targets) {
            if (Files.exists(t, LinkOption.NOFOLLOW_LINKS) && !backups.containsKey(t)) {
                Path backup = backupOf(t);
                rename(t, backup);
                backups.put(t, backup);
            }
        }
    }

    /** Records a file or folder the run wrote (a folder only when the run created it). */
    synchronized void wrote(Path p) {
        written.add(p);
    }

    /**
     * Records a hidden file the run writes before moving it into place ({@link #wrote} the target then): deleted on a
     * roll-back, never listed among the outputs.
     */
    synchronized void staged(Path p) {
        staged.add(p);
    }

    /** What the run wrote, in order. */
    List<Path> written() {
        return List.copyOf(written);
    }

    /** The run is complete: the replaced outputs are deleted. */
    synchronized void commit() {
        Temporaries.release(this);
        if (rolledBack) {
            return; // the JVM is shutting down and rolled the run back: what it writes still is undone by the hook's second pass
        }
        committed = true;
        for (Path p : staged) {
            AtomicFolder.deleteTree(p); // moved into place: gone already
        }
        for (Path backup : backups.values()) {
            AtomicFolder.deleteTree(backup);
        }
        backups.clear();
    }

    /**
     * The run is cancelled or failed: deletes what it wrote and puts the replaced outputs back (best effort; a backup
     * that cannot be moved back stays beside its target under its hidden name).
     */
    synchronized void rollback() {
        Temporaries.release(this);
        if (committed) {
            return; // a shutdown after the run completed keeps its outputs
        }
        rolledBack = true;
        for (Path p : written.reversed()) {
            AtomicFolder.deleteTree(p);
        }
        written.clear();
        for (Path p : staged) {
            AtomicFolder.deleteTree(p);
        }
        staged.clear();
        List<Map.Entry<Path, Path>> entries = new ArrayList<>(backups.entrySet());
        for (Map.Entry<Path, Path> e : entries.reversed()) {
            try {
                AtomicFolder.deleteTree(e.getKey());
                rename(e.getValue(), e.getKey());
            } catch (IOException ex) {
                // best effort: the backup keeps the earlier output
            }
        }
        backups.clear();
    }

    private static Path backupOf(Path target) {
        Path dir = target.getParent();
        String name = "." + target.getFileName() + ".replaced-";
        Path b;
        do {
            b = dir.resolve(name + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL));
        } while (Files.exists(b, LinkOption.NOFOLLOW_LINKS));
        return b;
    }

    private static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
