package org.tandemcds.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes small DICOM test images with PixelMed (test code may use the library it tests). */
public final class TestImages {
  public static final String CR = "1.2.840.10008.5.1.4.1.1.1";
  public static final String BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11";

  private final AttributeList list = new AttributeList();
  private short[] words;
  private byte[] bytes;
  private String syntax = "1.2.840.10008.1.2.1";
  private byte[][] fragments;

  private TestImages() {}

  /** A MONOCHROME2 CR image, unsigned, 16 bits allocated and stored, with the given values. */
  public static TestImages cr(int rows, int columns, short[] values) throws Exception {
    TestImages t = new TestImages();
    t.text(TagFromName.SOPClassUID, CR, true);
    t.text(TagFromName.SOPInstanceUID, "1.2.3.4." + System.nanoTime(), true);
    t.text(TagFromName.StudyInstanceUID, "1.2.3.100", true);
    t.text(TagFromName.SeriesInstanceUID, "1.2.3.100.1", true);
    t.text(TagFromName.Modality, "CR", false);
    t.us(TagFromName.Rows, rows)
        .us(TagFromName.Columns, columns)
        .us(TagFromName.SamplesPerPixel, 1);
    t.text(TagFromName.PhotometricInterpretation, "MONOCHROME2", false);
    t.bits(16, 16, 15, 0);
    t.words = values;
    return t;
  }

  public TestImages bits(int allocated, int stored, int high, int representation) throws Exception {
    return us(TagFromName.BitsAllocated, allocated)
        .us(TagFromName.BitsStored, stored)
        .us(TagFromName.HighBit, high)
        .us(TagFromName.PixelRepresentation, representation);
  }

  public TestImages bytes(byte[] values) throws Exception {
    this.bytes = values;
    this.words = null;
    return bits(8, 8, 7, 0);
  }

  public TestImages photometric(String value) throws Exception {
    return text(TagFromName.PhotometricInterpretation, value, false);
  }

  public TestImages sopClass(String uid) throws Exception {
    return text(TagFromName.SOPClassUID, uid, true);
  }

  public TestImages frames(int n) throws Exception {
    Attribute a = new IntegerStringAttribute(TagFromName.NumberOfFrames);
    a.addValue(n);
    list.put(a);
    return this;
  }

  public TestImages rescale(double slope, double intercept) throws Exception {
    return ds(TagFromName.RescaleSlope, slope).ds(TagFromName.RescaleIntercept, intercept);
  }

  public TestImages window(double centre, double width, String function) throws Exception {
    ds(TagFromName.WindowCenter, centre).ds(TagFromName.WindowWidth, width);
    return function == null ? this : text(TagFromName.VOILUTFunction, function, false);
  }

  /** A VOI LUT Sequence with one item. */
  public TestImages voiLut(int entries, int firstMapped, int bits, short[] data) throws Exception {
    AttributeList item = new AttributeList();
    Attribute descriptor = new UnsignedShortAttribute(TagFromName.LUTDescriptor);
    descriptor.addValue(entries);
    descriptor.addValue(firstMapped);
    descriptor.addValue(bits);
    item.put(descriptor);
    Attribute lut = new OtherWordAttribute(TagFromName.LUTData);
    lut.setValues(data);
    item.put(lut);
    SequenceAttribute sequence = new SequenceAttribute(TagFromName.VOILUTSequence);
    sequence.addItem(item);
    list.put(sequence);
    return this;
  }

  public TestImages withoutPixelData() {
    words = null;
    bytes = null;
    return this;
  }

  /**
   * Encapsulated PixelData in the given transfer syntax: an empty Basic Offset Table, then one item
   * per fragment, written as given (nothing is compressed here).
   */
  public TestImages encapsulated(String transferSyntaxUid, byte[]... values) {
    syntax = transferSyntaxUid;
    fragments = values;
    words = null;
    bytes = null;
    return this;
  }

  /**
   * Writes the object in Explicit VR Little Endian (or the encapsulated syntax given) with file
   * meta information.
   */
  public Path write(Path file) throws Exception {
    if (words != null) {
      Attribute pixels = new OtherWordAttribute(TagFromName.PixelData);
      pixels.setValues(words);
      list.put(pixels);
    } else if (bytes != null) {
      Attribute pixels = new OtherByteAttribute(TagFromName.PixelData);
      pixels.setValues(bytes);
      list.put(pixels);
    }
    FileMetaInformation.addFileMetaInformation(list, syntax, "TANDEMTEST");
    list.write(file.toFile(), syntax, true, true);
    if (fragments != null) {
      Files.write(file, encapsulatedPixelData(fragments), StandardOpenOption.APPEND);
    }
    return file;
  }

  private static byte[] encapsulatedPixelData(byte[][] fragments) {
    int size = 12 + 8 + 8;
    for (byte[] f : fragments) {
      size += 8 + f.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 0x7FE0)
        .putShort((short) 0x0010)
        .put("OB".getBytes(StandardCharsets.US_ASCII));
    b.putShort((short) 0).putInt(-1);
    b.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(0);
    for (byte[] f : fragments) {
      b.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(f.length).put(f);
    }
    b.putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0);
    return b.array();
  }

  private TestImages us(AttributeTag tag, int value) throws Exception {
    Attribute a = new UnsignedShortAttribute(tag);
    a.addValue(value);
    list.put(a);
    return this;
  }

  private TestImages ds(AttributeTag tag, double value) throws Exception {
    Attribute a = new DecimalStringAttribute(tag);
    a.addValue(value);
    list.put(a);
    return this;
  }

  private TestImages text(AttributeTag tag, String value, boolean uid) throws Exception {
    Attribute a = uid ? new UniqueIdentifierAttribute(tag) : new CodeStringAttribute(tag);
    a.addValue(value);
    list.put(a);
    return this;
  }
}
