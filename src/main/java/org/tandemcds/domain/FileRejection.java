package org.tandemcds.domain;

/**
 * A file of an input that was not used, and why.
 *
 * @param file the file as found (path)
 * @param code the coded reason
 * @param detail the reason in words (never a patient identifier)
 */
public record FileRejection(String file, ErrorCode code, String detail) {}
