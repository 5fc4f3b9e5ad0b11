package org.tandemcds.encode;

import org.tandemcds.domain.Frame;

/** A frame letterboxed to the network's square input, and where the original sits in it. */
public record LetterboxedImage(Frame image, LetterboxGeometry geometry) {}
