package org.tandemcds.domain;

/**
 * A saliency map rendered over its image: the image in grey, the map in a colour-blind-safe colour
 * map with a colour bar, as PNG.
 *
 * @param png the encoded image
 * @param rows height in pixels
 * @param columns width in pixels
 * @param sopInstanceUid the image instance it was rendered over
 */
public record Overlay(byte[] png, int rows, int columns, String sopInstanceUid) {}
