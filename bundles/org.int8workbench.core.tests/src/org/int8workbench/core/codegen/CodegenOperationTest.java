package org.int8workbench.core.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.int8workbench.core.AtomicFolder;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing.ColorOrder;
import org.int8workbench.core.dataset.Preprocessing.Layout;
import org.int8workbench.core.dataset.Preprocessing.ResizeMode;
import org.int8workbench.core.dataset.Preprocessing.Rgb;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.head.HeadCut;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated inference code on tiny generated models, one per head kind (linear and nearest Resize in every
 * coordinate transformation and rounding, NCHW and NHWC, last-maximum ArgMax, integer scales that may run as ONNX
 * Runtime's NCHWc kernel), without a head (argmax in Java) and with label outputs, under every resize mode, colour
 * order and layout of the preprocessing. The generated class is compiled in-process against the ONNX Runtime jar
 * (warnings are errors) and run: its input tensors must equal the core's preprocessing bit for bit, and its label
 * maps must equal the core's saved ones and the full, uncut graph's argmax at every pixel.
 */
class CodegenOperationTest {

    private static final int H = 12;
    private static final int W = 14;

    @TempDir
    Path tmp;

    /** One model: the full graph, the preprocessing recorded in it (null: none) and the decoding the code must use. */
    record Case(String name, Function<GraphBuilder, GraphBuilder> graph, Preprocessing recorded, InferenceSpec.Decoding decoding) {
    }

    static List<Case> cases() {
        Preprocessing fitBgr = new Preprocessing(W, H, ResizeMode.FIT_PAD, new Rgb(123.7, 116.3, 103.5), new Rgb(58.4, 57.1, 57.4),
                ColorOrder.BGR, Layout.NCHW);
        Preprocessing cropNhwc = new Preprocessing(W, H, ResizeMode.CENTER_CROP, Rgb.all(0), Rgb.all(255), ColorOrder.RGB, Layout.NHWC);
        List<Case> list = new ArrayList<>();
        int c = 5;
        list.add(new Case("linear align_corners sizes, fit-pad BGR", b -> headNet(b, c, false,
                ResizeSpec.linear().withTransform("align_corners").withSizes(1, c, H, W), false), fitBgr, InferenceSpec.Decoding.HEAD));
        list.add(new Case("linear half_pixel scales 2.5x1.7", b -> headNet(b, c, false,
                ResizeSpec.linear().withTransform("half_pixel").withScales(1, 1, 2.5f, 1.7f), false), null, InferenceSpec.Decoding.HEAD));
        list.add(new Case("linear pytorch_half_pixel odd sizes", b -> headNet(b, c, false,
                ResizeSpec.linear().withTransform("pytorch_half_pixel").withSizes(1, c, 13, 17), false), null, InferenceSpec.Decoding.HEAD));
        list.add(new Case("linear asymmetric, last maximum wins", b -> headNet(b, c, false,
                ResizeSpec.linear().withTransform("asymmetric").withSizes(1, c, 15, 11), true), null, InferenceSpec.Decoding.HEAD));
        list.add(new Case("linear half_pixel_symmetric opset 19", b -> headNet(b.opset(19), c, false,
                ResizeSpec.linear().withTransform("half_pixel_symmetric").withScales(1, 1, 2.3f, 3.1f), false), null,
                InferenceSpec.Decoding.HEAD));
        list.add(new Case("linear NHWC scores, center-crop NHWC input", b -> headNet(b, c, true,
                ResizeSpec.linear().withTransform("half_pixel").withSizes(1, 13, 17, c), false), cropNhwc, InferenceSpec.Decoding.HEAD));
        list.add(new Case("linear integer scales, 16 classes (NCHWc kernel candidate)", b -> headNet(b, 16, false,
                ResizeSpec.linear().withTransform("half_pixel").withScales(1, 1, 2f, 2f), false), null, InferenceSpec.Decoding.HEAD));
        list.add(new Case("nearest half_pixel round_prefer_ceil", b -> headNet(b, c, false,
                ResizeSpec.nearest().withTransform("half_pixel").withNearestMode("round_prefer_ceil").withSizes(1, c, 11, 16), false), null,
                InferenceSpec.Decoding.HEAD));
        list.add(new Case("nearest asymmetric floor, scale 1 rows", b -> headNet(b, c, false,
                ResizeSpec.nearest().withTransform("asymmetric").withNearestMode("floor").withScales(1, 1, 1f, 2f), false), null,
                InferenceSpec.Decoding.HEAD));
        list.add(new Case("nearest tf_half_pixel_for_nn ceil opset 11", b -> headNet(b.opset(11), c, false,
                ResizeSpec.nearest().withTransform("tf_half_pixel_for_nn").withNearestMode("ceil").withSizes(1, c, 13, 9), false), null,
                InferenceSpec.Decoding.HEAD));
        list.add(new Case("nearest opset 10 (simple rounding)", b -> headNet(b.opset(10), c, false,
                ResizeSpec.nearest().withScales(1, 1, 2.6f, 0.75f), false), null, InferenceSpec.Decoding.HEAD));
        list.add(new Case("no head: NCHW scores, fit-pad BGR", b -> {
            String logits = conv(b, input(b, false), c);
            b.node("Identity", logits).outputs("scores");
            return b.output("scores", DataType.FLOAT);
        }, fitBgr, InferenceSpec.Decoding.ARGMAX));
        list.add(new Case("no head: NHWC scores, center-crop NHWC input", b -> {
            String logits = conv(b, input(b, true), c);
            b.node("Transpose", logits).attrInts("perm", 0, 2, 3, 1).outputs("scores");
            return b.output("scores", DataType.FLOAT);
        }, cropNhwc, InferenceSpec.Decoding.ARGMAX));
        list.add(new Case("labels: int64 [1,1,H,W]", b -> {
            b.node("Identity", b.argmax(conv(b, input(b, false), c), 1, true, false)).outputs("labels");
            return b.output("labels", DataType.INT64);
        }, null, InferenceSpec.Decoding.LABELS));
        list.add(new Case("labels: uint8 [1,H,W]", b -> {
            String a = b.argmax(conv(b, input(b, false), c), 1, false, false);
            b.node("Cast", a).attr("to", (long) DataType.UINT8.getNumber()).outputs("labels");
            return b.output("labels", DataType.UINT8);
        }, null, InferenceSpec.Decoding.LABELS));
        return list;
    }

    /** The image input: {@code [1,3,H,W]}, or {@code [1,H,W,3]} transposed to NCHW. */
    static String input(GraphBuilder b, boolean nhwc) {
        if (!nhwc) {
            b.input("image", DataType.FLOAT, 1, 3, H, W);
            return "image";
        }
        b.input("image", DataType.FLOAT, 1, H, W, 3);
        return b.node("Transpose", "image").attrInts("perm", 0, 3, 1, 2).output();
    }

    /** A 3x3 stride-2 convolution to {@code classes} score planes at half resolution, seeded random weights. */
    static String conv(GraphBuilder b, String x, int classes) {
        Random r = new Random(classes * 31L + 7);
        float[] w = new float[classes * 3 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        float[] bias = new float[classes];
        for (int i = 0; i < classes; i++) {
            bias[i] = (float) r.nextGaussian();
        }
        return b.conv(x, w, new long[] {classes, 3, 3, 3}, bias, 1, 2, 1, 1);
    }

    /** Conv (NCHW; or NHWC input and scores) -> Resize -> ArgMax -> "labels". */
    static GraphBuilder headNet(GraphBuilder b, int classes, boolean nhwcScores, ResizeSpec spec, boolean lastWins) {
        String scores = conv(b, input(b, nhwcScores), classes);
        if (nhwcScores) {
            scores = b.node("Transpose", scores).attrInts("perm", 0, 2, 3, 1).output();
        }
        String labels = b.argmax(b.resize(scores, spec), nhwcScores ? 3 : 1, false, lastWins);
        b.node("Identity", labels).outputs("labels");
        return b.output("labels", DataType.INT64);
    }

    @TestFactory
    Stream<DynamicTest> generatedCodeGivesTheCoresLabels() {
        List<Case> all = cases();
        return all.stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> check(k, all.indexOf(k))));
    }

    private void check(Case k, int index) throws Exception {
        GraphBuilder b = new GraphBuilder("tiny");
        if (k.recorded() != null) {
            b.metadata(Preprocessing.METADATA_KEY, k.recorded().toJson());
        }
        ModelProto full = k.graph().apply(b).build();
        Path fullFile = tmp.resolve("full" + index + ".onnx");
        Files.write(fullFile, full.toByteArray());
        Path model = fullFile;
        if (k.decoding() == InferenceSpec.Decoding.HEAD) {
            HeadCut.Result cut = HeadCut.cut(full);
            assertTrue(cut.found(), cut.reason());
            model = tmp.resolve("cut" + index + ".onnx");
            Files.write(model, cut.model().toByteArray());
        }
        Path project = tmp.resolve("project" + index);
        String className = "Tiny" + index;
        CodegenResult r = new CodegenOperation(model).packageName("org.example.gen").className(className).outputDir(project).samples(3)
                .run(new NullProgressMonitor());
        assertEquals(3, r.samples().size());
        assertEquals(k.recorded() != null, r.preprocessingRecorded());
        Preprocessing pre = r.preprocessing();
        if (k.recorded() != null) {
            assertEquals(k.recorded(), pre);
        }
        assertTrue(r.decoding().startsWith(switch (k.decoding()) {
            case HEAD -> "exact label head";
            case ARGMAX -> "argmax";
            case LABELS -> "labels";
        }), r.decoding());
        String source = Files.readString(Path.of(r.mainSource()));
        assertFalse(source.contains("%"), "unformatted template text in the source");
        assertFalse(source.contains("{{"), "unfilled template text in the source");
        assertFalse(source.contains("for (") || source.contains("while ("),
                "the inference class computes nothing itself; the copied core classes do");

        List<Path> sources = new ArrayList<>(List.of(Path.of(r.mainSource())));
        for (String runtime : r.runtimeSources()) {
            Path file = Path.of(runtime);
            String name = file.getFileName().toString().replace(".java", "");
            String core = RuntimeSources.CLASSES.stream().filter(c -> c.endsWith("." + name)).findFirst().orElseThrow();
            assertEquals(RuntimeSources.inPackage(core, RuntimeSources.read(core), "org.example.gen"), Files.readString(file),
                    file + " is the core's source with its package changed");
            assertTrue(source.contains(name + "."), "the inference class uses " + name);
            sources.add(file);
        }
        assertEquals(2, r.runtimeSources().size(), r.runtimeSources().toString()); // the preprocessing and the decoding
        Path classes = compile(sources, tmp.resolve("classes" + index));
        Path samples = project.resolve("src/test/resources/org/example/gen/" + className);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(),
            project.resolve("src/main/resources").toUri().toURL()}, getClass().getClassLoader());
                OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OrtSession fullSession = Ort.env().createSession(fullFile.toString(), opts)) {
            Class<?> generated = loader.loadClass("org.example.gen." + className);
            Method toInput = generated.getMethod("toInput", BufferedImage.class);
            Method segment = generated.getMethod("segment", BufferedImage.class);
            try (AutoCloseable instance = (AutoCloseable) generated.getMethod("load").invoke(null)) {
                for (String id : r.samples()) {
                    BufferedImage image = ImageIO.read(samples.resolve(id + ".png").toFile());
                    assertArrayEquals(pre.toTensor(image), (float[]) toInput.invoke(null, image), "input tensor of " + id);
                    LabelMask expected = AccuracyReportWriter.readLabelMap(samples.resolve(id + ".labels.png"));
                    LabelMask actual = labelMap(segment.invoke(instance, image));
                    assertEquals(expected.width(), actual.width());
                    assertEquals(expected.height(), actual.height());
                    assertArrayEquals(expected.labels(), actual.labels(), "labels of " + id + " vs the core's");
                    assertArrayEquals(fullGraphLabels(fullSession, pre, image), actual.labels(), "labels of " + id + " vs the full graph");
                }
            }
        }
    }

    /** The uncut model's labels: its ArgMax output, or the argmax of its scores. */
    private static int[] fullGraphLabels(OrtSession s, Preprocessing pre, BufferedImage image) throws Exception {
        try (OnnxTensor in = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(pre.toTensor(image)), pre.shape(1));
                OrtSession.Result out = s.run(Map.of("image", in))) {
            return LabelDecoders.forSession(s, pre).decode(out).labels().labels();
        }
    }

    /** The generated {@code LabelMap} record as a {@link LabelMask}. */
    private static LabelMask labelMap(Object map) throws Exception {
        Class<?> c = map.getClass();
        return new LabelMask((int) c.getMethod("width").invoke(map), (int) c.getMethod("height").invoke(map),
                (int[]) c.getMethod("labels").invoke(map));
    }

    /** Compiles generated sources against the ONNX Runtime jar; lint warnings fail the compilation. */
    static Path compile(List<Path> sources, Path classes) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no Java compiler in this runtime; run the tests on a JDK");
        Files.createDirectories(classes);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            List<String> options = List.of("--release", "21", "-proc:none", "-Xlint:all", "-Werror", "-classpath", onnxRuntimeJar().toString(),
                    "-d", classes.toString());
            StringWriter out = new StringWriter();
            boolean ok = javac.getTask(out, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertTrue(ok, "the generated source does not compile: " + out + diagnostics.getDiagnostics());
        }
        return classes;
    }

    /**
     * The ONNX Runtime jar (or bundle) this test runs with, from the code source of {@link OrtEnvironment}: a plain
     * jar on a class path, or the bundle's location in OSGi; the local Maven repository's copy otherwise.
     */
    static Path onnxRuntimeJar() throws Exception {
        var source = OrtEnvironment.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            String url = source.getLocation().toString();
            url = url.startsWith("reference:") ? url.substring("reference:".length()) : url;
            if (url.startsWith("jar:")) {
                url = url.substring(4, url.indexOf("!/") > 0 ? url.indexOf("!/") : url.length());
            }
            if (url.startsWith("file:")) {
                Path p = Path.of(new URI(url.replace(" ", "%20")));
                if (Files.exists(p)) {
                    return p;
                }
            }
        }
        Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository", "com", "microsoft", "onnxruntime", "onnxruntime",
                JavaSources.ONNXRUNTIME_VERSION, "onnxruntime-" + JavaSources.ONNXRUNTIME_VERSION + ".jar");
        assertTrue(Files.isRegularFile(m2), "cannot find the ONNX Runtime jar (code source " + (source == null ? null : source.getLocation())
                + ", not in " + m2 + ")");
        return m2;
    }

    // ---------------------------------------------------------------- expected labels from an accuracy report

    @Test
    void takesSamplesAndLabelsFromAnAccuracyReport() throws Exception {
        Case k = cases().get(0);
        GraphBuilder b = new GraphBuilder("tiny").metadata(Preprocessing.METADATA_KEY, k.recorded().toJson());
        HeadCut.Result cut = HeadCut.cut(k.graph().apply(b).build());
        Path model = tmp.resolve("cut.onnx");
        Files.write(model, cut.model().toByteArray());
        Path images = tmp.resolve("images");
        Files.createDirectories(images);
        var generated = Datasets.generated(4, 20, 15, 3, GeneratedDataset.Kind.PATTERN);
        for (var s : generated.samples()) {
            ImageIO.write(generated.readImage(s), "png", images.resolve("img " + s.index() + ".png").toFile());
        }
        Path report = tmp.resolve("report");
        AccuracyReport evaluated = new EvaluateOperation().model(model).dataset(Datasets.open(images)).reportDir(report).renderImages(false)
                .saveLabelMaps(true).run(new NullProgressMonitor());
        assertTrue(Files.isRegularFile(report.resolve(AccuracyReportWriter.labelMapFile(evaluated.images().get(0).id(), 0))));

        Path project = tmp.resolve("project");
        CodegenResult r = new CodegenOperation(model).packageName("org.example").className("FromReport").outputDir(project)
                .reportDir(report).samples(2).run(new NullProgressMonitor());
        assertEquals(2, r.samples().size());
        assertTrue(r.samples().get(0).endsWith("img_0"), r.samples().toString()); // the id "img 0" made file-name safe
        assertTrue(r.expectedFrom().contains(report.toString()));
        Path samples = project.resolve("src/test/resources/org/example/FromReport");
        for (int i = 0; i < 2; i++) {
            LabelMask saved = AccuracyReportWriter.readLabelMap(report.resolve(AccuracyReportWriter.labelMapFile(evaluated.images().get(i).id(), i)));
            LabelMask copied = AccuracyReportWriter.readLabelMap(samples.resolve(r.samples().get(i) + ".labels.png"));
            assertArrayEquals(saved.labels(), copied.labels());
            assertEquals(H, saved.height()); // the head's output size: model resolution, not the image's
        }
        // the report's label maps are the exact head's: generate the same project from the images and compare
        CodegenResult again = new CodegenOperation(model).packageName("org.example").className("FromReport").outputDir(tmp.resolve("p2"))
                .dataset(Datasets.open(images)).samples(2).run(new NullProgressMonitor());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(AccuracyReportWriter.readLabelMap(samples.resolve(r.samples().get(i) + ".labels.png")).labels(),
                    AccuracyReportWriter.readLabelMap(tmp.resolve("p2/src/test/resources/org/example/FromReport")
                            .resolve(again.samples().get(i) + ".labels.png")).labels());
        }

        // a report of another model is refused
        Path other = tmp.resolve("other.onnx");
        Files.write(other, k.graph().apply(new GraphBuilder("other")).build().toByteArray());
        CoreException e = assertThrows(CoreException.class, () -> new CodegenOperation(other).packageName("org.example").className("X")
                .outputDir(tmp.resolve("p3")).reportDir(report).run(new NullProgressMonitor()));
        assertTrue(e.getStatus().getMessage().contains("another model"), e.getStatus().getMessage());
        assertFalse(Files.exists(tmp.resolve("p3")));
    }

    // ---------------------------------------------------------------- settings and output folder

    @Test
    void refusesBadNamesAndExistingFolders() throws Exception {
        Path model = tmp.resolve("m.onnx");
        Files.write(model, cases().get(11).graph().apply(new GraphBuilder("m")).build().toByteArray());
        Path out = tmp.resolve("out");
        for (String[] bad : new String[][] {{"com.example.", "A"}, {"com.class", "A"}, {"com.example", "1A"}, {"com.example", "enum"}}) {
            CoreException e = assertThrows(CoreException.class, () -> new CodegenOperation(model).packageName(bad[0]).className(bad[1])
                    .outputDir(out).run(new NullProgressMonitor()));
            assertTrue(e.getStatus().getMessage().contains("not a valid Java"), e.getStatus().getMessage());
        }
        assertFalse(Files.exists(out));

        Files.createDirectories(out);
        Files.writeString(out.resolve("README.md"), "mine");
        CoreException e = assertThrows(CoreException.class, () -> new CodegenOperation(model).packageName("com.example").className("Seg")
                .outputDir(out).run(new NullProgressMonitor()));
        assertTrue(e.getStatus().getMessage().contains("allow overwriting"), e.getStatus().getMessage());
        assertFalse(e.getStatus().getMessage().contains("--"), "the core names no command-line option");
        assertFalse(Files.exists(out.resolve("pom.xml")));

        CodegenResult r = new CodegenOperation(model).packageName("com.example").className("Seg").outputDir(out).overwrite(true).samples(2)
                .run(new NullProgressMonitor());
        assertTrue(Files.isRegularFile(Path.of(r.pom())));
        assertEquals("mine", Files.readString(out.resolve("README.md")), "other files are left alone");
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".out.tmp-")), "no temporary folder left");
        }
        assertTrue(Files.isRegularFile(out.resolve(AtomicFolder.MARKER)), "a generated project says so, for its next generation");

        // a folder of the user's whose files the project would replace (its own pom.xml) is refused, even with overwriting
        Path users = tmp.resolve("users-project");
        Files.createDirectories(users);
        Files.writeString(users.resolve("pom.xml"), "the user's pom");
        CoreException foreign = assertThrows(CoreException.class, () -> new CodegenOperation(model).packageName("com.example")
                .className("Seg").outputDir(users).overwrite(true).samples(1).run(new NullProgressMonitor()));
        assertTrue(foreign.getStatus().getMessage().contains("replaces only files it wrote itself"), foreign.getStatus().getMessage());
        assertEquals("the user's pom", Files.readString(users.resolve("pom.xml")));
        try (Stream<Path> s = Files.list(users)) {
            assertEquals(1, s.count(), "nothing added");
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".users-project")), "no temporary folder left");
        }

        // cancelled while making the samples: an OperationCanceledException and nothing written
        NullProgressMonitor cancelling = new NullProgressMonitor() {
            @Override
            public void subTask(String name) {
                setCanceled(true);
            }
        };
        Path cancelled = tmp.resolve("cancelled");
        assertThrows(OperationCanceledException.class, () -> new CodegenOperation(model).packageName("com.example").className("Seg")
                .outputDir(cancelled).run(cancelling));
        assertFalse(Files.exists(cancelled));
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".cancelled")), "no temporary folder left");
        }
        // again with fewer samples: the samples folder is replaced, not merged
        new CodegenOperation(model).packageName("com.example").className("Seg").outputDir(out).overwrite(true).samples(1)
                .run(new NullProgressMonitor());
        try (Stream<Path> s = Files.list(out.resolve("src/test/resources/com/example/Seg"))) {
            assertEquals(2, s.count());
        }
    }
}
