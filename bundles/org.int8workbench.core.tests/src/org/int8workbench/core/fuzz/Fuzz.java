package org.int8workbench.core.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A small fuzzing loop for the readers of untrusted files: inputs come from seeds (valid files the project writes)
 * mutated at the byte level (bit flips, interesting values, insertions, deletions, duplicated and cut chunks,
 * splices of two seeds) and from structure-aware generators, each run through a target under a time limit. The
 * property: a target returns, or throws an exception the tool expects (its own clear one, see {@link #allowed});
 * never another exception, an {@link OutOfMemoryError} or a hang.
 *
 * <p>How long it runs: {@code int8workbench.fuzz.seconds} (per target; default {@value #CI_SECONDS} in the normal
 * test run) and {@code int8workbench.fuzz.seed} (default: fixed, so a CI run is repeatable; {@code random} for a new
 * seed each run). A failing input is written to {@code target/fuzz-failures/} (and printed as Base64) so it can be
 * added to the regression cases.
 */
final class Fuzz {
    static final double CI_SECONDS = 4;
    /** Longest a single input may take before it counts as a hang. */
    static final long TIMEOUT_MS = Long.getLong("int8workbench.fuzz.timeoutMs", 10_000);

    private Fuzz() {
    }

    static double seconds() {
        return Double.parseDouble(System.getProperty("int8workbench.fuzz.seconds", Double.toString(CI_SECONDS)));
    }

    static long seed() {
        String s = System.getProperty("int8workbench.fuzz.seed", "20261203");
        return s.equals("random") ? System.nanoTime() : Long.parseLong(s);
    }

    /** A failure: the input and what the target did with it. */
    record Failure(byte[] input, String what, Throwable error) {
    }

    /**
     * Runs {@code target} on seeds, mutants and generated inputs for {@link #seconds()}; returns the failures
     * (at most a few, each saved). {@code allowed} says which exceptions are the tool's own answers.
     */
    static List<Failure> run(String name, List<byte[]> seeds, Function<Random, byte[]> generator, Target target,
            Predicate<Throwable> allowed) throws IOException {
        return run(name, seeds, generator, target, allowed, seconds());
    }

    /** {@link #run} for {@code seconds} (a share of {@link #seconds()} when one test fuzzes several targets). */
    static List<Failure> run(String name, List<byte[]> seeds, Function<Random, byte[]> generator, Target target,
            Predicate<Throwable> allowed, double seconds) throws IOException {
        long seed = seed();
        Random rnd = new Random(seed);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Failure> failures = new ArrayList<>();
        ExecutorService exec = executor(name);
        int runs = 0;
        try {
            List<byte[]> queue = new ArrayList<>(seeds);
            int i = 0;
            while ((i < seeds.size() || System.nanoTime() < end) && failures.size() < 3) {
                byte[] input;
                if (i < seeds.size()) {
                    input = seeds.get(i);
                } else if (generator != null && rnd.nextInt(4) == 0) {
                    input = generator.apply(rnd);
                } else {
                    input = mutate(rnd, queue.get(rnd.nextInt(queue.size())), queue);
                }
                i++;
                runs++;
                Failure f = runOne(exec, target, input, allowed);
                if (f != null) {
                    failures.add(f);
                    save(name, f);
                    if (f.what.startsWith("hang")) {
                        exec.shutdownNow();
                        exec = executor(name);
                    }
                }
            }
        } finally {
            exec.shutdownNow();
        }
        System.out.printf("fuzz %s: %d inputs in %.1f s (seed %d), %d failures%n", name, runs, seconds, seed, failures.size());
        return failures;
    }

    private static ExecutorService executor(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** What is fuzzed: reads {@code input} (a file's bytes) and returns, or throws. */
    interface Target {
        void accept(byte[] input) throws Exception;
    }

    static Failure runOne(ExecutorService exec, Target target, byte[] input, Predicate<Throwable> allowed) {
        Future<?> f = exec.submit(() -> {
            target.accept(input);
            return null;
        });
        try {
            f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Failure(input, "hang: no answer within " + TIMEOUT_MS + " ms", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failure(input, "interrupted", e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof Error && !(t instanceof AssertionError)) {
                return new Failure(input, t.getClass().getName() + ": " + t.getMessage(), t);
            }
            if (t instanceof AssertionError) {
                return new Failure(input, "property violated: " + t.getMessage(), t);
            }
            return allowed.test(t) ? null : new Failure(input, "unexpected " + t.getClass().getName() + ": " + t.getMessage(), t);
        }
    }

    private static void save(String name, Failure f) throws IOException {
        Path dir = Path.of("target", "fuzz-failures");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + "-" + Integer.toHexString(java.util.Arrays.hashCode(f.input)) + ".bin"), f.input);
    }

    /** One line per failure, with the input in Base64 when it is small enough to paste into a regression case. */
    static String report(List<Failure> failures) {
        StringBuilder b = new StringBuilder();
        for (Failure f : failures) {
            b.append(f.what).append(" (").append(f.input.length).append(" bytes");
            if (f.input.length <= 4096) {
                b.append(": ").append(Base64.getEncoder().encodeToString(f.input));
            }
            b.append(")\n");
            if (f.error != null) {
                java.io.StringWriter sw = new java.io.StringWriter();
                f.error.printStackTrace(new java.io.PrintWriter(sw));
                b.append(sw.toString().lines().limit(12).reduce("", (x, y) -> x + "    " + y + "\n"));
            }
        }
        return b.toString();
    }

    private static final int[] INTERESTING = {0, 1, 0x7f, 0x80, 0xff, 0x40, 0x20, 0x10, 0x08};

    /** A mutant of {@code in}: one to four byte-level edits, or a splice with another queued input. */
    static byte[] mutate(Random r, byte[] in, List<byte[]> others) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            if (b.length == 0) {
                b = new byte[] {(byte) r.nextInt(256)};
                continue;
            }
            int p = r.nextInt(b.length);
            switch (r.nextInt(9)) {
                case 0 -> b[p] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[p] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
                case 2 -> b[p] = (byte) r.nextInt(256);
                case 3 -> b = java.util.Arrays.copyOf(b, p); // cut
                case 4 -> { // delete a chunk
                    int n = Math.min(b.length - p, 1 + r.nextInt(16));
                    byte[] c = new byte[b.length - n];
                    System.arraycopy(b, 0, c, 0, p);
                    System.arraycopy(b, p + n, c, p, b.length - p - n);
                    b = c;
                }
                case 5 -> { // insert random bytes
                    int n = 1 + r.nextInt(8);
                    byte[] c = new byte[b.length + n];
                    System.arraycopy(b, 0, c, 0, p);
                    for (int k = 0; k < n; k++) {
                        c[p + k] = (byte) r.nextInt(256);
                    }
                    System.arraycopy(b, p, c, p + n, b.length - p);
                    b = c;
                }
                case 6 -> { // duplicate a chunk
                    int n = Math.min(b.length - p, 1 + r.nextInt(64));
                    byte[] c = new byte[b.length + n];
                    System.arraycopy(b, 0, c, 0, p + n);
                    System.arraycopy(b, p, c, p + n, b.length - p);
                    b = c;
                }
                case 7 -> { // a 32-bit big-endian field (image sizes, chunk lengths) set to an extreme
                    if (p + 4 <= b.length) {
                        int v = switch (r.nextInt(4)) {
                            case 0 -> Integer.MAX_VALUE;
                            case 1 -> 0;
                            case 2 -> 0x10000;
                            default -> -1;
                        };
                        b[p] = (byte) (v >>> 24);
                        b[p + 1] = (byte) (v >>> 16);
                        b[p + 2] = (byte) (v >>> 8);
                        b[p + 3] = (byte) v;
                    }
                }
                default -> { // splice with another input
                    byte[] o = others.get(r.nextInt(others.size()));
                    if (o.length > 0) {
                        int q = r.nextInt(o.length);
                        byte[] c = new byte[p + o.length - q];
                        System.arraycopy(b, 0, c, 0, p);
                        System.arraycopy(o, q, c, p, o.length - q);
                        b = c;
                    }
                }
            }
        }
        return b;
    }
}
