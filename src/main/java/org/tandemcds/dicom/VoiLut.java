package org.tandemcds.dicom;

/**
 * The first item of a VOI LUT Sequence (PS3.3 C.11.2): LUT Descriptor and LUT Data.
 *
 * @param entries number of entries (a descriptor value of 0 means 65536)
 * @param firstMapped first input value mapped, as the 16 stored bits (interpretation as signed or
 *     unsigned is the caller's, see PS3.3 C.11.2.1.1)
 * @param bitsPerEntry bits per LUT Data entry (8 to 16)
 * @param data the LUT Data, each entry as an unsigned value
 */
public record VoiLut(int entries, int firstMapped, int bitsPerEntry, int[] data) {}
