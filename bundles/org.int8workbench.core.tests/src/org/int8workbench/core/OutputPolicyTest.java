package org.int8workbench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.Test;

/** {@link OutputPolicy}: no output is an input; only what the tool wrote is replaced. */
class OutputPolicyTest {

    /** A one-node model whose weight lives in {@code weights.bin} beside it; with {@code own}, int8workbench metadata. */
    private static Path model(Path dir, String name, boolean own) throws Exception {
        GraphBuilder b = new GraphBuilder("ext").opset(13);
        b.input("x", DataType.FLOAT, 1, 4);
        b.initializer(TensorProto.newBuilder().setName("w").setDataType(DataType.FLOAT_VALUE).addDims(4)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue("16")).build());
        b.node("Add", "x", "w").outputs("y");
        b.output("y", DataType.FLOAT, 1, 4);
        if (own) {
            b.metadata("int8workbench.quantization", "{}");
        }
        Path m = dir.resolve(name);
        Files.write(m, b.toBytes());
        Files.write(dir.resolve("weights.bin"), new byte[16]);
        return m;
    }

    @Test
    void anOutputIsNeverAnInputWhateverTheFlags() throws Exception {
        Path dir = Files.createTempDirectory("policy");
        Path m = model(dir, "m.onnx", false);
        Path data = Files.createDirectories(dir.resolve("data"));
        OutputPolicy p = OutputPolicy.inputs().model(m).folder(data);
        assertTrue(p.inputFiles().contains(OutputPolicy.canonical(dir.resolve("weights.bin"))), "the external data is an input");
        for (Path out : new Path[] {m, dir.resolve("weights.bin"), data, data.resolve("report"), dir.resolve("./data/../m.onnx")}) {
            CoreException e = assertThrows(CoreException.class, () -> p.checkFile(out, true), out.toString());
            assertTrue(e.getMessage().contains("input"), e.getMessage());
        }
        // a folder output replaced as a whole may not hold an input either
        CoreException e = assertThrows(CoreException.class, () -> p.checkFolder(dir, true));
        assertTrue(e.getMessage().contains("contains"), e.getMessage());
        // a link to the model is the model
        Path link = Files.createSymbolicLink(dir.resolve("link.onnx"), m);
        assertThrows(CoreException.class, () -> p.checkFile(link, true));
        p.checkFile(dir.resolve("result.json"), false);
        p.checkFolder(dir.resolve("report"), false);
    }

    @Test
    void onlyWhatTheToolWroteIsReplaced() throws Exception {
        Path dir = Files.createTempDirectory("policy-own");
        Path foreign = model(dir, "foreign.int8.onnx", false);
        Path own = model(dir, "own.int8.onnx", true);
        Path json = Files.writeString(dir.resolve("r.json"), "\n {\"a\": 1}");
        Path text = Files.writeString(dir.resolve("notes.json"), "my notes");
        OutputPolicy p = OutputPolicy.inputs();
        assertFalse(OutputPolicy.isOwnFile(foreign));
        assertTrue(OutputPolicy.isOwnFile(own));
        assertTrue(OutputPolicy.isOwnFile(json));
        assertFalse(OutputPolicy.isOwnFile(text));
        CoreException e = assertThrows(CoreException.class, () -> p.checkFile(foreign, true));
        assertTrue(e.getMessage().contains("did not write"), e.getMessage());
        assertThrows(CoreException.class, () -> p.checkFile(text, true));
        p.checkFile(own, true);
        p.checkFile(json, true);
        // without replacing, any existing output is a FileAlreadyExistsException (the command line answers --force)
        assertThrows(FileAlreadyExistsException.class, () -> p.checkFile(own, false));
        // folders: empty or marked ones only
        Path empty = Files.createDirectories(dir.resolve("empty"));
        p.checkFolder(empty, true);
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("thesis.tex"), "x");
        assertThrows(CoreException.class, () -> p.checkFolder(mine, true));
        AtomicFolder.writeMarker(mine);
        p.checkFolder(mine, true);
        assertThrows(FileAlreadyExistsException.class, () -> p.checkFolder(mine, false));
    }

    @Test
    void reportFilesInASharedFolderAreReplacedOnlyWhenTheReportIsOurs() throws Exception {
        Path dir = Files.createTempDirectory("policy-report");
        Files.writeString(dir.resolve("benchmark.html"), "<html>mine</html>");
        OutputPolicy p = OutputPolicy.inputs();
        assertThrows(CoreException.class, () -> p.checkReportFiles(dir, true, "benchmark.json", "benchmark.html", "benchmark.csv"));
        Files.writeString(dir.resolve("benchmark.json"), "{}");
        p.checkReportFiles(dir, true, "benchmark.json", "benchmark.html", "benchmark.csv");
        assertThrows(FileAlreadyExistsException.class, () -> p.checkReportFiles(dir, false, "benchmark.json", "benchmark.html"));
        assertEquals("<html>mine</html>", Files.readString(dir.resolve("benchmark.html")), "checks write nothing");
    }
}
