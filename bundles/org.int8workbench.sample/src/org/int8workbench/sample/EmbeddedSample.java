package org.int8workbench.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sample shipped inside INT8 Workbench: the real VOC-trained DeepLabV3 (MobileNetV2 0.5, 257x257, Apache-2.0) and
 * ten real PASCAL VOC 2012 val image/mask pairs, with a NOTICE of their origin and licenses. {@code int8wb demo} runs on
 * it by default and the IDE creates its sample project from it. Plain Java (no OSGi, no SWT): the files are resources
 * beside this class, read with {@link Class#getResourceAsStream}, so it works from a jar on the class path and inside
 * the OSGi bundle alike.
 *
 * <p>{@link #extractTo(Path)} writes this layout:
 *
 * <pre>
 * NOTICE                                   origin and licenses
 * model/deeplabv3_mnv2_dm05_voc_257.onnx   the FP32 model
 * data/voc2012-sample/                     VOCdevkit layout: JPEGImages/, SegmentationClass/,
 *                                          ImageSets/Segmentation/val.txt (10), calibration.txt (5), holdout.txt (5)
 * data/calibration/                        the 5 calibration.txt images as a plain image folder
 * </pre>
 *
 * The calibration images and the {@link #HOLDOUT_SPLIT} images are disjoint, so a comparison on the hold-out split
 * judges the INT8 model on images its ranges were not calibrated on.
 */
public final class EmbeddedSample {

    /** The model's file name. */
    public static final String MODEL_NAME = "deeplabv3_mnv2_dm05_voc_257.onnx";

    /** The model, relative to the extracted folder. */
    public static final String MODEL = "model/" + MODEL_NAME;

    /** The VOC dataset folder, relative to the extracted folder. */
    public static final String DATASET = "data/voc2012-sample";

    /** The calibration image folder, relative to the extracted folder. */
    public static final String CALIBRATION = "data/calibration";

    /** The VOC split of the 5 images that are not calibration images. */
    public static final String HOLDOUT_SPLIT = "holdout";

    /** The VOC split of all 10 images. */
    public static final String ALL_SPLIT = "val";

    /** The notice file, relative to the extracted folder. */
    public static final String NOTICE = "NOTICE";

    private static final String RESOURCES = "data/";
    private static final String CALIBRATION_LIST = "voc2012-sample/ImageSets/Segmentation/calibration.txt";

    /**
     * Where the sample was extracted.
     *
     * @param root the folder given to {@link #extractTo(Path)}
     * @param model the FP32 ONNX model
     * @param dataset the VOC folder with all 10 pairs (splits {@code val}, {@code calibration}, {@code holdout})
     * @param calibration the folder of the 5 calibration images
     * @param notice the NOTICE file
     */
    public record Extracted(Path root, Path model, Path dataset, Path calibration, Path notice) {

        /** The layout under {@code root}, whether or not it exists. */
        public static Extracted at(Path root) {
            Path r = root.toAbsolutePath().normalize();
            return new Extracted(r, r.resolve(MODEL), r.resolve(DATASET), r.resolve(CALIBRATION), r.resolve(NOTICE));
        }
    }

    private EmbeddedSample() {
    }

    /**
     * The files of the sample as they are stored in the bundle, relative to its data folder (e.g.
     * {@code model/deeplabv3_mnv2_dm05_voc_257.onnx}, {@code voc2012-sample/JPEGImages/2007_001761.jpg}).
     */
    public static List<String> resources() {
        return lines("files.txt");
    }

    /** The IDs of the 5 calibration images. */
    public static List<String> calibrationIds() {
        return lines(CALIBRATION_LIST);
    }

    /**
     * Opens one stored file ({@link #resources()} names them).
     *
     * @throws IllegalStateException when it is missing: the installation is incomplete
     */
    public static InputStream open(String resource) {
        InputStream in = EmbeddedSample.class.getResourceAsStream(RESOURCES + resource);
        if (in == null) {
            throw new IllegalStateException("the sample file " + resource + " is missing from the INT8 Workbench sample bundle; "
                    + "the installation is incomplete: reinstall or rebuild it");
        }
        return in;
    }

    /** Where a stored file goes in the extracted layout. */
    static String target(String resource) {
        return resource.startsWith("voc2012-sample/") ? "data/" + resource : resource;
    }

    /**
     * Writes the sample (see the class comment) into {@code dir}, all or nothing: into a new folder beside it, then moved
     * into place. {@code dir} must not exist, or be an empty folder.
     *
     * @return where the files are
     * @throws FileAlreadyExistsException when {@code dir} exists and is not an empty folder (nothing is written)
     * @throws IOException when writing fails (nothing is left behind)
     */
    public static Extracted extractTo(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        refuseExisting(target);
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".part-");
        try {
            for (String r : resources()) {
                copy(r, tmp.resolve(target(r)));
            }
            for (String id : calibrationIds()) {
                copy("voc2012-sample/JPEGImages/" + id + ".jpg", tmp.resolve(CALIBRATION).resolve(id + ".jpg"));
            }
            refuseExisting(target);
            if (Files.isDirectory(target)) {
                Files.delete(target); // empty, checked just above
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        return Extracted.at(target);
    }

    /**
     * Whether {@code dir} holds a complete extracted sample: every file present with the stored size.
     */
    public static boolean isExtractedAt(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        try {
            for (String r : resources()) {
                Path f = root.resolve(target(r));
                if (!Files.isRegularFile(f) || Files.size(f) != storedSize(r)) {
                    return false;
                }
            }
            for (String id : calibrationIds()) {
                if (!Files.isRegularFile(root.resolve(CALIBRATION).resolve(id + ".jpg"))) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long storedSize(String resource) throws IOException {
        try (InputStream in = open(resource)) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private static void refuseExisting(Path target) throws IOException {
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(target.toString(), null,
                            "the folder is not empty; the sample is written only into a new or empty folder");
                }
            }
        } else if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a file is in the way of the sample folder");
        }
    }

    private static void copy(String resource, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (InputStream in = open(resource)) {
            Files.copy(in, file);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (DirectoryNotEmptyException e) {
            // something else writes there: leave it
        } catch (IOException e) {
            // best effort: the caller reports the first failure
        }
    }

    private static List<String> lines(String resource) {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open(resource), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null;) {
                if (!l.isBlank()) {
                    out.add(l.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample's " + resource, e);
        }
        return List.copyOf(out);
    }
}
