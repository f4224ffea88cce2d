package org.int8workbench.core.head;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.labels.ExactLabelHead;
import org.int8workbench.core.labels.SegmentationHead;

/**
 * Reusable exactness check of the fast label head on a real model and a VOC folder: runs the full model in ONNX
 * Runtime and takes a first-maximum argmax in Java, runs the cut model and {@link ExactLabelHead}, and counts the
 * label pixels that differ. Also times the head against the plain argmax over the full logits. Used by
 * {@link RealModelHeadExactnessTest}; call {@link #check} with any model path (FP32 or INT8) to repeat it.
 */
public final class HeadExactness {

    /**
     * What {@link #check} found.
     *
     * @param images images compared
     * @param pixels label pixels compared
     * @param differing pixels whose labels differ (must be 0)
     * @param boundaryPixels pixels the head interpolated per class
     * @param headMs median time of the head per image (after warm-up)
     * @param argmaxMs median time of a plain Java argmax over the full-resolution logits per image
     * @param head the head that was cut
     */
    public record Report(int images, long pixels, long differing, long boundaryPixels, double headMs, double argmaxMs,
            SegmentationHead head) {
        public double boundaryFraction() {
            return pixels == 0 ? 0 : (double) boundaryPixels / pixels;
        }
    }

    private HeadExactness() {
    }

    /** The ids of the {@code val} split of a VOCdevkit-layout folder. */
    public static List<String> valIds(Path voc) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(voc.resolve("ImageSets/Segmentation/val.txt"))) {
            if (!line.isBlank()) {
                ids.add(line.trim());
            }
        }
        return ids;
    }

    /**
     * Compares full model + argmax with cut model + head on the first {@code limit} val images of {@code voc}
     * (all when {@code limit <= 0}), with {@code pre} as preprocessing.
     */
    public static Report check(Path model, Path voc, Preprocessing pre, int limit) throws IOException, OrtException {
        ModelProto full = ModelProto.parseFrom(Files.readAllBytes(model));
        HeadCut.Result cut = HeadCut.cut(full);
        if (!cut.found()) {
            throw new IllegalStateException("no head found in " + model + ": " + cut.reason());
        }
        SegmentationHead head = cut.head().get();
        List<String> ids = valIds(voc);
        if (limit > 0 && ids.size() > limit) {
            ids = ids.subList(0, limit);
        }
        String input;
        long differing = 0;
        long pixels = 0;
        long boundary = 0;
        List<Double> headTimes = new ArrayList<>();
        List<Double> argmaxTimes = new ArrayList<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OrtSession fullSession = Ort.env().createSession(full.toByteArray(), opts);
                OrtSession cutSession = Ort.env().createSession(cut.model().toByteArray(), opts)) {
            input = fullSession.getInputNames().iterator().next();
            String fullOut = head.originalOutput();
            ExactLabelHead decoder = null;
            int[] labels = null;
            int[] reference = null;
            int index = 0;
            for (String id : ids) {
                BufferedImage img = ImageIO.read(voc.resolve("JPEGImages").resolve(id + ".jpg").toFile());
                if (img == null) {
                    throw new IOException("cannot decode image " + id);
                }
                float[] x = pre.toTensor(img);
                float[] fullLogits;
                long[] fullShape;
                float[] low;
                long[] lowShape;
                try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), pre.shape(1));
                        OrtSession.Result a = fullSession.run(Map.of(input, t));
                        OrtSession.Result b = cutSession.run(Map.of(input, t))) {
                    OnnxTensor fa = (OnnxTensor) a.get(fullOut).orElseThrow();
                    fullShape = fa.getInfo().getShape();
                    fullLogits = floats(fa);
                    OnnxTensor lb = (OnnxTensor) b.get(head.logitsOutput()).orElseThrow();
                    lowShape = lb.getInfo().getShape();
                    low = floats(lb);
                }
                if (decoder == null) {
                    decoder = ExactLabelHead.of(head, lowShape);
                    labels = new int[decoder.labelsPerImage()];
                    reference = new int[decoder.labelsPerImage()];
                }
                int classes = (int) fullShape[head.classAxis()];
                long t0 = System.nanoTime();
                argmax(fullLogits, classes, reference.length, head.channelsLast(), head.selectLastIndex(), reference);
                long t1 = System.nanoTime();
                int exact = decoder.decode(low, 0, labels, 0, null);
                long t2 = System.nanoTime();
                if (index++ >= 3) {
                    argmaxTimes.add((t1 - t0) / 1e6);
                    headTimes.add((t2 - t1) / 1e6);
                }
                for (int p = 0; p < labels.length; p++) {
                    if (labels[p] != reference[p]) {
                        differing++;
                    }
                }
                pixels += labels.length;
                boundary += exact;
            }
        }
        return new Report(ids.size(), pixels, differing, boundary, median(headTimes), median(argmaxTimes), head);
    }

    /** First-maximum (or last-maximum) argmax over the classes of one image's full-resolution scores. */
    public static void argmax(float[] v, int classes, int pixels, boolean nhwc, boolean lastWins, int[] out) {
        if (nhwc) {
            for (int p = 0; p < pixels; p++) {
                int base = p * classes;
                float best = v[base];
                int k = 0;
                for (int c = 1; c < classes; c++) {
                    float x = v[base + c];
                    if (lastWins ? x >= best : x > best) {
                        best = x;
                        k = c;
                    }
                }
                out[p] = k;
            }
            return;
        }
        float[] best = Arrays.copyOf(v, pixels);
        Arrays.fill(out, 0, pixels, 0);
        for (int c = 1; c < classes; c++) {
            int base = c * pixels;
            for (int p = 0; p < pixels; p++) {
                float x = v[base + p];
                if (lastWins ? x >= best[p] : x > best[p]) {
                    best[p] = x;
                    out[p] = c;
                }
            }
        }
    }

    private static float[] floats(OnnxTensor t) {
        FloatBuffer fb = t.getFloatBuffer();
        float[] a = new float[fb.remaining()];
        fb.get(a);
        return a;
    }

    private static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[a.length / 2];
    }
}
