package org.tandemcds.domain;

import java.util.Objects;

/**
 * A coded failure. The {@link #detail()} names the input (a file name, a resource reference) and
 * the reason; it never carries patient identifiers or note text.
 */
public final class CdsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String detail;

  public CdsException(ErrorCode code, String detail) {
    this(code, detail, null);
  }

  public CdsException(ErrorCode code, String detail, Throwable cause) {
    super(code.code() + " " + code.meaning() + ": " + detail, cause);
    this.code = Objects.requireNonNull(code);
    this.detail = detail;
  }

  public ErrorCode code() {
    return code;
  }

  public String detail() {
    return detail;
  }
}
