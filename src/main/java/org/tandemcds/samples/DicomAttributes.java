package org.tandemcds.samples;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Builds the DICOM attributes of a study's CR or DX image (CR / DX IOD modules). */
final class DicomAttributes {
  private DicomAttributes() {}

  static DicomImageSpec spec(SampleStudy s, RenderedImage im) {
    Acquisition a = s.latent().acquisition();
    Map<String, String> m = new LinkedHashMap<>();
    patientAndStudy(m, s);
    boolean dx = a.modality().equals("DX");
    m.put("Modality", a.modality());
    m.put("SeriesInstanceUID", s.seriesInstanceUid());
    m.put("SeriesNumber", "1");
    m.put("SeriesDescription", "CHEST " + a.viewPosition());
    m.put("BodyPartExamined", "CHEST");
    m.put("ViewPosition", a.viewPosition());
    m.put("Manufacturer", a.manufacturer());
    m.put("ManufacturerModelName", a.modelName());
    m.put("InstitutionName", "Tandem Synthetic Hospital " + a.manufacturer().charAt(0));
    m.put("InstanceNumber", "1");
    m.put("PatientOrientation", "L\\F");
    m.put("ImageLaterality", "U");
    m.put("ContentDate", s.studyDate());
    m.put("ContentTime", s.studyTime());
    m.put("AcquisitionDate", s.studyDate());
    m.put("AcquisitionTime", s.studyTime());
    m.put("BurnedInAnnotation", "NO");
    m.put("LossyImageCompression", "00");
    m.put("KVP", fmt(a.kvp()));
    m.put("ExposureInuAs", Integer.toString((int) Math.round(a.exposureMas() * 1000)));
    m.put("ImagerPixelSpacing", fmt(a.pixelSpacingMm()) + "\\" + fmt(a.pixelSpacingMm()));
    m.put("RescaleIntercept", "0");
    m.put("RescaleSlope", "1");
    m.put("RescaleType", "US");
    m.put("WindowCenter", fmt(im.windowCenter()));
    m.put("WindowWidth", fmt(im.windowWidth()));
    if (dx) {
      dxModules(m, a);
    } else {
      m.put("ImageType", "ORIGINAL\\PRIMARY");
    }
    return new DicomImageSpec(
        a.sopClassUid(),
        s.sopInstanceUid(),
        a.transferSyntaxUid(),
        im.rows(),
        im.columns(),
        a.bitsStored(),
        a.photometricInterpretation(),
        im.pixels(),
        m);
  }

  private static void patientAndStudy(Map<String, String> m, SampleStudy s) {
    SamplePatient p = s.latent().patient();
    m.put("PatientName", p.family() + "^" + p.given());
    m.put("PatientID", p.id());
    m.put("IssuerOfPatientID", p.issuer());
    m.put(
        "IssuerOfPatientIDQualifiersSequence/UniversalEntityID",
        p.identifierSystem().substring("urn:oid:".length()));
    m.put("IssuerOfPatientIDQualifiersSequence/UniversalEntityIDType", "ISO");
    m.put("PatientBirthDate", p.birthDate());
    m.put("PatientSex", p.sex());
    m.put("StudyInstanceUID", s.studyInstanceUid());
    m.put("StudyDate", s.studyDate());
    m.put("StudyTime", s.studyTime());
    m.put("StudyID", s.id().replaceAll("[^0-9]", ""));
    m.put("AccessionNumber", s.accessionNumber());
    m.put("ReferringPhysicianName", "");
    m.put("StudyDescription", "XR CHEST " + s.latent().acquisition().viewPosition());
  }

  private static void dxModules(Map<String, String> m, Acquisition a) {
    boolean presentation = a.presentationIntent().equals("FOR PRESENTATION");
    boolean mono1 = a.photometricInterpretation().equals("MONOCHROME1");
    m.put("ImageType", "ORIGINAL\\PRIMARY");
    m.put("PresentationIntentType", a.presentationIntent());
    m.put("PixelIntensityRelationship", "LOG");
    m.put("PixelIntensityRelationshipSign", mono1 ? "1" : "-1");
    m.put("PresentationLUTShape", mono1 ? "INVERSE" : "IDENTITY");
    m.put("DetectorType", "SCINTILLATOR");
    m.put("PositionerType", "");
    m.put("AnatomicRegionSequence/CodeValue", "51185008");
    m.put("AnatomicRegionSequence/CodingSchemeDesignator", "SCT");
    m.put("AnatomicRegionSequence/CodeMeaning", "Chest");
    m.put("AcquisitionContextSequence", "");
    viewCode(m, a.viewPosition());
    if (!presentation) {
      m.remove("WindowCenter");
      m.remove("WindowWidth");
    }
  }

  /** ViewCodeSequence from DICOM CID 4010 (SNOMED CT): PA 272479007, AP 399348003. */
  private static void viewCode(Map<String, String> m, String viewPosition) {
    boolean ap = viewPosition.equals("AP");
    m.put("ViewCodeSequence/CodeValue", ap ? "399348003" : "272479007");
    m.put("ViewCodeSequence/CodingSchemeDesignator", "SCT");
    m.put("ViewCodeSequence/CodeMeaning", ap ? "antero-posterior" : "postero-anterior");
  }

  static String fmt(double v) {
    String s = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
