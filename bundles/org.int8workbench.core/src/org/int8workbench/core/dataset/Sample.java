package org.int8workbench.core.dataset;

import java.nio.file.Path;

/**
 * One item of a dataset.
 *
 * @param id stable name shown in reports (e.g. the VOC image id {@code 2007_000033})
 * @param image image file, or {@code null} for generated images
 * @param mask ground-truth mask file, or {@code null} when the item has none
 * @param index position in the dataset (for generated images, the seed offset)
 */
public record Sample(String id, Path image, Path mask, int index) {
}
