package org.int8workbench.core.accuracy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.quantize.Calibration;
import org.int8workbench.core.quantize.CalibrationState;

/**
 * What another JVM needs to score candidates: a calibration's state and a validation's recipe, named by {@link #key} (the
 * SHA-256 of both serialized), so that an executor keeps one restored {@link Calibration} and one opened
 * {@link Validation} per key however many tasks it runs.
 *
 * @param calibration the calibration ({@link Calibration#state})
 * @param validation the validation ({@link Validation#recipe})
 * @param key a digest naming this recipe
 */
public record ScoringRecipe(CalibrationState calibration, ValidationRecipe validation, String key) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public ScoringRecipe {
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(key, "key");
    }

    /**
     * The recipe of {@code c}'s candidates on {@code v}.
     *
     * @throws CoreException when the validation cannot be reopened elsewhere ({@link Validation#recipe})
     */
    public static ScoringRecipe of(Calibration c, Validation v) throws CoreException {
        CalibrationState state = c.state();
        ValidationRecipe recipe = v.recipe();
        return new ScoringRecipe(state, recipe, digest(state, recipe));
    }

    private static String digest(CalibrationState state, ValidationRecipe recipe) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
            out.writeObject(recipe);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a scoring recipe: " + e.getMessage(), e);
        }
        return Sha256.of(bytes.toByteArray());
    }

    /** The calibration again ({@link Calibration#restore}). */
    public Calibration restoreCalibration() {
        return Calibration.restore(calibration);
    }

    /** The validation again ({@link Validation#open}); the caller closes it. */
    public Validation openValidation() throws CoreException {
        return Validation.open(validation);
    }

    @Override
    public String toString() {
        return "scoring recipe " + key.substring(0, Math.min(12, key.length())) + " (" + calibration + "; "
                + validation.imageIds().size() + " validation images of " + validation.description() + ")";
    }
}
