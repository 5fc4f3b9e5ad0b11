package org.tandemcds.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the clinical note of a study from its latent truth: a reason for exam, then history,
 * symptoms, examination and labs in one of several layouts, mixing evidence cues (strong, weak,
 * negated, hedged, misleading) with irrelevant history, abbreviations and misspellings. Records the
 * character span of every cue. Stateless; thread-safe.
 */
public final class NoteComposer {
  /**
   * Chance that a finding absent and unrelated to the patient's conditions is written as a
   * pertinent negative ("no pleural effusion").
   */
  static final double PERTINENT_NEGATIVE = 0.35;

  /**
   * Chance that a present finding the note carries no evidence for is written as negated anyway (a
   * note contradicting the label). 0.05 since generator 2 (ADR 0021): at 0.35 a negated finding was
   * present about as often as an unmentioned one, so negations told a reader nothing.
   */
  static final double CONTRADICTING_NEGATION = 0.05;

  private static final Pattern SLOT = Pattern.compile("\\{([^}]*)\\}");
  private static final String SECTIONS = "SHEL";
  private static final String[][] TITLES = {
    {"HPI:", "Presenting complaint:", "S:", "Symptoms:"},
    {"PMH:", "Hx:", "Past history:", "HISTORY:"},
    {"O/E:", "Exam:", "EXAMINATION:", "O:"},
    {"Labs:", "Bloods:", "Results:", "Investigations:"}
  };

  private record Cue(char section, String text, Finding finding, Stance stance, String strength) {}

  /** The note of {@code c}. */
  public SampleNote compose(LatentCase c) {
    Rng rng = new Rng(c.seed(), c.index(), "note");
    List<Cue> cues = new ArrayList<>();
    for (Finding f : Finding.values()) {
      cues.addAll(cuesFor(rng, c, f));
    }
    int irrelevant = rng.between(3, 7);
    for (int i = 0; i < irrelevant; i++) {
      cues.add(cue(rng, rng.pick(NotePhrases.IRRELEVANT), null, null, "", Side.RIGHT));
    }
    String reason = rng.pick(NotePhrases.REASONS);
    return layout(rng, c, cues, reason);
  }

  private List<Cue> cuesFor(Rng rng, LatentCase c, Finding f) {
    List<Cue> out = new ArrayList<>();
    Side side = side(rng, c, f);
    boolean y = c.has(f);
    NoteEvidence level = c.noteEvidence().get(f);
    if (y && level == NoteEvidence.STRONG) {
      out.add(draw(rng, NotePhrases.STRONG, f, Stance.AFFIRMED, "strong", side));
    }
    int weak =
        y
            ? (level == NoteEvidence.STRONG
                ? rng.between(0, 2)
                : level == NoteEvidence.WEAK ? rng.between(1, 2) : 0)
            : (related(c, f) ? (rng.chance(0.4) ? 1 : 0) : (rng.chance(0.06) ? 1 : 0));
    for (int i = 0; i < weak; i++) {
      out.add(draw(rng, NotePhrases.WEAK, f, Stance.AFFIRMED, "weak", side));
    }
    boolean negate =
        y
            ? level == NoteEvidence.NONE && rng.chance(CONTRADICTING_NEGATION)
            : !related(c, f) && rng.chance(PERTINENT_NEGATIVE);
    if (negate) {
      out.add(draw(rng, NotePhrases.NEGATED, f, Stance.NEGATED, "weak", side));
    }
    if (rng.chance(0.12)) {
      out.add(draw(rng, NotePhrases.HEDGED, f, Stance.HEDGED, "hedge", side));
    }
    return out;
  }

  private static boolean related(LatentCase c, Finding f) {
    return switch (f) {
      case CARDIOMEGALY -> c.has(Condition.HEART_FAILURE);
      case PLEURAL_EFFUSION -> c.has(Condition.HEART_FAILURE) || c.has(Condition.LUNG_MALIGNANCY);
      case PNEUMOTHORAX -> c.has(Condition.PLEURAL_AIR_LEAK);
      case NODULE_MASS -> c.has(Condition.LUNG_MALIGNANCY);
      case CONSOLIDATION -> c.has(Condition.PNEUMONIA);
    };
  }

  private static Side side(Rng rng, LatentCase c, Finding f) {
    Lesions l = c.lesions();
    if (f == Finding.PLEURAL_EFFUSION && !l.effusions().isEmpty()) {
      return l.effusions().get(0).side();
    }
    if (f == Finding.PNEUMOTHORAX && !l.pneumothorax().isEmpty()) {
      return l.pneumothorax().get(0).side();
    }
    for (Lesions.Opacity o : l.opacities()) {
      if (o.finding() == f) {
        return o.side();
      }
    }
    return rng.pick(Side.values());
  }

  private Cue draw(
      Rng rng, Map<Finding, List<String>> pool, Finding f, Stance s, String strength, Side side) {
    return cue(rng, rng.pick(pool.get(f)), f, s, strength, side);
  }

  private Cue cue(Rng rng, String phrase, Finding f, Stance s, String strength, Side side) {
    String text = misspell(rng, fill(rng, phrase.substring(2), side));
    return new Cue(phrase.charAt(0), text, f, s, strength);
  }

  static String fill(Rng rng, String template, Side side) {
    Matcher m = SLOT.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(slot(rng, m.group(1), side)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String slot(Rng rng, String slot, Side side) {
    if (slot.equals("side")) {
      return side.key();
    }
    if (slot.equals("S")) {
      return side == Side.RIGHT ? "R" : "L";
    }
    String[] range = slot.split("-");
    if (range[0].contains(".")) {
      double v = rng.uniform(Double.parseDouble(range[0]), Double.parseDouble(range[1]));
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return Integer.toString(rng.between(Integer.parseInt(range[0]), Integer.parseInt(range[1])));
  }

  /** Swaps, drops or doubles a letter in about one word in thirty. */
  static String misspell(Rng rng, String text) {
    String[] words = text.split(" ", -1);
    for (int i = 0; i < words.length; i++) {
      String w = words[i];
      if (w.length() > 4 && w.chars().allMatch(Character::isLetter) && rng.chance(0.035)) {
        int k = rng.between(1, w.length() - 2);
        words[i] =
            switch (rng.between(0, 2)) {
              case 0 -> w.substring(0, k) + w.charAt(k + 1) + w.charAt(k) + w.substring(k + 2);
              case 1 -> w.substring(0, k) + w.substring(k + 1);
              default -> w.substring(0, k) + w.charAt(k) + w.substring(k);
            };
      }
    }
    return String.join(" ", words);
  }

  private SampleNote layout(Rng rng, LatentCase c, List<Cue> cues, String reason) {
    int style = rng.between(0, 2);
    StringBuilder sb = new StringBuilder();
    List<NoteSpan> spans = new ArrayList<>();
    SamplePatient p = c.patient();
    sb.append(rng.pick("Reason for exam: ", "Indication: ", "RFE: ")).append(reason).append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            "%d%s %s. ",
            p.age(),
            rng.pick("yo", " y/o", "-year-old"),
            p.sex().equals("F") ? rng.pick("F", "woman", "female") : rng.pick("M", "man", "male")));
    String sep = rng.pick("; ", ". ", ", ");
    for (int s = 0; s < SECTIONS.length(); s++) {
      List<Cue> section = shuffled(rng, cues, SECTIONS.charAt(s));
      if (section.isEmpty() && s != 2) {
        continue;
      }
      sb.append(style == 2 ? " " : "\n").append(rng.pick(TITLES[s])).append(' ');
      if (s == 2) {
        sb.append(vitals(rng)).append(section.isEmpty() ? "." : sep);
      }
      for (int i = 0; i < section.size(); i++) {
        append(sb, section.get(i), c, spans);
        sb.append(i + 1 < section.size() ? sep : ".");
      }
    }
    sb.append('\n')
        .append(
            rng.pick(
                "Plan: CXR, review with results.",
                "Plan: CXR then reassess.",
                "A/P: imaging requested, f/u in clinic.",
                "Plan: chest film; discuss with reg."));
    spans.sort(java.util.Comparator.comparingInt(NoteSpan::start));
    return new SampleNote(sb.toString(), spans, reason, rng.pick(NotePhrases.AUTHORS));
  }

  private static String vitals(Rng rng) {
    return fill(rng, "HR {58-112} BP {102-168}/{58-96} SpO2 {92-99}% RA", Side.RIGHT);
  }

  private static List<Cue> shuffled(Rng rng, List<Cue> cues, char section) {
    List<Cue> list = new ArrayList<>(cues.stream().filter(q -> q.section() == section).toList());
    for (int i = list.size() - 1; i > 0; i--) {
      java.util.Collections.swap(list, i, rng.between(0, i));
    }
    return list;
  }

  private static void append(StringBuilder sb, Cue q, LatentCase c, List<NoteSpan> spans) {
    int start = sb.length();
    sb.append(q.text());
    if (q.finding() != null) {
      spans.add(
          new NoteSpan(
              q.finding(),
              q.stance(),
              polarity(q.stance(), c.has(q.finding())),
              q.strength(),
              start,
              sb.length(),
              q.text()));
    }
  }

  static Polarity polarity(Stance s, boolean present) {
    return switch (s) {
      case HEDGED -> Polarity.HEDGED;
      case AFFIRMED -> present ? Polarity.SUPPORTING : Polarity.CONTRADICTING;
      case NEGATED -> present ? Polarity.CONTRADICTING : Polarity.NEGATED;
    };
  }
}
