package org.int8workbench.core.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.int8workbench.core.accuracy.AccuracyControl;
import org.int8workbench.core.bench.BenchmarkOperation;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.quantize.QuantizationSettings;

/**
 * What one run of the {@link OptimizePipeline} does: quantize a model (or start from an INT8 model that exists), cut
 * the exact label head, benchmark, compare predictions, and where the outputs go. Every step but the first is
 * optional. Immutable; change it with the {@code with...} methods, which return a copy.
 *
 * <pre>{@code
 * PipelineRequest r = PipelineRequest.optimize(model, Datasets.open(photos))
 *         .withBenchmark(PipelineRequest.Benchmark.of(Mode.LATENCY).withSeconds(10))
 *         .withCompare(PipelineRequest.Compare.on(Datasets.open(voc)).withLimit(20));
 * }</pre>
 *
 * @param model the FP32 parent: quantized when {@code existing} is {@code null}, else the reference the existing model
 *        is measured against ({@code null}: the existing model is measured alone)
 * @param existing an INT8 (or any) model that exists already: quantization is skipped and this model is measured;
 *        {@code null} to quantize {@code model}
 * @param existingHead a model cut before its head from {@code existing}, measured as the fastest model; {@code null}
 *        for none
 * @param calibration the calibration images (required when quantizing)
 * @param preprocessing how images become inputs for every step; {@code null}: the quantization's default (the model's
 *        metadata or its input shape), which the INT8 model records and the later steps then use
 * @param quantization the quantization settings (used when quantizing)
 * @param cutHead whether to cut the INT8 model before its segmentation head (where one is found) and measure that
 *        model with the exact label head
 * @param benchmark the benchmark, or {@code null} for none
 * @param compare the comparison of predictions, or {@code null} for none
 * @param outputs where the outputs go
 * @param replace whether existing outputs may be replaced; when not, the run refuses before any work
 * @param outputSelection which model outputs the benchmark's end-to-end figures and the comparison read, and as what
 *        ({@link OutputSelection#AUTO}: found from the graph)
 * @param accuracyControl the Accuracy-aware method's maximum drop and validation, or {@code null} for the Default method
 */
public record PipelineRequest(Path model, Path existing, Path existingHead, SegmentationDataset calibration,
        Preprocessing preprocessing, QuantizationSettings quantization, boolean cutHead, Benchmark benchmark, Compare compare,
        OutputFiles outputs, boolean replace, OutputSelection outputSelection, AccuracyControl accuracyControl) {

    public PipelineRequest {
        if (model == null && existing == null) {
            throw new IllegalArgumentException("give a model to quantize or an existing model to measure");
        }
        Objects.requireNonNull(outputs, "outputs");
        quantization = quantization == null ? QuantizationSettings.defaults() : quantization;
        outputSelection = outputSelection == null ? OutputSelection.AUTO : outputSelection;
        if (existingHead != null && existing == null) {
            throw new IllegalArgumentException("an existing head model needs the existing model it was cut from");
        }
        if (existingHead != null && cutHead) {
            throw new IllegalArgumentException("either cut the head or give the model cut before it, not both");
        }
        if (benchmark != null && benchmark.modes().size() > 1 && outputs.hasBenchmarkFile()) {
            throw new IllegalArgumentException("one benchmark file cannot hold two modes (" + benchmark.modes() + "); measure one mode");
        }
        if (accuracyControl != null && existing != null) {
            throw new IllegalArgumentException("the Accuracy-aware method quantizes: it needs a model to quantize, not an existing INT8 model");
        }
    }

    /**
     * Quantizes {@code model} on {@code calibration} with the default settings and cuts the head; outputs beside the
     * model ({@link OutputFiles#besideModel}), nothing replaced, no benchmark, no comparison.
     */
    public static PipelineRequest optimize(Path model, SegmentationDataset calibration) {
        Objects.requireNonNull(model, "model");
        return new PipelineRequest(model, null, null, calibration, null, QuantizationSettings.defaults(), true, null, null,
                OutputFiles.besideModel(model), false, OutputSelection.AUTO, null);
    }

    /**
     * Measures {@code existing} (against {@code parent}, when not {@code null}) without quantizing or cutting; outputs
     * beside {@code existing} ({@link OutputFiles#besideInt8}). Add what to measure with {@link #withBenchmark} and
     * {@link #withCompare}.
     */
    public static PipelineRequest measure(Path parent, Path existing) {
        Objects.requireNonNull(existing, "existing");
        return new PipelineRequest(parent, existing, null, null, null, null, false, null, null, OutputFiles.besideInt8(existing),
                false, OutputSelection.AUTO, null);
    }

    /** Whether this run quantizes (rather than starting from an existing model). */
    public boolean quantizes() {
        return existing == null;
    }

    public PipelineRequest withCalibration(SegmentationDataset images) {
        return new PipelineRequest(model, existing, existingHead, images, preprocessing, quantization, cutHead, benchmark, compare,
                outputs, replace, outputSelection, accuracyControl);
    }

    public PipelineRequest withPreprocessing(Preprocessing p) {
        return new PipelineRequest(model, existing, existingHead, calibration, p, quantization, cutHead, benchmark, compare, outputs,
                replace, outputSelection, accuracyControl);
    }

    public PipelineRequest withQuantization(QuantizationSettings s) {
        return new PipelineRequest(model, existing, existingHead, calibration, preprocessing, s, cutHead, benchmark, compare, outputs,
                replace, outputSelection, accuracyControl);
    }

    public PipelineRequest withCutHead(boolean cut) {
        return new PipelineRequest(model, existing, existingHead, calibration, preprocessing, quantization, cut, benchmark, compare,
                outputs, replace, outputSelection, accuracyControl);
    }

    /** Measures {@code head}, a model cut before its head from the existing model, as the fastest model. */
    public PipelineRequest withExistingHead(Path head) {
        return new PipelineRequest(model, existing, head, calibration, preprocessing, quantization, cutHead && head == null, benchmark,
                compare, outputs, replace, outputSelection, accuracyControl);
    }

    public PipelineRequest withBenchmark(Benchmark b) {
        return new PipelineRequest(model, existing, existingHead, calibration, preprocessing, quantization, cutHead, b, compare, outputs,
                replace, outputSelection, accuracyControl);
    }

    public PipelineRequest withCompare(Compare c) {
        return new PipelineRequest(model, existing, existingHead, calibration, preprocessing, quantization, cutHead, benchmark, c, outputs,
                replace, outputSelection, accuracyControl);
    }

    public PipelineRequest withOutputs(OutputFiles o) {
        return new PipelineRequest(model, existing, existingHead, calibration, preprocessing, quantization, cutHead, benchmark, compare, o,
                replace, outputSelection, accuracyControl);
    }

    /** Which outputs are read, and as what. */
    public PipelineRequest withOutputSelection(OutputSelection o) {
        return new PipelineRequest(model, existing, existingHead, calibration, preprocessing, quantization, cutHead, benchmark, compare,
                outputs, replace, o, accuracyControl);
    }

    public PipelineRequest withReplace(boolean r) {
        return new PipelineRequest(model, existing, existingHead, calibration, preprocessing, quantization, cutHead, benchmark, compare,
                outputs, r, outputSelection, accuracyControl);
    }

    /**
     * Quantizes with the Accuracy-aware method: groups that cost the most accuracy are kept in FP32 until the drop is
     * within {@code c}'s maximum; {@code null} for the Default method.
     */
    public PipelineRequest withAccuracyControl(AccuracyControl c) {
        return new PipelineRequest(model, existing, existingHead, calibration, preprocessing, quantization, cutHead, benchmark, compare,
                outputs, replace, outputSelection, c);
    }

    /**
     * The benchmark step: parent, INT8 model and INT8 model with the exact head in one interleaved run per mode.
     *
     * @param modes the modes, each a separate run, in this order
     * @param seconds total timed duration of each mode's run
     * @param rounds interleaved rounds per mode
     * @param threads intra-op threads per session, or {@code null} for automatic
     * @param endToEnd whether to also time run plus label map
     * @param profile whether to add a profiled pass (time per operator type)
     * @param images images to time on (preprocessed before timing), or {@code null} for seeded random inputs of the
     *        input shape
     * @param seed seed of the random inputs
     */
    public record Benchmark(List<Mode> modes, double seconds, int rounds, Integer threads, boolean endToEnd, boolean profile,
            SegmentationDataset images, long seed) {

        /** The seed of random inputs when none is given. */
        public static final long DEFAULT_SEED = 42;

        public Benchmark {
            modes = List.copyOf(modes);
            if (modes.isEmpty() || modes.stream().distinct().count() != modes.size()) {
                throw new IllegalArgumentException("benchmark modes must be one or both of latency and throughput, each once; got " + modes);
            }
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("benchmark seconds must be positive, got " + seconds);
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("benchmark rounds must be at least 1, got " + rounds);
            }
            if (threads != null && threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1 (or automatic), got " + threads);
            }
        }

        /** A benchmark of these modes with the defaults: 20 s and 5 rounds each, end to end, no profile, random inputs. */
        public static Benchmark of(Mode... modes) {
            return new Benchmark(List.of(modes), BenchmarkOperation.DEFAULT_SECONDS, 5, null, true, false, null, DEFAULT_SEED);
        }

        /** {@link #of} latency then throughput mode. */
        public static Benchmark bothModes() {
            return of(Mode.LATENCY, Mode.THROUGHPUT);
        }

        public Benchmark withSeconds(double s) {
            return new Benchmark(modes, s, rounds, threads, endToEnd, profile, images, seed);
        }

        public Benchmark withRounds(int n) {
            return new Benchmark(modes, seconds, n, threads, endToEnd, profile, images, seed);
        }

        /** Intra-op threads; {@code null} or 0 for automatic. */
        public Benchmark withThreads(Integer n) {
            return new Benchmark(modes, seconds, rounds, n == null || n == 0 ? null : n, endToEnd, profile, images, seed);
        }

        public Benchmark withEndToEnd(boolean on) {
            return new Benchmark(modes, seconds, rounds, threads, on, profile, images, seed);
        }

        public Benchmark withProfile(boolean on) {
            return new Benchmark(modes, seconds, rounds, threads, endToEnd, on, images, seed);
        }

        /** Times on these images; {@code null} for seeded random inputs. */
        public Benchmark withImages(SegmentationDataset d) {
            return new Benchmark(modes, seconds, rounds, threads, endToEnd, profile, d, seed);
        }

        public Benchmark withSeed(long s) {
            return new Benchmark(modes, seconds, rounds, threads, endToEnd, profile, images, s);
        }
    }

    /**
     * The comparison step: the measured model's predictions against the parent's (and the ground truth where the data
     * has masks), written as a report folder.
     *
     * @param dataset the images
     * @param limit compare the first {@code limit} images only (0: all)
     * @param pictures whether the report draws a side-by-side picture per image
     */
    public record Compare(SegmentationDataset dataset, int limit, boolean pictures) {
        public Compare {
            Objects.requireNonNull(dataset, "dataset");
            if (limit < 0) {
                throw new IllegalArgumentException("the image limit must not be negative, got " + limit);
            }
        }

        /** A comparison on all images of {@code dataset}, with pictures. */
        public static Compare on(SegmentationDataset dataset) {
            return new Compare(dataset, 0, true);
        }

        public Compare withLimit(int n) {
            return new Compare(dataset, n, pictures);
        }

        public Compare withPictures(boolean on) {
            return new Compare(dataset, limit, on);
        }
    }
}
