package org.int8workbench.core.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.int8workbench.testing.TestData;
import org.int8workbench.core.dataset.Preprocessing;
import org.junit.jupiter.api.Test;

/**
 * The real FP32 DeepLabV3 (../shared/data): full model + argmax and cut model + {@link ExactLabelHead} give the same
 * labels on all 102 VOC val images. Prints the head's cost against a plain Java argmax over the full logits and the
 * boundary fraction (timings on a shared machine are noisy; the ratio is what matters).
 */
class RealModelHeadExactnessTest {

    @Test
    void zeroDifferingPixelsOnAllValImages() throws Exception {
        HeadExactness.Report r = HeadExactness.check(TestData.deeplabModel(), TestData.vocVal(),
                Preprocessing.defaults(257, 257, Preprocessing.Layout.NCHW), 0);
        System.out.printf("head exactness: %d images, %d pixels, %d differing; boundary pixels %.2f%%; head %.3f ms vs Java argmax"
                + " over full logits %.3f ms per image (ratio %.2fx); head: %s%n", r.images(), r.pixels(), r.differing(),
                100 * r.boundaryFraction(), r.headMs(), r.argmaxMs(), r.argmaxMs() / r.headMs(), r.head().describe());
        assertEquals(102, r.images());
        assertEquals(0, r.differing(), "label pixels differing between full model + argmax and cut model + head");
        assertEquals("linear", r.head().mode());
        assertEquals("align_corners", r.head().coordinateTransformation());
        assertEquals(257, r.head().outputHeight());
        assertTrue(r.boundaryFraction() > 0 && r.boundaryFraction() < 0.5, "boundary fraction " + r.boundaryFraction());
    }
}
