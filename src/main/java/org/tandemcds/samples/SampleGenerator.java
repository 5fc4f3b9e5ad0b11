package org.tandemcds.samples;

import java.util.Locale;
import java.util.Optional;

/**
 * Generates study {@code index} of a seeded set: latent truth, rendered image and note. The result
 * depends on (options, index) only. Thread-safe.
 */
public final class SampleGenerator {
  /**
   * Generator version, written into every manifest ({@code generator.version}). 2: pertinent
   * negatives carry information (ADR 0021). Manifests without the field are version 1.
   */
  public static final int VERSION = 2;

  private final LatentSampler sampler;
  private final ChestRenderer renderer = new ChestRenderer();
  private final NoteComposer composer = new NoteComposer();
  private final SampleOptions options;

  public SampleGenerator(SampleOptions options) {
    this.options = options;
    this.sampler = new LatentSampler(options);
  }

  public SampleStudy generate(int index) {
    LatentCase c = sampler.sample(index);
    long seed = options.seed();
    Rng rng = new Rng(seed, index, "study");
    int day = rng.between(0, 700);
    java.time.LocalDate date = java.time.LocalDate.of(2023, 1, 1).plusDays(day);
    String time =
        String.format(
            Locale.ROOT,
            "%02d%02d%02d",
            rng.between(7, 22),
            rng.between(0, 59),
            rng.between(0, 59));
    String accession = String.format(Locale.ROOT, "ACC%08d", rng.between(0, 99_999_999));
    Optional<RenderedImage> image =
        c.mode().hasImage() ? Optional.of(renderer.render(c)) : Optional.empty();
    Optional<SampleNote> note =
        c.mode().hasNote() ? Optional.of(composer.compose(c)) : Optional.empty();
    return new SampleStudy(
        String.format(Locale.ROOT, "study-%06d", index),
        c,
        SampleUids.uid(seed, index, "study"),
        SampleUids.uid(seed, index, "series"),
        SampleUids.uid(seed, index, "sop"),
        accession,
        date.toString().replace("-", ""),
        time,
        image,
        note);
  }

  /** The image of study {@code index} rendered without any finding (same anatomy and noise). */
  public RenderedImage renderWithoutFindings(int index) {
    return renderer.render(sampler.sample(index).withoutFindings());
  }

  /**
   * The DICOM description of the study's image rendered without findings ({@link
   * #renderWithoutFindings}): same study, series and acquisition, its own SOP Instance UID; empty
   * when the study has no image or no finding present (the image would be the same).
   */
  public Optional<DicomImageSpec> dicomSpecWithoutFindings(SampleStudy s) {
    LatentCase c = s.latent();
    if (s.image().isEmpty() || java.util.Arrays.stream(Finding.values()).noneMatch(c::has)) {
      return Optional.empty();
    }
    SampleStudy clear =
        new SampleStudy(
            s.id(),
            c,
            s.studyInstanceUid(),
            s.seriesInstanceUid(),
            SampleUids.uid(options.seed(), c.index(), "sop-without-findings"),
            s.accessionNumber(),
            s.studyDate(),
            s.studyTime(),
            Optional.of(renderer.render(c.withoutFindings())),
            s.note());
    return Optional.of(dicomSpec(clear));
  }

  /** The DICOM description of a generated study's image. */
  public static DicomImageSpec dicomSpec(SampleStudy s) {
    return DicomAttributes.spec(s, s.image().orElseThrow());
  }
}
