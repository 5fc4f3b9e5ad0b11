package org.tandemcds.evaluate;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: a self-contained page (inline CSS, no scripts, no external assets) that
 * shows an {@link Evaluation} — the notice, a summary row per set, the paired differences, a table
 * and a ROC chart per finding, and the reliability diagrams per set. Images are referenced by the
 * file names given (PNG files beside the page). Stateless; thread-safe.
 */
final class HtmlReport {
  private static final String CSS =
      """
      body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#222;max-width:1180px;\
      margin:0 auto;padding:0 24px 48px;line-height:1.45}
      .notice{background:#fff4e0;border:2px solid #d55e00;padding:12px 16px;margin:20px 0;\
      font-weight:bold;font-size:1.1em}
      h1{margin-top:28px}h2{border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:40px}
      table{border-collapse:collapse;margin:12px 0;font-size:.92em}
      th,td{border:1px solid #d0d0d0;padding:5px 9px;text-align:right}
      th{background:#f2f2f2}td.name,th.name{text-align:left}
      .meta{color:#555;font-size:.92em}.figures{display:flex;flex-wrap:wrap;gap:12px}
      figure{margin:0}img{max-width:100%;border:1px solid #e4e4e4}
      """;

  private final StringBuilder out = new StringBuilder();

  /**
   * The page. {@code rocImages} maps a finding to its ROC image file name; {@code
   * reliabilityImages.get(s)} lists set {@code s}'s reliability images, pooled first, then one per
   * finding.
   */
  static String render(
      Evaluation e, Map<String, String> rocImages, List<List<String>> reliabilityImages) {
    HtmlReport page = new HtmlReport();
    page.head();
    page.summary(e);
    page.comparisons(e);
    page.findings(e, rocImages);
    page.reliability(e, reliabilityImages);
    page.out.append("</body>\n</html>\n");
    return page.out.toString();
  }

  private void head() {
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Tandem evaluation report</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<h1>Tandem evaluation report</h1>\n")
        .append("<p class=\"notice\">")
        .append(escape(EvaluationReport.NOTICE))
        .append("</p>\n");
  }

  private void summary(Evaluation e) {
    out.append("<p class=\"meta\">Findings: ")
        .append(escape(String.join(", ", e.findings())))
        .append(". A case is called positive for a finding when its probability is at least the")
        .append(" finding's threshold. Calibration: ")
        .append(e.calibrationBins())
        .append(" equal-width bins over [0, 1]. Confidence intervals: 95 % percentile bootstrap,")
        .append(" ")
        .append(e.bootstrapResamples())
        .append(" resamples of cases, seed ")
        .append(e.bootstrapSeed())
        .append(". Definitions: docs/evaluation.md.</p>\n");
    out.append("<h2>Summary</h2>\n<table>\n<tr><th class=\"name\">Scored set</th><th>Cases</th>")
        .append("<th>Macro AUROC [95 % CI]</th><th>Macro AUPRC (AP)</th><th>Macro sensitivity</th>")
        .append("<th>Macro specificity</th><th>ECE, pooled</th><th>ECE, mean per finding</th>")
        .append("<th class=\"name\">Left out of macro means</th></tr>\n");
    for (SetMetrics s : e.sets()) {
      out.append("<tr><td class=\"name\">")
          .append(escape(s.name()))
          .append("</td>")
          .append(cell(Integer.toString(s.cases())))
          .append(cell(withInterval(s.macroAuroc(), s.macroAurocInterval())))
          .append(cell(s.macroAveragePrecision()))
          .append(cell(s.macroSensitivity()))
          .append(cell(s.macroSpecificity()))
          .append(cell(s.pooledExpectedCalibrationError()))
          .append(cell(s.macroExpectedCalibrationError()))
          .append("<td class=\"name\">")
          .append(
              s.excludedFindings().isEmpty()
                  ? "none"
                  : escape(String.join(", ", s.excludedFindings())) + " (one class only)")
          .append("</td></tr>\n");
    }
    out.append("</table>\n");
  }

  private void comparisons(Evaluation e) {
    if (e.comparisons().isEmpty()) {
      return;
    }
    out.append("<h2>Paired differences in macro AUROC</h2>\n<p class=\"meta\">First minus")
        .append(" second, over the same cases; the interval resamples cases jointly for both")
        .append(" sets. An interval wholly above a margin m supports “first ≥ second + m”.</p>\n")
        .append("<table>\n<tr><th class=\"name\">First</th><th class=\"name\">Second</th>")
        .append("<th>Difference</th><th>95 % CI</th><th>Resamples used</th></tr>\n");
    for (Comparison c : e.comparisons()) {
      BootstrapInterval i = c.interval();
      out.append("<tr><td class=\"name\">")
          .append(escape(c.first()))
          .append("</td><td class=\"name\">")
          .append(escape(c.second()))
          .append("</td>")
          .append(cell(signed(c.difference())))
          .append(cell("[" + signed(i.lower()) + ", " + signed(i.upper()) + "]"))
          .append(cell(i.usedResamples() + " of " + i.resamples()))
          .append("</tr>\n");
    }
    out.append("</table>\n");
  }

  private void findings(Evaluation e, Map<String, String> rocImages) {
    out.append("<h2>Per finding</h2>\n");
    for (int k = 0; k < e.findings().size(); k++) {
      String finding = e.findings().get(k);
      out.append("<h3>")
          .append(escape(finding))
          .append("</h3>\n<table>\n<tr>")
          .append("<th class=\"name\">Scored set</th><th>Positives</th><th>Negatives</th>")
          .append("<th>AUROC</th><th>AUPRC (AP)</th><th>Threshold</th><th>Sensitivity</th>")
          .append("<th>Specificity</th><th>TP</th><th>FP</th><th>TN</th><th>FN</th><th>ECE</th>")
          .append("</tr>\n");
      for (SetMetrics s : e.sets()) {
        findingRow(s.name(), s.findings().get(k));
      }
      out.append("</table>\n");
      image(rocImages.get(finding), "ROC curves for " + finding);
    }
  }

  private void findingRow(String set, FindingMetrics f) {
    ConfusionCounts c = f.atThreshold();
    out.append("<tr><td class=\"name\">")
        .append(escape(set))
        .append("</td>")
        .append(cell(Integer.toString(f.positives())))
        .append(cell(Integer.toString(f.negatives())))
        .append(cell(f.auroc()))
        .append(cell(f.averagePrecision()))
        .append(cell(c.threshold()))
        .append(cell(c.sensitivity()))
        .append(cell(c.specificity()))
        .append(cell(Integer.toString(c.truePositives())))
        .append(cell(Integer.toString(c.falsePositives())))
        .append(cell(Integer.toString(c.trueNegatives())))
        .append(cell(Integer.toString(c.falseNegatives())))
        .append(cell(f.expectedCalibrationError()))
        .append("</tr>\n");
  }

  private void reliability(Evaluation e, List<List<String>> images) {
    out.append("<h2>Reliability diagrams</h2>\n<p class=\"meta\">Bars: observed frequency of the")
        .append(" finding among the predictions in each bin; dots: at the bin's mean predicted")
        .append(" probability; dashed line: perfect calibration; n: predictions per bin.</p>\n");
    for (int s = 0; s < e.sets().size(); s++) {
      out.append("<h3>")
          .append(escape(e.sets().get(s).name()))
          .append("</h3>\n")
          .append("<div class=\"figures\">\n");
      for (String file : images.get(s)) {
        image(file, "Reliability diagram, " + e.sets().get(s).name());
      }
      out.append("</div>\n");
    }
  }

  private void image(String file, String alt) {
    out.append("<figure><img src=\"")
        .append(escape(file))
        .append("\" alt=\"")
        .append(escape(alt))
        .append("\"></figure>\n");
  }

  private static String withInterval(double value, BootstrapInterval i) {
    return number(value) + " [" + number(i.lower()) + ", " + number(i.upper()) + "]";
  }

  private static String cell(double value) {
    return cell(number(value));
  }

  private static String cell(String text) {
    return "<td>" + escape(text) + "</td>";
  }

  static String number(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "n/a";
  }

  private static String signed(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%+.3f", value) : "n/a";
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
