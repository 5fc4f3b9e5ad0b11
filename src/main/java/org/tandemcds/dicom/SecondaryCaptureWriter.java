package org.tandemcds.dicom;

import static org.tandemcds.dicom.ResultAttributes.code;
import static org.tandemcds.dicom.ResultAttributes.put;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Overlay;

/**
 * Writes a saliency {@link Overlay} as a DICOM Secondary Capture Image (RGB, 8 bits) into the
 * analysed study: ImageType DERIVED\SECONDARY, Source Image Sequence pointing at the analysed
 * image, Burned In Annotation YES, a new series described as an AI suggestion not for diagnosis,
 * and the model in the Contributing Equipment Sequence. Stateless; thread-safe.
 *
 * <p>Errors: {@code INVALID_ARGUMENT} when the overlay was rendered over another instance or its
 * PNG does not decode to its stated size; {@code IO_FAILURE} when the file cannot be written.
 */
public final class SecondaryCaptureWriter {
  static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

  /** Writes {@code <folder>/<SOPInstanceUID>.dcm} and returns its path. */
  public Path write(
      Overlay overlay,
      ResultSource source,
      ModelIdentity model,
      ResultSeries series,
      int instanceNumber,
      Path folder) {
    if (!overlay.sopInstanceUid().equals(source.sopInstanceUid())) {
      throw new CdsException(
          ErrorCode.INVALID_ARGUMENT, "overlay was rendered over another instance than its source");
    }
    try {
      AttributeList list =
          ResultAttributes.common(source, series, model, "OT", SECONDARY_CAPTURE, instanceNumber);
      generalImage(list, source, model);
      pixels(list, decode(overlay));
      return ResultAttributes.write(
          list, folder.resolve(ResultAttributes.sopInstanceUid(list) + ".dcm"));
    } catch (DicomException e) {
      throw new CdsException(ErrorCode.INTERNAL, "secondary capture attributes: " + e, e);
    }
  }

  private static void generalImage(AttributeList list, ResultSource source, ModelIdentity model)
      throws DicomException {
    put(list, TagFromName.ConversionType, "WSD");
    put(list, TagFromName.Laterality);
    put(list, TagFromName.ImageType, "DERIVED", "SECONDARY");
    put(list, TagFromName.PatientOrientation);
    put(list, TagFromName.BurnedInAnnotation, "YES");
    put(list, TagFromName.LossyImageCompression, "00");
    put(
        list,
        TagFromName.DerivationDescription,
        "Saliency map of " + model.modelName() + " " + model.version() + " over the source image");
    put(list, TagFromName.ImageComments, ResultAttributes.AI_LABEL);
    AttributeList reference = ResultAttributes.reference(source);
    reference.put(
        ResultAttributes.sequence(
            TagFromName.PurposeOfReferenceCodeSequence,
            code("121322", "DCM", "Source image for image processing operation")));
    SequenceAttribute sourceImages =
        ResultAttributes.sequence(TagFromName.SourceImageSequence, reference);
    list.put(sourceImages);
  }

  private static void pixels(AttributeList list, BufferedImage image) throws DicomException {
    int rows = image.getHeight();
    int columns = image.getWidth();
    put(list, TagFromName.Rows, Integer.toString(rows));
    put(list, TagFromName.Columns, Integer.toString(columns));
    put(list, TagFromName.SamplesPerPixel, "3");
    put(list, TagFromName.PhotometricInterpretation, "RGB");
    put(list, TagFromName.PlanarConfiguration, "0");
    put(list, TagFromName.BitsAllocated, "8");
    put(list, TagFromName.BitsStored, "8");
    put(list, TagFromName.HighBit, "7");
    put(list, TagFromName.PixelRepresentation, "0");
    OtherByteAttribute pixelData = new OtherByteAttribute(TagFromName.PixelData);
    pixelData.setValues(rgb(image));
    list.put(pixelData);
  }

  /** Interleaved R, G, B bytes, row by row, padded to an even length. */
  static byte[] rgb(BufferedImage image) {
    int rows = image.getHeight();
    int columns = image.getWidth();
    int length = rows * columns * 3;
    byte[] bytes = new byte[length + (length & 1)];
    int[] row = new int[columns];
    for (int y = 0; y < rows; y++) {
      image.getRGB(0, y, columns, 1, row, 0, columns);
      for (int x = 0; x < columns; x++) {
        int i = (y * columns + x) * 3;
        bytes[i] = (byte) (row[x] >> 16);
        bytes[i + 1] = (byte) (row[x] >> 8);
        bytes[i + 2] = (byte) row[x];
      }
    }
    return bytes;
  }

  private static BufferedImage decode(Overlay overlay) {
    BufferedImage image;
    try {
      image = org.tandemcds.dicom.Png.read(new ByteArrayInputStream(overlay.png()));
    } catch (IOException e) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "overlay PNG does not decode: " + e, e);
    }
    if (image == null
        || image.getHeight() != overlay.rows()
        || image.getWidth() != overlay.columns()) {
      throw new CdsException(
          ErrorCode.INVALID_ARGUMENT,
          "overlay PNG is not a " + overlay.rows() + "x" + overlay.columns() + " image");
    }
    return image;
  }
}
