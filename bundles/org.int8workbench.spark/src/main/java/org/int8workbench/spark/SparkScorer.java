package org.int8workbench.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.accuracy.Candidate;
import org.int8workbench.core.accuracy.CandidateScore;
import org.int8workbench.core.accuracy.CandidateScorer;
import org.int8workbench.core.accuracy.ScorePart;
import org.int8workbench.core.accuracy.ScoringRecipe;
import org.int8workbench.core.accuracy.Validation;
import org.int8workbench.core.quantize.Calibration;

/**
 * Scores candidates of one calibration on one validation on Apache Spark, with the local scorer's results
 * ({@link CandidateScorer#local}) bit for bit. The {@link ScoringRecipe} (the calibration's state and the validation's
 * recipe) is broadcast once; each executor JVM restores the calibration and opens the validation once per recipe
 * ({@link ExecutorScorings}). Each call is one Spark job whose tasks are candidates x image slices: one task per
 * candidate when there are at least twice as many candidates as task slots (the sensitivity ranking, the isolation
 * ranking), else each candidate's images are cut into slices so that every slot works (the Accuracy-aware method's
 * validations of one candidate on the whole set), of at least {@link #MIN_SLICE_IMAGES} images each. A task writes its candidate, scores its images
 * ({@code Validation.scorePart}) and, when asked, finds whether ONNX Runtime runs the kept group in float (once per
 * candidate); the driver folds the parts of each candidate in image order ({@code Validation.combine}).
 * <p>
 * Progress: tasks done / total through the monitor. Cancel: the monitor, or the JVM's exit (Ctrl-C), cancels the job
 * (tasks stop at their next image). The validation data must be at the same path on the driver and on every executor,
 * or be named by a Hadoop-compatible URI (a {@code RemoteDataset} listed through {@link HadoopFiles}): the driver's
 * Hadoop configuration is then broadcast and each executor reopens the data through Hadoop.
 */
public final class SparkScorer implements CandidateScorer {

    /**
     * The fewest images in a slice: a task's fixed cost (writing the candidate, about 0.15 s for DeepLabV3, once per
     * executor JVM; creating its ONNX Runtime session, about 0.3 s) is that of some 10-20 images of its inference.
     */
    public static final int MIN_SLICE_IMAGES = 16;

    private final JavaSparkContext sc;
    private final boolean ownContext;
    private final boolean local;
    private final Validation validation;
    private final ScoringRecipe recipe;
    private final Broadcast<ScoringRecipe> broadcast;
    /** The driver's Hadoop configuration, when the validation data is a URI ({@code DatasetRecipe.remote()}). */
    private final Broadcast<SerializableConfiguration> hadoop;
    private int minSliceImages = MIN_SLICE_IMAGES;

    private SparkScorer(JavaSparkContext sc, boolean ownContext, boolean local, Validation v, ScoringRecipe recipe) {
        this.sc = sc;
        this.ownContext = ownContext;
        this.local = local;
        this.validation = v;
        this.recipe = recipe;
        this.broadcast = sc.broadcast(recipe);
        // validation data on a cluster's file system: the executors reopen it through Hadoop with the driver's settings
        this.hadoop = recipe.validation().data().remote() ? sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()))
                : null;
    }

    /**
     * Starts Spark on {@code master} for scoring {@code c}'s candidates on {@code v}; {@link #close} stops it.
     *
     * @throws CoreException when the validation cannot be reopened on the executors (e.g. data not in a folder) or Spark
     *         does not start
     */
    public static SparkScorer open(String master, Calibration c, Validation v) throws CoreException {
        ScoringRecipe recipe = ScoringRecipe.of(c, v);
        SparkJobs.Started s = SparkJobs.start(master, "INT8 Workbench: score candidates of " + Path.of(recipe.calibration().model())
                .getFileName());
        try {
            return new SparkScorer(s.context(), true, s.local(), v, recipe);
        } catch (RuntimeException e) {
            s.context().stop();
            throw e;
        }
    }

    /** A scorer on a running Spark context, which {@link #close} leaves running (it frees the broadcast). */
    public static SparkScorer on(JavaSparkContext sc, Calibration c, Validation v) throws CoreException {
        return new SparkScorer(Objects.requireNonNull(sc, "sc"), false, false, v, ScoringRecipe.of(c, v));
    }

    /** Slices of at least {@code n} images (default {@link #MIN_SLICE_IMAGES}; tests slice small validations with 1). */
    SparkScorer minSliceImages(int n) {
        this.minSliceImages = Math.max(1, n);
        return this;
    }

    /** The recipe the executors score with. */
    public ScoringRecipe recipe() {
        return recipe;
    }

    @Override
    public List<CandidateScore> score(List<Candidate> candidates, int[] images, boolean kernels, IProgressMonitor monitor)
            throws CoreException {
        int[] chosen = images != null ? images.clone() : IntStream.range(0, validation.size()).toArray();
        for (int i : chosen) {
            if (i < 0 || i >= validation.size()) {
                throw new IllegalArgumentException("image index " + i + " is outside 0.." + (validation.size() - 1));
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        int slices = slices(candidates.size(), chosen.length, sc.defaultParallelism(), minSliceImages);
        List<ScoreSlice.Task> tasks = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            for (int s = 0; s < slices; s++) {
                int from = (int) ((long) s * chosen.length / slices);
                int to = (int) ((long) (s + 1) * chosen.length / slices);
                tasks.add(new ScoreSlice.Task(c, s, candidates.get(c), Arrays.copyOfRange(chosen, from, to), kernels && s == 0));
            }
        }
        String what = candidates.size() == 1 ? candidates.get(0).label() : candidates.size() + " candidates";
        SubMonitor sub = SubMonitor.convert(monitor, "Scoring " + what + " on " + chosen.length + " images on Spark " + sc.master(),
                tasks.size());
        List<ScoreSlice.Result> results = SparkJobs.run(sc, "INT8 Workbench: score " + what, tasks.size(), sub,
                () -> sc.parallelize(tasks, tasks.size()).map(new ScoreSlice(broadcast, hadoop)).collectAsync());
        List<List<ScorePart>> parts = new ArrayList<>();
        Boolean[] runsFloat = new Boolean[candidates.size()];
        for (int c = 0; c < candidates.size(); c++) {
            parts.add(new ArrayList<>());
        }
        for (ScoreSlice.Result r : results) {
            parts.get(r.index()).add(r.part());
            if (r.slice() == 0) {
                runsFloat[r.index()] = r.runsFloat();
            }
        }
        if (monitor != null && monitor.isCanceled()) {
            throw new OperationCanceledException();
        }
        List<CandidateScore> out = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            out.add(new CandidateScore(candidates.get(c), validation.combine(chosen, parts.get(c)), runsFloat[c]));
        }
        return out;
    }

    /**
     * Image slices per candidate for {@code candidates} candidates on {@code images} images and {@code slots} task slots:
     * 1 when there are at least twice as many candidates as slots, else as many as make about two tasks per slot, with at
     * least {@code minImages} images in a slice.
     */
    static int slices(int candidates, int images, int slots, int minImages) {
        int target = 2 * Math.max(1, slots);
        if (candidates >= target) {
            return 1;
        }
        return Math.max(1, Math.min(images / Math.max(1, minImages), (target + candidates - 1) / candidates));
    }

    @Override
    public void close() {
        try {
            broadcast.destroy();
            if (hadoop != null) {
                hadoop.destroy();
            }
        } catch (RuntimeException e) {
            // the context stopped already
        }
        if (ownContext) {
            sc.stop();
            if (local) {
                ExecutorScorings.closeAll();
            }
        }
    }
}
