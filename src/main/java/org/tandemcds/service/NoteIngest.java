package org.tandemcds.service;

import java.util.List;
import java.util.Optional;
import org.tandemcds.fhir.ReceivedResource;
import org.tandemcds.store.NoteKey;
import org.tandemcds.store.NoteStore;
import org.tandemcds.store.ResourceStore;
import org.tandemcds.store.StoreResult;

/**
 * Stores what {@link org.tandemcds.fhir.FhirIngest} prepared: notes in the note store with the
 * lookup keys of their patient identifiers, other resources in the resource store. Thread-safe.
 */
public final class NoteIngest {
  private final NoteStore notes;
  private final ResourceStore resources;

  public NoteIngest(NoteStore notes, ResourceStore resources) {
    this.notes = notes;
    this.resources = resources;
  }

  /** Stores {@code resource}, which must carry no failure. */
  public StoreResult store(ReceivedResource resource) {
    if (!resource.note()) {
      return resources.store(resource.content(), resource.resourceType(), resource.resourceId());
    }
    List<String> keys = resource.patientIdValues().stream().map(LookupKeys::of).toList();
    NoteKey key =
        new NoteKey(resource.resourceType(), resource.resourceId(), keys.get(0), resource.date());
    StoreResult result = notes.store(resource.content(), key);
    if (result.outcome() != StoreResult.Outcome.CONFLICT) {
      notes.index(key, keys);
    }
    return result;
  }

  /**
   * The pseudonymous key of the patient a note is about (the lookup key of its first patient
   * identifier, as the note is stored under); empty for other resources.
   */
  public Optional<String> patientKey(ReceivedResource resource) {
    return resource.note() && !resource.patientIdValues().isEmpty()
        ? Optional.of(LookupKeys.of(resource.patientIdValues().get(0)))
        : Optional.empty();
  }

  /** The stored bytes of a non-note resource ({@code Type/id}), if stored. */
  public Optional<byte[]> resource(String reference) {
    int slash = reference.indexOf('/');
    try {
      return slash < 0
          ? Optional.empty()
          : resources.read(reference.substring(0, slash), reference.substring(slash + 1));
    } catch (org.tandemcds.domain.CdsException e) {
      return Optional.empty();
    }
  }

  /** The stored bytes of a note ({@code Type/id}), if stored. */
  public Optional<byte[]> note(String reference) {
    int slash = reference.indexOf('/');
    return slash < 0
        ? Optional.empty()
        : notes.read(reference.substring(0, slash), reference.substring(slash + 1));
  }
}
