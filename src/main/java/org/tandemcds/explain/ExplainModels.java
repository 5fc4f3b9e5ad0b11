package org.tandemcds.explain;

import ai.djl.Device;
import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.Frame;
import org.tandemcds.domain.Prediction;
import org.tandemcds.encode.Encodings;
import org.tandemcds.encode.ImageEncoder;
import org.tandemcds.encode.ImageFeatures;
import org.tandemcds.encode.TextEncoder;
import org.tandemcds.encode.TokenFeatures;
import org.tandemcds.fuse.FusionStage;
import org.tandemcds.model.CaseModel;
import org.tandemcds.model.Devices;
import org.tandemcds.model.FusionModel;
import org.tandemcds.model.ImageModel;
import org.tandemcds.model.PretrainedTextModel;
import org.tandemcds.model.VerifiedModel;

/**
 * A trained case model loaded for the explanation evaluation and benchmark: image network and
 * encoder, text encoder, fuse stage, explain stage and an {@link org.tandemcds.model.ImageProbe}
 * source. Not the pipeline's composition root (that is {@code App}); used by {@code tandem evaluate
 * --explain} and {@code tandem bench explain}. Close once.
 */
public final class ExplainModels implements AutoCloseable {
  final VerifiedModel verified;
  final Device device;
  final ImageModel image;
  final FusionModel fusion;
  final ImageEncoder imageEncoder;
  final TextEncoder text;
  final FusionStage fuse;
  final ExplainStage explain;

  private ExplainModels(
      VerifiedModel verified,
      Device device,
      ImageModel image,
      FusionModel fusion,
      TextEncoder text,
      ExplainStage.Settings settings) {
    this.verified = verified;
    this.device = device;
    this.image = image;
    this.fusion = fusion;
    this.imageEncoder = new ImageEncoder(image);
    this.text = text;
    this.fuse = new FusionStage(fusion);
    this.explain = new ExplainStage(Optional.of(image), fusion, settings);
  }

  /** Loads a verified case model (it must read images) and the text encoder. */
  public static ExplainModels open(
      VerifiedModel verified,
      Devices devices,
      PretrainedTextModel.TextModelFiles textFiles,
      ExplainStage.Settings settings) {
    Device device = devices.choose();
    FusionModel fusion = FusionModel.load(verified, device);
    ImageModel image = null;
    TextEncoder text = null;
    try {
      image = ImageModel.load(verified, CaseModel.IMAGE_PARAMETERS, fusion.card().image(), device);
      text = TextEncoder.open(textFiles);
      return new ExplainModels(verified, device, image, fusion, text, settings);
    } catch (RuntimeException e) {
      if (text != null) {
        text.close();
      }
      if (image != null) {
        image.close();
      }
      fusion.close();
      throw e;
    }
  }

  /** The encode stage's work for one case: first frame of the study, every note. */
  public Encodings encode(CaseInput input) {
    Optional<ImageFeatures> features =
        input.study().map(s -> imageEncoder.encode(List.of(firstFrame(input))).get(0));
    List<TokenFeatures> notes = input.notes().stream().map(text::encode).toList();
    return new Encodings(features, notes, input.mode());
  }

  public Prediction fuse(Encodings encodings) {
    return fuse.fuse(encodings);
  }

  public ExplainStage explain() {
    return explain;
  }

  /** The first frame of the case's study, letterboxed to the image network's input. */
  org.tandemcds.encode.LetterboxedImage letterbox(CaseInput input) {
    return new org.tandemcds.encode.Letterbox(image.spec().inputSize()).apply(firstFrame(input));
  }

  static Frame firstFrame(CaseInput input) {
    return ExplainStage.frame(input);
  }

  /** A second copy of the image network with its last stage randomised (sanity check). */
  ImageModel randomisedImage(long seed) {
    ImageModel copy =
        ImageModel.load(verified, CaseModel.IMAGE_PARAMETERS, fusion.card().image(), device);
    org.tandemcds.model.ImageProbe.randomiseLastStage(copy, seed);
    return copy;
  }

  @Override
  public void close() {
    imageEncoder.close();
    text.close();
    image.close();
    fusion.close();
  }
}
