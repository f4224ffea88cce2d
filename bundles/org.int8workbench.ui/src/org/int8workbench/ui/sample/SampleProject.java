package org.int8workbench.ui.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspaceRoot;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.sample.EmbeddedSample;
import org.int8workbench.ui.Activator;

/**
 * The INT8 Workbench sample project: an Eclipse project {@value #NAME} holding the {@link EmbeddedSample} (the real VOC
 * DeepLabV3 under {@code model/}, 10 VOC 2012 val pairs under {@code data/voc2012-sample/}, 5 of them also in
 * {@code data/calibration/}, the NOTICE) and a {@code README.txt} saying what to do next. The files are written into
 * the project's folder all at once, then the project is created over them; an existing project or folder of that name is
 * never touched.
 */
public final class SampleProject {

    /** The project's name. */
    public static final String NAME = "int8-sample";

    /** The readme's name in the project. */
    public static final String README = "README.txt";

    private SampleProject() {
    }

    /** The sample project of the workspace (it may not exist). */
    public static IProject project() {
        return ResourcesPlugin.getWorkspace().getRoot().getProject(NAME);
    }

    /** The sample's model in {@code project}. */
    public static IFile model(IProject project) {
        return project.getFile(EmbeddedSample.MODEL);
    }

    /**
     * Why the sample project cannot be created, or {@code null} when it can: a project of that name exists, or its
     * folder in the workspace does.
     */
    public static String problem() {
        IProject p = project();
        if (p.exists()) {
            return "The project '" + NAME + "' already exists. The sample is never written over it: delete or rename that"
                    + " project to create the sample project again.";
        }
        Path folder = folder();
        if (folder != null && Files.exists(folder)) {
            return "The folder " + folder + " already exists in the workspace. The sample is never written over it: move it"
                    + " away to create the sample project.";
        }
        return null;
    }

    /**
     * Creates and opens the project (see the class comment).
     *
     * @return the sample's model file
     * @throws CoreException when the project or its folder exists ({@link #problem()}), or writing fails (then nothing
     *         is left behind)
     */
    public static IFile create(IProgressMonitor monitor) throws CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, "Creating the INT8 Workbench sample project", 4);
        String problem = problem();
        if (problem != null) {
            throw new CoreException(Status.error(problem));
        }
        Path folder = folder();
        if (folder == null) {
            throw new CoreException(Status.error("The workspace has no folder on the local file system to create the sample project in."));
        }
        sub.subTask("Writing the model and images");
        try {
            EmbeddedSample.extractTo(folder);
            Files.writeString(folder.resolve(README), readme(), StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            throw new CoreException(Status.error("The folder " + folder + " already exists; the sample was not written", e));
        } catch (IOException e) {
            deleteTree(folder);
            throw new CoreException(new Status(IStatus.ERROR, Activator.PLUGIN_ID, "Cannot write the sample project to " + folder
                    + ": " + e.getMessage(), e));
        }
        sub.worked(2);
        IProject project = project();
        try {
            project.create(sub.split(1));
            project.open(sub.split(1));
            project.refreshLocal(IResource.DEPTH_INFINITE, null);
        } catch (CoreException e) {
            if (!project.exists()) {
                deleteTree(folder);
            }
            throw e;
        }
        return model(project);
    }

    /** The folder the project gets: {@value #NAME} in the workspace's folder. */
    private static Path folder() {
        IWorkspaceRoot root = ResourcesPlugin.getWorkspace().getRoot();
        return root.getLocation() == null ? null : root.getLocation().toPath().resolve(NAME);
    }

    /** The readme: what the files are and what to try. */
    static String readme() {
        String nl = System.lineSeparator();
        return String.join(nl,
                "INT8 Workbench sample project",
                "=============================",
                "",
                EmbeddedSample.MODEL,
                "    DeepLabV3 with a MobileNetV2 backbone (depth multiplier 0.5), 257x257, trained on PASCAL VOC (21 classes:",
                "    background and 20 objects). FP32, Apache License 2.0.",
                EmbeddedSample.DATASET + "/",
                "    10 PASCAL VOC 2012 val images (JPEGImages/) with their segmentation masks (SegmentationClass/), in the",
                "    VOCdevkit layout. ImageSets/Segmentation/val.txt lists all 10, calibration.txt 5 of them and holdout.txt",
                "    the other 5.",
                EmbeddedSample.CALIBRATION + "/",
                "    The 5 calibration.txt images as a plain image folder.",
                EmbeddedSample.NOTICE,
                "    Where every file comes from, and its license.",
                "",
                "What to do next",
                "---------------",
                "1. Right-click " + EmbeddedSample.MODEL + " in the Project Explorer (or the Model Explorer)",
                "   and choose Optimize INT8...",
                "2. On the Dataset page keep Pascal VOC and choose the folder " + EmbeddedSample.DATASET + " to compare on;",
                "   for calibration on other images than the compared ones, tick the separate calibration option and choose",
                "   " + EmbeddedSample.CALIBRATION + ".",
                "3. Click through the pages (preprocessing and outputs are found from the model) and Finish. The job writes",
                "   " + EmbeddedSample.MODEL.replace(".onnx", ".int8.onnx") + " beside the model (never changing it), and the exact",
                "   fast label head " + EmbeddedSample.MODEL.replace(".onnx", ".int8.head.onnx") + ", measures both models on",
                "   this CPU, compares their predictions image by image, and opens the Performance and Accuracy editors.",
                "",
                "The same from the command line: ./int8wb demo (it runs on this same sample, calibrating on the 5",
                "calibration images and comparing on the 5 hold-out images).",
                "");
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort; the caller reports the first failure
        }
    }
}
