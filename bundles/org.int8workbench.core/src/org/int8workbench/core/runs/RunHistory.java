package org.int8workbench.core.runs;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.int8workbench.core.AtomicFolder;
import org.int8workbench.core.Json;
import org.int8workbench.core.Sha256;

/**
 * The remembered optimizations of models: one folder per run holding its {@link RunRecord} ({@code run.json}), copies
 * of the INT8 models it made (hard links where the file system allows, else copies) and copies of its benchmark and
 * accuracy records ({@code MODE.benchmark.json}, {@code accuracy/report.json}), so a run's models and reports stay
 * comparable after a later run replaced the files beside the parent.
 *
 * <p>Where: {@link #besideModels()} keeps the runs of {@code DIR/NAME.onnx} in
 * {@code DIR/.int8workbench/runs/NAME.onnx/ID/}; {@link #in(Path) in(OUT)} in {@code OUT/.int8workbench/runs/NAME.onnx/ID/}
 * (outputs written elsewhere); {@link #under(Path)} in {@code ROOT/NAME.onnx/ID/}.
 *
 * <p>A run is written into a hidden temporary folder and moved into place when complete ({@link AtomicFolder}), so a
 * half-written run is never listed. A run folder whose {@code run.json} cannot be read is skipped with a warning.
 */
public final class RunHistory {
    /** The hidden folder beside a model that holds the workbench's remembered data. */
    public static final String FOLDER = ".int8workbench";
    /** The record file in each run folder. */
    public static final String RECORD = "run.json";

    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    /** The form of {@link RunRecord#time}: ISO-8601 UTC with milliseconds, so that it sorts as text. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path root;

    private RunHistory(Path root) {
        this.root = root;
    }

    /** The time now in the form of {@link RunRecord#time}. */
    static String now() {
        return TIME.format(Instant.now());
    }

    /** Runs kept beside each parent model, in {@code .int8workbench/runs/}. */
    public static RunHistory besideModels() {
        return new RunHistory(null);
    }

    /**
     * Runs kept in {@code dir/.int8workbench/runs/}, one folder per parent model file name: for optimizations whose
     * outputs go to {@code dir} rather than beside the parent (so that nothing is written beside a parent the user
     * did not choose as the place of the outputs, e.g. a read-only data folder).
     */
    public static RunHistory in(Path dir) {
        return under(dir.toAbsolutePath().normalize().resolve(FOLDER).resolve("runs"));
    }

    /** Runs kept under {@code root}, one folder per parent model file name. */
    public static RunHistory under(Path root) {
        return new RunHistory(Objects.requireNonNull(root, "root").toAbsolutePath().normalize());
    }

    /**
     * One remembered run: its folder and its record.
     *
     * @param folder the run's folder
     * @param record what {@code run.json} holds
     */
    public record Run(Path folder, RunRecord record) {
        /** The run's id. */
        public String id() {
            return record.id();
        }

        /** The kept copy of the INT8 model. */
        public Path int8() {
            return folder.resolve(record.int8().kept());
        }

        /** The kept copy of the INT8 model cut before its head, or {@code null}. */
        public Path head() {
            return record.head() == null ? null : folder.resolve(record.head().kept());
        }

        /** The kept copies of the run's benchmark results ({@code *.benchmark.json}), in the order measured. */
        public List<Path> benchmarkReports() {
            return record.reports().keptBenchmarks().stream().map(folder::resolve).toList();
        }

        /** The kept copy of the run's accuracy report record ({@code report.json}), or {@code null}. */
        public Path accuracyReport() {
            return record.reports().keptAccuracy() == null ? null : folder.resolve(record.reports().keptAccuracy());
        }

        /** The model the run measured: the kept head model when there is one, else the kept INT8 model. */
        public Path measured() {
            return record.head() != null ? head() : int8();
        }
    }

    /**
     * The runs of a model, newest first, and what could not be read.
     *
     * @param runs the readable runs, newest first
     * @param warnings one line per run folder skipped (a missing or unreadable {@code run.json}, a missing model copy)
     */
    public record Listing(List<Run> runs, List<String> warnings) {
        public Listing {
            runs = List.copyOf(runs);
            warnings = List.copyOf(warnings);
        }

        /** The run with this id, or {@code null}. */
        public Run find(String id) {
            return runs.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
        }
    }

    /** The folder holding the runs of {@code parent}. */
    public Path folder(Path parent) {
        Path p = parent.toAbsolutePath().normalize();
        Path base = root != null ? root : p.getParent().resolve(FOLDER).resolve("runs");
        return base.resolve(p.getFileName().toString());
    }

    /** The folder for a new comparison of runs of {@code parent}, named by the time (not created). */
    public Path comparisonFolder(Path parent) {
        Path runs = folder(parent);
        Path base = runs.getParent().resolveSibling("comparisons").resolve(runs.getFileName());
        return unique(base, ID.format(Instant.now()));
    }

    /** The runs of {@code parent}, newest first; none when nothing was recorded. Never fails on a damaged run. */
    public Listing list(Path parent) {
        Path dir = folder(parent);
        List<Run> runs = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new Listing(runs, warnings);
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path f : s) {
                if (f.getFileName().toString().startsWith(".") || !Files.isDirectory(f)) {
                    continue; // AtomicFolder's temporary folders are hidden: a half-written run
                }
                try {
                    runs.add(read(f));
                } catch (IOException | RuntimeException e) {
                    warnings.add("skipped run " + f.getFileName() + ": " + describe(e));
                }
            }
        } catch (IOException e) {
            warnings.add("cannot list the runs in " + dir + ": " + describe(e));
        }
        runs.sort(Comparator.comparing((Run r) -> r.record().time()).thenComparing(Run::id).reversed());
        return new Listing(runs, warnings);
    }

    /** Reads one run folder; fails when its record is missing or damaged or a kept model is gone. */
    static Run read(Path folder) throws IOException {
        Path json = folder.resolve(RECORD);
        if (!Files.isRegularFile(json)) {
            throw new NoSuchFileException(json.toString(), null, "no " + RECORD);
        }
        RunRecord r;
        try {
            r = Json.read(json, RunRecord.class);
        } catch (JsonParseException e) {
            throw new IOException(RECORD + " is not a run record (" + e.getMessage() + ")", e);
        }
        if (r == null || r.id() == null || r.time() == null || r.parent() == null || r.int8() == null || r.int8().kept() == null) {
            throw new IOException(RECORD + " lacks the run's id, time or models");
        }
        if (!r.id().equals(folder.getFileName().toString())) {
            throw new IOException(RECORD + " names run " + r.id() + ", not its folder's");
        }
        Run run = new Run(folder, r);
        for (Path model : new Path[] {run.int8(), run.head()}) {
            if (model != null && (!model.normalize().startsWith(folder) || !Files.isRegularFile(model))) {
                throw new NoSuchFileException(model.toString(), null, "the kept model is missing");
            }
        }
        return run;
    }

    /**
     * Remembers an optimization: a new run folder with copies of its INT8 models and its record, all or nothing.
     *
     * @return the run as stored
     * @throws IOException when the folder or a copy cannot be written; nothing is left behind then
     */
    public Run record(RunOutcome outcome) throws IOException {
        Path dir = folder(outcome.parent());
        Files.createDirectories(dir);
        Instant now = Instant.now();
        for (int attempt = 0;; attempt++) {
            Path target = unique(dir, ID.format(now));
            String id = target.getFileName().toString();
            try (AtomicFolder f = AtomicFolder.replace(target, false)) {
                String int8 = outcome.int8().getFileName().toString();
                keep(outcome.int8(), f.path().resolve(int8));
                String head = null;
                String headSha = null;
                if (outcome.head() != null) {
                    head = outcome.head().getFileName().toString();
                    if (head.equals(int8)) {
                        head = "head." + head;
                    }
                    keep(outcome.head(), f.path().resolve(head));
                    headSha = Sha256.of(outcome.head());
                }
                List<String> benchmarks = new ArrayList<>();
                for (int i = 0; i < outcome.benchmarkFiles().size(); i++) {
                    Path b = outcome.benchmarkFiles().get(i);
                    String mode = i < outcome.benchmarks().size() && outcome.benchmarks().get(i).settings() != null
                            ? outcome.benchmarks().get(i).settings().mode() : Integer.toString(i + 1);
                    String name = mode + ".benchmark.json";
                    if (Files.isRegularFile(b) && !benchmarks.contains(name)) {
                        Files.copy(b, f.path().resolve(name));
                        benchmarks.add(name);
                    }
                }
                String accuracy = null;
                if (outcome.accuracyReport() != null && Files.isRegularFile(outcome.accuracyReport())) {
                    accuracy = "accuracy/" + outcome.accuracyReport().getFileName();
                    Files.createDirectories(f.path().resolve("accuracy"));
                    Files.copy(outcome.accuracyReport(), f.path().resolve(accuracy));
                }
                RunRecord record = RunRecord.of(id, TIME.format(now), outcome, int8, head, headSha, benchmarks, accuracy);
                Json.write(f.path().resolve(RECORD), record, false);
                f.commit();
                return new Run(target, record);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw e; // another process records runs of the same model at the same moment
                }
            }
        }
    }

    /** Forgets the run {@code id} of {@code parent}: deletes its folder (with its model copies). */
    public void delete(Path parent, String id) throws IOException {
        if (id == null || id.isBlank() || id.startsWith(".") || id.contains("/") || id.contains("\\") || id.equals("..")) {
            throw new IllegalArgumentException("not a run id: " + id);
        }
        Path run = folder(parent).resolve(id);
        if (!Files.isDirectory(run)) {
            throw new NoSuchFileException(run.toString(), null, "no such run");
        }
        // move it aside first, so the listing never shows a half-deleted run
        Path aside = Files.createTempDirectory(run.getParent(), "." + id + ".deleted-");
        Files.delete(aside);
        Files.move(run, aside, StandardCopyOption.ATOMIC_MOVE);
        AtomicFolder.deleteTree(aside);
    }

    /** A hard link to {@code source} at {@code target} when the file system allows, else a copy. */
    static void keep(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (UnsupportedOperationException | IOException e) {
            Files.deleteIfExists(target);
            Files.copy(source, target);
        }
    }

    private static Path unique(Path dir, String name) {
        Path p = dir.resolve(name);
        for (int i = 2; Files.exists(p); i++) {
            p = dir.resolve(name + "-" + i);
        }
        return p;
    }

    private static String describe(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return (n.getReason() != null ? n.getReason() + ": " : "no such file: ") + n.getFile();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
