package org.tandemcds.parse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tandemcds.dicom.DecodedImage;
import org.tandemcds.domain.Frame;
import org.tandemcds.domain.ImageInstance;
import org.tandemcds.domain.ImageSeries;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.Patient;

/** Builds domain records from decoded images and groups them into studies and series. */
final class Instances {
  /** An instance with the study- and series-level attributes it was read with. */
  record Read(ImageInstance instance, Patient patient, StudyLevel study, SeriesLevel series) {}

  record StudyLevel(
      String studyInstanceUid, String accessionNumber, String date, String description) {}

  record SeriesLevel(int seriesNumber, String modality, String description) {}

  private static final Comparator<ImageInstance> INSTANCE_ORDER =
      Comparator.comparingInt(ImageInstance::instanceNumber)
          .thenComparing(ImageInstance::sopInstanceUid);
  private static final Comparator<ImageSeries> SERIES_ORDER =
      Comparator.comparingInt(ImageSeries::seriesNumber)
          .thenComparing(ImageSeries::seriesInstanceUid);

  private Instances() {}

  static Read read(DecodedImage d, List<Frame> frames) {
    ImageInstance instance =
        new ImageInstance(
            d.sopInstanceUid(),
            d.sopClassUid(),
            d.seriesInstanceUid(),
            integer(d.instanceNumber()),
            d.modality(),
            d.viewPosition(),
            d.bodyPartExamined(),
            d.pixels().photometricInterpretation(),
            d.pixels().bitsStored(),
            d.pixels().pixelRepresentation() == 1,
            d.transferSyntaxUid(),
            spacing(d.pixelSpacing()),
            frames,
            d.source());
    Patient patient =
        new Patient(
            d.patientId(),
            d.issuerOfPatientId(),
            d.patientName(),
            d.patientBirthDate(),
            d.patientSex());
    StudyLevel study =
        new StudyLevel(
            d.studyInstanceUid(), d.accessionNumber(), d.studyDate(), d.studyDescription());
    return new Read(
        instance,
        patient,
        study,
        new SeriesLevel(integer(d.seriesNumber()), d.modality(), d.seriesDescription()));
  }

  /** Groups by StudyInstanceUID (in order of first appearance), then SeriesInstanceUID. */
  static List<ImagingStudy> studies(List<Read> reads) {
    Map<String, List<Read>> byStudy = new LinkedHashMap<>();
    for (Read read : reads) {
      byStudy.computeIfAbsent(read.study().studyInstanceUid(), k -> new ArrayList<>()).add(read);
    }
    return byStudy.values().stream().map(Instances::study).toList();
  }

  private static ImagingStudy study(List<Read> reads) {
    Map<String, List<Read>> bySeries = new LinkedHashMap<>();
    for (Read read : reads) {
      bySeries
          .computeIfAbsent(read.instance().seriesInstanceUid(), k -> new ArrayList<>())
          .add(read);
    }
    List<ImageSeries> series =
        bySeries.values().stream().map(Instances::series).sorted(SERIES_ORDER).toList();
    Read first = reads.get(0);
    StudyLevel s = first.study();
    return new ImagingStudy(
        first.patient(),
        s.studyInstanceUid(),
        s.accessionNumber(),
        s.date(),
        s.description(),
        series);
  }

  private static ImageSeries series(List<Read> reads) {
    SeriesLevel s = reads.get(0).series();
    List<ImageInstance> instances =
        reads.stream().map(Read::instance).sorted(INSTANCE_ORDER).toList();
    return new ImageSeries(
        instances.get(0).seriesInstanceUid(),
        s.seriesNumber(),
        s.modality(),
        s.description(),
        instances);
  }

  /** An IS value as an int; 0 when absent or not a number. */
  static int integer(String value) {
    try {
      return value.isBlank() ? 0 : (int) Math.round(Double.parseDouble(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** "row\\column" spacing in mm; [0, 0] when absent or malformed. */
  static double[] spacing(String value) {
    String[] parts = value.split("\\\\");
    try {
      if (parts.length == 2) {
        return new double[] {
          Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())
        };
      }
    } catch (NumberFormatException e) {
      return new double[] {0, 0};
    }
    return new double[] {0, 0};
  }
}
