package org.tandemcds.encode;

import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Frame;
import org.tandemcds.domain.ImageInstance;
import org.tandemcds.domain.ImagingStudy;

/**
 * The encode stage: the first frame of the study's first image instance through the image encoder
 * (as in training, {@code docs/models.md}), and every note through the text encoder. An encoder the
 * model does not need is absent, and its input is then not encoded.
 *
 * <p>Thread-safe (each encoder serialises its own calls).
 */
public final class EncodeStage {
  private final Optional<ImageEncoder> images;
  private final Optional<TextEncoder> text;

  public EncodeStage(Optional<ImageEncoder> images, Optional<TextEncoder> text) {
    this.images = images;
    this.text = text;
  }

  /**
   * The encodings of one case.
   *
   * @throws CdsException {@link ErrorCode#MODEL_FAILURE} when a network fails; {@link
   *     ErrorCode#NOTE_WITHOUT_TEXT} for a note without tokens
   */
  public Encodings encode(CaseInput input) {
    Optional<ImageFeatures> image =
        images.flatMap(
            encoder -> input.study().flatMap(EncodeStage::firstFrame).map(f -> first(encoder, f)));
    List<TokenFeatures> notes =
        text.map(encoder -> input.notes().stream().map(encoder::encode).toList()).orElse(List.of());
    return new Encodings(image, notes, input.mode());
  }

  private static ImageFeatures first(ImageEncoder encoder, Frame frame) {
    return encoder.encode(List.of(frame)).get(0);
  }

  private static Optional<Frame> firstFrame(ImagingStudy study) {
    return study.instances().stream()
        .map(ImageInstance::frames)
        .filter(f -> !f.isEmpty())
        .map(f -> f.get(0))
        .findFirst();
  }
}
