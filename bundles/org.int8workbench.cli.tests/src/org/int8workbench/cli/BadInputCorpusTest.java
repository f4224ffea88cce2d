package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command against the bad-input corpus ({@link BadInputCorpus}): broken and hostile models, broken images,
 * broken datasets and bad flags. Each case asserts the exit code, the message (a substring of the one error line),
 * that the error is one line on standard error without a stack trace, Java class names, ONNX Runtime's status codes
 * or source paths, and that nothing the user owns changed (every file under the corpus's user folder has the same
 * bytes, and no file appeared or vanished there).
 */
class BadInputCorpusTest {

    /** A command line and what it must answer: its exit code and a part of its message. */
    record Case(String name, int exit, String message, List<String> args) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What a run answered. */
    record Outcome(int exit, String out, String err, String changed) {
    }

    private static BadInputCorpus corpus;

    static synchronized BadInputCorpus corpus() {
        if (corpus == null) {
            try {
                corpus = new BadInputCorpus(Files.createTempDirectory("int8wb-bad-inputs"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return corpus;
    }

    @AfterAll
    static void deleteCorpus() throws IOException {
        if (corpus != null) {
            delete(corpus.root);
            corpus = null;
        }
    }

    /** No stack trace, no Java names, no ONNX Runtime internals on standard error. */
    private static final Pattern INTERNALS = Pattern.compile(
            "Exception|Error:|\\.java:\\d|^\\s+at |onnxruntime_src|\\.cc:\\d|\\.h:\\d|ORT_[A-Z]|Error code -|No enum constant|For input string|"
                    + "\\b(java|javax|ai|com|org)\\.[a-z]+\\.[a-z]+\\.", Pattern.MULTILINE);

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void answersWithOneClearLineAndChangesNothing(Case c) {
        Outcome o = run(c);
        String all = "exit " + o.exit + "\nstdout:\n" + o.out + "\nstderr:\n" + o.err;
        assertEquals("", o.changed, "the user's files changed: " + o.changed + "\n" + all);
        assertEquals(c.exit, o.exit, all);
        assertTrue((o.err + o.out).contains(c.message), "expected '" + c.message + "' in:\n" + all);
        assertTrue(!INTERNALS.matcher(o.err).find(), "internals on standard error:\n" + all);
        assertTrue(o.err.chars().noneMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t'), "control characters on standard error:\n" + all);
        if (c.exit != 0) {
            long errorLines = o.err.lines().filter(l -> l.startsWith("int8wb:")).count();
            assertEquals(1, errorLines, "one error line expected:\n" + all);
            String line = o.err.lines().filter(l -> l.startsWith("int8wb:")).findFirst().orElseThrow();
            assertTrue(line.contains(c.message), "the message is not on the error line:\n" + all);
        }
    }

    @org.junit.jupiter.api.Test
    void verboseKeepsTheDetails() {
        BadInputCorpus k = corpus();
        Outcome o = run(c("verbose", 1, "", "benchmark", k.unknownOp.toString(), "--seconds", "0.05", "--verbose"));
        assertEquals(1, o.exit, o.err);
        assertTrue(o.err.contains("No Op registered for FancyUnknownOp"), o.err);
        assertTrue(o.err.contains("OrtException") && o.err.contains("\tat "), "--verbose prints the stack trace with ONNX Runtime's text:\n" + o.err);
        Outcome plain = run(c("plain", 1, "", "benchmark", k.unknownOp.toString(), "--seconds", "0.05"));
        assertTrue(!plain.err.contains("OrtException") && !plain.err.contains("\tat "), plain.err);
    }

    /** Runs {@code c} in this JVM, capturing its output, and compares the user's files before and after. */
    static Outcome run(Case c) {
        BadInputCorpus k = corpus();
        Map<String, String> before = checksums(k.user);
        CliRun.Result r = CliRun.run(c.args.toArray(String[]::new));
        Map<String, String> after = checksums(k.user);
        List<String> changed = new ArrayList<>();
        for (String f : before.keySet()) {
            if (!after.containsKey(f)) {
                changed.add("removed " + f);
            } else if (!before.get(f).equals(after.get(f))) {
                changed.add("modified " + f);
            }
        }
        after.keySet().stream().filter(f -> !before.containsKey(f)).forEach(f -> changed.add("added " + f));
        try {
            delete(k.out);
            Files.createDirectories(k.out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Outcome(r.code(), r.out(), r.err(), String.join(", ", changed));
    }

    static Stream<Case> cases() {
        BadInputCorpus k = corpus();
        List<Case> cases = new ArrayList<>();
        String cal = k.calibration.toString();
        String voc = k.voc.toString();
        String model = k.model.toString();
        String[] fast = {"--seconds", "0.05", "--rounds", "1", "--warmup", "1"};

        // broken models, every command
        Object[][] models = {
            {"empty", k.empty, "the file is empty"},
            {"truncated", k.truncated, "truncated"},
            {"random", k.random, "not an ONNX model (could not be parsed as ONNX protobuf)"},
            {"text", k.textModel, "not an ONNX model (could not be parsed as ONNX protobuf)"},
            {"unknown-op", k.unknownOp, "No Op registered for FancyUnknownOp"},
            {"dangling", k.dangling, "dangling input 'nowhere'"},
            {"folder", k.folderModel, "folder"},
            {"missing", k.missing, "missing.onnx"},
        };
        for (Object[] m : models) {
            String name = (String) m[0];
            String path = m[1].toString();
            String msg = (String) m[2];
            cases.add(c("inspect " + name, 1, msg, "inspect", path));
            cases.add(c("optimize " + name, 1, msg, "optimize", path, "--calibration", cal, "--output", out(k, "o.onnx")));
            cases.add(c("evaluate " + name, 1, msg, "evaluate", path, "--dataset", voc));
            cases.add(c("benchmark " + name, 1, msg, concat(new String[] {"benchmark", path}, fast)));
            cases.add(c("codegen " + name, 1, msg, "codegen", path, "--package", "com.example", "--class", "Seg", "--out", out(k, "cg")));
            cases.add(c("sensitivity " + name, 1, msg, "sensitivity", path, "--calibration", cal, "--validation", voc, "--images", "2"));
            // runs reads the run records beside the model, not the model
            cases.add(m[1] == k.missing || m[1] == k.folderModel ? c("runs " + name, 1, msg, "runs", path)
                    : c("runs " + name, 0, "no runs remembered", "runs", path));
            cases.add(c("demo " + name, 1, msg, "demo", "--model", path, "--out", out(k, "demo"), "--dataset", voc, "--seconds", "0.05",
                    "--rounds", "1"));
        }
        // control characters from the model are escaped, so they cannot forge lines or retitle the terminal
        cases.add(c("inspect dangling escape", 1, "evil\\x1b]0;owned", "inspect", k.danglingEscape.toString()));
        cases.add(c("benchmark dangling escape", 1, "evil\\x1b]0;owned", concat(new String[] {"benchmark", k.danglingEscape.toString()}, fast)));
        // a model with a uint8 image input
        String u8 = k.uint8Input.toString();
        cases.add(c("inspect uint8-input", 0, "X uint8 [1,3,16,16]", "inspect", u8));
        cases.add(c("optimize uint8-input", 1, "uint8 image inputs are not supported yet", "optimize", u8, "--calibration", cal,
                "--output", out(k, "o.onnx")));
        cases.add(c("evaluate uint8-input", 1, "uint8 image inputs are not supported yet", "evaluate", u8, "--dataset", voc));
        cases.add(c("sensitivity uint8-input", 1, "uint8 image inputs are not supported yet", "sensitivity", u8, "--calibration", cal,
                "--validation", voc, "--images", "2"));

        // a classifier (scores per image, not per pixel): refused before any work by every command that reads labels
        String cls = k.classifier.toString();
        String notSeg = "classifier.onnx is not a segmentation model: its output (scores [1,3]) has no height and width";
        cases.add(c("optimize classifier", 1, notSeg, "optimize", cls, "--calibration", cal, "--output", out(k, "o.onnx")));
        cases.add(c("evaluate classifier", 1, notSeg, "evaluate", cls, "--dataset", voc));
        cases.add(c("sensitivity classifier", 1, notSeg, "sensitivity", cls, "--calibration", cal, "--validation", voc, "--images", "2"));
        cases.add(c("benchmark classifier", 1, notSeg + ", so no label map can be read from it; give a model with a per-pixel output "
                + "([N,C,H,W], [N,H,W,C] or [N,H,W]); to time it without label maps, add --no-end-to-end", concat(new String[] {"benchmark", cls}, fast)));
        cases.add(c("benchmark --dataset classifier", 1, "--no-end-to-end", concat(new String[] {"benchmark", cls, "--dataset", voc}, fast)));
        cases.add(c("benchmark classifier second", 1, notSeg, concat(new String[] {"benchmark", model, cls}, fast)));
        cases.add(c("benchmark --no-end-to-end classifier", 0, "model-only images/s", concat(new String[] {"benchmark", cls, "--dataset", voc,
            "--no-end-to-end"}, fast)));
        cases.add(c("demo classifier", 1, notSeg, "demo", "--model", cls, "--out", out(k, "demo"), "--dataset", voc, "--seconds", "0.05",
                "--rounds", "1"));
        cases.add(c("codegen classifier", 1, notSeg, "codegen", cls, "--package", "com.example", "--class", "Seg", "--out",
                out(k, "cg")));
        cases.add(c("inspect classifier", 0, "scores float [1,3]", "inspect", cls));
        cases.add(c("inspect classifier says why", 0, "not read    " + notSeg, "inspect", cls));

        // broken images in calibration folders
        String outModel = out(k, "o.onnx");
        cases.add(c("optimize calibration all-bad", 1, "none of the", "optimize", model, "--calibration", k.calibrationAllBad.toString(),
                "--output", outModel));
        cases.add(c("optimize calibration huge header", 1, "45000x45000", "optimize", model, "--calibration", k.hugePng.toString(),
                "--output", outModel));
        cases.add(c("optimize calibration empty", 1, "no images", "optimize", model, "--calibration", k.calibrationEmpty.toString(),
                "--output", outModel));
        cases.add(c("optimize calibration mixed", 0, "skipped", "optimize", model, "--calibration", k.calibrationMixed.toString(),
                "--output", outModel));
        cases.add(c("optimize calibration 16-bit and gray", 0, "Calibrating on 4 images", "optimize", model, "--calibration",
                k.calibrationOdd.toString(), "--output", outModel));
        // unreadable images in a benchmark's dataset are skipped, counted and named (as evaluate does)
        cases.add(c("benchmark dataset mixed", 0, "images skipped (cannot be read; the benchmark used the next readable ones): ", concat(new String[] {"benchmark", model, "--dataset",
            k.calibrationMixed.toString()}, fast)));
        cases.add(c("benchmark dataset mixed names them", 0, "zero (", concat(new String[] {"benchmark", model, "--dataset",
            k.calibrationMixed.toString()}, fast)));
        cases.add(c("benchmark dataset all-bad", 1, "cannot read the benchmark inputs", concat(new String[] {"benchmark", model, "--dataset",
            k.calibrationAllBad.toString()}, fast)));

        // broken datasets
        cases.add(c("evaluate good voc", 0, "mean IoU", "evaluate", model, "--dataset", voc));
        cases.add(c("evaluate voc missing mask", 0, "skipped", "evaluate", model, "--dataset", k.vocMissingMask.toString()));
        cases.add(c("evaluate voc mask size", 0, "the mask is", "evaluate", model, "--dataset", k.vocMaskSize.toString()));
        cases.add(c("evaluate voc mask size strict", 1, "the mask is", "evaluate", model, "--dataset", k.vocMaskSize.toString(), "--strict"));
        cases.add(c("evaluate voc label out of range", 0, "label 77", "evaluate", model, "--dataset", k.vocLabelRange.toString()));
        cases.add(c("evaluate voc label out of range strict", 1, "label 77", "evaluate", model, "--dataset", k.vocLabelRange.toString(),
                "--strict"));
        cases.add(c("evaluate voc missing image", 0, "skipped", "evaluate", model, "--dataset", k.vocMissingImage.toString()));
        cases.add(c("evaluate voc without split list", 1, "no split 'val'", "evaluate", model, "--dataset", k.vocNoSplit.toString()));
        cases.add(c("evaluate voc unknown split", 1, "no split 'test'", "evaluate", model, "--dataset", voc, "--split", "test"));
        cases.add(c("evaluate voc split path", 1, "not a plain name", "evaluate", model, "--dataset", voc, "--split", "../../etc"));
        cases.add(c("evaluate empty folder", 1, "no images", "evaluate", model, "--dataset", k.emptyFolder.toString()));
        cases.add(c("evaluate only broken images", 1, "none of the", "evaluate", model, "--dataset", k.imagesOnly.toString(),
                "--reference", model));
        cases.add(c("evaluate dataset is a file", 1, "is a file", "evaluate", model, "--dataset", model));
        cases.add(c("evaluate missing dataset", 1, "does not exist", "evaluate", model, "--dataset", k.user.resolve("nope").toString()));
        cases.add(c("sensitivity validation without split", 1, "no split 'val'", "sensitivity", model, "--calibration", cal,
                "--validation", k.vocNoSplit.toString(), "--images", "2"));
        cases.add(c("codegen dataset without split", 1, "no split 'val'", "codegen", model, "--package", "com.example", "--class",
                "Seg", "--out", out(k, "cg"), "--dataset", k.vocNoSplit.toString()));

        // bad flags
        String[] opt = {"optimize", model, "--calibration", cal, "--output", outModel};
        cases.add(c("--mean a,b,c", 1, "--mean takes", concat(opt, "--mean", "a,b,c")));
        cases.add(c("--std 0", 1, "--std takes non-zero", concat(opt, "--std", "0")));
        cases.add(c("--color CMYK", 1, "--color takes rgb or bgr", concat(opt, "--color", "CMYK")));
        cases.add(c("--ignore re:[", 1, "invalid regular expression in --ignore", concat(opt, "--ignore", "re:[")));
        cases.add(c("--size 0x5", 1, "--size takes", concat(opt, "--size", "0x5")));
        cases.add(c("--size abc", 1, "--size takes", concat(opt, "--size", "abc")));
        cases.add(c("--resize squash", 1, "--resize takes", concat(opt, "--resize", "squash")));
        cases.add(c("--layout nchwc", 1, "--layout takes", concat(opt, "--layout", "nchwc")));
        cases.add(c("--preset fastest", 1, "--preset takes performance or mixed; got 'fastest'", concat(opt, "--preset", "fastest")));
        cases.add(c("--range magic", 1, "magic", concat(opt, "--range", "magic")));
        cases.add(c("--subset 0", 1, "--subset", concat(opt, "--subset", "0")));
        cases.add(c("--method magic", 1, "magic", concat(opt, "--method", "magic")));
        cases.add(c("--method accuracy-aware without --max-drop", 1, "--max-drop", concat(opt, "--method", "accuracy-aware")));
        cases.add(c("--execution-mode fast", 1, "--execution-mode takes sequential or parallel; got 'fast'", concat(new String[] {"benchmark", model, "--execution-mode", "fast"}, fast)));
        cases.add(c("--mode fastest", 1, "--mode takes latency or throughput; got 'fastest'", concat(new String[] {"benchmark", model, "--mode", "fastest"}, fast)));
        cases.add(c("--opt-level max", 1, "--opt-level takes all, extended, basic or none; got 'max'", concat(new String[] {"benchmark", model, "--opt-level", "max"}, fast)));
        cases.add(c("--seconds abc", 2, "'abc'", "benchmark", model, "--seconds", "abc"));
        cases.add(c("--generated-kind fractal", 1, "--generated-kind takes noise or pattern; got 'fractal'", "evaluate", model,
                "--generated", "2", "--generated-kind", "fractal"));
        cases.add(c("--metric accuracy", 1, "accuracy", "sensitivity", model, "--calibration", cal, "--validation", voc, "--metric", "accuracy"));
        cases.add(c("unknown option", 2, "Unknown option", "inspect", model, "--frobnicate"));
        cases.add(c("missing parameter", 2, "MODEL", "inspect"));
        cases.add(c("--json is the model", 1, "not a JSON file", "inspect", model, "--json", model, "--force"));
        cases.add(c("--json exists", 1, "--force", "inspect", model, "--json", k.json.toString()));
        cases.add(c("--output is the model", 1, "is an input of this run", "optimize", model, "--calibration", cal, "--output", model, "--force"));
        cases.add(c("optimize --json is the model", 1, "is an input of this run", concat(opt, "--json", model, "--force")));
        cases.add(c("evaluate --json is the model", 1, "tiny.onnx", "evaluate", model, "--dataset", voc, "--json", model, "--force"));
        cases.add(c("benchmark --json is the model", 1, "tiny.onnx", concat(new String[] {"benchmark", model, "--json", model, "--force"}, fast)));
        cases.add(c("evaluate --report is the dataset", 1, voc, "evaluate", model, "--dataset", voc, "--report", voc, "--force"));
        cases.add(c("evaluate --report inside the dataset", 1, "lies inside the input folder", "evaluate", model, "--dataset", voc, "--report",
                k.voc.resolve("JPEGImages").toString(), "--force"));
        cases.add(c("codegen --out is the model's folder", 1, "an input of this run", "codegen", model, "--package", "com.example", "--class",
                "Seg", "--out", k.model.getParent().toString(), "--force"));
        cases.add(c("optimize --output into calibration", 1, "input folder", "optimize", model, "--calibration", cal, "--output",
                k.calibration.resolve("x.onnx").toString()));
        cases.add(c("--size not the model's", 1, "the model's input takes 16x16", concat(opt, "--size", "300x300")));
        cases.add(c("--size huge", 1, "too large", concat(opt, "--size", "100000x100000")));
        cases.add(c("demo --rounds 0", 1, "--rounds", "demo", "--out", out(k, "demo"), "--rounds", "0"));
        cases.add(c("benchmark --seconds -1", 1, "--seconds", "benchmark", model, "--seconds", "-1"));
        cases.add(c("evaluate --limit -1", 1, "--limit", "evaluate", model, "--dataset", voc, "--limit", "-1"));
        // more flags and paths a user can get wrong
        cases.add(c("evaluate --reference empty", 1, "the file is empty", "evaluate", model, "--dataset", voc, "--reference", k.empty.toString()));
        cases.add(c("benchmark second model truncated", 1, "truncated", concat(new String[] {"benchmark", model, k.truncated.toString()}, fast)));
        cases.add(c("codegen --package 1bad", 1, "1bad", "codegen", model, "--package", "1bad", "--class", "Seg", "--out", out(k, "cg")));
        cases.add(c("codegen --class reserved", 1, "class", "codegen", model, "--package", "com.example", "--class", "class", "--out", out(k, "cg")));
        cases.add(c("runs --compare unknown id", 1, "nope", "runs", model, "--compare", "nope", "other"));
        cases.add(c("runs --delete unknown id", 1, "nope", "runs", model, "--delete", "nope"));
        cases.add(c("--percentile 200", 1, "--percentile must be in (50, 100], got 200", concat(opt, "--range", "percentile", "--percentile", "200")));
        cases.add(c("--percentile 50", 1, "--percentile must be in (50, 100], got 50", concat(opt, "--percentile", "50")));
        cases.add(c("sensitivity --percentile 100.5", 1, "--percentile must be in (50, 100], got 100.5", "sensitivity", model, "--calibration",
                cal, "--validation", voc, "--percentile", "100.5"));
        cases.add(c("sensitivity --preset fastest", 1, "--preset takes performance or mixed", "sensitivity", model, "--calibration", cal,
                "--validation", voc, "--preset", "fastest"));
        cases.add(c("sensitivity --metric iou", 1, "--metric takes miou or agreement; got 'iou'", "sensitivity", model, "--calibration",
                cal, "--validation", voc, "--metric", "iou"));
        cases.add(c("--seed abc", 2, "'abc'", concat(opt, "--seed", "abc")));
        cases.add(c("--max-drop abc", 1, "--max-drop", concat(opt, "--method", "accuracy-aware", "--max-drop", "abc", "--validation", voc)));
        cases.add(c("--validation missing", 1, "nope", concat(opt, "--method", "accuracy-aware", "--max-drop", "0.5", "--validation",
                k.user.resolve("nope").toString())));
        cases.add(c("evaluate --generated 0", 1, "--generated", "evaluate", model, "--generated", "0"));
        cases.add(c("--json under a file", 1, "is a file, not a folder", "inspect", model, "--json", k.model.resolve("x.json").toString()));
        cases.add(c("--output under a file", 1, "tiny.onnx", "optimize", model, "--calibration", cal, "--output",
                k.model.resolve("x.onnx").toString()));
        cases.add(c("--calibration is a file", 1, "is a file", "optimize", model, "--calibration", k.model.toString(), "--output", outModel));
        cases.add(c("evaluate --report under a file", 1, "tiny.onnx", "evaluate", model, "--dataset", voc, "--report", k.model.resolve("r").toString()));
        return cases.stream();
    }

    private static Case c(String name, int exit, String message, String... args) {
        return new Case(name, exit, message, List.of(args));
    }

    private static String out(BadInputCorpus k, String name) {
        return k.out.resolve(name).toString();
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** Relative path → SHA-256 of every file (and "dir" for every folder) under {@code dir}. */
    static Map<String, String> checksums(Path dir) {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String rel = dir.relativize(p).toString();
                sums.put(rel, Files.isDirectory(p) ? "dir" : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return sums;
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
