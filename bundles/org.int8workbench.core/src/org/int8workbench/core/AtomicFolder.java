package org.int8workbench.core;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a folder so that it either appears complete or not at all, the folder counterpart of {@link AtomicOutput}:
 * the content goes into a hidden temporary folder beside the target ({@link #path()}), which {@link #commit()} moves
 * into place. Closing without a commit (a failure or a cancellation in between) deletes the temporary folder, and an
 * existing target stays as it was.
 *
 * <pre>
 * try (AtomicFolder f = AtomicFolder.replace(report, overwrite)) {
 *     write(f.path());
 *     f.commit();
 * }
 * </pre>
 *
 * An existing target is moved aside to a second hidden sibling, the new folder moved in, and only then the old one
 * deleted; if moving the new folder in fails, the old one is moved back. The hidden names carry the process id
 * ({@code .NAME.tmp-PID-RANDOM}, {@code .NAME.old-PID-RANDOM}): a later run removes those a killed run left
 * ({@link Temporaries#sweep}).
 *
 * <p>{@link #replace} replaces only what the tool wrote: every folder it commits holds a marker file ({@link #MARKER}),
 * and an existing target is replaced only when it holds that marker or is empty. Any other folder is refused, even when
 * overwriting is allowed: a report folder given as the dataset's or the model's own folder must never be emptied. The
 * folders are created with the permissions the umask gives (not the owner-only ones of a temporary folder).
 */
public final class AtomicFolder implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private final List<Path> merge;
    private boolean committed;

    private AtomicFolder(Path target, Path staging, List<Path> merge) {
        this.target = target;
        this.staging = staging;
        this.merge = merge;
    }

    /**
     * Starts a folder that replaces {@code target} as a whole on {@link #commit()}.
     *
     * @param overwrite when false and {@code target} exists, fails with {@link FileAlreadyExistsException} before
     *        anything is created
     */
    public static AtomicFolder replace(Path target, boolean overwrite) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (!overwrite && Files.exists(abs)) {
            throw new FileAlreadyExistsException(abs.toString(), null, "the folder exists; choose another folder or allow replacing it");
        }
        checkReplaceable(abs);
        AtomicFolder f = new AtomicFolder(abs, stage(abs), null);
        Files.writeString(f.staging.resolve(MARKER), MARKER_TEXT);
        return f;
    }

    /** The file that marks a folder as written (and so replaceable) by INT8 Workbench. */
    public static final String MARKER = ".int8workbench-output";
    private static final String MARKER_TEXT = "This folder was written by INT8 Workbench; its next run may replace it as a whole.\n";

    /**
     * Marks {@code dir} (an existing folder the tool fills file by file, e.g. the demo's) as written by INT8 Workbench,
     * so that its next run may replace it.
     */
    public static void writeMarker(Path dir) throws IOException {
        AtomicOutput.write(dir.resolve(MARKER), true, MARKER_TEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Refuses to replace {@code target} unless it does not exist, is an empty folder or is a folder INT8 Workbench
     * wrote ({@link #MARKER}).
     */
    public static void checkReplaceable(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(abs + " is a file, not a folder; choose a new or empty folder");
        }
        if (Files.isRegularFile(abs.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.list(abs)) {
            var first = s.findFirst();
            if (first.isPresent()) {
                throw new IOException(abs + " holds files that INT8 Workbench did not write (" + first.get().getFileName()
                        + ", ...); it replaces only folders it wrote itself. Choose a new or empty folder");
            }
        }
    }

    /**
     * Starts a folder whose content is laid over an existing {@code target} on {@link #commit()}: files written into
     * {@link #path()} replace those of the same name, the folders {@code own} (relative to the target, e.g. a
     * generator's own output folder) are replaced as a whole, and every other existing file is kept. The merged folder
     * is put together beside the target (the kept files are copied) and then swapped in like {@link #replace}.
     */
    public static AtomicFolder merge(Path target, List<Path> own) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        return new AtomicFolder(abs, stage(abs), List.copyOf(own));
    }

    private static Path stage(Path abs) throws IOException {
        Path parent = abs.getParent();
        if (parent == null) {
            throw new IOException("cannot write a file system root (" + abs + ") as a folder");
        }
        Files.createDirectories(parent);
        // leftovers of a killed run writing this folder go first (only those of processes that no longer run)
        Temporaries.sweep(abs);
        return Temporaries.register(freshSibling(abs, "tmp"));
    }

    /** A new hidden folder beside {@code target} ({@link Temporaries#hiddenSibling}), with the permissions the umask gives. */
    private static Path freshSibling(Path target, String kind) throws IOException {
        for (int i = 0; ; i++) {
            Path p = Temporaries.hiddenSibling(target, kind);
            try {
                return Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (i > 100) {
                    throw e;
                }
            }
        }
    }

    /** The temporary folder to write the content into. */
    public Path path() {
        return staging;
    }

    /** The folder that {@link #commit()} fills. */
    public Path target() {
        return target;
    }

    /** Moves the written content into place; after it, {@link #close()} does nothing. */
    public void commit() throws IOException {
        if (committed) {
            throw new IllegalStateException(target + " was already committed");
        }
        if (merge != null && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            keepOthers();
        }
        Path backup = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            backup = freshSibling(target, "old");
            Files.delete(backup);
            Files.move(target, backup);
        }
        try {
            move(staging, target);
        } catch (IOException | RuntimeException e) {
            if (backup != null) {
                try {
                    Files.move(backup, target);
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
            }
            throw e;
        }
        committed = true;
        Temporaries.release(staging);
        if (backup != null) {
            deleteTree(backup);
        }
    }

    /** Copies the target's files that the new content neither replaces nor lies in an own folder into the staging folder. */
    private void keepOthers() throws IOException {
        List<Path> existing;
        try (Stream<Path> s = Files.walk(target)) {
            existing = s.filter(p -> !p.equals(target)).toList();
        }
        for (Path p : existing) {
            Path rel = target.relativize(p);
            if (merge.stream().anyMatch(rel::startsWith)) {
                continue;
            }
            Path dst = staging.resolve(rel.toString());
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(dst)) {
                    Files.createDirectories(dst);
                }
            } else if (!Files.exists(dst, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dst.getParent());
                Files.copy(p, dst, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Deletes the temporary folder unless the content was committed. */
    @Override
    public void close() {
        if (!committed) {
            deleteTree(staging);
            Temporaries.release(staging);
        }
    }

    /** Deletes a folder and everything in it, as far as possible (a leftover hidden temporary folder is harmless). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort
        }
    }
}
