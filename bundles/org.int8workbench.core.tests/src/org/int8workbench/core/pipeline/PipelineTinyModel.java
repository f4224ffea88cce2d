package org.int8workbench.core.pipeline;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.int8workbench.testing.TestData;
import org.int8workbench.testing.TinySegmentation;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;

/** A tiny segmentation network with a cuttable head, and fresh scratch folders, for the pipeline tests. */
final class PipelineTinyModel {
    /** Input side of the tiny network. */
    static final int SIZE = 16;
    /** Classes of the tiny network. */
    static final int CLASSES = TinySegmentation.CLASSES;

    private PipelineTinyModel() {
    }

    /**
     * input [1,3,16,16] → Conv 3x3 stride 2 + ReLU6 → 1x1 classifier Conv (4 classes) → bilinear Resize (half_pixel) to
     * 16x16 → Identity "logits": two Conv to quantize and a head the exact label head can replace.
     */
    static Path write(Path dir, String name) throws IOException {
        GraphBuilder b = new GraphBuilder("tiny-pipeline").opset(13);
        b.input("input", DataType.FLOAT, 1, 3, SIZE, SIZE);
        String logits = TinySegmentation.convs(b, "input");
        String up = b.resize(logits, ResizeSpec.linear().withTransform("half_pixel").withSizes(1, CLASSES, SIZE, SIZE));
        b.node("Identity", up).outputs("logits");
        b.output("logits", DataType.FLOAT, 1, CLASSES, SIZE, SIZE);
        return TinySegmentation.write(b, dir, name);
    }

    /** An empty folder under the test scratch area. */
    static Path fresh(String name) throws IOException {
        Path dir = TestData.scratch(name);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
        return dir;
    }

    /** The names of everything under {@code dir}, relative, sorted (hidden temporary files included). */
    static java.util.List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            // the marker that makes a report folder replaceable is the tool's own bookkeeping, not an output
            return s.filter(p -> !p.equals(dir)).filter(p -> !p.getFileName().toString().equals(org.int8workbench.core.AtomicFolder.MARKER))
                    .map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
