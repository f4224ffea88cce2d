package org.int8workbench.ui.editors;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.ArgmaxDecoder;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.Prediction;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.metrics.Postprocessing;
import org.int8workbench.core.report.AccuracyReport;

/**
 * The pictures behind one row of an accuracy report: the image, its ground truth, and both models' label maps on the
 * image grid. Obtained by running the core's {@link EvaluateOperation} on that one image with predictors that keep
 * the label maps they produce, so the figures are the ones the report was made with.
 *
 * @param image the image, RGB
 * @param groundTruth the ground-truth mask, or {@code null}
 * @param parent the parent's labels on the image grid, or {@code null} without a parent
 * @param optimized the evaluated model's labels on the image grid
 * @param classes the label set
 */
public record ImagePredictions(BufferedImage image, LabelMask groundTruth, LabelMask parent, LabelMask optimized, ClassInfo classes) {

    /** Predicts the image of {@code row} with the report's models, data and preprocessing. */
    public static ImagePredictions of(AccuracyReport report, AccuracyReport.ImageRow row, IProgressMonitor monitor)
            throws CoreException {
        if (report.datasetRoot() == null || row.image() == null) {
            throw new CoreException(Status.error("The report's images were generated; there is no image file to visualize for " + row.id()));
        }
        SegmentationDataset all;
        try {
            all = Datasets.open(Path.of(report.datasetRoot()));
        } catch (IOException e) {
            throw new CoreException(Status.error("Cannot open the report's dataset " + report.datasetRoot() + ": " + e.getMessage(), e));
        }
        Sample sample = new Sample(row.id(), Path.of(row.image()), row.mask() == null ? null : Path.of(row.mask()), 0);
        SegmentationDataset one = new OneImage(all, sample);
        Preprocessing pre = report.preprocessing();
        AtomicReference<Prediction> model = new AtomicReference<>();
        AtomicReference<Prediction> parent = new AtomicReference<>();
        EvaluateOperation op = new EvaluateOperation().model(Path.of(report.model().path())).dataset(one).preprocessing(pre)
                .classes(report.classes()).renderImages(false).predictor(keep(pre, model)).strict(true);
        if (report.parentModel() != null) {
            op.parent(Path.of(report.parentModel().path())).parentPredictor(keep(pre, parent));
        }
        op.run(monitor);
        try {
            BufferedImage image = one.readImage(sample);
            LabelMask truth = sample.mask() != null && all.hasMasks() ? one.readMask(sample) : null;
            int w = image.getWidth();
            int h = image.getHeight();
            LabelMask p = parent.get() == null ? null : Postprocessing.toImage(parent.get().labels(), pre, w, h);
            LabelMask m = Postprocessing.toImage(model.get().labels(), pre, w, h);
            return new ImagePredictions(image, truth, p, m, report.classes());
        } catch (IOException e) {
            throw new CoreException(Status.error("Cannot read " + sample.image() + ": " + e.getMessage(), e));
        }
    }

    private static LabelDecoder keep(Preprocessing pre, AtomicReference<Prediction> into) {
        ArgmaxDecoder argmax = new ArgmaxDecoder(null, pre, null);
        return new LabelDecoder() {
            @Override
            public OutputKind kind() {
                return argmax.kind();
            }

            @Override
            public String description() {
                return argmax.description();
            }

            @Override
            public Prediction decode(OrtSession.Result result) throws OrtException {
                Prediction p = argmax.decode(result);
                into.set(p);
                return p;
            }

            @Override
            public int[] decodeBatch(OrtSession.Result result) throws OrtException {
                return argmax.decodeBatch(result);
            }
        };
    }

    /** One sample of a dataset, read by that dataset. */
    private record OneImage(SegmentationDataset all, Sample sample) implements SegmentationDataset {
        @Override
        public String description() {
            return sample.id() + " of " + all.description();
        }

        @Override
        public boolean synthetic() {
            return all.synthetic();
        }

        @Override
        public boolean hasMasks() {
            return all.hasMasks() && sample.mask() != null;
        }

        @Override
        public List<Sample> samples() {
            return List.of(sample);
        }

        @Override
        public BufferedImage readImage(Sample s) throws IOException {
            return all.readImage(s);
        }

        @Override
        public LabelMask readMask(Sample s) throws IOException {
            return all.readMask(s);
        }

        @Override
        public ClassInfo classes() {
            return all.classes();
        }
    }
}
