package org.tandemcds.dicom;

import java.nio.file.Path;

/**
 * What a destination said about one object sent with C-STORE.
 *
 * @param file the object's file
 * @param stored true when the C-STORE-RSP status was success or a warning
 */
public record SendOutcome(Path file, boolean stored) {}
