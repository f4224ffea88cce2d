package org.int8workbench.core.accuracy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.int8workbench.core.Json;
import org.int8workbench.core.Provenance;

/**
 * The sensitivity analysis of a model's INT8 quantization: for every group that can be reverted to FP32, the noise of
 * its output and what reverting only it gains on the images where the full INT8 model differs most from FP32.
 *
 * @param model the FP32 model (absolute path)
 * @param modelSha256 its SHA-256
 * @param settings the quantization settings analysed (as recorded in INT8 models)
 * @param calibration the calibration images (description)
 * @param calibrationImages how many calibration images the ranges came from
 * @param validation the validation images (description)
 * @param metric the metric of the validation
 * @param parentMetric the FP32 model's metric on all validation images (1.0 for agreement)
 * @param int8Metric the full INT8 model's metric on all validation images
 * @param rankingImages ids of the ranking images: the validation images on which the full INT8 model agrees least with
 *        FP32
 * @param nodes every group, most harmful first (see {@link #ranked})
 * @param seconds wall time of the analysis
 * @param provenance machine, runtime and time
 * @param warnings what the reader should know (skipped images, groups that could not be measured)
 * @param rankedBy the figure the ranking uses ({@link NodeSensitivity#gain}): the metric itself (measured on the real
 *        DeepLabV3, the mIoU gain on the ranking images predicts the gain on all images better than the agreement
 *        gain, the output error or the SQNR)
 * @param validationImages validation images scored
 * @param int8Agreement the full INT8 model's pixel agreement with FP32 on all validation images
 * @param int8OutputError the full INT8 model's normalised output error on all validation images
 * @param rankingInt8Metric the full INT8 model's metric on the ranking images (the base of the gains)
 * @param rankingInt8Agreement its agreement on the ranking images
 * @param rankingInt8OutputError its normalised output error on the ranking images
 * @param sqnrImages the images SQNR was measured on (description)
 */
public record SensitivityResult(String model, String modelSha256, Map<String, String> settings, String calibration,
        int calibrationImages, String validation, AccuracyMetric metric, double parentMetric, double int8Metric,
        List<String> rankingImages, List<NodeSensitivity> nodes, double seconds, Provenance provenance, List<String> warnings,
        AccuracyMetric rankedBy, int validationImages, double int8Agreement, double int8OutputError, double rankingInt8Metric,
        double rankingInt8Agreement, double rankingInt8OutputError, String sqnrImages) {

    public SensitivityResult {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        rankingImages = List.copyOf(rankingImages);
        nodes = List.copyOf(nodes);
        warnings = List.copyOf(warnings);
    }

    /**
     * The groups, most harmful first: by the gain of reverting them ({@link NodeSensitivity#gain} with
     * {@link #rankedBy}, highest first, unmeasured last), then by the output error left after reverting (lowest
     * first), then by SQNR (lowest first).
     */
    public List<NodeSensitivity> ranked() {
        List<NodeSensitivity> out = new ArrayList<>(nodes);
        out.sort(order(rankedBy));
        return List.copyOf(out);
    }

    /** The ranking order of {@link #ranked}. */
    static Comparator<NodeSensitivity> order(AccuracyMetric rankedBy) {
        return Comparator.comparingDouble((NodeSensitivity n) -> descending(n.gain(rankedBy)))
                .thenComparingDouble(n -> ascending(n.revertedOutputError()))
                .thenComparingDouble(n -> ascending(n.sqnrDb()));
    }

    private static double descending(double v) {
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : -v;
    }

    private static double ascending(double v) {
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    }

    /** The drop of the full INT8 model below FP32 on all validation images, in points of {@link #metric}. */
    public double int8DropPoints() {
        return (parentMetric - int8Metric) * 100;
    }

    /** The first {@code n} of {@link #ranked}. */
    public List<NodeSensitivity> top(int n) {
        List<NodeSensitivity> r = ranked();
        return r.subList(0, Math.min(n, r.size()));
    }

    public String toJson() {
        return Json.toJson(this);
    }

    public static SensitivityResult fromJson(String json) {
        SensitivityResult r = Json.gson().fromJson(json, SensitivityResult.class);
        if (r == null || r.nodes() == null) {
            throw new IllegalArgumentException("not a sensitivity result");
        }
        return r;
    }
}
