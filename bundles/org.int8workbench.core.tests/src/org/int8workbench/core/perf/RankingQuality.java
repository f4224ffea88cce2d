package org.int8workbench.core.perf;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.onnx.OrtOptimizedGraph;
import org.int8workbench.core.quantize.Calibration;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.int8workbench.testing.TestData;
import org.int8workbench.core.accuracy.NodeSensitivity;
import org.int8workbench.core.accuracy.Score;
import org.int8workbench.core.accuracy.SensitivityOperation;
import org.int8workbench.core.accuracy.SensitivityResult;
import org.int8workbench.core.accuracy.Validation;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * Ranking-quality measurement (not a unit test; about 6 minutes on 2 cores): which figure measured on the few ranking
 * images best predicts what reverting one group gains on all 102 VOC val images, for the real DeepLabV3 (Default
 * method). Every group is reverted alone and scored on all images; for each ranking figure, the mean full-set gain of
 * its top 5 and top 10 groups is printed, beside the oracle (ranking by the full-set gain itself).
 *
 * <pre>
 * java -cp ... org.int8workbench.core.perf.RankingQuality
 * </pre>
 */
public final class RankingQuality {
    static final Preprocessing PRE = new Preprocessing(257, 257, Preprocessing.ResizeMode.STRETCH, Preprocessing.Rgb.all(127.5),
            Preprocessing.Rgb.all(127.5), Preprocessing.ColorOrder.RGB, Preprocessing.Layout.NCHW);

    private RankingQuality() {
    }

    public static void main(String[] args) throws Exception {
        measure();
    }

    record Row(NodeSensitivity n, double fullMiouGain, double fullAgreementGain) {
    }

    static void measure() throws Exception {
        Calibration c = new QuantizeOperation(TestData.deeplabModel()).calibration(TestData.calibrationPhotos())
                .preprocessing(PRE).calibrate(new NullProgressMonitor());
        try (Validation v = Validation.prepare(TestData.deeplabModel(), Datasets.open(TestData.vocVal(), "val"),
                PRE, null, null, new NullProgressMonitor())) {
            byte[] full = c.write().bytes();
            for (OrtOptimizedGraph.FloatNode f : OrtOptimizedGraph.analyze(full, "x", OptLevel.ALL_OPT).floatComputeNodes()) {
                System.out.println("float node: " + f.name() + " " + f.opType());
            }
            SensitivityResult r = SensitivityOperation.analyze(c, v, 8, new NullProgressMonitor());
            Score base = v.score(full, null, new NullProgressMonitor());
            List<Row> rows = new ArrayList<>();
            for (NodeSensitivity n : r.nodes()) {
                Score s = v.score(c.write(n.nodes()).bytes(), null, new NullProgressMonitor());
                rows.add(new Row(n, (s.value() - base.value()) * 100, (s.agreement() - base.agreement()) * 100));
                System.out.printf("ROW %s %.3f %.3f %.3f %.3f %.5g %.2f%n", n.node(), (s.value() - base.value()) * 100,
                        (s.agreement() - base.agreement()) * 100, n.gainPoints(), n.agreementGainPoints(), n.revertedOutputError(),
                        n.sqnrDb());
            }
            report(rows, "ranking agreement gain", x -> -x.n().agreementGainPoints());
            report(rows, "ranking mIoU gain", x -> -x.n().gainPoints());
            report(rows, "ranking output error", x -> x.n().revertedOutputError());
            report(rows, "lowest SQNR", x -> x.n().sqnrDb());
            report(rows, "oracle mIoU", x -> -x.fullMiouGain());
        }
    }

    private static void report(List<Row> rows, String name, ToDoubleFunction<Row> key) {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingDouble(key));
        double m5 = 0, a5 = 0, m10 = 0, a10 = 0;
        for (int i = 0; i < 10; i++) {
            if (i < 5) {
                m5 += sorted.get(i).fullMiouGain();
                a5 += sorted.get(i).fullAgreementGain();
            }
            m10 += sorted.get(i).fullMiouGain();
            a10 += sorted.get(i).fullAgreementGain();
        }
        System.out.printf("RANK %-25s top5 mean full mIoU gain %.3f agreement %.3f | top10 %.3f %.3f%n", name, m5 / 5, a5 / 5,
                m10 / 10, a10 / 10);
    }
}
