package org.int8workbench.ui.handlers;

import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.commands.Command;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.int8workbench.core.codegen.CodegenResult;
import org.int8workbench.core.head.CutHeadOperation;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.UiTestSupport;
import org.int8workbench.ui.wizards.OptimizeWizard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Generate Java Inference Code…: the command is contributed, the dialog validates Java names as they are typed, and
 * the handler's job writes the Maven project beside the real DeepLabV3 cut before its head, with test samples from
 * the dataset remembered for the parent, visible in the workspace after the refresh.
 */
class CodegenHandlerTest {
    private IProject project;

    @AfterEach
    void cleanUp() throws Exception {
        run(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().closeAllEditors(false));
        if (project != null) {
            project.delete(true, true, null);
        }
    }

    @Test
    void validatesJavaNames() {
        assertNull(CodegenHandler.validate("com.example.seg", "Segmenter"));
        assertNull(CodegenHandler.validate("a", "_x1"));
        assertNotNull(CodegenHandler.validate("", "Segmenter"));
        assertNotNull(CodegenHandler.validate("com..seg", "Segmenter"));
        assertNotNull(CodegenHandler.validate("com.class.seg", "Segmenter"));
        assertNotNull(CodegenHandler.validate("com.example", "1Segmenter"));
        assertNotNull(CodegenHandler.validate("com.example", "My-Class"));
        assertNotNull(CodegenHandler.validate("com.example", ""));
        assertEquals("DeeplabV3Segmenter", CodegenHandler.defaultClassName(Path.of("deeplab_v3.int8.head.onnx")));
        assertEquals("Segmenter", CodegenHandler.defaultClassName(Path.of("3d.onnx")));
    }

    @Test
    void commandAndDialog() throws Exception {
        Command c = ui(() -> PlatformUI.getWorkbench().getService(ICommandService.class).getCommand("org.int8workbench.ui.commands.codegen"));
        assertTrue(ui(c::isDefined), "codegen command contributed");
        assertEquals("Generate Java Inference Code...", ui(c::getName));

        CodegenDialog d = ui(() -> new CodegenDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(),
                "deeplab.int8.head.onnx", "deeplab.int8.head-inference", "com.example.segmentation", "DeeplabSegmenter"));
        run(() -> {
            d.setBlockOnOpen(false);
            d.open();
        });
        try {
            assertTrue(ui(d::canGenerate), ui(d::shownMessage));
            run(() -> d.enter("com.example.segmentation", "class"));
            assertFalse(ui(d::canGenerate));
            assertTrue(ui(d::shownMessage).contains("not a valid Java class name"), ui(d::shownMessage));
            run(() -> d.enter("com.example.segmentation", "DeeplabSegmenter"));
            assertTrue(ui(d::canGenerate), ui(d::shownMessage));
            UiTestSupport.screenshot(ui(d::getShell), "codegen-dialog");
        } finally {
            run(d::close);
        }
    }

    @Test
    void generatesTheProjectBesideTheCutModel() throws Exception {
        project = UiTestSupport.project("codegen");
        IFile parent = UiTestSupport.copy(project, UiTestSupport.deeplabModel(), "deeplab.onnx");
        Path parentPath = parent.getLocation().toPath();
        CutHeadOperation.CutHeadResult cut = new CutHeadOperation(parentPath).run(null);
        assertTrue(cut.cut(), "the real DeepLabV3 has a head: " + cut.reason());
        assertEquals(parentPath.resolveSibling("deeplab.head.onnx"), cut.output());
        // the wizard's remembered dataset of the parent gives the test samples
        OptimizeSettings d = ui(() -> OptimizeWizard.defaults(parentPath));
        new OptimizeSettings(OptimizeSettings.DataKind.VOC, UiTestSupport.vocVal().toString(), "", d.subset(), d.preprocessing(),
                d.preset(), d.method(), d.fastBiasCorrection(), d.ignoredScope(), d.fastLabelHead(), d.benchmark(), d.benchmarkMode(),
                d.benchmarkSeconds(), d.threads(), d.compare(), d.compareImages()).remember(parentPath);
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
        IFile head = project.getFile("deeplab.head.onnx");
        assertTrue(head.exists());

        UiJobs.UiJob job = CodegenHandler.schedule(head, "com.example.seg", "Segmenter");
        UiTestSupport.joinUiJobs();
        assertEquals(IStatus.OK, job.outcome().getSeverity(), job.outcome().toString());

        IFolder out = project.getFolder("deeplab.head-inference");
        for (String f : List.of("pom.xml", "src/main/java/com/example/seg/Segmenter.java",
                "src/test/java/com/example/seg/SegmenterTest.java", "src/main/resources/com/example/seg")) {
            assertTrue(out.exists(new org.eclipse.core.runtime.Path(f)), f + " in the workspace after the refresh");
        }
        String main = Files.readString(out.getFile("src/main/java/com/example/seg/Segmenter.java").getLocation().toPath());
        assertTrue(main.contains("package com.example.seg;") && main.contains("class Segmenter"), main.substring(0, 300));
        // samples from the remembered VOC val folder (ids like 2007_000033), not generated images
        IFolder samples = out.getFolder("src/test/resources/com/example/seg/Segmenter");
        long vocPngs = java.util.Arrays.stream(samples.members()).filter(r -> r.getName().matches("20\\d\\d_\\d+\\.png")).count();
        assertEquals(CodegenHandler.SAMPLES, vocPngs, java.util.Arrays.toString(samples.members()));

        // run again directly: replaces its own files, and the result names them
        CodegenResult again = CodegenHandler.generate(head, "com.example.seg", "Segmenter", null);
        assertTrue(again.expectedFrom().contains(UiTestSupport.vocVal().getFileName().toString()), again.expectedFrom());
        assertTrue(again.decoding().toLowerCase(java.util.Locale.ROOT).contains("head"), again.decoding());
        assertEquals(out.getFile("pom.xml").getLocation().toPath().toString(), again.pom());
    }
}
