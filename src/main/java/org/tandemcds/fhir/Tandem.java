package org.tandemcds.fhir;

/** Tandem's canonical URLs: profiles, extensions, value sets and identifier systems. */
public final class Tandem {
  /** Canonical base of every Tandem conformance resource. */
  public static final String BASE = "http://tandemcds.org/fhir";

  static final String SD = BASE + "/StructureDefinition/";
  static final String REPORT_PROFILE = SD + "tandem-diagnostic-report";
  static final String FINDING_PROFILE = SD + "tandem-finding-observation";
  static final String MEDIA_PROFILE = SD + "tandem-saliency-media";
  static final String DEVICE_PROFILE = SD + "tandem-model-device";
  static final String PROVENANCE_PROFILE = SD + "tandem-provenance";
  static final String EXT_CONTRIBUTION = SD + "modality-contribution";
  static final String EXT_EVIDENCE = SD + "note-evidence";
  static final String EXT_MODEL_CARD = SD + "model-card";
  static final String EXT_SOURCE_INSTANCE = SD + "source-instance";
  static final String EXT_RUN_ID = SD + "analysis-run";
  static final String RUN_SYSTEM = BASE + "/sid/analysis-run";
  static final String SHA256_SYSTEM = BASE + "/sid/sha256";

  private Tandem() {}
}
