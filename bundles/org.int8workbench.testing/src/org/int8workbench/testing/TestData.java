package org.int8workbench.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real data in {@code ../shared/data} beside the checkout (see its PROVENANCE.md). Tests that need it call
 * these methods: when the data is missing they fail under {@code CI=true} and are skipped otherwise.
 * {@code INT8WB_SHARED_DATA} overrides the location.
 */
public final class TestData {
    private TestData() {
    }

    /** The {@code shared/data} folder. */
    public static Path sharedData() {
        String env = System.getenv("INT8WB_SHARED_DATA");
        if (env != null && !env.isBlank()) {
            return require(Path.of(env));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data");
            if (Files.isRegularFile(candidate.resolve("PROVENANCE.md"))) {
                return candidate;
            }
        }
        return require(Path.of("../shared/data").toAbsolutePath().normalize());
    }

    private static Path require(Path dir) {
        if (!Files.isDirectory(dir)) {
            String msg = "real data not found at " + dir + " (expected ../shared/data beside the checkout, or set INT8WB_SHARED_DATA)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        return dir;
    }

    /** The VOC-trained DeepLabV3 MobileNetV2 257x257 ONNX model (input NCHW, (p-127.5)/127.5, 21 classes). */
    public static Path deeplabModel() {
        return sharedData().resolve("models/deeplabv3_mnv2_dm05_voc_257/deeplabv3_mnv2_dm05_voc_257.onnx");
    }

    /** 102 VOC 2012 val images with masks, VOCdevkit layout (split {@code val}). */
    public static Path vocVal() {
        return sharedData().resolve("voc2012-val");
    }

    /** 147 VOC photos for calibration, none in val. */
    public static Path calibrationPhotos() {
        return sharedData().resolve("calibration-photos");
    }

    /**
     * A real model from a public repository in {@code zoo/} (see PROVENANCE.md there): {@code twinlitenet_320.onnx},
     * {@code mediapipe_selfie_256_nhwc.onnx}, {@code pphumanseg_lite_portrait.onnx},
     * {@code pan_mnv3s_skin_clothes_hair_512.onnx}. Fails when the file is missing.
     */
    public static Path zooModel(String file) {
        Path p = sharedData().resolve("zoo").resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("zoo model missing: " + p + " (expected in ../shared/data/zoo)");
        }
        return p;
    }

    /** A fresh temporary folder under the build's target (kept for inspection). */
    public static Path scratch(String name) {
        try {
            Path dir = Path.of("target", "scratch", name).toAbsolutePath();
            Files.createDirectories(dir);
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
