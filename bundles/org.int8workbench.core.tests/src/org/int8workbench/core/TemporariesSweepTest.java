package org.int8workbench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leftovers of a killed run ({@code kill -9} runs no shutdown hook) are removed by the next write of the same output,
 * and nothing else is: temporaries of processes still running (this one included), other outputs' temporaries and the
 * user's files stay. The dead process is a real one that has ended.
 */
class TemporariesSweepTest {

    @TempDir
    Path dir;

    @Test
    void theNextWriteRemovesOnlyLeftoversOfEndedProcesses() throws Exception {
        long dead = endedProcess();
        long alive = ProcessHandle.current().parent().orElseThrow().pid();
        long self = ProcessHandle.current().pid();
        Path stalePart = Files.write(dir.resolve(".r.json.part-" + dead + "-abc"), new byte[] {1});
        Path staleFolder = Files.createDirectories(dir.resolve(".report.tmp-" + dead + "-k2").resolve("pictures"));
        Files.write(staleFolder.resolve("a.png"), new byte[] {2});
        Path staleOld = Files.createDirectories(dir.resolve(".report.old-" + dead + "-k3"));
        Path legacyOld = Files.write(dir.resolve(".r.json.x7q.part"), new byte[] {3});
        Files.setLastModifiedTime(legacyOld, FileTime.fromMillis(946_684_800_000L)); // 2000: before this process started
        List<Path> kept = List.of(
                Files.write(dir.resolve(".r.json.part-" + alive + "-abc"), new byte[] {4}), // a running process's
                Files.write(dir.resolve(".r.json.part-" + self + "-abd"), new byte[] {5}), // this process's
                Files.write(dir.resolve(".r.json.y8q.part"), new byte[] {6}), // no process id, but newer than this process
                Files.write(dir.resolve(".r.json.notes"), new byte[] {7}), // the user's
                Files.write(dir.resolve(".other.json.part-" + dead + "-abc"), new byte[] {8})); // another output's
        List<String> said = new ArrayList<>();
        Temporaries.onSweep(said::add);
        try {
            AtomicOutput.write(dir.resolve("r.json"), false, new byte[] {'{', '}'});
            assertTrue(!Files.exists(stalePart) && !Files.exists(legacyOld), "the file's leftovers are gone: " + names());
            assertEquals(List.of("removed 2 hidden temporaries of r.json left by a stopped run (process " + dead + ", no longer running): "
                    + ".r.json.part-" + dead + "-abc, .r.json.x7q.part"), said);
            said.clear();
            try (AtomicFolder f = AtomicFolder.replace(dir.resolve("report"), false)) {
                assertTrue(f.path().getFileName().toString().startsWith(".report.tmp-" + self + "-"), f.path().toString());
                Files.writeString(f.path().resolve("report.json"), "{}");
                f.commit();
            }
            assertTrue(!Files.exists(staleFolder.getParent()) && !Files.exists(staleOld), "the folder's leftovers are gone: " + names());
            assertEquals(1, said.size(), said.toString());
            assertTrue(said.get(0).startsWith("removed 2 hidden temporaries of report left by a stopped run"), said.get(0));
            for (Path k : kept) {
                assertTrue(Files.exists(k), "kept: " + k.getFileName() + " in " + names());
            }
        } finally {
            Temporaries.onSweep(null);
        }
    }

    /** The id of a real process that has ended. */
    static long endedProcess() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        long pid = p.pid();
        assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "pid " + pid + " has ended");
        return pid;
    }

    private List<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
