package org.tandemcds.encode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.Frame;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.TextSpan;
import org.tandemcds.model.LabelledStudy;
import org.tandemcds.model.NoteMention;
import org.tandemcds.model.TrainingCase;
import org.tandemcds.parse.CaseParser;

/**
 * Encodes a training set once, before training: each study is read through the parse stage (the
 * same {@link CaseParser} the pipeline uses), its first image frame letterboxed to the network's
 * input and kept as 16-bit fixed point, and every note run through the frozen text encoder, the
 * token features of all notes concatenated and kept as bfloat16.
 *
 * <p>A study that fails to parse or encode is not trained on; it is returned among the rejections
 * with its error code (and logged by the caller), never dropped silently. Not thread-safe (the text
 * encoder serialises anyway).
 */
public final class TrainingSetEncoder {
  private final CaseParser parser;
  private final TextEncoder text;
  private final Letterbox letterbox;
  private final List<String> findings;

  public TrainingSetEncoder(
      CaseParser parser, TextEncoder text, int inputSize, List<String> findings) {
    this.parser = parser;
    this.text = text;
    this.letterbox = new Letterbox(inputSize);
    this.findings = List.copyOf(findings);
  }

  /** The encoded cases and the rejected studies (id → error code). */
  public record Result(
      List<TrainingCase> cases, Map<String, String> rejected, Map<String, Integer> modes) {}

  /** Encodes every study; {@code progress} hears the number done after each. */
  public Result encode(List<LabelledStudy> studies, IntConsumer progress) {
    List<TrainingCase> cases = new ArrayList<>();
    Map<String, String> rejected = new LinkedHashMap<>();
    Map<String, Integer> modes = new LinkedHashMap<>();
    for (int i = 0; i < studies.size(); i++) {
      LabelledStudy s = studies.get(i);
      try {
        CaseInput input =
            parser.parse(new AnalysisRequest(s.id(), s.dicom(), s.bundle().stream().toList()));
        cases.add(encode(s, input));
        modes.merge(input.mode().label(), 1, Integer::sum);
      } catch (CdsException e) {
        rejected.put(s.id(), e.code().code());
      }
      progress.accept(i + 1);
    }
    return new Result(cases, rejected, modes);
  }

  private TrainingCase encode(LabelledStudy s, CaseInput input) {
    float[] labels = new float[findings.size()];
    for (int k = 0; k < labels.length; k++) {
      labels[k] = s.labels().get(findings.get(k));
    }
    int size = 0;
    short[] image = new short[0];
    int[] content = {0, 0, 0, 0};
    byte[][] lesions = null;
    if (input.study().isPresent()) {
      Frame frame = firstFrame(input.study().get());
      LetterboxedImage boxed = letterbox.apply(frame);
      size = boxed.image().rows();
      image = TrainingCase.packImage(boxed.image().pixels());
      content = boxed.geometry().contentBox();
      if (s.localised()) {
        lesions =
            LesionMaps.letterboxed(
                findings, s.labels(), s.masks(), frame.rows(), frame.columns(), letterbox);
      }
    }
    List<TokenFeatures> notes = input.notes().stream().map(text::encode).toList();
    float[] tokens = concatenated(notes);
    int count = tokens.length / TextEncoder.DIMENSION;
    return new TrainingCase(
        s.id(),
        size,
        image,
        content,
        TrainingCase.packFeatures(tokens),
        count,
        TextEncoder.DIMENSION,
        labels,
        lesions,
        negations(s, input.notes(), notes, count));
  }

  private byte[] negations(
      LabelledStudy s, List<ClinicalNote> notes, List<TokenFeatures> encoded, int count) {
    return notes.isEmpty()
        ? new byte[0]
        : negationBits(s.negations(), findings, notes.get(0).text(), encoded.get(0).spans(), count);
  }

  /**
   * Per token of the concatenated notes ({@code count} in all, the first note's first), the bits
   * {@code 1 << k} of the findings {@code k} whose negated mentions the token overlaps; mentions
   * are located in the first note's {@code text} ({@link NoteMention#locate}), and one whose text
   * is not there is left out. Empty when no token lies in a mention.
   */
  static byte[] negationBits(
      Map<String, List<NoteMention>> negations,
      List<String> findings,
      String text,
      List<TextSpan> tokens,
      int count) {
    byte[] bits = new byte[count];
    boolean any = false;
    for (int k = 0; k < findings.size(); k++) {
      for (NoteMention m : negations.getOrDefault(findings.get(k), List.of())) {
        TextSpan at = m.locate(text);
        for (int i = 0; at != null && i < tokens.size(); i++) {
          TextSpan t = tokens.get(i);
          if (t.start() < at.end() && at.start() < t.end()) {
            bits[i] |= (byte) (1 << k);
            any = true;
          }
        }
      }
    }
    return any ? bits : new byte[0];
  }

  private static Frame firstFrame(ImagingStudy study) {
    return study.instances().get(0).frames().get(0);
  }

  private static float[] concatenated(List<TokenFeatures> encoded) {
    int total = encoded.stream().mapToInt(t -> t.features().length).sum();
    float[] all = new float[total];
    int at = 0;
    for (TokenFeatures t : encoded) {
      System.arraycopy(t.features(), 0, all, at, t.features().length);
      at += t.features().length;
    }
    return all;
  }
}
