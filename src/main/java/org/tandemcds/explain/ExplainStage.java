package org.tandemcds.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.EvidenceSpan;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.Frame;
import org.tandemcds.domain.ImageInstance;
import org.tandemcds.domain.ModalityContribution;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.NoteAttribution;
import org.tandemcds.domain.Overlay;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.SaliencyMap;
import org.tandemcds.domain.TextSpan;
import org.tandemcds.encode.Encodings;
import org.tandemcds.encode.ImageFeatures;
import org.tandemcds.encode.TokenFeatures;
import org.tandemcds.fuse.FusionStage;
import org.tandemcds.model.FusionGradients;
import org.tandemcds.model.FusionModel;
import org.tandemcds.model.FusionSpec;
import org.tandemcds.model.FusionVariant;
import org.tandemcds.model.ImageModel;

/**
 * The explain stage: for each finding of a prediction, where on the image (a class activation map
 * of the fused logit: by default HiResCAM over the image network's last feature map multiplied by
 * HiResCAM over the stage before it, at twice its resolution (ADR 0019), resampled onto the
 * original frame, with a PNG overlay), which words of the notes (integrated gradients over the
 * frozen token embeddings the fusion network reads, aggregated to words and phrases with character
 * offsets), and how much each modality weighed (gate weights and the probabilities with the note or
 * the image removed).
 *
 * <p>Saliency and overlays are made for findings at or above their threshold and for any finding
 * asked for; note attributions and contributions for every finding. Thread-safe (gradient passes
 * are serialised process-wide, see {@link FusionGradients}).
 */
public final class ExplainStage {
  /** The fixed sentence every overlay and explanation file carries. */
  public static final String AI_LABEL = "AI-generated suggestion, requires clinician review";

  private final Optional<ImageModel> image;
  private final FusionModel model;
  private final FusionGradients gradients;
  private final FusionStage fuse;
  private final Settings settings;
  private final Regions regions = Regions.standard();
  private final OverlayRenderer renderer;

  /**
   * How the stage explains.
   *
   * @param cam class activation map method
   * @param stages the image network's residual stages whose class activation maps make the saliency
   *     map, counted back from the last (0: the last feature map, 1: the stage before it); with
   *     several, the maps (each resampled to the finest) are multiplied
   * @param steps integrated-gradients steps (midpoint rule)
   * @param topSpans evidence spans kept per finding
   * @param gridMaxSide cells along the longer side of a saliency grid
   * @param overlayMaxSide pixels along the longer side of an overlay's image part
   * @param interpolation how the coarse map is resampled onto the saliency grid (and onto the
   *     input, for the deletion test and for multiplying stages)
   */
  public record Settings(
      CamMethod cam,
      List<Integer> stages,
      int steps,
      int topSpans,
      int gridMaxSide,
      int overlayMaxSide,
      MapInterpolation interpolation) {
    public Settings {
      stages = List.copyOf(stages);
      if (stages.isEmpty()) {
        throw new IllegalArgumentException("no stage for the class activation map");
      }
      if (steps < 1) {
        throw new IllegalArgumentException("integrated gradients need at least one step");
      }
    }

    public static Settings standard() {
      return new Settings(
          CamMethod.HIRES_CAM, List.of(0), 16, 5, 128, 1024, MapInterpolation.BICUBIC);
    }

    public Settings withCam(CamMethod method) {
      return new Settings(
          method, stages, steps, topSpans, gridMaxSide, overlayMaxSide, interpolation);
    }

    public Settings withStages(List<Integer> list) {
      return new Settings(cam, list, steps, topSpans, gridMaxSide, overlayMaxSide, interpolation);
    }

    public Settings withSteps(int n) {
      return new Settings(cam, stages, n, topSpans, gridMaxSide, overlayMaxSide, interpolation);
    }

    public Settings withInterpolation(MapInterpolation how) {
      return new Settings(cam, stages, steps, topSpans, gridMaxSide, overlayMaxSide, how);
    }

    /**
     * The method's name as maps and files carry it, e.g. {@code hires-cam} or {@code
     * hires-cam@0+1}.
     */
    public String label() {
      return stages.equals(List.of(0))
          ? cam.label()
          : cam.label() + "@" + String.join("+", stages.stream().map(String::valueOf).toList());
    }
  }

  public Settings settings() {
    return settings;
  }

  /**
   * @param image the image network the fusion model reads (empty for a model without one: no
   *     saliency then)
   */
  public ExplainStage(Optional<ImageModel> image, FusionModel model, Settings settings) {
    this.image = image;
    this.model = model;
    this.gradients = new FusionGradients(model);
    this.fuse = new FusionStage(model);
    this.settings = settings;
    this.renderer = new OverlayRenderer(settings.overlayMaxSide());
  }

  /** Explains a prediction; saliency for the findings at or above threshold. */
  public Explanation explain(CaseInput input, Encodings encodings, Prediction prediction) {
    return explain(input, encodings, prediction, Set.of());
  }

  /**
   * Explains a prediction; saliency for the findings at or above threshold and those named in
   * {@code requested}.
   *
   * @throws CdsException {@link ErrorCode#EXPLAIN_FINDING_UNKNOWN} when {@code requested} names a
   *     finding the prediction lacks; {@link ErrorCode#MODEL_FAILURE} when a saliency map or a
   *     token attribution is not finite
   */
  public Explanation explain(
      CaseInput input, Encodings encodings, Prediction prediction, Set<String> requested) {
    List<String> findings = prediction.findings().stream().map(FindingPrediction::finding).toList();
    for (String r : requested) {
      if (!findings.contains(r)) {
        throw new CdsException(ErrorCode.EXPLAIN_FINDING_UNKNOWN, r);
      }
    }
    boolean image = prediction.mode() != Mode.NOTE_ONLY && encodings.image().isPresent();
    boolean note = prediction.mode() != Mode.IMAGE_ONLY && !encodings.notes().isEmpty();
    FusionGradients.Inputs in = inputs(encodings, image, note);
    boolean anyWanted =
        prediction.findings().stream()
            .anyMatch(p -> p.positive() || requested.contains(p.finding()));
    InputMaps maps = image && anyWanted ? inputMaps(encodings.image().get(), in) : null;
    FusionGradients.TokenAttributions tokens =
        note ? gradients.integratedGradients(in, settings.steps()) : null;
    for (int k = 0; k < findings.size(); k++) {
      requireFinite(maps == null ? null : maps.maps()[k], "saliency", findings.get(k));
      requireFinite(
          tokens == null ? null : tokens.scores()[k], "token attribution", findings.get(k));
    }
    Ablations ablations = ablations(encodings, image, note);
    List<FindingExplanation> out = new ArrayList<>();
    List<NoteAttribution> notes = new ArrayList<>();
    for (int k = 0; k < findings.size(); k++) {
      FindingPrediction p = prediction.findings().get(k);
      boolean wanted = p.positive() || requested.contains(p.finding());
      Optional<SaliencyMap> saliency =
          image && wanted
              ? Optional.of(saliency(input, encodings.image().get(), maps, k))
              : Optional.empty();
      Optional<Overlay> overlay = saliency.map(s -> overlay(input, s, prediction, p));
      List<EvidenceSpan> evidence = List.of();
      if (note) {
        List<NoteAttribution> perNote = perNote(input, encodings, p.finding(), tokens.scores()[k]);
        notes.addAll(perNote);
        evidence = evidence(input, perNote);
      }
      out.add(
          new FindingExplanation(
              p.finding(), saliency, overlay, evidence, contribution(p, ablations, k)));
    }
    return new Explanation(out, notes);
  }

  /**
   * A NaN or infinite score would reach the clinician as a map or a ranked phrase that means
   * nothing; the explanation fails instead, naming the finding.
   */
  private static void requireFinite(float[] values, String what, String finding) {
    if (values == null) {
      return;
    }
    for (float v : values) {
      if (!Float.isFinite(v)) {
        throw new CdsException(ErrorCode.MODEL_FAILURE, "non-finite " + what + " for " + finding);
      }
    }
  }

  /** The saliency map of finding {@code k}. */
  SaliencyMap saliency(CaseInput input, ImageFeatures features, InputMaps maps, int k) {
    return onSource(
        settings.label(),
        input,
        features,
        maps.maps()[k],
        maps.side(),
        Maps.Placement.RECEPTIVE_FIELD);
  }

  /**
   * Per finding, a class activation map over the network's square input ({@code side × side},
   * row-major, non-negative).
   */
  public record InputMaps(float[][] maps, int side) {}

  /**
   * The class activation maps of every finding for one case: this stage's image network run again
   * on the network input the features were computed from, the configured stages' activations and
   * fused-logit gradients, the CAM of each stage resampled to the finest and multiplied.
   *
   * @throws CdsException {@link ErrorCode#EXPLAIN_INPUT_MISSING} without an image network
   */
  public InputMaps inputMaps(ImageFeatures features, FusionGradients.Inputs in) {
    ImageModel network =
        image.orElseThrow(
            () -> new CdsException(ErrorCode.EXPLAIN_INPUT_MISSING, "no image network"));
    float[] pixels = features.input();
    float[][] maps = null;
    int side = 0;
    for (FusionGradients.StageGradients g :
        gradients.stageGradients(network, pixels, in, settings.stages())) {
      float[][] cams = new float[g.gradients().length][];
      for (int k = 0; k < cams.length; k++) {
        cams[k] = settings.cam().map(g.activations(), g.gradients()[k], g.channels(), g.plane());
      }
      if (maps == null) {
        maps = cams;
        side = g.rows();
        continue;
      }
      int finest = Math.max(side, g.rows());
      for (int k = 0; k < cams.length; k++) {
        float[] a =
            side == finest
                ? maps[k]
                : Maps.toInput(maps[k], side, finest, settings.interpolation());
        float[] b =
            g.rows() == finest
                ? cams[k]
                : Maps.toInput(cams[k], g.rows(), finest, settings.interpolation());
        for (int i = 0; i < a.length; i++) {
          a[i] *= b[i];
        }
        maps[k] = a;
      }
      side = finest;
    }
    return new InputMaps(maps, side);
  }

  /**
   * A map over the input square ({@code side × side}) as a saliency map over the original frame:
   * resampled onto the compact grid, scaled to [0, 1] by its maximum, with its region.
   */
  SaliencyMap onSource(
      String method,
      CaseInput input,
      ImageFeatures features,
      float[] map,
      int side,
      Maps.Placement placement) {
    var g = features.geometry();
    int[] grid = Maps.gridSize(g.sourceRows(), g.sourceColumns(), settings.gridMaxSide());
    float[] values =
        Maps.toSourceGrid(map, side, settings.interpolation(), placement, g, grid[0], grid[1]);
    float max = values[Maps.argmax(values)];
    if (max > 0) {
      for (int i = 0; i < values.length; i++) {
        values[i] = Math.max(0f, values[i]) / max;
      }
    } else {
      java.util.Arrays.fill(values, 0f);
    }
    return new SaliencyMap(
        method,
        instance(input).sopInstanceUid(),
        1,
        g.sourceRows(),
        g.sourceColumns(),
        grid[0],
        grid[1],
        values,
        Math.max(0, max),
        regions.find(values, grid[0], grid[1], g.sourceRows(), g.sourceColumns()));
  }

  private Overlay overlay(
      CaseInput input, SaliencyMap map, Prediction prediction, FindingPrediction p) {
    String sha = prediction.modelSha256();
    List<String> caption =
        List.of(
            AI_LABEL,
            String.format(
                Locale.ROOT,
                "%s %s (sha256 %s…) · %s p=%.2f · %s",
                prediction.modelName(),
                prediction.modelVersion(),
                sha.substring(0, Math.min(12, sha.length())),
                p.finding(),
                p.probability(),
                map.method()));
    return renderer.render(frame(input), map, caption);
  }

  static ImageInstance instance(CaseInput input) {
    return input
        .study()
        .orElseThrow(() -> new CdsException(ErrorCode.EXPLAIN_INPUT_MISSING, "no image study"))
        .instances()
        .get(0);
  }

  static Frame frame(CaseInput input) {
    return instance(input).frames().get(0);
  }

  /** The fusion network's inputs from the encodings, with the image and note present or not. */
  FusionGradients.Inputs inputs(Encodings e, boolean image, boolean note) {
    FusionSpec s = model.card().fusion();
    float[] map =
        image
            ? e.image().get().featureMap()
            : new float[s.imageChannels() * s.mapRows() * s.mapRows()];
    int total = note ? e.notes().stream().mapToInt(TokenFeatures::size).sum() : 0;
    int t = Math.max(1, total);
    float[] tokens = new float[t * s.textDimension()];
    int at = 0;
    if (note) {
      for (TokenFeatures n : e.notes()) {
        System.arraycopy(n.features(), 0, tokens, at, n.features().length);
        at += n.features().length;
      }
    }
    return new FusionGradients.Inputs(map, tokens, t, image, note);
  }

  private record Ablations(Optional<Prediction> withoutNote, Optional<Prediction> withoutImage) {}

  private Ablations ablations(Encodings e, boolean image, boolean note) {
    FusionVariant v = model.card().fusion().variant();
    if (!image || !note) {
      return new Ablations(Optional.empty(), Optional.empty());
    }
    return new Ablations(
        v.serves(true, false)
            ? Optional.of(fuse.fuse(new Encodings(e.image(), List.of(), Mode.IMAGE_ONLY)))
            : Optional.empty(),
        v.serves(false, true)
            ? Optional.of(fuse.fuse(new Encodings(Optional.empty(), e.notes(), Mode.NOTE_ONLY)))
            : Optional.empty());
  }

  private static ModalityContribution contribution(FindingPrediction p, Ablations a, int k) {
    return new ModalityContribution(
        p.gateImage(),
        p.gateNote(),
        p.gateJoint(),
        p.probability(),
        probability(a.withoutNote(), k),
        probability(a.withoutImage(), k));
  }

  private static OptionalDouble probability(Optional<Prediction> p, int k) {
    return p.map(x -> OptionalDouble.of(x.findings().get(k).probability()))
        .orElse(OptionalDouble.empty());
  }

  /** Splits the concatenated token scores back into the notes, in order. */
  private static List<NoteAttribution> perNote(
      CaseInput input, Encodings e, String finding, float[] scores) {
    List<NoteAttribution> out = new ArrayList<>();
    int at = 0;
    for (int i = 0; i < e.notes().size(); i++) {
      TokenFeatures t = e.notes().get(i);
      double[] s = new double[t.size()];
      for (int j = 0; j < s.length; j++) {
        s[j] = scores[at + j];
      }
      at += t.size();
      out.add(new NoteAttribution(input.notes().get(i).sourceReference(), finding, t.spans(), s));
    }
    return out;
  }

  private List<EvidenceSpan> evidence(CaseInput input, List<NoteAttribution> perNote) {
    List<EvidenceSpan> all = new ArrayList<>();
    for (int i = 0; i < perNote.size(); i++) {
      ClinicalNote note = input.notes().get(i);
      NoteAttribution a = perNote.get(i);
      float[] scores = new float[a.scores().length];
      for (int j = 0; j < scores.length; j++) {
        scores[j] = (float) a.scores()[j];
      }
      List<NoteSpans.Scored> words = NoteSpans.words(note.text(), a.tokens(), scores);
      for (NoteSpans.Scored s : NoteSpans.phrases(note.text(), words, note.sentences(), 0.1)) {
        TextSpan span = s.span();
        all.add(new EvidenceSpan(note.sourceReference(), span, span.of(note.text()), s.score()));
      }
    }
    return all.stream()
        .sorted(Comparator.comparingDouble((EvidenceSpan s) -> -Math.abs(s.score())))
        .limit(settings.topSpans())
        .toList();
  }
}
