package org.int8workbench.core.codegen;

import java.util.List;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * What {@link CodegenOperation} wrote: a plain Maven project with the inference class, its regression test, the
 * model and the test samples. JSON-friendly: files are absolute paths as strings.
 *
 * @param model the model the code was generated for
 * @param modelSha256 its sha256 (the copy in the project is identical)
 * @param outputDir the project folder
 * @param packageName package of the generated classes
 * @param className the inference class ({@code className + "Test"} is its test)
 * @param mainSource the inference class's source file
 * @param testSource the test's source file
 * @param runtimeSources the source files of the core's own classes that the inference class runs (preprocessing, label
 *        head), copied into the project with only their package changed
 * @param pom the project's {@code pom.xml}
 * @param modelResource the model copied into the project's resources
 * @param decoding how the generated code turns the model's outputs into labels, one line
 * @param preprocessing the preprocessing the generated code applies
 * @param preprocessingRecorded whether the model records it in its metadata (else it is the default for the input shape)
 * @param samples ids of the test samples, in the order of the test
 * @param expectedFrom where the expected label maps come from (an accuracy report folder or a dataset description)
 * @param notes statements a user needs (synthetic samples, defaults used, CPU dependence of INT8 results)
 * @param provenance machine, runtime and time
 */
public record CodegenResult(String model, String modelSha256, String outputDir, String packageName, String className,
        String mainSource, String testSource, List<String> runtimeSources, String pom, String modelResource, String decoding, Preprocessing preprocessing, boolean preprocessingRecorded,
        List<String> samples, String expectedFrom, List<String> notes, Provenance provenance) {

    public CodegenResult {
        runtimeSources = List.copyOf(runtimeSources);
        samples = List.copyOf(samples);
        notes = List.copyOf(notes);
    }
}
