package org.int8workbench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * The item-by-item evaluation (what Spark executors run) on the real DeepLabV3 and real VOC images gives the one-pass
 * evaluation's report, whatever the order the items were evaluated in.
 */
class ItemEvaluationTest {

    static final Preprocessing DEEPLAB = Preprocessing.defaults(257, 257, Preprocessing.Layout.NCHW);

    @Test
    void itemsEvaluatedInAnyOrderGiveTheOnePassReport() throws Exception {
        // the model against itself on a coarser input: two different predictions of one image
        EvaluateOperation op = new EvaluateOperation().model(TestData.deeplabModel()).parent(TestData.deeplabModel())
                .dataset(Datasets.open(TestData.vocVal(), "val")).preprocessing(DEEPLAB).limit(12).renderImages(false);
        AccuracyReport onePass = op.run(new NullProgressMonitor());
        List<ItemResult> results = new ArrayList<>();
        try (ItemEvaluation e = op.open(new NullProgressMonitor())) {
            assertEquals(12, e.items().size());
            for (int i = e.items().size() - 1; i >= 0; i--) {
                results.add(e.evaluate(i));
            }
            AccuracyReport r = e.report(results, 1.0, 1);
            assertEquals(onePass.groundTruth(), r.groundTruth());
            assertEquals(onePass.reference(), r.reference());
            assertEquals(onePass.agreement(), r.agreement());
            assertEquals(onePass.images(), r.images());
            assertEquals(onePass.classRows(), r.classRows());
            assertEquals(onePass.notes(), r.notes());
            assertEquals(12, r.timing().images());
            assertTrue(r.timing().modelInferenceSeconds() > 0);
            // every item once
            assertThrows(IllegalArgumentException.class, () -> e.report(results.subList(1, results.size()), 1.0, 1));
        }
    }
}
