package org.tandemcds.fhir;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Resource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Identifier;

/**
 * Turns the body of a FHIR POST (a transaction or batch Bundle, or one DocumentReference) into the
 * resources to store. A note is stored as a small collection Bundle with the resources of the same
 * POST that it may refer to (Patient, ServiceRequest, ImagingStudy...), plus, for a note whose
 * subject is {@code Patient/id}, that Patient when it was stored before: a stored note is then
 * pairable on its own. Thread-safe.
 */
public final class FhirIngest {
  private static final Set<String> NOTE_TYPES =
      Set.of("DocumentReference", "Composition", "DiagnosticReport");

  private final Fhir fhir;
  private final FhirNotes notes;

  public FhirIngest(Fhir fhir) {
    this.fhir = fhir;
    this.notes = new FhirNotes(fhir);
  }

  /**
   * The entries of a transaction or batch Bundle.
   *
   * @throws CdsException {@link ErrorCode#FHIR_MALFORMED}; {@link
   *     ErrorCode#FHIR_UNSUPPORTED_INTERACTION} for anything but a transaction or batch Bundle
   */
  public ReceivedBundle bundle(byte[] body, Function<String, Optional<byte[]>> stored) {
    Resource resource = fhir.parse(body, "POST /fhir");
    if (!(resource instanceof Bundle bundle)
        || !(bundle.getType() == BundleType.TRANSACTION || bundle.getType() == BundleType.BATCH)) {
      throw new CdsException(
          ErrorCode.FHIR_UNSUPPORTED_INTERACTION,
          "POST /fhir takes a Bundle of type transaction or batch");
    }
    List<Resource> context = new ArrayList<>();
    List<Bundle.BundleEntryComponent> entries = bundle.getEntry();
    for (Bundle.BundleEntryComponent entry : entries) {
      if (entry.hasResource() && !NOTE_TYPES.contains(entry.getResource().fhirType())) {
        context.add(entry.getResource());
      }
    }
    List<ReceivedResource> received = new ArrayList<>();
    Set<String> types = new TreeSet<>();
    for (int i = 0; i < entries.size(); i++) {
      received.add(entry(entries.get(i), i, entries, stored));
      if (entries.get(i).hasResource()) {
        types.add(entries.get(i).getResource().fhirType());
      }
    }
    return new ReceivedBundle(bundle.getType() == BundleType.TRANSACTION, received, types);
  }

  /**
   * The entries of a transaction ({@code transaction} true) or batch Bundle, in order, and the
   * resource types they carry (for the write scopes a caller needs).
   */
  public record ReceivedBundle(
      boolean transaction, List<ReceivedResource> entries, Set<String> resourceTypes) {
    public ReceivedBundle {
      entries = List.copyOf(entries);
      resourceTypes = Set.copyOf(resourceTypes);
    }
  }

  /** One DocumentReference posted on its own ({@code POST /fhir/DocumentReference}). */
  public ReceivedResource documentReference(
      byte[] body, Function<String, Optional<byte[]>> stored) {
    Resource resource = fhir.parse(body, "POST /fhir/DocumentReference");
    if (!(resource instanceof DocumentReference)) {
      throw new CdsException(
          ErrorCode.FHIR_WRONG_RESOURCE_TYPE,
          "POST /fhir/DocumentReference received a " + resource.fhirType());
    }
    Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent().setResource(resource);
    return entry(entry, 0, List.of(entry), stored);
  }

  private ReceivedResource entry(
      Bundle.BundleEntryComponent entry,
      int index,
      List<Bundle.BundleEntryComponent> all,
      Function<String, Optional<byte[]>> stored) {
    if (!entry.hasResource()) {
      return failed(
          "Bundle",
          "entry-" + index,
          new CdsException(ErrorCode.FHIR_MALFORMED, "entry " + index + " has no resource"));
    }
    Resource resource = entry.getResource();
    String id = idOf(resource, entry.getFullUrl());
    resource.setId(id);
    if (!NOTE_TYPES.contains(resource.fhirType())) {
      return new ReceivedResource(
          resource.fhirType(), id, encode(resource), false, List.of(), null, Optional.empty());
    }
    return note(resource, entry.getFullUrl(), all, stored);
  }

  private ReceivedResource note(
      Resource note,
      String fullUrl,
      List<Bundle.BundleEntryComponent> all,
      Function<String, Optional<byte[]>> stored) {
    Bundle own = new Bundle().setType(BundleType.COLLECTION);
    // No fullUrl for the note itself: parsers would take a urn:uuid fullUrl as its id.
    own.addEntry().setResource(note);
    for (Bundle.BundleEntryComponent other : all) {
      if (other.hasResource() && !NOTE_TYPES.contains(other.getResource().fhirType())) {
        own.addEntry().setFullUrl(other.getFullUrl()).setResource(other.getResource());
      }
    }
    storedSubject(note, stored)
        .ifPresent(
            p ->
                own.addEntry()
                    .setFullUrl(p.fhirType() + "/" + p.getIdElement().getIdPart())
                    .setResource(p));
    byte[] content = encode(own);
    String id = note.getIdElement().getIdPart();
    try {
      List<NoteExtraction> extracted = notes.extract(content, note.fhirType() + "/" + id);
      NoteExtraction extraction = extracted.get(0);
      if (extraction.failure().isPresent()) {
        return failed(note.fhirType(), id, extraction.failure().get());
      }
      NoteSource source = extraction.source().orElseThrow();
      List<String> values =
          source.patientIdentifiers().stream()
              .map(Identifier::value)
              .filter(v -> !v.isBlank())
              .distinct()
              .toList();
      if (values.isEmpty()) {
        return failed(
            note.fhirType(),
            id,
            new CdsException(
                ErrorCode.PATIENT_UNVERIFIED,
                note.fhirType() + "/" + id + " names no patient identifier"));
      }
      return new ReceivedResource(
          note.fhirType(), id, content, true, values, date(source.date()), Optional.empty());
    } catch (CdsException e) {
      return failed(note.fhirType(), id, e);
    }
  }

  private Optional<Resource> storedSubject(
      Resource note, Function<String, Optional<byte[]>> stored) {
    if (!(note instanceof DocumentReference doc) || !doc.getSubject().hasReference()) {
      return Optional.empty();
    }
    String reference = doc.getSubject().getReference();
    if (!reference.startsWith("Patient/") || reference.indexOf('/', 8) >= 0) {
      return Optional.empty();
    }
    return stored.apply(reference).map(bytes -> fhir.parse(bytes, reference));
  }

  private byte[] encode(Resource resource) {
    return fhir.context()
        .newJsonParser()
        .encodeResourceToString(resource)
        .getBytes(StandardCharsets.UTF_8);
  }

  private String idOf(Resource resource, String fullUrl) {
    String id = resource.getIdElement().getIdPart();
    if (id != null && !id.isBlank() && !id.contains(":")) {
      return id;
    }
    if (fullUrl != null && fullUrl.startsWith("urn:uuid:")) {
      return fullUrl.substring("urn:uuid:".length());
    }
    byte[] digest = sha256(encode(resource));
    return "sha256-" + HexFormat.of().formatHex(digest, 0, 20);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new CdsException(ErrorCode.INTERNAL, "SHA-256 is not available", e);
    }
  }

  private static LocalDate date(String written) {
    if (written == null || written.length() < 10) {
      return null;
    }
    try {
      return LocalDate.parse(written.substring(0, 10));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static ReceivedResource failed(String type, String id, CdsException failure) {
    return new ReceivedResource(
        type, id, new byte[0], false, List.of(), null, Optional.of(failure));
  }
}
