package org.int8workbench.core.pipeline;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.AtomicFolder;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.OutputPolicy;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.dataset.FileDataset;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.report.BenchmarkReportWriter;

/**
 * The outputs one {@link PipelineRequest} may write, and the checks made on them before any work: none may be an input
 * model or lie inside (or contain) a dataset folder the run reads, and none may exist unless the request replaces.
 */
final class PipelineTargets {
    private PipelineTargets() {
    }

    /**
     * Every file or folder the request may write: the INT8 model (when quantizing), the head model (when quantizing or
     * cutting: an earlier head beside the INT8 model belongs to the model being replaced), the benchmark results (in a
     * report folder the report files in each mode's folder), the accuracy report folder.
     */
    static List<Path> of(PipelineRequest r) {
        OutputFiles out = r.outputs();
        List<Path> targets = new ArrayList<>();
        if (r.quantizes()) {
            targets.add(out.int8());
        }
        if (r.quantizes() || r.cutHead()) {
            targets.add(out.head());
        }
        if (r.benchmark() != null) {
            boolean only = r.benchmark().modes().size() == 1;
            for (Mode m : r.benchmark().modes()) {
                Path b = out.benchmark(m, only);
                if (out.isReportFolder()) {
                    targets.addAll(reportFiles(b));
                } else {
                    targets.add(b);
                }
            }
        }
        if (r.compare() != null) {
            targets.add(out.accuracyDir());
        }
        return targets;
    }

    /** The files a benchmark report writes into {@code dir}. */
    static List<Path> reportFiles(Path dir) {
        return List.of(dir.resolve(BenchmarkReportWriter.JSON), dir.resolve(BenchmarkReportWriter.HTML), dir.resolve(BenchmarkReportWriter.CSV));
    }

    /**
     * Refuses (even when replacing) an output that is an input model or one of its external data files, or lies inside
     * or contains a dataset folder the run reads ({@link OutputPolicy}).
     */
    static void refuseInputs(PipelineRequest r, List<Path> targets) throws CoreException {
        OutputPolicy policy = policy(r);
        for (Path t : targets) {
            policy.checkFolderNotInput(t);
        }
    }

    /** The inputs of the request: its models (with their external data) and the dataset folders it reads. */
    static OutputPolicy policy(PipelineRequest r) {
        OutputPolicy policy = OutputPolicy.inputs().model(r.model()).model(r.existing()).model(r.existingHead());
        for (SegmentationDataset d : new SegmentationDataset[] {r.quantizes() ? r.calibration() : null,
                r.benchmark() != null ? r.benchmark().images() : null, r.compare() != null ? r.compare().dataset() : null}) {
            if (d instanceof FileDataset f && f.root() != null) {
                policy.folder(f.root());
            }
        }
        return policy;
    }

    /**
     * Refuses an output that exists, unless the request replaces; in a report folder, a benchmark folder that is a file
     * is refused either way ({@link BenchmarkReportWriter#checkWritable}).
     */
    static void refuseExisting(PipelineRequest r) throws CoreException {
        OutputFiles out = r.outputs();
        try {
            List<Path> plain = new ArrayList<>();
            if (r.quantizes()) {
                plain.add(out.int8());
            }
            if (r.quantizes() || r.cutHead()) {
                plain.add(out.head());
            }
            refuse(plain, r.replace());
            for (Path p : plain) {
                OutputPolicy.checkReplaceableFile(p, r.replace());
            }
            if (r.benchmark() != null) {
                boolean only = r.benchmark().modes().size() == 1;
                for (Mode m : r.benchmark().modes()) {
                    if (out.isReportFolder()) {
                        BenchmarkReportWriter.checkWritable(out.benchmark(m, only), r.replace());
                    } else {
                        refuse(List.of(out.benchmark(m, only)), r.replace());
                        OutputPolicy.checkReplaceableFile(out.benchmark(m, only), r.replace());
                    }
                }
            }
            if (r.compare() != null) {
                refuse(List.of(out.accuracyDir()), r.replace());
                try {
                    AtomicFolder.checkReplaceable(out.accuracyDir());
                } catch (FileAlreadyExistsException e) {
                    throw e;
                } catch (IOException e) {
                    throw CoreStatus.exception(e.getMessage() + " (even when replacing is allowed)", null);
                }
            }
        } catch (FileAlreadyExistsException e) {
            String msg = e.getReason() != null ? e.getFile() + ": " + e.getReason()
                    : e.getFile() + " exists; choose another output or allow overwriting";
            throw CoreStatus.exception(msg, e);
        } catch (IOException e) {
            throw CoreStatus.exception("cannot check the outputs: " + e.getMessage(), e);
        }
    }

    private static void refuse(List<Path> targets, boolean replace) throws FileAlreadyExistsException {
        for (Path t : targets) {
            if (!replace && Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(t.toString());
            }
        }
    }

    /** The absolute, normalized path, with links resolved as far as the path exists. */
    static Path canonical(Path p) {
        return OutputPolicy.canonical(p);
    }
}
