package org.int8workbench.core.onnx;

import java.io.IOException;
import java.nio.file.Path;
import org.int8workbench.core.Printable;

/**
 * A model file that cannot be used: not ONNX, truncated, an unsupported IR version, a cycle, a dangling input, a
 * missing initializer or an external-data location outside the model's folder. The message names the file and
 * the problem, e.g. {@code model.onnx: missing initializer 'W' (input 1 of node 'conv1' (Conv))}.
 */
public final class InvalidModelException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public InvalidModelException(Path file, String problem) {
        this(file, problem, null);
    }

    /** {@code problem} may quote names from the model: its control characters are escaped ({@link Printable#of}). */
    public InvalidModelException(Path file, String problem, Throwable cause) {
        super((file == null ? "(in memory)" : file.toString()) + ": " + Printable.of(problem), cause);
        this.file = file;
        this.problem = Printable.of(problem);
    }

    /** The model file, or {@code null} for a model given as bytes. */
    public Path file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
