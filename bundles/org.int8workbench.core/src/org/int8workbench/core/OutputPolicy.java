package org.int8workbench.core;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.core.runtime.CoreException;

/**
 * The one output policy of INT8 Workbench, for every command and the workbench's jobs:
 *
 * <ol>
 * <li><b>No output is an input.</b> An output file or folder may not be an input model, one of its external data files,
 * an input file, or lie inside (or contain) an input folder (a dataset, the calibration images), whatever the flags.</li>
 * <li><b>Only what the tool wrote is replaced.</b> An existing output is replaced only when replacing is allowed
 * ({@code --force}) and the tool wrote it: a folder holding the marker {@link AtomicFolder#MARKER} (or an empty one), an
 * ONNX model whose metadata carries an {@code int8workbench.*} entry (every model the tool writes does), a JSON file (a
 * result). Anything else is refused even when replacing is allowed, with a line saying why and what to do.</li>
 * </ol>
 *
 * Every refusal is a {@link CoreException} (or, for an output that exists while replacing is not allowed, a
 * {@link FileAlreadyExistsException}, which the command line answers with {@code --force}) thrown before any work.
 *
 * <pre>
 * OutputPolicy p = OutputPolicy.inputs().model(model).folder(dataset);
 * p.checkFile(json, force);          // --json FILE
 * p.checkFolder(reportDir, force);   // --report DIR
 * </pre>
 */
public final class OutputPolicy {
    /** The metadata key prefix of every entry INT8 Workbench writes into a model. */
    public static final String MODEL_METADATA_PREFIX = "int8workbench.";

    private final Set<Path> files = new LinkedHashSet<>();
    private final Set<Path> folders = new LinkedHashSet<>();

    private OutputPolicy() {
    }

    /** A policy with no inputs yet; add them with {@link #model}, {@link #file} and {@link #folder}. */
    public static OutputPolicy inputs() {
        return new OutputPolicy();
    }

    /** Adds an input model and the external data files it names (looked up beside it); {@code null} is ignored. */
    public OutputPolicy model(Path model) {
        if (model == null) {
            return this;
        }
        Path m = canonical(model);
        files.add(m);
        for (String location : externalDataLocations(m)) {
            Path parent = m.getParent();
            if (parent != null) {
                files.add(canonical(parent.resolve(location)));
            }
        }
        return this;
    }

    /** Adds input models. */
    public OutputPolicy models(Iterable<Path> models) {
        if (models != null) {
            for (Path m : models) {
                model(m);
            }
        }
        return this;
    }

    /** Adds an input file; {@code null} is ignored. */
    public OutputPolicy file(Path file) {
        if (file != null) {
            files.add(canonical(file));
        }
        return this;
    }

    /**
     * Adds an input folder (a dataset, calibration images); a file given here (e.g. a dataset list file) counts as a file;
     * {@code null} is ignored.
     */
    public OutputPolicy folder(Path folder) {
        if (folder == null) {
            return this;
        }
        Path c = canonical(folder);
        if (Files.isRegularFile(c)) {
            files.add(c);
        } else {
            folders.add(c);
        }
        return this;
    }

    /** The input files (models, their external data, other files), canonical. */
    public List<Path> inputFiles() {
        return List.copyOf(files);
    }

    /** The input folders, canonical. */
    public List<Path> inputFolders() {
        return List.copyOf(folders);
    }

    /**
     * Refuses an output (file or folder) that is an input, lies inside an input folder, or contains an input (a folder
     * holding the model or a dataset would be replaced as a whole).
     */
    public void checkNotInput(Path output) throws CoreException {
        if (output == null || isStdout(output)) {
            return;
        }
        Path c = canonical(output);
        for (Path f : files) {
            if (c.equals(f)) {
                throw CoreStatus.exception(output.toAbsolutePath().normalize() + " is an input of this run (" + f.getFileName()
                        + "); an output never replaces an input, even when replacing is allowed. Choose another output", null);
            }
        }
        for (Path d : folders) {
            if (c.equals(d) || c.startsWith(d)) {
                throw CoreStatus.exception(output.toAbsolutePath().normalize() + (c.equals(d) ? " is" : " lies inside")
                        + " the input folder " + d + "; an output never goes into an input, even when replacing is allowed. Choose an output"
                        + " outside it", null);
            }
        }
    }

    /** Like {@link #checkNotInput}, and also refuses a folder output that contains an input file or folder. */
    public void checkFolderNotInput(Path folder) throws CoreException {
        checkNotInput(folder);
        if (folder == null) {
            return;
        }
        Path c = canonical(folder);
        for (Path p : union()) {
            if (p.startsWith(c) && !p.equals(c)) {
                throw CoreStatus.exception(folder.toAbsolutePath().normalize() + " contains " + p + ", an input of this run; the"
                        + " output folder is replaced as a whole, so it must not hold an input. Choose another folder", null);
            }
        }
    }

    private List<Path> union() {
        List<Path> all = new ArrayList<>(files);
        all.addAll(folders);
        return all;
    }

    /**
     * Checks a file output before any work: not an input; if it exists, replacing must be allowed and the file must be
     * one the tool wrote ({@link #isOwnFile}).
     *
     * @throws FileAlreadyExistsException when the file exists and {@code replace} is false
     */
    public void checkFile(Path output, boolean replace) throws CoreException, FileAlreadyExistsException {
        if (output == null || isStdout(output)) {
            return;
        }
        checkNotInput(output);
        checkReplaceableFile(output, replace);
    }

    /** The replacement half of {@link #checkFile}, for outputs that are no input by construction. */
    public static void checkReplaceableFile(Path output, boolean replace) throws CoreException, FileAlreadyExistsException {
        Path abs = output.toAbsolutePath().normalize();
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!replace) {
            throw new FileAlreadyExistsException(abs.toString(), null, "the file exists; choose another output or allow replacing it");
        }
        String why = whyNotOwn(abs);
        if (why != null) {
            throw CoreStatus.exception(abs + " " + why + "; INT8 Workbench replaces only files it wrote itself, even when replacing is allowed."
                    + " Choose another output, or move that file away", null);
        }
    }

    /**
     * Checks a folder output that is replaced as a whole ({@link AtomicFolder#replace}) before any work: not an input,
     * inside one or holding one; if it exists, replacing must be allowed and it must be empty or carry the marker.
     *
     * @throws FileAlreadyExistsException when the folder exists and {@code replace} is false
     */
    public void checkFolder(Path output, boolean replace) throws CoreException, FileAlreadyExistsException {
        if (output == null) {
            return;
        }
        checkFolderNotInput(output);
        Path abs = output.toAbsolutePath().normalize();
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!replace) {
            throw new FileAlreadyExistsException(abs.toString(), null, "the folder exists; choose another folder or allow replacing it");
        }
        try {
            AtomicFolder.checkReplaceable(abs);
        } catch (IOException e) {
            throw CoreStatus.exception(e.getMessage() + " (even when replacing is allowed)", null);
        }
    }

    /**
     * Checks report files of fixed names written into a folder that may hold other files (a benchmark report): the folder
     * and the files are no input; the folder, when it exists, is a folder; a report file that exists is replaced only
     * when replacing is allowed and the report is the tool's (the folder carries {@link AtomicFolder#MARKER}, or the
     * report's JSON file beside it is a JSON document).
     *
     * @param names the report's file names; the first one ending in {@code .json} identifies the report
     * @throws FileAlreadyExistsException when a report file exists and {@code replace} is false
     */
    public void checkReportFiles(Path dir, boolean replace, String... names) throws CoreException, FileAlreadyExistsException {
        checkNotInput(dir);
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw CoreStatus.exception(abs + " is a file, not a folder; give a folder for the report", null);
        }
        Path json = null;
        for (String n : names) {
            checkNotInput(abs.resolve(n));
            if (json == null && n.endsWith(".json")) {
                json = abs.resolve(n);
            }
        }
        boolean ours = Files.isRegularFile(abs.resolve(AtomicFolder.MARKER)) || (json != null && isOwnFile(json));
        for (String n : names) {
            Path f = abs.resolve(n);
            if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (!replace) {
                throw new FileAlreadyExistsException(f.toString(), null, "a report exists there; choose another folder or allow replacing it");
            }
            if (!ours || Files.isDirectory(f) || Files.isSymbolicLink(f)) {
                throw CoreStatus.exception(f + " was not written by INT8 Workbench (no report of its own beside it); it replaces only"
                        + " files it wrote itself, even when replacing is allowed. Choose another folder", null);
            }
        }
    }

    /** Whether the tool wrote {@code file} (see the class comment); a file that does not exist is not. */
    public static boolean isOwnFile(Path file) {
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && whyNotOwn(file) == null;
    }

    /** {@code null} when the tool wrote {@code file}, else why it is not recognised as one of its outputs. */
    private static String whyNotOwn(Path file) {
        if (Files.isSymbolicLink(file)) {
            return "is a symbolic link";
        }
        if (Files.isDirectory(file)) {
            return "is a folder, not a file";
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".onnx")) {
                return hasOwnMetadata(file) ? null : "is an ONNX model INT8 Workbench did not write (no int8workbench metadata)";
            }
            if (Files.size(file) == 0) {
                return null; // an empty file holds nothing to lose
            }
            int first = firstNonBlank(file);
            if (first == '{' || first == '[') {
                return null;
            }
            return name.endsWith(".json") ? "is not a JSON document" : "is not a JSON result (a model, an image or data?)";
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    private static int firstNonBlank(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && b != 0xEF && b != 0xBB && b != 0xBF) {
                    return b;
                }
            }
        }
        return -1;
    }

    /** Whether the model's metadata ({@code metadata_props}, read without parsing the graph) has an int8workbench entry. */
    static boolean hasOwnMetadata(Path model) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(model))) {
            CodedInputStream c = CodedInputStream.newInstance(in);
            c.setSizeLimit(Integer.MAX_VALUE);
            while (true) {
                int tag = c.readTag();
                if (tag == 0) {
                    return false;
                }
                if (WireFormat.getTagFieldNumber(tag) == 14 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    StringStringEntryProto e = StringStringEntryProto.parseFrom(c.readBytes());
                    if (e.getKey().startsWith(MODEL_METADATA_PREFIX)) {
                        return true;
                    }
                } else if (!c.skipField(tag)) {
                    return false;
                }
                c.resetSizeCounter();
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return false;
        }
    }

    /**
     * The external data locations the model's initializers name (empty when it has none or cannot be read). The file is
     * scanned, not parsed: tensor data is skipped, so a large model costs no memory here.
     */
    static List<String> externalDataLocations(Path model) {
        List<String> out = new ArrayList<>();
        if (!Files.isRegularFile(model)) {
            return out;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(model))) {
            CodedInputStream c = CodedInputStream.newInstance(in);
            c.setSizeLimit(Integer.MAX_VALUE);
            for (int tag = c.readTag(); tag != 0; tag = c.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 7 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int limit = c.pushLimit(c.readRawVarint32()); // ModelProto.graph
                    for (int g = c.readTag(); g != 0; g = c.readTag()) {
                        if (WireFormat.getTagFieldNumber(g) == 5 && WireFormat.getTagWireType(g) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                            int t = c.pushLimit(c.readRawVarint32()); // GraphProto.initializer
                            String location = null;
                            boolean external = false;
                            for (int f = c.readTag(); f != 0; f = c.readTag()) {
                                int field = WireFormat.getTagFieldNumber(f);
                                if (field == 13 && WireFormat.getTagWireType(f) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                                    StringStringEntryProto e = StringStringEntryProto.parseFrom(c.readBytes());
                                    if (e.getKey().equals("location")) {
                                        location = e.getValue();
                                    }
                                } else if (field == 14 && WireFormat.getTagWireType(f) == WireFormat.WIRETYPE_VARINT) {
                                    external = c.readEnum() == TensorProto.DataLocation.EXTERNAL_VALUE;
                                } else if (!c.skipField(f)) {
                                    break;
                                }
                            }
                            c.popLimit(t);
                            if (external && location != null && !location.isBlank() && !out.contains(location)) {
                                out.add(location);
                            }
                        } else if (!c.skipField(g)) {
                            break;
                        }
                    }
                    c.popLimit(limit);
                } else if (!c.skipField(tag)) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a readable model: only its file (and what was found) is an input
        }
        return out;
    }

    private static boolean isStdout(Path p) {
        return p.toString().equals("-");
    }

    /** The absolute, normalized path, with links resolved as far as the path exists. */
    public static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        Path rest = null;
        while (existing != null && !Files.exists(existing)) {
            rest = rest == null ? existing.getFileName() : existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            Path real = existing.toRealPath();
            return rest == null ? real : real.resolve(rest);
        } catch (IOException e) {
            return abs;
        }
    }
}
