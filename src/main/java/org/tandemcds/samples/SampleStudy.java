package org.tandemcds.samples;

import java.util.Optional;

/**
 * One generated study, library-free: the latent truth, the image (absent for note-only), the note
 * (absent for image-only) and the identifiers both share.
 */
public record SampleStudy(
    String id,
    LatentCase latent,
    String studyInstanceUid,
    String seriesInstanceUid,
    String sopInstanceUid,
    String accessionNumber,
    String studyDate,
    String studyTime,
    Optional<RenderedImage> image,
    Optional<SampleNote> note) {

  /** What the FHIR Bundle writer needs. */
  public BundleSpec bundleSpec() {
    return new BundleSpec(
        id,
        latent.patient(),
        accessionNumber,
        studyInstanceUid,
        seriesInstanceUid,
        sopInstanceUid,
        latent.acquisition().modality(),
        latent.acquisition().viewPosition(),
        studyDate,
        studyTime,
        image.isPresent(),
        note);
  }

  /** A library-free description of the study's FHIR R4 Bundle. */
  public record BundleSpec(
      String id,
      SamplePatient patient,
      String accessionNumber,
      String studyInstanceUid,
      String seriesInstanceUid,
      String sopInstanceUid,
      String modality,
      String viewPosition,
      String studyDate,
      String studyTime,
      boolean hasImage,
      Optional<SampleNote> note) {}
}
