package org.int8workbench.core.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.int8workbench.core.Ort;
import org.int8workbench.core.labels.ExactLabelHead;
import org.int8workbench.core.labels.SegmentationHead;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Exactness of {@link ExactLabelHead} against ONNX Runtime on tiny generated graphs: every Resize mode, coordinate
 * transformation and nearest rounding, sizes and scales, opset forms 9 (Upsample), 10, 11, 13, 18, 19, NCHW and NHWC,
 * odd sizes and non-integer factors, with seeded random logits full of ties and near-ties. The labels must equal
 * ONNX Runtime's {@code ArgMax} of the {@code Resize} output at every pixel, and the reported scores must equal the
 * resized logits bit for bit.
 */
class ExactLabelHeadTest {

    private static final String[] TRANSFORMS = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
            "tf_half_pixel_for_nn"};
    private static final String[] NEAREST = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};

    /** One head configuration. */
    record Case(String name, int opset, ResizeSpec spec, boolean nhwc, boolean upsampleOp, boolean selectLast, int c, int h,
            int w) {
    }

    static List<Case> cases() {
        List<Case> list = new ArrayList<>();
        int c = 5;
        for (String t : TRANSFORMS) {
            int opset = t.equals("tf_half_pixel_for_nn") ? 11 : 13;
            list.add(new Case("linear " + t + " sizes up", opset, ResizeSpec.linear().withTransform(t).withSizes(1, c, 13, 17), false,
                    false, false, c, 5, 7));
            list.add(new Case("linear " + t + " scales 2.5x1.7", opset,
                    ResizeSpec.linear().withTransform(t).withScales(1, 1, 2.5f, 1.7f), false, false, false, c, 5, 7));
            list.add(new Case("linear " + t + " sizes down/1", opset, ResizeSpec.linear().withTransform(t).withSizes(1, c, 4, 7),
                    false, false, false, c, 9, 7));
            for (String nm : NEAREST) {
                list.add(new Case("nearest " + t + " " + nm + " sizes", opset,
                        ResizeSpec.nearest().withTransform(t).withNearestMode(nm).withSizes(1, c, 11, 16), false, false, false, c, 5, 7));
                list.add(new Case("nearest " + t + " " + nm + " scales down", opset,
                        ResizeSpec.nearest().withTransform(t).withNearestMode(nm).withScales(1, 1, 0.6f, 0.75f), false, false, false,
                        c, 9, 8));
            }
        }
        list.add(new Case("linear half_pixel_symmetric opset 19", 19,
                ResizeSpec.linear().withTransform("half_pixel_symmetric").withScales(1, 1, 2.3f, 3.1f), false, false, false, c, 5, 7));
        list.add(new Case("nearest half_pixel_symmetric opset 19", 19,
                ResizeSpec.nearest().withTransform("half_pixel_symmetric").withSizes(1, c, 12, 15), false, false, false, c, 5, 7));
        list.add(new Case("linear align_corners opset 18 axes", 18,
                ResizeSpec.linear().withTransform("align_corners").withSizes(19, 23).withAxes(2, 3), false, false, false, c, 5, 7));
        list.add(new Case("linear opset 11 sizes", 11, ResizeSpec.linear().withTransform("align_corners").withSizes(1, c, 33, 21),
                false, false, false, c, 6, 5));
        list.add(new Case("linear opset 10 scales", 10, ResizeSpec.linear().withScales(1, 1, 3.5f, 2.25f), false, false, false, c, 5,
                7));
        list.add(new Case("nearest opset 10 scales", 10, ResizeSpec.nearest().withScales(1, 1, 2.6f, 3f), false, false, false, c, 5,
                7));
        list.add(new Case("nearest opset 10 downsample", 10, ResizeSpec.nearest().withScales(1, 1, 0.5f, 0.7f), false, false, false,
                c, 9, 10));
        list.add(new Case("Upsample opset 9 linear", 9, ResizeSpec.linear().withScales(1, 1, 2.5f, 2f), false, true, false, c, 5, 7));
        list.add(new Case("linear NHWC half_pixel", 13, ResizeSpec.linear().withSizes(1, 13, 17, c), true, false, false, c, 5, 7));
        list.add(new Case("linear NHWC align_corners scales", 13,
                ResizeSpec.linear().withTransform("align_corners").withScales(1, 2.7f, 1.9f, 1), true, false, false, c, 5, 7));
        list.add(new Case("nearest NHWC", 13, ResizeSpec.nearest().withSizes(1, 13, 17, c), true, false, false, c, 5, 7));
        list.add(new Case("linear select_last_index", 13, ResizeSpec.linear().withSizes(1, c, 13, 17), false, false, true, c, 5, 7));
        list.add(new Case("linear 21 classes 33->257 align_corners", 13,
                ResizeSpec.linear().withTransform("align_corners").withSizes(1, 21, 257, 257), false, false, false, 21, 33, 33));
        return list;
    }

    /** The head graph: Identity (so there is something left after the cut) -> Resize -> ArgMax. */
    static ModelProto headModel(Case k, boolean withArgmax) {
        GraphBuilder b = new GraphBuilder("head").opset(k.opset());
        long[] in = k.nhwc() ? new long[] {1, k.h(), k.w(), k.c()} : new long[] {1, k.c(), k.h(), k.w()};
        b.input("x", DataType.FLOAT, in[0], in[1], in[2], in[3]);
        String id = b.identity("x");
        String r;
        if (k.upsampleOp()) {
            r = b.node("Upsample", id, b.initializer(null, k.spec().scales(), 4)).attr("mode", k.spec().mode()).output();
        } else {
            r = b.resize(id, k.spec());
        }
        if (withArgmax) {
            String a = b.argmax(r, k.nhwc() ? 3 : 1, false, k.selectLast());
            b.node("Identity", a).outputs("labels");
            b.output("labels", DataType.INT64);
        } else {
            b.node("Identity", r).outputs("resized");
            b.output("resized", DataType.FLOAT);
        }
        return b.build();
    }

    /** Logits with ties and near-ties: kind 0 gaussian, 1 few discrete values, 2 gaussian with copied near-equal rivals. */
    static float[] logits(Random r, int n, int classes, boolean nhwc, int kind) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (kind) {
                case 1 -> r.nextInt(3) - 1;
                default -> (float) (r.nextGaussian() * 4);
            };
        }
        if (kind == 2) {
            int plane = n / classes;
            for (int g = 0; g < plane; g++) {
                if (r.nextInt(3) == 0) {
                    int a = r.nextInt(classes);
                    int b = r.nextInt(classes);
                    int ia = nhwc ? g * classes + a : a * plane + g;
                    int ib = nhwc ? g * classes + b : b * plane + g;
                    float v = x[ia];
                    x[ib] = switch (r.nextInt(3)) {
                        case 0 -> v;
                        case 1 -> Math.nextUp(v);
                        default -> Math.nextDown(v);
                    };
                }
            }
        }
        return x;
    }

    @TestFactory
    List<DynamicTest> labelsMatchOnnxRuntimeForEveryResizeForm() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case k : cases()) {
            tests.add(DynamicTest.dynamicTest(k.name(), () -> check(k)));
        }
        return tests;
    }

    private static void check(Case k) throws OrtException {
        ModelProto full = headModel(k, true);
        HeadCut.Result cut = HeadCut.cut(full);
        assertTrue(cut.found(), k.name() + ": " + cut.reason());
        SegmentationHead head = cut.head().get();
        assertEquals(k.nhwc() ? "NHWC" : "NCHW", head.layout());
        long[] shape = k.nhwc() ? new long[] {1, k.h(), k.w(), k.c()} : new long[] {1, k.c(), k.h(), k.w()};
        ExactLabelHead decoder = ExactLabelHead.of(head, shape);
        Random r = new Random(k.name().hashCode());
        try (OrtSession labelsSession = Ort.env().createSession(full.toByteArray(), new OrtSession.SessionOptions());
                OrtSession resizeSession = Ort.env().createSession(headModel(k, false).toByteArray(), new OrtSession.SessionOptions())) {
            for (int trial = 0; trial < 9; trial++) {
                float[] x = logits(r, k.c() * k.h() * k.w(), k.c(), k.nhwc(), trial % 3);
                long[] ortLabels;
                float[] resized;
                try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), shape);
                        OrtSession.Result a = labelsSession.run(Map.of("x", t));
                        OrtSession.Result b = resizeSession.run(Map.of("x", t))) {
                    LongBuffer lb = ((OnnxTensor) a.get(0)).getLongBuffer();
                    ortLabels = new long[lb.remaining()];
                    lb.get(ortLabels);
                    FloatBuffer fb = ((OnnxTensor) b.get(0)).getFloatBuffer();
                    resized = new float[fb.remaining()];
                    fb.get(resized);
                    long[] outShape = ((OnnxTensor) b.get(0)).getInfo().getShape();
                    int hAxis = k.nhwc() ? 1 : 2;
                    assertEquals(outShape[hAxis], decoder.outputHeight(), k.name() + ": output height");
                    assertEquals(outShape[hAxis + 1], decoder.outputWidth(), k.name() + ": output width");
                }
                int pixels = decoder.labelsPerImage();
                int[] labels = new int[pixels];
                float[] scores = new float[pixels];
                decoder.decode(x, 0, labels, 0, scores);
                assertEquals(ortLabels.length, pixels);
                for (int p = 0; p < pixels; p++) {
                    if (labels[p] != ortLabels[p]) {
                        fail(k.name() + " trial " + trial + ": pixel " + p + " label " + labels[p] + ", ONNX Runtime " + ortLabels[p]);
                    }
                    int idx = k.nhwc() ? p * k.c() + labels[p] : labels[p] * pixels + p;
                    if (Float.floatToIntBits(scores[p]) != Float.floatToIntBits(resized[idx])) {
                        fail(k.name() + " trial " + trial + ": pixel " + p + " score " + scores[p] + ", ONNX Runtime " + resized[idx]);
                    }
                }
                // ONNX Runtime's ArgMax agrees with a first-maximum argmax over its own Resize output
                assertEquals(pixels, countEqual(ortLabels, argmax(resized, k.c(), pixels, k.nhwc(), k.selectLast())));
            }
        }
    }

    static int[] argmax(float[] v, int classes, int pixels, boolean nhwc, boolean lastWins) {
        int[] out = new int[pixels];
        for (int p = 0; p < pixels; p++) {
            float best = v[nhwc ? p * classes : p];
            int k = 0;
            for (int c = 1; c < classes; c++) {
                float x = v[nhwc ? p * classes + c : c * pixels + p];
                if (lastWins ? x >= best : x > best) {
                    best = x;
                    k = c;
                }
            }
            out[p] = k;
        }
        return out;
    }

    private static int countEqual(long[] a, int[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += a[i] == b[i] ? 1 : 0;
        }
        return n;
    }

    /** Nearest index mapping on many random sizes (including exact and near halfway coordinates), read back via scores. */
    @Test
    void nearestMappingMatchesOnnxRuntimeOnRandomSizes() throws OrtException {
        Random r = new Random(11);
        int checked = 0;
        for (int trial = 0; trial < 12; trial++) {
            for (String t : TRANSFORMS) {
                for (String nm : NEAREST) {
                    int h = 2 + r.nextInt(6);
                    int w = 2 + r.nextInt(30);
                    int ow = 1 + r.nextInt(70);
                    boolean scales = r.nextBoolean();
                    float s = (float) ow / w * (scales && r.nextBoolean() ? 1.013f : 1f);
                    ResizeSpec spec = ResizeSpec.nearest().withTransform(t).withNearestMode(nm);
                    spec = scales ? spec.withScales(1, 1, 1, s) : spec.withSizes(1, 1, h, ow);
                    Case k = new Case("random", t.equals("tf_half_pixel_for_nn") ? 11 : 13, spec, false, false, false, 1, h, w);
                    ModelProto resize = headModel(k, false);
                    ExactLabelHead head = ExactLabelHead.of(HeadCut.cut(headModel(k, true)).head().orElseThrow(), new long[] {1, 1, h, w});
                    float[] x = new float[h * w];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = i;
                    }
                    float[] expected;
                    try (OrtSession session = Ort.env().createSession(resize.toByteArray(), new OrtSession.SessionOptions());
                            OnnxTensor in = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), new long[] {1, 1, h, w});
                            OrtSession.Result res = session.run(Map.of("x", in))) {
                        FloatBuffer fb = ((OnnxTensor) res.get(0)).getFloatBuffer();
                        expected = new float[fb.remaining()];
                        fb.get(expected);
                    }
                    float[] scores = new float[head.labelsPerImage()];
                    head.decode(x, 0, new int[scores.length], 0, scores);
                    for (int p = 0; p < scores.length; p++) {
                        assertEquals(expected[p], scores[p], t + "/" + nm + " " + w + "->" + head.outputWidth() + " scale " + s + " pixel " + p);
                    }
                    checked += scores.length;
                }
            }
        }
        assertTrue(checked > 10_000, "pixels checked: " + checked);
    }

    @Test
    void boundaryPixelsAreAMinorityOnSmoothLogits() {
        // smooth logits (a few blobs) upsampled 8x: most pixels take the corner shortcut
        int c = 4;
        int h = 16;
        int w = 16;
        float[] x = new float[c * h * w];
        for (int k = 0; k < c; k++) {
            double cy = 4 + 8 * (k / 2);
            double cx = 4 + 8 * (k % 2);
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    x[k * h * w + y * w + xx] = (float) -Math.hypot(y - cy, xx - cx);
                }
            }
        }
        GraphBuilder b = new GraphBuilder("smooth");
        b.input("x", DataType.FLOAT, 1, c, h, w);
        String r = b.resize(b.identity("x"), ResizeSpec.linear().withSizes(1, c, 128, 128));
        b.output(b.argmax(r, 1), DataType.INT64);
        HeadCut.Result cut = HeadCut.cut(b.build());
        ExactLabelHead head = ExactLabelHead.of(cut.head().orElseThrow(), new long[] {1, c, h, w});
        int[] labels = new int[128 * 128];
        int exact = head.decode(x, 0, labels, 0, null);
        assertTrue(exact > 0 && exact < labels.length / 4, "boundary pixels: " + exact + " of " + labels.length);
        assertEquals(0, labels[0]);
        assertEquals(3, labels[labels.length - 1]);
    }
}
