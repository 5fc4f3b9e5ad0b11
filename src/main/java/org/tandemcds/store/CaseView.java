package org.tandemcds.store;

import java.util.Optional;

/**
 * What the review panel shows of one suggestion besides its FHIR resources: the analysed image
 * instance, the case header of the worklist, and the explanation document (findings, saliency
 * grids, note text with evidence spans and token scores) as JSON.
 *
 * @param reportId the suggestion's DiagnosticReport id
 * @param sopInstanceUid the analysed image instance (empty for a note-only run)
 * @param frameNumber the analysed frame, 1-based
 * @param patientLabel the patient as the clinician recognises them (name and id)
 * @param studyDate StudyDate as given ({@code YYYYMMDD}), empty when unknown
 * @param studyDescription StudyDescription, empty when unknown
 * @param modality the study's modality, e.g. {@code CR}
 * @param documentJson the explanation document
 */
public record CaseView(
    String reportId,
    Optional<String> sopInstanceUid,
    int frameNumber,
    String patientLabel,
    String studyDate,
    String studyDescription,
    String modality,
    String documentJson) {}
