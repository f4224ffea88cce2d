package org.int8workbench.core.perf;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.report.AccuracyReport;

/**
 * Benchmark (not a test): evaluation wall time against the sum of the two models' pure inference time over the same
 * images. Pure inference = {@code session.run} alone on tensors decoded beforehand, in fresh sessions created with the
 * evaluation's options (full graph optimisation, intra-op threads do not spin), so both include the first, slower run.
 * Pure inference with ONNX Runtime's default spinning threads is printed too, for comparison. The requirement is a
 * ratio of at most 1.25.
 *
 * <pre>java -cp ... org.int8workbench.core.perf.EvaluationOverhead [MODEL [PARENT [VOC_DIR [IMAGES [REPEATS]]]]]</pre>
 *
 * Defaults: the shared DeepLabV3 as both models, {@code ../shared/data/voc2012-val}, 30 images, 2 repeats (the
 * median-free minimum of each side is reported, which is the least noisy on a shared machine).
 */
public final class EvaluationOverhead {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getenv().getOrDefault("INT8WB_SHARED_DATA", "../shared/data"));
        Path model = Path.of(args.length > 0 ? args[0] : data.resolve("models/deeplabv3_mnv2_dm05_voc_257/deeplabv3_mnv2_dm05_voc_257.onnx").toString());
        Path parent = Path.of(args.length > 1 ? args[1] : model.toString());
        Path voc = Path.of(args.length > 2 ? args[2] : data.resolve("voc2012-val").toString());
        int images = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        Preprocessing pre = Preprocessing.defaults(257, 257, Preprocessing.Layout.NCHW);
        SegmentationDataset ds = Datasets.open(voc, "val");
        List<Sample> items = ds.samples().subList(0, Math.min(images, ds.samples().size()));
        List<float[]> tensors = new ArrayList<>();
        for (Sample s : items) {
            tensors.add(pre.toTensor(ds.readImage(s)));
        }
        double bestPure = Double.MAX_VALUE;
        double bestPureSpinning = Double.MAX_VALUE;
        double bestEval = Double.MAX_VALUE;
        double bestEvalInner = Double.MAX_VALUE;
        double bestReport = Double.MAX_VALUE;
        for (int rep = 0; rep < repeats; rep++) {
            bestPure = Math.min(bestPure, pureInference(model, parent, tensors, pre, false));
            bestPureSpinning = Math.min(bestPureSpinning, pureInference(model, parent, tensors, pre, true));
            AccuracyReport r = new EvaluateOperation().model(model).parent(parent).dataset(ds).preprocessing(pre).limit(images)
                    .run(new NullProgressMonitor());
            bestEval = Math.min(bestEval, r.timing().wallSeconds());
            bestEvalInner = Math.min(bestEvalInner, r.timing().modelInferenceSeconds() + r.timing().parentInferenceSeconds());
            Path dir = Files.createTempDirectory("int8wb-overhead");
            Files.delete(dir);
            AccuracyReport rr = new EvaluateOperation().model(model).parent(parent).dataset(ds).preprocessing(pre).limit(images)
                    .reportDir(dir).run(new NullProgressMonitor());
            bestReport = Math.min(bestReport, rr.timing().wallSeconds());
            try (var w = Files.walk(dir)) {
                for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        System.out.printf(Locale.ROOT, "images: %d, repeats: %d (best of each)%n", items.size(), repeats);
        System.out.printf(Locale.ROOT, "pure inference, both models:        %.2f s  (evaluation's session options: no spinning)%n", bestPure);
        System.out.printf(Locale.ROOT, "pure inference, spinning threads:   %.2f s  (ONNX Runtime's default; not used for the ratio)%n",
                bestPureSpinning);
        System.out.printf(Locale.ROOT, "evaluation wall time (metrics):     %.2f s  ratio %.2f  (session.run inside it: %.2f s)%n",
                bestEval, bestEval / bestPure, bestEvalInner);
        System.out.printf(Locale.ROOT, "evaluation wall time (with report): %.2f s  ratio %.2f%n", bestReport, bestReport / bestPure);
        System.out.println("requirement: ratio <= 1.25 (timings on a shared machine are noisy)");
    }

    private static double pureInference(Path model, Path parent, List<float[]> tensors, Preprocessing pre, boolean spinning)
            throws Exception {
        long nanos = 0;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (!spinning) {
                // as EvaluateOperation creates its sessions
                o.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            try (OrtSession a = Ort.env().createSession(model.toString(), o); OrtSession b = Ort.env().createSession(parent.toString(), o)) {
                String ia = a.getInputNames().iterator().next();
                String ib = b.getInputNames().iterator().next();
                for (float[] t : tensors) {
                    try (OnnxTensor in = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(t), pre.shape(1))) {
                        long t0 = System.nanoTime();
                        try (OrtSession.Result r = a.run(Map.of(ia, in))) {
                            nanos += System.nanoTime() - t0;
                        }
                        long t1 = System.nanoTime();
                        try (OrtSession.Result r = b.run(Map.of(ib, in))) {
                            nanos += System.nanoTime() - t1;
                        }
                    }
                }
            }
        }
        return nanos / 1e9;
    }
}
