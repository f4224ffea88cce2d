package org.int8workbench.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The seeds {@link Seeds} makes are in Jazzer's inputs directory of {@link ReadersFuzzTest} (the regression mode runs
 * them). With {@code -Dint8workbench.fuzz.writeSeeds=true} it writes them there (into the sources) first.
 */
class SeedsTest {

    static final Path INPUTS = Path.of("src/test/resources/org/int8workbench/fuzz/ReadersFuzzTestInputs");

    @Test
    void seedsAreInTheInputsDirectory() throws IOException {
        if (Boolean.getBoolean("int8workbench.fuzz.writeSeeds")) {
            Seeds.write(INPUTS);
        }
        for (var target : Seeds.all().entrySet()) {
            for (var seed : target.getValue().entrySet()) {
                Path f = INPUTS.resolve(target.getKey()).resolve(seed.getKey());
                assertTrue(Files.isRegularFile(f) && Files.size(f) > 0,
                        f + " is missing; run this test with -Dint8workbench.fuzz.writeSeeds=true to write the seeds");
            }
        }
    }
}
