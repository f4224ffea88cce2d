package org.int8workbench.cli;

import java.util.List;

/** The subcommands, in the order {@code --help} lists them. */
final class Commands {
    private Commands() {
    }

    static List<Object> all() {
        return List.of(new DemoCommand(), new InspectCommand(), new OptimizeCommand(), new EvaluateCommand(), new EvaluationSpeedCommand(), new BenchmarkCommand(), new CodegenCommand(), new SensitivityCommand());
    }
}
