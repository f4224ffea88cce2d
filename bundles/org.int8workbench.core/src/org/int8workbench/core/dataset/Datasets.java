package org.int8workbench.core.dataset;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Opens datasets. {@link #open(Path, String)} recognises, in this order:
 * <ol>
 * <li><b>Pascal VOC</b>: a folder with {@code ImageSets/Segmentation/<split>.txt}, {@code JPEGImages/<id>.jpg} and
 * (optionally) {@code SegmentationClass/<id>.png} palette masks (255 = ignore); or a {@code VOCdevkit} folder or
 * its parent holding exactly one such {@code VOC20xx} folder.</li>
 * <li><b>Images and masks</b>: {@code images/} and {@code masks/} (or {@code SegmentationClass/}) with matching base
 * names, described by an optional {@value #METADATA_FILE} (see {@link DatasetMetadata}). Without it, masks in
 * {@code SegmentationClass/}, or palette masks whose palette is the VOC palette, are read as Pascal VOC; other masks
 * need the file.</li>
 * <li><b>Image folder</b>: JPEG/PNG/BMP/GIF files directly in the folder, or in {@code images/} without masks.
 * Not recursive.</li>
 * </ol>
 * Problems with single items (a list entry without its image, an entry escaping the root, an image without its mask)
 * are recorded in {@link SegmentationDataset#skipped()}; a dataset with no usable item is an error.
 */
public final class Datasets {

    /** Name of the metadata file of an images-and-masks or image-folder dataset. */
    public static final String METADATA_FILE = "dataset.json";

    /** The VOC split used when none is given. */
    public static final String DEFAULT_SPLIT = "val";

    /** Files next to images that are not data and are not reported (lists, notes). */
    private static final Set<String> NOT_DATA = Set.of("txt", "json", "md", "tsv", "csv", "xml", "db", "ini");

    private Datasets() {
    }

    /** {@link #open(Path, String)} with the default split. */
    public static SegmentationDataset open(Path root) throws IOException {
        return open(root, null);
    }

    /**
     * Opens the dataset at {@code root}, recognising its layout (see the class comment).
     *
     * @param split the VOC split ({@code val} when {@code null}); other layouts have no splits and ignore it
     * @throws IOException naming the folder and what was expected when nothing usable is found
     */
    public static SegmentationDataset open(Path root, String split) throws IOException {
        return open(DatasetFiles.LOCAL, root, split);
    }

    /**
     * Opens the dataset at {@code root} of the file system {@code files} by the same rules as
     * {@link #open(Path, String)}: on the local file system a {@link FileDataset}, on another one a
     * {@link RemoteDataset} that reads its items through {@code files}.
     *
     * @param root the dataset folder, an absolute path within {@code files}
     */
    public static SegmentationDataset open(DatasetFiles files, Path root, String split) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        if (!files.exists(dir)) {
            throw new NoSuchFileException(files.location(dir), null, "the dataset folder does not exist");
        }
        if (!files.isDirectory(dir)) {
            throw new IOException(files.location(dir)
                    + " is a file; give the dataset folder (a Pascal VOC folder, a folder with images/ and masks/, or a folder of images)");
        }
        Path voc = findVoc(files, dir);
        Listing l = voc != null ? openVoc(files, voc, split == null || split.isBlank() ? DEFAULT_SPLIT : split.trim())
                : openFolder(files, dir);
        FileDataset listed = new FileDataset(l.layout, l.root, l.split, l.name, l.samples, l.skipped, l.classes, l.encoding, l.hasMasks);
        return files == DatasetFiles.LOCAL ? listed : new RemoteDataset(files, listed);
    }

    /** What the listing rules found, for a {@link FileDataset} or a {@link RemoteDataset}. */
    private record Listing(FileDataset.Layout layout, Path root, String split, String name, List<Sample> samples,
            List<SkippedItem> skipped, ClassInfo classes, MaskEncoding encoding, boolean hasMasks) {
    }

    /**
     * True when {@code location} is a URI with a scheme (e.g. {@code hdfs://nn:8020/data/voc}, {@code s3a://bucket/voc},
     * {@code file:///data/voc}) rather than a local path: a scheme of two or more characters, a colon and a slash.
     */
    public static boolean isUri(String location) {
        return location != null && location.matches("[A-Za-z][A-Za-z0-9+.-]+:/.*");
    }

    /**
     * A generated dataset of {@code n} images: seeded noise or geometric patterns, for calibration or speed tests
     * when there is no data. It has no masks and says it is synthetic.
     */
    public static SegmentationDataset generated(int n, int width, int height, long seed, GeneratedDataset.Kind kind) {
        return new GeneratedDataset(n, width, height, seed, kind);
    }

    /**
     * Checks that a mask fits its image.
     *
     * @throws IOException naming the mask, both sizes and what to do
     */
    public static void checkPair(Sample sample, BufferedImage image, LabelMask mask) throws IOException {
        if (image.getWidth() != mask.width() || image.getHeight() != mask.height()) {
            throw new IOException((sample.mask() != null ? sample.mask() : sample.id()) + ": the mask is " + mask.width() + "x"
                    + mask.height() + " but its image " + (sample.image() != null ? sample.image().getFileName() : sample.id())
                    + " is " + image.getWidth() + "x" + image.getHeight() + "; masks must have the size of their image");
        }
    }

    private static boolean isVocRoot(DatasetFiles files, Path dir) {
        return files.isDirectory(dir.resolve("ImageSets/Segmentation")) && files.isDirectory(dir.resolve("JPEGImages"));
    }

    /** The VOC root at or below {@code dir} (dir, dir/VOC20xx, dir/VOCdevkit/VOC20xx), or null. */
    private static Path findVoc(DatasetFiles files, Path dir) throws IOException {
        if (isVocRoot(files, dir)) {
            return dir;
        }
        for (Path base : List.of(dir, dir.resolve("VOCdevkit"))) {
            if (!files.isDirectory(base)) {
                continue;
            }
            List<Path> found = files.list(base).stream()
                    .filter(p -> p.getFileName().toString().startsWith("VOC") && isVocRoot(files, p)).sorted().toList();
            if (found.size() == 1) {
                return found.get(0);
            }
            if (found.size() > 1) {
                throw new IOException(files.location(base) + " holds several VOC datasets ("
                        + found.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")) + "); give one of them");
            }
        }
        return null;
    }

    private static Listing openVoc(DatasetFiles files, Path root, String split) throws IOException {
        Path list = root.resolve("ImageSets/Segmentation").resolve(split + ".txt");
        if (split.contains("/") || split.contains("\\") || split.contains("..")) {
            throw new IOException("split '" + split + "' is not a plain name; give e.g. val or train");
        }
        if (!files.isFile(list)) {
            List<String> splits = files.list(root.resolve("ImageSets/Segmentation")).stream().map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".txt")).map(n -> n.substring(0, n.length() - 4)).sorted().toList();
            throw new NoSuchFileException(files.location(list), null, "no split '" + split + "'; available: "
                    + (splits.isEmpty() ? "none" : String.join(", ", splits)));
        }
        Path images = root.resolve("JPEGImages");
        Path masks = root.resolve("SegmentationClass");
        boolean withMasks = files.isDirectory(masks);
        List<Sample> samples = new ArrayList<>();
        List<SkippedItem> skipped = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int lineNo = 0;
        for (String line : lines(files.read(list))) {
            lineNo++;
            String id = line.strip();
            if (id.isEmpty() || id.startsWith("#")) {
                continue;
            }
            id = id.split("\\s+")[0];
            String where = list.getFileName() + " line " + lineNo;
            Path image;
            try {
                image = findImage(files, images, id);
            } catch (java.nio.file.InvalidPathException e) {
                skipped.add(new SkippedItem(org.int8workbench.core.Printable.of(id), list.toString(), where
                        + ": the entry is not a valid file name; list only image ids such as 2007_000033"));
                continue;
            }
            if (!inside(root, image) || id.contains("\\")) {
                skipped.add(new SkippedItem(id, list.toString(), where + ": the entry '" + id
                        + "' points outside the dataset folder; list only image ids such as 2007_000033"));
                continue;
            }
            if (!seen.add(id)) {
                skipped.add(new SkippedItem(id, list.toString(), where + ": duplicate entry; it is evaluated once"));
                continue;
            }
            if (!files.isFile(image)) {
                skipped.add(new SkippedItem(id, image.toString(), where + ": no image " + root.relativize(image)
                        + "; add the image or remove the entry"));
                continue;
            }
            Path mask = null;
            if (withMasks) {
                mask = masks.resolve(id + ".png").normalize();
                if (!files.isFile(mask)) {
                    skipped.add(new SkippedItem(id, mask.toString(), where + ": no mask " + root.relativize(mask)
                            + "; add the mask or remove the entry"));
                    continue;
                }
            }
            samples.add(new Sample(id, image, mask, samples.size()));
        }
        requireItems(files, root, samples, skipped);
        return new Listing(FileDataset.Layout.PASCAL_VOC, root, split, null, samples, skipped, ClassInfo.pascalVoc(),
                MaskEncoding.AUTO, withMasks);
    }

    private static Path findImage(DatasetFiles files, Path dir, String id) {
        Path jpg = dir.resolve(id + ".jpg").normalize();
        if (files.isFile(jpg)) {
            return jpg;
        }
        for (String ext : List.of("jpeg", "png", "JPG")) {
            Path p = dir.resolve(id + "." + ext).normalize();
            if (files.isFile(p)) {
                return p;
            }
        }
        return jpg;
    }

    private static boolean inside(Path root, Path p) {
        return p.normalize().startsWith(root);
    }

    private static Listing openFolder(DatasetFiles files, Path root) throws IOException {
        Path metaFile = root.resolve(METADATA_FILE);
        DatasetMetadata meta = files.isFile(metaFile) ? DatasetMetadata.read(files.read(metaFile), metaFile) : null;
        Path images = resolveSub(files, root, meta != null && meta.images() != null ? meta.images() : null, "images", metaFile);
        Path masks = null;
        if (meta != null && meta.masks() != null) {
            masks = resolveSub(files, root, meta.masks(), null, metaFile);
            if (masks == null) {
                throw new NoSuchFileException(org.int8workbench.core.Printable.of(root.resolve(meta.masks()).toString()), null,
                        "the masks folder named in " + metaFile + " does not exist");
            }
        } else if (images != null) {
            for (String n : List.of("masks", "SegmentationClass")) {
                if (files.isDirectory(root.resolve(n))) {
                    masks = root.resolve(n);
                    break;
                }
            }
        }
        Path imageDir = images != null ? images : root;
        List<SkippedItem> skipped = new ArrayList<>();
        Map<String, Path> imageFiles = listImages(files, imageDir, skipped);
        if (imageFiles.isEmpty() && skipped.isEmpty()) {
            throw new IOException("no images in " + files.location(root) + "; expected a Pascal VOC folder (ImageSets/Segmentation, JPEGImages, "
                    + "SegmentationClass), a folder with images/ and masks/ (and " + METADATA_FILE
                    + "), or a folder of JPEG/PNG images");
        }
        ClassInfo classes = meta != null ? meta.classInfo(metaFile) : null;
        MaskEncoding encoding = meta != null ? meta.encoding(metaFile) : MaskEncoding.AUTO;
        String name = meta != null ? meta.name() : null;
        List<Sample> samples = new ArrayList<>();
        if (masks == null) {
            for (Map.Entry<String, Path> e : imageFiles.entrySet()) {
                samples.add(new Sample(e.getKey(), e.getValue(), null, samples.size()));
            }
            requireItems(files, root, samples, skipped);
            return new Listing(FileDataset.Layout.IMAGE_FOLDER, root, null, name, samples, skipped,
                    classes != null ? classes : new ClassInfo(List.of(), List.of(), -1), encoding, false);
        }
        Map<String, Path> maskFiles = listImages(files, masks, new ArrayList<>());
        for (Map.Entry<String, Path> e : imageFiles.entrySet()) {
            Path m = maskFiles.get(e.getKey());
            if (m == null) {
                skipped.add(new SkippedItem(e.getKey(), e.getValue().toString(), "no mask " + root.relativize(masks)
                        + "/" + e.getKey() + ".png for this image; add the mask or move the image out of the dataset"));
                continue;
            }
            samples.add(new Sample(e.getKey(), e.getValue(), m, samples.size()));
        }
        for (Map.Entry<String, Path> e : maskFiles.entrySet()) {
            if (!imageFiles.containsKey(e.getKey())) {
                skipped.add(new SkippedItem(e.getKey(), e.getValue().toString(), "mask without an image in "
                        + root.relativize(imageDir) + "/; add the image or remove the mask"));
            }
        }
        requireItems(files, root, samples, skipped);
        if (classes == null) {
            Path first = samples.get(0).mask();
            if (masks.getFileName().toString().equals("SegmentationClass") || vocPalette(files, first)) {
                classes = ClassInfo.pascalVoc();
            } else if (encoding == MaskEncoding.AUTO && binaryMask(files, first)) {
                classes = ClassInfo.binary();
                encoding = MaskEncoding.BINARY;
            } else if (encoding == MaskEncoding.BINARY) {
                classes = ClassInfo.binary();
            } else {
                throw new IOException(files.location(root) + ": the masks' classes are unknown; add " + METADATA_FILE
                        + " with \"classes\" (names by index) or \"preset\": \"pascal-voc\" (or \"binary\" for 0/255 masks), and "
                        + "\"ignoreLabel\" if masks have one");
            }
        }
        return new Listing(FileDataset.Layout.IMAGES_AND_MASKS, root, null, name, samples, skipped, classes, encoding, true);
    }

    private static Path resolveSub(DatasetFiles files, Path root, String given, String fallback, Path metaFile) throws IOException {
        if (given != null) {
            Path p;
            try {
                p = root.resolve(given).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw new IOException(metaFile + ": folder '" + org.int8workbench.core.Printable.of(given)
                        + "' is not a valid file name; give a folder inside the dataset folder");
            }
            if (!p.startsWith(root)) {
                throw new IOException(metaFile + ": folder '" + org.int8workbench.core.Printable.of(given) + "' is outside the dataset folder; give a folder inside it");
            }
            return files.isDirectory(p) ? p : null;
        }
        if (fallback != null && files.isDirectory(root.resolve(fallback))) {
            return root.resolve(fallback);
        }
        return null;
    }

    /** Image files of a folder by base name, sorted; other files are recorded as skipped, notes and lists ignored. */
    private static Map<String, Path> listImages(DatasetFiles fs, Path dir, List<SkippedItem> skipped) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        List<Path> files = fs.list(dir).stream().filter(fs::isFile).sorted().toList();
        Map<String, Path> firstByName = new LinkedHashMap<>();
        for (Path f : files) {
            String fn = f.getFileName().toString();
            if (fn.startsWith(".") || fn.equals(METADATA_FILE)) {
                continue;
            }
            String ext = Images.extension(f);
            if (!Images.isImageFile(f)) {
                if (!NOT_DATA.contains(ext)) {
                    skipped.add(new SkippedItem(Images.baseName(f), f.toString(),
                            "not an image file type (expected " + String.join(", ", new java.util.TreeSet<>(Images.IMAGE_EXTENSIONS))
                                    + "); convert it or move it out of the dataset"));
                }
                continue;
            }
            String id = Images.baseName(f);
            Path prev = firstByName.putIfAbsent(id, f);
            if (prev != null) {
                skipped.add(new SkippedItem(id, f.toString(), "two files named " + id + " (" + prev.getFileName() + " is used); rename one"));
                continue;
            }
            out.put(id, f);
        }
        return out;
    }

    private static void requireItems(DatasetFiles files, Path root, List<Sample> samples, List<SkippedItem> skipped) throws IOException {
        if (samples.isEmpty()) {
            StringBuilder sb = new StringBuilder("the dataset at " + files.location(root) + " has no usable images");
            if (!skipped.isEmpty()) {
                sb.append(": ").append(skipped.size()).append(" items skipped, e.g. ").append(skipped.get(0).reason());
            }
            throw new IOException(sb.toString());
        }
    }

    /** True when the mask is a palette image whose first 21 colours are the VOC palette. */
    private static boolean vocPalette(DatasetFiles files, Path mask) {
        try {
            BufferedImage img = Images.decode(files.read(mask), mask.toString());
            if (!(img.getColorModel() instanceof IndexColorModel icm) || icm.getMapSize() < 21) {
                return false;
            }
            for (int i = 0; i < 21; i++) {
                if ((icm.getRGB(i) & 0xFFFFFF) != ClassInfo.vocColor(i)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the mask is a binary mask ({@link Images#binaryMask(Path)}). */
    private static boolean binaryMask(DatasetFiles files, Path mask) {
        try {
            return Images.binaryMask(files.read(mask), mask.toString());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The lines of a text file's bytes as {@link java.nio.file.Files#readAllLines(Path, java.nio.charset.Charset)} reads them in UTF-8:
     * malformed UTF-8 is an error, lines end at {@code \n}, {@code \r} or {@code \r\n}.
     */
    static List<String> lines(byte[] bytes) throws IOException {
        String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        return text.lines().toList();
    }
}
