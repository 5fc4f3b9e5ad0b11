package org.tandemcds.parse;

import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ImagingStudy;

/**
 * The parse stage: an {@link AnalysisRequest} becomes a {@link CaseInput} — the study decoded to
 * normalised frames, the notes turned into text with sentences and tokens, the two paired and the
 * mode named. Thread-safe.
 *
 * @see StudyReader#readStudy for the DICOM error codes
 * @see NoteReader#read for the note error codes
 * @see CaseAssembler#assemble for the pairing error codes
 */
public final class CaseParser {
  private final StudyReader studies;
  private final NoteReader notes;
  private final CaseAssembler assembler;

  public CaseParser(StudyReader studies, NoteReader notes, CaseAssembler assembler) {
    this.studies = studies;
    this.notes = notes;
    this.assembler = assembler;
  }

  public CaseInput parse(AnalysisRequest request) {
    Optional<ImagingStudy> study = request.study().map(studies::readStudy);
    List<ClinicalNote> read =
        request.notes().stream().flatMap(p -> notes.read(p).stream()).toList();
    return assembler.assemble(study, read);
  }
}
