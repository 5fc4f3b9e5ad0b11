package org.tandemcds.parse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.fhir.FhirNotes;
import org.tandemcds.fhir.NoteExtraction;
import org.tandemcds.fhir.NoteSource;
import org.tandemcds.nlp.Segmentation;
import org.tandemcds.nlp.TextSegmenter;

/**
 * Reads the clinical notes of a FHIR R4 file (JSON or XML): a DocumentReference, Composition,
 * DiagnosticReport, or a Bundle of them. Each note becomes plain text with sections, sentences and
 * tokens whose spans index that text (see docs/decisions/0002-note-text-and-pairing.md).
 *
 * <p>Errors: {@link ErrorCode#INPUT_NOT_FOUND}, {@link ErrorCode#IO_FAILURE}, {@link
 * ErrorCode#NOTE_TOO_LARGE} (input larger than {@code maxBytes}), {@link ErrorCode#FHIR_MALFORMED},
 * {@link ErrorCode#FHIR_WRONG_RESOURCE_TYPE}, and per note {@code NOTE_*} codes. {@link #read}
 * fails on the first note that fails; {@link #readEach} reports every note's outcome.
 *
 * <p>Thread-safe: its collaborators are.
 */
public final class NoteReader {
  private final FhirNotes fhirNotes;
  private final TextSegmenter segmenter;
  private final long maxBytes;
  private final NoteText noteText = new NoteText();

  /**
   * @param fhirNotes finds notes in FHIR resources
   * @param segmenter sentence and token detection
   * @param maxBytes the largest input accepted, in bytes
   */
  public NoteReader(FhirNotes fhirNotes, TextSegmenter segmenter, long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    this.fhirNotes = fhirNotes;
    this.segmenter = segmenter;
    this.maxBytes = maxBytes;
  }

  /** The notes of a file, all or none: the first note that fails fails the file. */
  public List<ClinicalNote> read(Path file) {
    return read(bytes(file), String.valueOf(file.getFileName()));
  }

  /** The notes of an input, all or none: the first note that fails fails the input. */
  public List<ClinicalNote> read(byte[] content, String sourceName) {
    List<ClinicalNote> notes = new ArrayList<>();
    for (NoteOutcome outcome : readEach(content, sourceName)) {
      if (outcome.failure().isPresent()) {
        CdsException failure = outcome.failure().get();
        throw new CdsException(failure.code(), sourceName + ", " + failure.detail(), failure);
      }
      notes.add(outcome.note().orElseThrow());
    }
    return notes;
  }

  /**
   * Every note-carrying resource's outcome, in document order, so that a caller can use the notes
   * that were read and report the others.
   *
   * @throws CdsException for failures of the whole input (size, syntax, resource type)
   */
  public List<NoteOutcome> readEach(byte[] content, String sourceName) {
    if (content.length > maxBytes) {
      throw new CdsException(
          ErrorCode.NOTE_TOO_LARGE,
          sourceName + ": " + content.length + " bytes, limit " + maxBytes);
    }
    return fhirNotes.extract(content, sourceName).stream().map(this::outcome).toList();
  }

  private NoteOutcome outcome(NoteExtraction extraction) {
    if (extraction.failure().isPresent()) {
      return NoteOutcome.failed(extraction.sourceReference(), extraction.failure().get());
    }
    try {
      return NoteOutcome.of(note(extraction.source().orElseThrow()));
    } catch (CdsException e) {
      return NoteOutcome.failed(extraction.sourceReference(), e);
    }
  }

  private ClinicalNote note(NoteSource source) {
    NoteLayout layout = noteText.layout(source.parts());
    if (layout.text().isBlank()) {
      throw new CdsException(
          ErrorCode.NOTE_WITHOUT_TEXT, source.sourceReference() + ": text is empty once converted");
    }
    Segmentation segmentation = segmenter.segment(layout.text(), layout.blocks());
    return new ClinicalNote(
        layout.text(),
        layout.sections(),
        segmentation.sentences(),
        segmentation.tokens(),
        source.sourceReference(),
        source.patientIdentifiers(),
        source.accessionNumbers(),
        source.date(),
        source.author());
  }

  private byte[] bytes(Path file) {
    if (!Files.exists(file)) {
      throw new CdsException(ErrorCode.INPUT_NOT_FOUND, file + " does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, file + " is not a regular file");
    }
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new CdsException(
            ErrorCode.NOTE_TOO_LARGE,
            file.getFileName() + ": " + size + " bytes, limit " + maxBytes);
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, file + " could not be read", e);
    }
  }
}
