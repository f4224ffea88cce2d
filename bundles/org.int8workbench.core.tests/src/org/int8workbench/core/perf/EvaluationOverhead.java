package org.int8workbench.core.perf;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.CpuInfo;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.report.AccuracyReport;

/**
 * Benchmark (not a test): evaluation wall time against the two models' pure inference time over the same images. The
 * requirement is a ratio of at most 1.25.
 *
 * <p>Each round measures, one after the other on the same machine:
 * <ol>
 * <li><b>pure, sequential</b>: {@code session.run} alone on tensors decoded beforehand, one model after the other per
 * image, in fresh sessions on all cores, once with ONNX Runtime's default spinning threads and once without spinning;
 * the faster of the two is <b>the sum of the two models' pure inference time</b> the requirement names;</li>
 * <li><b>pure, side by side</b>: the same runs scheduled as the evaluator schedules them
 * ({@link EvaluateOperation#inferenceLayout}: two runs at once, each on half the cores), still without decoding or
 * metrics: how much of the evaluator's speed comes from that scheduling alone;</li>
 * <li>the <b>evaluation</b> ({@link EvaluateOperation} with a parent, metrics only), the evaluation writing the report
 * folder without pictures (HTML, CSV, JSON: {@code --no-images}), and with a side-by-side PNG per image.</li>
 * </ol>
 * Every pass includes the first, slower run of fresh sessions; session creation is outside all of them. The ratios are
 * taken per round and summarised by their median and range, because this kind of machine is noisy.
 *
 * <pre>java -cp ... org.int8workbench.core.perf.EvaluationOverhead [MODEL [PARENT [VOC_DIR [IMAGES [ROUNDS]]]]]</pre>
 *
 * Defaults: the shared DeepLabV3 as both models, {@code ../shared/data/voc2012-val}, all 102 images, 5 rounds.
 */
public final class EvaluationOverhead {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getenv().getOrDefault("INT8WB_SHARED_DATA", "../shared/data"));
        Path model = Path.of(args.length > 0 ? args[0] : data.resolve("models/deeplabv3_mnv2_dm05_voc_257/deeplabv3_mnv2_dm05_voc_257.onnx").toString());
        Path parent = Path.of(args.length > 1 ? args[1] : model.toString());
        Path voc = Path.of(args.length > 2 ? args[2] : data.resolve("voc2012-val").toString());
        int images = args.length > 3 ? Integer.parseInt(args[3]) : 102;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        SegmentationDataset ds = Datasets.open(voc, "val");
        List<Sample> items = ds.samples().subList(0, Math.min(images, ds.samples().size()));
        Preprocessing pre;
        try (OrtSession s = Ort.env().createSession(model.toString())) {
            pre = EvaluateOperation.fromModel(s);
        }
        List<float[]> tensors = new ArrayList<>();
        for (Sample s : items) {
            tensors.add(pre.toTensor(ds.readImage(s)));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int[] layout = EvaluateOperation.inferenceLayout(cores);
        List<double[]> rows = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double spinning = sequential(model, parent, tensors, pre, true);
            double quiet = sequential(model, parent, tensors, pre, false);
            double sideBySide = sideBySide(model, parent, tensors, pre, layout);
            AccuracyReport r = new EvaluateOperation().model(model).parent(parent).dataset(ds).preprocessing(pre).limit(images)
                    .run(new NullProgressMonitor());
            double eval = r.timing().wallSeconds();
            double tables = withReport(model, parent, ds, pre, images, false);
            double pictures = withReport(model, parent, ds, pre, images, true);
            double pure = Math.min(spinning, quiet);
            double[] row = {spinning, quiet, sideBySide, eval, tables, pictures, eval / pure, tables / pure, pictures / pure, eval / sideBySide};
            rows.add(row);
            System.out.printf(Locale.ROOT, "round %d: pure sequential %.2f s (spinning) / %.2f s (not), side by side %.2f s; evaluation "
                    + "%.2f s, with report %.2f s, with report and pictures %.2f s; ratios %.2f, %.2f, %.2f, strict %.2f%n", round + 1,
                    row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9]);
        }
        CpuInfo cpu = CpuInfo.current();
        System.out.printf(Locale.ROOT, "%n%s; ONNX Runtime %s; %d images of %s; %d rounds%n", cpu.describe(), Ort.version(),
                items.size(), voc.getFileName(), rounds);
        System.out.printf(Locale.ROOT, "model %s, parent %s%n", model.getFileName(), parent.getFileName());
        System.out.printf(Locale.ROOT, "evaluator: %d runs at once, %d intra-op thread(s) each%n", layout[0], layout[1]);
        System.out.printf(Locale.ROOT, "evaluation / pure sequential inference:                 %s   (requirement <= 1.25)%n", summary(rows, 6));
        System.out.printf(Locale.ROOT, "  with the report folder (HTML, CSV, JSON; --no-images): %s%n", summary(rows, 7));
        System.out.printf(Locale.ROOT, "  with the report folder and a picture per image:       %s%n", summary(rows, 8));
        System.out.printf(Locale.ROOT, "evaluation / pure side-by-side inference (strict):      %s%n", summary(rows, 9));
        System.out.println("(median of per-round ratios, min-max in brackets)");
    }

    private static double withReport(Path model, Path parent, SegmentationDataset ds, Preprocessing pre, int images, boolean pictures)
            throws Exception {
        Path dir = Files.createTempDirectory("int8wb-overhead");
        Files.delete(dir);
        try {
            return new EvaluateOperation().model(model).parent(parent).dataset(ds).preprocessing(pre).limit(images).reportDir(dir)
                    .renderImages(pictures).run(new NullProgressMonitor()).timing().wallSeconds();
        } finally {
            if (Files.exists(dir)) {
                try (var w = Files.walk(dir)) {
                    for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private static String summary(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median, v[0], v[v.length - 1]);
    }

    private static OrtSession.SessionOptions options(boolean spinning, int threads) throws Exception {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (threads > 0) {
            o.setIntraOpNumThreads(threads);
        }
        if (!spinning) {
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
        }
        return o;
    }

    /** Both models on every image, one run at a time on all cores; session.run time summed. */
    private static double sequential(Path model, Path parent, List<float[]> tensors, Preprocessing pre, boolean spinning) throws Exception {
        long nanos = 0;
        try (OrtSession.SessionOptions o = options(spinning, 0);
                OrtSession a = Ort.env().createSession(model.toString(), o);
                OrtSession b = Ort.env().createSession(parent.toString(), o)) {
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
        return nanos / 1e9;
    }

    /** Both models on every image, scheduled as the evaluator does (jobs taken in order by its workers); wall time. */
    private static double sideBySide(Path model, Path parent, List<float[]> tensors, Preprocessing pre, int[] layout) throws Exception {
        try (OrtSession.SessionOptions o = options(false, layout[1]);
                OrtSession a = Ort.env().createSession(model.toString(), o);
                OrtSession b = Ort.env().createSession(parent.toString(), o)) {
            String ia = a.getInputNames().iterator().next();
            String ib = b.getInputNames().iterator().next();
            AtomicInteger next = new AtomicInteger();
            int jobs = tensors.size() * 2;
            Exception[] failed = new Exception[1];
            Runnable worker = () -> {
                try {
                    for (int j; (j = next.getAndIncrement()) < jobs;) {
                        boolean isParent = (j & 1) == 1;
                        try (OnnxTensor in = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(tensors.get(j >> 1)), pre.shape(1));
                                OrtSession.Result r = (isParent ? b : a).run(Map.of(isParent ? ib : ia, in))) {
                            // output discarded
                        }
                    }
                } catch (Exception e) {
                    failed[0] = e;
                }
            };
            long t0 = System.nanoTime();
            Thread[] threads = new Thread[layout[0]];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = Thread.ofPlatform().start(worker);
            }
            for (Thread t : threads) {
                t.join();
            }
            long wall = System.nanoTime() - t0;
            if (failed[0] != null) {
                throw failed[0];
            }
            return wall / 1e9;
        }
    }

}
