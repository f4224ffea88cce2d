package org.int8workbench.core.dataset;

/**
 * A dataset item that was left out, and why. Readers record problems they find while listing (a list entry
 * without its image, an entry that escapes the dataset root, a mask without an image); operations add the
 * items that fail while being read (corrupt file, mask of another size, label outside the label set). Reports
 * list them all, so nothing is dropped silently.
 *
 * @param id the item's id (file name without extension, or the list entry)
 * @param file the file concerned, as a string (may be empty when there is none)
 * @param reason what is wrong and what to do about it
 */
public record SkippedItem(String id, String file, String reason) {
}
