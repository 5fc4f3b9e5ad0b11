package org.tandemcds.domain;

/**
 * Every failure Tandem reports, each with a unique, greppable code ({@code TDM-nnn}). Stages throw
 * {@link CdsException} with one of these; the edges translate it (OperationOutcome over HTTP, DIMSE
 * status over DICOM, exit status and message on the command line, a failed run in the queue).
 *
 * <p>Codes are never reused or renumbered: a code that is retired stays here, deprecated.
 */
public enum ErrorCode {
  // 1xx: DICOM input
  DICOM_NOT_READABLE(101, "not a readable DICOM object"),
  DICOM_TRUNCATED(102, "DICOM object is truncated"),
  DICOM_NOT_AN_IMAGE(103, "DICOM object is not an image"),
  DICOM_UNSUPPORTED_TRANSFER_SYNTAX(104, "transfer syntax cannot be decoded"),
  DICOM_PIXEL_DATA_INVALID(105, "pixel data is missing or inconsistent with the image attributes"),
  DICOM_UNSUPPORTED_PHOTOMETRIC(106, "photometric interpretation is not supported"),
  DICOM_DECODE_FAILED(107, "compressed pixel data could not be decoded"),
  DICOM_TOO_LARGE(108, "DICOM object exceeds the configured size limit"),
  DICOM_UNSUPPORTED_BIT_DEPTH(109, "bits allocated per sample is not supported"),
  STUDY_EMPTY(110, "no image instances were found"),
  STUDY_MIXED(111, "input holds more than one study"),
  STUDY_TOO_MANY_SERIES(112, "study has more series than the configured limit"),
  STUDY_TOO_LARGE(113, "study exceeds the configured total pixel budget of one scan"),

  // 2xx: FHIR notes
  FHIR_MALFORMED(201, "not well-formed FHIR JSON or XML"),
  FHIR_WRONG_RESOURCE_TYPE(202, "resource type cannot carry a clinical note"),
  NOTE_WITHOUT_TEXT(203, "note has no text"),
  NOTE_UNSUPPORTED_CONTENT_TYPE(204, "note content type is not supported"),
  NOTE_ATTACHMENT_UNRESOLVED(205, "note attachment url cannot be resolved"),
  NOTE_CHARSET_UNSUPPORTED(206, "note charset is not supported"),
  NOTE_TOO_LARGE(207, "note exceeds the configured size limit"),
  NOTE_BYTES_INVALID(208, "note bytes are not valid in their declared or default charset"),

  // 3xx: pairing
  PATIENT_MISMATCH(301, "note and study belong to different patients"),
  CASE_EMPTY(302, "neither an image study nor a note was given"),
  PATIENT_UNVERIFIED(303, "note names no patient identifier to verify against the study"),

  // 4xx: files and configuration
  INPUT_NOT_FOUND(401, "input file or folder does not exist"),
  IO_FAILURE(402, "file could not be read or written"),
  INVALID_ARGUMENT(403, "invalid argument"),

  // 5xx: models
  MODEL_CHECKSUM_MISMATCH(501, "model file checksum does not match its model card"),
  MODEL_NOT_FOUND(502, "model files are missing"),
  MODEL_FAILURE(503, "model could not be run"),
  MODEL_CARD_INVALID(504, "model card is malformed or does not list the model's files"),
  DEVICE_UNAVAILABLE(505, "requested compute device is not available"),
  MODEL_MODE_UNSUPPORTED(506, "the model cannot serve this combination of inputs"),

  // 6xx: storage and job queue
  STORE_UNAVAILABLE(601, "database or study store cannot be reached or migrated"),
  STORE_CONFLICT(602, "a different object was already stored under the same key"),
  STORE_INVALID_KEY(603, "UID or key is not valid for storage"),
  JOB_LEASE_LOST(604, "job lease is no longer held by this worker"),
  JOB_LEASE_EXPIRED(605, "job lease expired on its last attempt"),

  // 80x-82x: HTTP service, configuration and requests (tandem serve)
  HTTP_BODY_TOO_LARGE(800, "request body exceeds the configured size limit"),
  HTTP_UNSUPPORTED_MEDIA_TYPE(801, "request content type is not accepted here"),
  HTTP_JSON_TOO_DEEP(802, "JSON nesting exceeds the configured depth limit"),
  HTTP_MULTIPART_MALFORMED(803, "multipart/related body is malformed"),
  HTTP_NOT_FOUND(804, "no such endpoint or resource"),
  HTTP_METHOD_NOT_ALLOWED(805, "method not allowed on this endpoint"),
  ANALYZE_PARAMETERS_INVALID(806, "$analyze Parameters are missing or invalid"),
  STUDY_NOT_FOUND(807, "no instance of the study is stored"),
  NOTE_NOT_FOUND(808, "the referenced note is not stored"),
  JOB_NOT_FOUND(809, "no such analysis job"),
  CONFIG_INVALID(810, "service configuration is invalid"),
  CONFIG_INSECURE_BIND(811, "non-loopback address without TLS and authentication"),
  ANALYSIS_FAILED(812, "the analysis failed"),
  SERVICE_UNAVAILABLE(813, "the service is shutting down or not ready"),
  FHIR_UNSUPPORTED_INTERACTION(814, "FHIR interaction or resource type is not supported here"),
  // 84x-85x: security, review actions and audit (issue 6 part B)
  UNAUTHENTICATED(840, "request carries no valid credentials"),
  FORBIDDEN(841, "credentials lack the scope or role this request needs"),
  CSRF_REJECTED(842, "state-changing request lacks the session's CSRF token"),
  JWT_REJECTED(843, "CDS Hooks bearer token failed verification"),
  ACCOUNT_EXISTS(844, "an account or client with this name already exists"),
  RESULT_NOT_FOUND(850, "no stored result has this id"),
  REVIEW_NOT_ALLOWED(851, "the suggestion's status does not allow this review action"),
  REVIEW_INVALID(852, "review action is malformed or incomplete"),
  REPORT_BUNDLE_INVALID(853, "report Bundle lacks a DiagnosticReport with a subject"),
  // 900-949: PACS delivery and outbox
  PACS_UNREACHABLE(901, "DICOM destination cannot be reached or refused the association"),
  PACS_STORE_REFUSED(902, "DICOM destination did not store an object"),
  EHR_UNREACHABLE(910, "the EHR FHIR server cannot be reached"),
  EHR_REFUSED(911, "the EHR FHIR server refused the notes search"),
  EHR_TOKEN_FAILED(912, "no access token from the EHR's token endpoint"),
  EHR_KEY_INVALID(913, "the SMART Backend Services key or algorithm is unusable"),

  // 9xx: defects
  // Explain (700–709).
  EXPLAIN_FINDING_UNKNOWN(701, "the model has no such finding to explain"),
  EXPLAIN_INPUT_MISSING(702, "the input an explanation method needs is not in the case"),
  EXPLAIN_RENDER_FAILED(703, "the saliency overlay could not be rendered"),
  EXPLAIN_TRUTH_INVALID(704, "ground truth for the explanation evaluation is missing or malformed"),

  INTERNAL(999, "internal error");

  private final int number;
  private final String meaning;

  ErrorCode(int number, String meaning) {
    this.number = number;
    this.meaning = meaning;
  }

  /** The code as it appears in messages and OperationOutcomes, e.g. {@code TDM-103}. */
  public String code() {
    return "TDM-" + number;
  }

  public int number() {
    return number;
  }

  public String meaning() {
    return meaning;
  }
}
