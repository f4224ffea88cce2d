package org.int8workbench.core;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;

/**
 * The core's plugin id and the statuses its operations fail with. Every {@link CoreException} the core throws carries
 * {@link #PLUGIN_ID}, so a log entry or a status dialog names the core as its source. The messages say what is wrong
 * and what to do in the core's own words; front ends (the command line, the IDE) add how to do it there: an output
 * that exists is refused with a {@link java.nio.file.FileAlreadyExistsException} in the cause chain, other such cases
 * carry a status code.
 */
public final class CoreStatus {
    /** The core bundle's symbolic name, the plugin id of its statuses. */
    public static final String PLUGIN_ID = "org.int8workbench.core";
    /**
     * Status code: the model's input shape does not tell the image size and layout, so the preprocessing must be
     * given (a front end names its own way of giving it).
     */
    public static final int NEEDS_PREPROCESSING = 1;

    private CoreStatus() {
    }

    /** An error status of the core with {@code message} and its {@code cause} (may be {@code null}). */
    public static IStatus error(String message, Throwable cause) {
        return error(0, message, cause);
    }

    /** An error status of the core with a status {@code code} (one of this class's constants, or 0). */
    public static IStatus error(int code, String message, Throwable cause) {
        return new Status(IStatus.ERROR, PLUGIN_ID, code, message, cause);
    }

    /**
     * The refusal for a model whose input shape does not tell the image size and layout: a {@link CoreException}
     * with {@link #NEEDS_PREPROCESSING}, naming the model (when {@code model} is not {@code null}) and its input shape.
     */
    public static CoreException needsPreprocessing(Object model, long[] inputShape) {
        String subject = model == null ? "the model's input shape " : model + ": the input shape ";
        return new CoreException(error(NEEDS_PREPROCESSING, subject + java.util.Arrays.toString(inputShape)
                + " does not tell the image size and layout; give the preprocessing", null));
    }

    /** A {@link CoreException} carrying {@link #error(String, Throwable)}. */
    public static CoreException exception(String message, Throwable cause) {
        return new CoreException(error(message, cause));
    }
}
