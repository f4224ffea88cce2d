package org.int8workbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.accuracy.AccuracyAwareResult;
import org.int8workbench.core.accuracy.AccuracyControl;
import org.int8workbench.core.accuracy.AccuracyMetric;
import org.int8workbench.testing.TestData;
import org.int8workbench.ui.OptimizeSettings.DataKind;
import org.int8workbench.ui.editors.KeptInFp32;
import org.int8workbench.ui.jobs.OptimizeJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Optimize job runs the method the wizard chose: Accuracy-aware settings become the pipeline's accuracy control
 * (max drop, metric, validation dataset), and the nodes it reverted are those the INT8 model keeps in FP32 by name,
 * which the Performance editor shows.
 */
class AccuracyAwareJobTest {
    @RegisterExtension
    final TestProjects projects = new TestProjects();
    private IProject project;

    @Test
    void settingsBecomeTheAccuracyControl() throws Exception {
        Path voc = UiTestSupport.vocVal();
        OptimizeSettings s = new OptimizeSettings(DataKind.VOC, voc.toString(), "", 8, null, "performance", "minmax", true, List.of(),
                false, false, "latency", 1, 0, false, 0);
        assertNull(s.accuracyControl(), "the Default method");
        AccuracyControl c = s.withAccuracyAware(new OptimizeSettings.AccuracyAware(0.3, "agreement", voc.toString())).accuracyControl();
        assertEquals(0.3, c.maxDropPoints());
        assertEquals(AccuracyMetric.AGREEMENT, c.metricOrNull());
        assertEquals(102, c.validation().samples().size());
        assertNull(s.withAccuracyAware(new OptimizeSettings.AccuracyAware(0.3, "auto", voc.toString())).accuracyControl().metricOrNull(),
                "auto: the pipeline chooses from the data");
    }

    @Test
    void theRevertedNodesAreKeptInFp32ByName() throws Exception {
        project = projects.create("accuracy-aware-job");
        IFile model = UiTestSupport.copy(project, UiTestSupport.deeplabModel(), "deeplab.onnx");
        Path path = model.getLocation().toPath();
        Path validation = TestData.sharedData().resolve("voc2012-val-vainf-samples");
        // 0.05 points of mIoU on the 14 VainF pairs: below the Default model's drop there, so the method reverts groups
        OptimizeSettings s = new OptimizeSettings(DataKind.VOC, UiTestSupport.vocVal().toString(),
                UiTestSupport.calibrationPhotos().toString(), 8, OptimizeSettings.preprocessingOf(path), "performance", "minmax", true,
                List.of(), false, false, "latency", 1, 0, false, 0)
                .withAccuracyAware(new OptimizeSettings.AccuracyAware(0.05, "auto", validation.toString()));
        OptimizeJob.Outputs out = OptimizeJob.run(model, s, new NullProgressMonitor());
        AccuracyAwareResult a = out.accuracyAware();
        assertNotNull(a, "the Accuracy-aware method ran");
        assertEquals(AccuracyMetric.MIOU, a.metric(), "the VainF pairs have masks");
        assertEquals(14, a.validationImages());
        assertEquals(0.05, a.maxDropPoints());
        assertEquals(a.dropPoints() <= a.maxDropPoints() + 1e-9, a.reached(), a.describe());
        assertTrue(Files.isRegularFile(out.int8()));
        List<String> kept = KeptInFp32.nodes(out.int8());
        assertTrue(kept.containsAll(a.revertedNodes()), "kept " + kept + ", reverted " + a.revertedNodes());
        if (a.defaultDropPoints() > a.maxDropPoints()) {
            assertTrue(!a.steps().isEmpty(), "the Default drop is above the maximum, so groups were tried: " + a.describe());
        }
        assertEquals(s, OptimizeSettings.remembered(path), "the method is remembered for Optimize Again");
    }
}
