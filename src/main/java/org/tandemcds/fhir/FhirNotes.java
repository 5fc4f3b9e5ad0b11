package org.tandemcds.fhir;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Finds the clinical notes in a FHIR R4 resource (JSON or XML): a DocumentReference, a Composition,
 * a DiagnosticReport, or every one of these in a Bundle (nested Bundles included).
 *
 * <p>What counts as a note's text:
 *
 * <ul>
 *   <li>DocumentReference: the first {@code content.attachment} that yields text (repetitions are
 *       the same document in other formats);
 *   <li>Composition: every section's title and narrative ({@code text.div}), nested sections in
 *       document order;
 *   <li>DiagnosticReport: the first {@code presentedForm} attachment that yields text; without
 *       presentedForm, its narrative when {@code text.status} is {@code additional} or {@code
 *       extensions} (a generated narrative only renders the coded data), else its {@code
 *       conclusion}.
 * </ul>
 *
 * <p>Thread-safe: it holds only the shared {@link Fhir}.
 */
public final class FhirNotes {
  private static final Set<String> NOTE_TYPES =
      Set.of("DocumentReference", "Composition", "DiagnosticReport");

  private final Fhir fhir;

  public FhirNotes(Fhir fhir) {
    this.fhir = fhir;
  }

  /**
   * One extraction per note-carrying resource, in document order.
   *
   * @throws CdsException {@link ErrorCode#FHIR_MALFORMED} for content that is not an R4 resource,
   *     {@link ErrorCode#FHIR_WRONG_RESOURCE_TYPE} for a resource that is neither a note nor a
   *     Bundle. A Bundle that holds no note is a patient record without notes: no extractions.
   */
  public List<NoteExtraction> extract(byte[] content, String sourceName) {
    Resource resource = fhir.parse(content, sourceName);
    List<NoteExtraction> notes = new ArrayList<>();
    if (resource instanceof Bundle bundle) {
      collect(bundle, sourceName, notes);
    } else if (NOTE_TYPES.contains(resource.fhirType())) {
      NoteReading reading = new NoteReading(ResourceIndex.empty(), List.of());
      notes.add(reading.extract(resource, sourceReference(resource, null, sourceName)));
    }
    if (notes.isEmpty() && !(resource instanceof Bundle)) {
      throw new CdsException(
          ErrorCode.FHIR_WRONG_RESOURCE_TYPE,
          sourceName
              + ": "
              + resource.fhirType()
              + " is not a DocumentReference, Composition, DiagnosticReport or Bundle");
    }
    return notes;
  }

  private static void collect(Bundle bundle, String sourceName, List<NoteExtraction> notes) {
    List<Resource> resources = new ArrayList<>();
    bundle.getEntry().stream()
        .filter(e -> e.hasResource())
        .forEach(e -> resources.add(e.getResource()));
    NoteReading reading = new NoteReading(ResourceIndex.of(bundle), resources);
    for (int i = 0; i < bundle.getEntry().size(); i++) {
      Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
      Resource resource = entry.getResource();
      if (resource instanceof Bundle nested) {
        collect(nested, sourceName + " entry " + i, notes);
      } else if (resource != null && NOTE_TYPES.contains(resource.fhirType())) {
        String where = sourceName + " entry " + i;
        notes.add(reading.extract(resource, sourceReference(resource, entry.getFullUrl(), where)));
      }
    }
  }

  /** {@code Type/id}; the fullUrl when the resource has no id of its own; else type and place. */
  static String sourceReference(Resource resource, String fullUrl, String where) {
    String id = resource.getIdElement().getIdPart();
    boolean ownId = id != null && !id.isBlank() && !id.contains(":");
    if (ownId) {
      return resource.fhirType() + "/" + id;
    }
    if (fullUrl != null && !fullUrl.isBlank()) {
      return fullUrl.strip();
    }
    return resource.fhirType() + " without id (" + where + ")";
  }
}
