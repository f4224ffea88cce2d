package org.int8workbench.core.codegen;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.AtomicFolder;
import org.int8workbench.core.OutputPolicy;
import org.int8workbench.core.Ort;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.codegen.InferenceSpec.Decoding;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.Images;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.head.HeadCut;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.labels.ExactLabelHead;
import org.int8workbench.core.labels.OutputShapes;
import org.int8workbench.core.labels.ScoreLayout;
import org.int8workbench.core.labels.SegmentationHead;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;

/**
 * Generates Java inference code for a model as a plain Maven project: a small class that loads the model with ONNX
 * Runtime Java, applies the preprocessing recorded in the model, runs it and returns the label map (through the exact
 * label head when the model was cut before its upsampling, see {@link SegmentationHead}); a JUnit 5 regression test
 * that compares its label maps on a few sample images with the ones the core computes; the model; and a
 * {@code pom.xml}. The generated code depends only on ONNX Runtime Java and the JDK. Its preprocessing and label
 * decoding are not re-typed: the core's own classes for them ({@link org.int8workbench.core.dataset.ImageTensor},
 * {@link org.int8workbench.core.labels.ResizeArgmax}, {@link org.int8workbench.core.labels.Argmax},
 * {@link org.int8workbench.core.labels.LabelTensors}) are copied into the project as source, with only their package
 * changed, and the generated class calls them.
 *
 * <pre>{@code
 * CodegenResult r = new CodegenOperation(int8Model).packageName("com.example.seg").className("Segmenter")
 *         .outputDir(dir).dataset(Datasets.open(voc)).run(monitor);
 * }</pre>
 *
 * The expected label maps come from an accuracy report folder whose evaluation saved the model's label maps
 * ({@link EvaluateOperation#saveLabelMaps}), else from running this model on the first images of a dataset, else on
 * generated images. Everything is written into a temporary folder beside the output and moved into place at the end,
 * so a cancelled or failed run leaves nothing half-written.
 */
public final class CodegenOperation {
    /** Number of test samples unless {@link #samples(int)} says otherwise. */
    public static final int DEFAULT_SAMPLES = 5;

    private final Path model;
    private String packageName;
    private String className;
    private Path outputDir;
    private Path reportDir;
    private SegmentationDataset dataset;
    private int samples = DEFAULT_SAMPLES;
    private boolean overwrite;

    /** Generates code for the ONNX model at {@code model} (usually an INT8 model with its head cut off). */
    public CodegenOperation(Path model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** Package of the generated classes, e.g. {@code com.example.seg} (required). */
    public CodegenOperation packageName(String name) {
        this.packageName = name;
        return this;
    }

    /** Name of the inference class, e.g. {@code Segmenter} (required); its test is {@code SegmenterTest}. */
    public CodegenOperation className(String name) {
        this.className = name;
        return this;
    }

    /** The project folder to write (required). */
    public CodegenOperation outputDir(Path dir) {
        this.outputDir = dir;
        return this;
    }

    /** An accuracy report folder of this model with saved label maps, to take the test's images and labels from. */
    public CodegenOperation reportDir(Path dir) {
        this.reportDir = dir;
        return this;
    }

    /** The dataset whose first images become the test samples (when no report folder is given). */
    public CodegenOperation dataset(SegmentationDataset d) {
        this.dataset = d;
        return this;
    }

    /** Number of test samples (default {@link #DEFAULT_SAMPLES}). */
    public CodegenOperation samples(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of test samples must be at least 1, got " + n);
        }
        this.samples = n;
        return this;
    }

    /**
     * Whether an existing project folder may be written into (default false: refuse unless it is empty). The files
     * this operation writes are replaced; other files in the folder are left alone.
     */
    public CodegenOperation overwrite(boolean allow) {
        this.overwrite = allow;
        return this;
    }

    /**
     * Generates the project.
     *
     * @throws CoreException when the settings are invalid, the model cannot be read or is not supported, the expected
     *         label maps cannot be made, or the project cannot be written
     * @throws OperationCanceledException when cancelled through the monitor
     */
    public CodegenResult run(IProgressMonitor monitor) throws CoreException {
        try {
            return doRun(monitor);
        } catch (OperationCanceledException e) {
            throw e;
        } catch (FileAlreadyExistsException e) {
            throw error(e.getFile() + " exists and is not empty; choose another folder or allow overwriting", e);
        } catch (NoSuchFileException e) {
            throw error("no such file: " + e.getFile() + (e.getReason() == null ? "" : " (" + e.getReason() + ")"), e);
        } catch (OrtException e) {
            throw error("ONNX Runtime failed on " + model.getFileName() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw error("code generation failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        }
    }

    private static CoreException error(String message, Throwable cause) {
        return CoreStatus.exception(message, cause);
    }

    private CodegenResult doRun(IProgressMonitor monitor) throws IOException, OrtException, CoreException {
        checkSettings();
        Path out = outputDir.toAbsolutePath().normalize();
        // the output policy (the same for the command line and the workbench): the project folder is put together beside
        // it and swapped in, so it is no input and holds none
        OutputPolicy.inputs().model(model).folder(reportDir)
                .folder(dataset instanceof org.int8workbench.core.dataset.FileDataset f ? f.root() : null).checkFolderNotInput(out);
        if (Files.exists(out) && !overwrite && !isEmptyDirectory(out)) {
            throw new FileAlreadyExistsException(out.toString());
        }
        SubMonitor sub = SubMonitor.convert(monitor, "Generating Java code for " + model.getFileName(), samples + 4);
        Path modelPath = model.toAbsolutePath().normalize();
        if (!Files.isRegularFile(modelPath)) {
            throw new NoSuchFileException(modelPath.toString(), null, "the model file does not exist");
        }
        byte[] bytes = Files.readAllBytes(modelPath);
        String sha = Sha256.of(bytes);
        org.int8workbench.core.onnx.OnnxModel parsed = org.int8workbench.core.onnx.OnnxModel.load(modelPath);
        if (parsed.hasExternalData()) {
            // weights stored beside the model: the generated class loads one resource, so the copy holds them inline
            // (and a session made from bytes would look for the data in the working folder, not beside the model)
            bytes = parsed.withInternalData().toByteArray();
        }
        sub.split(1);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = Ort.env().createSession(bytes, options)) {
                InferenceSpec spec = inspect(session, modelPath, sha);
                sub.split(1);
                List<String> notes = new ArrayList<>();
                if (!spec.preprocessingRecorded()) {
                    notes.add("The model records no preprocessing; the code applies the defaults for its input ("
                            + spec.preprocessing().describe() + "). Edit the means and standard deviations of PREPROCESSING in the generated class if the model expects others.");
                }
                if (spec.decoding() != Decoding.HEAD && HeadCut.cut(ModelProto.parseFrom(bytes)).found()) {
                    notes.add("The model still upsamples its class scores to full resolution; the code is faster for a model "
                            + "optimized with the exact fast label head, which computes the labels from the low-resolution scores.");
                }
                List<Expected> expected;
                String from;
                if (reportDir != null) {
                    from = "the accuracy report " + reportDir.toAbsolutePath().normalize();
                    expected = fromReport(spec, sha, sub.split(samples));
                } else {
                    SegmentationDataset ds = dataset;
                    if (ds == null) {
                        Preprocessing p = spec.preprocessing();
                        ds = Datasets.generated(samples, p.width() + p.width() / 2, p.height() + p.height() / 3, 1,
                                GeneratedDataset.Kind.PATTERN);
                        notes.add("No dataset or report was given: the regression test uses " + samples + " generated images. "
                                + "Give a dataset for real ones.");
                    }
                    from = "this model run by INT8 Workbench on " + ds.description();
                    expected = fromDataset(session, spec, ds, sub.split(samples));
                }
                List<String> runtimeClasses = RuntimeSources.needed(runtimeClasses(spec.decoding()));
                Path written = write(spec, runtimeClasses, bytes, expected, from, out, sub.split(2));
                String pkg = spec.packageName().replace('.', '/');
                Path mainJava = written.resolve("src/main/java/" + pkg);
                return new CodegenResult(modelPath.toString(), sha, written.toString(), spec.packageName(), spec.className(),
                        mainJava.resolve(spec.className() + ".java").toString(),
                        written.resolve("src/test/java/" + pkg + "/" + spec.className() + "Test.java").toString(),
                        runtimeClasses.stream().map(k -> mainJava.resolve(RuntimeSources.simpleName(k) + ".java").toString()).toList(),
                        written.resolve("pom.xml").toString(), written.resolve("src/main/resources/" + pkg + "/" + spec.modelResource()).toString(),
                        spec.describeDecoding(), spec.preprocessing(), spec.preprocessingRecorded(),
                        expected.stream().map(Expected::id).toList(), from, notes, Provenance.now());
            }
        }
    }

    /** The core classes the generated code runs for a decoding (without the ones they use in turn). */
    private static List<String> runtimeClasses(Decoding decoding) {
        return switch (decoding) {
            case HEAD -> List.of(RuntimeSources.IMAGE_TENSOR, RuntimeSources.RESIZE_ARGMAX);
            case ARGMAX -> List.of(RuntimeSources.IMAGE_TENSOR, RuntimeSources.ARGMAX);
            case LABELS -> List.of(RuntimeSources.IMAGE_TENSOR, RuntimeSources.LABEL_TENSORS);
        };
    }

    private void checkSettings() {
        if (packageName == null || packageName.isBlank()) {
            throw new IllegalArgumentException("give the package of the generated classes, e.g. com.example.segmentation");
        }
        if (!Arrays.stream(packageName.split("\\.", -1)).allMatch(CodegenOperation::isIdentifier)) {
            throw new IllegalArgumentException("'" + packageName + "' is not a valid Java package name");
        }
        if (className == null || className.isBlank()) {
            throw new IllegalArgumentException("give the name of the generated class, e.g. Segmenter");
        }
        if (!isIdentifier(className)) {
            throw new IllegalArgumentException("'" + className + "' is not a valid Java class name");
        }
        Objects.requireNonNull(outputDir, "give the folder of the generated project");
        if (reportDir != null && dataset != null) {
            throw new IllegalArgumentException("give either an accuracy report folder or a dataset for the test samples, not both");
        }
    }

    /** Java's reserved words and literals, which cannot name a package or class. */
    private static final Set<String> RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char",
            "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto",
            "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private", "protected",
            "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient",
            "try", "void", "volatile", "while", "true", "false", "null", "_");

    /** True for a Java identifier that is not a reserved word (what can name a package part or a class). */
    public static boolean isIdentifier(String s) {
        if (s == null || s.isEmpty() || RESERVED.contains(s) || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        return s.chars().allMatch(Character::isJavaIdentifierPart);
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    // ---------------------------------------------------------------- what the model needs

    /** Reads names, shapes, preprocessing and head from the session; runs it once on zeros for concrete output shapes. */
    private InferenceSpec inspect(OrtSession session, Path modelPath, String sha) throws OrtException, CoreException {
        Map<String, String> meta = session.getMetadata().getCustomMetadata();
        boolean recorded = meta.containsKey(Preprocessing.METADATA_KEY);
        Preprocessing pre = EvaluateOperation.fromModel(session);
        NodeInfo in = session.getInputInfo().values().iterator().next();
        if (!(in.getInfo() instanceof TensorInfo ti) || ti.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException(modelPath.getFileName() + ": the first input '" + in.getName()
                    + "' is not a float tensor; the generated code feeds float images");
        }
        long[] declared = ti.getShape();
        String rank = Preprocessing.rankProblem(declared.length);
        if (rank != null) {
            throw new IllegalArgumentException(modelPath.getFileName() + ": " + rank);
        }
        long[] want = pre.inputShape(declared);
        boolean fits = true;
        for (int i = 0; fits && i < want.length; i++) {
            fits = declared[i] <= 0 || declared[i] == want[i];
        }
        if (!fits) {
            throw new IllegalArgumentException(modelPath.getFileName() + ": input '" + in.getName() + "' has shape " + Arrays.toString(declared)
                    + " but the preprocessing (" + pre.describe() + ") gives " + Arrays.toString(want));
        }
        Optional<SegmentationHead> head = SegmentationHead.fromMetadata(meta);
        String output = head.map(SegmentationHead::logitsOutput).orElseGet(() -> session.getOutputNames().iterator().next());
        if (!session.getOutputNames().contains(output)) {
            throw new IllegalArgumentException(modelPath.getFileName() + ": the model has no output '" + output + "' recorded by its head");
        }
        long[] shape;
        OnnxJavaType type;
        try (OnnxTensor zeros = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(new float[pre.tensorSize()]), want);
                OrtSession.Result r = session.run(Map.of(in.getName(), zeros), Set.of(output))) {
            OnnxValue v = r.get(0);
            if (!(v instanceof OnnxTensor t)) {
                throw new IllegalArgumentException(modelPath.getFileName() + ": output '" + output + "' is not a tensor");
            }
            shape = t.getInfo().getShape();
            type = t.getInfo().type;
        }
        String modelFile = modelPath.getFileName().toString();
        String resource = modelFile.matches("[A-Za-z0-9._-]+") && modelFile.endsWith(".onnx") && !modelFile.startsWith(".") ? modelFile : "model.onnx";
        if (head.isPresent()) {
            SegmentationHead h = head.get();
            if (h.sigmoid() != null) {
                throw new IllegalArgumentException(modelFile + ": the model was cut before its Resize and Sigmoid (a "
                        + h.sigmoid().kind() + " head); generated code computes class labels only: generate it from the model "
                        + "with its head (NAME.int8.onnx)");
            }
            if (type != OnnxJavaType.FLOAT) {
                throw new IllegalArgumentException(modelFile + ": the head's scores '" + output + "' are " + type + ", expected float");
            }
            ExactLabelHead exact = ExactLabelHead.of(h, shape);
            if (exact.batch() != 1) {
                throw new IllegalArgumentException(modelFile + ": expected scores of one image, got shape " + Arrays.toString(shape));
            }
            return new InferenceSpec(packageName, className, modelFile, sha, resource, pre, recorded, in.getName(), Decoding.HEAD, output,
                    shape, null, h.channelsLast() ? 3 : 1, h, exact.outputHeight(), exact.outputWidth(), want.length);
        }
        switch (type) {
            case FLOAT -> {
                int axis = classAxis(shape, pre);
                if (axis < 0) {
                    throw new IllegalArgumentException(modelFile + ": output '" + output + "' has shape " + Arrays.toString(shape)
                            + "; expected class scores [1,C,H,W] or [1,H,W,C] with C > 1, or integer labels");
                }
                int hh = (int) shape[axis == 1 ? 2 : 1];
                int ww = (int) shape[axis == 1 ? 3 : 2];
                return new InferenceSpec(packageName, className, modelFile, sha, resource, pre, recorded, in.getName(), Decoding.ARGMAX,
                        output, shape, null, axis, null, hh, ww, want.length);
            }
            case INT64, INT32, UINT8, INT8 -> {
                int[] hw = OutputShapes.mapSize(shape);
                if (hw == null) {
                    throw new IllegalArgumentException(modelFile + ": output '" + output + "' has shape " + Arrays.toString(shape)
                            + "; expected a label map [1,H,W], [1,1,H,W] or [1,H,W,1]");
                }
                return new InferenceSpec(packageName, className, modelFile, sha, resource, pre, recorded, in.getName(), Decoding.LABELS,
                        output, shape, type, -1, null, hw[0], hw[1], want.length);
            }
            default -> throw new IllegalArgumentException(modelFile + ": output '" + output + "' has element type " + type
                    + "; expected float class scores or integer labels");
        }
    }

    /** The class axis of {@code [1,C,H,W]} or {@code [1,H,W,C]} scores by the label path's rule ({@link ScoreLayout}); -1 if none. */
    static int classAxis(long[] s, Preprocessing pre) {
        if (s.length != 4 || s[0] != 1 || ScoreLayout.classCount(s, pre) < 0) {
            return -1;
        }
        return ScoreLayout.decide(s, pre).classAxis();
    }

    // ---------------------------------------------------------------- expected label maps

    /** One test sample: an image and the label map the core computes for it. */
    private record Expected(String id, BufferedImage image, LabelMask labels) {
    }

    private List<Expected> fromDataset(OrtSession session, InferenceSpec spec, SegmentationDataset ds, SubMonitor monitor)
            throws IOException, OrtException {
        List<Sample> items = ds.samples();
        if (items.isEmpty()) {
            throw new IOException("the dataset " + ds.description() + " has no images");
        }
        items = items.subList(0, Math.min(samples, items.size()));
        SubMonitor sub = SubMonitor.convert(monitor, items.size());
        Preprocessing pre = spec.preprocessing();
        List<Expected> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        // the labels the core computes for this model: the label path's decoder, as the evaluator and benchmark use it
        LabelDecoder decoder = LabelDecoders.forSession(session, pre);
        for (Sample s : items) {
            sub.split(1).subTask(s.id());
            BufferedImage img = rgb(ds.readImage(s));
            LabelMask labels;
            try (OnnxTensor input = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(pre.toTensor(img)),
                    pre.inputShape(Ort.inputShape(session)));
                    OrtSession.Result r = session.run(Map.of(spec.inputName(), input))) {
                labels = decoder.decode(r).labels();
            }
            out.add(new Expected(uniqueName(s.id(), out.size(), names), img, labels));
        }
        return out;
    }

    private List<Expected> fromReport(InferenceSpec spec, String sha, SubMonitor monitor) throws IOException {
        Path dir = reportDir.toAbsolutePath().normalize();
        Path json = dir.resolve(AccuracyReportWriter.JSON);
        if (!Files.isRegularFile(json)) {
            throw new NoSuchFileException(json.toString(), null, "not an accuracy report folder");
        }
        AccuracyReport report = AccuracyReportWriter.read(json);
        if (!sha.equals(report.model().sha256())) {
            throw new IllegalArgumentException("the accuracy report in " + dir + " was made for another model (" + report.model().path()
                    + "); evaluate " + model.getFileName() + " with its label maps saved, or give a dataset instead");
        }
        if (!spec.preprocessing().equals(report.preprocessing())) {
            throw new IllegalArgumentException("the accuracy report in " + dir + " used the preprocessing " + report.preprocessing().describe()
                    + " but the model records " + spec.preprocessing().describe() + "; evaluate again with the model's preprocessing");
        }
        SubMonitor sub = SubMonitor.convert(monitor, samples);
        List<Expected> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean anyLabels = false;
        for (int i = 0; i < report.images().size() && out.size() < samples; i++) {
            AccuracyReport.ImageRow row = report.images().get(i);
            Path labelFile = dir.resolve(AccuracyReportWriter.labelMapFile(row.id(), i));
            if (!Files.isRegularFile(labelFile)) {
                continue;
            }
            anyLabels = true;
            if (row.image() == null) {
                continue;
            }
            sub.split(1).subTask(row.id());
            LabelMask labels = AccuracyReportWriter.readLabelMap(labelFile);
            if (labels.width() != spec.labelsWidth() || labels.height() != spec.labelsHeight()) {
                throw new IOException(labelFile + " is " + labels.width() + "x" + labels.height() + " but the model's label map is "
                        + spec.labelsWidth() + "x" + spec.labelsHeight());
            }
            out.add(new Expected(uniqueName(row.id(), out.size(), names), Images.readRgb(Path.of(row.image())), labels));
        }
        if (!anyLabels) {
            throw new IllegalArgumentException("the accuracy report in " + dir + " has no saved label maps (" + AccuracyReportWriter.LABELS_DIR
                    + "/); evaluate the model again with its label maps saved, or give a dataset instead");
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the accuracy report in " + dir + " has label maps only for generated images, which "
                    + "cannot be copied; evaluate on image files, or give a dataset instead");
        }
        return out;
    }

    /** A file-name-safe, unique name for a sample. */
    private static String uniqueName(String id, int index, Set<String> taken) {
        String name = AccuracyReportWriter.fileBase(id, index);
        while (!taken.add(name)) {
            name = index + "_" + name;
        }
        return name;
    }

    /** The image as {@code TYPE_INT_RGB} with the same {@code getRGB} values (what PNG stores losslessly). */
    private static BufferedImage rgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, w, h, img.getRGB(0, 0, w, h, null, 0, w), 0, w);
        return rgb;
    }

    // ---------------------------------------------------------------- writing the project

    /**
     * The output policy for a project laid over an existing folder: files of the user's beside the project are kept, but
     * a file (or the samples folder) the project would replace must be one INT8 Workbench wrote, which a folder it
     * generated says by its marker ({@link AtomicFolder#MARKER}). Otherwise, even when overwriting is allowed, the
     * user's {@code pom.xml} or class of the same name would be lost.
     */
    private static void refuseForeignFiles(Path staged, Path out, String samples) throws IOException {
        if (!Files.isDirectory(out) || Files.isRegularFile(out.resolve(AtomicFolder.MARKER))) {
            return;
        }
        List<Path> clashes = new ArrayList<>();
        if (Files.exists(out.resolve(samples))) {
            clashes.add(out.resolve(samples));
        }
        try (Stream<Path> s = Files.walk(staged)) {
            s.filter(Files::isRegularFile).map(f -> out.resolve(staged.relativize(f).toString())).filter(Files::exists)
                    .forEach(clashes::add);
        }
        if (!clashes.isEmpty()) {
            throw new IOException(out + " was not generated by INT8 Workbench (no " + AtomicFolder.MARKER + " marker) and holds "
                    + clashes.get(0) + (clashes.size() > 1 ? " and " + (clashes.size() - 1) + " more file(s)" : "")
                    + " that the generated project would replace; it replaces only files it wrote itself. Choose a new or"
                    + " empty folder, or move those files away");
        }
    }

    /** Writes the project into a temporary folder beside {@code out} and moves it into place; returns {@code out}. */
    private Path write(InferenceSpec spec, List<String> runtimeClasses, byte[] modelBytes, List<Expected> expected, String from, Path out,
            SubMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "Writing " + out, 2);
        String pkg = spec.packageName().replace('.', '/');
        String c = spec.className();
        try (AtomicFolder folder = AtomicFolder.merge(out, List.of(Path.of("src/test/resources/" + pkg + "/" + c)))) {
            Path tmp = folder.path();
            Provenance here = Provenance.now();
            String madeOn = here.cpu().modelName() + " with ONNX Runtime " + here.onnxRuntime() + " (INT8 Workbench " + here.tool() + ", "
                    + here.time() + ")";
            writeText(tmp.resolve("pom.xml"), JavaSources.pom(spec));
            for (String runtime : runtimeClasses) {
                writeText(tmp.resolve("src/main/java/" + pkg + "/" + RuntimeSources.simpleName(runtime) + ".java"),
                        RuntimeSources.inPackage(runtime, RuntimeSources.read(runtime), spec.packageName()));
            }
            writeText(tmp.resolve("src/main/java/" + pkg + "/" + c + ".java"),
                    JavaSources.mainClass(spec, runtimeClasses.stream().map(RuntimeSources::simpleName).toList()));
            writeText(tmp.resolve("src/test/java/" + pkg + "/" + c + "Test.java"),
                    JavaSources.testClass(spec, expected.stream().map(Expected::id).toList(), from, madeOn));
            Path resources = tmp.resolve("src/main/resources/" + pkg);
            Files.createDirectories(resources);
            Files.write(resources.resolve(spec.modelResource()), modelBytes);
            sub.split(1);
            Path samplesDir = tmp.resolve("src/test/resources/" + pkg + "/" + c);
            Files.createDirectories(samplesDir);
            for (Expected e : expected) {
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(e.image(), "png", png);
                Files.write(samplesDir.resolve(e.id() + ".png"), png.toByteArray());
                AccuracyReportWriter.writeLabelMap(e.labels(), samplesDir.resolve(e.id() + ".labels.png"), false);
            }
            sub.split(1);
            refuseForeignFiles(tmp, out, "src/test/resources/" + pkg + "/" + c);
            AtomicFolder.writeMarker(tmp);
            folder.commit();
            return out;
        }
    }

    private static void writeText(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
