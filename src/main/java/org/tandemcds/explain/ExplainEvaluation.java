package org.tandemcds.explain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.EvidenceSpan;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.ModalityContribution;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.NoteAttribution;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.SaliencyMap;
import org.tandemcds.domain.TextSpan;
import org.tandemcds.encode.Encodings;
import org.tandemcds.encode.ImageFeatures;
import org.tandemcds.model.FusionCard;
import org.tandemcds.model.FusionGradients;
import org.tandemcds.model.ImageModel;
import org.tandemcds.model.ImageProbe;
import org.tandemcds.model.LabelledStudy;
import org.tandemcds.model.NoteMention;
import org.tandemcds.parse.CaseParser;

/**
 * Measures whether explanations are faithful, on a generated labelled set with lesion masks and
 * note evidence spans ({@code tandem evaluate --explain}):
 *
 * <ul>
 *   <li><b>pointing game</b>: the saliency peak of a true-positive effusion, pneumothorax,
 *       nodule/mass or consolidation lies within 5 % of the image width of its lesion mask;
 *   <li><b>deletion test</b>: removing the most salient input pixels first lowers the finding's
 *       probability faster (lower area under the deletion curve) than removing them in random
 *       orders (mean of the random curves' areas), for every true positive; a removed pixel is
 *       replaced, on the same orders, by a blurred copy, by the content's mean grey, and by the
 *       same pixel of the study rendered without its findings (ADRs 0025, 0026; {@link
 *       Deletion.Reference#BAR} is the bar's); as a control, the bar's reference is run along the
 *       map of the network with its last stage randomised, which should pass about as often as
 *       chance;
 *   <li><b>sanity check</b> (Adebayo et al. 2018): Spearman rank correlation between the class
 *       activation map of the trained model and that of the same model with the image network's
 *       last stage randomised;
 *   <li><b>note attributions</b>: a generator evidence span of the finding overlaps one of the top
 *       3 evidence spans; negated mentions get a negative summed attribution.
 * </ul>
 *
 * Saliency and deletion are measured on the fused output with every input the case has (what the
 * clinician is shown), and again on the image-only view (the note removed). Not thread-safe.
 */
public final class ExplainEvaluation {
  static final Set<String> LOCALISED =
      Set.of("pleural_effusion", "pneumothorax", "nodule_mass", "consolidation");
  private static final double POINTING_TOLERANCE = 0.05;

  private final ExplainModels models;
  private final CaseParser parser;
  private final int randomOrders;
  private final long seed;

  public ExplainEvaluation(ExplainModels models, CaseParser parser, int randomOrders, long seed) {
    this.models = models;
    this.parser = parser;
    this.randomOrders = randomOrders;
    this.seed = seed;
  }

  /** Counts of one metric: cases that passed, cases measured, and mean of a value. */
  static final class Tally {
    int passed;
    int measured;
    double sum;

    void add(boolean pass, double value) {
      measured++;
      passed += pass ? 1 : 0;
      sum += value;
    }

    double rate() {
      return measured == 0 ? Double.NaN : (double) passed / measured;
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("passed", passed);
      m.put("measured", measured);
      m.put("rate", measured == 0 ? null : rate());
      m.put("meanValue", measured == 0 ? null : sum / measured);
      return m;
    }
  }

  /** The metrics, by name. */
  private final Map<String, Tally> tallies = new LinkedHashMap<>();

  private final Map<String, String> rejected = new LinkedHashMap<>();
  private String current = "";
  private Prediction prediction;
  private int occlusionChecks;
  private int studiesDone;
  private static final int MAX_OCCLUSION_CHECKS = 10;

  private Tally tally(String name) {
    return tallies.computeIfAbsent(name, n -> new Tally());
  }

  /**
   * Runs the evaluation over the studies, writes {@code explain-evaluation.json} into {@code out}
   * and returns a Markdown summary.
   */
  public String run(
      List<LabelledStudy> studies, Path manifest, Path out, Consumer<String> progress) {
    Map<String, GroundTruth.Study> truth = GroundTruth.read(manifest);
    if (!GroundTruth.withoutFindings(manifest)) {
      throw new CdsException(
          ErrorCode.EXPLAIN_TRUTH_INVALID,
          manifest
              + ": the set has no images without findings, the deletion test's reference"
              + " (generate it with --without-findings)");
    }
    try (ImageModel randomised = models.randomisedImage(seed)) {
      ExplainStage randomStage =
          new ExplainStage(
              java.util.Optional.of(randomised), models.fusion, models.explain().settings());
      int done = 0;
      for (LabelledStudy s : studies) {
        GroundTruth.Study t = truth.get(s.id());
        if (t == null) {
          throw new CdsException(ErrorCode.EXPLAIN_TRUTH_INVALID, "no truth for " + s.id());
        }
        current = s.id();
        try {
          CaseInput input =
              parser.parse(new AnalysisRequest(s.id(), s.dicom(), s.bundle().stream().toList()));
          evaluate(input, t, randomStage);
        } catch (CdsException e) {
          rejected.put(s.id(), e.code().code());
        }
        progress.accept(
            String.format(Locale.ROOT, "explain-evaluate %d/%d", ++done, studies.size()));
        studiesDone = done;
        write(out); // after every study, so an interrupted run still leaves its numbers
      }
    }
    write(out);
    return markdown();
  }

  private void evaluate(CaseInput input, GroundTruth.Study truth, ExplainStage randomStage) {
    currentTruth = truth;
    withoutFindings = null;
    Encodings enc = models.encode(input);
    Prediction p = models.fuse(enc);
    prediction = p;
    List<String> findings = p.findings().stream().map(FindingPrediction::finding).toList();
    Explanation e = models.explain().explain(input, enc, p, Set.copyOf(findings));
    boolean image = p.mode() != Mode.NOTE_ONLY && enc.image().isPresent();
    boolean note = p.mode() != Mode.IMAGE_ONLY && !enc.notes().isEmpty();
    CaseMaps maps = null; // every finding's maps, made once for the case's first true positive
    for (int k = 0; k < findings.size(); k++) {
      String f = findings.get(k);
      GroundTruth.Finding ft = truth.findings().get(f);
      FindingExplanation fe = e.findings().get(k);
      boolean tp = ft != null && ft.present() && p.findings().get(k).positive();
      if (image && tp) {
        maps = maps != null ? maps : caseMaps(enc, note, randomStage);
        imageMetrics(input, enc, fe, ft, k, f, note, maps);
      }
      if (note && ft != null) {
        noteMetrics(input, enc, e, fe, ft, k);
      }
    }
  }

  /**
   * The maps of one case for every finding: with its inputs, on the image-only view (when it has a
   * note), and from the image network with the last stage randomised.
   */
  private record CaseMaps(
      ExplainStage.InputMaps both, ExplainStage.InputMaps view, ExplainStage.InputMaps random) {}

  private CaseMaps caseMaps(Encodings enc, boolean note, ExplainStage randomStage) {
    ImageFeatures features = enc.image().get();
    FusionGradients.Inputs in = models.explain().inputs(enc, true, note);
    return new CaseMaps(
        models.explain().inputMaps(features, in),
        note
            ? models.explain().inputMaps(features, models.explain().inputs(enc, true, false))
            : null,
        randomStage.inputMaps(features, in));
  }

  private void imageMetrics(
      CaseInput input,
      Encodings enc,
      FindingExplanation fe,
      GroundTruth.Finding ft,
      int k,
      String f,
      boolean note,
      CaseMaps maps) {
    SaliencyMap map = fe.saliency().orElseThrow();
    boolean visible = !"absent".equals(ft.imageEvidence());
    GroundTruth.Mask mask =
        LOCALISED.contains(f) && ft.mask().isPresent() ? GroundTruth.mask(ft.mask().get()) : null;
    if (mask != null) {
      boolean hit = pointingTrial("both inputs", f, k, map, ft, mask);
      tally("pointing game, all true positives").add(hit, hit ? 1 : 0);
      if (visible) {
        tally("pointing game, true positives rendered visible or subtle").add(hit, hit ? 1 : 0);
      }
      tally("pointing game, " + f).add(hit, hit ? 1 : 0);
    }
    deletion("both inputs", enc, maps.both(), maps.random(), fe, ft, k, note);
    if (note) {
      deletion("image-only view", enc, maps.view(), null, fe, ft, k, false);
      if (mask != null) {
        SaliencyMap m =
            models
                .explain()
                .onSource(
                    "",
                    input,
                    enc.image().get(),
                    maps.view().maps()[k],
                    maps.view().side(),
                    Maps.Placement.RECEPTIVE_FIELD);
        boolean hit = pointingTrial("image-only view", f, k, m, ft, mask);
        tally("pointing game, image-only view (note removed)").add(hit, hit ? 1 : 0);
      }
    }
    if (occlusionChecks < MAX_OCCLUSION_CHECKS) {
      occlusionChecks++;
      SaliencyMap occluded =
          new OcclusionSaliency(new ImageProbe(models.image, models.fusion), models.explain(), 8)
              .map(input, enc, prediction, f);
      double r = Deletion.spearman(map.values(), occluded.values());
      tally("cross-check: Spearman(CAM, occlusion) > 0").add(r > 0, Double.isNaN(r) ? 0 : r);
    }
    double rho = Deletion.spearman(maps.both().maps()[k], maps.random().maps()[k]);
    double value = Double.isNaN(rho) ? 0 : rho;
    tally("sanity: Spearman(trained, last stage randomised) < 0.5").add(value < 0.5, value);
  }

  /** Whether the peak cell's centre lies within 5 % of the image width of the mask. */
  static boolean pointing(SaliencyMap map, GroundTruth.Mask mask) {
    return Pointing.of(map, mask).hit();
  }

  /**
   * One pointing-game trial: the peak cell's centre on the stored image, its distance to the
   * nearest mask pixel, the tolerance (5 % of the image width) and whether it was met.
   */
  record Pointing(double peakRow, double peakColumn, double distance, double tolerance) {
    static Pointing of(SaliencyMap map, GroundTruth.Mask mask) {
      int peak = Maps.argmax(map.values());
      double row = (peak / map.gridColumns() + 0.5) * map.imageRows() / map.gridRows();
      double column = (peak % map.gridColumns() + 0.5) * map.imageColumns() / map.gridColumns();
      return new Pointing(
          row, column, mask.distance(row, column), POINTING_TOLERANCE * map.imageColumns());
    }

    boolean hit() {
      return distance <= tolerance;
    }
  }

  /** Every pointing trial of the run, for reading which cases missed and by how far. */
  private final List<Map<String, Object>> pointingTrials = new ArrayList<>();

  /**
   * Every negated mention scored: its text, whether the finding was present ({@code polarity}
   * contradicting) or absent (negated), the summed attribution and the occlusion check.
   */
  private final List<Map<String, Object>> negatedTrials = new ArrayList<>();

  private boolean pointingTrial(
      String view,
      String finding,
      int k,
      SaliencyMap map,
      GroundTruth.Finding ft,
      GroundTruth.Mask mask) {
    Pointing t = Pointing.of(map, mask);
    double[] centre = mask.centroid();
    FindingPrediction fp = prediction.findings().get(k);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("study", current);
    m.put("finding", finding);
    m.put("view", view);
    m.put("imageEvidence", ft.imageEvidence());
    m.put("hit", t.hit());
    m.put("distancePx", Math.round(t.distance() * 10) / 10.0);
    m.put("tolerancePx", Math.round(t.tolerance() * 10) / 10.0);
    m.put("peak", List.of(Math.round(t.peakRow()), Math.round(t.peakColumn())));
    m.put("maskCentroid", List.of(Math.round(centre[0]), Math.round(centre[1])));
    m.put("probabilityWithBothInputs", fp.probability());
    m.put("gateWithBothInputs", List.of(fp.gateImage(), fp.gateNote(), fp.gateJoint()));
    pointingTrials.add(m);
    return t.hit();
  }

  /**
   * Every deletion trial: the finding, the view, the probability after each fraction removed along
   * the saliency order and along the random orders (their mean), both areas, and the finding's
   * modality contribution, for reading why a trial failed.
   */
  private final List<Map<String, Object>> deletionTrials = new ArrayList<>();

  private GroundTruth.Study currentTruth;
  private float[] withoutFindings; // the current study's, letterboxed; read once, when first needed

  /**
   * The current study rendered without its findings, letterboxed exactly as the study was.
   *
   * @throws CdsException {@code EXPLAIN_TRUTH_INVALID} when the set lacks it or it does not match
   */
  private float[] withoutFindings(ImageFeatures features) {
    if (withoutFindings == null) {
      java.nio.file.Path file =
          currentTruth
              .withoutFindings()
              .orElseThrow(
                  () ->
                      new CdsException(
                          ErrorCode.EXPLAIN_TRUTH_INVALID,
                          current + ": no image without findings in the manifest"));
      CaseInput clear =
          parser.parse(new AnalysisRequest(current, java.util.Optional.of(file), List.of()));
      org.tandemcds.encode.LetterboxedImage l = models.letterbox(clear);
      if (!l.geometry().equals(features.geometry())) {
        throw new CdsException(
            ErrorCode.EXPLAIN_TRUTH_INVALID,
            current + ": the image without findings does not have the study's geometry");
      }
      withoutFindings = l.image().pixels();
    }
    return withoutFindings;
  }

  /**
   * One deletion trial per reference. With {@code control} (the maps of the network with its last
   * stage randomised), the bar's reference is also run along the order of the control's map, on the
   * same random orders: a map that knows nothing of the model should pass about as often as chance,
   * which shows the test can fail.
   */
  private void deletion(
      String view,
      Encodings enc,
      ExplainStage.InputMaps maps,
      ExplainStage.InputMaps control,
      FindingExplanation fe,
      GroundTruth.Finding ft,
      int k,
      boolean note) {
    ImageFeatures features = enc.image().get();
    int size = features.geometry().size();
    float[] pixels = features.input();
    int[] content = Deletion.content(features.geometry().contentBox(), size);
    float[] saliency = onInput(maps, k, size);
    FusionGradients.Inputs in = models.explain().inputs(enc, true, note);
    ImageProbe probe = new ImageProbe(models.image, models.fusion);
    // the calibration and threshold of the view's mode: the image-only view is read as the
    // product reads a case without its note
    Mode mode = FusionCard.mode(true, note);
    double threshold = models.fusion.card().threshold(k, mode);
    // the orders, made once: the same for every reference
    Random random = new Random(seed * 31 + current.hashCode() * 7L + k);
    int[] salientOrder = Deletion.bySaliency(saliency, content, random);
    List<int[]> shuffledOrders = new ArrayList<>();
    for (int i = 0; i < randomOrders; i++) {
      shuffledOrders.add(Deletion.shuffled(content, random));
    }
    for (Deletion.Reference reference : Deletion.Reference.values()) {
      float[] removed =
          reference.of(
              pixels,
              size,
              content,
              reference == Deletion.Reference.WITHOUT_FINDINGS ? withoutFindings(features) : null);
      double[] salient = curve(probe, pixels, removed, salientOrder, in, k, mode);
      double[] randomMean = new double[salient.length];
      for (int[] order : shuffledOrders) {
        double[] r = curve(probe, pixels, removed, order, in, k, mode);
        for (int j = 0; j < r.length; j++) {
          randomMean[j] += r[j] / randomOrders;
        }
      }
      double salientAuc = Deletion.auc(Deletion.FRACTIONS, salient);
      double randomAuc = Deletion.auc(Deletion.FRACTIONS, randomMean);
      boolean pass = salientAuc < randomAuc;
      String name = reference.metric();
      double[] controlCurve = null;
      double controlAuc = Double.NaN;
      if (control != null && reference == Deletion.Reference.BAR) {
        float[] controlSaliency = onInput(control, k, size);
        // its own Random, so the trial's orders stay those of every earlier run
        int[] controlOrder =
            Deletion.bySaliency(
                controlSaliency, content, new Random(seed * 37 + current.hashCode() * 11L + k));
        controlCurve = curve(probe, pixels, removed, controlOrder, in, k, mode);
        controlAuc = Deletion.auc(Deletion.FRACTIONS, controlCurve);
        tally(
                "control: "
                    + name
                    + " along the randomised network's map, "
                    + view
                    + ": AUC below random")
            .add(controlAuc < randomAuc, randomAuc - controlAuc);
      }
      tally(name + ", " + view + ": AUC below random").add(pass, randomAuc - salientAuc);
      double end = salient[salient.length - 1];
      tally(name + ", " + view + ": every content pixel removed, still at or above threshold")
          .add(end >= threshold, end);
      ModalityContribution c = fe.contribution();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("study", current);
      m.put("finding", fe.finding());
      m.put("view", view);
      m.put("reference", reference.label);
      m.put("imageEvidence", ft.imageEvidence());
      m.put("passed", pass);
      m.put("salientAuc", salientAuc);
      m.put("randomAuc", randomAuc);
      m.put("salientCurve", salient);
      m.put("randomCurve", randomMean);
      if (controlCurve != null) {
        m.put("controlCurve", controlCurve);
        m.put("controlAuc", controlAuc);
      }
      m.put("threshold", threshold);
      m.put("gateWithBothInputs", List.of(c.gateImage(), c.gateNote(), c.gateJoint()));
      m.put("probabilityWithBothInputs", c.probability());
      m.put("probabilityWithoutNote", present(c.withoutNote()));
      m.put("probabilityWithoutImage", present(c.withoutImage()));
      deletionTrials.add(m);
    }
  }

  /** Finding {@code k}'s map resampled onto the {@code size²} network input. */
  private float[] onInput(ExplainStage.InputMaps maps, int k, int size) {
    return Maps.toInput(
        maps.maps()[k], maps.side(), size, models.explain().settings().interpolation());
  }

  private static Double present(java.util.OptionalDouble p) {
    return p.isPresent() ? p.getAsDouble() : null;
  }

  /** The finding's probability after each fraction of {@link Deletion#FRACTIONS} removed. */
  private double[] curve(
      ImageProbe probe,
      float[] pixels,
      float[] removed,
      int[] order,
      FusionGradients.Inputs in,
      int k,
      Mode mode) {
    List<float[]> images = Deletion.deleted(pixels, removed, order, Deletion.FRACTIONS);
    float[][] logits = probe.logits(images, in.tokens(), in.tokenCount(), in.note());
    double[] p = new double[logits.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = models.fusion.card().probability(k, logits[i][k], mode);
    }
    return p;
  }

  /**
   * The fused logit with the whole note minus the logit with the span's tokens masked out (first
   * note only): negative when the span lowers the finding.
   */
  private double occlusion(Encodings enc, int k, TextSpan span) {
    FusionGradients.Inputs in =
        models.explain().inputs(enc, prediction.mode() != Mode.NOTE_ONLY, true);
    List<TextSpan> tokens = enc.notes().get(0).spans();
    boolean[] removed = new boolean[in.tokenCount()];
    for (int i = 0; i < tokens.size(); i++) {
      removed[i] = overlaps(tokens.get(i), span);
    }
    FusionGradients gradients = new FusionGradients(models.fusion);
    return gradients.logits(in)[k] - gradients.logitsWithout(in, removed)[k];
  }

  private void noteMetrics(
      CaseInput input,
      Encodings enc,
      Explanation e,
      FindingExplanation fe,
      GroundTruth.Finding ft,
      int k) {
    if (ft.spans().isEmpty() || input.notes().isEmpty()) {
      return;
    }
    String f = fe.finding();
    ClinicalNote note = input.notes().get(0);
    List<TextSpan> located = new ArrayList<>();
    List<TextSpan> supporting = new ArrayList<>();
    for (GroundTruth.Span s : ft.spans()) {
      TextSpan at = locate(note.text(), s);
      if (at == null) {
        tally("note spans not found in the parsed note text").add(false, 0);
        continue;
      }
      located.add(at);
      if ("negated".equals(s.stance())) {
        double sum = sum(e, note.sourceReference(), f, at);
        tally("negated mention has negative attribution").add(sum < 0, sum);
        double occluded = occlusion(enc, k, at);
        tally("cross-check: removing a negated mention raises the fused logit")
            .add(occluded < 0, occluded);
        tally("cross-check: IG sign agrees with removal, negated mentions")
            .add(Math.signum(sum) == Math.signum(occluded), 0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("study", current);
        m.put("finding", f);
        m.put("polarity", s.polarity());
        m.put("text", s.text());
        m.put("attribution", sum);
        m.put("logitWithMinusWithout", occluded);
        m.put("probabilityWithBothInputs", prediction.findings().get(k).probability());
        negatedTrials.add(m);
      }
      if ("supporting".equals(s.polarity())) {
        supporting.add(at);
        double sum = sum(e, note.sourceReference(), f, at);
        tally("supporting mention has positive attribution").add(sum > 0, sum);
      }
    }
    List<EvidenceSpan> top = fe.evidence().stream().limit(3).toList();
    if (!located.isEmpty()) {
      boolean hit = amongTop(top, note, located);
      tally("evidence span among the top 3, every finding with spans of any stance")
          .add(hit, hit ? 1 : 0);
    }
    if (!supporting.isEmpty()) {
      boolean hit = amongTop(top, note, supporting);
      tally("evidence span among the top 3, findings with evidence for them (supporting spans)")
          .add(hit, hit ? 1 : 0);
    }
  }

  private static boolean amongTop(List<EvidenceSpan> top, ClinicalNote note, List<TextSpan> spans) {
    return top.stream()
        .anyMatch(
            ev ->
                ev.noteReference().equals(note.sourceReference())
                    && spans.stream().anyMatch(l -> overlaps(l, ev.span())));
  }

  /** The span's characters in the parsed note: the occurrence of its text nearest its offset. */
  static TextSpan locate(String text, GroundTruth.Span s) {
    return new NoteMention(s.start(), s.end(), s.text()).locate(text);
  }

  static boolean overlaps(TextSpan a, TextSpan b) {
    return a.start() < b.end() && b.start() < a.end();
  }

  private static double sum(Explanation e, String noteRef, String finding, TextSpan span) {
    double sum = 0;
    for (NoteAttribution a : e.notes()) {
      if (a.noteReference().equals(noteRef) && a.finding().equals(finding)) {
        for (int i = 0; i < a.tokens().size(); i++) {
          if (overlaps(a.tokens().get(i), span)) {
            sum += a.scores()[i];
          }
        }
      }
    }
    return sum;
  }

  private void write(Path out) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", "tandem-explain-evaluation/1");
    m.put(
        "model",
        Map.of(
            "dir", models.verified.dir().toString(),
            "version", models.verified.card().version(),
            "sha256", models.verified.cardSha256()));
    m.put("cam", models.explain().settings().label());
    m.put("interpolation", models.explain().settings().interpolation().label());
    m.put("integratedGradientsSteps", models.explain().settings().steps());
    m.put("randomOrders", randomOrders);
    m.put("deletionFractions", Deletion.FRACTIONS);
    Map<String, String> references = new LinkedHashMap<>();
    for (Deletion.Reference r : Deletion.Reference.values()) {
      references.put(r.metric(), r.label);
    }
    m.put("deletionReferences", references);
    m.put("deletionBarReference", Deletion.Reference.BAR.label);
    Map<String, Object> metrics = new LinkedHashMap<>();
    tallies.forEach((k, v) -> metrics.put(k, v.json()));
    m.put("metrics", metrics);
    m.put("studiesEvaluated", studiesDone);
    m.put("pointingTrials", pointingTrials);
    m.put("negatedMentions", negatedTrials);
    m.put("deletionTrials", deletionTrials);
    m.put("rejected", rejected);
    try {
      Files.createDirectories(out);
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(out.resolve("explain-evaluation.json").toFile(), m);
      Files.writeString(out.resolve("explain-evaluation.md"), markdown());
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, out.toString(), e);
    }
  }

  String markdown() {
    StringBuilder b = new StringBuilder("| metric | passed / measured | rate | mean value |\n");
    b.append("|---|---|---|---|\n");
    tallies.forEach(
        (k, v) ->
            b.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %d / %d | %.3f | %.4f |%n",
                    k,
                    v.passed,
                    v.measured,
                    v.rate(),
                    v.measured == 0 ? Double.NaN : v.sum / v.measured)));
    b.append(
        String.format(
            Locale.ROOT,
            "%nthe deletion bar's reference: %s (ADR 0026)%n",
            Deletion.Reference.BAR.label));
    b.append(String.format(Locale.ROOT, "%nrejected studies: %d %s%n", rejected.size(), rejected));
    return b.toString();
  }
}
