package org.int8workbench.core.quantize;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Calibration} as plain values, so that another JVM (a Spark executor) writes the same INT8 models without
 * calibrating again: the FP32 working copy (serialized ONNX), the preprocessing (JSON), the settings, the measured
 * parameters and ranges, the bias shifts and the descriptions. {@link Calibration#restore} makes the calibration again.
 * The tensor statistics (histograms) are not kept: a restored calibration writes models, its reports carry no
 * statistics.
 *
 * <p>Serializable (Java serialization); immutable. Holds the whole working model, so it is about as large as the FP32
 * model.
 */
public final class CalibrationState implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Scale and zero point of one tensor ({@link QuantParams}, which is not serializable itself). */
    record Param(float scale, int zeroPoint, int qmin, int qmax) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        static Param of(QuantParams p) {
            return p == null ? null : new Param(p.scale(), p.zeroPoint(), p.qmin(), p.qmax());
        }

        QuantParams params() {
            return new QuantParams(scale, zeroPoint, qmin, qmax);
        }
    }

    final String model;
    final String sourceSha256;
    final byte[] workingModel;
    final List<String> normalizeNotes;
    final LinkedHashMap<String, String> unfolded;
    final String opsetNote;
    final String preprocessing;
    // settings
    final String preset;
    final String method;
    final double percentile;
    final int subsetSize;
    final double subsetPercent;
    final long seed;
    final List<String> ignoredNames;
    final List<String> ignoredOpTypes;
    final List<String> ignoredPatterns;
    final boolean keepFirstLast;
    final boolean fastBiasCorrection;
    // measured
    final LinkedHashMap<String, Param> params;
    final LinkedHashMap<String, float[]> ranges;
    final LinkedHashMap<String, float[]> shifts;
    // descriptions
    final String calibration;
    final int images;
    final List<String> imageIds;
    final List<String> warnings;
    final List<String> notes;
    final double calibrationSeconds;
    final double seconds;

    CalibrationState(String model, String sourceSha256, byte[] workingModel, List<String> normalizeNotes,
            Map<String, String> unfolded, String opsetNote, String preprocessing, QuantizationSettings s,
            Map<String, QuantParams> params, Map<String, float[]> ranges, Map<String, float[]> shifts, String calibration,
            int images, List<String> imageIds, List<String> warnings, List<String> notes, double calibrationSeconds,
            double seconds) {
        this.model = model;
        this.sourceSha256 = sourceSha256;
        this.workingModel = workingModel;
        this.normalizeNotes = List.copyOf(normalizeNotes);
        this.unfolded = new LinkedHashMap<>(unfolded);
        this.opsetNote = opsetNote;
        this.preprocessing = preprocessing;
        this.preset = s.preset().name();
        this.method = s.method().name();
        this.percentile = s.percentile();
        this.subsetSize = s.subsetSize();
        this.subsetPercent = s.subsetPercent();
        this.seed = s.seed();
        this.ignoredNames = List.copyOf(s.ignoredScope().names());
        this.ignoredOpTypes = List.copyOf(s.ignoredScope().opTypes());
        this.ignoredPatterns = List.copyOf(s.ignoredScope().patterns());
        this.keepFirstLast = s.keepFirstLast();
        this.fastBiasCorrection = s.fastBiasCorrection();
        this.params = new LinkedHashMap<>();
        // sorted, so that equal calibrations give equal serialized states (and digests)
        params.keySet().stream().sorted().forEach(k -> this.params.put(k, Param.of(params.get(k))));
        this.ranges = new LinkedHashMap<>();
        ranges.keySet().stream().sorted().forEach(k -> this.ranges.put(k, ranges.get(k).clone()));
        this.shifts = new LinkedHashMap<>();
        shifts.keySet().stream().sorted().forEach(k -> this.shifts.put(k, shifts.get(k).clone()));
        this.calibration = calibration;
        this.images = images;
        this.imageIds = List.copyOf(imageIds);
        this.warnings = List.copyOf(warnings);
        this.notes = List.copyOf(notes);
        this.calibrationSeconds = calibrationSeconds;
        this.seconds = seconds;
    }

    /** The FP32 model that was calibrated (as a path on the machine that calibrated). */
    public String model() {
        return model;
    }

    public String sourceSha256() {
        return sourceSha256;
    }

    /** The size of the serialized working model in bytes (the bulk of the state). */
    public long workingModelBytes() {
        return workingModel.length;
    }

    QuantizationSettings settings() {
        return new QuantizationSettings(Preset.valueOf(preset), RangeMethod.valueOf(method), percentile, subsetSize,
                subsetPercent, seed, new IgnoredScope(ignoredNames, ignoredOpTypes, ignoredPatterns), keepFirstLast,
                fastBiasCorrection);
    }

    Map<String, QuantParams> quantParams() {
        Map<String, QuantParams> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v == null ? null : v.params()));
        return out;
    }

    @Override
    public String toString() {
        return "calibration of " + model + " (" + images + " images, " + params.size() + " tensors, working model "
                + workingModel.length + " bytes)";
    }
}
