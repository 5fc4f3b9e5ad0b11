package org.tandemcds.cli;

import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.Frame;
import org.tandemcds.domain.ImageInstance;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.PatientKey;

/** One line of the demo table for a parsed case. Patients appear only as {@link PatientKey}s. */
final class CaseLine {
  static final String HEADER =
      String.format(
          "%-14s %-17s %-4s %-4s %-16s %-15s %-11s %s",
          "study", "patient", "mod", "view", "frames", "note", "mode", "time");

  private CaseLine() {}

  static String of(String id, CaseInput input, long millis) {
    Optional<ImagingStudy> study = input.study();
    return String.format(
        "%-14s %-17s %-4s %-4s %-16s %-15s %-11s %d ms",
        id,
        patient(input),
        study.map(ImagingStudy::modality).orElse("-"),
        study.map(CaseLine::view).orElse("-"),
        study.map(CaseLine::frames).orElse("-"),
        sentences(input.notes()),
        input.mode().label(),
        millis);
  }

  static String failure(String id, CdsException e) {
    return String.format("%-14s FAILED %s", id, e.getMessage());
  }

  private static String patient(CaseInput input) {
    if (input.study().isPresent()) {
      return PatientKey.of(input.study().get().patient()).value();
    }
    return input.notes().stream()
        .flatMap(n -> n.patientIdentifiers().stream())
        .findFirst()
        .map(i -> PatientKey.of(i).value())
        .orElse("-");
  }

  private static String view(ImagingStudy study) {
    String view = study.instances().get(0).viewPosition();
    return view.isBlank() ? "-" : view;
  }

  private static String frames(ImagingStudy study) {
    List<ImageInstance> instances = study.instances();
    Frame first = instances.get(0).frames().get(0);
    long count = instances.stream().mapToLong(i -> i.frames().size()).sum();
    return count + "x" + first.rows() + "x" + first.columns();
  }

  private static String sentences(List<ClinicalNote> notes) {
    if (notes.isEmpty()) {
      return "-";
    }
    int count = notes.stream().mapToInt(n -> n.sentences().size()).sum();
    return count + " sent/" + notes.size() + " note";
  }
}
