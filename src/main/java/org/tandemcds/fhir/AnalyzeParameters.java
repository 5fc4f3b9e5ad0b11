package org.tandemcds.fhir;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Reads the Parameters of {@code POST /fhir/DiagnosticReport/$analyze}:
 *
 * <ul>
 *   <li>{@code studyInstanceUid} (valueOid {@code urn:oid:…}, valueId, valueString or valueUri), or
 *       {@code imagingStudy} (an ImagingStudy whose identifier of system {@code urn:dicom:uid}
 *       holds {@code urn:oid:<StudyInstanceUID>}) — exactly one study;
 *   <li>{@code note} (repeatable): valueReference {@code DocumentReference/id} of a stored note, or
 *       a DocumentReference resource (also accepted under the name {@code documentReference}).
 * </ul>
 *
 * Without a note, the patient's stored notes from the configured window are used. Thread-safe.
 */
public final class AnalyzeParameters {
  private final Fhir fhir;

  public AnalyzeParameters(Fhir fhir) {
    this.fhir = fhir;
  }

  /**
   * @throws CdsException {@link ErrorCode#FHIR_MALFORMED}, {@link
   *     ErrorCode#ANALYZE_PARAMETERS_INVALID}
   */
  public AnalyzeCall read(byte[] body) {
    Resource resource = fhir.parse(body, "$analyze");
    if (!(resource instanceof Parameters parameters)) {
      throw invalid("the body must be a Parameters resource, not " + resource.fhirType());
    }
    List<String> studies = new ArrayList<>();
    List<String> refs = new ArrayList<>();
    List<byte[]> inline = new ArrayList<>();
    for (ParametersParameterComponent p : parameters.getParameter()) {
      switch (p.getName() == null ? "" : p.getName()) {
        case "studyInstanceUid" ->
            studies.add(uid(p.hasValue() ? p.getValue().primitiveValue() : null));
        case "imagingStudy" -> studies.add(studyOf(p.getResource()));
        case "note", "documentReference" -> note(p, refs, inline);
        default -> throw invalid("unknown parameter '" + p.getName() + "'");
      }
    }
    if (studies.size() != 1) {
      throw invalid(
          "exactly one studyInstanceUid or imagingStudy is required, got " + studies.size());
    }
    return new AnalyzeCall(studies.get(0), refs, inline);
  }

  private void note(ParametersParameterComponent p, List<String> refs, List<byte[]> inline) {
    if (p.getValue() instanceof Reference reference && reference.hasReference()) {
      String ref = reference.getReference();
      if (!ref.matches("DocumentReference/[A-Za-z0-9\\-.]{1,64}")) {
        throw invalid("note reference must be DocumentReference/<id>");
      }
      refs.add(ref);
    } else if (p.getResource() != null && "DocumentReference".equals(p.getResource().fhirType())) {
      inline.add(
          fhir.context()
              .newJsonParser()
              .encodeResourceToString(p.getResource())
              .getBytes(StandardCharsets.UTF_8));
    } else {
      throw invalid("note must be a Reference to a DocumentReference or a DocumentReference");
    }
  }

  private static String studyOf(Resource resource) {
    if (!(resource instanceof ImagingStudy study)) {
      throw invalid("imagingStudy must hold an ImagingStudy resource");
    }
    return study.getIdentifier().stream()
        .filter(i -> "urn:dicom:uid".equals(i.getSystem()))
        .map(i -> uid(i.getValue()))
        .findFirst()
        .orElseThrow(() -> invalid("ImagingStudy has no identifier of system urn:dicom:uid"));
  }

  private static String uid(String value) {
    if (value == null) {
      throw invalid("studyInstanceUid has no value");
    }
    String uid = value.startsWith("urn:oid:") ? value.substring("urn:oid:".length()) : value;
    if (!uid.matches("[0-9]+(\\.[0-9]+)*") || uid.length() > 64) {
      throw invalid("studyInstanceUid is not a DICOM UID");
    }
    return uid;
  }

  private static CdsException invalid(String detail) {
    return new CdsException(ErrorCode.ANALYZE_PARAMETERS_INVALID, detail);
  }
}
