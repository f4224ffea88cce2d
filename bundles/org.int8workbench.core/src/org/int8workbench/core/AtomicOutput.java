package org.int8workbench.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that it either appears complete or not at all: the bytes go to a hidden temporary file
 * in the same folder ({@code .NAME.part-PID-RANDOM}, {@link Temporaries#hiddenSibling}; leftovers of a killed run are
 * removed first, {@link Temporaries#sweep}), which is moved over the target only after it was written and flushed. A failure or
 * cancellation in between deletes the temporary file. The file gets the permissions the umask gives, as any file the
 * user writes.
 */
public final class AtomicOutput {

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicOutput() {
    }

    /**
     * Writes {@code target} atomically.
     *
     * @param overwrite when false and {@code target} exists, fails with {@link FileAlreadyExistsException}
     *        before anything is written
     */
    public static void write(Path target, boolean overwrite, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        if (!overwrite && Files.exists(abs)) {
            throw new FileAlreadyExistsException(abs.toString(), null,
                    "the file exists; choose another output or allow overwriting");
        }
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // leftovers of a killed run writing this file go first (only those of processes that no longer run)
        Temporaries.sweep(abs);
        // not Files.createTempFile: its owner-only mode would stay on the finished file; this one gets the umask's
        Path tmp = null;
        OutputStream created = null;
        for (int i = 0; created == null; i++) {
            tmp = Temporaries.hiddenSibling(abs, "part");
            try {
                created = Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (i > 100) {
                    throw e;
                }
            }
        }
        boolean done = false;
        Temporaries.register(tmp);
        try {
            try (OutputStream out = created) {
                writer.write(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
            Temporaries.release(tmp);
        }
    }

    /** Writes bytes atomically. */
    public static void write(Path target, boolean overwrite, byte[] bytes) throws IOException {
        write(target, overwrite, out -> out.write(bytes));
    }
}
