package org.tandemcds.samples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The manifest entries (plain maps, serialised as JSON). Format: docs/sample-studies.md. */
final class Manifest {
  private Manifest() {}

  static Map<String, Object> options(SampleOptions o, int first, int count) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", SampleGenerator.VERSION);
    m.put("seed", o.seed());
    m.put("firstIndex", first);
    m.put("count", count);
    m.put("minSide", o.minSide());
    m.put("maxSide", o.maxSide());
    m.put("transferSyntaxes", o.transferSyntaxes().stream().map(TransferSyntax::cliName).toList());
    m.put("site", o.site());
    return m;
  }

  static Map<String, Object> entry(SampleStudy s) {
    LatentCase c = s.latent();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("index", c.index());
    m.put("mode", c.mode().label());
    m.put("files", files(s));
    m.put("patientId", c.patient().id());
    m.put("issuerOfPatientId", c.patient().issuer());
    m.put("patientIdentifierSystem", c.patient().identifierSystem());
    m.put("accessionNumber", s.accessionNumber());
    m.put("studyInstanceUid", s.studyInstanceUid());
    m.put("sopInstanceUid", s.sopInstanceUid());
    m.put("conditions", c.conditions().stream().map(Enum::name).sorted().toList());
    Map<String, Object> labels = new LinkedHashMap<>();
    for (Finding f : Finding.values()) {
      labels.put(f.key(), c.has(f) ? 1 : 0);
    }
    m.put("labels", labels);
    s.image().ifPresent(im -> m.put("image", image(c.acquisition(), im)));
    m.put("findings", findings(s));
    s.note().ifPresent(n -> m.put("noteLength", n.text().length()));
    return m;
  }

  private static Map<String, Object> files(SampleStudy s) {
    Map<String, Object> m = new LinkedHashMap<>();
    s.image().ifPresent(im -> m.put("dicom", s.id() + "/image.dcm"));
    m.put("bundle", s.id() + "/bundle.json");
    return m;
  }

  private static Map<String, Object> image(Acquisition a, RenderedImage im) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("modality", a.modality());
    m.put("sopClassUid", a.sopClassUid());
    m.put("viewPosition", a.viewPosition());
    m.put("photometricInterpretation", a.photometricInterpretation());
    m.put("bitsStored", a.bitsStored());
    m.put("rows", im.rows());
    m.put("columns", im.columns());
    m.put("pixelSpacingMm", a.pixelSpacingMm());
    m.put("transferSyntaxUid", a.transferSyntaxUid());
    m.put("renderedCtr", Math.round(im.renderedCtr() * 1000) / 1000.0);
    m.put("midlineX", List.of(Math.round(im.midlineTopX()), Math.round(im.midlineBottomX())));
    return m;
  }

  private static Map<String, Object> findings(SampleStudy s) {
    LatentCase c = s.latent();
    Map<String, Object> all = new LinkedHashMap<>();
    for (Finding f : Finding.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("present", c.has(f));
      m.put("imageEvidence", c.imageEvidence().get(f).key());
      m.put("noteEvidence", c.noteEvidence().get(f).key());
      s.image().map(im -> im.masks().get(f)).ifPresent(mask -> lesion(m, s, mask));
      m.put("noteSpans", spans(s, f));
      all.put(f.key(), m);
    }
    return all;
  }

  private static void lesion(Map<String, Object> m, SampleStudy s, LesionMask mask) {
    int[] box = mask.box();
    m.put("mask", s.id() + "/mask-" + mask.finding().key() + ".png");
    m.put("box", box == null ? null : List.of(box[0], box[1], box[2], box[3]));
    m.put("side", side(s.latent(), mask.finding()));
  }

  private static String side(LatentCase c, Finding f) {
    Lesions l = c.lesions();
    return switch (f) {
      case CARDIOMEGALY -> "central";
      case PLEURAL_EFFUSION ->
          l.effusions().size() > 1 ? "bilateral" : l.effusions().get(0).side().key();
      case PNEUMOTHORAX -> l.pneumothorax().get(0).side().key();
      default ->
          l.opacities().stream()
              .filter(o -> o.finding() == f)
              .findFirst()
              .map(o -> o.side().key())
              .orElse("");
    };
  }

  private static List<Map<String, Object>> spans(SampleStudy s, Finding f) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (NoteSpan sp : s.note().map(SampleNote::spans).orElse(List.of())) {
      if (sp.finding() == f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", sp.start());
        m.put("end", sp.end());
        m.put("text", sp.text());
        m.put("stance", sp.stance().key());
        m.put("polarity", sp.polarity().key());
        m.put("strength", sp.strength());
        out.add(m);
      }
    }
    return out;
  }
}
