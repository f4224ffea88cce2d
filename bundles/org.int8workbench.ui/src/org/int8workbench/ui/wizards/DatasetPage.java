package org.int8workbench.ui.wizards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.jface.databinding.swt.typed.WidgetProperties;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.FileDataset;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.OptimizeSettings.DataKind;

/** Page 1: the dataset, the calibration images and the subset size. */
final class DatasetPage extends SettingsPage {
    private final OptimizeSettings initial;
    private final Map<DataKind, IObservableValue<Boolean>> kinds = new java.util.EnumMap<>(DataKind.class);
    private IObservableValue<String> folder;
    private IObservableValue<Boolean> separate;
    private IObservableValue<String> calibration;
    private IObservableValue<String> subset;
    private org.eclipse.swt.widgets.Label summary;
    /** Datasets opened while validating, by folder: the dataset or the reason it cannot be opened. */
    private final Map<String, Object> opened = new HashMap<>();

    /** Why the model cannot be optimized, or {@code null}: shown as this page's error, which blocks Next and Finish. */
    private String modelProblem;
    /** True while the wizard reads the model (before the page's controls exist). */
    private boolean reading = true;
    /** The same once the controls exist, observed so that the page is checked again when the read ends. */
    private org.eclipse.core.databinding.observable.value.WritableValue<Boolean> readingValue;

    /** The message shown while the model is read. */
    static final String READING = "Reading the model\u2026";

    DatasetPage(OptimizeSettings initial) {
        super("dataset", "Dataset", "The images to calibrate on and to compare the models with.");
        this.initial = initial;
    }

    /** The wizard has read the model: {@code problem} says why it cannot be optimized, or is {@code null}. */
    void modelRead(String problem) {
        this.modelProblem = problem;
        this.reading = false;
        if (readingValue != null && !readingValue.isDisposed()) {
            readingValue.setValue(false);
        }
        if (problem != null && getControl() != null && isCurrentPage()) {
            setErrorMessage("This model cannot be optimized: " + problem);
            setPageComplete(false);
        }
    }

    @Override
    void createFields(Composite c) {
        Group data = group(c, "Dataset");
        for (DataKind k : DataKind.values()) {
            Button b = new Button(data, SWT.RADIO);
            b.setText(k.label());
            b.setSelection(k == initial.dataKind());
            b.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
            b.setData("name", "dataset.kind." + k.name());
            kinds.put(k, WidgetProperties.buttonSelection().observe(b));
        }
        folder = folder(data, "Folder:", initial.dataFolder(), "The dataset folder (for VOC: the folder holding JPEGImages and ImageSets)");
        Group cal = group(c, "Calibration");
        separate = check(cal, "Calibrate on a separate folder of images (recommended: images not in the dataset)",
                !initial.calibrationFolder().isBlank(), "Calibration images should not be the images the comparison uses");
        calibration = folder(cal, "Images:", initial.calibrationFolder(), "A folder of JPEG/PNG images");
        subset = text(cal, "Subset size:", Integer.toString(initial.subset()), "Calibration images to use at most", 2);
        name(folder, "dataset.folder");
        name(separate, "dataset.separateCalibration");
        name(calibration, "dataset.calibrationFolder");
        name(subset, "dataset.subset");
        summary = note(c, "Dataset:\n\nCalibration:");
        readingValue = new org.eclipse.core.databinding.observable.value.WritableValue<>(reading, Boolean.class);
    }

    @Override
    String check() {
        DataKind kind = kind();
        boolean stillReading = Boolean.TRUE.equals(readingValue.getValue());
        if (stillReading || modelProblem != null) {
            // read the observables all the same, so that data binding keeps tracking them
            folder.getValue();
            separate.getValue();
            calibration.getValue();
            subset.getValue();
            // while reading: a note, not an error (Next and Finish stay disabled: the other pages come with the read)
            return stillReading ? "?" + READING : "This model cannot be optimized: " + modelProblem;
        }
        boolean sep = Boolean.TRUE.equals(separate.getValue());
        String f = folder.getValue().trim();
        String cf = calibration.getValue().trim();
        String s = subset.getValue();
        enable(folder, kind != DataKind.GENERATED);
        enable(calibration, sep);
        if (kind != DataKind.GENERATED) {
            if (f.isEmpty()) {
                return "Choose the dataset folder";
            }
            Object d = open(f);
            if (d instanceof String problem) {
                return problem;
            }
            String mismatch = mismatch(kind, (SegmentationDataset) d);
            if (mismatch != null) {
                return mismatch;
            }
        }
        if (sep) {
            if (cf.isEmpty()) {
                return "Choose the folder of calibration images";
            }
            Object d = open(cf);
            if (d instanceof String problem) {
                return "Calibration images: " + problem;
            }
        }
        if (parseInt(s, 1, 100_000) == null) {
            return "The subset size must be a whole number from 1 to 100000";
        }
        describe(kind == DataKind.GENERATED ? "Generated images of the input size (accuracy figures are not meaningful)"
                : ((SegmentationDataset) open(f)).description(), sep ? ((SegmentationDataset) open(cf)).description() : "the dataset");
        if (!sep && kind == DataKind.GENERATED) {
            return "!Calibrating on generated images: the INT8 model will be less accurate than with real photos";
        }
        if (!sep) {
            return "!Calibrating on the dataset the models are compared on; a separate folder of images is recommended";
        }
        return null;
    }

    @Override
    public void setVisible(boolean visible) {
        super.setVisible(visible);
        if (visible && modelProblem != null) {
            // shown at once as an error, not only after the user types
            setErrorMessage("This model cannot be optimized: " + modelProblem);
            setPageComplete(false);
        }
    }

    private void describe(String data, String cal) {
        if (!summary.isDisposed()) {
            summary.setText("Dataset: " + data + "\nCalibration: " + cal);
            summary.getParent().layout();
        }
    }

    private static String mismatch(DataKind kind, SegmentationDataset d) {
        FileDataset.Layout layout = d instanceof FileDataset fd ? fd.layout() : null;
        if (kind == DataKind.VOC && layout != FileDataset.Layout.PASCAL_VOC) {
            return "Not a Pascal VOC folder (no JPEGImages and ImageSets/Segmentation): " + d.description();
        }
        if (kind == DataKind.IMAGES_AND_MASKS && layout != FileDataset.Layout.IMAGES_AND_MASKS) {
            return "Not an image + mask folder (images/ and masks/ with matching names): " + d.description();
        }
        if (d.samples().isEmpty()) {
            return "No images in " + d.description();
        }
        return null;
    }

    private Object open(String f) {
        return opened.computeIfAbsent(f, k -> {
            Path p = Path.of(k);
            if (!Files.isDirectory(p)) {
                return "The folder " + k + " does not exist";
            }
            try {
                SegmentationDataset d = Datasets.open(p);
                return d.samples().isEmpty() ? "No images in " + k : d;
            } catch (IOException | RuntimeException e) {
                return e.getMessage() == null ? e.toString() : e.getMessage();
            }
        });
    }

    DataKind kind() {
        for (Map.Entry<DataKind, IObservableValue<Boolean>> e : kinds.entrySet()) {
            if (Boolean.TRUE.equals(e.getValue().getValue())) {
                return e.getKey();
            }
        }
        return DataKind.GENERATED;
    }

    String dataFolder() {
        return kind() == DataKind.GENERATED ? "" : folder.getValue().trim();
    }

    String calibrationFolder() {
        return Boolean.TRUE.equals(separate.getValue()) ? calibration.getValue().trim() : "";
    }

    int subset() {
        Integer v = parseInt(subset.getValue(), 1, 100_000);
        return v == null ? initial.subset() : v;
    }

    /** For tests: sets the fields as a user would type them. */
    void set(DataKind kind, String dataFolder, String calibrationFolder, int subsetSize) {
        kinds.forEach((k, v) -> v.setValue(k == kind));
        folder.setValue(dataFolder);
        separate.setValue(!calibrationFolder.isEmpty());
        calibration.setValue(calibrationFolder);
        subset.setValue(Integer.toString(subsetSize));
    }
}
