package org.tandemcds.http;

import org.tandemcds.domain.ErrorCode;

/**
 * The HTTP status of each coded error, in one place: the service's edge ({@link HttpServer}) and
 * the review module's ({@link HttpErrors}) answer with the same status for the same code.
 */
final class HttpStatuses {
  private HttpStatuses() {}

  static int of(ErrorCode code) {
    return switch (code) {
      case HTTP_BODY_TOO_LARGE -> 413;
      case HTTP_UNSUPPORTED_MEDIA_TYPE -> 415;
      case UNAUTHENTICATED, JWT_REJECTED -> 401;
      case FORBIDDEN, CSRF_REJECTED -> 403;
      case HTTP_NOT_FOUND, STUDY_NOT_FOUND, NOTE_NOT_FOUND, JOB_NOT_FOUND, RESULT_NOT_FOUND -> 404;
      case HTTP_METHOD_NOT_ALLOWED -> 405;
      case STORE_CONFLICT, REVIEW_NOT_ALLOWED, ACCOUNT_EXISTS -> 409;
      case PATIENT_MISMATCH,
              PATIENT_UNVERIFIED,
              NOTE_WITHOUT_TEXT,
              CASE_EMPTY,
              FHIR_WRONG_RESOURCE_TYPE,
              NOTE_UNSUPPORTED_CONTENT_TYPE,
              NOTE_CHARSET_UNSUPPORTED,
              NOTE_BYTES_INVALID,
              NOTE_ATTACHMENT_UNRESOLVED,
              MODEL_MODE_UNSUPPORTED ->
          422;
      case NOTE_TOO_LARGE, DICOM_TOO_LARGE, STUDY_TOO_LARGE -> 413;
      case STORE_UNAVAILABLE, SERVICE_UNAVAILABLE, MODEL_NOT_FOUND, DEVICE_UNAVAILABLE -> 503;
      case FHIR_UNSUPPORTED_INTERACTION -> 400;
      case INTERNAL,
              IO_FAILURE,
              MODEL_FAILURE,
              MODEL_CHECKSUM_MISMATCH,
              MODEL_CARD_INVALID,
              ANALYSIS_FAILED,
              JOB_LEASE_EXPIRED,
              JOB_LEASE_LOST,
              CONFIG_INVALID,
              CONFIG_INSECURE_BIND,
              REPORT_BUNDLE_INVALID ->
          500;
      default -> 400;
    };
  }

  /** The code whose {@code TDM-nnn} is {@code text}, else {@link ErrorCode#ANALYSIS_FAILED}. */
  static ErrorCode parse(String text) {
    for (ErrorCode code : ErrorCode.values()) {
      if (code.code().equals(text)) {
        return code;
      }
    }
    return ErrorCode.ANALYSIS_FAILED;
  }
}
