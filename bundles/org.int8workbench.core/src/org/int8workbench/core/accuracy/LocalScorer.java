package org.int8workbench.core.accuracy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.quantize.Calibration;

/**
 * {@link CandidateScorer#local}: the candidates are scored one after the other in this JVM ({@link Validation#score}),
 * while a second thread writes the next one (and reads its optimized graph when kernels are asked for).
 */
final class LocalScorer implements CandidateScorer {

    private final Calibration calibration;
    private final Validation validation;
    private final ExecutorService writer;
    private int fullIntegerNodes = Integer.MIN_VALUE; // not read yet

    LocalScorer(Calibration calibration, Validation validation) {
        this.calibration = Objects.requireNonNull(calibration, "calibration");
        this.validation = Objects.requireNonNull(validation, "validation");
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "int8wb-candidate-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** A candidate's INT8 model, and whether ONNX Runtime runs its kept group in float ({@code null}: unknown or not asked). */
    private record Written(byte[] bytes, Boolean runsFloat) {
    }

    @Override
    public List<CandidateScore> score(List<Candidate> candidates, int[] images, boolean kernels, IProgressMonitor monitor)
            throws CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, 2 * candidates.size() + (kernels ? 1 : 0));
        if (kernels && fullIntegerNodes == Integer.MIN_VALUE) {
            sub.subTask("Finding the integer kernels");
            fullIntegerNodes = CandidateKernels.integerNodes(write(List.of()));
            sub.worked(1);
        }
        int full = fullIntegerNodes;
        List<CandidateScore> out = new ArrayList<>();
        CompletableFuture<Written> next = candidates.isEmpty() ? null : submit(candidates.get(0), kernels, full);
        try {
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                if (candidates.size() > 1) {
                    // with kernels the candidates are groups reverted alone (the sensitivity analysis)
                    sub.subTask((kernels ? "Reverting " : "Scoring ") + c.label() + " (" + (i + 1) + "/" + candidates.size() + ")");
                }
                Written w = join(next, c);
                next = i + 1 < candidates.size() ? submit(candidates.get(i + 1), kernels, full) : null;
                sub.worked(1);
                Score s = validation.score(w.bytes(), images, sub.split(1));
                out.add(new CandidateScore(c, s, w.runsFloat()));
            }
        } finally {
            if (next != null) {
                next.cancel(true);
            }
        }
        return out;
    }

    private CompletableFuture<Written> submit(Candidate c, boolean kernels, int full) {
        return CompletableFuture.supplyAsync(() -> {
            byte[] bytes;
            try {
                bytes = calibration.write(c.keepFloat()).bytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Written(bytes, kernels ? CandidateKernels.runsFloat(bytes, c.label(), full) : null);
        }, writer);
    }

    private static Written join(CompletableFuture<Written> f, Candidate c) throws CoreException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCanceledException();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw CoreStatus.exception("cannot write the INT8 model " + c.label() + " with " + describe(c) + " kept in FP32: "
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
        }
    }

    private static String describe(Candidate c) {
        return c.keepFloat().isEmpty() ? "nothing" : c.keepFloat().size() + " nodes";
    }

    private byte[] write(List<String> keep) throws CoreException {
        try {
            return calibration.write(keep).bytes();
        } catch (IOException | RuntimeException e) {
            throw CoreStatus.exception("cannot write the INT8 model: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
