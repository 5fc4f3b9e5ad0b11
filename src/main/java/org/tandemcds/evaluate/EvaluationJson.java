package org.tandemcds.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * {@code evaluation.json} (format {@code tandem-evaluation/1}): every number of an {@link
 * Evaluation}, keys in a fixed order, doubles written exactly ({@link Double#toString}), undefined
 * values (NaN, and the +∞ threshold of a ROC curve's first point) as {@code null}, UTF-8, "\n" line
 * ends. The same evaluation always gives the same bytes. Thread-safe.
 */
public final class EvaluationJson {
  public static final String FORMAT = "tandem-evaluation/1";

  private final ObjectMapper mapper = new ObjectMapper();

  /** The JSON document as UTF-8 bytes. */
  public byte[] toBytes(Evaluation evaluation) {
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return mapper.writer(printer).writeValueAsBytes(root(evaluation));
    } catch (JsonProcessingException e) {
      throw new CdsException(ErrorCode.INTERNAL, "evaluation.json could not be written", e);
    }
  }

  private ObjectNode root(Evaluation e) {
    ObjectNode root = mapper.createObjectNode();
    root.put("format", FORMAT);
    root.put("notice", EvaluationReport.NOTICE);
    strings(root.putArray("findings"), e.findings());
    root.put("positiveWhen", "probability >= threshold");
    root.put("calibrationBins", e.calibrationBins());
    ObjectNode bootstrap = root.putObject("bootstrap");
    bootstrap.put("method", "percentile; cases resampled with replacement; java.util.Random(seed)");
    bootstrap.put("resamples", e.bootstrapResamples());
    bootstrap.put("seed", e.bootstrapSeed());
    bootstrap.put("level", Bootstrap.LEVEL);
    ArrayNode sets = root.putArray("sets");
    e.sets().forEach(s -> set(sets.addObject(), s));
    comparison(root.putObject("comparison"), e);
    return root;
  }

  private void set(ObjectNode node, SetMetrics s) {
    node.put("name", s.name());
    node.put("cases", s.cases());
    strings(node.putArray("includedFindings"), s.includedFindings());
    strings(node.putArray("excludedFindings"), s.excludedFindings());
    ObjectNode macro = node.putObject("macro");
    number(macro, "auroc", s.macroAuroc());
    interval(macro.putObject("aurocInterval"), s.macroAurocInterval());
    number(macro, "averagePrecision", s.macroAveragePrecision());
    number(macro, "sensitivity", s.macroSensitivity());
    number(macro, "specificity", s.macroSpecificity());
    number(macro, "expectedCalibrationError", s.macroExpectedCalibrationError());
    ObjectNode pooled = node.putObject("pooled");
    number(pooled, "expectedCalibrationError", s.pooledExpectedCalibrationError());
    bins(pooled.putArray("reliability"), s.pooledReliability());
    ArrayNode findings = node.putArray("findings");
    s.findings().forEach(f -> finding(findings.addObject(), f));
  }

  private void finding(ObjectNode node, FindingMetrics f) {
    node.put("finding", f.finding());
    node.put("positives", f.positives());
    node.put("negatives", f.negatives());
    node.put("includedInMacro", f.included());
    number(node, "auroc", f.auroc());
    number(node, "averagePrecision", f.averagePrecision());
    ConfusionCounts c = f.atThreshold();
    number(node, "threshold", c.threshold());
    number(node, "sensitivity", c.sensitivity());
    number(node, "specificity", c.specificity());
    ObjectNode counts = node.putObject("counts");
    counts.put("truePositives", c.truePositives());
    counts.put("falsePositives", c.falsePositives());
    counts.put("trueNegatives", c.trueNegatives());
    counts.put("falseNegatives", c.falseNegatives());
    number(node, "expectedCalibrationError", f.expectedCalibrationError());
    ArrayNode roc = node.putArray("rocCurve");
    for (RocPoint p : f.rocCurve()) {
      ObjectNode point = roc.addObject();
      number(point, "threshold", p.threshold());
      number(point, "falsePositiveRate", p.falsePositiveRate());
      number(point, "truePositiveRate", p.truePositiveRate());
    }
    bins(node.putArray("reliability"), f.reliability());
  }

  private void comparison(ObjectNode node, Evaluation e) {
    ArrayNode table = node.putArray("table");
    for (SetMetrics s : e.sets()) {
      ObjectNode row = table.addObject();
      row.put("name", s.name());
      number(row, "macroAuroc", s.macroAuroc());
      number(row, "macroAurocLower", s.macroAurocInterval().lower());
      number(row, "macroAurocUpper", s.macroAurocInterval().upper());
      number(row, "macroAveragePrecision", s.macroAveragePrecision());
      number(row, "macroSensitivity", s.macroSensitivity());
      number(row, "macroSpecificity", s.macroSpecificity());
      number(row, "pooledExpectedCalibrationError", s.pooledExpectedCalibrationError());
    }
    ArrayNode differences = node.putArray("macroAurocDifferences");
    for (Comparison c : e.comparisons()) {
      ObjectNode row = differences.addObject();
      row.put("first", c.first());
      row.put("second", c.second());
      strings(row.putArray("findings"), c.findings());
      number(row, "difference", c.difference());
      interval(row.putObject("interval"), c.interval());
    }
  }

  private static void interval(ObjectNode node, BootstrapInterval i) {
    number(node, "lower", i.lower());
    number(node, "upper", i.upper());
    node.put("level", i.level());
    node.put("resamples", i.resamples());
    node.put("usedResamples", i.usedResamples());
  }

  private static void bins(ArrayNode array, List<ReliabilityBin> bins) {
    for (ReliabilityBin b : bins) {
      ObjectNode node = array.addObject();
      number(node, "lower", b.lower());
      number(node, "upper", b.upper());
      node.put("count", b.count());
      number(node, "meanProbability", b.meanProbability());
      number(node, "observedFrequency", b.observedFrequency());
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static void number(ObjectNode node, String key, double value) {
    if (Double.isFinite(value)) {
      node.put(key, value);
    } else {
      node.putNull(key);
    }
  }
}
