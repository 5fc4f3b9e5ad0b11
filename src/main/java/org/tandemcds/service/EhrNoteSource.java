package org.tandemcds.service;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Identifier;
import org.tandemcds.fhir.EhrNotes;
import org.tandemcds.fhir.FhirIngest;
import org.tandemcds.fhir.ReceivedResource;

/**
 * Fetches a PACS-triggered study's notes from the EHR's FHIR server into Tandem's note store, so
 * they are paired, kept and shown like notes the EHR posted. The patient is searched as {@code
 * system|PatientID}, the system being the one configured for the study's Issuer of Patient ID (or
 * the default; none: by value alone). An unreachable EHR (or token endpoint) is tried {@code
 * attempts} times, waiting {@code backoff} then doubling; after that the study is analysed
 * image-only and the reason says so. A refused search (HTTP 4xx) is not retried. Thread-safe.
 */
public final class EhrNoteSource {
  private static final Logger log = LoggerFactory.getLogger(EhrNoteSource.class);

  /**
   * @param issuerSystems DICOM Issuer of Patient ID → FHIR identifier system
   * @param defaultSystem the system for a PatientID whose issuer is not mapped (empty: none)
   * @param attempts how many times an unreachable EHR is tried
   * @param backoff the wait after the first failed attempt, doubled after each further one
   */
  public record Settings(
      Map<String, String> issuerSystems, String defaultSystem, int attempts, Duration backoff) {
    public Settings {
      issuerSystems = Map.copyOf(issuerSystems);
    }
  }

  /**
   * What the fetch did, as recorded on the run: how many notes were stored, or why none.
   *
   * @param failure the code that made Tandem give up on the EHR, if it did
   */
  public record Outcome(int stored, String reason, Optional<ErrorCode> failure) {}

  private final EhrNotes ehr;
  private final FhirIngest fhirIngest;
  private final NoteIngest noteIngest;
  private final Settings settings;

  public EhrNoteSource(
      EhrNotes ehr, FhirIngest fhirIngest, NoteIngest noteIngest, Settings settings) {
    this.ehr = ehr;
    this.fhirIngest = fhirIngest;
    this.noteIngest = noteIngest;
    this.settings = settings;
  }

  /** Fetches and stores the patient's notes dated in [{@code from}, {@code to}). */
  public Outcome fetch(Identifier patientId, LocalDate from, LocalDate to) {
    String system = settings.issuerSystems().getOrDefault(patientId.system(), "");
    if (system.isEmpty()) {
      system = settings.defaultSystem();
    }
    CdsException last = null;
    for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
      List<byte[]> found;
      try {
        found = ehr.search(system, patientId.value(), from, to);
      } catch (CdsException e) {
        last = e;
        if (e.code() == ErrorCode.EHR_REFUSED || e.code() == ErrorCode.EHR_KEY_INVALID) {
          break;
        }
        log.warn("EHR notes attempt {} of {}: {}", attempt, settings.attempts(), e.getMessage());
        if (attempt < settings.attempts() && !pause(attempt)) {
          break;
        }
        continue;
      }
      int stored = store(found);
      return new Outcome(
          stored,
          "notes from the EHR: " + stored + " of " + found.size() + " DocumentReference(s)",
          Optional.empty());
    }
    return new Outcome(
        0,
        "image-only: EHR notes unavailable ("
            + last.code().code()
            + " "
            + last.detail()
            + ") after "
            + settings.attempts()
            + " attempt(s)",
        Optional.of(last.code()));
  }

  private int store(List<byte[]> found) {
    int stored = 0;
    for (byte[] note : found) {
      try {
        ReceivedResource resource = fhirIngest.documentReference(note, noteIngest::resource);
        if (resource.failure().isPresent()) {
          throw resource.failure().get();
        }
        noteIngest.store(resource);
        stored++;
      } catch (CdsException e) {
        log.warn("an EHR note is not usable: {}", e.code().code());
      }
    }
    return stored;
  }

  private boolean pause(int attempt) {
    try {
      Thread.sleep(settings.backoff().multipliedBy(1L << Math.min(attempt - 1, 20)).toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
