package org.tandemcds.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * The modules every Tandem result object shares: Patient and General Study copied from the analysed
 * instance, the new series, General Equipment, the Contributing Equipment item that names the model
 * (IHE AIR), SOP Common; and writing the Part 10 file ({@code .part}, then rename).
 */
final class ResultAttributes {
  static final String AI_LABEL =
      "AI-generated suggestion, requires clinician review. Not for diagnosis.";
  private static final String SOURCE_AE = "TANDEM";
  private static final AttributeTag[] PATIENT_AND_STUDY = {
    TagFromName.SpecificCharacterSet,
    TagFromName.PatientName,
    TagFromName.PatientID,
    TagFromName.IssuerOfPatientID,
    TagFromName.IssuerOfPatientIDQualifiersSequence,
    TagFromName.PatientBirthDate,
    TagFromName.PatientSex,
    TagFromName.StudyInstanceUID,
    TagFromName.StudyDate,
    TagFromName.StudyTime,
    TagFromName.ReferringPhysicianName,
    TagFromName.StudyID,
    TagFromName.AccessionNumber,
    TagFromName.StudyDescription
  };
  private static final AttributeTag[] TYPE_2 = {
    TagFromName.PatientName,
    TagFromName.PatientID,
    TagFromName.PatientBirthDate,
    TagFromName.PatientSex,
    TagFromName.StudyDate,
    TagFromName.StudyTime,
    TagFromName.ReferringPhysicianName,
    TagFromName.StudyID,
    TagFromName.AccessionNumber
  };

  /** (0018,A002) Contribution DateTime, not in PixelMed 20220618's dictionary. */
  private static final AttributeTag CONTRIBUTION_DATE_TIME = new AttributeTag(0x0018, 0xA002);

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");

  private ResultAttributes() {}

  /**
   * Patient, General Study, the series, General Equipment, SOP Common and Contributing Equipment.
   */
  static AttributeList common(
      ResultSource source,
      ResultSeries series,
      ModelIdentity model,
      String modality,
      String sopClassUid,
      int instanceNumber)
      throws DicomException {
    AttributeList list = new AttributeList();
    for (AttributeTag tag : PATIENT_AND_STUDY) {
      Attribute a = source.header().get(tag);
      if (a != null) {
        list.put(a);
      }
    }
    for (AttributeTag tag : TYPE_2) {
      if (list.get(tag) == null) {
        list.put(AttributeFactory.newAttribute(tag));
      }
    }
    put(list, TagFromName.Modality, modality);
    put(list, TagFromName.SeriesInstanceUID, series.seriesInstanceUid());
    put(list, TagFromName.SeriesNumber, Integer.toString(series.seriesNumber()));
    put(list, TagFromName.SeriesDescription, series.description());
    put(list, TagFromName.SeriesDate, series.created().format(DATE));
    put(list, TagFromName.SeriesTime, series.created().format(TIME));
    put(list, TagFromName.InstanceNumber, Integer.toString(instanceNumber));
    put(list, TagFromName.ContentDate, series.created().format(DATE));
    put(list, TagFromName.ContentTime, series.created().format(TIME));
    put(list, TagFromName.InstanceCreationDate, series.created().format(DATE));
    put(list, TagFromName.InstanceCreationTime, series.created().format(TIME));
    put(list, TagFromName.Manufacturer, model.manufacturer());
    put(list, TagFromName.ManufacturerModelName, model.modelName());
    put(list, TagFromName.SoftwareVersions, model.softwareVersions());
    put(list, TagFromName.SOPClassUID, sopClassUid);
    put(list, TagFromName.SOPInstanceUID, Uids.random());
    list.put(contributingEquipment(model, series.created()));
    return list;
  }

  /**
   * Contributing Equipment Sequence with one item for the model: purpose "Processing Algorithm"
   * (IHE AIR's code, 99IHE Newcode1, until DICOM assigns one), manufacturer, model name, software
   * version and the model's Device UID.
   */
  static SequenceAttribute contributingEquipment(ModelIdentity model, ZonedDateTime when)
      throws DicomException {
    AttributeList item = new AttributeList();
    item.put(
        sequence(
            TagFromName.PurposeOfReferenceCodeSequence,
            code("Newcode1", "99IHE", "Processing Algorithm")));
    put(item, TagFromName.Manufacturer, model.manufacturer());
    put(item, TagFromName.ManufacturerModelName, model.modelName());
    put(item, TagFromName.SoftwareVersions, model.softwareVersions());
    put(item, TagFromName.DeviceUID, model.deviceUid());
    com.pixelmed.dicom.DateTimeAttribute contributed =
        new com.pixelmed.dicom.DateTimeAttribute(CONTRIBUTION_DATE_TIME);
    contributed.addValue(when.format(DATE_TIME));
    item.put(contributed);
    put(item, TagFromName.ContributionDescription, "AI suggestion: " + model.modelName());
    SequenceAttribute sequence = new SequenceAttribute(TagFromName.ContributingEquipmentSequence);
    sequence.addItem(item);
    return sequence;
  }

  static CodedSequenceItem code(String value, String scheme, String meaning) throws DicomException {
    return new CodedSequenceItem(value, scheme, meaning);
  }

  static SequenceAttribute sequence(AttributeTag tag, CodedSequenceItem... items) {
    SequenceAttribute sequence = new SequenceAttribute(tag);
    for (CodedSequenceItem item : items) {
      sequence.addItem(item.getAttributeList());
    }
    return sequence;
  }

  /** A sequence with one item per list. */
  static SequenceAttribute sequence(AttributeTag tag, AttributeList... items) {
    SequenceAttribute sequence = new SequenceAttribute(tag);
    for (AttributeList item : items) {
      sequence.addItem(item);
    }
    return sequence;
  }

  /** A reference to an instance: ReferencedSOPClassUID and ReferencedSOPInstanceUID. */
  static AttributeList reference(ResultSource source) throws DicomException {
    AttributeList item = new AttributeList();
    put(item, TagFromName.ReferencedSOPClassUID, source.sopClassUid());
    put(item, TagFromName.ReferencedSOPInstanceUID, source.sopInstanceUid());
    return item;
  }

  static void put(AttributeList list, AttributeTag tag, String... values) throws DicomException {
    Attribute a = AttributeFactory.newAttribute(tag);
    for (String value : values) {
      a.addValue(value);
    }
    list.put(a);
  }

  /** Writes explicit VR little endian with File Meta Information to {@code file}. */
  static Path write(AttributeList list, Path file) {
    Path part = file.resolveSibling(file.getFileName() + ".part");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      FileMetaInformation.addFileMetaInformation(
          list, TransferSyntax.ExplicitVRLittleEndian, SOURCE_AE);
      list.write(part.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
      Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException | DicomException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  static String sopInstanceUid(AttributeList list) {
    return Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
  }
}
